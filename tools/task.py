"""The task's four mains, the calls they make, and building their models.

Each main calls one task file's `autoencoder` with fixed arguments; the
tools that measure those models (FLOPs, benchmarks, seed spreads) build
them from this one table.
"""
import importlib
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# main: (task file, the arguments it passes to autoencoder)
CALLS = {
    '0-main': ('0-vanilla', (784, [128, 64], 32)),
    '1-main': ('1-sparse', (784, [128, 64], 32, 10e-6)),
    '2-main': ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    '3-main': ('3-variational', (784, [512], 2)),
}
MAINS = list(CALLS)


def import_task_file(name):
    """Import a task file by its name, as the mains and graders do."""
    if REPO not in sys.path:
        sys.path.insert(0, REPO)
    return importlib.import_module(name)


def build(main):
    """Return (encoder, decoder, auto) as the given main builds them."""
    task_file, args = CALLS[main]
    return import_task_file(task_file).autoencoder(*args)
