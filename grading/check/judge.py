"""Judge one task of a solution: a sandboxed child observes, this judges.

    python -m grading.check.judge --task NAME --solution DIR --python PATH
        --folder DIR --result FILE --timeout S --memory MIB --seed N
        --sandbox KIND --sandbox-version TEXT

make check starts one such process per task (grading/check/isolation.py).
It makes the task's plan (grading/check/points.py): the calls and steps its
points need, on inputs chosen for this run. A child (grading/check/observe.py,
run by PATH, started, not forked: TensorFlow is not fork-safe) imports the
task file in a sandbox (grading/check/sandbox.py), working in a copy of the
solution's folder, and writes what it observed as JSON and NPZ. This
process reads those files as data, never as code, and decides every point
from them, recomputing in NumPy; the house rules it judges from the file as
read before the child started. A child that exits early, dies, hangs or
runs out of memory fails its task's observed points, with the reason and
what it was doing. The result goes to FILE as JSON.

This process never imports the solution, TensorFlow or pytest, and runs
one thread: NumPy's threads and a fork in another thread can deadlock.
"""
import argparse
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np

from grading import submitted
from grading.check import isolation, outcome, points, sandbox
from grading.check.hints import hint_for
from tools import imports

OBSERVER = imports.module_file(isolation.OBSERVER)
# What a report shows of what a solution printed: its last lines, cut.
OUTPUT_LINES, OUTPUT_LINE_LENGTH = 12, 300
# TensorFlow's own start-up log (GPU probing, oneDNN notes), not the
# solution's output; its fatal lines (F...) are kept.
TENSORFLOW_LOG = re.compile(
    r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWE] |[IWE]\d{4} '
    r'\d\d:\d\d:\d+\.\d+ +\d+ |WARNING: All log messages before absl)')
# How running out of memory shows: Python's error, NumPy's, C++'s.
OUT_OF_MEMORY = re.compile(r"^MemoryError\b|Unable to allocate|"
                           r"std::bad_alloc|Cannot allocate memory")


def not_copied(folder, names):
    """Return what of folder the solution's copy leaves out: what is not
    needed, and whatever is not a file, a folder or a link (a FIFO would
    stop the copy, and the judge with it)."""
    left_out = {name for name in names if submitted.not_the_work(name)}
    for name in names:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)
                or stat.S_ISLNK(mode)):
            left_out.add(name)
    return left_out


# What the judge reads of the child's out folder, and at most how much.
OBSERVATIONS_LIMIT = 64 * 2 ** 20
PROGRESS_LIMIT = 2 ** 20


class Unreadable(Exception):
    """A file the child left is not one the judge reads; str() says why."""


