"""The text's points, each judged from observations that the judge recomputes.

A point is about one task file. Those about the models name an experiment:
a call of autoencoder and the steps to take on what it returns (describe
the models, predict, evaluate, pin the encoder's Gaussian, one training
step), which the child (tools/check/observe.py) carries out on inputs the
judge chose for this run. The judge then decides the point from the data
alone: it reads the layers the child reports against the text's tables
(tools/check/text.py), and recomputes in NumPy (tools/check/reference.py),
from the reported weights, what the reported outputs, losses and weights
after a training step must be. Data that disagree with themselves fail the
point, so a forged report passes only by computing what a correct solution
computes. The house rules are judged from the file's text, never run.

The suite (tests/test_points.py) runs the same points on this project's
files in its own process; make check runs the child in a sandbox and
judges in the parent, which never imports the solution or Keras.
"""
import ast
import collections
import io
import os
import zipfile

import numpy as np

from tools import submitted
from tools.check import reference, text
from tools.check.observe import decode, encode
from tools.check.text import (
    CONV_CALLS, DENSE_CALLS, SPARSE_CALLS, TEXT_ORDER, VAE_CALLS)

# Enough of an error's message to act on, not a whole log.
MESSAGE_LIMIT = 4000
# Share of the weights that must move as Adam's first step moves them:
# float32 gradients disagree with float64 ones only where they are tiny.
ADAM_AGREEMENT = 0.99


class TextMismatch(AssertionError):
    """A point of the text that a model misses: what was expected, found."""

    def __init__(self, point, expected, found):
        super().__init__('{}: expected {!r}, found {!r}'.format(
            point, expected, found))
        self.point, self.expected, self.found = point, expected, found


class Unobserved(Exception):
    """The solution raised instead of answering: found is its message."""


def expect(point, expected, found):
    """Fail with a TextMismatch unless found equals expected."""
    if found != expected:
        raise TextMismatch(point, expected, found)


def rounded(value):
    """Return a float with six significant digits, for a report."""
    return float('{:.6g}'.format(value))


def expect_close(point, expected, found, rel):
    """Fail with a TextMismatch unless found is within rel of expected."""
    if not abs(found - expected) <= rel * abs(expected):
        raise TextMismatch(point, rounded(expected), rounded(found))


def expect_all_close(point, expected, found, rtol=1e-6, atol=0.0):
    """Fail with a TextMismatch unless the arrays agree elementwise.

    The mismatch shows the worst element: its index, expected and found.
    """
    found = np.asarray(found, 'float64')
    expected = np.asarray(expected, 'float64')
    if expected.shape != found.shape and expected.ndim:
        raise TextMismatch(point + ' (shape)', list(expected.shape),
                           list(found.shape))
    expected = np.broadcast_to(expected, found.shape)
    excess = np.abs(found - expected) - (atol + rtol * np.abs(expected))
    if np.any(~np.isfinite(found)) or np.max(excess, initial=-1) > 0:
        worst = np.unravel_index(np.argmax(np.where(
            np.isfinite(found), excess, np.inf)), found.shape)
        raise TextMismatch('{} (worst of {} values, at {})'.format(
            point, found.size, tuple(int(i) for i in worst)),
            rounded(expected[worst]), rounded(found[worst]))


# ----------------------------------------------------------------------
# Reading observations, which may be anything.

class Observed:
    """One experiment's observations, read with suspicion."""

    def __init__(self, observations, arrays, key):
        module = observations.get('module') or {}
        if module.get('error'):
            raise Unobserved(module['error'])
        experiment = observations.get('experiments', {}).get(key)
        if not isinstance(experiment, dict):
            raise Unobserved('the check did not observe it')
        self.steps = experiment.get('steps', [])
        self.error = experiment.get('error')
        self.arrays, self.key = arrays, key
        self.versions = observations.get('versions') or {}

    def step(self, number):
        """Return what step number observed, or raise the solution's error."""
        if number >= len(self.steps):
            raise Unobserved(self.error or 'step {} was not observed'.format(
                number))
        observed = self.steps[number]
        if not isinstance(observed, dict):
            raise ValueError('step {} is not an object'.format(number))
        return observed

    def array(self, number, name=0):
        """Return a numeric array step number stored, as float64."""
        self.step(number)
        key = '{}.{}.{}'.format(self.key, number, name)
        if key not in self.arrays:
            raise ValueError('no array {}'.format(key))
        return np.asarray(self.arrays[key], 'float64')

    def weights(self, number, model, rows):
        """Return a model's reported weights, checked against the text's rows.

        One list per layer after the input: [kernel, bias] for Dense and
        Conv2D layers, [] for the others.
        """
        self.step(number)
        found = []
        for layer in range(1, len(rows)):
            arrays = []
            while True:
                key = '{}.{}.{}.{}.{}'.format(self.key, number, model, layer,
                                              len(arrays))
                if key not in self.arrays:
                    break
                arrays.append(np.asarray(self.arrays[key], 'float64'))
            found.append(arrays)
        expected = [weight_shapes(rows, layer)
                    for layer in range(1, len(rows))]
        shapes = [[list(array.shape) for array in arrays] for arrays in found]
        expect('{} weights, by layer after the input (their shapes)'.format(
            model), expected, shapes)
        return found


