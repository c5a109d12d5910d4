"""The sample-compatible VAE's sampling and loss, against NumPy.

The text's points about each task file's losses are judged in
grading/check/points.py (tests/test_points.py runs them). The VAE of the
task's sample log (sample/3-variational.py) is this project's own: its
encoder outputs (z, log_var, mean), and it decodes the mean.
"""
import numpy as np
import pytest

from conftest import make_constant
from grading.check import reference

# Keras 3.0 to 3.13 do not divide activity penalties by the batch size.
BATCH_SIZES = [1, 7, 512]
# The sample-compatible VAE's output order.
SAMPLE_ORDER = ('z', 'log_var', 'mean')


def whole_batches(x, batch_size, most=8):
    """Return the first whole batches of x: as many as it holds, up to most."""
    return x[:min(len(x) // batch_size, most) * batch_size]


def gaussian_layers(encoder):
    """Return the sample VAE's (mean, log variance) layers, by its order."""
    makers = [output._keras_history[0] for output in encoder.outputs]
    assert [type(layer).__name__ for layer in makers] == [
        'Lambda', 'Dense', 'Dense']
    return (makers[SAMPLE_ORDER.index('mean')],
            makers[SAMPLE_ORDER.index('log_var')])


def test_sample_vae_encoder_outputs_z_log_var_and_mean(sample_vae):
    encoder = sample_vae.autoencoder(10, [8], 2)[0]
    mean_layer, log_var_layer = gaussian_layers(encoder)
    make_constant(mean_layer, 3.0)
    make_constant(log_var_layer, np.log(4.0))
    z, log_var, mean = encoder.predict(np.zeros((20000, 10), 'float32'),
                                       verbose=0, batch_size=20000)
    np.testing.assert_allclose(mean, 3.0, rtol=1e-6)
    np.testing.assert_allclose(log_var, np.log(4.0), rtol=1e-6)
    # z ~ N(3, 2^2): with 40000 draws the mean and std are within 2%.
    assert z.mean() == pytest.approx(3.0, abs=0.05)
    assert z.std() == pytest.approx(2.0, rel=0.02)


@pytest.mark.parametrize('batch_size', BATCH_SIZES)
def test_sample_vae_loss_is_summed_bce_of_the_mean_plus_kl(sample_vae,
                                                           digits,
                                                           batch_size):
    encoder, decoder, auto = sample_vae.autoencoder(784, [512], 2)
    # A large variance: the loss is still exact, since nothing is sampled.
    _, log_var_layer = gaussian_layers(encoder)
    kernel, bias = log_var_layer.get_weights()
    log_var_layer.set_weights([kernel, bias + 1.5])
    x = whole_batches(digits, batch_size)
    _, log_var, mean = encoder.predict(x, verbose=0)
    reconstruction = decoder.predict(mean, verbose=0)
    expected = (reference.summed_bce(x, reconstruction)
                + reference.kl_from_standard_normal(mean, log_var)).mean()
    reported = auto.evaluate(x, x, batch_size=batch_size, verbose=0)
    assert reported == pytest.approx(expected, rel=1e-4)
    np.testing.assert_allclose(auto.predict(x, verbose=0), reconstruction,
                               rtol=1e-5, atol=1e-6)
