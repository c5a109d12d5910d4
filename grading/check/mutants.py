"""Check that the suite catches the mistakes public solutions make.

    python -m grading.check.mutants

Each mutant is a copy of our four task files with one deliberate bug in one
of them. The tests named for it, run on that copy (pytest --solution), must
fail: the text's points (tests/test_points.py) for a bug against the text,
this project's promises for the others. A mutant they pass is a hole in the
suite, and this command then exits 1. tests/test_check.py also checks that
`make check` names the right point for each.
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile

from tools.task import REPO, TASK_FILES

Mutant = collections.namedtuple(
    'Mutant', 'description task_file old new tests shows')
Mutant.__doc__ = """One planted bug.

description says what it is; task_file is where it goes, old the text it
replaces with new; tests are the test files that must catch it; shows is
how `make check` shows it: the beginning of a failed point's name, or a
part of what that point found (any of them). It is empty when the bug
breaks only this project's promises, which make check does not ask of
others.
"""

MUTANTS = [
    Mutant('decoder output relu instead of sigmoid', '0-vanilla.py',
           "'sigmoid', 'decoder')", "'relu', 'decoder')", 'test_points.py',
           ('decoder layer 3 (Dense): activation',)),
    Mutant('loss given as mean squared error', '0-vanilla.py',
           "loss='binary_crossentropy'", "loss='mse'",
           'test_points.py', ('loss',)),
    Mutant('decoder layers not reversed', '0-vanilla.py',
           'hidden_layers[::-1], input_dims', 'hidden_layers, input_dims',
           'test_points.py', ('decoder layer 1 (Dense): output shape',)),
    # The model stays right; only the caller's list is left reversed.
    Mutant('the caller\'s hidden_layers reversed in place', '0-vanilla.py',
           "    hidden_layers = _sizes('hidden_layers', hidden_layers)\n",
           "    hidden_layers.reverse()\n"
           "    hidden_layers = _sizes('hidden_layers',\n"
           "                           hidden_layers[::-1])\n",
           'test_arguments.py', ('the arguments after the call',)),
    Mutant('L2 instead of L1 on the code', '1-sparse.py',
           'keras.regularizers.l1(lambtha)', 'keras.regularizers.l2(lambtha)',
           'test_points.py',
           ('loss (mean BCE + lambtha * mean L1 of the code)',)),
    Mutant('sparsity penalty on the hidden layers too', '1-sparse.py',
           "activation='relu')(x)",
           "activation='relu',\n            activity_regularizer="
           "keras.regularizers.l1(0.01))(x)",
           'test_points.py',
           ('loss (mean BCE + lambtha * mean L1 of the code)',)),
    Mutant('lambtha not validated', '1-sparse.py',
           "    lambtha = _strength('lambtha', lambtha)\n", '',
           'test_arguments.py', ()),
    # Keras 3 refuses to join the 3x3 code to the decoder's 4x4 input, so
    # there autoencoder() itself fails, naming the shapes.
    Mutant('pooling with valid padding (7x7 -> 3x3)', '2-convolutional.py',
           "MaxPooling2D((2, 2), padding='same')", "MaxPooling2D((2, 2))",
           'test_points.py',
           ('encoder layer 2 (MaxPooling2D): padding',
            'expected shape=(None, 4, 4, 8), found shape=(None, 3, 3, 8)')),
    Mutant('second to last convolution with same padding',
           '2-convolutional.py', "padding='valid')(x)", "padding='same')(x)",
           'test_points.py', ('decoder layer 5 (Conv2D): padding',)),
    Mutant('latent_dims not checked against the encoder',
           '2-convolutional.py', '    if latent_dims != encoded:',
           '    if False:', 'test_arguments.py', ()),
    Mutant('decoder reads the mean, not z', '3-variational.py',
           '    z, _, _ = encoder(inputs)\n    auto = keras.Model(inputs, '
           'decoder(z)', '    _, z, _ = encoder(inputs)\n    auto = '
           'keras.Model(inputs, decoder(z)', 'test_points.py',
           ('auto decodes a new sample of z at every call',)),
    Mutant('sampling with exp(log_var), not exp(log_var / 2)',
           '3-variational.py', 'keras.backend.exp(log_var / 2) * eps',
           'keras.backend.exp(log_var) * eps', 'test_points.py',
           ('z = mean + exp(log_var / 2) * eps: std of z',)),
    Mutant('encoder outputs [mean, log_var, z]', '3-variational.py',
           '[z, mean, log_var], name=', '[mean, log_var, z], name=',
           'test_points.py', ('encoder outputs (z, mean, log_var)',)),
    Mutant('no KL term for the log variance', '3-variational.py',
           'activity_regularizer=log_var_kl)(x)', ')(x)', 'test_points.py',
           ('loss (summed BCE + KL)',)),
    Mutant('reconstruction averaged, not summed, over the outputs',
           '3-variational.py', ' * reconstructions.shape[-1]', '',
           'test_points.py', ('loss (summed BCE + KL)',)),
]


def named(description):
    """Return the mutant of MUTANTS with this description."""
    return next(mutant for mutant in MUTANTS
                if mutant.description == description)


def plant(mutant, folder):
    """Write the mutant's task file, with its bug, into folder."""
    with open(os.path.join(REPO, mutant.task_file)) as stream:
        source = stream.read()
    if mutant.old not in source:
        raise SystemExit('mutant {!r} no longer applies to {}'.format(
            mutant.description, mutant.task_file))
    with open(os.path.join(folder, mutant.task_file), 'w') as stream:
        stream.write(source.replace(mutant.old, mutant.new))


def solution_with(mutant, folder):
    """Fill folder with our task files, one of them with mutant's bug."""
    for name in TASK_FILES:
        shutil.copy2(os.path.join(REPO, name + '.py'), folder)
    if mutant:
        plant(mutant, folder)


def caught_by_the_suite(mutant, tests):
    """Tell whether tests (file names) fail on our files with mutant's bug.

    With no mutant, the files are ours unchanged.
    """
    with tempfile.TemporaryDirectory() as folder:
        solution_with(mutant, folder)
        result = subprocess.run(
            [sys.executable, '-m', 'pytest', '-q', '-x', '-p',
             'no:cacheprovider', '--solution', folder]
            + ['tests/' + name for name in tests.split()],
            cwd=REPO, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2'),
            capture_output=True, text=True)
        return result.returncode != 0


def main():
    """Run every mutant; exit 1 if the suite misses any."""
    # A failure only means something when the unchanged files pass.
    all_tests = ' '.join(sorted({mutant.tests for mutant in MUTANTS}))
    if caught_by_the_suite(None, all_tests):
        print('the unchanged files fail their tests: fix that first')
        return 1
    print('passed  the unchanged files', flush=True)
    missed = []
    for mutant in MUTANTS:
        caught = caught_by_the_suite(mutant, mutant.tests)
        print('{:<7} {}: {}'.format('caught' if caught else 'MISSED',
                                    mutant.task_file, mutant.description),
              flush=True)
        if not caught:
            missed.append(mutant.description)
    print('{} of {} mutants caught'.format(len(MUTANTS) - len(missed),
                                           len(MUTANTS)))
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main())