def weight_shapes(rows, layer):
    """Return the shapes of the weights the text's row layer has."""
    kind, activation, shape, _ = rows[layer]
    before = rows[layer - 1]
    if kind == 'Dense' and activation == text.NONE and before[1] == text.NONE:
        before = rows[layer - 2]   # the VAE's log variance reads the hidden
    before = before[2]
    if kind == 'Dense':
        return [[before[-1], shape[-1]], [shape[-1]]]
    if kind == 'Conv2D':
        return [[3, 3, before[-1], shape[-1]], [shape[-1]]]
    return []


def rows_of(model):
    """Return the reported layers of a model as the text's rows."""
    rows = []
    for layer in model['layers']:
        config = layer.get('config') or {}
        details = None
        if layer['class'] == 'Conv2D':
            details = (tuple(config.get('kernel_size') or ()),
                       config.get('padding'))
        elif layer['class'] == 'MaxPooling2D':
            details = (tuple(config.get('pool_size') or ()),
                       config.get('padding'))
        elif layer['class'] == 'UpSampling2D':
            details = tuple(config.get('size') or ())
        rows.append((layer['class'], layer.get('activation'),
                     tuple(layer['output_shape']), details))
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


def check_autoencoder(described, input_shape):
    """Check what graders check of auto: its layers, shapes, optimizer."""
    auto = described['models']['auto']
    expect('auto.layers', ['InputLayer', 'encoder', 'decoder'],
           described['auto_layers'])
    expect('auto input shape', [(None,) + tuple(input_shape)],
           [tuple(shape) for shape in auto['inputs']])
    expect('auto output shape', [(None,) + tuple(input_shape)],
           [tuple(shape) for shape in auto['outputs']])
    expect('optimizer', 'Adam', described['optimizer']['class'])


def reported_loss(described):
    """Return auto.loss as reported: the string, or the object's repr."""
    loss = described['loss']
    return loss['string'] if 'string' in loss else loss['repr']


# ----------------------------------------------------------------------
# What the judge recomputes.

def expect_outputs(point, rows, weights, x, found):
    """Check reported outputs against the text's model in NumPy."""
    expect_all_close(point, reference.predict(rows, weights, x), found,
                     rtol=1e-4, atol=1e-5)


def expect_adam_step(before, after, gradients):
    """Check that one training step moved the weights as Adam's first.

    before, after and gradients hold one list of arrays per layer, of the
    encoder's then the decoder's layers.
    """
    moved, agreeing = 0, 0
    for old, new, gradient in zip(before, after, gradients):
        for old_array, new_array, gradient_array in zip(old, new, gradient):
            step = reference.adam_first_step(gradient_array)
            agree = np.abs((new_array - old_array) - step) <= (
                0.05 * text.ADAM['learning_rate'])
            moved += agree.size
            agreeing += int(agree.sum())
    share = agreeing / moved if moved else 0.0
    if share < ADAM_AGREEMENT:
        raise TextMismatch(
            "one training step on the judge's batch: share of weights "
            "moved as Adam's first step (learning rate 0.001) moves them "
            "down the text's loss", '>= {:.0%}'.format(ADAM_AGREEMENT),
            '{:.1%}'.format(share))


# ----------------------------------------------------------------------
# The experiments and their judges, by kind of point.

Point = collections.namedtuple('Point', 'task name experiment judge')
Point.__doc__ = """One point of the text about one task file.

experiment is the key of what the child must observe for it: FILE for the
house rules, judged from the file (judge(file)), MODULE for what importing
it defined (judge(context), context.observed being all observations), an
experiment of the plan otherwise (judge(context)). A judge raises a
TextMismatch or Unobserved when the point fails.
"""

FILE, MODULE = 'file', 'module'
Context = collections.namedtuple(
    'Context', 'observed inputs plan file arguments')


def structure_steps(vae, train_input):
    """The steps a structure point takes on a fresh model."""
    steps = [{'op': 'describe'},
             {'op': 'predict', 'model': 'encoder', 'input': 'x'},
             {'op': 'predict', 'model': 'decoder', 'input': 'code'}]
    if vae:
        steps += [{'op': 'pin', 'output': 2, 'kernel': 0.0, 'bias': -40.0},
                  {'op': 'describe'}]
    else:
        steps += [{'op': 'predict', 'model': 'auto', 'input': 'x'}]
    return steps + [{'op': 'train_step', 'input': train_input}]


def judge_structure(task, args, context, lambtha=0.0):
    """The layers, the compile and the numbers of a dense or conv model."""
    observed, inputs = context.observed, context.inputs
    described = observed.step(0)
    encoder_rows, decoder_rows = text.expected_models(task, args)
    expect_layers('encoder', encoder_rows,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', decoder_rows,
                  rows_of(described['models']['decoder']))
    check_autoencoder(described, encoder_rows[0][2][1:])
    expect('loss', 'binary_crossentropy', reported_loss(described))
    encoder = observed.weights(0, 'encoder', encoder_rows)
    decoder = observed.weights(0, 'decoder', decoder_rows)
    x, code = inputs['x'], inputs['code']
    expect_outputs("encoder output on the judge's inputs, against NumPy "
                   'from the reported weights', encoder_rows, encoder, x,
                   observed.array(1))
    expect_outputs("decoder output on the judge's codes, against NumPy "
                   'from the reported weights', decoder_rows, decoder, code,
                   observed.array(2))
    expect_all_close("auto output on the judge's inputs, against NumPy "
                     'from the reported weights', reference.predict(
                         decoder_rows, decoder, reference.predict(
                             encoder_rows, encoder, x)),
                     observed.array(3), rtol=1e-4, atol=1e-5)
    gradients = reference.autoencoder_gradients(
        (encoder_rows, encoder), (decoder_rows, decoder), x, lambtha)
    expect_adam_step(encoder + decoder,
                     observed.weights(4, 'encoder', encoder_rows)
                     + observed.weights(4, 'decoder', decoder_rows),
                     gradients[0] + gradients[1])


