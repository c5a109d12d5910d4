#!/usr/bin/env python3
"""A convolutional autoencoder from lists of layers."""
import tensorflow.keras as keras


def apply_all(layer_list, tensor):
    """Feed tensor through each layer of layer_list."""
    for layer in layer_list:
        tensor = layer(tensor)
    return tensor


def conv(count, padding='same', activation='relu'):
    """A 3x3 convolution."""
    return keras.layers.Conv2D(count, (3, 3), padding=padding,
                               activation=activation)


def autoencoder(input_dims, filters, latent_dims):
    """Build the encoder, the decoder and the autoencoder."""
    down = []
    for count in filters:
        down += [conv(count), keras.layers.MaxPool2D((2, 2), padding='same')]
    rev = list(reversed(filters))
    up = []
    for count in rev[:-1]:
        up += [conv(count), keras.layers.UpSampling2D((2, 2))]
    up += [conv(rev[-1], 'valid'), keras.layers.UpSampling2D((2, 2)),
           conv(input_dims[2], activation='sigmoid')]
    x_in = keras.layers.Input(input_dims)
    z_in = keras.layers.Input(latent_dims)
    encoder = keras.models.Model(inputs=x_in, outputs=apply_all(down, x_in))
    decoder = keras.models.Model(inputs=z_in, outputs=apply_all(up, z_in))
    auto = keras.models.Model(inputs=x_in, outputs=decoder(encoder(x_in)))
    auto.compile(loss=keras.losses.BinaryCrossentropy(),
                 optimizer=keras.optimizers.Adam())
    return encoder, decoder, auto
