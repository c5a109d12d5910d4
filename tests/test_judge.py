"""The judge: it trusts no observation, and its NumPy is the text's arithmetic.

Observations of our own files, gathered in this process, are forged here
by hand, as a child could forge them: a decoder that claims sigmoid but
reports other outputs, another model's outputs, a step that is not Adam's,
a loss off by a little, and data of the wrong shapes or types. Each fails
its point with a reason; nothing crashes the judge. The NumPy layers'
gradients are checked against finite differences.
"""
import copy

import numpy as np
import pytest

from grading.check import points, reference, text


def point_named(task, name):
    return next(point for point in points.task_points(task)
                if point.name == name)


VANILLA = 'layers follow the text [0-vanilla(784, [128, 64], 32)]'
VAE = 'variational layers follow the text [784-hidden_layers0-2]'


def judge_forged(judged, task, name, forge):
    """Judge a point on a forged copy of our observations; return failure."""
    plan, inputs, observations, arrays, file = judged(task)
    observations, arrays = copy.deepcopy(observations), dict(arrays)
    forge(observations, arrays)
    return points.judge_point(point_named(task, name), plan, inputs,
                              observations, arrays, file)


def test_our_observations_pass_unforged(judged):
    assert judge_forged(judged, '0-vanilla', VANILLA, lambda o, a: None) \
        is None


# Where our observations of the first structure experiment keep each step.
ENCODED, DECODED, RECONSTRUCTED, TRAINED = (
    'structure 0.2.', 'structure 0.3.', 'structure 0.4.', 'structure 0.6.')


def relu_outputs(observations, arrays):
    """Report the decoder's outputs as relu, while it still claims sigmoid."""
    for key in (DECODED + '0', RECONSTRUCTED + '0'):
        logits = np.log(arrays[key]) - np.log1p(-arrays[key])
        arrays[key] = np.maximum(logits, 0).astype('float32')


def other_models_outputs(observations, arrays):
    """Report the encoder outputs of another model with the same layers."""
    arrays[ENCODED + '0'] = np.roll(arrays[ENCODED + '0'], 1, axis=1)


def trained_steps(arrays, scale):
    """Scale every training step's move of the weights by scale."""
    for name in sorted(arrays):
        if name.startswith(TRAINED):
            step, rest = name[len(TRAINED):].split('.', 1)
            before = arrays.get('{}{}.{}'.format(TRAINED, int(step) - 1,
                                                 rest))
            if before is not None:
                arrays[name] = before + scale * (arrays[name] - before)


def half_steps(observations, arrays):
    """Report weights moved half as far as Adam moved them."""
    trained_steps(arrays, 0.5)


def no_steps(observations, arrays):
    """Report weights that stop moving after the first step."""
    trained_steps(arrays, 0.0)


def nan_weights(observations, arrays):
    """Report the trained weights as NaN, as a forged observer might."""
    for name in list(arrays):
        if name.startswith(TRAINED):
            arrays[name] = np.full_like(arrays[name], np.nan)


@pytest.mark.parametrize('forge, shows', [
    (relu_outputs, "decoder output on the judge's codes and weights"),
    (other_models_outputs, "encoder output on the judge's inputs"),
    (half_steps, 'training step 2 of '),
    (no_steps, 'training step 2 of '),
    (nan_weights, 'training step 1 of '),
], ids=['sigmoid claimed, relu reported', "another model's outputs",
        'half steps after the first', 'no step after the first',
        'NaN weights'])
def test_an_observation_inconsistent_with_itself_fails(judged, forge, shows):
    failure = judge_forged(judged, '0-vanilla', VANILLA, forge)
    assert failure is not None and failure.point.startswith(shows), \
        failure


def loss_off_by_a_little(observations, arrays):
    steps = observations['experiments']['loss']['steps']
    steps[3]['losses'] = [loss * 1.001 for loss in steps[3]['losses']]


def loss_is_nan(observations, arrays):
    steps = observations['experiments']['loss']['steps']
    steps[3]['losses'] = [float('nan')]


