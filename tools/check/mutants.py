"""Check that the suite catches the mistakes public solutions make.

    python -m tools.check.mutants

Each mutant is a copy of the repository with one deliberate bug in a task
file. The tests named for it must fail on the copy; a mutant they pass is
a hole in the suite, and this command then exits 1.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from tools.task import REPO

# (what the bug is, task file, text replaced, replacement, tests to run)
MUTANTS = [
    ('decoder output relu instead of sigmoid', '0-vanilla.py',
     "'sigmoid', 'decoder')", "'relu', 'decoder')", 'test_structure.py'),
    ('loss given as mean squared error', '0-vanilla.py',
     "loss='binary_crossentropy'", "loss='mse'",
     'test_structure.py test_losses.py'),
    ('decoder layers not reversed', '0-vanilla.py',
     'hidden_layers[::-1], input_dims', 'hidden_layers, input_dims',
     'test_structure.py'),
    # The model stays right; only the caller's list is left reversed.
    ('the caller\'s hidden_layers reversed in place', '0-vanilla.py',
     "    hidden_layers = _sizes('hidden_layers', hidden_layers)\n",
     "    hidden_layers.reverse()\n"
     "    hidden_layers = _sizes('hidden_layers', hidden_layers[::-1])\n",
     'test_arguments.py'),
    ('L2 instead of L1 on the code', '1-sparse.py',
     'keras.regularizers.l1(lambtha)', 'keras.regularizers.l2(lambtha)',
     'test_losses.py'),
    ('sparsity penalty on the hidden layers too', '1-sparse.py',
     "activation='relu')(x)",
     "activation='relu',\n            activity_regularizer="
     "keras.regularizers.l1(0.01))(x)",
     'test_structure.py test_losses.py'),
    ('lambtha not validated', '1-sparse.py',
     "    lambtha = _strength('lambtha', lambtha)\n", '',
     'test_arguments.py'),
    ('pooling with valid padding (7x7 -> 3x3)', '2-convolutional.py',
     "MaxPooling2D((2, 2), padding='same')", "MaxPooling2D((2, 2))",
     'test_structure.py'),
    ('second to last convolution with same padding', '2-convolutional.py',
     "padding='valid')(x)", "padding='same')(x)", 'test_structure.py'),
    ('latent_dims not checked against the encoder', '2-convolutional.py',
     '    if latent_dims != encoded:', '    if False:',
     'test_arguments.py'),
    ('decoder reads the mean, not z', '3-variational.py',
     '    z, _, _ = encoder(inputs)\n    auto = keras.Model(inputs, '
     'decoder(z)', '    _, z, _ = encoder(inputs)\n    auto = '
     'keras.Model(inputs, decoder(z)', 'test_losses.py'),
    ('sampling with exp(log_var), not exp(log_var / 2)',
     '3-variational.py', 'keras.backend.exp(log_var / 2) * eps',
     'keras.backend.exp(log_var) * eps', 'test_losses.py'),
    ('encoder outputs [mean, log_var, z]', '3-variational.py',
     '[z, mean, log_var], name=', '[mean, log_var, z], name=',
     'test_losses.py'),
    ('no KL term for the log variance', '3-variational.py',
     'activity_regularizer=LogVarianceKL())(x)', ')(x)', 'test_losses.py'),
    ('reconstruction averaged, not summed, over the outputs',
     '3-variational.py', ' * reconstructions.shape[-1]', '',
     'test_losses.py'),
]


def run_mutant(description, task_file, old, new, tests):
    """Plant one bug in a copy of the repo; return whether tests caught it."""
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, 'repo')
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
            '.venv*', '.git', 'results', 'figures', 'logs', '__pycache__'))
        path = os.path.join(copy, task_file)
        with open(path) as stream:
            source = stream.read()
        if old not in source:
            raise SystemExit('mutant {!r} no longer applies to {}'.format(
                description, task_file))
        with open(path, 'w') as stream:
            stream.write(source.replace(old, new))
        environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2')
        result = subprocess.run(
            [sys.executable, '-m', 'pytest', '-q', '-x', '-p',
             'no:cacheprovider'] + ['tests/' + t for t in tests.split()],
            cwd=copy, env=environment, capture_output=True, text=True)
        return result.returncode != 0


def main():
    """Run every mutant; exit 1 if the suite misses any."""
    # A failure only means something when an unchanged copy passes.
    all_tests = ' '.join(sorted({tests for *_, tests in MUTANTS}))
    if run_mutant('no change', '0-vanilla.py', '', '', all_tests):
        print('the unchanged copy fails its tests: fix that first')
        return 1
    print('passed  the unchanged copy', flush=True)
    missed = []
    for description, task_file, old, new, tests in MUTANTS:
        caught = run_mutant(description, task_file, old, new, tests)
        print('{:<7} {}: {}'.format('caught' if caught else 'MISSED',
                                    task_file, description), flush=True)
        if not caught:
            missed.append(description)
    print('{} of {} mutants caught'.format(len(MUTANTS) - len(missed),
                                           len(MUTANTS)))
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
