"""The sets of known solutions that the similarity tools measure on.

A public set is a folder with a subfolder per solution (its SOURCES file,
if any, names each one's repository and commit); the test set is this
project's task files and the independent solutions written for the tests
(tests/independent/). The engine comparison, the calibration and the
benchmark all read their solutions here.
"""
import os

from tools.task import REPO, TASK_FILES

INDEPENDENT = os.path.join(REPO, 'tests', 'independent')


def read(path):
    with open(path, encoding='utf-8', errors='replace') as stream:
        return stream.read()


def folders(public=None):
    """Return {name: folder} of the solutions in public; the test set
    without it."""
    if public is None:
        return dict([('this-project', REPO)] + [
            (name, os.path.join(INDEPENDENT, name))
            for name in sorted(os.listdir(INDEPENDENT))
            if os.path.isdir(os.path.join(INDEPENDENT, name))])
    return {name: os.path.join(public, name)
            for name in sorted(os.listdir(public))
            if os.path.isdir(os.path.join(public, name))}


def sources(public=None):
    """Return {name: {task: source}} of the solutions, their task files."""
    found = {}
    for name, folder in folders(public).items():
        files = {task: read(os.path.join(folder, task + '.py'))
                 for task in TASK_FILES
                 if os.path.isfile(os.path.join(folder, task + '.py'))}
        if files:
            found[name] = files
    return found


def described(public=None):
    """Return where the solutions came from: SOURCES' lines, or names."""
    listed = public and os.path.join(public, 'SOURCES')
    if listed and os.path.isfile(listed):
        return read(listed).splitlines()
    return sorted(folders(public)) + (
        [] if public else ['(the test set: ours and tests/independent/)'])
