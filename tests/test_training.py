"""A few training steps on a small MNIST slice lower every model's loss."""
import pytest

MODELS = [
    ('0-vanilla', (784, [128, 64], 32), 'digits'),
    ('1-sparse', (784, [128, 64], 32, 10e-6), 'digits'),
    ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8)), 'images'),
    ('3-variational', (784, [512], 2), 'digits'),
]


@pytest.mark.parametrize('name, args, data', MODELS)
def test_training_lowers_the_loss(task, request, name, args, data):
    x = request.getfixturevalue(data)
    _, _, auto = task(name).autoencoder(*args)
    before = auto.evaluate(x, x, batch_size=len(x), verbose=0)
    history = auto.fit(x, x, epochs=3, batch_size=64, shuffle=True,
                       verbose=0)
    after = auto.evaluate(x, x, batch_size=len(x), verbose=0)
    assert len(history.history['loss']) == 3
    # 24 steps of adam take every model well below its starting loss.
    assert after < 0.9 * before
