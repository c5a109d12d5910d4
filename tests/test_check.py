"""make check: the text's points on anyone's task files, task by task.

It judges the text's points on a folder of task files, each task observed
by a sandboxed child of its own. Our own files pass every point; each
planted bug of `make mutants` fails the point that names it, unless it
breaks only this project's own promises; a missing, crashing, exiting,
hanging or printing file fails its own task's observed points (its house
rules are judged from its text) and no other's, with the reason in words,
and nothing outside the check's temporary folder changes. Solutions that
attack the check are in tests/test_sandbox.py. What no TensorFlow line
changes (the faults, a missing and a crashing file, the report's shape, a
report per line, the judge's imports) is marked once; what the judge
decides of a model runs on every line.
"""
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest

from conftest import (KERAS_3, KERAS_DIVIDES_ACTIVITY_PENALTIES, REPO,
                      TASK_FILES)
from grading.check import isolation, judge, points
from grading.check.hints import hint_for
from grading.check.mutants import MUTANTS, solution_with

# The documented shape of a task's result in the JSON report.
RESULT_KEYS = {'passed', 'failed', 'points', 'sources', 'status', 'reason',
               'output', 'output_bytes', 'seconds', 'sandbox', 'seed'}
STATUSES = {'checked', 'timed out', 'killed', 'exited early', 'out of memory',
            'over its limits', 'unreadable', 'refused',
            'judge failed'}
# The house rules, judged from a file's text whatever its child does.
HOUSE_RULES = 6


def check(folder, tmp_path, *options, environment=None):
    """Run make check's command on folder; return (exit code, report, text).

    The report is the JSON one, the text what it printed.
    """
    report_path = str(tmp_path / 'report.json')
    result = subprocess.run(
        [sys.executable, '-m', 'grading.check', str(folder),
         '--report', report_path] + list(options),
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, **(environment or {})))
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


# After one step the judge's weights saturate some outputs beyond the
# clip: compiled Keras differentiates the BCE from the logits there.
SEED_THAT_ONCE_FAILED = 567537284


@pytest.fixture(scope='module')
def two_tasks_checked(tmp_path_factory):
    """Check our 0-vanilla and 1-sparse alone, at a seed that once failed."""
    return check(REPO, tmp_path_factory.mktemp('report'), '--seed',
                 str(SEED_THAT_ONCE_FAILED), '--tasks', '0,1')


def test_our_solution_passes_with_a_seed_that_once_failed_it(
        two_tasks_checked):
    code, report, printed = two_tasks_checked
    assert code == 0, printed
    assert all(outcome['failed'] == [] for outcome in report.values())


def test_only_the_tasks_asked_are_checked_and_the_report_says_so(
        two_tasks_checked):
    _, report, printed = two_tasks_checked
    assert list(report) == ['0-vanilla', '1-sparse']
    assert printed.splitlines()[0] == ('tasks: 0-vanilla, 1-sparse only '
                                       '(TASKS=)')


INDEPENDENT = os.path.join(REPO, 'tests', 'independent')


def meets_the_text_here(name, task):
    """Whether an independent file computes what the text asks on this
    line (tests/independent/README.md says why not, where not)."""
    if task == '3-variational':
        # Their losses are built from symbolic tensors (add_loss), which
        # Keras 3 refuses; layers_lists' calls keras.ops, Keras 3's alone.
        return not KERAS_3 and name != 'layers_lists'
    if task == '1-sparse':
        # A plain L1 penalty, added whole by Keras 3.0 to 3.13.
        return KERAS_DIVIDES_ACTIVITY_PENALTIES
    return True


@pytest.mark.parametrize('name', sorted(
    name for name in os.listdir(INDEPENDENT)
    if os.path.isdir(os.path.join(INDEPENDENT, name))))
