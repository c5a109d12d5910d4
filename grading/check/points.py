"""The text's points, each with its experiment and its judge, in one place.

A point is about one task file. Those about the models name an experiment:
a call of autoencoder and the named steps to take on what it returns
(describe the models, load the judge's weights, predict, evaluate, train),
which the child (grading/check/observe.py) carries out on inputs and weights
the judge chose for this run. The judge then decides the point from what
the models computed, never from what they are called: it reads the layers
the child reports against the text's tables (grading/check/text.py), and
recomputes in NumPy (grading/check/reference.py), from its own weights, what
the outputs, the losses and the weights after several training steps must
be. A solution passes a point only by computing what the text asks.

Each point carries its source: "text" for what the assignment asks, or
"graders" for a convention the graders' known checker reads by name
(auto.loss as a string, auto.layers, the optimizer's class, the VAE's
Lambda). A convention is a point of its own, reported apart, and WEIGHTS=
can weigh it; it never decides a text point. The house rules are judged
from the file's text, never run.

Each task's points are declared in one function (vanilla_points, ...):
adding a point is one Point in it. The suite (tests/test_points.py) runs
the same points on this project's files in its own process; make check
runs the child in a sandbox and judges in the parent, which never imports
the solution or Keras.
"""
import ast
import dataclasses
import functools
import io
import os
import typing
import zipfile
import zlib

import numpy as np

from grading import submitted
from grading.check import reference, text
from grading.check.observe import decode, encode
from grading.check.outcome import Failure, Outcome
from grading.check.text import (
    CONV_CALLS, DENSE_CALLS, SPARSE_CALLS, TEXT_ORDER, VAE_CALLS)

# Enough of an error's message to act on, not a whole log.
MESSAGE_LIMIT = 4000
# Share of the weights that must move as Keras's Adam moves them: float32
# gradients disagree with float64 ones only where they are tiny.
ADAM_AGREEMENT = 0.99
# How far a weight may move from NumPy's Adam step and still agree.
ADAM_TOLERANCE = 0.05 * text.ADAM['learning_rate']
# How far a weight without a gradient may move: a unit at relu's edge in
# float32 but not in float64 gets a gradient of 1e-10 and moves 1e-8; a
# weight decay moves the judge's dead units' biases of -1000 by 4e-3.
STILL = 1e-3 * text.ADAM['learning_rate']
# Where point sources come from.
TEXT, GRADERS = 'text', 'graders'
# How a convention point's name starts.
CONVENTION = 'convention: '
FILE, MODULE = 'file', 'module'


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
    """Fail with a TextMismatch unless found is within rel of expected.

    Nothing non-finite is close to anything.
    """
    expected, found = float(expected), float(found)
    if not (np.isfinite(expected) and np.isfinite(found)
            and abs(found - expected) <= rel * abs(expected)):
        raise TextMismatch(point, rounded(expected), rounded(found))


def expect_all_close(point, expected, found, rtol=1e-6, atol=0.0):
    """Fail with a TextMismatch unless the arrays agree elementwise.

    The mismatch shows the worst element: its index, expected and found.
    A non-finite value on either side never agrees.
    """
    found = np.asarray(found, 'float64')
    expected = np.asarray(expected, 'float64')
    if expected.shape != found.shape and expected.ndim:
        raise TextMismatch(point + ' (shape)', list(expected.shape),
                           list(found.shape))
    expected = np.broadcast_to(expected, found.shape)
    with np.errstate(invalid='ignore', over='ignore'):
        excess = np.abs(found - expected) - (atol + rtol * np.abs(expected))
    excess = np.where(np.isfinite(found) & np.isfinite(expected), excess,
                      np.inf)
    if found.size and np.max(excess) > 0:
        worst = np.unravel_index(np.argmax(excess), found.shape)
        raise TextMismatch('{} (worst of {} values, at {})'.format(
            point, found.size, tuple(int(i) for i in worst)),
            rounded(expected[worst]), rounded(found[worst]))


# ----------------------------------------------------------------------
# Reading observations, which may be anything.

class Observed:
    """One experiment's observations, read with suspicion, step by name."""

    def __init__(self, observations, arrays, key, experiment):
        module = observations.get('module') or {}
        if module.get('error'):
            raise Unobserved(module['error'])
        found = observations.get('experiments', {}).get(key)
        if not isinstance(found, dict):
            raise Unobserved('the check did not observe it')
        self.steps = found.get('steps', [])
        if not isinstance(self.steps, list):
            raise ValueError('steps is not a list')
        self.error = found.get('error')
        self.names = [step['name'] for step in experiment['steps']]
        self.arrays, self.key = arrays, key

    def number(self, name):
        """Return the position of the step called name."""
        return self.names.index(name)

    def step(self, name):
        """Return what the step called name observed, or raise its error."""
        number = self.number(name)
        if number >= len(self.steps):
            raise Unobserved(self.error or 'step {} was not observed'.format(
                name))
        observed = self.steps[number]
        if not isinstance(observed, dict):
            raise ValueError('step {} is not an object'.format(name))
        return observed

    def array(self, name, index=0):
        """Return output index of the step called name, as float64."""
        self.step(name)
        key = '{}.{}.{}'.format(self.key, self.number(name), index)
        if key not in self.arrays:
            raise ValueError('no array {}'.format(key))
        return np.asarray(self.arrays[key], 'float64')

    def trained(self, name, times, shapes):
        """Return the weights after each training step, checked in shape.

        shapes are the judge's weights' shapes, one list of arrays for the
        encoder's and the decoder's weighted layers together.
        """
        self.step(name)
        found = []
        for number in range(times):
            prefix = '{}.{}.{}'.format(self.key, self.number(name), number)
            weights = []
            for model in ('encoder', 'decoder'):
                layer = 0
                while '{}.{}.{}.0'.format(prefix, model, layer) in \
                        self.arrays:
                    index = 0
                    while '{}.{}.{}.{}'.format(prefix, model, layer,
                                               index) in self.arrays:
                        weights.append(np.asarray(self.arrays[
                            '{}.{}.{}.{}'.format(prefix, model, layer,
                                                 index)], 'float64'))
                        index += 1
                    layer += 1
            expect('weights after training step {}, by layer (their shapes)'
                   .format(number + 1), [list(shape) for shape in shapes],
                   [list(array.shape) for array in weights])
            found.append(weights)
        return found


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
        kind = layer['class']
        if layer.get('weights') == 0 and kind not in (
                'InputLayer', text.POOL, text.UP):
            kind = '{} ({})'.format(text.SAMPLER, kind)
        rows.append((kind, layer.get('activation'),
                     tuple(layer['output_shape']), details))
    return rows


