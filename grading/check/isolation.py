"""Check each task of a solution in a judge process of its own, jobs at a time.

Each task is judged by `python -m grading.check.judge` (judge.py), which
starts the sandboxed child that imports the task file and decides the
points from what the child observed. This module only starts those
processes and collects their results: it imports neither the solution, nor
TensorFlow, NumPy or pytest.
"""
import concurrent.futures
import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile

from grading.check import sandbox
from grading.check.outcome import Outcome
from tools.task import REPO

# The judge process's module, and its child's, which the judge copies in.
JUDGE, OBSERVER = 'grading.check.judge', 'grading.check.observe'
# Generous for a slow laptop: one task takes 3 to 15 s on our 2 cores.
DEFAULT_TIMEOUT = 300
# What a judge process may take beyond its child's limit: MNIST, NumPy.
JUDGE_MARGIN = 120
# MiB of data a judge process may map: MNIST, the observations it reads
# (at most points.ARRAYS_LIMIT) and NumPy's work on them.
JUDGE_MEMORY = 1536


def add_running_options(parser, where):
    """Add how each task runs: --timeout, --sandbox and --memory.

    make check takes them alike for one solution and for a class; where
    says in the help what runs ('the solution runs').
    """
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        help='seconds each task may take (default: '
                        '%(default)s)')
    parser.add_argument('--sandbox', choices=sandbox.KINDS, default='auto',
                        help='where {} (default: auto, bubblewrap where '
                        'it works here)'.format(where))
    parser.add_argument('--memory', type=int, default=sandbox.DEFAULT_MEMORY,
                        metavar='MIB', help='memory each task may map '
                        '(default: %(default)s MiB)')


def refuse_bad_running(parser, args):
    """Stop with parser's usage error if a running option is not positive."""
    if args.timeout <= 0 or args.memory < 1 or args.jobs < 1:
        parser.error('--timeout, --jobs and --memory must be positive')


def announce_sandbox(kind, python):
    """Return the sandbox kind asks for python, or None where there is none.

    Its notice, where it falls back, is printed as SANDBOX=KIND: ...; where
    there is none, make check's reason goes to stderr.
    """
    try:
        box = sandbox.choose(kind, python)
    except sandbox.Unavailable as error:
        print('make check: {}'.format(error), file=sys.stderr)
        return None
    notice = sandbox_notice(kind, box)
    if notice:
        print(notice, flush=True)
    return box


def sandbox_notice(kind, box):
    """Return the line that says how the sandbox kind falls back, or ''."""
    return 'SANDBOX={}: {}'.format(kind, box.notice) if box.notice else ''


@functools.lru_cache(maxsize=None)
def own_mounts():
    """Return the command prefix that gives a judge its own mount namespace.

    As root, a judge mounts its child's capped tmpfs there, and the mount
    goes away with it; elsewhere (or where unshare cannot) there is none.
    """
    if os.geteuid() != 0 or not shutil.which('unshare'):
        return []
    prefix = ['unshare', '--mount', '--propagation', 'private']
    try:
        subprocess.run(prefix + ['true'], check=True, capture_output=True,
                       timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    return prefix


def judge_task(task, solution, python, timeout, folder, box, memory, seed,
               known_points=None):
    """Run the judge process of one task; return its result.

    known_points stand for the task's points if the judge itself fails.
    """
    os.makedirs(folder)
    result_path = os.path.join(folder, 'result.json')
    mounts = own_mounts()
    command = mounts + [
        # The soft limit binds the judge; its child sets limits of its own.
        'prlimit', '--data={}:unlimited'.format(JUDGE_MEMORY * 2 ** 20),
        '--core=0',
        '--', sys.executable, '-m', JUDGE, '--task', task,
        '--solution', solution, '--python', python,
        '--folder', os.path.join(folder, 'task'),
        '--result', result_path, '--timeout', str(timeout),
        '--memory', str(memory), '--seed', str(seed),
        '--sandbox', box.kind, '--sandbox-version', box.version] + (
            ['--own-mounts'] if mounts else [])
    process = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        said, _ = process.communicate(timeout=timeout + JUDGE_MARGIN)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        said, _ = process.communicate()
    try:
        with open(result_path) as stream:
            return json.load(stream)
    except (OSError, ValueError):
        lines = said.decode('utf-8', 'replace').strip().splitlines()
        why = lines[-1] if lines else 'exit status {}'.format(
            process.returncode)
        failed = Outcome.all_failed(
            known_points or ['the check of ' + task], 'judge failed',
            'the judge of {} failed ({})'.format(task, why))
        failed.output, failed.output_bytes = lines[-12:], len(said)
        failed.sandbox, failed.seed = str(box), seed
        return failed.to_json()


def check_solution(solution, tasks, python, timeout=DEFAULT_TIMEOUT, jobs=2,
                   on_done=None, kind='auto', memory=sandbox.DEFAULT_MEMORY,
                   seed=None, known_points=None):
    """Check each task of the solution, jobs at a time; return {task: result}.

    python runs the solution; on_done(task, result) is called as each task
    finishes. kind is the sandbox (grading/check/sandbox.py); seed fixes the
    judge's inputs (by default, new ones each run); known_points,
    {task: {point: source}}, stand for a task's points if its judge fails.
    """
    box = sandbox.choose(kind, python)
    seed = secrets.randbelow(2 ** 31) if seed is None else seed
    scratch = tempfile.mkdtemp(prefix='check-')
    # An unprivileged child must reach its own folder.
    os.chmod(scratch, 0o755)
    try:
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = {pool.submit(judge_task, task, solution, python,
                                   timeout, os.path.join(scratch, task), box,
                                   memory, seed,
                                   (known_points or {}).get(task)): task
                       for task in tasks}
            for future in concurrent.futures.as_completed(futures):
                if on_done:
                    on_done(futures[future], future.result())
        return {task: future.result() for future, task in futures.items()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