def gaussian_outputs(described, order=TEXT_ORDER):
    """Check the encoder's outputs come from the sampler and two Dense."""
    encoder = described['models']['encoder']
    makers = [encoder['layers'][number]['class']
              if isinstance(number, int) and
              0 <= number < len(encoder['layers']) else None
              for number in encoder['output_layers']]
    expect('encoder outputs ({})'.format(', '.join(order)),
           ['Lambda' if name == 'z' else 'Dense' for name in order], makers)


def expect_standard_noise(z, mean, log_var):
    """Check that (z - mean) / sigma looks like draws of N(0, 1)."""
    noise = (z - mean) / np.exp(log_var / 2)
    count = noise.size
    if not (abs(noise.mean()) <= 6 / np.sqrt(count)
            and abs(noise.std() - 1) <= 6 / np.sqrt(2 * count)):
        raise TextMismatch(
            'z = mean + exp(log_var / 2) * eps: (z - mean) / exp(log_var / '
            "2) on the judge's inputs, as mean and std", [0.0, 1.0],
            [rounded(noise.mean()), rounded(noise.std())])


def judge_variational_structure(args, context):
    """The VAE's layers, outputs, compile and one training step."""
    observed, inputs = context.observed, context.inputs
    described = observed.step(0)
    encoder_rows, decoder_rows = text.variational_models(*args)
    expect_layers('encoder', encoder_rows,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', decoder_rows,
                  rows_of(described['models']['decoder']))
    expect('encoder output shapes', [(None, args[2])] * 3,
           [tuple(shape) for shape in
            described['models']['encoder']['outputs']])
    check_autoencoder(described, (args[0],))
    gaussian_outputs(described)
    encoder = observed.weights(0, 'encoder', encoder_rows)
    decoder = observed.weights(0, 'decoder', decoder_rows)
    _, mean, log_var = reference.variational_parts(
        encoder_rows, encoder, inputs['x'])
    z, found_mean, found_log_var = (observed.array(1, index)
                                    for index in range(3))
    for name, expected, found in (('mean', mean, found_mean),
                                  ('log variance', log_var, found_log_var)):
        expect_all_close('encoder {} output on the judge\'s inputs, against '
                         'NumPy from the reported weights'.format(name),
                         expected, found, rtol=1e-4, atol=1e-5)
    expect_standard_noise(z, mean, log_var)
    expect_outputs("decoder output on the judge's codes, against NumPy "
                   'from the reported weights', decoder_rows, decoder,
                   inputs['code'], observed.array(2))
    pinned = observed.weights(4, 'encoder', encoder_rows)
    pinned_decoder = observed.weights(4, 'decoder', decoder_rows)
    gradients = reference.variational_gradients(
        (encoder_rows, pinned), (decoder_rows, pinned_decoder), inputs['x'])
    expect_adam_step(pinned + pinned_decoder,
                     observed.weights(5, 'encoder', encoder_rows)
                     + observed.weights(5, 'decoder', decoder_rows),
                     gradients[0] + gradients[1])


def judge_bce_loss(task, args, context):
    """The mean BCE Keras reports, against NumPy from the weights."""
    observed, x = context.observed, context.inputs['x']
    encoder_rows, decoder_rows = text.expected_models(task, args)
    encoder = observed.weights(0, 'encoder', encoder_rows)
    decoder = observed.weights(0, 'decoder', decoder_rows)
    reconstruction = reference.predict(
        decoder_rows, decoder, reference.predict(encoder_rows, encoder, x))
    expect_all_close("auto output on the judge's inputs, against NumPy "
                     'from the reported weights', reconstruction,
                     observed.array(1), rtol=1e-4, atol=1e-5)
    expect_close('loss (mean binary cross-entropy)',
                 reference.mean_bce(x, reconstruction),
                 observed.step(2)['losses'][0], rel=1e-4)


def reported_loss_at(context, batch_size):
    """Return (the inputs, the loss Keras reported on them) at batch_size.

    One experiment evaluates the same model at each of its batch sizes.
    """
    steps = context.plan['experiments'][context.observed.key]['steps']
    number = next(number for number, step in enumerate(steps)
                  if step['op'] == 'evaluate'
                  and step['batch_size'] == batch_size)
    return (context.inputs['x{}'.format(batch_size)],
            context.observed.step(number)['losses'][0])


