"""The loss each autoencoder reports, against NumPy computations of the text.

Tasks 0 and 2 minimise binary cross-entropy averaged over every output;
task 1 adds lambtha times the L1 norm of the code; task 3 sums the
cross-entropy over a sample's outputs and adds the KL divergence of the
encoder's Gaussian from N(0, I). Every loss is a mean over the batch.
"""
import numpy as np
import pytest

from conftest import (
    TextMismatch, expect, expect_all_close, expect_close, make_constant)

EPSILON = 1e-7   # Keras clips probabilities to [eps, 1 - eps]


def binary_crossentropy(targets, probabilities):
    """Return the element-wise binary cross-entropy, computed in float64."""
    p = np.clip(probabilities.astype('float64'), EPSILON, 1 - EPSILON)
    return -(targets * np.log(p) + (1 - targets) * np.log(1 - p))


def kl_from_standard_normal(mean, log_var):
    """Return KL(N(mean, exp(log_var)) || N(0, I)) for each sample."""
    mean, log_var = mean.astype('float64'), log_var.astype('float64')
    return 0.5 * np.sum(mean ** 2 + np.exp(log_var) - log_var - 1, axis=1)


# Keras 3.0 to 3.13 do not divide activity penalties by the batch size, as
# Keras 2 and 3.14+ do: the penalties must be right at every batch size.
BATCH_SIZES = [1, 7, 512]


