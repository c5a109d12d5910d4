#!/usr/bin/env python3
"""A sparse autoencoder for flat inputs such as 784-pixel MNIST digits.

It is the vanilla autoencoder with one addition: an L1 penalty on the
latent code, lambtha times the sum of the code's absolute values, is added
to the loss. It pushes most code units to zero for any one input, so that
each digit is described by a few active features.
"""
import tensorflow.keras as keras


def _size(name, value):
    """Return value as an int if it is a positive integer, else raise.

    Anything with __index__ counts as an integer (int, NumPy integers);
    booleans are refused because True would quietly mean a size of 1.
    """
    if isinstance(value, bool) or not hasattr(type(value), '__index__'):
        raise TypeError('{} must be a positive integer, got {!r}'
                        .format(name, value))
    size = value.__index__()
    if size < 1:
        raise ValueError('{} must be a positive integer, got {!r}'
                         .format(name, value))
    return size


def _sizes(name, values):
    """Return a new list of positive ints from a list or tuple of them."""
    if not isinstance(values, (list, tuple)):
        raise TypeError('{} must be a list or tuple of positive integers, '
                        'got {!r}'.format(name, values))
    return [_size('{}[{}]'.format(name, i), value)
            for i, value in enumerate(values)]


def _strength(name, value):
    """Return value as a float if it is a finite number >= 0, else raise."""
    if isinstance(value, bool) or not hasattr(type(value), '__float__'):
        raise TypeError('{} must be a finite number >= 0, got {!r}'
                        .format(name, value))
    strength = float(value)
    # NaN fails every comparison, so one chained test refuses it too.
    if not 0 <= strength < float('inf'):
        raise ValueError('{} must be a finite number >= 0, got {!r}'
                         .format(name, value))
    return strength


def _dense_stack(input_size, hidden_sizes, output_size, output_activation,
                 name, output_regularizer=None):
    """Build a model of relu Dense layers ending in one of output_size."""
    inputs = keras.Input(shape=(input_size,))
    x = inputs
    for units in hidden_sizes:
        x = keras.layers.Dense(units, activation='relu')(x)
    outputs = keras.layers.Dense(output_size, activation=output_activation,
                                 activity_regularizer=output_regularizer)(x)
    return keras.Model(inputs, outputs, name=name)


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Create a sparse autoencoder.

    Args:
        input_dims: int, the size of each (flat) input.
        hidden_layers: list or tuple of ints, the width of each hidden
            layer of the encoder; the decoder uses them in reverse.
        latent_dims: int, the size of the latent code.
        lambtha: number >= 0, the strength of the L1 regularization on the
            encoded output.

    Returns:
        (encoder, decoder, auto): the encoder model, the decoder model and
        the sparse autoencoder, compiled with adam and binary cross-entropy.
    """
    input_dims = _size('input_dims', input_dims)
    hidden_layers = _sizes('hidden_layers', hidden_layers)
    latent_dims = _size('latent_dims', latent_dims)
    lambtha = _strength('lambtha', lambtha)

    # Keras divides an activity penalty by the batch size, so the loss
    # gains lambtha times the mean over the batch of each code's L1 norm.
    encoder = _dense_stack(input_dims, hidden_layers, latent_dims,
                           'relu', 'encoder',
                           output_regularizer=keras.regularizers.l1(lambtha))
    decoder = _dense_stack(latent_dims, hidden_layers[::-1], input_dims,
                           'sigmoid', 'decoder')

    inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(inputs, decoder(encoder(inputs)), name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
