"""make check: the text's points on anyone's task files, task by task.

It runs the suite's `text` tests on a folder of task files. Our own files
pass every point; each planted bug of `make mutants` fails the point that
names it, unless it breaks only this project's own promises; a missing or
crashing file fails its own task's points and no other's.
"""
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, TASK_FILES
from tools.check.mutants import MUTANTS, solution_with


def check(folder, tmp_path, *options):
    """Run make check's command on folder; return (exit code, report, text).

    The report is the JSON one, the text what it printed.
    """
    report_path = str(tmp_path / 'report.json')
    result = subprocess.run(
        [sys.executable, '-m', 'tools.check', str(folder),
         '--report', report_path] + list(options),
        cwd=REPO, capture_output=True, text=True, timeout=600)
    with open(report_path) as stream:
        return result.returncode, json.load(stream), result.stdout


def test_our_solution_passes_every_point(tmp_path):
    code, report, printed = check(REPO, tmp_path)
    assert code == 0, printed
    assert list(report) == TASK_FILES
    for task in TASK_FILES:
        passed = report[task]['passed']
        assert report[task]['failed'] == [] and passed >= 10
        assert '{}: {} of {} points passed'.format(task, passed,
                                                   passed) in printed


@pytest.mark.parametrize('mutant', MUTANTS,
                         ids=[mutant.description for mutant in MUTANTS])
def test_each_mutant_fails_the_point_that_names_it(tmp_path, mutant):
    solution = tmp_path / 'solution'
    solution.mkdir()
    solution_with(mutant, str(solution))
    task = mutant.task_file[:-len('.py')]
    code, report, printed = check(solution, tmp_path, '--tasks', task)
    assert list(report) == [task]
    if not mutant.shows:
        # Only this project's promise is broken: the text is still met.
        assert code == 0 and report[task]['failed'] == [], printed
    else:
        assert code == 1
        failed = report[task]['failed']
        assert any(failure['point'].startswith(sign) or sign in
                   failure['found'] for failure in failed
                   for sign in mutant.shows), failed


@pytest.fixture(scope='module')
def broken_solution(tmp_path_factory):
    """Check a solution without 1-sparse.py whose VAE file crashes."""
    folder = tmp_path_factory.mktemp('solution')
    solution_with(None, str(folder))
    os.remove(str(folder / '1-sparse.py'))
    with open(str(folder / '3-variational.py'), 'a') as stream:
        stream.write("raise RuntimeError('planted crash')\n")
    return check(folder, tmp_path_factory.mktemp('report'))


def test_missing_and_crashing_files_fail_their_own_task_only(
        broken_solution):
    code, report, printed = broken_solution
    assert code == 1
    for task in ('0-vanilla', '2-convolutional'):
        assert report[task]['failed'] == [] and report[task]['passed'] > 0
    sparse = report['1-sparse']
    assert sparse['passed'] == 0 and sparse['failed']
    assert all(failure['found'].startswith('FileNotFoundError')
               for failure in sparse['failed'])
    crashes = [failure for failure in report['3-variational']['failed']
               if failure['found'] == 'RuntimeError: planted crash']
    assert len(crashes) >= 10
    for task in TASK_FILES:
        assert '\n{}: '.format(task) in '\n' + printed


def test_json_report_has_the_documented_shape(broken_solution):
    _, report, _ = broken_solution
    assert list(report) == TASK_FILES
    for result in report.values():
        assert set(result) == {'passed', 'failed'}
        assert isinstance(result['passed'], int)
        for failure in result['failed']:
            assert set(failure) == {'point', 'expected', 'found'}
            assert all(isinstance(value, str) for value in failure.values())
