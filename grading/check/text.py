"""What the assignment's text asks each task file to build, layer by layer.

A layer is a row (class, activation, output shape, details): details are
(kernel size, padding) for a convolution, (pool size, padding) for pooling,
the size for upsampling, None otherwise. The rows are read off the text,
not off any solution, and serve both the judge (grading/check/points.py) and
the NumPy models that recompute what a solution reports
(grading/check/reference.py).
"""
RELU, SIGMOID, NONE = 'relu', 'sigmoid', 'linear'   # Keras calls None linear
CONV, POOL, UP = 'Conv2D', 'MaxPooling2D', 'UpSampling2D'
# The VAE's sampling layer: the text names no class, so any layer without
# weights will do (the graders' checker reads Lambda: a convention point).
SAMPLER = 'a layer without weights'
K3, P2 = (3, 3), (2, 2)
# Keras's Adam, as the text's "adam optimization" compiles it by default.
# The house rules: the first line and the one import every task file has.
SHEBANG = '#!/usr/bin/env python3'
IMPORT = 'import tensorflow.keras as keras'
# The text's signature of each task's function.
SIGNATURES = {
    '0-vanilla': 'def autoencoder(input_dims, hidden_layers, latent_dims):',
    '1-sparse': 'def autoencoder(input_dims, hidden_layers, latent_dims, '
                'lambtha):',
    '2-convolutional': 'def autoencoder(input_dims, filters, latent_dims):',
    '3-variational': 'def autoencoder(input_dims, hidden_layers, '
                     'latent_dims):',
}
ADAM = {'learning_rate': 0.001, 'beta_1': 0.9, 'beta_2': 0.999,
        'epsilon': 1e-7}


def dense(units, activation):
    """The row of a Dense layer."""
    return ('Dense', activation, (None, units), None)


def inputs(*shape):
    """The row of an input layer."""
    return ('InputLayer', None, (None,) + tuple(shape), None)


def dense_models(input_dims, hidden_layers, latent_dims):
    """The encoder and decoder the text asks of tasks 0 and 1."""
    encoder = [inputs(input_dims)]
    encoder += [dense(units, RELU) for units in hidden_layers]
    encoder += [dense(latent_dims, RELU)]
    decoder = [inputs(latent_dims)]
    decoder += [dense(units, RELU) for units in reversed(hidden_layers)]
    decoder += [dense(input_dims, SIGMOID)]
    return encoder, decoder


def conv_models(input_dims, filters, latent_dims):
    """The encoder and decoder the text asks of task 2, for any call.

    3x3 same relu convolutions each followed by 2x2 same pooling (7x7 ->
    4x4 needs same padding), then the filters reversed with upsampling, the
    second to last convolution valid, the last sigmoid with as many filters
    as the input has channels and no upsampling.
    """
    height, width, channels = input_dims
    encoder = [inputs(*input_dims)]
    for count in filters:
        encoder.append((CONV, RELU, (None, height, width, count),
                        (K3, 'same')))
        height, width = -(-height // 2), -(-width // 2)
        encoder.append((POOL, None, (None, height, width, count),
                        (P2, 'same')))
    decoder = [inputs(*latent_dims)]
    height, width = latent_dims[:2]
    for position, count in enumerate(reversed(filters)):
        valid = position == len(filters) - 1   # the second to last
        if valid:
            height, width = height - 2, width - 2
        decoder.append((CONV, RELU, (None, height, width, count),
                        (K3, 'valid' if valid else 'same')))
        height, width = 2 * height, 2 * width
        decoder.append((UP, None, (None, height, width, count), P2))
    decoder.append((CONV, SIGMOID, (None, height, width, channels),
                    (K3, 'same')))
    return encoder, decoder


def variational_models(input_dims, hidden_layers, latent_dims):
    """The encoder and decoder the text asks of task 3.

    The decoder is the dense models' one; the encoder replaces their code
    layer by the mean and the log variance (no activation), then samples z.
    """
    dense_encoder, decoder = dense_models(input_dims, hidden_layers,
                                          latent_dims)
    encoder = dense_encoder[:-1] + [
        dense(latent_dims, NONE), dense(latent_dims, NONE),
        (SAMPLER, None, (None, latent_dims), None)]
    return encoder, decoder


# The task's call, ((28, 28, 1), [16, 8, 8], (4, 4, 8)), written out.
TASK_CONV_ENCODER = [
    inputs(28, 28, 1),
    (CONV, RELU, (None, 28, 28, 16), (K3, 'same')),
    (POOL, None, (None, 14, 14, 16), (P2, 'same')),
    (CONV, RELU, (None, 14, 14, 8), (K3, 'same')),
    (POOL, None, (None, 7, 7, 8), (P2, 'same')),
    (CONV, RELU, (None, 7, 7, 8), (K3, 'same')),
    (POOL, None, (None, 4, 4, 8), (P2, 'same')),
]
TASK_CONV_DECODER = [
    inputs(4, 4, 8),
    (CONV, RELU, (None, 4, 4, 8), (K3, 'same')),
    (UP, None, (None, 8, 8, 8), P2),
    (CONV, RELU, (None, 8, 8, 8), (K3, 'same')),
    (UP, None, (None, 16, 16, 8), P2),
    (CONV, RELU, (None, 14, 14, 16), (K3, 'valid')),
    (UP, None, (None, 28, 28, 16), P2),
    (CONV, SIGMOID, (None, 28, 28, 1), (K3, 'same')),
]

# The calls the structure points try: the task's first, then others.
DENSE_CALLS = [
    (784, [128, 64], 32),
    (784, [], 16),            # no hidden layer: straight to the code
    (100, (50, 20, 10), 3),
]
SPARSE_CALLS = [args + (1e-5,) for args in DENSE_CALLS]
CONV_CALLS = [
    ((28, 28, 1), [16, 8, 8], (4, 4, 8)),
    ((28, 28, 1), (32, 16, 8, 4), (2, 2, 4)),    # four steps, as a tuple
    ((20, 12, 3), [6, 5, 4], (3, 2, 4)),         # not square, 3 channels
]
VAE_CALLS = [
    (784, [512], 2),
    (784, [256, 128], 8),
    (50, [], 3),
]
# The text's encoder outputs z, the mean and the log variance, in order.
TEXT_ORDER = ('z', 'mean', 'log_var')


def expected_models(task, args):
    """Return the (encoder, decoder) rows the text asks of task for args."""
    if task == '2-convolutional':
        return conv_models(*args)
    if task == '3-variational':
        return variational_models(*args)
    return dense_models(*args[:3])