def class_of(row):
    """Return a row's class as the text names it."""
    return text.SAMPLER if row[0].startswith(text.SAMPLER) else row[0]


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
    if [row[0] for row in expected] != [class_of(row) for row in found]:
        expect('{} layer classes'.format(model_name),
               [row[0] for row in expected], [row[0] for row in found])
    for number, (wanted, got) in enumerate(zip(expected, found)):
        found_properties = properties(got)
        for name, value in properties(wanted).items():
            expect('{} layer {} ({}): {}'.format(model_name, number,
                                                 wanted[0], name),
                   value, found_properties[name])


# ----------------------------------------------------------------------
# Experiments: what the child does, and on what.

@dataclasses.dataclass(frozen=True)
class Experiment:
    """A call of autoencoder and the steps to take on what it returns.

    key names it in the plan (points that share a key share the run);
    build(digits, rng) returns (steps, inputs) for this run, each step a
    dict with a 'name', an 'op' and its arguments, the inputs {name:
    array}; a step's 'input' names one of them.
    """
    key: str
    call: tuple
    build: typing.Callable


@dataclasses.dataclass(frozen=True)
class Point:
    """One point about one task file: its experiment and its judge.

    experiment is an Experiment, FILE for the house rules (judge(file)) or
    MODULE for what importing it defined (judge(context)). A judge raises
    a TextMismatch or Unobserved when the point fails. id is stable for
    weights and hints; name is what the report lists; source is TEXT or
    GRADERS.
    """
    task: str
    id: str
    name: str
    experiment: object
    judge: typing.Callable
    source: str = TEXT


@dataclasses.dataclass(frozen=True)
class Context:
    """What a judge reads: the observations, the inputs, the run."""
    observed: object
    inputs: dict
    plan: dict
    file: dict
    arguments: tuple
    seed: int


def experiment_rng(seed, key):
    """Return the random numbers of one experiment in one run."""
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def inputs_for(kind, shape, rng, count=64):
    """Return count judge-chosen inputs of shape: uniform, normal or codes."""
    if kind == 'normal':
        return rng.standard_normal((count,) + tuple(shape)).astype('float32')
    scale = 2.0 if kind == 'codes' else 1.0
    return (scale * rng.random((count,) + tuple(shape))).astype('float32')


def digits_for(count, digits, shape):
    """Return the first count of the judge's digits, shaped."""
    return digits[:count].reshape((count,) + tuple(shape))


def task_inputs(shape, count, digits, rng):
    """Return count inputs of shape: digits where they fit, else uniform."""
    if tuple(shape) in ((784,), (28, 28, 1)):
        return digits_for(count, digits, shape)
    return inputs_for('uniform', shape, rng, count)