def test_solutions_written_other_ways_are_judged_by_what_they_compute(
        tmp_path, name):
    """tests/independent/ holds solutions in other styles: Sequential stacks
    (nested in an encoder, auto a Sequential of encoder and decoder), lists
    of layers, while loops. Where a file computes what the text asks, only
    the graders' conventions may fail; where it does not, a text point."""
    _, report, printed = check(os.path.join(INDEPENDENT, name), tmp_path)
    for task in TASK_FILES:
        assert report[task]['status'] == 'checked', printed
        text_failures = [failure for failure in report[task]['failed']
                         if failure['source'] != 'graders']
        if meets_the_text_here(name, task):
            assert text_failures == [], (task, printed)
        else:
            assert text_failures, (task, printed)


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


@pytest.mark.once
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


def assert_documented_shape(report):
    assert list(report) == TASK_FILES
    for result in report.values():
        assert set(result) == RESULT_KEYS
        assert isinstance(result['passed'], int)
        assert result['status'] in STATUSES
        assert (result['reason'] is None) == (result['status'] == 'checked')
        assert len(result['output']) <= judge.OUTPUT_LINES
        assert all(isinstance(line, str) and len(line) < 400
                   for line in result['output'])
        assert result['passed'] + len(result['failed']) == len(
            result['points'])
        assert list(result['sources']) == result['points']
        assert set(result['sources'].values()) <= {'text', 'graders'}
        for failure in result['failed']:
            assert {'point', 'expected', 'found', 'test', 'source'} <= set(
                failure) <= {'point', 'expected', 'found', 'test', 'source',
                             'id', 'hint'}
            assert all(isinstance(value, str) for value in failure.values())
            assert failure['test'] in result['points']
            assert failure['source'] == result['sources'][failure['test']]


@pytest.mark.once
def test_json_report_has_the_documented_shape(broken_solution):
    assert_documented_shape(broken_solution[1])


# Faults that real submissions have, each added to one of our task files:
# (task file, text appended, or (old, new) replaced). They are
# pycodestyle-clean, so that only the fault itself can fail a point.
FAULTS = {
    'exit at import': ('1-sparse', '\n\nraise SystemExit(0)\n'),
    'os._exit at import': ('3-variational',
                           "\n\n__import__('os')._exit(0)\n"),
    'endless loop at import': ('2-convolutional',
                               '\n\nwhile True:\n    pass\n'),
    'segfault at import': ('1-sparse', "\n\n__import__('os').kill(\n"
                           "    __import__('os').getpid(), 11)\n"),
    'megabytes printed at import': ('0-vanilla',
                                    "\n\nfor _ in range(20000):\n"
                                    "    print('noise ' * 40)\n"),
    'a file written at import': ('0-vanilla',
                                 "\n\nopen('LEFT_BY_SOLUTION.txt', 'w')"
                                 ".close()\n"),
    'a model that does not build': (
        '2-convolutional', ("keras.Model(inputs, x, name='encoder')",
                            "keras.Model(inputs, x[0], name='encoder')")),
}
# Three solutions with faults in different tasks: the others must pass.
FAULTY_SOLUTIONS = {
    'exits': ['exit at import', 'os._exit at import'],
    'hangs and crashes': ['endless loop at import', 'segfault at import'],
    'prints, writes, breaks': ['megabytes printed at import',
                               'a file written at import',
                               'a model that does not build'],
}
# A task of ours takes up to about 20 s on Keras 3 with two at a time on
# 2 cores: the limit leaves room, and a hanging task costs all of it.
TIMEOUT = 40


def faulty_solution(folder, faults):
    """Fill folder with our task files with the named faults planted."""
    solution_with(None, str(folder))
    for fault in faults:
        task, change = FAULTS[fault]
        path = os.path.join(str(folder), task + '.py')
        with open(path) as stream:
            source = stream.read()
        if isinstance(change, tuple):
            assert change[0] in source
            source = source.replace(*change)
        else:
            source += change
        with open(path, 'w') as stream:
            stream.write(source)


