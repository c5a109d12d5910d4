#!/usr/bin/env python3
"""A variational autoencoder; its loss is added as a layer's."""
import tensorflow.keras as keras


def apply_all(layer_list, tensor):
    """Feed tensor through each layer of layer_list."""
    for layer in layer_list:
        tensor = layer(tensor)
    return tensor


class Reparameterize(keras.layers.Layer):
    """z = mean + sigma * epsilon."""

    def call(self, inputs):
        """Draw z."""
        mean, log_var = inputs
        epsilon = keras.random.normal(keras.ops.shape(mean))
        return mean + keras.ops.exp(0.5 * log_var) * epsilon


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Build the encoder, the decoder and the VAE."""
    Dense = keras.layers.Dense
    x_in = keras.layers.Input((input_dims,))
    h = apply_all([Dense(n, 'relu') for n in hidden_layers], x_in)
    mean = Dense(latent_dims, None)(h)
    log_var = Dense(latent_dims, None)(h)
    z = Reparameterize()([mean, log_var])
    encoder = keras.models.Model(inputs=x_in, outputs=[z, mean, log_var])
    up = [Dense(n, 'relu') for n in reversed(hidden_layers)] + [
        Dense(input_dims, 'sigmoid')]
    z_in = keras.layers.Input((latent_dims,))
    decoder = keras.models.Model(inputs=z_in, outputs=apply_all(up, z_in))
    x_out = decoder(z)
    auto = keras.models.Model(inputs=x_in, outputs=x_out)
    kl = keras.ops.sum(keras.ops.exp(log_var) + mean ** 2 - 1 - log_var,
                       axis=1) / 2
    auto.add_loss(keras.ops.mean(kl))
    auto.compile(loss=keras.losses.BinaryCrossentropy(reduction='sum'),
                 optimizer=keras.optimizers.Adam())
    return encoder, decoder, auto
