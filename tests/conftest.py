"""Fixtures shared by the tests: task files by name, MNIST, a clean Keras.

The same suite's text points (tests/test_points.py) judge another
solution's task files with `--solution DIR`, and `-m text` keeps just
those, leaving out this project's own promises (argument checks, saving,
determinism). `make check` judges the same points with the solution in a
sandboxed process of its own.
"""
import contextlib
import fcntl
import gc
import glob
import hashlib
import json
import os
import shutil
import sys

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# TensorFlow's start-up chatter (no GPU, CPU features) is noise in test logs.
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

from grading.check import observe, points  # noqa: E402
from tools import mnist as mnist_provisioning  # noqa: E402
# MAINS and TASK_FILES are for the test modules: from conftest import ...
from tools.task import (  # noqa: E402
    MAINS, SAMPLE_DIR, TASK_FILES, import_task_file)


@contextlib.contextmanager
def stderr_hidden():
    """Send what this process writes to its stderr to /dev/null meanwhile.

    TensorFlow 2.16 and later print their start-up lines through absl,
    whatever TF_CPP_MIN_LOG_LEVEL says; pytest-xdist's main process would
    print them after its summary.
    """
    sys.stderr.flush()
    kept = os.dup(2)
    with open(os.devnull, 'w') as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(kept, 2)
        os.close(kept)


with stderr_hidden():
    import tensorflow as tf
    import tensorflow.keras as keras
    keras.layers.Dense(1)(np.zeros((1, 1), 'float32'))   # the device's start
# Keras 3's clear_session() runs a full garbage collection, which walks
# every object TensorFlow made at import (0.13 s, twice a test in
# fresh_keras); those live as long as the process, so they are set aside.
gc.freeze()

# TensorFlow 2.16 and later bring Keras 3; 2.15, the graded line, Keras 2.
KERAS_3 = tuple(int(part) for part in tf.__version__.split('.')[:2]) >= (2, 16)
# Keras 3.0 to 3.3 leave activity penalties out of a layer's config, so a
# saved model loads back without them (Keras issue 19820, fixed in 3.4).
KERAS_SAVES_ACTIVITY_PENALTIES = keras.layers.Dense(
    1, activity_regularizer='l1').get_config().get(
        'activity_regularizer') is not None


def _divides_activity_penalties():
    # A penalty of 1 per sample on a batch of two: 1 if Keras divides it by
    # the batch size (Keras 2, Keras 3.14+), 2 if it adds it whole.
    probe = keras.layers.Dense(
        1, kernel_initializer='zeros', bias_initializer='ones',
        activity_regularizer=keras.regularizers.L1(1.0))
    probe(np.zeros((2, 1), 'float32'))
    return float(sum(probe.losses)) == 1.0


# Keras 3.0 to 3.13 add a plain activity penalty whole (docs/lines.md).
KERAS_DIVIDES_ACTIVITY_PENALTIES = _divides_activity_penalties()
# The judge's inputs in the suite are fixed; make check draws new ones.
JUDGE_SEED = 0
LOST_ON_SAVING = pytest.mark.xfail(
    not KERAS_SAVES_ACTIVITY_PENALTIES, strict=True,
    reason='this Keras does not save activity penalties (issue 19820)')


def make_constant(layer, value):
    """Make a Dense layer output value for any input.

    A zero kernel and a constant bias pin what the layer gives, for
    example a VAE's log variance, so tests can predict its effect exactly.
    """
    kernel, _ = layer.get_weights()
    layer.set_weights([np.zeros_like(kernel),
                       np.full(kernel.shape[1], value, 'float32')])


# How many tests marked once this run leaves out, for its summary.
ONCE_LEFT = pytest.StashKey()


def pytest_addoption(parser):
    parser.addoption('--solution', metavar='DIR',
                     help='test the task files in DIR instead of ours '
                     '(make check)')
    parser.addoption('--once', action='store_true',
                     help='also run the tests marked once, which need one '
                     'line only (make test-once)')