def judge_sparse_loss(lambtha, batch_size, context):
    """BCE + lambtha * L1 of the code, at a batch size."""
    observed = context.observed
    encoder_rows, decoder_rows = text.dense_models(*SPARSE_CALLS[0][:3])
    encoder = observed.weights(0, 'encoder', encoder_rows)
    decoder = observed.weights(0, 'decoder', decoder_rows)
    expect_all_close("encoder output on the judge's inputs, against NumPy "
                     'from the reported weights', reference.predict(
                         encoder_rows, encoder, context.inputs['x']),
                     observed.array(1), rtol=1e-4, atol=1e-5)
    x, reported = reported_loss_at(context, batch_size)
    code = reference.predict(encoder_rows, encoder, x)
    penalty = lambtha * np.abs(code).sum(axis=1).mean()
    expected = reference.mean_bce(
        x, reference.predict(decoder_rows, decoder, code)) + penalty
    expect_close('loss (mean BCE + lambtha * mean L1 of the code) with '
                 'lambtha {} at batch size {}'.format(lambtha, batch_size),
                 expected, reported, rel=1e-4)
    if lambtha >= 0.01:
        # Here the penalty is far above the tolerance, so a penalty with the
        # wrong scale or on the wrong layer cannot pass.
        expect('the L1 penalty is over 1% of the loss (a code that is not '
               'all zero)', True, penalty > 100 * 1e-4 * expected)


def judge_sparse_regularizer(context):
    """An L1 activity penalty of strength lambtha, on the code only."""
    described = context.observed.step(0)
    regularized = ['{} layer {}'.format(name, number)
                   for name in ('encoder', 'decoder')
                   for number, layer in enumerate(
                       described['models'][name]['layers'])
                   if layer.get('activity_regularizer')]
    last = len(described['models']['encoder']['layers']) - 1
    expect('layers with an activity penalty',
           ['encoder layer {}'.format(last)], regularized)
    penalty = described['models']['encoder']['layers'][-1][
        'activity_regularizer']
    if penalty['class'] == 'BatchMean' and penalty.get('penalty'):
        # This project's wrapper on Keras 3.0 to 3.13, which leave the
        # division by the batch size to the penalty.
        penalty = penalty['penalty']
    expect('code penalty', 'L1', penalty['class'])
    expect_close('code penalty strength (lambtha)', 1e-5,
                 float(penalty.get('l1')), rel=1e-6)


def expect_pinned(name, expected, found):
    """Check that a pinned Gaussian parameter came out as pinned."""
    expect_all_close('the {} (pinned at {:g})'.format(name, expected),
                     expected, found, rtol=1e-5, atol=1e-5)


VAE_LOSS_STEPS = [
    {'op': 'pin', 'output': 1, 'shift': 0.3},
    {'op': 'pin', 'output': 2, 'kernel': 0.0, 'bias': -40.0},
    {'op': 'describe'}]


def task_vae(observed, number, x):
    """Return the task's VAE as reported at step number, recomputed on x.

    That is (decoder rows, decoder weights, mean, log_var), after checking
    that the encoder's outputs come where the text puts them.
    """
    gaussian_outputs(observed.step(number))
    encoder_rows, decoder_rows = text.variational_models(*VAE_CALLS[0])
    encoder = observed.weights(number, 'encoder', encoder_rows)
    decoder = observed.weights(number, 'decoder', decoder_rows)
    _, mean, log_var = reference.variational_parts(encoder_rows, encoder, x)
    return decoder_rows, decoder, mean, log_var


def judge_variational_loss_without_noise(batch_size, context):
    """Summed BCE + KL with the variance pinned near 0, so exactly."""
    x, reported = reported_loss_at(context, batch_size)
    decoder_rows, decoder, mean, log_var = task_vae(context.observed, 2, x)
    expect_pinned('log variance (encoder output 2)', -40.0, log_var)
    reconstruction = reference.predict(decoder_rows, decoder, mean)
    expected = (reference.summed_bce(x, reconstruction)
                + reference.kl_from_standard_normal(mean, log_var)).mean()
    expect_close('loss (summed BCE + KL) at batch size {}'.format(batch_size),
                 expected, reported, rel=1e-4)


def judge_variational_loss_by_monte_carlo(context):
    """The loss Keras reports, averaged over draws, against NumPy's draws."""
    observed, x = context.observed, context.inputs['x']
    decoder_rows, decoder, mean, log_var = task_vae(observed, 0, x)
    kl = reference.kl_from_standard_normal(mean, log_var).mean()
    rng = np.random.default_rng(context.plan['seed'])
    reconstruction_terms = []
    for _ in range(20):
        z = mean + np.exp(log_var / 2) * rng.standard_normal(mean.shape)
        reconstruction_terms.append(reference.summed_bce(
            x, reference.predict(decoder_rows, decoder, z)).mean())
    expected = np.mean(reconstruction_terms) + kl
    reported = float(np.mean(observed.step(1)['losses']))
    expect_close('loss (summed BCE of sampled z + KL), averaged over draws',
                 expected, reported, rel=0.02)
    # The KL must be part of it: leaving it out would miss by more.
    in_the_loss = reported - (expected - kl)
    if not abs(in_the_loss) > 0.5 * kl > 0:
        raise TextMismatch(
            'the KL term in the loss (reported {:.6g} minus the summed BCE '
            '{:.6g})'.format(reported, expected - kl), rounded(kl),
            rounded(in_the_loss))


SMALL_VAE = (10, [8], 2)


def small_vae_parts(observed, number, x):
    """Return (mean, log_var) NumPy computes from the small VAE's weights."""
    rows = text.variational_models(*SMALL_VAE)[0]
    _, mean, log_var = reference.variational_parts(
        rows, observed.weights(number, 'encoder', rows), x)
    return mean, log_var