@pytest.mark.parametrize('forge, shows', [
    (loss_off_by_a_little, 'loss (summed BCE + KL) at batch size 512'),
    (loss_is_nan, 'loss (summed BCE + KL) at batch size 512'),
])
def test_a_forged_vae_loss_fails(judged, forge, shows):
    failure = judge_forged(
        judged, '3-variational',
        'variational loss is summed bce plus kl without noise [512]', forge)
    assert failure is not None and failure.point.startswith(shows), \
        failure


@pytest.mark.parametrize('expected, found', [
    (np.nan, 1.0), (1.0, np.nan), (np.inf, np.inf), (np.nan, np.nan)])
def test_nothing_non_finite_is_close(expected, found):
    with pytest.raises(points.TextMismatch):
        points.expect_close('a value', expected, found, rel=1e-4)
    with pytest.raises(points.TextMismatch):
        points.expect_all_close('values', [expected, 1.0], [found, 1.0],
                                rtol=1e-4, atol=1e-5)


def step_is_a_string(observations, arrays):
    observations['experiments']['structure 0']['steps'][0] = 'layers'


def layers_are_numbers(observations, arrays):
    step = observations['experiments']['structure 0']['steps'][0]
    step['models']['encoder']['layers'] = 7


def array_of_text(observations, arrays):
    arrays[ENCODED + '0'] = np.array(['a', 'b'])


def weights_missing(observations, arrays):
    del arrays[TRAINED + '0.decoder.2.0']


def experiments_gone(observations, arrays):
    observations['experiments'] = []


@pytest.mark.parametrize('forge', [
    step_is_a_string, layers_are_numbers, array_of_text, weights_missing,
    experiments_gone])
def test_malformed_observations_fail_the_point_without_crashing(judged,
                                                                forge):
    failure = judge_forged(judged, '0-vanilla', VANILLA, forge)
    assert failure is not None
    written = failure.to_json()
    assert set(written) == {'point', 'expected', 'found', 'test', 'id',
                            'source'}
    assert all(isinstance(value, str) for value in written.values())


def test_a_vae_whose_z_is_not_sampled_fails(judged):
    def z_is_the_mean(observations, arrays):
        arrays[ENCODED + '0'] = arrays[ENCODED + '1']
    failure = judge_forged(judged, '3-variational', VAE, z_is_the_mean)
    assert failure.point.startswith('z = mean + exp(log_var / 2) * eps')


def test_the_judges_weights_part_relu_from_its_look_alikes():
    """On the judge's weights, no other activation gives relu's outputs."""
    rows = text.dense_models(784, [128, 64], 32)[0]
    rng = np.random.default_rng(3)
    x = rng.random((64, 784))
    weighted, relu_code = reference.draw_weights(rows, x, rng)
    look_alikes = {'tanh': np.tanh, 'relu6': lambda h: np.clip(h, 0, 6),
                   'elu': lambda h: np.where(h > 0, h, np.expm1(h)),
                   'leaky relu': lambda h: np.where(h > 0, h, 0.01 * h),
                   'softplus': lambda h: np.logaddexp(h, 0)}
    for name, activation in look_alikes.items():
        h = x
        for kernel, bias in weighted:
            h = activation(h @ kernel + bias)
        assert np.max(np.abs(h - relu_code)) > 1e-3, name


# The NumPy layers against finite differences, on a small model of each
# kind the text uses.
SMALL_CONV_ENCODER, SMALL_CONV_DECODER = text.conv_models((6, 5, 2), [3, 2],
                                                          (2, 2, 2))


def random_weights(rows, rng):
    """Return weights of the right shapes for the text's rows."""
    weights = []
    channels = rows[0][2][-1]
    for kind, _, shape, _ in rows[1:]:
        size = shape[-1]
        kernel = {'Dense': (channels, size),
                  'Conv2D': (3, 3, channels, size)}.get(kind)
        weights.append([rng.standard_normal(kernel) * 0.5,
                        rng.standard_normal(size) * 0.5] if kernel else [])
        channels = size
    return weights