@pytest.hookimpl(tryfirst=True)   # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        shared = shared_fixtures(item)
        if shared:
            item.add_marker(pytest.mark.xdist_group(','.join(shared)))
    if config.getoption('--once'):
        return
    once = [item for item in items if item.get_closest_marker('once')]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if item not in once]
    config.stash[ONCE_LEFT] = len(once)
    if hasattr(config, 'workeroutput'):   # a worker tells pytest-xdist's main
        config.workeroutput['once_left'] = len(once)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """Keep the count of once tests a pytest-xdist worker left out."""
    left = getattr(node, 'workeroutput', {}).get('once_left', 0)
    node.config.stash[ONCE_LEFT] = max(node.config.stash.get(ONCE_LEFT, 0),
                                       left)


# Session fixtures that observe or train: a worker of pytest-xdist builds
# each for itself, so the tests that use one share a worker.
COSTLY_SESSION_FIXTURES = ('judged',)


def shared_fixtures(item):
    """Return the costly fixtures item shares with other tests, sorted.

    Those are its module-scoped ones (a class graded, solutions checked)
    and COSTLY_SESSION_FIXTURES. make test runs tests on two workers
    (pytest-xdist, --dist loadgroup); tests that share these go to the
    same one, so that each fixture is built once.
    """
    info = getattr(item, '_fixtureinfo', None)
    if info is None:
        return []
    return sorted(
        name for name in info.names_closure
        if name in info.name2fixturedefs and (
            info.name2fixturedefs[name][-1].scope == 'module'
            or name in COSTLY_SESSION_FIXTURES))


def pytest_terminal_summary(terminalreporter, config):
    left = config.stash.get(ONCE_LEFT, 0)
    if left:
        terminalreporter.write_line(
            'once: {} test(s) need one line only and were not run: make '
            'test-once runs them (CI does, on the graded line)'.format(left))


@pytest.fixture(scope='session')
def solution_dir(request):
    """Return the folder whose task files are tested: ours, or --solution."""
    folder = request.config.getoption('--solution')
    return os.path.abspath(folder) if folder else REPO


@pytest.fixture
def task(solution_dir):
    """Return a function that imports a task file by name, as graders do."""
    def import_by_name(name):
        return import_task_file(name, solution_dir)
    return import_by_name


@pytest.fixture(scope='session')
def sample_vae():
    """Return sample/3-variational.py, the VAE of the task's sample log."""
    return import_task_file('3-variational', SAMPLE_DIR)