def judge_sampling(context):
    """z ~ N(mean, exp(log_var)), with the Gaussian pinned at N(3, 2^2)."""
    observed, x = context.observed, context.inputs['zeros']
    gaussian_outputs(observed.step(2))
    z, mean, log_var = (observed.array(3, index) for index in range(3))
    expect_all_close('the mean output, pinned at 3', 3.0, mean)
    expect_all_close('the log variance output, pinned at log 4', np.log(4.0),
                     log_var)
    numpy_mean, numpy_log_var = small_vae_parts(observed, 2, x)
    expect_all_close('the mean output, against NumPy from the reported '
                     'weights', numpy_mean, mean, rtol=1e-5, atol=1e-5)
    expect_all_close('the log variance output, against NumPy from the '
                     'reported weights', numpy_log_var, log_var, rtol=1e-5,
                     atol=1e-5)
    # z ~ N(3, 2^2): with 40000 draws the mean and std are within 2%.
    # The spread first: a wrong spread (exp(log_var) for exp(log_var / 2))
    # also widens the mean's error, which must not name the failure.
    expect_close('z = mean + exp(log_var / 2) * eps: std of z', 2.0,
                 float(z.std()), rel=0.02)
    expect_close('z = mean + exp(log_var / 2) * eps: mean of z', 3.0,
                 float(z.mean()), rel=0.05 / 3)


def judge_decodes_the_sample(context):
    """auto decodes a fresh z each call, and the mean when it has no spread."""
    observed, inputs = context.observed, context.inputs
    gaussian_outputs(observed.step(2))
    first, second = observed.array(3), observed.array(4)
    expect('auto decodes a new sample of z at every call', True,
           not np.allclose(first, second, atol=1e-3))
    decoder_rows = text.variational_models(*SMALL_VAE)[1]
    decoder = observed.weights(2, 'decoder', decoder_rows)
    rng = np.random.default_rng(context.plan['seed'])
    draws = reference.predict(decoder_rows, decoder,
                              5.0 * rng.standard_normal((20000, 2)))
    for name, statistic in (('mean', np.mean), ('spread', np.std)):
        expect_all_close(
            'auto on the judge\'s inputs with z ~ N(0, 5^2): each output\'s '
            '{} over the batch, against NumPy decoding such draws'.format(
                name), statistic(draws, axis=0), statistic(first, axis=0),
            atol=0.05)
    # With almost no variance the sample is the mean, and auto agrees with
    # decoding the mean: the decoder sits on the sampled z.
    expect_all_close(
        'auto with the variance pinned near 0, against decoding the mean',
        reference.predict(decoder_rows, observed.weights(7, 'decoder',
                                                         decoder_rows),
                          np.full((len(inputs['few']), 2), 0.5)),
        observed.array(8), rtol=1e-5, atol=1e-6)


def judge_arguments(context):
    """The caller's lists are left as they were passed."""
    reported = decode(context.observed.step(0)['args'])
    expect('the arguments after the call',
           list(context.arguments), list(reported))


def judge_defines_autoencoder(context):
    """The task file defines a function called autoencoder."""
    module = context.observed.get('module') or {}
    if module.get('error'):
        raise Unobserved(module['error'])
    expect('autoencoder is a function', True, module.get('autoencoder'))


# ----------------------------------------------------------------------
# The house rules, from the file's text.

def judge_shebang(file):
    source = file['source']
    expect('first line', text.SHEBANG, source.split('\n', 1)[0])
    expect('ends with a newline', True, source.endswith('\n'))


def judge_executable(file):
    expect('executable', True, file['executable'])