def read_child_file(folder, name, limit):
    """Return the bytes of the child's file name in folder, or None.

    None where there is no such file; Unreadable for a link, a FIFO, a
    device, a folder or a file over limit bytes: it is opened once,
    without following links or blocking, and read at most once.
    """
    try:
        content, _ = submitted.read_regular(os.path.join(folder, name),
                                            limit)
    except FileNotFoundError:
        return None
    except submitted.Refused as refused:
        raise Unreadable('{} is {}'.format(name, refused)) from None
    if len(content) > limit:
        raise Unreadable('{} is over the {} MiB the judge reads'.format(
            name, limit // 2 ** 20))
    return content


def read_progress(folder):
    """Return the last phase the child's progress file names, or None."""
    try:
        content = read_child_file(folder, 'progress', PROGRESS_LIMIT)
    except Unreadable:
        return None
    phase = None
    for line in (content or b'').decode('utf-8', 'replace').splitlines():
        try:
            phase = json.loads(line).get('phase', phase)
        except (ValueError, AttributeError):
            continue
    return phase if isinstance(phase, str) else None


def read_observations(folder):
    """Return (observations, arrays) the child wrote, or None if unfinished.

    Anything that does not read as a complete report counts as unfinished;
    a file that is not a plain one raises Unreadable, saying which.
    """
    content = read_child_file(folder, 'observations.json',
                              OBSERVATIONS_LIMIT)
    if content is None:
        return None
    try:
        observations = json.loads(content.decode('utf-8'))
        if not (isinstance(observations, dict)
                and observations.get('complete') is True
                and isinstance(observations.get('experiments'), dict)):
            return None
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    arrays = read_child_file(folder, 'observations.npz', points.ARRAYS_LIMIT
                             + 2 ** 20)
    if arrays is None:
        return None
    try:
        return observations, points.read_arrays(arrays)
    except (OSError, ValueError, EOFError, KeyError, TypeError,
            zipfile.BadZipFile):
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


def out_of_memory(task, plan, observations, lines):
    """Return where the child ran out of memory, by its errors or output.

    That is the phase of the first error that says so ('' when only its
    last output does), or None if none does.
    """
    errors = []
    if observations:
        errors.append(('importing {}.py'.format(task), (
            observations.get('module') or {}).get('error')))
        errors += [('checking ' + plan['experiments'].get(key, {}).get(
            'doing', key), experiment.get('error'))
            for key, experiment in observations['experiments'].items()
            if isinstance(experiment, dict)]
    errors.append(('', lines[-1] if lines else None))
    return next((phase for phase, error in errors if isinstance(error, str)
                 and OUT_OF_MEMORY.search(error)), None)


def with_hints(failures):
    """Add a hint to each failure whose cause public solutions share."""
    for failure in failures:
        failure.hint = hint_for(failure.point, failure.found)
    return failures


def unfinished(task, file, status, reason):
    """Return the Outcome of a task whose child did not finish.

    The house rules are still judged, from the file; every other point
    fails with the reason.
    """
    result = points.judge_task(task, {'experiments': {}}, {},
                               {'module': {'error': reason},
                                'experiments': {}}, {}, file)
    for failure in result.failed:
        if failure.found == reason:
            failure.expected = outcome.FINISHED
    result.status, result.reason = status, reason
    return result


def write_plan(folder, plan, inputs):
    """Write the plan, its inputs and the observer into folder."""
    os.makedirs(folder)
    with open(os.path.join(folder, 'plan.json'), 'w') as stream:
        json.dump(plan, stream)
    np.savez(os.path.join(folder, 'inputs.npz'), **points.flat_inputs(inputs))
    shutil.copy(OBSERVER, os.path.join(folder, 'observe.py'))


def check_task(task, solution, python, timeout, folder, box, memory, seed,
               mount=False):
    """Check one task of the solution with python; return its Outcome.

    folder is the task's own, new; the outcome's status is 'checked' when
    the child reported, else why not.
    """
    file = points.read_file(solution, task)
    if file['refused']:
        # What the judge will not read, the child never runs.
        result, lines, size, seconds = unfinished(
            task, file, 'refused', file['refused']), [], 0, 0.0
    else:
        result, lines, size, seconds = run_child(
            task, solution, file, python, timeout, folder, box, memory, seed,
            mount)
    with_hints(result.failed)
    result.output = lines if result.status != outcome.CHECKED else []
    result.output_bytes, result.seconds = size, seconds
    result.sandbox, result.seed = str(box), seed
    return result


def run_child(task, solution, file, python, timeout, folder, box, memory,
              seed, mount=False):
    """Run the task's child in the box; return (result, lines, size, s).

    lines are the last of what it printed, size how many bytes it did.
    mount says this judge has a mount namespace of its own, where the
    child's writable places become one capped tmpfs.
    """
    plan, inputs = points.make_plan(task, points.judge_digits(seed), seed)
    os.makedirs(folder)
    write_plan(os.path.join(folder, 'plan'), plan, inputs)
    room = sandbox.make_room(folder, memory, mount)
    try:
        shutil.copytree(solution, room['solution'], symlinks=True,
                        ignore=not_copied)
    except (OSError, shutil.Error):
        if room.over() is None:
            raise
        return unfinished(task, file, 'over its limits', (
            'its folder does not fit: {}'.format(room.over()))), [], 0, 0.0
    output_path = os.path.join(folder, 'output')
    mapped = memory - (room.megabytes or 0)
    start = time.monotonic()
    with open(output_path, 'wb') as output:
        process, uid = box.start(python, folder, mapped, output)
        timed_out = False
        try:
            code = box.exit_code(process.wait(timeout))
        except subprocess.TimeoutExpired:
            timed_out, code = True, None
        box.stop(process, uid)
    seconds = round(time.monotonic() - start, 1)
    lines, size = output_tail(output_path)
    try:
        observed = None if timed_out else read_observations(room['out'])
        unreadable = None
    except Unreadable as why:
        observed, unreadable = None, str(why)
    phase = read_progress(room['out'])
    memory_phase = None if timed_out else out_of_memory(
        task, plan, observed and observed[0], [] if observed else lines)
    over = room.over()
    if over is not None:
        result = unfinished(task, file, 'over its limits',
                            over + while_doing(phase))
    elif unreadable is not None:
        result = unfinished(task, file, 'unreadable', (
            'what it left in its out folder is not read: {}'.format(
                unreadable)))
    elif memory_phase is not None:
        result = unfinished(task, file, 'out of memory', (
            'it went over the memory limit of {} MiB (MEMORY=){}'.format(
                memory, while_doing(memory_phase or phase))))
    elif observed:
        result = points.judge_task(task, plan, inputs, observed[0],
                                   observed[1], file)
    else:
        result = unfinished(task, file, *reason_for(code, timed_out, phase,
                                                    timeout))
    return result, lines, size, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for option in ('task', 'solution', 'python', 'folder', 'result',
                   'sandbox', 'sandbox-version'):
        parser.add_argument('--' + option, required=True)
    for option, kind in (('timeout', float), ('memory', int), ('seed', int)):
        parser.add_argument('--' + option, type=kind, required=True)
    parser.add_argument('--own-mounts', action='store_true',
                        help='this process has a mount namespace of its own')
    args = parser.parse_args(argv)
    box = sandbox.Sandbox(args.sandbox, args.sandbox_version)
    result = check_task(args.task, args.solution, args.python, args.timeout,
                        args.folder, box, args.memory, args.seed,
                        args.own_mounts and box.kind != 'none')
    written = args.result + '.part'
    with open(written, 'w') as stream:
        json.dump(result.to_json(), stream)
    os.replace(written, args.result)
    return 0


if __name__ == '__main__':
    sys.exit(main())
