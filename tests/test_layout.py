"""The house's layout: three floors, one task list, a bundle of the product.

tools/ is the shared ground, grading/ what runs on students' code, lab/
the research: an import may run down the floors, never up. What grading
reuses and ships is derived from imports (tools/imports.py); these tests
hold it to what the judge is known to read, with their own parse.
"""
import ast
import glob
import os

import pytest

from conftest import MAINS, REPO, TASK_FILES
from grading.check import isolation
from grading.grade import bundle
from tools import imports

FLOORS = ['tools', 'grading', 'lab']


def top_packages_imported(path):
    """Return the project packages the file at path imports from."""
    with open(path) as stream:
        tree = ast.parse(stream.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split('.')[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split('.')[0])
    return found & set(FLOORS)


@pytest.mark.parametrize('floor', FLOORS)
def test_no_import_runs_up_a_floor(floor):
    above = set(FLOORS[FLOORS.index(floor) + 1:])
    files = glob.glob(os.path.join(REPO, floor, '**', '*.py'),
                      recursive=True)
    assert files
    running_up = {os.path.relpath(path, REPO): top_packages_imported(path)
                  & above for path in files}
    assert {path: up for path, up in running_up.items() if up} == {}


def relative(paths):
    return {os.path.relpath(path, REPO) for path in paths}


def test_the_reuse_key_covers_every_file_the_judge_reads():
    judged_by = relative(imports.project_files([isolation.JUDGE,
                                                isolation.OBSERVER]))
    # What the judge process and its child import, helpers included; the
    # loss, MNIST and the submission reader were once left out by hand.
    assert {'grading/check/judge.py', 'grading/check/observe.py',
            'grading/check/points.py', 'grading/check/reference.py',
            'grading/check/text.py', 'grading/check/sandbox.py',
            'grading/submitted.py', 'tools/losses.py',
            'tools/mnist.py'} <= judged_by
    assert not any(path.startswith(('lab/', 'tests/')) for path in judged_by)


def test_the_bundle_holds_the_product_and_what_its_run_needs():
    bundled = {name for _, name in bundle.project_files()}
    assert not any(name.startswith(('lab/', 'tests/', 'sample/'))
                   for name in bundled)
    assert {task + '.py' for task in TASK_FILES} <= bundled
    # What setup.sh and run_autograder run, and the grader starts.
    assert {'tools/choose_line.sh', 'tools/mnist.py',
            'grading/grade/__main__.py', 'grading/check/judge.py',
            'grading/check/observe.py', 'requirements/tf2.15.txt'} <= bundled
    # Research and the class's comparison are not the autograder's run.
    assert not any(name.startswith('grading/similarity/')
                   for name in bundled)


def test_the_task_list_names_the_task_files_and_mains_at_the_top():
    at_the_top = sorted(os.path.basename(path)[:-3] for path in glob.glob(
        os.path.join(REPO, '[0-9]-*.py')))
    assert at_the_top == sorted(MAINS + TASK_FILES)