def whole_batches(x, batch_size, most=8):
    """Return the first whole batches of x: as many as it holds, up to most.

    With batches of one size, every Keras averages them the same way.
    """
    return x[:min(len(x) // batch_size, most) * batch_size]


def weight_inputs(name, encoder, decoder):
    """Return the judge's weights as the child's load step reads them."""
    arrays = {}
    for model, weighted in (('encoder', encoder), ('decoder', decoder)):
        for layer, weights in enumerate(weighted):
            for index, array in enumerate(weights):
                arrays['{}.{}.{}.{}'.format(name, model, layer, index)] = \
                    array
    return arrays


def training_times(rng):
    """Return how many training steps an experiment takes: 2 to 4.

    Drawn per run, so that a solution cannot know after which step its
    optimizer may stop behaving as Adam.
    """
    return int(rng.integers(2, 5))


def draw_models(task, call, x, rng, heads=None, decoder_spreads=None,
                mean_spread=1.5):
    """Return the judge's (encoder, decoder) weights for the text's models.

    Each is a list of [kernel, bias] per layer with weights. For the VAE,
    heads maps 'mean' and 'log_var' to None (drawn) or (kernel, bias)
    constants, and the decoder is drawn on the mean.
    """
    encoder_rows, decoder_rows = text.expected_models(task, call)
    if task != '3-variational':
        encoder, code = reference.draw_weights(encoder_rows, x, rng)
        decoder, _ = reference.draw_weights(decoder_rows, code, rng)
        return encoder, decoder
    hidden = len(encoder_rows) - 4
    encoder, h = reference.draw_weights(encoder_rows[:hidden + 1], x, rng,
                                        spreads={hidden - 1: 4.0})
    h = np.asarray(x, 'float64') if not hidden else h
    heads = dict({'mean': None, 'log_var': None}, **(heads or {}))
    outputs = {}
    for name, spread in (('mean', mean_spread), ('log_var', 1.0)):
        size = encoder_rows[-2][2][-1]
        if heads[name] is None:
            kernel = rng.standard_normal((h.shape[-1], size))
            if (h @ kernel).std() > 1e-9:
                kernel *= spread / float((h @ kernel).std())
            bias = rng.normal(-1.0 if name == 'log_var' else 0.0, 0.5, size)
        else:
            kernel = np.full((h.shape[-1], size), heads[name][0])
            bias = np.full(size, heads[name][1])
        weights = [kernel.astype('float32'), bias.astype('float32')]
        encoder.append(weights)
        outputs[name] = h @ weights[0].astype('float64') + weights[1]
    decoder, _ = reference.draw_weights(decoder_rows, outputs['mean'], rng,
                                        spreads=decoder_spreads)
    return encoder, decoder


def layered(task, call, encoder, decoder):
    """Return (encoder, decoder) as (rows, weights per row) for NumPy."""
    encoder_rows, decoder_rows = text.expected_models(task, call)
    return ((encoder_rows, reference.by_layer(encoder_rows, encoder)),
            (decoder_rows, reference.by_layer(decoder_rows, decoder)))


def as_float64(weighted):
    """Return [kernel, bias] lists of float64 copies."""
    return [[np.asarray(array, 'float64') for array in weights]
            for weights in weighted]


# ----------------------------------------------------------------------
# What the judge recomputes.

def expect_outputs(point, model, x, found):
    """Check reported outputs against the model (rows, weights) in NumPy."""
    expect_all_close(point, reference.predict(*model, x), found,
                     rtol=1e-4, atol=1e-5)


def flat(weighted):
    """Return every array of [kernel, bias] lists, in order."""
    return [array for weights in weighted for array in weights]


def expect_adam_steps(start, trained, gradients_at):
    """Check that each training step moved the weights as Keras's Adam.

    start is the judge's weights, flat; trained the reported weights after
    each step; gradients_at(weights, clipped) NumPy's gradients of the
    text's loss at weights, in one of the BCE's two forms
    (reference.bce_gradient). Keras takes one form for every step, and
    the two differ only once an output saturates beyond the clip, so the
    weights may follow either: the logits' form is tried first, and its
    failure is the one reported.
    """
    mismatches = []
    for clipped in (False, True):
        try:
            follow_adam(start, trained,
                        functools.partial(gradients_at, clipped=clipped))
            break
        except TextMismatch as mismatch:
            mismatches.append(mismatch)
    else:
        raise mismatches[0]
    if all(np.all(np.asarray(gradient) == 0)
           for gradient in gradients_at(start, clipped=False)):
        raise TextMismatch('training: weights with a gradient', 'some',
                           'none (a degenerate model)')


def follow_adam(start, trained, gradients_at):
    """Check the steps of expect_adam_steps for one form of the gradients.

    Each step is compared from the weights before it, with Adam's moments
    run on NumPy's gradients: at least ADAM_AGREEMENT of the weights must
    move within ADAM_TOLERANCE of Adam's step, and the weights of the
    judge's dead units, which no gradient reaches, must not move by more
    than STILL (a weight decay, or a penalty the text does not ask, moves
    them: Adam makes the smallest gradient a full step).
    """
    adam = reference.Adam()
    before = start
    never = dead_units(start)
    for number, after in enumerate(trained, 1):
        gradients = gradients_at(before)
        moves = adam.step(gradients)
        agreeing, count, moved_still = 0, 0, 0
        for index, (old, new, move, gradient) in enumerate(
                zip(before, after, moves, gradients)):
            never[index] &= gradient == 0
            with np.errstate(invalid='ignore'):
                agree = np.abs((new - old) - move) <= ADAM_TOLERANCE
            agreeing += int(agree.sum())
            count += agree.size
            with np.errstate(invalid='ignore'):
                moved_still += int(np.sum(~(np.abs(new - old) <= STILL)
                                          & never[index]))
        share = agreeing / count if count else 0.0
        if share < ADAM_AGREEMENT:
            raise TextMismatch(
                "training step {} of {} on the judge's batch: share of "
                "weights moved as Keras's Adam (learning rate 0.001, betas "
                "0.9 and 0.999, epsilon 1e-7) moves them down the text's "
                "loss".format(number, len(trained)),
                '>= {:.0%}'.format(ADAM_AGREEMENT), '{:.1%}'.format(share))
        expect('training step {} of {}: weights without a gradient that '
               'moved (a weight decay or another penalty?)'.format(
                   number, len(trained)), 0, moved_still)
        before = after


def dead_units(weights):
    """Return, for flat [kernel, bias, ...], which weights feed dead units.

    Those are the units whose bias the judge set to DEAD_BIAS: no input
    reaches them, so no gradient does, in every Keras. (A unit that is
    dead on the batch by chance is left out: at relu's edge float32 and
    float64 can disagree on it.)
    """
    masks = []
    for kernel, bias in pairs(weights):
        dead = bias == reference.DEAD_BIAS
        masks += [np.broadcast_to(dead, kernel.shape).copy(), dead.copy()]
    return masks


def train_steps(times):
    """Return the steps that load the judge's weights and train on them."""
    return [{'name': 'loaded for training', 'op': 'load',
             'input': 'trained weights'},
            {'name': 'trained', 'op': 'train', 'input': 'x', 'times': times}]


def structure_steps(rng, reconstructs):
    """A structure experiment's steps: describe the models, load the judge's
    weights, predict with each model (auto too when reconstructs), train.
    """
    steps = [{'name': 'described', 'op': 'describe'},
             {'name': 'loaded', 'op': 'load', 'input': 'weights'},
             {'name': 'encoded', 'op': 'predict', 'model': 'encoder',
              'input': 'x'},
             {'name': 'decoded', 'op': 'predict', 'model': 'decoder',
              'input': 'code'}]
    if reconstructs:
        steps.append({'name': 'reconstructed', 'op': 'predict',
                      'model': 'auto', 'input': 'x'})
    return steps + train_steps(training_times(rng))


def judge_training(task, call, context, lambtha=0.0):
    """Several of Keras's training steps against NumPy's Adam."""
    inputs, observed = context.inputs, context.observed
    encoder, decoder = judged_weights(inputs, 'trained weights')
    start = flat(encoder) + flat(decoder)
    encoder_count = len(flat(encoder))
    times = context.plan['experiments'][observed.key]['steps'][
        observed.number('trained')]['times']
    trained = observed.trained('trained', times,
                               [array.shape for array in start])
    x = np.asarray(inputs['x'], 'float64')

    def gradients_at(flat_weights, clipped):
        models = layered(task, call, pairs(flat_weights[:encoder_count]),
                         pairs(flat_weights[encoder_count:]))
        if task == '3-variational':
            _, _, log_var = reference.variational_parts(*models[0], x)
            expect('training: the log variance stays pinned near -40 (so '
                   'that z is the mean)', True, bool(np.all(log_var < -20)))
            found = reference.variational_gradients(*models, x, clipped)
        else:
            found = reference.autoencoder_gradients(
                *models, x, lambtha, clipped)
        return flat(pieces(found[0])) + flat(pieces(found[1]))
    expect_adam_steps(start, trained, gradients_at)


def weight_order(key):
    """Sort 'name.model.layer.index' keys: encoder first, then by number."""
    _, model, layer, index = key.rsplit('.', 3)
    return (model != 'encoder', int(layer), int(index))


def pairs(arrays):
    """Return flat [kernel, bias, kernel, bias...] as [kernel, bias] lists."""
    return [arrays[start:start + 2] for start in range(0, len(arrays), 2)]


def pieces(per_layer):
    """Return the non-empty weight lists of per-layer gradients."""
    return [weights for weights in per_layer if weights]


# ----------------------------------------------------------------------
# Dense and convolutional tasks: structure, loss, conventions.

def structure_experiment(task, number, call):
    """The layers, outputs and training of one call of a dense or conv task."""
    def build(digits, rng):
        encoder_rows, decoder_rows = text.expected_models(task, call)
        input_shape = encoder_rows[0][2][1:]
        code_shape = decoder_rows[0][2][1:]
        count = 32 if len(input_shape) == 3 else 64
        x = task_inputs(input_shape, count, digits, rng)
        encoder, decoder = draw_models(task, call, x, rng)
        trained_encoder, trained_decoder = draw_models(task, call, x, rng)
        inputs = dict(weight_inputs('weights', encoder, decoder),
                      **weight_inputs('trained weights', trained_encoder,
                                      trained_decoder))
        inputs.update(x=x, code=inputs_for('codes', code_shape, rng))
        return structure_steps(rng, reconstructs=True), inputs
    return Experiment('structure {}'.format(number), call, build)


def judged_weights(inputs, name='weights'):
    """Return the judge's (encoder, decoder) weights from the inputs."""
    models = []
    for model in ('encoder', 'decoder'):
        keys = sorted((key for key in inputs
                       if key.startswith('{}.{}.'.format(name, model))),
                      key=weight_order)
        models.append(as_float64(pairs([inputs[key] for key in keys])))
    return models


def judge_structure(task, call, context, lambtha=0.0):
    """The layers, the outputs and the training of a dense or conv model."""
    observed, inputs = context.observed, context.inputs
    described = observed.step('described')
    encoder_rows, decoder_rows = text.expected_models(task, call)
    expect_layers('encoder', encoder_rows,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', decoder_rows,
                  rows_of(described['models']['decoder']))
    encoder, decoder = layered(task, call, *judged_weights(inputs))
    x, code = inputs['x'], inputs['code']
    expect_outputs("encoder output on the judge's inputs and weights, "
                   'against NumPy', encoder, x, observed.array('encoded'))
    expect_outputs("decoder output on the judge's codes and weights, "
                   'against NumPy', decoder, code, observed.array('decoded'))
    expect_all_close("auto output on the judge's inputs and weights, against "
                     'NumPy', reference.predict(*decoder, reference.predict(
                         *encoder, x)),
                     observed.array('reconstructed'), rtol=1e-4, atol=1e-5)
    judge_training(task, call, context, lambtha)


def structure_point(task, number, call):
    """Return the structure point of one call of a dense or conv task."""
    lambtha = call[3] if task == '1-sparse' else 0.0
    return Point(task, '{}/structure-{}'.format(task, number),
                 'layers follow the text [{}{}]'.format(task, call),
                 structure_experiment(task, number, call),
                 lambda context: judge_structure(task, call, context,
                                                 lambtha))


def bce_experiment(task, call):
    """auto's loss on the judge's digits and weights, as Keras reports it."""
    def build(digits, rng):
        shape = text.expected_models(task, call)[0][0][2][1:]
        x = digits_for(256 if len(shape) == 3 else 512, digits, shape)
        encoder, decoder = draw_models(task, call, x, rng)
        inputs = dict(weight_inputs('weights', encoder, decoder), x=x)
        return [{'name': 'loaded', 'op': 'load', 'input': 'weights'},
                {'name': 'reconstructed', 'op': 'predict', 'model': 'auto',
                 'input': 'x'},
                {'name': 'evaluated', 'op': 'evaluate', 'input': 'x',
                 'batch_size': len(x)}], inputs
    return Experiment('loss', call, build)


def judge_bce_loss(task, call, context):
    """The mean BCE Keras reports, against NumPy from the judge's weights."""
    observed, x = context.observed, context.inputs['x']
    encoder, decoder = layered(task, call, *judged_weights(context.inputs))
    reconstruction = reference.predict(*decoder, reference.predict(
        *encoder, x))
    expect_all_close("auto output on the judge's inputs and weights, "
                     'against NumPy', reconstruction,
                     observed.array('reconstructed'), rtol=1e-4, atol=1e-5)
    expect_close('loss (mean binary cross-entropy), whatever form it was '
                 'given in', reference.mean_bce(x, reconstruction),
                 observed.step('evaluated')['losses'][0], rel=1e-4)


def convention_points(task, experiment):
    """Return what the graders' known checker reads by name, as points.

    None of them is asked by the text: a model that computes what the text
    asks passes every text point whatever these find.
    """
    found = []
    if task != '3-variational':
        found.append(Point(
            task, '{}/convention-loss-string'.format(task),
            CONVENTION + "auto.loss is the string 'binary_crossentropy'",
            experiment, judge_loss_string, GRADERS))
    found += [
        Point(task, '{}/convention-auto-layers'.format(task),
              CONVENTION + 'auto.layers are InputLayer, encoder, decoder',
              experiment, judge_auto_layers, GRADERS),
        Point(task, '{}/convention-adam-class'.format(task),
              CONVENTION + "the optimizer's class is called Adam",
              experiment, judge_optimizer_class, GRADERS)]
    if task == '3-variational':
        found.append(Point(
            task, '{}/convention-lambda'.format(task),
            CONVENTION + "the encoder's last layer is a Lambda",
            experiment, judge_lambda_sampler, GRADERS))
    return found


def judge_loss_string(context):
    loss = context.observed.step('described')['loss']
    expect("auto.loss (the graders' checker compares it with a string)",
           'binary_crossentropy', loss.get('string', loss.get('repr')))


def judge_auto_layers(context):
    expect("auto.layers (the graders' checker reads auto.layers[1] is "
           'encoder, auto.layers[2] is decoder)',
           ['InputLayer', 'encoder', 'decoder'],
           context.observed.step('described')['auto_layers'])


def judge_optimizer_class(context):
    expect("the optimizer's class name (the graders' checker reads it)",
           'Adam', context.observed.step('described')['optimizer']['class'])


def judge_lambda_sampler(context):
    layers = context.observed.step('described')['models']['encoder'][
        'layers']
    expect("the encoder's last layer class (the graders' checker reads it)",
           'Lambda', layers[-1]['class'] if layers else None)


def arguments_point(task, number, call):
    """The caller's lists are left as they were passed."""
    experiment = Experiment('arguments', call, lambda digits, rng: (
        [{'name': 'arguments', 'op': 'arguments'}], {}))
    return Point(task, '{}/arguments'.format(task),
                 'leaves its arguments as passed [{}-args{}]'.format(
                     task, number), experiment, judge_arguments)


def judge_arguments(context):
    reported = decode(context.observed.step('arguments')['args'])
    expect('the arguments after the call',
           list(context.arguments), list(reported))


def module_point(task):
    return Point(task, '{}/defines-autoencoder'.format(task),
                 'defines autoencoder [{}]'.format(task), MODULE,
                 judge_defines_autoencoder)


def judge_defines_autoencoder(context):
    """The task file defines a function called autoencoder."""
    module = context.observed.get('module') or {}
    if module.get('error'):
        raise Unobserved(module['error'])
    expect('autoencoder is a function', True, module.get('autoencoder'))


def common_points(task, argument_number, argument_call):
    """The points every task has: its arguments, house rules, module."""
    return ([arguments_point(task, argument_number, argument_call)]
            + [Point(task, '{}/house-{}'.format(task, key),
                     '{} [{}]'.format(name, task), FILE, judge)
               for key, name, judge in HOUSE_RULE_POINTS]
            + [module_point(task)])


def bce_point(task, call, kind):
    """The task's loss on the judge's digits: mean binary cross-entropy."""
    return Point(task, '{}/loss'.format(task),
                 '{} loss is mean binary crossentropy'.format(kind),
                 bce_experiment(task, call),
                 lambda context: judge_bce_loss(task, call, context))


def vanilla_points():
    task = '0-vanilla'
    structures = [structure_point(task, number, call)
                  for number, call in enumerate(DENSE_CALLS)]
    return (common_points(task, 0, DENSE_CALLS[0])
            + [bce_point(task, DENSE_CALLS[0], 'vanilla')] + structures
            + convention_points(task, structures[0].experiment))


# Keras 3.0 to 3.13 do not divide activity penalties by the batch size, as
# Keras 2 and 3.14+ do: the penalties must be right at every batch size.
BATCH_SIZES = [1, 7, 512]
# 1e-5 is the task's; 0.01 makes the penalty a large share of the loss.
SPARSE_LOSSES = [(0.0, 512), (10e-6, 512)] + [(0.01, size)
                                              for size in BATCH_SIZES]


def evaluations(batch_sizes):
    """Return the steps that evaluate one model at each batch size."""
    return [{'name': 'evaluated at {}'.format(size), 'op': 'evaluate',
             'input': 'x{}'.format(size), 'batch_size': size}
            for size in batch_sizes]


def batches(digits, batch_sizes):
    """Return the inputs of evaluations(batch_sizes): whole batches each."""
    inputs = {'x{}'.format(size): whole_batches(digits, size)
              for size in batch_sizes}
    inputs['x'] = digits
    return inputs


def sparse_loss_experiment(lambtha):
    call = DENSE_CALLS[0] + (lambtha,)
    sizes = [size for strength, size in SPARSE_LOSSES if strength == lambtha]

    def build(digits, rng):
        inputs = batches(digits, sizes)
        encoder, decoder = draw_models('1-sparse', call, digits, rng)
        inputs.update(weight_inputs('weights', encoder, decoder))
        return ([{'name': 'loaded', 'op': 'load', 'input': 'weights'},
                 {'name': 'encoded', 'op': 'predict', 'model': 'encoder',
                  'input': 'x'}] + evaluations(sizes)), inputs
    return Experiment('loss {}'.format(lambtha), call, build)


def judge_sparse_loss(lambtha, batch_size, context):
    """BCE + lambtha * L1 of the code, at a batch size."""
    observed = context.observed
    encoder, decoder = layered('1-sparse', context.arguments,
                               *judged_weights(context.inputs))
    expect_outputs("encoder output on the judge's inputs and weights, "
                   'against NumPy', encoder, context.inputs['x'],
                   observed.array('encoded'))
    x = context.inputs['x{}'.format(batch_size)]
    reported = observed.step('evaluated at {}'.format(batch_size))[
        'losses'][0]
    code = reference.predict(*encoder, x)
    penalty = lambtha * np.abs(code).sum(axis=1).mean()
    expected = reference.mean_bce(x, reference.predict(*decoder, code)) + \
        penalty
    expect_close('loss (mean BCE + lambtha * mean L1 of the code) with '
                 'lambtha {} at batch size {}'.format(lambtha, batch_size),
                 expected, reported, rel=1e-4)
    if lambtha >= 0.01:
        # Here the penalty is far above the tolerance, so a penalty with the
        # wrong scale or on the wrong layer cannot pass.
        expect('the L1 penalty is over 1% of the loss (a code that is not '
               'all zero)', True, penalty > 100 * 1e-4 * expected)


def sparse_points():
    task = '1-sparse'
    experiments = {lambtha: sparse_loss_experiment(lambtha)
                   for lambtha in sorted({lambtha for lambtha, _ in
                                          SPARSE_LOSSES})}
    losses = [Point(task, '{}/loss-{}-{}'.format(task, lambtha, size),
                    'sparse loss adds l1 of the code [{}-{}]'.format(
                        lambtha, size), experiments[lambtha],
                    (lambda lambtha, size: lambda context: judge_sparse_loss(
                        lambtha, size, context))(lambtha, size))
              for lambtha, size in SPARSE_LOSSES]
    structures = [structure_point(task, number, call)
                  for number, call in enumerate(SPARSE_CALLS)]
    return (common_points(task, 1, SPARSE_CALLS[0][:3] + (1e-5,))
            + losses + structures
            + convention_points(task, structures[0].experiment))


def convolutional_points():
    task = '2-convolutional'
    structures = [structure_point(task, number, call)
                  for number, call in enumerate(CONV_CALLS)]
    return (common_points(task, 2, CONV_CALLS[0])
            + [bce_point(task, CONV_CALLS[0], 'convolutional')]
            + structures
            + [Point(task, '{}/task-table'.format(task),
                     'convolutional matches the task table',
                     structures[0].experiment, judge_task_table)]
            + convention_points(task, structures[0].experiment))


def judge_task_table(context):
    """The task's convolutional call, against the table written out."""
    described = context.observed.step('described')
    expect_layers('encoder', text.TASK_CONV_ENCODER,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', text.TASK_CONV_DECODER,
                  rows_of(described['models']['decoder']))


# ----------------------------------------------------------------------
# The variational task.

SMALL_VAE = (10, [8], 2)
# The log variance at which z is the mean to float32 precision.
PINNED = -40.0


def gaussian_outputs(described, order=TEXT_ORDER):
    """Check the encoder's outputs: a sample, then two Dense heads.

    The heads are found by which layer makes each output, wherever it
    stands among the layers.
    """
    encoder = described['models']['encoder']
    layers = encoder['layers']
    makers = [layers[number] if isinstance(number, int) and
              0 <= number < len(layers) else None
              for number in encoder['output_layers']]
    expect('encoder outputs ({}): made by'.format(', '.join(order)),
           [text.SAMPLER if name == 'z' else 'Dense' for name in order],
           [None if maker is None else text.SAMPLER
            if maker.get('weights') == 0 else maker['class']
            for maker in makers])
    expect('encoder outputs 1 and 2 (mean, log variance): made by two '
           'layers', True, encoder['output_layers'][1] !=
           encoder['output_layers'][2])


def vae_experiment(key, call, build_steps):
    return Experiment(key, call, build_steps)


def variational_structure_experiment(number, call):
    def build(digits, rng):
        encoder_rows, decoder_rows = text.variational_models(*call)
        x = task_inputs((call[0],), 256, digits, rng)
        encoder, decoder = draw_models('3-variational', call, x, rng)
        pinned_encoder, pinned_decoder = draw_models(
            '3-variational', call, x, rng, heads={'log_var': (0.0, PINNED)})
        inputs = dict(weight_inputs('weights', encoder, decoder),
                      **weight_inputs('trained weights', pinned_encoder,
                                      pinned_decoder))
        inputs.update(x=x, code=inputs_for('normal', (call[2],), rng))
        return structure_steps(rng, reconstructs=False), inputs
    return Experiment('structure {}'.format(number), call, build)


def judge_variational_structure(call, context):
    """The VAE's layers, outputs and several training steps."""
    observed, inputs = context.observed, context.inputs
    described = observed.step('described')
    encoder_rows, decoder_rows = text.variational_models(*call)
    expect_layers('encoder', encoder_rows,
                  rows_of(described['models']['encoder']))
    expect_layers('decoder', decoder_rows,
                  rows_of(described['models']['decoder']))
    expect('encoder output shapes', [(None, call[2])] * 3,
           [tuple(shape) for shape in
            described['models']['encoder']['outputs']])
    gaussian_outputs(described)
    encoder, decoder = layered('3-variational', call,
                               *judged_weights(inputs))
    _, mean, log_var = reference.variational_parts(*encoder, inputs['x'])
    z, found_mean, found_log_var = (observed.array('encoded', index)
                                    for index in range(3))
    for name, expected, found in (('mean', mean, found_mean),
                                  ('log variance', log_var, found_log_var)):
        expect_all_close("encoder {} output on the judge's inputs and "
                         'weights, against NumPy'.format(name),
                         expected, found, rtol=1e-4, atol=1e-5)
    expect_standard_noise(z, mean, log_var)
    expect_outputs("decoder output on the judge's codes and weights, "
                   'against NumPy', decoder, inputs['code'],
                   observed.array('decoded'))
    judge_training('3-variational', call, context)


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


def vae_loss_experiment():
    call = VAE_CALLS[0]

    def build(digits, rng):
        inputs = batches(digits, BATCH_SIZES)
        encoder, decoder = draw_models('3-variational', call, digits, rng,
                                       heads={'log_var': (0.0, PINNED)})
        inputs.update(weight_inputs('weights', encoder, decoder))
        return ([{'name': 'loaded', 'op': 'load', 'input': 'weights'}]
                + evaluations(BATCH_SIZES)), inputs
    return Experiment('loss', call, build)


def judge_variational_loss_without_noise(batch_size, context):
    """Summed BCE + KL with the variance pinned near 0, so exactly."""
    x = context.inputs['x{}'.format(batch_size)]
    reported = context.observed.step('evaluated at {}'.format(batch_size))[
        'losses'][0]
    encoder, decoder = layered('3-variational', context.arguments,
                               *judged_weights(context.inputs))
    _, mean, log_var = reference.variational_parts(*encoder, x)
    reconstruction = reference.predict(*decoder, mean)
    expected = (reference.summed_bce(x, reconstruction)
                + reference.kl_from_standard_normal(mean, log_var)).mean()
    expect_close('loss (summed BCE + KL) at batch size {}'.format(batch_size),
                 expected, reported, rel=1e-4)


def monte_carlo_experiment():
    call = VAE_CALLS[0]

    def build(digits, rng):
        x = digits[:128]
        # A KL well above the noise of sampling: a wide mean, and a decoder
        # whose output moves little with z.
        encoder, decoder = draw_models(
            '3-variational', call, x, rng, mean_spread=3.0,
            decoder_spreads={0: 0.5, 1: 0.5})
        inputs = dict(weight_inputs('weights', encoder, decoder), x=x)
        return [{'name': 'loaded', 'op': 'load', 'input': 'weights'},
                {'name': 'evaluated', 'op': 'evaluate', 'input': 'x',
                 'batch_size': 128, 'repeat': 20}], inputs
    return Experiment('monte carlo', call, build)


def judge_variational_loss_by_monte_carlo(context):
    """The loss Keras reports, averaged over draws, against NumPy's draws."""
    x = context.inputs['x']
    encoder, decoder = layered('3-variational', context.arguments,
                               *judged_weights(context.inputs))
    _, mean, log_var = reference.variational_parts(*encoder, x)
    kl = reference.kl_from_standard_normal(mean, log_var).mean()
    rng = np.random.default_rng(context.seed)
    reconstruction_terms = []
    for _ in range(60):
        z = mean + np.exp(log_var / 2) * rng.standard_normal(mean.shape)
        reconstruction_terms.append(reference.summed_bce(
            x, reference.predict(*decoder, z)).mean())
    expected = np.mean(reconstruction_terms) + kl
    reported = float(np.mean(context.observed.step('evaluated')['losses']))
    expect_close('loss (summed BCE of sampled z + KL), averaged over draws',
                 expected, reported, rel=0.02)
    # The KL must be part of it: leaving it out would miss by more.
    in_the_loss = reported - (expected - kl)
    if not abs(in_the_loss) > 0.5 * kl > 0:
        raise TextMismatch(
            'the KL term in the loss (reported {:.6g} minus the summed BCE '
            '{:.6g})'.format(reported, expected - kl), rounded(kl),
            rounded(in_the_loss))


def sampling_experiment():
    """The small VAE with its Gaussian set by the judge to N(3, 2^2)."""
    def build(digits, rng):
        zeros = np.zeros((20000, SMALL_VAE[0]), 'float32')
        encoder, decoder = draw_models(
            '3-variational', SMALL_VAE, zeros[:64], rng,
            heads={'mean': (0.0, 3.0), 'log_var': (0.0, np.log(4.0))})
        inputs = dict(weight_inputs('weights', encoder, decoder),
                      zeros=zeros)
        return [{'name': 'described', 'op': 'describe'},
                {'name': 'loaded', 'op': 'load', 'input': 'weights'},
                {'name': 'encoded', 'op': 'predict', 'model': 'encoder',
                 'input': 'zeros', 'batch_size': 20000}], inputs
    return Experiment('sampling', SMALL_VAE, build)


def judge_sampling(context):
    """z ~ N(mean, exp(log_var)), with the Gaussian set at N(3, 2^2)."""
    observed = context.observed
    gaussian_outputs(observed.step('described'))
    z, mean, log_var = (observed.array('encoded', index)
                        for index in range(3))
    expect_all_close('the mean output, set by the judge at 3', 3.0, mean,
                     rtol=1e-5, atol=1e-5)
    expect_all_close('the log variance output, set by the judge at log 4',
                     np.log(4.0), log_var, rtol=1e-5, atol=1e-5)
    # z ~ N(3, 2^2): with 40000 draws the mean and std are within 2%.
    # The spread first: a wrong spread (exp(log_var) for exp(log_var / 2))
    # also widens the mean's error, which must not name the failure.
    expect_close('z = mean + exp(log_var / 2) * eps: std of z', 2.0,
                 float(z.std()), rel=0.02)
    expect_close('z = mean + exp(log_var / 2) * eps: mean of z', 3.0,
                 float(z.mean()), rel=0.05 / 3)


def decodes_experiment():
    """The small VAE at N(0, 5^2), then with almost no variance."""
    def build(digits, rng):
        many = inputs_for('uniform', (SMALL_VAE[0],), rng, 4096)
        few = inputs_for('uniform', (SMALL_VAE[0],), rng, 64)
        wide = draw_models('3-variational', SMALL_VAE, many, rng,
                           heads={'mean': (0.0, 0.0),
                                  'log_var': (0.0, np.log(25.0))})
        narrow = (wide[0][:-2] + [
            [np.zeros_like(wide[0][-2][0]),
             np.full_like(wide[0][-2][1], 0.5)],
            [np.zeros_like(wide[0][-1][0]),
             np.full_like(wide[0][-1][1], PINNED)]], wide[1])
        inputs = dict(weight_inputs('weights', *wide),
                      **weight_inputs('narrow weights', *narrow))
        inputs.update(many=many, few=few)
        return [{'name': 'described', 'op': 'describe'},
                {'name': 'loaded', 'op': 'load', 'input': 'weights'},
                {'name': 'first', 'op': 'predict', 'model': 'auto',
                 'input': 'many'},
                {'name': 'second', 'op': 'predict', 'model': 'auto',
                 'input': 'many'},
                {'name': 'narrowed', 'op': 'load',
                 'input': 'narrow weights'},
                {'name': 'without spread', 'op': 'predict', 'model': 'auto',
                 'input': 'few'}], inputs
    return Experiment('decodes', SMALL_VAE, build)


def judge_decodes_the_sample(context):
    """auto decodes a fresh z each call, and the mean when it has no spread."""
    observed, inputs = context.observed, context.inputs
    gaussian_outputs(observed.step('described'))
    first, second = observed.array('first'), observed.array('second')
    expect('auto decodes a new sample of z at every call', True,
           not np.allclose(first, second, atol=1e-3))
    _, decoder = layered('3-variational', SMALL_VAE,
                         *judged_weights(inputs))
    rng = np.random.default_rng(context.seed)
    draws = reference.predict(*decoder, 5.0 * rng.standard_normal((20000, 2)))
    for name, statistic in (('mean', np.mean), ('spread', np.std)):
        expect_all_close(
            'auto on the judge\'s inputs with z ~ N(0, 5^2): each output\'s '
            '{} over the batch, against NumPy decoding such draws'.format(
                name), statistic(draws, axis=0), statistic(first, axis=0),
            atol=0.05)
    # With almost no variance the sample is the mean, and auto agrees with
    # decoding the mean: the decoder sits on the sampled z.
    expect_all_close(
        'auto with the variance set near 0, against decoding the mean',
        reference.predict(*decoder, np.full((len(inputs['few']), 2), 0.5)),
        observed.array('without spread'), rtol=1e-5, atol=1e-6)


def variational_points():
    task = '3-variational'
    loss = vae_loss_experiment()
    structures = [Point(task, '{}/structure-{}'.format(task, number),
                        'variational layers follow the text [{}-hidden_'
                        'layers{}-{}]'.format(call[0], number, call[2]),
                        variational_structure_experiment(number, call),
                        (lambda call: lambda context:
                         judge_variational_structure(call, context))(call))
                  for number, call in enumerate(VAE_CALLS)]
    return (common_points(task, 4, (784, [512, 256], 2))
            + [Point(task, '{}/loss-{}'.format(task, size),
                     'variational loss is summed bce plus kl without noise '
                     '[{}]'.format(size), loss,
                     (lambda size: lambda context:
                      judge_variational_loss_without_noise(size, context))(
                          size))
               for size in BATCH_SIZES]
            + [Point(task, '{}/loss-monte-carlo'.format(task),
                     'variational loss averages to summed bce plus kl',
                     monte_carlo_experiment(),
                     judge_variational_loss_by_monte_carlo),
               Point(task, '{}/sampling'.format(task),
                     'encoder samples z from mean and log variance',
                     sampling_experiment(), judge_sampling),
               Point(task, '{}/decodes'.format(task),
                     'autoencoder decodes the sample not the mean',
                     decodes_experiment(), judge_decodes_the_sample)]
            + structures
            + convention_points(task, structures[0].experiment))


# ----------------------------------------------------------------------
# The registry: every task's points, and the plan that observes them.

POINTS_OF = {'0-vanilla': vanilla_points, '1-sparse': sparse_points,
             '2-convolutional': convolutional_points,
             '3-variational': variational_points}


def task_points(task):
    """Return the task's points, in the order the report lists them."""
    return POINTS_OF[task]()


def point_names(task):
    """Return the names of the task's points."""
    return [point.name for point in task_points(task)]


def point_sources(task):
    """Return {point name: 'text' or 'graders'} of the task's points."""
    return {point.name: point.source for point in task_points(task)}


def experiments_of(task):
    """Return the task's experiments, each once, in the points' order."""
    found = {}
    for point in task_points(task):
        if isinstance(point.experiment, Experiment):
            found.setdefault(point.experiment.key, point)
    return found


def make_plan(task, digits, seed):
    """Return (plan, inputs by experiment) of the task for this run.

    digits are the judge's MNIST digits for this run, (N, 784) float32 in
    [0, 1]; seed fixes the judge's weights, the other inputs and the
    Monte Carlo draws. Each step's input is named '<experiment>/<name>'
    in the plan.
    """
    experiments, inputs = {}, {}
    for key, point in experiments_of(task).items():
        steps, arrays = point.experiment.build(digits,
                                               experiment_rng(seed, key))
        experiments[key] = {
            'call': encode(point.experiment.call), 'doing': point.name,
            'steps': [dict(step, input='{}/{}'.format(key, step['input']))
                      if 'input' in step else step for step in steps]}
        inputs[key] = arrays
    return {'task': task, 'seed': int(seed), 'experiments': experiments}, \
        inputs


def flat_inputs(inputs):
    """Return the plan's inputs as one {'<experiment>/<name>': array}."""
    return {'{}/{}'.format(key, name): array
            for key, arrays in inputs.items()
            for name, array in arrays.items()}


# ----------------------------------------------------------------------
# Judging.

def failure(point, error):
    """Return a failed point's Failure, from the error that failed it."""
    if isinstance(error, TextMismatch):
        return Failure(with_case(error.point, point.name),
                       repr(error.expected), repr(error.found), point.name,
                       point.source, point.id)
    if isinstance(error, Unobserved):
        message = str(error)
    elif isinstance(error, SyntaxError):
        message = '{}: {}'.format(type(error).__name__, error)
    else:
        message = ('the observation does not read as the check wrote it '
                   '({}: {})'.format(type(error).__name__, error))
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + ' [...]'
    return Failure(point.name, 'no error', message, point.name, point.source,
                   point.id)


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
            point.judge(Context(observations, None, plan, file, None,
                                plan.get('seed', 0)))
            return None
        module = observations.get('module') or {}
        if module.get('error'):
            raise Unobserved(module['error'])
        key = point.experiment.key
        experiment = plan['experiments'].get(key)
        if experiment is None:
            raise Unobserved('the check did not observe it')
        observed = Observed(observations, arrays, key, experiment)
        point.judge(Context(observed, inputs.get(key, {}), plan, file,
                            decode(experiment['call']), plan['seed']))
        return None
    except Exception as error:   # noqa: BLE001 - any data may be malformed
        return failure(point, error)


def judge_task(task, plan, inputs, observations, arrays, file):
    """Judge every point of the task; return its Outcome."""
    listed = task_points(task)
    judged = [judge_point(point, plan, inputs, observations, arrays, file)
              for point in listed]
    return Outcome({point.name: point.source for point in listed},
                   [found for found in judged if found])


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


HOUSE_RULE_POINTS = [
    ('shebang', 'starts with the shebang and ends with a newline',
     judge_shebang),
    ('executable', 'is executable', judge_executable),
    ('imports', 'only import is tensorflow keras', judge_imports),
    ('docstrings', 'module classes and functions have docstrings',
     judge_docstrings),
    ('python-3.9', 'parses as python 3 9', judge_python_3_9),
    ('pycodestyle', 'pycodestyle clean', judge_pycodestyle),
]
HOUSE_RULES = [(name, judge) for _, name, judge in HOUSE_RULE_POINTS]


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
# Reading the child's files, which may be anything.

ARRAYS_LIMIT = 256 * 2 ** 20


def read_arrays(content):
    """Return {name: array} from an uncompressed .npz's bytes.

    Entries must be stored, not compressed, and all of them together
    smaller than the limit, so that no file can make the judge unpack
    more than the child could write; pickles are never loaded.
    """
    stream = io.BytesIO(content)
    with zipfile.ZipFile(stream) as archive:
        entries = archive.infolist()
        if any(entry.compress_type != zipfile.ZIP_STORED
               for entry in entries):
            raise ValueError('a compressed array')
        if sum(entry.file_size for entry in entries) > ARRAYS_LIMIT:
            raise ValueError('arrays larger than {} bytes'.format(
                ARRAYS_LIMIT))
    stream.seek(0)
    with np.load(stream, allow_pickle=False) as stored:
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
