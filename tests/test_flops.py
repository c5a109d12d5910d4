"""The FLOP counts behind the performance report, against hand arithmetic."""
import pytest

from lab.performance import flops


def dense_training_flops(sizes):
    """Training FLOPs per sample of a chain of Dense layers, by hand.

    Forward 2*m*n + n per layer; backward 2*m*n for the weights plus 2*m*n
    for the input, except at the first layer, which reads the data.
    """
    pairs = list(zip(sizes[:-1], sizes[1:]))
    forward = sum(2 * m * n + n for m, n in pairs)
    backward = sum(2 * m * n for m, n in pairs) \
        + sum(2 * m * n for m, n in pairs[1:])
    return forward, forward + backward


@pytest.mark.parametrize('name, args, sizes', [
    ('0-vanilla', (784, [128, 64], 32), [784, 128, 64, 32, 64, 128, 784]),
    ('1-sparse', (784, [128, 64], 32, 1e-5),
     [784, 128, 64, 32, 64, 128, 784]),
])
def test_dense_counts(task, name, args, sizes):
    _, _, auto = task(name).autoencoder(*args)
    assert flops.count(auto) == dense_training_flops(sizes)


def test_vanilla_count_in_numbers(task):
    _, _, auto = task('0-vanilla').autoencoder(784, [128, 64], 32)
    # 221,184 multiply-adds and 1,200 biases forward.
    assert flops.count(auto) == (443568, 1127600)


def test_convolutional_count(task):
    _, _, auto = task('2-convolutional').autoencoder((28, 28, 1), [16, 8, 8],
                                                     (4, 4, 8))
    # (output pixels, filters, 3*3*input channels) of each convolution in
    # the text's order; the first reads the data, so has no input gradient.
    convolutions = [(28 * 28, 16, 9 * 1), (14 * 14, 8, 9 * 16),
                    (7 * 7, 8, 9 * 8), (4 * 4, 8, 9 * 8), (8 * 8, 8, 9 * 8),
                    (14 * 14, 16, 9 * 8), (28 * 28, 1, 9 * 16)]
    macs = [p * f * k for p, f, k in convolutions]
    biases = [p * f for p, f, _ in convolutions]
    forward = 2 * sum(macs) + sum(biases)
    training = forward + 2 * sum(macs) + 2 * sum(macs[1:])
    assert flops.count(auto) == (forward, training)


def test_variational_count(task):
    _, _, auto = task('3-variational').autoencoder(784, [512], 2)
    # The mean and log-variance layers both read the 512 hidden units.
    layers = [(784, 512), (512, 2), (512, 2), (2, 512), (512, 784)]
    forward = sum(2 * m * n + n for m, n in layers)
    training = forward + sum(2 * m * n for m, n in layers) \
        + sum(2 * m * n for m, n in layers[1:])
    assert flops.count(auto) == (forward, training)