@pytest.fixture(autouse=True)
def fresh_keras():
    """Give every test an empty Keras session and the same random seeds."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    yield
    keras.backend.clear_session()


@pytest.fixture(scope='session')
def mnist():
    """Return the path of MNIST in the Keras cache, provisioned if need be.

    The tests never download: MNIST must be in the Keras cache already, or
    be provisioned from $MNIST_NPZ.
    """
    path = mnist_provisioning.cache_path()
    if not mnist_provisioning.is_valid(path):
        if not os.environ.get('MNIST_NPZ'):
            pytest.fail('MNIST is not in the Keras cache ({}). {}'.format(
                path, mnist_provisioning.HOW_TO_PROVIDE))
        mnist_provisioning.provision(download=None)
    return path


@pytest.fixture(scope='session')
def training_digits(mnist):
    """Return the first 512 training digits as the mains prepare them.

    28x28 float32 in [0, 1]. Only these are converted: all 70,000 digits as
    floats would add 220 MB to every make check process.
    """
    with np.load(mnist) as data:
        return data['x_train'][:512].astype('float32') / 255.


@pytest.fixture
def digits(training_digits):
    """Return 512 training digits flattened to 784 values each."""
    return training_digits.reshape(-1, 784)


@pytest.fixture
def images(training_digits):
    """Return 512 training digits as 28x28x1 images."""
    return training_digits[:, :, :, np.newaxis]


@pytest.fixture(scope='session')
def judged(solution_dir, mnist):
    """Return a function giving a task's plan, inputs and observations.

    Each task is observed once, in this process, and its observations go
    through JSON as the child's do.
    """
    digits = points.judge_digits(JUDGE_SEED)
    cache = {}

    def of(task):
        if task not in cache:
            plan, inputs = points.make_plan(task, digits, JUDGE_SEED)
            plan = json.loads(json.dumps(plan))
            observations, arrays = observe.observe(
                os.path.join(solution_dir, task + '.py'), plan,
                points.flat_inputs(inputs),
                module_name='{}/{}'.format(solution_dir, task))
            cache[task] = (plan, inputs,
                           json.loads(json.dumps(observations)), arrays,
                           points.read_file(solution_dir, task))
        return cache[task]
    return of


# Builds kept per name: one for each TensorFlow line (requirements/tf*.txt),
# so that CI's lines, run in turn, do not drop one another's.
KEPT_BUILDS = len(glob.glob(os.path.join(REPO, 'requirements', 'tf*.txt')))


def built_once(cache, name, inputs, build):
    """Return a folder that build(folder) filled, kept by its inputs.

    inputs are the files and words (versions, the machine) that decide what
    build makes. The folder is kept in pytest's cache (config.cache) under
    their hash, so a later run with the same inputs reuses it and any
    change builds anew; the KEPT_BUILDS last used stay. A lock lets
    parallel workers build it once.
    """
    digest = hashlib.sha256()
    for item in inputs:
        digest.update(item.encode() + b'\0')
        if os.path.isfile(item):
            with open(item, 'rb') as stream:
                digest.update(stream.read())
    kept = str(cache.mkdir(name))
    folder = os.path.join(kept, digest.hexdigest()[:16])
    with open(os.path.join(kept, 'lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(folder):
            # Built aside and renamed, so that a run stopped halfway
            # leaves nothing that looks finished.
            for unfinished in glob.glob(os.path.join(kept, '*.building')):
                shutil.rmtree(unfinished)
            building = folder + '.building'
            os.mkdir(building)
            build(building)
            os.rename(building, folder)
        os.utime(folder)
        builds = sorted((os.path.join(kept, entry) for entry in
                         os.listdir(kept) if entry != 'lock'),
                        key=os.path.getmtime, reverse=True)
        for old in builds[KEPT_BUILDS:]:
            shutil.rmtree(old)
    return folder


@pytest.fixture(scope='session')
def quick_results(request, tmp_path_factory, mnist):
    """Run make reproduce's five runs quickly; return a results folder.

    1,024 samples and 2 epochs each: what the reproduction records and
    what the gallery draws from, on small data. The runs are kept by
    content (built_once): the files they run and import, the versions and
    the machine; each session gets its own copy to write in.
    """
    from lab.reproduce.runs import main as reproduce
    from tools import imports, machine

    def build(folder):
        assert reproduce(['--quick', '--results', folder]) == 0
    inputs = imports.project_files(['lab.reproduce.runs', 'tools.run_main',
                                    'tools.png_backend'])
    inputs += [os.path.join(REPO, name + '.py') for name in MAINS + TASK_FILES]
    inputs += [os.path.join(SAMPLE_DIR, name)
               for name in sorted(os.listdir(SAMPLE_DIR))
               if name.endswith('.py')]
    run = machine.described_run()
    del run['date']
    inputs += [json.dumps(run, sort_keys=True), mnist_provisioning.SHA256]
    results = str(tmp_path_factory.mktemp('results'))
    cache = getattr(request.config, 'cache', None)
    if cache is None:   # -p no:cacheprovider: built for this run alone
        build(results)
    else:
        shutil.copytree(built_once(cache, 'quick-reproduction', inputs,
                                   build), results, dirs_exist_ok=True)
    return results


@pytest.fixture(scope='session')
def fashion_dir():
    """Return the folder of Fashion-MNIST's four files, $FASHION_MNIST_DIR.

    The tests never download: the folder must be given.
    """
    from tools import fashion_mnist
    folder = os.environ.get('FASHION_MNIST_DIR')
    if not folder or not os.path.isdir(folder):
        pytest.fail('FASHION_MNIST_DIR names no folder ({!r}). {}'.format(
            folder, fashion_mnist.HOW_TO_PROVIDE))
    return folder


@pytest.fixture(scope='session')
def chromium():
    """Return tools.browser.Browser, once headless Chromium is known here.

    CI must run the browser tests; elsewhere they skip, saying how to
    install it.
    """
    from tools import browser
    why = browser.missing()
    if why and os.environ.get('CI'):
        pytest.fail('CI must run the browser tests: ' + why)
    if why:
        pytest.skip(why)
    return browser.Browser