def snapshot(folder):
    """Return {path: (size, mtime)} of every file under folder but caches."""
    files = {}
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(
            ('.venv', '.git', '__pycache__', '.pytest_cache'))]
        for name in names:
            status = os.stat(os.path.join(root, name))
            files[os.path.join(root, name)] = (status.st_size,
                                               status.st_mtime_ns)
    return files


# Run as make check runs, then list what the reporting process imported.
IMPORTS_LISTED = (
    'import json, os, sys\n'
    'from grading.check.__main__ import main\n'
    'code = main(sys.argv[1:])\n'
    "heavy = [name for name in sys.modules if name.split('.')[0] in\n"
    "         ('tensorflow', 'keras', 'numpy', 'pytest') or '-' in name]\n"
    "json.dump(heavy, open(os.environ['IMPORTS_LISTED'], 'w'))\n"
    'sys.exit(code)\n')


@pytest.fixture(scope='module', params=list(FAULTY_SOLUTIONS))
def faulty_check(request, tmp_path_factory):
    """Check a faulty solution; return what it reported and what changed."""
    root = tmp_path_factory.mktemp('faulty')
    solution = root / 'solution'
    solution.mkdir()
    faulty_solution(solution, FAULTY_SOLUTIONS[request.param])
    scratch = root / 'scratch'
    scratch.mkdir()
    before = snapshot(REPO), snapshot(str(solution))
    report_path, imports_path = root / 'report.json', root / 'imports.json'
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, '-c', IMPORTS_LISTED, str(solution),
         '--timeout', str(TIMEOUT), '--report', str(report_path)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, TMPDIR=str(scratch),
                 IMPORTS_LISTED=str(imports_path)))
    seconds = time.monotonic() - start
    with open(str(report_path)) as stream:
        report = json.load(stream)
    with open(str(imports_path)) as stream:
        imported = json.load(stream)
    return {'name': request.param, 'code': result.returncode,
            'report': report, 'printed': result.stdout, 'seconds': seconds,
            'imported': imported, 'scratch': os.listdir(str(scratch)),
            'changed': (before != (snapshot(REPO), snapshot(str(solution)))),
            'solution': str(solution)}


# Each fault, as its task's report must show it.
def exits(result):
    sys_exit = [failure for failure in result['failed']
                if failure['found'] == 'SystemExit: 0']
    assert result['status'] == 'checked' and len(sys_exit) >= 10
    assert "if __name__ == '__main__':" in sys_exit[0]['hint']


def os_exits(result):
    assert result['status'] == 'exited early'
    assert result['passed'] == HOUSE_RULES
    assert result['reason'] == ('the process exited with status 0 before '
                                'reporting while importing 3-variational.py '
                                '(os._exit?)')
    assert len(result['failed']) >= 10
    assert all(failure['found'] == result['reason']
               and failure['expected'] == 'a finished check'
               for failure in result['failed'])


def hangs(result):
    assert result['status'] == 'timed out'
    assert result['passed'] == HOUSE_RULES
    assert result['reason'] == (
        'stopped by the {} s limit while importing 2-convolutional.py (does '
        'it train or loop at import?)'.format(TIMEOUT))
    assert TIMEOUT <= result['seconds'] <= TIMEOUT + 5
    assert len(result['failed']) == len(
        points.point_names('2-convolutional')) - HOUSE_RULES


def segfaults(result):
    assert result['status'] == 'killed'
    assert result['passed'] == HOUSE_RULES
    assert result['reason'] == ('the process was killed by signal 11 '
                                '(SIGSEGV) while importing 1-sparse.py')
    # Python's dump of the stack points at the solution's line.
    assert result['output'][0] == 'Fatal Python error: Segmentation fault'
    assert any('1-sparse.py", line' in line for line in result['output'])


def prints_and_writes(result):
    # Neither is against the text: every point passes, the report stays
    # short, and the file lands in the temporary copy only.
    assert result['status'] == 'checked' and result['failed'] == []
    assert result['output_bytes'] > 2 * 10 ** 6


