"""Build the zip Gradescope takes as a programming assignment's autograder.

    python -m tools.grade.bundle [--out FILE] [--weights FILE]

The zip holds setup.sh and run_autograder at its top (tools/grade/autograder/),
this project's task files, tools, tests and requirements, which the check
needs, and MNIST from the Keras cache (provisioned by `make data`), so that
building the image downloads nothing but packages. WEIGHTS goes in as
weights.txt. Prints where the zip is.
"""
import argparse
import os
import sys
import zipfile

from tools import mnist
from tools.task import REPO, TASK_FILES

AUTOGRADER = os.path.join(REPO, 'tools', 'grade', 'autograder')
FOLDERS = ['tools', 'tests', 'requirements', 'sample']
FILES = ['pytest.ini'] + [task + '.py' for task in TASK_FILES]


def project_files():
    """Yield (path on disk, path in the zip) of the project's files."""
    for name in FILES:
        yield os.path.join(REPO, name), name
    for folder in FOLDERS:
        for root, folders, names in os.walk(os.path.join(REPO, folder)):
            folders[:] = sorted(name for name in folders
                                if name != '__pycache__')
            for name in sorted(names):
                path = os.path.join(root, name)
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
        for name in ('setup.sh', 'run_autograder'):
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
        from tools.grade.weights import read_weights
        read_weights(args.weights)   # refuse a file the runs could not read
    print('autograder bundle: {}'.format(build(args.out, args.weights)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