@pytest.mark.parametrize('rows, shape', [
    (text.dense_models(7, [5, 4], 3)[0], (7,)),
    (text.dense_models(7, [5, 4], 3)[1], (3,)),
    (SMALL_CONV_ENCODER, (6, 5, 2)),
    (SMALL_CONV_DECODER, (2, 2, 2)),
], ids=['dense encoder', 'dense decoder', 'conv encoder', 'conv decoder'])
def test_numpy_gradients_match_finite_differences(rows, shape):
    rng = np.random.default_rng(0)
    weights = random_weights(rows, rng)
    x = rng.random((3,) + shape) + 0.1
    direction = rng.standard_normal(reference.forward(rows, weights,
                                                      x)[-1].shape)

    def loss(weights):
        return float((reference.forward(rows, weights, x)[-1]
                      * direction).sum())
    _, gradients = reference.backward(rows, weights, x, direction)
    for layer, arrays in enumerate(weights):
        for index, array in enumerate(arrays):
            for position in list(np.ndindex(array.shape))[:6]:
                shifted = [[w.copy() for w in ws] for ws in weights]
                shifted[layer][index][position] += 1e-6
                minus = [[w.copy() for w in ws] for ws in weights]
                minus[layer][index][position] -= 1e-6
                numeric = (loss(shifted) - loss(minus)) / 2e-6
                assert gradients[layer][index][position] == pytest.approx(
                    numeric, rel=1e-4, abs=1e-7)


def sigmoid_bce(targets, logits, clipped):
    """The BCE of sigmoid(logits), averaged: Keras's two forms, by hand."""
    if clipped:
        p = np.clip(1 / (1 + np.exp(-logits)), 1e-7, 1 - 1e-7)
        values = -(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    else:
        # tf.nn.sigmoid_cross_entropy_with_logits's stable formula.
        values = (np.maximum(logits, 0) - logits * targets
                  + np.log1p(np.exp(-np.abs(logits))))
    return float(values.mean())


@pytest.mark.parametrize('clipped', [False, True],
                         ids=['from logits', 'clipped'])
def test_each_form_of_the_bce_gradient_matches_finite_differences(clipped):
    # Two outputs saturate beyond the clip, where the forms part.
    logits = np.array([[-30.0, -3.0, 0.5], [4.0, 25.0, 0.0]])
    targets = np.array([[0.2, 1.0, 0.0], [0.7, 0.4, 1.0]])
    numeric = np.zeros_like(logits)
    for position in np.ndindex(logits.shape):
        step = np.zeros_like(logits)
        step[position] = 1e-6
        numeric[position] = (sigmoid_bce(targets, logits + step, clipped)
                             - sigmoid_bce(targets, logits - step,
                                           clipped)) / 2e-6
    found = reference.bce_gradient(targets, 1 / (1 + np.exp(-logits)),
                                   clipped=clipped)
    assert found == pytest.approx(numeric, abs=1e-8)
    assert (found[0, 0] == 0) == clipped


def test_same_pooling_takes_the_maximum_of_each_padded_window():
    x = np.arange(1, 2 * 3 * 3 + 1, dtype='float64').reshape(1, 3, 3, 2)
    pooled = reference.layer_forward(('MaxPooling2D', None, None,
                                      ((2, 2), 'same')), [], x)[1]
    # Windows of the 3x3 grid: rows 0-1 and 2, columns 0-1 and 2.
    assert pooled[0, :, :, 0].tolist() == [[9, 11], [15, 17]]


def test_adams_first_step_is_the_learning_rate_against_the_gradient():
    gradient = np.array([0.3, -2.0, 1e-3, 0.0])
    assert reference.Adam().step([gradient])[0] == pytest.approx(
        [-0.001, 0.001, -0.001 * 1e-3 / (1e-3 + 1e-7 / np.sqrt(0.001)), 0.0],
        rel=1e-4)


def test_adam_keeps_its_moments_across_steps():
    adam = reference.Adam()
    # A steady gradient moves a weight by the learning rate every step.
    assert [adam.step([np.array([2.0])])[0][0] for _ in range(3)] == \
        pytest.approx([-0.001] * 3, rel=1e-4)
    # A gradient that turns: m = 0.9 * 0.1 - 0.1 = -0.01 and
    # v = 0.999 * 0.001 + 0.001, so the second step is 0.01 / 0.19 of lr.
    adam = reference.Adam()
    adam.step([np.array([1.0])])
    assert adam.step([np.array([-1.0])])[0][0] == pytest.approx(
        0.001 * 0.01 / 0.19, rel=1e-4)