def breaks(result):
    assert result['status'] == 'checked' and result['failed']
    for failure in result['failed']:
        assert failure['found'] != 'AssertionError'
        assert failure['expected'] == 'no error' or failure['found']


EXPECTED = {
    'exits': {'1-sparse': exits, '3-variational': os_exits},
    'hangs and crashes': {'2-convolutional': hangs, '1-sparse': segfaults},
    'prints, writes, breaks': {'0-vanilla': prints_and_writes,
                               '2-convolutional': breaks},
}


@pytest.mark.once
def test_each_fault_fails_its_own_task_only(faulty_check):
    report = faulty_check['report']
    assert faulty_check['code'] == 1
    expected = EXPECTED[faulty_check['name']]
    for task in TASK_FILES:
        if task in expected:
            expected[task](report[task])
        else:
            assert report[task]['status'] == 'checked'
            assert report[task]['failed'] == [] and report[task]['passed']


@pytest.mark.once
def test_the_report_says_why_in_words(faulty_check):
    printed = faulty_check['printed']
    for task, result in faulty_check['report'].items():
        if result['status'] != 'checked':
            assert '{}: {} of {} points passed: {}'.format(
                task, HOUSE_RULES, HOUSE_RULES + len(result['failed']),
                result['reason']) in printed
    # Megabytes of output show as a few lines.
    assert len(printed) < 20000


@pytest.mark.once
def test_a_faulty_check_ends_within_its_limit(faulty_check):
    # The tasks run side by side: the hanging one sets the pace.
    assert faulty_check['seconds'] < TIMEOUT + 60


@pytest.mark.once
def test_nothing_outside_the_temporary_copy_changes(faulty_check):
    assert not faulty_check['changed']
    assert faulty_check['scratch'] == []
    assert not os.path.exists(os.path.join(REPO, 'LEFT_BY_SOLUTION.txt'))
    assert not os.path.exists(os.path.join(faulty_check['solution'],
                                           'LEFT_BY_SOLUTION.txt'))


@pytest.mark.once
def test_the_reporting_process_never_imports_the_solution(faulty_check):
    assert faulty_check['imported'] == []


@pytest.mark.once
def test_the_judge_process_never_imports_the_solution_or_keras(tmp_path):
    listed = tmp_path / 'imports.json'
    code = (
        'import json, os, sys\n'
        'from grading.check import judge\n'
        'judge.main(sys.argv[1:])\n'
        "json.dump(sorted(name for name in sys.modules if name.split('.')[0]"
        "\n          in ('tensorflow', 'keras', 'pytest') or '-' in name),\n"
        "          open(os.environ['IMPORTS_LISTED'], 'w'))\n")
    subprocess.run(
        [sys.executable, '-c', code, '--task', '0-vanilla', '--solution',
         REPO, '--python', sys.executable, '--folder', str(tmp_path / 'task'),
         '--result', str(tmp_path / 'result.json'), '--timeout', '120',
         '--memory', '2048', '--seed', '0', '--sandbox', 'none',
         '--sandbox-version', 'none'], cwd=REPO, check=True, timeout=300,
        env=dict(os.environ, IMPORTS_LISTED=str(listed)))
    result = json.loads((tmp_path / 'result.json').read_text())
    assert result['failed'] == [] and result['passed'] == len(
        points.point_names('0-vanilla'))
    assert json.loads(listed.read_text()) == []


@pytest.mark.once
def test_faulty_reports_have_the_documented_shape(faulty_check):
    assert_documented_shape(faulty_check['report'])


@pytest.mark.once
def test_all_reports_per_line(tmp_path):
    code, report, printed = check(
        REPO, tmp_path, '--tasks', '0-vanilla',
        '--python', 'first=' + sys.executable,
        '--python', 'second=' + sys.executable)
    assert code == 0
    assert list(report) == ['first', 'second']
    for line in report.values():
        assert list(line) == ['0-vanilla'] and line['0-vanilla']['passed']
    assert printed.startswith('tasks: 0-vanilla only (TASKS=)\n== TF first '
                              '({})\nsandbox: '.format(sys.executable))
    assert '\n== TF second (' in printed


