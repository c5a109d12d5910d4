"""What each autoencoder accepts and refuses, and that it leaves its inputs be.

Every refusal must be a ValueError or TypeError that names the parameter and
shows the value received, raised before any Keras layer is built. That is
this project's promise; the text asks only that the caller's lists are left
as they were, a text point (grading/check/points.py).
"""
import numpy as np
import pytest
import tensorflow.keras as keras

NAN, INF = float('nan'), float('inf')

GOOD_CALLS = [
    ('0-vanilla', (784, [128, 64], 32)),
    ('0-vanilla', (np.int64(784), (np.int32(128),), np.int64(2))),
    ('0-vanilla', (20, [], 4)),
    ('1-sparse', (784, [128, 64], 32, 10e-6)),
    ('1-sparse', (784, (64,), 32, 0)),
    ('1-sparse', (784, [64], 32, np.float32(0.5))),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    ('2-convolutional', ([28, 28, 1], (16, 8, 8), [4, 4, 8])),
    ('2-convolutional', ((np.int64(28), 28, 1), [np.int64(16), 8, 8],
                         (4, 4, 8))),
    ('3-variational', (784, [512], 2)),
    ('3-variational', (784, (), np.int64(3))),
]


@pytest.mark.parametrize('name, args', GOOD_CALLS)
def test_accepts(task, name, args):
    encoder, decoder, auto = task(name).autoencoder(*args)
    assert auto.layers[1:] == [encoder, decoder]


# (task file, arguments, exception, the parameter and value it must show)
BAD_CALLS = [
    ('0-vanilla', (784.0, [128], 32), TypeError, ['input_dims', '784.0']),
    ('0-vanilla', ('784', [128], 32), TypeError, ['input_dims', "'784'"]),
    ('0-vanilla', (True, [128], 32), TypeError, ['input_dims', 'True']),
    ('0-vanilla', (0, [128], 32), ValueError, ['input_dims', '0']),
    ('0-vanilla', (-784, [128], 32), ValueError, ['input_dims', '-784']),
    ('0-vanilla', (784, 128, 32), TypeError, ['hidden_layers', '128']),
    ('0-vanilla', (784, '128', 32), TypeError, ['hidden_layers', "'128'"]),
    ('0-vanilla', (784, None, 32), TypeError, ['hidden_layers', 'None']),
    ('0-vanilla', (784, [128, 0], 32), ValueError, ['hidden_layers[1]', '0']),
    ('0-vanilla', (784, [128, 6.5], 32), TypeError,
     ['hidden_layers[1]', '6.5']),
    ('0-vanilla', (784, [128], None), TypeError, ['latent_dims', 'None']),
    ('0-vanilla', (784, [128], -2), ValueError, ['latent_dims', '-2']),
    ('1-sparse', (784, [128], 32, -1e-5), ValueError, ['lambtha', '-1e-05']),
    ('1-sparse', (784, [128], 32, NAN), ValueError, ['lambtha', 'nan']),
    ('1-sparse', (784, [128], 32, INF), ValueError, ['lambtha', 'inf']),
    ('1-sparse', (784, [128], 32, '1e-5'), TypeError, ['lambtha', "'1e-5'"]),
    ('1-sparse', (784, [128], 32, None), TypeError, ['lambtha', 'None']),
    ('1-sparse', (784, [128], 32, True), TypeError, ['lambtha', 'True']),
    ('1-sparse', (784, [128, -1], 32, 1e-5), ValueError,
     ['hidden_layers[1]', '-1']),
    ('1-sparse', (784, [128], 0, 1e-5), ValueError, ['latent_dims', '0']),
    ('2-convolutional', ((28, 28), [16, 8, 8], (4, 4, 8)), ValueError,
     ['input_dims', '(28, 28)']),
    ('2-convolutional', (784, [16, 8, 8], (4, 4, 8)), TypeError,
     ['input_dims', '784']),
    ('2-convolutional', ((28, 28, 0), [16, 8, 8], (4, 4, 8)), ValueError,
     ['input_dims[2]', '0']),
    ('2-convolutional', ((28, 28, 1), [], (4, 4, 8)), ValueError,
     ['filters', '[]']),
    ('2-convolutional', ((28, 28, 1), 16, (4, 4, 8)), TypeError,
     ['filters', '16']),
    ('2-convolutional', ((28, 28, 1), [16, -8, 8], (4, 4, 8)), ValueError,
     ['filters[1]', '-8']),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4)), ValueError,
     ['latent_dims', '(4, 4)']),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 2.0)), TypeError,
     ['latent_dims[2]', '2.0']),
    # The encoder makes (4, 4, 8) of this input: any other code is refused,
    # with the shape it would have needed.
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 16)), ValueError,
     ['latent_dims', '(4, 4, 16)', '(4, 4, 8)']),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (7, 7, 8)), ValueError,
     ['latent_dims', '(7, 7, 8)', '(4, 4, 8)']),
    # The decoder grows 4x4 back to 28x28 only: 32x32 cannot be rebuilt,
    # and neither can 28x28 from two steps (7 -> 12 -> 24).
    ('2-convolutional', ((32, 32, 1), [16, 8, 8], (4, 4, 8)), ValueError,
     ['input_dims', '(32, 32, 1)', '28x28']),
    ('2-convolutional', ((28, 28, 1), [16, 8], (7, 7, 8)), ValueError,
     ['input_dims', '(28, 28, 1)', 'filters', '[16, 8]', '24x24']),
    ('3-variational', (784.5, [512], 2), TypeError, ['input_dims', '784.5']),
    ('3-variational', (784, {512}, 2), TypeError, ['hidden_layers', '{512}']),
    ('3-variational', (784, [512, 0], 2), ValueError,
     ['hidden_layers[1]', '0']),
    ('3-variational', (784, [512], 0), ValueError, ['latent_dims', '0']),
]


@pytest.fixture
def no_layers(monkeypatch):
    """Make building any Keras layer or model fail the test."""
    def built(*args, **kwargs):
        raise AssertionError('a Keras layer was built before the refusal')
    monkeypatch.setattr(keras, 'Input', built)
    monkeypatch.setattr(keras, 'Model', built)
    for layer in ('Dense', 'Conv2D', 'MaxPooling2D', 'UpSampling2D',
                  'Lambda'):
        monkeypatch.setattr(keras.layers, layer, built)


@pytest.mark.parametrize('name, args, error, shown', BAD_CALLS)
def test_refuses_before_building(task, no_layers, name, args, error, shown):
    with pytest.raises(error) as refusal:
        task(name).autoencoder(*args)
    message = str(refusal.value)
    for text in shown:
        assert text in message


def test_refusals_are_value_or_type_errors_only():
    assert {error for _, _, error, _ in BAD_CALLS} == {ValueError, TypeError}


@pytest.mark.parametrize('name, args', [
    ('0-vanilla', (784, [128, 64], 32)),
    ('1-sparse', (784, [128, 64], 32, 1e-5)),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    ('2-convolutional', ([28, 28, 1], [16, 8, 8], [4, 4, 8])),
    ('3-variational', (784, [512, 256], 2)),
])
def test_leaves_its_arguments_as_passed(task, name, args):
    copies = [list(arg) if isinstance(arg, list) else arg for arg in args]
    task(name).autoencoder(*args)
    assert list(args) == copies
