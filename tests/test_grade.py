"""Grading a class: the batch, its gradebook, weights and Gradescope's format.

A batch of fixture submissions (ours, one with a planted mistake, one nested
in a repository, one with no task files, one with two candidate folders,
one that hangs) must give the expected gradebook rows and statuses, in
about the time of its slowest submission plus the others divided by JOBS;
a rerun checks nothing that did not change; the gradebook agrees with
make check on each folder; Gradescope's results.json has the documented
keys and types and the gradebook's scores. The autograder bundle's local
run (setup.sh, then run_autograder on a fake /autograder tree) is marked
`once`: it installs its own environment, whatever line runs the suite.
"""
import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import REPO, TASK_FILES
from grading.check.mutants import named, solution_with
from grading.grade import weights as weighting

# A task of ours takes up to about 20 s on Keras 3 with two at a time on
# 2 cores: the limit leaves room, and a hanging task costs all of it.
TIMEOUT = 40
JOBS = 2
NESTED = os.path.join('unsupervised_learning', 'autoencoders')
PADDING = named('second to last convolution with same padding')


def grade(*arguments, timeout=900):
    """Run make check SOLUTIONS's command; return (exit code, printed)."""
    result = subprocess.run(
        [sys.executable, '-m', 'grading.grade'] + [str(a) for a in arguments],
        cwd=REPO, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout + result.stderr


def read_csv(path):
    with open(str(path), newline='') as stream:
        return list(csv.DictReader(stream))


def make_submissions(root):
    """Lay out the batch's submissions under root."""
    for name in ('ours', 'mistake', 'hangs', 'empty', 'twice'):
        (root / name).mkdir()
    solution_with(None, str(root / 'ours'))
    solution_with(PADDING, str(root / 'mistake'))
    nested = root / 'nested' / NESTED
    nested.mkdir(parents=True)
    solution_with(None, str(nested))
    (root / 'nested' / 'README.md').write_text('# machine learning\n')
    (root / 'nested' / 'supervised_learning').mkdir()
    (root / 'nested' / 'supervised_learning' / '0-neuron.py').write_text('')
    solution_with(None, str(root / 'hangs'))
    with open(str(root / 'hangs' / '2-convolutional.py'), 'a') as stream:
        stream.write('\n\nwhile True:\n    pass\n')
    (root / 'empty' / 'README.md').write_text('nothing yet\n')
    for half in ('a', 'b'):
        (root / 'twice' / half).mkdir()
        solution_with(None, str(root / 'twice' / half))


@pytest.fixture(scope='module')
def batch(tmp_path_factory):
    """Grade the batch; return its folders, gradebook and timings."""
    root = tmp_path_factory.mktemp('batch')
    solutions, grades = root / 'solutions', root / 'grades'
    solutions.mkdir()
    # First the reference check of our files alone, so that the batch's
    # time is its submissions' time.
    code, printed = grade(solutions, '--grades', grades)
    assert code == 0, printed
    make_submissions(solutions)
    start = time.monotonic()
    code, printed = grade(solutions, '--grades', grades, '--timeout',
                          TIMEOUT, '--jobs', JOBS)
    seconds = time.monotonic() - start
    assert code == 0, printed
    return {'solutions': solutions, 'grades': grades, 'printed': printed,
            'seconds': seconds,
            'rows': {row['submission']: row
                     for row in read_csv(grades / 'grades.csv')}}


def report_of(batch, name):
    with open(str(batch['grades'] / 'reports' / (name + '.json'))) as stream:
        return json.load(stream)


EXPECTED_STATUS = {
    'ours': 'graded', 'mistake': 'graded', 'nested': 'graded',
    'empty': 'no task files',
    'twice': 'two candidate folders: a, b',
    'hangs': 'partly graded: 2-convolutional timed out',
}


@pytest.mark.once
def test_each_submission_gets_its_row_and_status(batch):
    rows = batch['rows']
    assert sorted(rows) == sorted(EXPECTED_STATUS)
    assert {name: row['status'] for name, row in rows.items()} == \
        EXPECTED_STATUS
    full = rows['ours']
    assert full['total'] == full['max'] and full['percent'] == '100.0'
    assert rows['nested']['folder'] == NESTED
    assert rows['nested']['total'] == full['max']
    for name in ('empty', 'twice'):
        assert rows[name]['total'] == '0' and rows[name]['folder'] == ''
    # Every row is out of the same points, whatever happened to it.
    assert {row['max'] for row in rows.values()} == {full['max']}
    hangs = rows['hangs']
    # Its house rules are judged from the file; the rest fail.
    assert hangs['2-convolutional'] == '6'
    for task in ('0-vanilla', '1-sparse', '3-variational'):
        assert hangs[task] == hangs[task + ' max'] == full[task + ' max']
    mistake = rows['mistake']
    assert 0 < int(mistake['2-convolutional']) < int(
        mistake['2-convolutional max'])


@pytest.mark.once
def test_the_gradebook_names_each_copys_closest_submission(batch):
    # ours, mistake, nested and hangs are all this project's files.
    copies = {'ours', 'mistake', 'nested', 'hangs'}
    rows = batch['rows']
    for name in copies:
        assert rows[name]['flagged'] == 'yes'
        assert rows[name]['most similar to'] in copies - {name}
        assert float(rows[name]['highest similarity']) > 0.9
    for name in ('empty', 'twice'):
        assert rows[name]['flagged'] == 'no'
        assert rows[name]['highest similarity'] == ''
    assert (batch['grades'] / 'similarity.html').is_file()
    flagged = {frozenset((row['submission'], row['other']))
               for row in read_csv(batch['grades'] / 'similarity.csv')
               if row['flagged'] == 'yes'}
    assert flagged == {frozenset(pair)
                       for pair in itertools.combinations(copies, 2)}
    assert 'similarity: 6 pairs flagged of 6' in batch['printed']


@pytest.mark.once
def test_points_csv_has_a_row_per_submission_task_and_point(batch):
    points = read_csv(batch['grades'] / 'points.csv')
    full = int(batch['rows']['ours']['max'])
    assert len(points) == full * len(EXPECTED_STATUS)
    failed = [row for row in points if row['submission'] == 'mistake'
              and row['passed'] == 'no']
    assert all(row['task'] == '2-convolutional' for row in failed)
    assert any("'valid'" == row['expected'] and "'same'" in row['found']
               for row in failed)


@pytest.mark.once
def test_the_gradebook_matches_make_check_on_each_folder(batch, tmp_path):
    for name, folder in (('mistake', 'mistake'),
                         ('nested', os.path.join('nested', NESTED))):
        report_path = tmp_path / (name + '.json')
        subprocess.run(
            [sys.executable, '-m', 'grading.check',
             str(batch['solutions'] / folder), '--report', str(report_path)],
            cwd=REPO, capture_output=True, timeout=600)
        with open(str(report_path)) as stream:
            checked = json.load(stream)
        row = batch['rows'][name]
        for task in TASK_FILES:
            result = checked[task]
            assert row[task] == str(result['passed'])
            assert row[task + ' max'] == str(
                result['passed'] + len(result['failed']))


@pytest.mark.once
def test_the_batch_takes_its_slowest_plus_the_rest_over_jobs(batch):
    seconds = [report_of(batch, name).get('seconds', 0)
               for name in EXPECTED_STATUS]
    slowest = max(seconds)
    assert slowest >= TIMEOUT   # the hanging one
    assert batch['seconds'] < slowest + (sum(seconds) - slowest) / JOBS + 20


@pytest.mark.once
def test_progress_line_counts_down(batch):
    assert 'graded 1 of 6 submissions, ' in batch['printed']
    assert 'graded 6 of 6 submissions, ' in batch['printed']
    assert ', about 0:00 left' in batch['printed']


@pytest.mark.once
def test_a_rerun_checks_only_what_changed(batch):
    before = (batch['grades'] / 'grades.csv').read_text()
    code, printed = grade(batch['solutions'], '--grades', batch['grades'],
                          '--timeout', TIMEOUT, timeout=120)
    assert code == 0
    assert '6 submissions, 0 checked now, 6 unchanged' in printed
    assert (batch['grades'] / 'grades.csv').read_text() == before


WEIGHTS = '''# a course's own scale
0-vanilla = 6
1-sparse = 6
2-convolutional = 6   # shared by its points
3-variational = 16
3-variational: variational loss = 3   # its four loss points: 12 of the 16
'''


@pytest.mark.once
def test_weights_rescale_the_gradebook_without_checking_again(batch,
                                                              tmp_path):
    weights = tmp_path / 'weights.txt'
    weights.write_text(WEIGHTS)
    grades = tmp_path / 'grades'
    shutil.copytree(str(batch['grades']), str(grades))
    code, printed = grade(batch['solutions'], '--grades', grades,
                          '--weights', weights, '--timeout', TIMEOUT,
                          timeout=120)
    assert code == 0 and '0 checked now' in printed
    rows = {row['submission']: row for row in read_csv(grades / 'grades.csv')}
    assert rows['ours']['total'] == rows['ours']['max'] == '34'
    assert rows['ours']['3-variational max'] == '16'
    mistake = rows['mistake']
    failed = int(batch['rows']['mistake']['2-convolutional max']) - int(
        batch['rows']['mistake']['2-convolutional'])
    points = int(batch['rows']['mistake']['2-convolutional max'])
    assert float(mistake['2-convolutional']) == pytest.approx(
        6 - 6 * failed / points, abs=1e-3)


def test_a_weights_file_it_cannot_read_is_refused(tmp_path):
    weights = tmp_path / 'weights.txt'
    weights.write_text('0-vanilla: 6\n')
    code, printed = grade(tmp_path, '--weights', weights, timeout=60)
    assert code == 2
    assert ('line 1: expected "TASK = N", "TASK: POINT = N" or '
            '"conventions = N"') in printed


@pytest.mark.parametrize('rules, points, expected', [
    (None, ['a', 'b'], {'a': 1, 'b': 1}),
    ({'total': 6, 'points': {}}, ['a', 'b', 'c'], {'a': 2, 'b': 2, 'c': 2}),
    ({'total': 6, 'points': {'loss': 4}}, ['loss x', 'b', 'c'],
     {'loss x': 4, 'b': 1, 'c': 1}),
    ({'total': None, 'points': {'loss': 4}}, ['loss x', 'b'],
     {'loss x': 4, 'b': 1}),
])
def test_point_weights(rules, points, expected):
    weights = {'0-vanilla': rules} if rules else None
    assert weighting.point_weights('0-vanilla', points, weights) == expected


def test_named_points_cannot_outweigh_their_task():
    with pytest.raises(ValueError, match='0-vanilla: its named points weigh '
                       '8, which does not fit its total of 6'):
        weighting.point_weights(
            '0-vanilla', ['loss a', 'loss b', 'c'],
            {'0-vanilla': {'total': 6, 'points': {'loss': 4}}})


# Gradescope's specification of results.json (gradescope-autograders).
VISIBILITIES = {'hidden', 'after_due_date', 'after_published', 'visible'}


def assert_valid_gradescope_results(results):
    assert {'score', 'execution_time', 'output', 'visibility',
            'stdout_visibility', 'tests'} <= set(results)
    assert isinstance(results['score'], (int, float))
    assert isinstance(results['execution_time'], int)
    assert isinstance(results['output'], str)
    assert results['visibility'] in VISIBILITIES
    assert results['stdout_visibility'] in VISIBILITIES
    numbers = set()
    for test in results['tests']:
        assert set(test) == {'name', 'number', 'score', 'max_score',
                             'status', 'output', 'visibility'}
        assert isinstance(test['name'], str) and test['name'].split(': ')[
            0] in TASK_FILES
        assert isinstance(test['number'], str)
        numbers.add(test['number'])
        assert isinstance(test['score'], (int, float))
        assert isinstance(test['max_score'], (int, float))
        assert 0 <= test['score'] <= test['max_score']
        assert test['status'] in {'passed', 'failed'}
        assert (test['status'] == 'passed') == (
            test['score'] == test['max_score'])
        assert isinstance(test['output'], str)
        assert test['visibility'] in VISIBILITIES
    assert len(numbers) == len(results['tests'])
    assert results['score'] == pytest.approx(
        sum(test['score'] for test in results['tests']))


@pytest.mark.once
def test_gradescope_results_match_the_gradebook(batch, tmp_path):
    grades = tmp_path / 'grades'
    shutil.copytree(str(batch['grades']), str(grades))
    for name in ('mistake', 'empty'):
        path = tmp_path / (name + '.json')
        code, printed = grade('--submission', batch['solutions'] / name,
                              '--gradescope', path, '--grades', grades,
                              timeout=300)
        assert code == 0, printed
        results = json.loads(path.read_text())
        assert_valid_gradescope_results(results)
        row = batch['rows'][name]
        assert '{:g}'.format(results['score']) == row['total']
        assert '{:g}'.format(sum(test['max_score'] for test in
                                 results['tests'])) == row['max']
        assert results['output'].startswith(row['status'])
        if name == 'mistake':   # it ran: the output names its sandbox
            assert '\nsandbox: bubblewrap' in results['output']


@pytest.mark.once
def test_the_autograder_bundle_runs_on_a_fake_tree(batch, tmp_path):
    from grading.grade.bundle import main as build
    bundle = tmp_path / 'autograder.zip'
    assert build(['--out', str(bundle)]) == 0
    root = tmp_path / 'autograder'
    with zipfile.ZipFile(str(bundle)) as archive:
        names = archive.namelist()
        assert {'setup.sh', 'run_autograder', 'data/mnist.npz'} <= set(names)
    (root / 'source').mkdir(parents=True)
    subprocess.run(['unzip', '-q', str(bundle), '-d', str(root / 'source')],
                   check=True)
    environment = dict(os.environ, AUTOGRADER_ROOT=str(root))
    setup = subprocess.run(['bash', str(root / 'source' / 'setup.sh')],
                           env=environment, capture_output=True, text=True,
                           timeout=900)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert 'setup.sh: TF=' in setup.stdout
    assert os.path.isfile(str(root / 'venv' / 'bin' / 'python'))
    for name in ('ours', 'mistake'):
        submission = root / 'submission'
        if submission.exists():
            shutil.rmtree(str(submission))
        shutil.copytree(str(batch['solutions'] / name), str(submission))
        start = time.monotonic()
        run = subprocess.run(
            [str(root / 'source' / 'run_autograder')], env=environment,
            capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        assert time.monotonic() - start < 600   # Gradescope's 10 minutes
        results = json.loads(
            (root / 'results' / 'results.json').read_text())
        assert_valid_gradescope_results(results)
        assert '{:g}'.format(results['score']) == batch['rows'][name]['total']


def test_conventions_can_weigh_nothing_in_every_task(tmp_path):
    weights = tmp_path / 'weights.txt'
    weights.write_text('conventions = 0\n0-vanilla = 6\n')
    rules = weighting.read_weights(str(weights))
    points = ['loss', 'layers', "convention: auto.loss is the string"]
    assert weighting.point_weights('0-vanilla', points, rules) == {
        'loss': 3, 'layers': 3, 'convention: auto.loss is the string': 0}
    assert weighting.point_weights('3-variational', points, rules) == {
        'loss': 1, 'layers': 1, 'convention: auto.loss is the string': 0}
