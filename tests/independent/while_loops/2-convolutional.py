#!/usr/bin/env python3
"""Convolutional autoencoder whose filters are walked by index."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Make (encoder, decoder, autoencoder)."""
    start = keras.Input(shape=input_dims)
    node = start
    i = 0
    while i < len(filters):
        node = keras.layers.Conv2D(filters=filters[i], kernel_size=(3, 3),
                                   padding='same', activation='relu')(node)
        node = keras.layers.MaxPooling2D(pool_size=(2, 2),
                                         padding='same')(node)
        i += 1
    encoder = keras.Model(inputs=start, outputs=node)

    code_in = keras.Input(shape=latent_dims)
    node = code_in
    i = len(filters) - 1
    while i >= 0:
        edge = 'valid' if i == 0 else 'same'
        node = keras.layers.Conv2D(filters=filters[i], kernel_size=(3, 3),
                                   padding=edge, activation='relu')(node)
        node = keras.layers.UpSampling2D(size=(2, 2))(node)
        i -= 1
    image = keras.layers.Conv2D(filters=input_dims[-1], kernel_size=(3, 3),
                                padding='same', activation='sigmoid')(node)
    decoder = keras.Model(inputs=code_in, outputs=image)

    model = keras.Model(inputs=start, outputs=decoder(encoder(start)))
    model.compile(optimizer='Adam', loss='BinaryCrossentropy')
    return encoder, decoder, model
