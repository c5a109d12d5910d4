"""Build the zip Gradescope takes as a programming assignment's autograder.

    python -m grading.grade.bundle [--out FILE] [--weights FILE]

The zip holds setup.sh and run_autograder at its top (autograder/), and
only what they run: the modules they start with `python -m`, the judge
and its child, which the grader starts, and every project file those
import (tools/imports.py), the scripts they call, the task files (the
grader checks them first), the TensorFlow lines' requirements and MNIST
from the Keras cache (provisioned by `make data`), so that building the
image downloads nothing but packages. WEIGHTS goes in as weights.txt.
Prints where the zip is.
"""
import argparse
import glob
import os
import re
import sys
import zipfile

from grading.check import isolation
from tools import imports, mnist
from tools.task import REPO, TASK_FILES

AUTOGRADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          'autograder')
SCRIPTS = ('setup.sh', 'run_autograder')


def started_by(script):
    """Return (modules run with python -m, scripts run with bash) in script.
    """
    with open(os.path.join(AUTOGRADER, script)) as stream:
        text = stream.read()
    return (re.findall(r'-m ([\w.]+)', text),
            re.findall(r'\bbash (\S+\.sh)\b', text))


def project_files():
    """Yield (path on disk, path in the zip) of what the bundle's run needs.
    """
    modules, scripts = [isolation.JUDGE, isolation.OBSERVER], []
    for script in SCRIPTS:
        found_modules, found_scripts = started_by(script)
        modules += [name for module in found_modules
                    for name in (module, module + '.__main__')]
        scripts += found_scripts
    paths = (imports.project_files(modules)
             + [os.path.join(REPO, name) for name in scripts]
             + [os.path.join(REPO, task + '.py') for task in TASK_FILES]
             + sorted(glob.glob(os.path.join(REPO, 'requirements',
                                             'tf*.txt'))))
    for path in sorted(set(paths)):
        yield path, os.path.relpath(path, REPO)


def add(archive, path, name):
    """Add a file to the zip, keeping whether it is executable."""
    info = zipfile.ZipInfo.from_file(path, name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with open(path, 'rb') as stream:
        archive.writestr(info, stream.read())


def build(out, weights=None):
    """Write the bundle to out; return its path."""
    if not mnist.is_valid(mnist.cache_path()):
        raise SystemExit('MNIST is not in the Keras cache: run make data '
                         'first. ' + mnist.HOW_TO_PROVIDE)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with zipfile.ZipFile(out, 'w') as archive:
        for name in SCRIPTS:
            add(archive, os.path.join(AUTOGRADER, name), name)
        for path, name in project_files():
            add(archive, path, name)
        add(archive, mnist.cache_path(), 'data/mnist.npz')
        if weights:
            add(archive, weights, 'weights.txt')
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=os.path.join(REPO, 'grades',
                                                      'autograder.zip'))
    parser.add_argument('--weights', metavar='FILE',
                        help='what each point is worth, as make check takes')
    args = parser.parse_args(argv)
    if args.weights:
        from grading.grade.weights import read_weights
        read_weights(args.weights)   # refuse a file the runs could not read
    print('autograder bundle: {}'.format(build(args.out, args.weights)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
