#!/usr/bin/env python3
"""Vanilla autoencoder made of two Sequential stacks."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Return encoder, decoder and the compiled autoencoder."""
    enc = keras.Sequential(name='enc')
    enc.add(keras.Input(shape=(input_dims,)))
    for width in hidden_layers:
        enc.add(keras.layers.Dense(width, activation='relu'))
    enc.add(keras.layers.Dense(latent_dims, activation='relu'))

    dec = keras.Sequential(name='dec')
    dec.add(keras.Input(shape=(latent_dims,)))
    for width in hidden_layers[::-1]:
        dec.add(keras.layers.Dense(width, activation='relu'))
    dec.add(keras.layers.Dense(input_dims, activation='sigmoid'))

    whole = keras.Sequential([enc, dec])
    whole.compile('adam', 'binary_crossentropy')
    return enc, dec, whole
