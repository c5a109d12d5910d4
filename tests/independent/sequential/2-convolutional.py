#!/usr/bin/env python3
"""Convolutional autoencoder from Sequential stacks of conv blocks."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Return encoder, decoder and the compiled autoencoder."""
    enc = keras.Sequential(name='enc')
    enc.add(keras.Input(shape=input_dims))
    for count in filters:
        enc.add(keras.layers.Conv2D(count, 3, padding='same',
                                    activation='relu'))
        enc.add(keras.layers.MaxPooling2D(2, padding='same'))

    dec = keras.Sequential(name='dec')
    dec.add(keras.Input(shape=latent_dims))
    backwards = filters[::-1]
    for count in backwards[:-1]:
        dec.add(keras.layers.Conv2D(count, 3, padding='same',
                                    activation='relu'))
        dec.add(keras.layers.UpSampling2D(2))
    dec.add(keras.layers.Conv2D(backwards[-1], 3, padding='valid',
                                activation='relu'))
    dec.add(keras.layers.UpSampling2D(2))
    dec.add(keras.layers.Conv2D(input_dims[-1], 3, padding='same',
                                activation='sigmoid'))

    whole = keras.Sequential([enc, dec])
    whole.compile('adam', 'binary_crossentropy')
    return enc, dec, whole