def whole_batches(x, batch_size, most=8):
    """Return the first whole batches of x: as many as it holds, up to most.

    With batches of one size, every Keras averages them the same way.
    """
    return x[:min(len(x) // batch_size, most) * batch_size]


def reported_loss(auto, x, batch_size=None):
    """Return the loss auto reports on x, in batches of batch_size.

    By default x is one batch.
    """
    return auto.evaluate(x, x, batch_size=batch_size or len(x), verbose=0)


@pytest.mark.text(task='0-vanilla')
def test_vanilla_loss_is_mean_binary_crossentropy(task, digits):
    _, _, auto = task('0-vanilla').autoencoder(784, [128, 64], 32)
    expected = binary_crossentropy(digits, auto.predict(digits, verbose=0))
    expect_close('loss (mean binary cross-entropy)', expected.mean(),
                 reported_loss(auto, digits), rel=1e-4)


@pytest.mark.text(task='2-convolutional')
def test_convolutional_loss_is_mean_binary_crossentropy(task, images):
    _, _, auto = task('2-convolutional').autoencoder((28, 28, 1), [16, 8, 8],
                                                     (4, 4, 8))
    expected = binary_crossentropy(images, auto.predict(images, verbose=0))
    expect_close('loss (mean binary cross-entropy)', expected.mean(),
                 reported_loss(auto, images), rel=1e-4)


# 1e-5 is the task's; 0.01 makes the penalty a large share of the loss.
@pytest.mark.text(task='1-sparse')
@pytest.mark.parametrize('lambtha, batch_size',
                         [(0.0, 512), (10e-6, 512)]
                         + [(0.01, size) for size in BATCH_SIZES])
def test_sparse_loss_adds_l1_of_the_code(task, digits, lambtha, batch_size):
    encoder, decoder, auto = task('1-sparse').autoencoder(784, [128, 64], 32,
                                                          lambtha)
    x = whole_batches(digits, batch_size)
    code = encoder.predict(x, verbose=0).astype('float64')
    reconstruction = decoder.predict(code, verbose=0)
    penalty = lambtha * np.abs(code).sum(axis=1).mean()
    expected = binary_crossentropy(x, reconstruction).mean() + penalty
    expect_close('loss (mean BCE + lambtha * mean L1 of the code) with '
                 'lambtha {} at batch size {}'.format(lambtha, batch_size),
                 expected, reported_loss(auto, x, batch_size), rel=1e-4)
    if lambtha >= 0.01:
        # Here the penalty is far above the tolerance, so a penalty with the
        # wrong scale or on the wrong layer cannot pass.
        expect('the L1 penalty is over 1% of the loss (a code that is not '
               'all zero)', True, penalty > 100 * 1e-4 * expected)


# The text's encoder outputs z, the mean and the log variance, in that order.
TEXT_ORDER = ('z', 'mean', 'log_var')
# The sample-compatible VAE's (sample/3-variational.py).
SAMPLE_ORDER = ('z', 'log_var', 'mean')


def gaussian_layers(encoder, order=TEXT_ORDER):
    """Return the encoder's mean and log variance layers.

    They are the Dense layers behind its outputs, in the given order; z
    comes from the sampling Lambda.
    """
    # _keras_history[0] is the layer that made a symbolic tensor, on Keras 2
    # and 3 alike.
    makers = [output._keras_history[0] for output in encoder.outputs]
    expect('encoder outputs ({})'.format(', '.join(order)),
           ['Lambda' if name == 'z' else 'Dense' for name in order],
           [type(layer).__name__ for layer in makers])
    return makers[order.index('mean')], makers[order.index('log_var')]


def pin_encoder_gaussian(encoder, mean, log_var, order=TEXT_ORDER):
    """Make the encoder output a fixed mean and log variance for any input.

    Zero kernels and chosen biases make the Gaussian known exactly, so the
    sample the encoder draws can be checked against it.
    """
    mean_layer, log_var_layer = gaussian_layers(encoder, order)
    make_constant(mean_layer, mean)
    make_constant(log_var_layer, log_var)


@pytest.mark.text(task='3-variational')
@pytest.mark.parametrize('batch_size', BATCH_SIZES)
def test_variational_loss_is_summed_bce_plus_kl_without_noise(task, digits,
                                                              batch_size):
    encoder, decoder, auto = task('3-variational').autoencoder(784, [512], 2)
    x = whole_batches(digits, batch_size)
    # With a variance of e^-40 the sample is the mean to float precision,
    # which makes the reported loss deterministic and exactly checkable.
    mean_layer, log_var_layer = gaussian_layers(encoder)
    kernel, bias = mean_layer.get_weights()
    mean_layer.set_weights([kernel, bias + 0.3])
    make_constant(log_var_layer, -40.0)
    _, mean, log_var = encoder.predict(x, verbose=0)
    reconstruction = decoder.predict(mean, verbose=0)
    expected = (binary_crossentropy(x, reconstruction).sum(axis=1)
                + kl_from_standard_normal(mean, log_var)).mean()
    expect_close('loss (summed BCE + KL) at batch size {}'.format(batch_size),
                 expected, reported_loss(auto, x, batch_size), rel=1e-4)


@pytest.mark.text(task='3-variational')
def test_variational_loss_averages_to_summed_bce_plus_kl(task, digits):
    encoder, decoder, auto = task('3-variational').autoencoder(784, [512], 2)
    x = digits[:128]
    _, mean, log_var = encoder.predict(x, verbose=0)
    kl = kl_from_standard_normal(mean, log_var).mean()
    # Monte Carlo on both sides: NumPy draws its own samples of z.
    rng = np.random.default_rng(0)
    draws = 20
    reconstruction_terms = []
    for _ in range(draws):
        z = mean + np.exp(log_var / 2) * rng.standard_normal(mean.shape)
        probabilities = decoder.predict(z.astype('float32'), verbose=0)
        reconstruction_terms.append(
            binary_crossentropy(x, probabilities).sum(axis=1).mean())
    expected = np.mean(reconstruction_terms) + kl
    reported = np.mean([reported_loss(auto, x) for _ in range(draws)])
    expect_close('loss (summed BCE of sampled z + KL), averaged over draws',
                 expected, reported, rel=0.02)
    # The KL must be part of it: leaving it out would miss by more.
    in_the_loss = reported - (expected - kl)
    if not abs(in_the_loss) > 0.5 * kl > 0:
        raise TextMismatch(
            'the KL term in the loss (reported {:.6g} minus the summed BCE '
            '{:.6g})'.format(reported, expected - kl),
            float('{:.6g}'.format(kl)), float('{:.6g}'.format(in_the_loss)))


def check_sampling(encoder, order):
    """Check that z ~ N(mean, exp(log_var)) and the outputs' order."""
    pin_encoder_gaussian(encoder, mean=3.0, log_var=np.log(4.0), order=order)
    outputs = encoder.predict(np.zeros((20000, 10), 'float32'), verbose=0,
                              batch_size=20000)
    z, mean, log_var = (outputs[order.index(name)] for name in TEXT_ORDER)
    expect_all_close('the mean output, pinned at 3', 3.0, mean)
    expect_all_close('the log variance output, pinned at log 4', np.log(4.0),
                     log_var)
    # z ~ N(3, 2^2): with 40000 draws the mean and std are within 2%.
    expect('z = mean + exp(log_var / 2) * eps: mean of z', 3.0,
           pytest.approx(z.mean(), abs=0.05))
    expect('z = mean + exp(log_var / 2) * eps: std of z', 2.0,
           pytest.approx(z.std(), rel=0.02))


@pytest.mark.text(task='3-variational')
def test_encoder_samples_z_from_mean_and_log_variance(task):
    check_sampling(task('3-variational').autoencoder(10, [8], 2)[0],
                   TEXT_ORDER)


@pytest.mark.text(task='3-variational')
def test_autoencoder_decodes_the_sample_not_the_mean(task):
    encoder, decoder, auto = task('3-variational').autoencoder(10, [8], 2)
    x = np.random.default_rng(0).random((64, 10)).astype('float32')
    pin_encoder_gaussian(encoder, mean=0.0, log_var=np.log(25.0))
    first, second = auto.predict(x, verbose=0), auto.predict(x, verbose=0)
    expect('auto decodes a new sample of z at every call', True,
           not np.allclose(first, second, atol=1e-3))
    # With almost no variance the sample is the mean, and auto agrees with
    # decoding the mean: the decoder sits on the sampled z.
    pin_encoder_gaussian(encoder, mean=0.5, log_var=-40.0)
    expect_all_close(
        'auto with the variance pinned near 0, against decoding the mean',
        decoder.predict(np.full((64, 2), 0.5, 'float32'), verbose=0),
        auto.predict(x, verbose=0), rtol=1e-5)


def test_sample_vae_encoder_outputs_z_log_var_and_mean(sample_vae):
    check_sampling(sample_vae.autoencoder(10, [8], 2)[0], SAMPLE_ORDER)


@pytest.mark.parametrize('batch_size', BATCH_SIZES)
def test_sample_vae_loss_is_summed_bce_of_the_mean_plus_kl(sample_vae,
                                                           digits,
                                                           batch_size):
    encoder, decoder, auto = sample_vae.autoencoder(784, [512], 2)
    # A large variance: the loss is still exact, since nothing is sampled.
    _, log_var_layer = gaussian_layers(encoder, SAMPLE_ORDER)
    kernel, bias = log_var_layer.get_weights()
    log_var_layer.set_weights([kernel, bias + 1.5])
    x = whole_batches(digits, batch_size)
    _, log_var, mean = encoder.predict(x, verbose=0)
    reconstruction = decoder.predict(mean, verbose=0)
    expected = (binary_crossentropy(x, reconstruction).sum(axis=1)
                + kl_from_standard_normal(mean, log_var)).mean()
    reported = reported_loss(auto, x, batch_size)
    assert reported == pytest.approx(expected, rel=1e-4)
    np.testing.assert_allclose(auto.predict(x, verbose=0), reconstruction,
                               rtol=1e-5, atol=1e-6)