# How a check that wrote no result is explained, without running one.
@pytest.mark.parametrize('code, timed_out, phase, status, reason', [
    (0, False, 'importing 3-variational.py', 'exited early',
     'the process exited with status 0 before reporting while importing '
     '3-variational.py (os._exit?)'),
    (3, False, 'checking loss', 'exited early',
     'the process exited with status 3 before reporting while checking '
     'loss'),
    (-signal.SIGSEGV, False, 'importing 1-sparse.py', 'killed',
     'the process was killed by signal 11 (SIGSEGV) while importing '
     '1-sparse.py'),
    (-signal.SIGXFSZ, False, 'checking loss', 'killed',
     'the process was killed by signal 25 (SIGXFSZ) while checking loss '
     '(it wrote more than the 64 MB a check allows)'),
    (None, True, 'importing 2-convolutional.py', 'timed out',
     'stopped by the 300 s limit while importing 2-convolutional.py (does '
     'it train or loop at import?)'),
    (None, True, 'checking training lowers the loss', 'timed out',
     'stopped by the 300 s limit while checking training lowers the loss'),
    (-signal.SIGKILL, False, None, 'killed',
     'the process was killed by signal 9 (SIGKILL) while starting Python'),
])
def test_reasons_in_words(code, timed_out, phase, status, reason):
    assert judge.reason_for(code, timed_out, phase, 300) == (status, reason)


def write_observations(folder, observations, arrays=None,
                       compression=None):
    """Write an observations file pair as a child would, or worse."""
    with open(os.path.join(str(folder), 'observations.json'), 'w') as stream:
        stream.write(observations)
    with zipfile.ZipFile(os.path.join(str(folder), 'observations.npz'), 'w',
                         compression or zipfile.ZIP_STORED) as archive:
        for name, data in (arrays or {}).items():
            archive.writestr(name + '.npy', data)


def npy(array, allow_pickle=False):
    """Return the bytes of an .npy file holding array."""
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=allow_pickle)
    return stream.getvalue()


COMPLETE = '{"complete": true, "experiments": {}, "module": {}}'


@pytest.mark.parametrize('observations, arrays, compression, reads', [
    (COMPLETE, {'a': npy(np.zeros(3))}, None, True),
    ('{"experiments": {}, "module": {}}', {}, None, False),   # unfinished
    ('{"complete": true, "experiments": {}, "mod', {}, None, False),
    ('[' * 100000 + ']' * 100000, {}, None, False),
    ('{"complete": true, "experiments": []}', {}, None, False),
    (COMPLETE, {'a': npy(np.zeros(10 ** 6))}, zipfile.ZIP_DEFLATED, False),
    (COMPLETE, {'a': npy(np.array([{}], dtype=object), True)}, None, False),
])
def test_observations_count_only_as_a_child_writes_them(
        tmp_path, observations, arrays, compression, reads):
    write_observations(tmp_path, observations, arrays, compression)
    found = judge.read_observations(str(tmp_path))
    assert (found is not None) == reads


def test_output_is_shown_as_its_last_lines_cut(tmp_path):
    path = tmp_path / 'output'
    path.write_text(''.join('line {} {}\n'.format(number, 'x' * number)
                            for number in range(1000)))
    lines, size = judge.output_tail(str(path))
    assert size == path.stat().st_size
    assert len(lines) == judge.OUTPUT_LINES
    assert lines[-1] == 'line 999 ' + 'x' * 291 + ' [...]'


