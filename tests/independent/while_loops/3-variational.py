#!/usr/bin/env python3
"""Variational autoencoder whose layer sizes are walked by index."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Make (encoder, decoder, variational autoencoder)."""
    sizes = list(hidden_layers)
    start = keras.Input(shape=(input_dims,))
    node = start
    i = 0
    while i < len(sizes):
        node = keras.layers.Dense(units=sizes[i], activation='relu')(node)
        i += 1
    centre = keras.layers.Dense(units=latent_dims, activation=None)(node)
    log_variance = keras.layers.Dense(units=latent_dims,
                                      activation=None)(node)

    def sample(pair):
        """Reparameterization trick."""
        centre, log_variance = pair
        shape = (keras.backend.shape(centre)[0], latent_dims)
        return centre + keras.backend.exp(log_variance * 0.5) * \
            keras.backend.random_normal(shape=shape)

    code = keras.layers.Lambda(sample)([centre, log_variance])
    encoder = keras.Model(inputs=start, outputs=[code, centre, log_variance])

    code_in = keras.Input(shape=(latent_dims,))
    node = code_in
    i = len(sizes) - 1
    while i >= 0:
        node = keras.layers.Dense(units=sizes[i], activation='relu')(node)
        i -= 1
    image = keras.layers.Dense(units=input_dims, activation='sigmoid')(node)
    decoder = keras.Model(inputs=code_in, outputs=image)

    output = decoder(code)
    model = keras.Model(inputs=start, outputs=output)
    error = keras.backend.sum(
        keras.backend.binary_crossentropy(start, output), axis=1)
    divergence = 0.5 * keras.backend.sum(
        keras.backend.square(centre) + keras.backend.exp(log_variance)
        - log_variance - 1, axis=1)
    model.add_loss(keras.backend.mean(error + divergence))
    model.compile(optimizer='Adam')
    return encoder, decoder, model
