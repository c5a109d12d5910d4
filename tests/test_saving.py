"""Each of the twelve models saves to a .keras file and loads back the same.

The VAE's sampler, KL penalty and loss are registered by name when
3-variational is imported, so on Keras 3 loading needs that import and
nothing else. Keras 2 stores the function of every Lambda layer as Python
bytecode, named or not, so on TF 2.15 the VAE's encoder and autoencoder load
only with safe_mode=False, and refuse without it. Keras 3.0 to 3.3 drop
activity penalties when saving, so there the sparse model and the VAE load
back without their penalties: those checks are expected to fail there.
"""
import numpy as np
import pytest
import tensorflow.keras as keras

from conftest import KERAS_3, LOST_ON_SAVING, make_constant

CALLS = [
    ('0-vanilla', (784, [128, 64], 32), (784,)),
    ('1-sparse', (784, [128, 64], 32, 10e-6), (784,)),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8)), (28, 28, 1)),
]


def reload(model, path):
    """Save model to path and load it back."""
    model.save(str(path))
    return keras.models.load_model(str(path))


def reload_with_lambda(model, path):
    """Save a model with the VAE's Lambda layer and load it back.

    Keras 3 loads it safely by the sampler's registered name; Keras 2
    refuses unless told that the file is trusted.
    """
    model.save(str(path))
    if KERAS_3:
        return keras.models.load_model(str(path))
    with pytest.raises(ValueError, match='Lambda'):
        keras.models.load_model(str(path))
    return keras.models.load_model(str(path), safe_mode=False)


def assert_same_weights(model, loaded):
    """Check that loaded holds model's weights, in the same order."""
    ours, theirs = model.get_weights(), loaded.get_weights()
    assert len(ours) == len(theirs) > 0
    for mine, other in zip(ours, theirs):
        np.testing.assert_array_equal(mine, other)


@pytest.mark.parametrize('name, args, input_shape', CALLS)
def test_models_reload_and_predict_the_same(task, tmp_path, name, args,
                                            input_shape):
    encoder, decoder, auto = task(name).autoencoder(*args)
    x = np.random.default_rng(0).random((16,) + input_shape, 'float32')
    auto.fit(x, x, epochs=1, verbose=0)   # so the optimizer has a state too
    code = encoder.predict(x, verbose=0)
    for label, model, data in (('encoder', encoder, x),
                               ('decoder', decoder, code),
                               ('auto', auto, x)):
        loaded = reload(model, tmp_path / (label + '.keras'))
        assert_same_weights(model, loaded)
        np.testing.assert_allclose(loaded.predict(data, verbose=0),
                                   model.predict(data, verbose=0), rtol=1e-6)


@pytest.mark.parametrize('name, args, input_shape', [
    CALLS[0], pytest.param(*CALLS[1], marks=LOST_ON_SAVING), CALLS[2]])
def test_reloaded_autoencoder_reports_the_same_loss(task, tmp_path, name,
                                                    args, input_shape):
    _, _, auto = task(name).autoencoder(*args)
    x = np.random.default_rng(0).random((16,) + input_shape, 'float32')
    auto.fit(x, x, epochs=1, verbose=0)
    loaded = reload(auto, tmp_path / 'auto.keras')
    assert loaded.evaluate(x, x, verbose=0) == \
        pytest.approx(auto.evaluate(x, x, verbose=0), rel=1e-6)


def test_variational_models_reload_with_their_sampler(task, tmp_path):
    encoder, decoder, auto = task('3-variational').autoencoder(784, [64], 2)
    x = np.random.default_rng(0).random((16, 784), 'float32')
    auto.fit(x, x, epochs=1, verbose=0)   # so the optimizer has a state too
    # A variance of e^-40 makes z the mean: the outputs become comparable.
    make_constant(encoder.layers[-2], -40.0)

    loaded_encoder = reload_with_lambda(encoder,
                                        tmp_path / 'encoder.keras')
    assert type(loaded_encoder.layers[-1]).__name__ == 'Lambda'
    for ours, theirs in zip(encoder.predict(x, verbose=0),
                            loaded_encoder.predict(x, verbose=0)):
        np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6)

    loaded_decoder = reload(decoder, tmp_path / 'decoder.keras')
    z = np.random.default_rng(1).standard_normal((16, 2)).astype('float32')
    np.testing.assert_allclose(loaded_decoder.predict(z, verbose=0),
                               decoder.predict(z, verbose=0), rtol=1e-6)

    loaded_auto = reload_with_lambda(auto, tmp_path / 'auto.keras')
    assert_same_weights(auto, loaded_auto)


@LOST_ON_SAVING
def test_reloaded_variational_autoencoder_reports_the_same_loss(task,
                                                                tmp_path):
    encoder, _, auto = task('3-variational').autoencoder(784, [64], 2)
    x = np.random.default_rng(0).random((16, 784), 'float32')
    auto.fit(x, x, epochs=1, verbose=0)
    # A variance of e^-40 makes z the mean: the losses become comparable.
    make_constant(encoder.layers[-2], -40.0)
    # The loss (summed BCE plus both KL penalties) survives the round trip.
    loaded_auto = reload_with_lambda(auto, tmp_path / 'auto.keras')
    assert loaded_auto.evaluate(x, x, verbose=0) == \
        pytest.approx(auto.evaluate(x, x, verbose=0), rel=1e-5)
    # It is the KL, not a stray constant: a variance of e^-40 costs 19.5
    # per latent dim, so the loss is well above the reconstruction alone.
    reconstruction = loaded_auto.predict(x, verbose=0)
    assert loaded_auto.evaluate(x, x, verbose=0) > \
        -np.mean(np.sum(x * np.log(reconstruction)
                        + (1 - x) * np.log(1 - reconstruction), axis=1)) + 38