@pytest.mark.parametrize('point, found, hint', [
    ('loss', 'ValueError: A KerasTensor cannot be used as input to a '
     'TensorFlow function. A KerasTensor is a symbolic placeholder',
     'activity regularizer'),
    ('executable [1-sparse]', 'False', 'chmod +x'),
    ('first line [0-vanilla]', "'#!/usr/bin/python3'", '#!/usr/bin/env'),
    ('leaves its arguments', 'SystemExit: 0', '__main__'),
    ('loss', "AttributeError: module 'keras.api._v2.keras.backend' has no "
     "attribute 'random_normal'", 'keras.backend'),
    ('loss', 'ValueError: operands could not be broadcast', None),
])
def test_hints_for_causes_public_solutions_share(point, found, hint):
    given = hint_for(point, found)
    assert given is None if hint is None else hint in given


def test_tensorflows_own_log_is_not_shown_as_output(tmp_path):
    path = tmp_path / 'output'
    path.write_text(
        'WARNING: All log messages before absl::InitializeLog() is called '
        'are written to STDERR\n'
        'I0000 00:00:1795982785.462737    2022 port.cc:153] oneDNN custom '
        'operations are on.\n'
        'E0000 00:00:1795982789.889433    2022 cuda_platform.cc:52] failed '
        'call to cuInit\n'
        '2026-11-29 20:05:46.069568: E external/local_xla/xla/stream_executor'
        '/cuda/cuda_fft.cc:479] Unable to register cuFFT factory\n'
        'what the solution printed\n'
        'F0000 00:00:1795982789.889433    2022 fatal.cc:1] a fatal error\n')
    assert judge.output_tail(str(path))[0] == [
        'what the solution printed',
        'F0000 00:00:1795982789.889433    2022 fatal.cc:1] a fatal error']


def test_a_check_that_dies_at_once_fails_its_observed_points(tmp_path):
    # An interpreter that dies at once, as TensorFlow crashing on import.
    python = tmp_path / 'python'
    python.write_text('#!/bin/sh\nexit 3\n')
    python.chmod(0o755)
    solution = tmp_path / 'solution'
    solution.mkdir()
    solution_with(None, str(solution))
    result = isolation.check_solution(str(solution), ['0-vanilla'],
                                      str(python), 10, kind='none',
                                      seed=0)['0-vanilla']
    assert result['status'] == 'exited early'
    assert result['reason'] == ('the process exited with status 3 before '
                                'reporting while starting Python')
    assert result['passed'] == HOUSE_RULES
    assert [failure['test'] for failure in result['failed']] == [
        point for point in points.point_names('0-vanilla')
        if not point.startswith(tuple(name for name, _ in
                                      points.HOUSE_RULES))]


def test_the_child_gets_named_variables_only(monkeypatch):
    from grading.check import sandbox
    for name, value in (('TF_VAR_password', 'secret'),
                        ('TF_TOKEN_app_example_com', 'secret'),
                        ('TF_CPP_MIN_LOG_LEVEL', '3'),
                        ('OPENBLAS_CORETYPE', 'Haswell')):
        monkeypatch.setenv(name, value)
    environment = sandbox.minimal_environment('/home/sandbox', '/tmp')
    assert environment['TF_CPP_MIN_LOG_LEVEL'] == '3'
    assert environment['OPENBLAS_CORETYPE'] == 'Haswell'
    assert 'secret' not in environment.values()


@pytest.mark.parametrize('text, tasks', [
    ('0,1', ['0-vanilla', '1-sparse']),
    ('0-vanilla,sparse', ['0-vanilla', '1-sparse']),
    ('3', ['3-variational']),
    ('convolutional', ['2-convolutional']),
])
def test_tasks_are_named_by_number_or_name(text, tasks):
    from grading.check.__main__ import tasks_named
    assert tasks_named(text) == tasks


def test_a_task_that_is_not_one_is_refused():
    import argparse
    from grading.check.__main__ import tasks_named
    with pytest.raises(argparse.ArgumentTypeError, match="no task '4'"):
        tasks_named('0,4')
