"""What the sandbox costs make check: our four files, in bubblewrap and not.

    python -m lab.performance.sandbox_cost [--rounds 5] [--out FILE]
    python -m lab.performance.sandbox_cost --against REV [--out FILE]

Checks this project's own files with --sandbox bwrap and --sandbox none in
turn, round after round (bwrap first in odd rounds, none first in even
ones), each a whole `python -m grading.check` process with the same judge's
inputs, so that the shared machine's noise falls on both. Reports each
one's wall seconds, their medians, the ratio bwrap / none of every round
and its median; and, where this is root with a writable memory cgroup,
the peak memory of one whole check run as Gradescope's autograder runs it
(one task at a time), measured by lab/performance/peak_memory.sh under the
768 MB cap Gradescope gives a submission by default.

With --against REV it times the checker itself instead: this checkout's
and the one at git revision REV (in a temporary worktree), both in
bubblewrap on this project's task files, interleaved the same way, and
reports the ratio this / REV of every round.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from tools.machine import described_run
from tools.task import REPO

PEAK_MEMORY = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           'peak_memory.sh')
SEED = '0'


def check_command(kind, jobs=None):
    """Return the command line of make check on our files in kind.

    Run from another checkout, it is that checkout's checker on our files.
    """
    command = [sys.executable, '-m', 'grading.check', REPO, '--seed', SEED,
               '--sandbox', kind]
    return command + (['--jobs', str(jobs)] if jobs else [])


def seconds_of(kind, checker=REPO):
    """Run one check in kind by the checker folder; return its seconds."""
    start = time.monotonic()
    result = subprocess.run(check_command(kind), cwd=checker,
                            capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit('the check in {} failed:\n{}{}'.format(
            kind, result.stdout, result.stderr))
    return seconds


def peak_memory_mb():
    """Return the peak MB of one check in a 768 MB cgroup, or None."""
    if os.geteuid() != 0:
        return None
    result = subprocess.run(['bash', PEAK_MEMORY] + check_command('bwrap', 1),
                            cwd=REPO, capture_output=True, text=True)
    found = re.search(r'peak memory: (\d+) MB of a (\d+) MB cap, '
                      r'out-of-memory kills: (\d+)', result.stderr)
    if not found or result.returncode != 0:
        return None
    return {'peak_mb': int(found.group(1)), 'cap_mb': int(found.group(2)),
            'oom_kills': int(found.group(3))}


def interleaved(rounds, runs):
    """Time runs, {name: function}, rounds times, alternating their order.

    Returns ({name: [seconds]}, [ratio of the first to the second]).
    """
    first, second = list(runs)
    seconds = {first: [], second: []}
    ratios = []
    for number in range(rounds):
        order = [first, second] if number % 2 == 0 else [second, first]
        measured = {name: runs[name]() for name in order}
        for name, value in measured.items():
            seconds[name].append(round(value, 2))
        ratios.append(round(measured[first] / measured[second], 3))
        print('round {} of {}: {} {:.1f} s, {} {:.1f} s, ratio {:.3f}'
              .format(number + 1, rounds, first, measured[first], second,
                      measured[second], ratios[-1]),
              file=sys.stderr, flush=True)
    return seconds, ratios


def timed(command, rounds, seconds, ratios, ratios_name, **compared):
    """Return the results of interleaved rounds: each run's seconds, their
    medians, the ratios (named ratios_name) and theirs, the machine and
    the peak memory of one check; compared says what ran against what."""
    return dict(
        {'command': command}, **compared, machine=described_run(),
        rounds=rounds, seconds=seconds,
        median_seconds={name: round(statistics.median(values), 2)
                        for name, values in seconds.items()},
        **{ratios_name: ratios},
        median_ratio=round(statistics.median(ratios), 3),
        peak_memory_one_task_at_a_time=peak_memory_mb())


def against(revision, rounds):
    """Return the results of this checker against the one at revision."""
    folder = tempfile.mkdtemp(prefix='checker-')
    worktree = os.path.join(folder, 'checker')
    subprocess.run(['git', 'worktree', 'add', '--detach', worktree,
                    revision], cwd=REPO, check=True, capture_output=True)
    try:
        seconds, ratios = interleaved(rounds, {
            'this': lambda: seconds_of('bwrap'),
            revision: lambda: seconds_of('bwrap', worktree)})
    finally:
        subprocess.run(['git', 'worktree', 'remove', '--force', worktree],
                       cwd=REPO, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    return timed(' '.join(check_command('bwrap')[1:]), rounds, seconds,
                 ratios, 'ratios_this_over_against', against=revision)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--out', help='write the results as JSON to FILE')
    parser.add_argument('--against', metavar='REV',
                        help="time this checker against the one at REV")
    args = parser.parse_args(argv)
    if args.against:
        results = against(args.against, args.rounds)
    else:
        seconds, ratios = interleaved(args.rounds, {
            'bwrap': lambda: seconds_of('bwrap'),
            'none': lambda: seconds_of('none')})
        results = timed(' '.join(check_command('KIND')[1:]), args.rounds,
                        seconds, ratios, 'ratios_bwrap_over_none')
    text = json.dumps(results, indent=1)
    print(text)
    if args.out:
        with open(args.out, 'w') as stream:
            stream.write(text + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
