"""Observe one task file: run the judge's plan on it and write what Keras says.

    python observe.py PLAN_DIR OUT_DIR

make check's child, the only process that imports a solution. It reads
PLAN_DIR/plan.json (the task, and for each experiment a call of
autoencoder and the steps to take) and PLAN_DIR/inputs.npz (the arrays and
the weights the judge chose for this run), loads the judge's weights into
the models where a step says so, and writes OUT_DIR/observations.json and
OUT_DIR/observations.npz: each model's layers and configs, the names of
its compile settings, outputs, losses, the weights after each training
step. It decides nothing: the judge (grading/check/points.py), in another
process, recomputes every point in NumPy from its own weights and trusts
none of these data.

This file stands alone (the sandbox mounts it and nothing else of the
checker): it imports NumPy, Keras and the solution only. Progress lines
in OUT_DIR/progress say what it was doing, for a check that dies.
"""
import faulthandler
import gc
import importlib.util
import json
import os
import sys
import types

import numpy as np


def encode(value):
    """Return value as JSON data that keeps tuples apart from lists."""
    if isinstance(value, tuple):
        return {'tuple': [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    return value


def decode(value):
    """Return the value encode() made JSON of."""
    if isinstance(value, dict) and list(value) == ['tuple']:
        return tuple(decode(item) for item in value['tuple'])
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def plain(value):
    """Return value with tuples as lists and NumPy scalars as Python's."""
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def error_text(error):
    """Return 'Type: message' for an exception, as a failed point shows."""
    message = str(error)
    return '{}: {}'.format(type(error).__name__, message) if message else \
        type(error).__name__


class Progress:
    """Appends the phase the observer is in to a file, one JSON a line."""

    def __init__(self, path):
        self.path = path

    def write(self, phase):
        if self.path:
            with open(self.path, 'a') as stream:
                stream.write(json.dumps({'phase': phase}) + '\n')


def import_task_file(path, name):
    """Import the task file at path as the module name."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def describe_regularizer(regularizer):
    """Return an activity penalty's class and strengths, or None."""
    if regularizer is None:
        return None
    described = {'class': type(regularizer).__name__}
    for name in ('l1', 'l2'):
        if hasattr(regularizer, name):
            described[name] = plain(np.asarray(getattr(regularizer, name))
                                    .tolist())
    # A wrapper (this project's BatchMean) holds the penalty it divides.
    inner = getattr(regularizer, 'penalty', None)
    if inner is not None and hasattr(inner, 'get_config'):
        described['penalty'] = describe_regularizer(inner)
    return described


CONFIG_KEYS = ('units', 'filters', 'kernel_size', 'strides', 'padding',
               'pool_size', 'size', 'interpolation', 'dilation_rate',
               'use_bias', 'data_format')


def shape_of(output):
    """Return a tensor's shape, or a list of them for several tensors."""
    if isinstance(output, (list, tuple)):
        return [shape_of(tensor) for tensor in output]
    return plain(tuple(output.shape))


def output_shape_of(layer):
    """Return a layer's output shape, or None where Keras has none."""
    try:
        return shape_of(layer.output)
    except (AttributeError, ValueError, RuntimeError, TypeError):
        return None


def describe_layer(layer):
    """Return a layer's class, activation, output shape and config."""
    activation = getattr(layer, 'activation', None)
    try:
        config = layer.get_config()
    except Exception:   # noqa: BLE001 - a layer's config is its own code
        config = {}
    return {'class': type(layer).__name__, 'name': layer.name,
            'activation': getattr(activation, '__name__', None)
            if activation is not None else None,
            'output_shape': output_shape_of(layer),
            'config': {key: plain(config[key]) for key in CONFIG_KEYS
                       if key in config},
            'activity_regularizer': describe_regularizer(
                getattr(layer, 'activity_regularizer', None)),
            'weights': len(layer.get_weights())}


def is_model(layer):
    """Whether a layer is a model of layers (a Sequential, a Model)."""
    return isinstance(getattr(layer, 'layers', None), list)


def flat_layers(model):
    """Return the layers that compute in a model, nested models opened.

    A solution may group layers in a Sequential inside its encoder, or make
    auto a Sequential of encoder and decoder: the same computation as the
    text's flat list, so each nested model's layers stand in its place
    (without their own input layers).
    """
    found = []
    for layer in model.layers:
        if is_model(layer):
            found += [inner for inner in flat_layers(layer)
                      if type(inner).__name__ != 'InputLayer']
        else:
            found.append(layer)
    return found


def tensors_of(model, which):
    """Return a model's 'inputs' or 'outputs', or None where it has none
    yet (a Sequential never called: None on Keras 2, an error on 3.0-3.3).
    """
    try:
        return list(getattr(model, which) or []) or None
    except (AttributeError, ValueError):
        return None


def describe_model(model):
    """Return a model's layers, input and output shapes, and output makers.

    The layers are flat_layers', after an input layer: a Sequential's
    layers leave out the input it was given. A model that has no inputs or
    outputs yet (a Sequential given no input shape, until it is first
    called) reports None for them: what it computes is observed by its
    predictions.
    """
    layers = flat_layers(model)
    described = [describe_layer(layer) for layer in layers]
    inputs, outputs = tensors_of(model, 'inputs'), tensors_of(model, 'outputs')
    if inputs and len(inputs) == 1 and not (
            layers and type(layers[0]).__name__ == 'InputLayer'):
        described.insert(0, {
            'class': 'InputLayer', 'name': 'input', 'activation': None,
            'output_shape': shape_of(inputs[0]), 'config': {},
            'activity_regularizer': None, 'weights': 0})
        layers = [None] + layers
    makers = None
    if outputs:
        makers = [next((number for number, layer in enumerate(layers)
                        if layer is maker_of(output)), None)
                  for output in outputs]
    return {'layers': described,
            'inputs': inputs and [shape_of(tensor) for tensor in inputs],
            'outputs': outputs and [shape_of(tensor) for tensor in outputs],
            'output_layers': makers}


def weighted_layers(model):
    """Return the model's layers that hold weights, in the judge's order.

    That is the order of flat_layers, except that in a model of three
    outputs (the VAE's encoder) the layers making outputs 1 and 2 (the mean
    and the log variance) come last, in that order, wherever they were
    built: the judge draws its weights for the text's layers in that order.
    """
    layers = [layer for layer in flat_layers(model) if layer.weights]
    outputs = tensors_of(model, 'outputs') or []
    if len(outputs) == 3:
        heads = [maker_of(output) for output in outputs[1:]]
        layers = [layer for layer in layers
                  if not any(layer is head for head in heads)] + [
            head for head in heads if head.weights]
    return layers


def maker_of(tensor):
    """Return the layer that made a model's output tensor (Keras 2 and 3)."""
    return tensor._keras_history[0]


def weights_of(models, arrays, prefix):
    """Store the weights of encoder and decoder under prefix, by layer."""
    for name in ('encoder', 'decoder'):
        for number, layer in enumerate(weighted_layers(models[name])):
            for index, weight in enumerate(layer.get_weights()):
                arrays['{}.{}.{}.{}'.format(prefix, name, number, index)] = (
                    np.asarray(weight))


def load_weights(models, inputs, prefix):
    """Set every weighted layer of encoder and decoder to the judge's."""
    for name in ('encoder', 'decoder'):
        layers = weighted_layers(models[name])
        given = {key.split('.')[-2] for key in inputs
                 if key.startswith('{}.{}.'.format(prefix, name))}
        if len(given) != len(layers):
            raise ValueError('the {} has {} layers with weights, the text '
                             '{}'.format(name, len(layers), len(given)))
        for number, layer in enumerate(layers):
            count = len(layer.get_weights())
            layer.set_weights([inputs['{}.{}.{}.{}'.format(
                prefix, name, number, index)] for index in range(count)])


def loss_of(auto):
    """Return how auto's loss was given: a string, or another object."""
    loss = getattr(auto, 'loss', None)
    if isinstance(loss, str):
        return {'string': loss}
    return {'repr': getattr(loss, '__name__', None) or type(loss).__name__}


def optimizer_of(auto):
    """Return the optimizer's class name, as the solution's process says."""
    return {'class': type(getattr(auto, 'optimizer', None)).__name__}


def take_step(step, models, args, inputs, arrays, prefix):
    """Take one step of an experiment; return what it observed as JSON."""
    op = step['op']
    encoder, decoder, auto = models['encoder'], models['decoder'], \
        models['auto']
    if op == 'describe':
        return {'models': {name: describe_model(model)
                           for name, model in models.items()},
                'auto_layers': ['encoder' if layer is encoder else
                                'decoder' if layer is decoder else
                                type(layer).__name__
                                for layer in auto.layers],
                'loss': loss_of(auto), 'optimizer': optimizer_of(auto)}
    if op == 'load':
        load_weights(models, inputs, step['input'])
        return {}
    if op == 'predict':
        outputs = models[step['model']].predict(
            inputs[step['input']], batch_size=step.get('batch_size', 256),
            verbose=0)
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        for index, output in enumerate(outputs):
            arrays['{}.{}'.format(prefix, index)] = np.asarray(output)
        return {'outputs': len(outputs)}
    if op == 'evaluate':
        x = inputs[step['input']]
        return {'losses': [float(np.asarray(auto.evaluate(
            x, x, batch_size=step['batch_size'], verbose=0)))
            for _ in range(step.get('repeat', 1))]}
    if op == 'train':
        x = inputs[step['input']]
        for number in range(step['times']):
            auto.train_on_batch(x, x)
            weights_of(models, arrays, '{}.{}'.format(prefix, number))
        return {'trained': step['times']}
    if op == 'arguments':
        return {'args': encode(args)}
    raise ValueError('no step {!r}'.format(op))


def as_models(returned):
    """Return {encoder, decoder, auto} from what autoencoder returned."""
    if not isinstance(returned, tuple) or len(returned) != 3:
        raise TypeError('autoencoder returned {}, not (encoder, decoder, '
                        'auto)'.format(type(returned).__name__))
    return dict(zip(('encoder', 'decoder', 'auto'), returned))


def run_experiment(autoencoder, experiment, inputs, arrays, prefix, keras,
                   seed=0):
    """Call autoencoder as the experiment says and take its steps.

    Returns {'steps': [...]} and, if something raised, {'error': ...}
    after the steps that were taken.
    """
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    observed = {'steps': []}
    try:
        args = decode(experiment['call'])
        models = as_models(autoencoder(*args))
        for number, step in enumerate(experiment['steps']):
            observed['steps'].append(take_step(
                step, models, args, inputs, arrays,
                '{}.{}'.format(prefix, number)))
    except BaseException as error:   # noqa: B902 - SystemExit included
        observed['error'] = error_text(error)
    return observed


def observe(task_path, plan, inputs, progress=None, module_name=None):
    """Run the whole plan on the task file; return (observations, arrays).

    The file is imported as module_name, by default the task's name.
    """
    import tensorflow as tf
    import tensorflow.keras as keras
    progress = progress or Progress(None)
    observations = {'versions': {'tensorflow': tf.__version__,
                                 'keras': getattr(keras, '__version__',
                                                  tf.__version__)},
                    'module': {}, 'experiments': {}}
    arrays = {}
    progress.write('importing {}'.format(os.path.basename(task_path)))
    try:
        if not os.path.isfile(task_path):
            raise FileNotFoundError('no file {}'.format(task_path))
        module = import_task_file(task_path, module_name or plan['task'])
        autoencoder = getattr(module, 'autoencoder', None)
        observations['module'] = {'autoencoder': callable(autoencoder)}
    except BaseException as error:   # noqa: B902 - SystemExit included
        observations['module'] = {'error': error_text(error)}
        autoencoder = None
    for key, experiment in plan['experiments'].items():
        if autoencoder is None or not callable(autoencoder):
            continue
        progress.write('checking ' + experiment['doing'])
        observations['experiments'][key] = run_experiment(
            autoencoder, experiment, inputs, arrays, key, keras,
            plan.get('seed', 0))
    return observations, arrays


def hide_from_the_solution():
    """Leave no module name by which the solution can reach this code.

    As a script this file is __main__: an empty module takes that name, so
    that what the solution imports or patches is not what observes it.
    The judge trusts nothing this process reports anyway; this only keeps
    a forgery from being as easy as an assignment.
    """
    sys.modules['__main__'] = types.ModuleType('__main__')
    sys.argv = [sys.argv[0]]


def main(argv=None):
    # A crash in native code then dumps the stack, naming the solution's line.
    faulthandler.enable()
    plan_dir, out_dir = (argv or sys.argv[1:])[:2]
    with open(os.path.join(plan_dir, 'plan.json')) as stream:
        plan = json.load(stream)
    with np.load(os.path.join(plan_dir, 'inputs.npz')) as stored:
        inputs = {name: stored[name] for name in stored.files}
    progress = Progress(os.path.join(out_dir, 'progress'))
    hide_from_the_solution()
    # What TensorFlow makes at import lives as long as this process: set
    # aside, it is not walked again by the full garbage collection Keras 3's
    # clear_session() runs before each experiment (0.13 s each time).
    import tensorflow.keras  # noqa: F401
    gc.freeze()
    observations, arrays = observe(os.path.abspath(plan['task'] + '.py'),
                                   plan, inputs, progress)
    progress.write('writing the observations')
    # Uncompressed, so that the judge can see each array's size before
    # reading it.
    np.savez(os.path.join(out_dir, 'observations.npz'), **arrays)
    with open(os.path.join(out_dir, 'observations.json'), 'w') as stream:
        json.dump(dict(observations, complete=True), stream)
    sys.stdout.flush()
    sys.stderr.flush()
    # Threads or exit handlers the solution left behind must not hold on.
    os._exit(0)


if __name__ == '__main__':
    main()
