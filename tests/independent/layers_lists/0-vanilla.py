#!/usr/bin/env python3
"""A dense autoencoder whose halves are lists of layers applied in turn."""
import tensorflow.keras as keras


def apply_all(layer_list, tensor):
    """Feed tensor through each layer of layer_list."""
    for layer in layer_list:
        tensor = layer(tensor)
    return tensor


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Build the encoder, the decoder and the autoencoder."""
    Dense = keras.layers.Dense
    down = [Dense(n, 'relu') for n in hidden_layers] + [
        Dense(latent_dims, 'relu')]
    up = [Dense(n, 'relu') for n in reversed(hidden_layers)] + [
        Dense(input_dims, 'sigmoid')]
    x_in = keras.layers.Input((input_dims,))
    z_in = keras.layers.Input((latent_dims,))
    encoder = keras.models.Model(inputs=x_in, outputs=apply_all(down, x_in))
    decoder = keras.models.Model(inputs=z_in, outputs=apply_all(up, z_in))
    auto = keras.models.Model(inputs=x_in, outputs=decoder(encoder(x_in)))
    auto.compile(loss=keras.losses.BinaryCrossentropy(),
                 optimizer=keras.optimizers.Adam())
    return encoder, decoder, auto
