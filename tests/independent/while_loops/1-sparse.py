#!/usr/bin/env python3
"""Sparse autoencoder whose layer sizes are walked by index."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Make (encoder, decoder, sparse autoencoder)."""
    sizes = list(hidden_layers)
    start = keras.Input(shape=(input_dims,))
    node = start
    i = 0
    while i < len(sizes):
        node = keras.layers.Dense(units=sizes[i], activation='relu')(node)
        i += 1
    l1 = keras.regularizers.L1(lambtha)
    code = keras.layers.Dense(units=latent_dims, activation='relu',
                              activity_regularizer=l1)(node)
    encoder = keras.Model(inputs=start, outputs=code)

    code_in = keras.Input(shape=(latent_dims,))
    node = code_in
    i = len(sizes) - 1
    while i >= 0:
        node = keras.layers.Dense(units=sizes[i], activation='relu')(node)
        i -= 1
    image = keras.layers.Dense(units=input_dims, activation='sigmoid')(node)
    decoder = keras.Model(inputs=code_in, outputs=image)

    model = keras.Model(inputs=start, outputs=decoder(code))
    model.compile(optimizer='Adam', loss='BinaryCrossentropy')
    return encoder, decoder, model
