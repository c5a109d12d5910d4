"""The task's four mains, the calls they make, and building their models.

Each main calls one task file's `autoencoder` with fixed arguments; the
tools that measure those models (FLOPs, benchmarks, seed spreads) build
them from this one table.
"""
import importlib
import importlib.util
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The VAE that reproduces the task's sample log (sample/3-variational.py).
SAMPLE_DIR = os.path.join(REPO, 'sample')
# main: (task file, the arguments it passes to autoencoder)
CALLS = {
    '0-main': ('0-vanilla', (784, [128, 64], 32)),
    '1-main': ('1-sparse', (784, [128, 64], 32, 10e-6)),
    '2-main': ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    '3-main': ('3-variational', (784, [512], 2)),
}
MAINS = list(CALLS)
TASK_FILES = [task_file for task_file, _ in CALLS.values()]


def import_task_file(name, folder=REPO):
    """Import the task file name.py from folder (by default the repo's).

    The repo's task files are imported by name, as the mains and graders
    do; another folder's are imported from their path under the name
    '<folder>/<name>', so that both can live in one process.
    """
    if folder == REPO:
        if REPO not in sys.path:
            sys.path.insert(0, REPO)
        return importlib.import_module(name)
    module_name = '{}/{}'.format(folder, name)
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            module_name, os.path.join(folder, name + '.py'))
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            # As the import system does: a failed import leaves no module.
            del sys.modules[module_name]
            raise
    return sys.modules[module_name]


def build(main):
    """Return (encoder, decoder, auto) as the given main builds them."""
    task_file, args = CALLS[main]
    return import_task_file(task_file).autoencoder(*args)
