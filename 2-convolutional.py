#!/usr/bin/env python3
"""A convolutional autoencoder for images such as 28x28x1 MNIST digits.

The encoder alternates 3x3 convolutions with 2x2 max pooling, halving the
image at every step; the decoder alternates convolutions with 2x2
upsampling to grow it back. One unpadded convolution trims the decoder's
image by two pixels so that, for MNIST, 4x4 grows back to 28x28 exactly.
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


def _sizes(name, values, length=None):
    """Return a tuple of positive ints from a non-empty list or tuple.

    With length given, exactly that many values are required.
    """
    wanted = 'a {}-tuple'.format(length) if length else 'a list or tuple'
    if not isinstance(values, (list, tuple)):
        raise TypeError('{} must be {} of positive integers, got {!r}'
                        .format(name, wanted, values))
    if not values or (length and len(values) != length):
        raise ValueError('{} must be {} of positive integers, got {!r}'
                         .format(name, wanted, values))
    return tuple(_size('{}[{}]'.format(name, i), value)
                 for i, value in enumerate(values))


def _encoded_shape(input_dims, filters):
    """Return the shape the encoder produces from input_dims.

    Each 2x2 pooling with same padding rounds an odd side up: 7 -> 4.
    """
    height, width = input_dims[0], input_dims[1]
    for _ in filters:
        height, width = (height + 1) // 2, (width + 1) // 2
    return (height, width, filters[-1])


def _decoded_side(side, steps):
    """Return the side the decoder grows from an encoded side, or 0.

    The decoder upsamples once per filter; before the last upsampling its
    3x3 valid convolution takes two pixels off (0 if nothing would be left).
    """
    side = side * 2 ** (steps - 1) - 2
    return 2 * side if side > 0 else 0


def _check_shapes(input_dims, filters, latent_dims):
    """Refuse arguments whose encoder and decoder cannot fit together."""
    encoded = _encoded_shape(input_dims, filters)
    if latent_dims != encoded:
        raise ValueError('latent_dims must be {}, the shape the encoder '
                         'produces from input_dims {} with filters {}, '
                         'got {}'.format(encoded, input_dims, list(filters),
                                         latent_dims))
    decoded = tuple(_decoded_side(side, len(filters))
                    for side in encoded[:2])
    if decoded != input_dims[:2]:
        raise ValueError('input_dims {} cannot be rebuilt with filters {}: '
                         'the decoder would produce {}x{} images'
                         .format(input_dims, list(filters), *decoded))


def _conv(filters, activation='relu', padding='same'):
    """Return a 3x3 convolution layer."""
    return keras.layers.Conv2D(filters, (3, 3), padding=padding,
                               activation=activation)


def _build_encoder(input_dims, filters):
    """Build the encoder: each convolution is followed by max pooling."""
    inputs = keras.Input(shape=input_dims)
    x = inputs
    for count in filters:
        x = _conv(count)(x)
        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)
    return keras.Model(inputs, x, name='encoder')


def _build_decoder(latent_dims, filters, channels):
    """Build the decoder, whose filters run in reverse of the encoder's.

    Each convolution is followed by upsampling; the second to last uses
    valid padding, and the last maps to the input's channels with a
    sigmoid and no upsampling.
    """
    inputs = keras.Input(shape=latent_dims)
    x = inputs
    reversed_filters = filters[::-1]
    for count in reversed_filters[:-1]:
        x = _conv(count)(x)
        x = keras.layers.UpSampling2D((2, 2))(x)
    x = _conv(reversed_filters[-1], padding='valid')(x)
    x = keras.layers.UpSampling2D((2, 2))(x)
    outputs = _conv(channels, activation='sigmoid')(x)
    return keras.Model(inputs, outputs, name='decoder')


def autoencoder(input_dims, filters, latent_dims):
    """Create a convolutional autoencoder.

    Args:
        input_dims: tuple of 3 ints, the (height, width, channels) of each
            input image.
        filters: list or tuple of ints, the number of filters of each
            convolution in the encoder; the decoder uses them in reverse.
        latent_dims: tuple of 3 ints, the shape of the latent code; it must
            be the shape the encoder produces.

    Returns:
        (encoder, decoder, auto): the encoder model, the decoder model and
        the full autoencoder, compiled with adam and binary cross-entropy.
    """
    input_dims = _sizes('input_dims', input_dims, length=3)
    filters = _sizes('filters', filters)
    latent_dims = _sizes('latent_dims', latent_dims, length=3)
    _check_shapes(input_dims, filters, latent_dims)

    encoder = _build_encoder(input_dims, filters)
    decoder = _build_decoder(latent_dims, filters, input_dims[-1])

    inputs = keras.Input(shape=input_dims)
    auto = keras.Model(inputs, decoder(encoder(inputs)), name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
