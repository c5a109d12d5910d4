#!/usr/bin/env python3
"""Sparse autoencoder: an L1 activity penalty on the Sequential code."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Return encoder, decoder and the compiled sparse autoencoder."""
    enc = keras.Sequential(name='enc')
    enc.add(keras.Input(shape=(input_dims,)))
    for width in hidden_layers:
        enc.add(keras.layers.Dense(width, activation='relu'))
    penalty = keras.regularizers.l1(lambtha)
    enc.add(keras.layers.Dense(latent_dims, activation='relu',
                               activity_regularizer=penalty))

    dec = keras.Sequential(name='dec')
    dec.add(keras.Input(shape=(latent_dims,)))
    for width in hidden_layers[::-1]:
        dec.add(keras.layers.Dense(width, activation='relu'))
    dec.add(keras.layers.Dense(input_dims, activation='sigmoid'))

    whole = keras.Sequential([enc, dec])
    whole.compile('adam', 'binary_crossentropy')
    return enc, dec, whole