def judge_imports(file):
    tree = ast.parse(file['source'])
    imports = [ast.unparse(node) for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    expect('imports', [text.IMPORT], imports)


def judge_docstrings(file):
    tree = ast.parse(file['source'])
    expect('module docstring', True, bool(ast.get_docstring(tree)))
    definitions = [node for node in ast.walk(tree)
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    expect('functions and classes', True, bool(definitions))
    expect('functions and classes without a docstring', [],
           [node.name for node in definitions
            if not ast.get_docstring(node)])


def judge_python_3_9(file):
    ast.parse(file['source'], feature_version=(3, 9))


def judge_pycodestyle(file):
    import pycodestyle

    class CollectedReport(pycodestyle.BaseReport):
        """A pycodestyle report that keeps its findings."""

        def __init__(self, options):
            super().__init__(options)
            self.findings = []

        def error(self, line_number, offset, message, check):
            code = super().error(line_number, offset, message, check)
            if code:
                self.findings.append('line {}: {}'.format(line_number,
                                                          message))
            return code

    style = pycodestyle.StyleGuide(reporter=CollectedReport)
    checker = pycodestyle.Checker(
        file['path'], lines=io.StringIO(file['source']).readlines(),
        options=style.options, report=style.options.report)
    checker.check_all()
    expect('pycodestyle 2.11.1 findings', [],
           style.options.report.findings[:3])


HOUSE_RULES = [
    ('starts with the shebang and ends with a newline', judge_shebang),
    ('is executable', judge_executable),
    ('only import is tensorflow keras', judge_imports),
    ('module classes and functions have docstrings', judge_docstrings),
    ('parses as python 3 9', judge_python_3_9),
    ('pycodestyle clean', judge_pycodestyle),
]


def read_file(folder, task):
    """Return what the house rules judge of a task file: its text, mode.

    Read before the child runs, so that nothing it writes changes them.
    A file that is not a plain one (a link, a FIFO, a megabyte) is
    refused: 'refused' says why, and nothing of it is read.
    """
    path = os.path.join(folder, task + '.py')
    file = {'path': path, 'source': None, 'executable': False,
            'refused': None}
    try:
        content, file['executable'] = submitted.read_task_file(path)
    except FileNotFoundError:
        return file
    except submitted.Refused as refused:
        file['refused'] = '{} is {}'.format(path, refused)
        return file
    file['source'] = content.decode('utf-8', 'replace')
    return file


# ----------------------------------------------------------------------
# The points of each task, and the plan the child carries out.

def call_id(task, args):
    """Return how a structure point names its call: task(args)."""
    return '{}{}'.format(task, args)


def inputs_for(kind, shape, rng, count=64):
    """Return count judge-chosen inputs of shape: uniform, normal or codes."""
    if kind == 'normal':
        return rng.standard_normal((count,) + tuple(shape)).astype('float32')
    scale = 2.0 if kind == 'codes' else 1.0
    return (scale * rng.random((count,) + tuple(shape))).astype('float32')


def digits_for(count, digits, shape):
    """Return the first count of the judge's digits, shaped."""
    return digits[:count].reshape((count,) + tuple(shape))


def whole_batches(x, batch_size, most=8):
    """Return the first whole batches of x: as many as it holds, up to most.

    With batches of one size, every Keras averages them the same way.
    """
    return x[:min(len(x) // batch_size, most) * batch_size]


def evaluations(batch_sizes):
    """Return the steps that evaluate one model at each batch size."""
    return [{'op': 'evaluate', 'input': 'x{}'.format(size),
             'batch_size': size} for size in batch_sizes]


def batches(digits, batch_sizes):
    """Return the inputs of evaluations(batch_sizes): whole batches each."""
    inputs = {'x{}'.format(size): whole_batches(digits, size)
              for size in batch_sizes}
    inputs['x'] = digits
    return inputs


def structure_experiment(task, args, digits, rng):
    """Return (experiment, inputs) of a structure point."""
    vae = task == '3-variational'
    encoder_rows, decoder_rows = text.expected_models(task, args)
    input_shape, code_shape = encoder_rows[0][2][1:], decoder_rows[0][2][1:]
    count = 256 if vae else 32 if len(input_shape) == 3 else 64
    x = (digits_for(count, digits, input_shape)
         if input_shape in ((784,), (28, 28, 1))
         else inputs_for('uniform', input_shape, rng, count))
    code = inputs_for('normal' if vae else 'codes', code_shape, rng)
    experiment = {'call': encode(args),
                  'steps': structure_steps(vae, 'x')}
    return experiment, {'x': x, 'code': code}


def task_points(task):
    """Return the task's points, in the order the report lists them."""
    points = []
    argument_calls = {'0-vanilla': (0, DENSE_CALLS[0]),
                      '1-sparse': (1, SPARSE_CALLS[0][:3] + (1e-5,)),
                      '2-convolutional': (2, CONV_CALLS[0]),
                      '3-variational': (4, (784, [512, 256], 2))}
    number, args = argument_calls[task]
    points.append(Point(task, 'leaves its arguments as passed [{}-args{}]'
                        .format(task, number), 'arguments', judge_arguments))
    for name, judge in HOUSE_RULES:
        points.append(Point(task, '{} [{}]'.format(name, task), FILE, judge))
    points.append(Point(task, 'defines autoencoder [{}]'.format(task),
                        MODULE, judge_defines_autoencoder))
    if task == '0-vanilla':
        points.append(Point(task, 'vanilla loss is mean binary crossentropy',
                            'loss', lambda c: judge_bce_loss(
                                task, DENSE_CALLS[0], c)))
        for call in DENSE_CALLS:
            points.append(structure_point(task, call))
    elif task == '1-sparse':
        for lambtha, batch_size in SPARSE_LOSSES:
            points.append(Point(
                task, 'sparse loss adds l1 of the code [{}-{}]'.format(
                    lambtha, batch_size), 'loss {}'.format(lambtha),
                sparse_loss_judge(lambtha, batch_size)))
        points.append(Point(task, 'sparse regularizes the code only',
                            'structure 0', judge_sparse_regularizer))
        for call in SPARSE_CALLS:
            points.append(structure_point(task, call))
    elif task == '2-convolutional':
        points.append(Point(task, 'convolutional loss is mean binary '
                            'crossentropy', 'loss', lambda c: judge_bce_loss(
                                task, CONV_CALLS[0], c)))
        for call in CONV_CALLS:
            points.append(structure_point(task, call))
        points.append(Point(task, 'convolutional matches the task table',
                            'structure 0', judge_task_table))
    else:
        for batch_size in BATCH_SIZES:
            points.append(Point(
                task, 'variational loss is summed bce plus kl without noise '
                '[{}]'.format(batch_size), 'loss',
                variational_loss_judge(batch_size)))
        points.append(Point(task, 'variational loss averages to summed bce '
                            'plus kl', 'monte carlo',
                            judge_variational_loss_by_monte_carlo))
        points.append(Point(task, 'encoder samples z from mean and log '
                            'variance', 'sampling', judge_sampling))
        points.append(Point(task, 'autoencoder decodes the sample not the '
                            'mean', 'decodes', judge_decodes_the_sample))
        for number, call in enumerate(VAE_CALLS):
            points.append(Point(
                task, 'variational layers follow the text [{}-hidden_layers'
                '{}-{}]'.format(call[0], number, call[2]),
                'structure {}'.format(number), structure_judge(task, call)))
    return points


# Keras 3.0 to 3.13 do not divide activity penalties by the batch size, as
# Keras 2 and 3.14+ do: the penalties must be right at every batch size.
BATCH_SIZES = [1, 7, 512]
# 1e-5 is the task's; 0.01 makes the penalty a large share of the loss.
SPARSE_LOSSES = [(0.0, 512), (10e-6, 512)] + [(0.01, size)
                                              for size in BATCH_SIZES]


def structure_judge(task, call):
    """Return the judge of a structure point for call."""
    if task == '3-variational':
        return lambda context: judge_variational_structure(call, context)
    lambtha = call[3] if task == '1-sparse' else 0.0
    return lambda context: judge_structure(task, call, context, lambtha)


def structure_point(task, call):
    """Return the structure point of a dense or convolutional call."""
    calls = {'0-vanilla': DENSE_CALLS, '1-sparse': SPARSE_CALLS,
             '2-convolutional': CONV_CALLS}[task]
    return Point(task, 'layers follow the text [{}]'.format(
        call_id(task, call)), 'structure {}'.format(calls.index(call)),
        structure_judge(task, call))


def judge_task_table(context):
    """The task's convolutional call, against the table written out."""
    described = context.observed.step(0)
    expect_layers('encoder', text.TASK_CONV_ENCODER,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', text.TASK_CONV_DECODER,
                  rows_of(described['models']['decoder']))


def sparse_loss_judge(lambtha, batch_size):
    return lambda context: judge_sparse_loss(lambtha, batch_size, context)


def variational_loss_judge(batch_size):
    return lambda context: judge_variational_loss_without_noise(batch_size,
                                                                context)


def point_names(task):
    """Return the names of the task's points."""
    return [point.name for point in task_points(task)]


def make_plan(task, digits, seed):
    """Return (plan, inputs by experiment) of the task for this run.

    digits are the judge's MNIST digits for this run, (N, 784) float32 in
    [0, 1]; seed fixes the other inputs and the Monte Carlo draws. The
    plan's inputs are stored flat, as '<experiment>/<name>'.
    """
    rng = np.random.default_rng(seed)
    experiments, inputs = {}, {}

    def add(key, experiment, arrays):
        experiment['steps'] = [dict(step, input='{}/{}'.format(
            key, step['input'])) if 'input' in step else step
            for step in experiment['steps']]
        experiments[key] = experiment
        inputs[key] = arrays

    argument_call = {'0-vanilla': DENSE_CALLS[0],
                     '1-sparse': SPARSE_CALLS[0],
                     '2-convolutional': CONV_CALLS[0],
                     '3-variational': (784, [512, 256], 2)}[task]
    add('arguments', {'call': encode(argument_call),
                      'steps': [{'op': 'arguments'}]}, {})
    calls = {'0-vanilla': DENSE_CALLS, '1-sparse': SPARSE_CALLS,
             '2-convolutional': CONV_CALLS, '3-variational': VAE_CALLS}[task]
    for number, call in enumerate(calls):
        experiment, arrays = structure_experiment(task, call, digits, rng)
        add('structure {}'.format(number), experiment, arrays)
    if task in ('0-vanilla', '2-convolutional'):
        call = calls[0]
        shape = text.expected_models(task, call)[0][0][2][1:]
        x = digits_for(256 if task == '2-convolutional' else 512, digits,
                       shape)
        add('loss', {'call': encode(call), 'steps': [
            {'op': 'describe'},
            {'op': 'predict', 'model': 'auto', 'input': 'x'},
            {'op': 'evaluate', 'input': 'x', 'batch_size': len(x)}]},
            {'x': x})
    elif task == '1-sparse':
        for lambtha in sorted({lambtha for lambtha, _ in SPARSE_LOSSES}):
            sizes = [size for strength, size in SPARSE_LOSSES
                     if strength == lambtha]
            add('loss {}'.format(lambtha), {
                'call': encode(DENSE_CALLS[0] + (lambtha,)), 'steps': [
                    {'op': 'describe'},
                    {'op': 'predict', 'model': 'encoder', 'input': 'x'}]
                + evaluations(sizes)}, batches(digits, sizes))
    else:
        add('loss', {'call': encode(VAE_CALLS[0]),
                     'steps': VAE_LOSS_STEPS + evaluations(BATCH_SIZES)},
            batches(digits, BATCH_SIZES))
        add('monte carlo', {'call': encode(VAE_CALLS[0]), 'steps': [
            {'op': 'describe'},
            {'op': 'evaluate', 'input': 'x', 'batch_size': 128,
             'repeat': 20}]}, {'x': digits[:128]})
        add('sampling', {'call': encode(SMALL_VAE), 'steps': [
            {'op': 'pin', 'output': 1, 'kernel': 0.0, 'bias': 3.0},
            {'op': 'pin', 'output': 2, 'kernel': 0.0,
             'bias': float(np.log(4.0))},
            {'op': 'describe'},
            {'op': 'predict', 'model': 'encoder', 'input': 'zeros',
             'batch_size': 20000}]},
            {'zeros': np.zeros((20000, 10), 'float32')})
        add('decodes', {'call': encode(SMALL_VAE), 'steps': [
            {'op': 'pin', 'output': 1, 'kernel': 0.0, 'bias': 0.0},
            {'op': 'pin', 'output': 2, 'kernel': 0.0,
             'bias': float(np.log(25.0))},
            {'op': 'describe'},
            {'op': 'predict', 'model': 'auto', 'input': 'many'},
            {'op': 'predict', 'model': 'auto', 'input': 'many'},
            {'op': 'pin', 'output': 1, 'kernel': 0.0, 'bias': 0.5},
            {'op': 'pin', 'output': 2, 'kernel': 0.0, 'bias': -40.0},
            {'op': 'describe'},
            {'op': 'predict', 'model': 'auto', 'input': 'few'}]},
            {'many': inputs_for('uniform', (10,), rng, 4096),
             'few': inputs_for('uniform', (10,), rng, 64)})
    names = {point.experiment: point.name for point in task_points(task)
             if point.experiment not in (FILE, MODULE)}
    for key, experiment in experiments.items():
        experiment['doing'] = names[key]
    plan = {'task': task, 'seed': int(seed), 'experiments': experiments}
    return plan, inputs


def flat_inputs(inputs):
    """Return the plan's inputs as one {'<experiment>/<name>': array}."""
    return {'{}/{}'.format(key, name): array
            for key, arrays in inputs.items()
            for name, array in arrays.items()}


# ----------------------------------------------------------------------
# Judging.

def failure(point, error):
    """Return a failed point's {point, expected, found, test}."""
    if isinstance(error, TextMismatch):
        return {'point': with_case(error.point, point.name),
                'expected': repr(error.expected), 'found': repr(error.found),
                'test': point.name}
    if isinstance(error, Unobserved):
        message = str(error)
    elif isinstance(error, SyntaxError):
        message = '{}: {}'.format(type(error).__name__, error)
    else:
        message = ('the observation does not read as the check wrote it '
                   '({}: {})'.format(type(error).__name__, error))
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + ' [...]'
    return {'point': point.name, 'expected': 'no error', 'found': message,
            'test': point.name}


def with_case(point, name):
    """Return point followed by the bracketed case of the point's name.

    A name is 'what [case]', and a case may hold brackets of its own.
    """
    if name.endswith(']') and ' [' in name:
        return '{} [{}'.format(point, name.split(' [', 1)[1])
    return point


def judge_point(point, plan, inputs, observations, arrays, file):
    """Return None if the point passes, else its failure."""
    try:
        if file['source'] is None:
            raise Unobserved(file.get('refused') or
                             'FileNotFoundError: no file {}'.format(
                                 file['path']))
        if point.experiment == FILE:
            point.judge(file)
            return None
        if point.experiment == MODULE:
            point.judge(Context(observations, None, plan, file, None))
            return None
        observed = Observed(observations, arrays, point.experiment)
        experiment = plan['experiments'][point.experiment]
        point.judge(Context(observed, inputs.get(point.experiment, {}),
                            plan, file, decode(experiment['call'])))
        return None
    except Exception as error:   # noqa: BLE001 - any data may be malformed
        return failure(point, error)


def judge_task(task, plan, inputs, observations, arrays, file):
    """Judge every point of the task; return {passed, failed, points}."""
    result = {'passed': 0, 'failed': [], 'points': point_names(task)}
    for point in task_points(task):
        found = judge_point(point, plan, inputs, observations, arrays, file)
        if found:
            result['failed'].append(found)
        else:
            result['passed'] += 1
    return result


# ----------------------------------------------------------------------
# Reading the child's files, which may be anything.

ARRAYS_LIMIT = 256 * 2 ** 20


def read_arrays(path):
    """Return {name: array} from an uncompressed .npz, refusing the odd.

    Entries must be stored, not compressed, and all of them together
    smaller than the limit, so that no file can make the judge unpack
    more than the child could write; pickles are never loaded.
    """
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if any(entry.compress_type != zipfile.ZIP_STORED
               for entry in entries):
            raise ValueError('a compressed array')
        if sum(entry.file_size for entry in entries) > ARRAYS_LIMIT:
            raise ValueError('arrays larger than {} bytes'.format(
                ARRAYS_LIMIT))
    with np.load(path, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def judge_digits(seed, count=512):
    """Return count MNIST training digits chosen by seed, in [0, 1].

    They come from the Keras cache (make data provisions it) and are the
    inputs of every point that takes digits.
    """
    from tools import mnist
    path = mnist.cache_path()
    if not mnist.is_valid(path):
        raise SystemExit('MNIST is not in the Keras cache ({}). {}'.format(
            path, mnist.HOW_TO_PROVIDE))
    with np.load(path) as data:
        train = data['x_train']
        chosen = np.random.default_rng(seed).choice(len(train), count,
                                                    replace=False)
        return train[np.sort(chosen)].reshape(count, -1).astype(
            'float32') / 255.
