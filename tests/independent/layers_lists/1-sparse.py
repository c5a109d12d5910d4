#!/usr/bin/env python3
"""A sparse dense autoencoder built from lists of layers."""
import tensorflow.keras as keras


def apply_all(layer_list, tensor):
    """Feed tensor through each layer of layer_list."""
    for layer in layer_list:
        tensor = layer(tensor)
    return tensor


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Build the encoder (L1 on its code), the decoder and the whole."""
    Dense = keras.layers.Dense
    sparse = keras.regularizers.L1(l1=lambtha)
    down = [Dense(n, 'relu') for n in hidden_layers] + [
        Dense(latent_dims, 'relu', activity_regularizer=sparse)]
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
