"""The models each task file builds, layer by layer, against the task's text.

Graders inspect `auto.layers`, each layer's class, activation and shapes,
`auto.loss` and the optimizer; so do these tests, with the expected layers
written out from the text rather than read from the code.
"""
import importlib
import os

import pytest

from conftest import KERAS_3, REPO, expect, expect_close

RELU, SIGMOID, NONE = 'relu', 'sigmoid', 'linear'  # Keras calls None linear


def describe(model):
    """Return (class, activation, output shape, details) for each layer."""
    rows = []
    for layer in model.layers:
        activation = getattr(layer, 'activation', None)
        details = None
        if type(layer).__name__ == 'Conv2D':
            details = (tuple(layer.kernel_size), layer.padding)
        elif type(layer).__name__ == 'MaxPooling2D':
            details = (tuple(layer.pool_size), layer.padding)
        elif type(layer).__name__ == 'UpSampling2D':
            details = tuple(layer.size)
        rows.append((type(layer).__name__,
                     activation.__name__ if activation else None,
                     tuple(layer.output.shape), details))
    return rows


def properties(row):
    """Return a layer's row as {property: value}, its class aside.

    The output shape comes last: a wrong padding or size shows there too,
    but is better named by itself.
    """
    class_name, activation, shape, details = row
    named = {}
    if class_name in ('Conv2D', 'MaxPooling2D'):
        size = 'kernel size' if class_name == 'Conv2D' else 'pool size'
        named[size], named['padding'] = details
    elif class_name == 'UpSampling2D':
        named['size'] = details
    named.update({'activation': activation, 'output shape': shape})
    return named


def expect_layers(model_name, expected, found):
    """Fail on the first property of found's layers that expected lacks.

    The failure names the layer and the property, for example
    "decoder layer 5 (Conv2D): padding: expected 'valid', found 'same'".
    """
    expect('{} layer classes'.format(model_name),
           [row[0] for row in expected], [row[0] for row in found])
    for number, (wanted, got) in enumerate(zip(expected, found)):
        found_properties = properties(got)
        for name, value in properties(wanted).items():
            expect('{} layer {} ({}): {}'.format(model_name, number,
                                                 wanted[0], name),
                   value, found_properties[name])


def dense(units, activation):
    """The row of a Dense layer."""
    return ('Dense', activation, (None, units), None)


def inputs(*shape):
    """The row of an input layer."""
    return ('InputLayer', None, (None,) + shape, None)


def dense_models(input_dims, hidden_layers, latent_dims):
    """The encoder and decoder the text asks of tasks 0 and 1."""
    encoder = [inputs(input_dims)]
    encoder += [dense(units, RELU) for units in hidden_layers]
    encoder += [dense(latent_dims, RELU)]
    decoder = [inputs(latent_dims)]
    decoder += [dense(units, RELU) for units in reversed(hidden_layers)]
    decoder += [dense(input_dims, SIGMOID)]
    return encoder, decoder


DENSE_CALLS = [
    (784, [128, 64], 32),   # the task's call
    (784, [], 16),          # no hidden layer: straight to the code
    (100, (50, 20, 10), 3),
]


def check_autoencoder(encoder, decoder, auto, input_shape):
    """Check what graders check of auto: its layers and optimizer."""
    expect('auto.layers', ['InputLayer', 'encoder', 'decoder'],
           ['encoder' if layer is encoder else 'decoder' if layer is decoder
            else type(layer).__name__ for layer in auto.layers])
    expect('auto input shape', (None,) + input_shape, tuple(auto.input.shape))
    expect('auto output shape', (None,) + input_shape,
           tuple(auto.output.shape))
    expect('optimizer', 'Adam', type(auto.optimizer).__name__)


@pytest.mark.text(task='1-sparse')
def test_sparse_regularizes_the_code_only(task):
    encoder, decoder, _ = task('1-sparse').autoencoder(784, [128, 64], 32,
                                                       1e-5)
    regularized = ['{} layer {}'.format(model.name, number)
                   for model in (encoder, decoder)
                   for number, layer in enumerate(model.layers)
                   if getattr(layer, 'activity_regularizer', None)]
    last = len(encoder.layers) - 1
    expect('layers with an activity penalty',
           ['{} layer {}'.format(encoder.name, last)], regularized)
    penalty = encoder.layers[-1].activity_regularizer
    if KERAS_3 and type(penalty).__name__ == 'BatchMean':
        # Keras 3.0 to 3.13 leave the division by the batch size to it.
        penalty = penalty.penalty
    expect('code penalty', 'L1', type(penalty).__name__)
    expect_close('code penalty strength (lambtha)', 1e-5, float(penalty.l1),
                 rel=1e-6)


CONV, POOL, UP = 'Conv2D', 'MaxPooling2D', 'UpSampling2D'
K3, P2 = (3, 3), (2, 2)

