"""Check each task of a solution in a process of its own, and say how it ended.

A task's check runs tools/check/worker.py in a fresh Python process (not a
fork: TensorFlow is not fork-safe), in its own process group, working in a
temporary copy of the solution's folder that is removed afterwards. Its
points count only from a result file that the worker finished writing,
closed by a marker chosen here for that run. An exit before that, a death
by a signal or the time limit fails all of the task's points, with the
reason and what the process was doing. This module never imports the
solution, TensorFlow or pytest.
"""
import concurrent.futures
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

from tools.check.hints import hint_for
from tools.task import REPO

WORKER = os.path.join(REPO, 'tools', 'check', 'worker.py')
# Generous for a slow laptop: one task takes 3 to 15 s on our 2 cores.
DEFAULT_TIMEOUT = 300
# What a report shows of what a solution printed: its last lines, cut.
OUTPUT_LINES, OUTPUT_LINE_LENGTH = 12, 300
# TensorFlow's own start-up log (GPU probing, oneDNN notes), not the
# solution's output; its fatal lines (F...) are kept.
TENSORFLOW_LOG = re.compile(
    r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] |[IWE]\d{4} '
    r'\d\d:\d\d:\d+\.\d+ +\d+ |WARNING: All log messages before absl)')
# Not needed to check a solution, and possibly large.
NOT_COPIED = shutil.ignore_patterns('.git', '__pycache__', '.venv*',
                                    'node_modules', '.ipynb_checkpoints')


def read_progress(path):
    """Return (the points collected, the last phase) from a progress file."""
    points, phase = None, None
    try:
        with open(path) as stream:
            for line in stream:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                points = entry.get('points', points)
                phase = entry.get('phase', phase)
    except OSError:
        pass
    return points, phase


def read_result(path, marker):
    """Return the result the worker wrote, or None if it did not finish."""
    try:
        with open(path) as stream:
            text = stream.read()
    except OSError:
        return None
    body, _, closing = text.rstrip('\n').rpartition('\n')
    if closing != marker:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def output_tail(path):
    """Return (the last lines of output, its size in bytes).

    TensorFlow's own log lines are left out of the lines.
    """
    try:
        size = os.path.getsize(path)
        with open(path, 'rb') as stream:
            stream.seek(max(0, size - 64 * 1024))
            text = stream.read().decode('utf-8', 'replace')
    except OSError:
        return [], 0
    lines = [line.rstrip() for line in text.replace('\r', '\n').split('\n')
             if line.strip() and not TENSORFLOW_LOG.match(line)]
    # After a crash in native code Python dumps the stack, innermost frame
    # (in the solution, often) first: show the dump's start.
    crashes = [number for number, line in enumerate(lines)
               if line.startswith('Fatal Python error')]
    lines = (lines[crashes[-1]:crashes[-1] + OUTPUT_LINES] if crashes
             else lines[-OUTPUT_LINES:])
    return [line if len(line) <= OUTPUT_LINE_LENGTH else
            line[:OUTPUT_LINE_LENGTH] + ' [...]' for line in lines], size


def while_doing(phase):
    """Return ' while <what the check was doing>'."""
    return ' while ' + (phase or 'starting Python')


def reason_for(code, timed_out, phase, timeout):
    """Return (status, reason) of a check that wrote no result."""
    doing = while_doing(phase)
    if timed_out:
        why = (' (does it train or loop at import?)'
               if phase and phase.startswith('importing') else '')
        return 'timed out', 'stopped by the {:g} s limit{}{}'.format(
            timeout, doing, why)
    if code < 0:
        number = -code
        try:
            name = ' ({})'.format(signal.Signals(number).name)
        except ValueError:
            name = ''
        why = (' (it wrote more than the 64 MB a check allows)'
               if number == signal.SIGXFSZ else '')
        return 'killed', 'the process was killed by signal {}{}{}{}'.format(
            number, name, doing, why)
    why = ' (os._exit?)' if code == 0 else ''
    return 'exited early', ('the process exited with status {} before '
                            'reporting{}{}'.format(code, doing, why))


def with_hints(failures):
    """Add a hint to each failure whose cause public solutions share."""
    for failure in failures:
        hint = hint_for(failure['point'], failure['found'])
        if hint:
            failure['hint'] = hint
    return failures


def all_failed(points, status, reason, expected='a finished check'):
    """Return the result of a task all of whose points fail for reason."""
    return {'passed': 0, 'status': status, 'reason': reason,
            'points': points,
            'failed': [{'point': point, 'expected': expected,
                        'found': reason, 'test': point} for point in points]}


def check_task(task, solution, python, timeout, scratch, known_points=None):
    """Check one task of the solution in DIR with python; return its result.

    The result is {passed, failed, points, status, reason, output,
    output_bytes, seconds}: status 'checked' when the worker reported, else
    why not; points lists every point of the task, as collected, or as
    known_points gives them when the check died before collecting them.
    """
    folder = os.path.join(scratch, task)
    copy = os.path.join(folder, 'solution')
    shutil.copytree(solution, copy, symlinks=True, ignore=NOT_COPIED)
    os.mkdir(os.path.join(folder, 'tmp'))
    paths = {name: os.path.join(folder, name)
             for name in ('result', 'progress', 'output')}
    marker = secrets.token_hex(16)
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE='1',
                       TMPDIR=os.path.join(folder, 'tmp'), MPLBACKEND='Agg')
    environment.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    start = time.monotonic()
    with open(paths['output'], 'wb') as output:
        process = subprocess.Popen(
            [python, WORKER, '--solution', copy, '--task', task,
             '--result', paths['result'], '--progress', paths['progress']],
            cwd=copy, env=environment, stdin=subprocess.PIPE, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            process.stdin.write((marker + '\n').encode())
            process.stdin.close()
        except OSError:
            pass
        timed_out = False
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out, code = True, None
        # Whatever the solution started goes with it.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        process.wait()
    seconds = round(time.monotonic() - start, 1)
    lines, size = output_tail(paths['output'])
    result = None if timed_out else read_result(paths['result'], marker)
    if result is not None:
        result.update(status='checked', reason=None)
    else:
        points, phase = read_progress(paths['progress'])
        result = all_failed(points or known_points or ['the check of ' + task],
                            *reason_for(code, timed_out, phase, timeout))
    with_hints(result['failed'])
    result.update(output=lines, output_bytes=size, seconds=seconds)
    return result


def check_solution(solution, tasks, python, timeout=DEFAULT_TIMEOUT, jobs=2,
                   on_done=None, known_points=None):
    """Check each task of the solution, jobs at a time; return {task: result}.

    on_done(task, result) is called as each task finishes; known_points,
    {task: [point, ...]}, stands for the points of a check that died before
    collecting its own.
    """
    scratch = tempfile.mkdtemp(prefix='check-')
    try:
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = {pool.submit(check_task, task, solution, python,
                                   timeout, scratch,
                                   (known_points or {}).get(task)): task
                       for task in tasks}
            for future in concurrent.futures.as_completed(futures):
                if on_done:
                    on_done(futures[future], future.result())
        return {task: future.result() for future, task in futures.items()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
