"""The task's four mains, the calls they make, and building their models.

This is the one list of the tasks: each main calls one task file's
`autoencoder` with fixed arguments, and everything that names the tasks
(the Makefile, the check, similarity, the reproduction, the explorer, the
tests) derives from TASKS. `python -m tools.task mains|files` prints the
names for the Makefile. docs/development.md, "Adding a task", lists the
places that still need a hand.
"""
import collections
import importlib
import importlib.util
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The VAE that reproduces the task's sample log (sample/3-variational.py).
SAMPLE_DIR = os.path.join(REPO, 'sample')

Task = collections.namedtuple('Task', 'main file call')
Task.__doc__ = """One task: its main, its task file, and the arguments the
main passes to the file's autoencoder."""

TASKS = [
    Task('0-main', '0-vanilla', (784, [128, 64], 32)),
    Task('1-main', '1-sparse', (784, [128, 64], 32, 10e-6)),
    Task('2-main', '2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8))),
    Task('3-main', '3-variational', (784, [512], 2)),
]
# main: (task file, the arguments it passes to autoencoder)
CALLS = {task.main: (task.file, task.call) for task in TASKS}
MAINS = [task.main for task in TASKS]
TASK_FILES = [task.file for task in TASKS]
# main: the model's name in figures and pages ('vanilla' for 0-vanilla).
MODEL_NAMES = {task.main: task.file.split('-', 1)[1] for task in TASKS}


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


if __name__ == '__main__':
    print(' '.join({'mains': MAINS, 'files': TASK_FILES}[sys.argv[1]]))
