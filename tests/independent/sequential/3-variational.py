#!/usr/bin/env python3
"""Variational autoencoder; the decoder is a Sequential stack."""
import tensorflow.keras as keras


def draw(stats):
    """Sample a code from its mean and log variance."""
    mu, log_sigma2 = stats
    noise = keras.backend.random_normal(keras.backend.shape(mu))
    return mu + keras.backend.exp(log_sigma2 / 2) * noise


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Return encoder, decoder and the compiled VAE."""
    pixels = keras.Input(shape=(input_dims,))
    trunk = keras.Sequential([keras.layers.Dense(width, activation='relu')
                              for width in hidden_layers])
    features = trunk(pixels)
    mu = keras.layers.Dense(latent_dims)(features)
    log_sigma2 = keras.layers.Dense(latent_dims)(features)
    code = keras.layers.Lambda(draw)([mu, log_sigma2])
    enc = keras.Model(pixels, [code, mu, log_sigma2])

    dec = keras.Sequential(name='dec')
    dec.add(keras.Input(shape=(latent_dims,)))
    for width in hidden_layers[::-1]:
        dec.add(keras.layers.Dense(width, activation='relu'))
    dec.add(keras.layers.Dense(input_dims, activation='sigmoid'))

    rebuilt = dec(code)
    whole = keras.Model(pixels, rebuilt)
    fit = keras.losses.binary_crossentropy(pixels, rebuilt) * input_dims
    spread = -0.5 * keras.backend.sum(
        1 + log_sigma2 - mu ** 2 - keras.backend.exp(log_sigma2), axis=-1)
    whole.add_loss(keras.backend.mean(fit + spread))
    whole.compile(optimizer='adam')
    return enc, dec, whole
