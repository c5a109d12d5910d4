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


# Registered by name so that a saved model loads back on Keras 3 too, once
# this file has been imported.
_register = keras.utils.register_keras_serializable(package='sparse')


def _keras_averages_activity_penalties():
    """Tell whether Keras divides activity penalties by the batch size.

    Keras 2 and Keras 3.14+ do; Keras 3.0 to 3.13 add them whole (Keras
    issue 22018). A penalty of 1 per sample on a batch of two shows which:
    the layer reports 1 or 2.
    """
    probe = keras.layers.Activation(
        'linear', activity_regularizer=keras.regularizers.l1(1.0),
        name='activity_penalty_probe')
    probe(keras.backend.constant(1.0, shape=(2, 1)))
    return float(probe.losses[0]) == 1.0


@_register
class BatchMean(keras.regularizers.Regularizer):
    """An activity penalty divided by the batch size.

    On Keras 3.0 to 3.13 it does what every other Keras does to an activity
    penalty, so that the loss gains the penalty's mean over the batch.
    """

    def __init__(self, penalty):
        """Wrap penalty, a regularizer."""
        self.penalty = penalty

    def __call__(self, activity):
        """Return the penalty of a batch divided by its size."""
        batch_size = keras.backend.cast(keras.backend.shape(activity)[0],
                                        activity.dtype)
        return self.penalty(activity) / batch_size

    def get_config(self):
        """Return the configuration: the wrapped penalty's."""
        return {'penalty': keras.regularizers.serialize(self.penalty)}

    @classmethod
    def from_config(cls, config):
        """Rebuild the wrapper from get_config's output."""
        return cls(keras.regularizers.deserialize(config['penalty']))


def _batch_averaged(penalty, keras_averages):
    """Return penalty as an activity regularizer averaged over the batch."""
    return penalty if keras_averages else BatchMean(penalty)


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

    # The loss gains lambtha times the batch mean of each code's L1 norm.
    code_penalty = _batch_averaged(keras.regularizers.l1(lambtha),
                                   _keras_averages_activity_penalties())
    encoder = _dense_stack(input_dims, hidden_layers, latent_dims,
                           'relu', 'encoder', output_regularizer=code_penalty)
    decoder = _dense_stack(latent_dims, hidden_layers[::-1], input_dims,
                           'sigmoid', 'decoder')

    inputs = keras.Input(shape=(input_dims,))
    auto = keras.Model(inputs, decoder(encoder(inputs)), name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