# The task's call, ((28, 28, 1), [16, 8, 8], (4, 4, 8)), read off the text:
# 3x3 same relu convolutions each followed by 2x2 pooling (7x7 -> 4x4 needs
# same padding), then the filters reversed with upsampling, the second to
# last convolution valid, the last sigmoid with 1 filter and no upsampling.
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


def conv_models(input_dims, filters, latent_dims):
    """The encoder and decoder the text asks of task 2, for any call."""
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
        if position == len(filters) - 1:   # the second to last: valid
            height, width = height - 2, width - 2
        decoder.append((CONV, RELU, (None, height, width, count),
                        (K3, 'valid' if position == len(filters) - 1
                         else 'same')))
        height, width = 2 * height, 2 * width
        decoder.append((UP, None, (None, height, width, count), P2))
    decoder.append((CONV, SIGMOID, (None, height, width, channels),
                    (K3, 'same')))
    return encoder, decoder


CONV_CALLS = [
    ((28, 28, 1), [16, 8, 8], (4, 4, 8)),        # the task's call
    ((28, 28, 1), (32, 16, 8, 4), (2, 2, 4)),    # four steps, as a tuple
    ((20, 12, 3), [6, 5, 4], (3, 2, 4)),         # not square, 3 channels
]


def test_the_rules_reproduce_the_task_table():
    assert conv_models(*CONV_CALLS[0]) == (TASK_CONV_ENCODER,
                                           TASK_CONV_DECODER)


# (task file, arguments, the layers the text asks for, the input's shape)
BCE_MODELS = (
    [('0-vanilla', args, dense_models(*args), (args[0],))
     for args in DENSE_CALLS]
    + [('1-sparse', args + (1e-5,), dense_models(*args), (args[0],))
       for args in DENSE_CALLS]
    + [('2-convolutional', args, conv_models(*args), args[0])
       for args in CONV_CALLS])


@pytest.mark.text
@pytest.mark.parametrize(
    'name, args, expected, input_shape', BCE_MODELS,
    ids=['{}{}'.format(name, args) for name, args, _, _ in BCE_MODELS])
def test_layers_follow_the_text(task, name, args, expected, input_shape):
    encoder, decoder, auto = task(name).autoencoder(*args)
    expect_layers('encoder', expected[0], describe(encoder))
    expect_layers('decoder', expected[1], describe(decoder))
    check_autoencoder(encoder, decoder, auto, input_shape)
    expect('loss', 'binary_crossentropy', auto.loss)


@pytest.mark.text(task='2-convolutional')
def test_convolutional_matches_the_task_table(task):
    encoder, decoder, _ = task('2-convolutional').autoencoder(*CONV_CALLS[0])
    expect_layers('encoder', TASK_CONV_ENCODER, describe(encoder))
    expect_layers('decoder', TASK_CONV_DECODER, describe(decoder))


VAE_CALLS = [
    (784, [512], 2),         # the task's call
    (784, [256, 128], 8),
    (50, [], 3),
]


@pytest.mark.text(task='3-variational')
@pytest.mark.parametrize('input_dims, hidden_layers, latent_dims', VAE_CALLS)
def test_variational_layers_follow_the_text(task, input_dims, hidden_layers,
                                            latent_dims):
    encoder, decoder, auto = task('3-variational').autoencoder(
        input_dims, hidden_layers, latent_dims)
    # The decoder is the dense models' one; the encoder replaces their code
    # layer by the mean and log variance (no activation) and the sampler.
    dense_encoder, expected_decoder = dense_models(input_dims, hidden_layers,
                                                   latent_dims)
    expected_encoder = dense_encoder[:-1] + [
        dense(latent_dims, NONE), dense(latent_dims, NONE),
        ('Lambda', None, (None, latent_dims), None)]
    expect_layers('encoder', expected_encoder, describe(encoder))
    expect_layers('decoder', expected_decoder, describe(decoder))
    expect('encoder output shapes', [(None, latent_dims)] * 3,
           [tuple(output.shape) for output in encoder.outputs])
    check_autoencoder(encoder, decoder, auto, (input_dims,))


def test_sample_vae_has_the_text_vaes_layers(sample_vae):
    encoder, decoder, auto = sample_vae.autoencoder(784, [512], 2)
    dense_encoder, expected_decoder = dense_models(784, [512], 2)
    assert describe(encoder) == dense_encoder[:-1] + [
        dense(2, NONE), dense(2, NONE), ('Lambda', None, (None, 2), None)]
    assert describe(decoder) == expected_decoder
    check_autoencoder(encoder, decoder, auto, (784,))


def test_top_level_import_finds_the_texts_vae(sample_vae):
    # As graders import it, from the repository's top level (on sys.path).
    graded = importlib.import_module('3-variational')
    assert graded.__file__ == os.path.join(REPO, '3-variational.py')
    assert sample_vae.__file__ != graded.__file__
