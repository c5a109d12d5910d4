"""Check anyone's four task files against the assignment's text.

    python -m tools.check DIR [--report FILE] [--tasks 1-sparse ...]

Runs the suite's `text` points (the tests marked text, pytest -m text) on
the task files in DIR: each model's layers for the task's calls and other
valid ones, `auto.layers`, the compile, every reported loss against NumPy,
the VAE's sampling and the order of its encoder's outputs, the caller's
lists left unchanged, and the house rules. This project's own promises
(argument checks, saving, determinism) are not asked of others. Prints,
per task, the points passed and each failed point with what the text
expects and what was found; exits 0 only when every point passes.
"""
import argparse
import os
import sys

import pytest

from tools.check.report import TASK_FILES, Report
from tools.task import REPO


def show_progress(done, total):
    """Keep one progress line up to date on stderr."""
    end = '\n' if done == total else ''
    print('\rchecking: {} of {} points'.format(done, total), end=end,
          file=sys.stderr, flush=True)


def main(argv=None):
    """Check the solution in DIR; return 0 only if every point passes."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('solution', metavar='DIR',
                        help='the folder holding 0-vanilla.py … '
                        '3-variational.py')
    parser.add_argument('--report', metavar='FILE',
                        help='also write the report as JSON to FILE')
    parser.add_argument('--tasks', nargs='+', choices=TASK_FILES,
                        default=TASK_FILES, help='check only these tasks')
    args = parser.parse_args(argv)
    if not os.path.isdir(args.solution):
        parser.error('no folder {!r}'.format(args.solution))
    report = Report(args.tasks, progress=show_progress
                    if sys.stderr.isatty() else None)
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    pytest.main([os.path.join(REPO, 'tests'), '-m', 'text',
                 '--solution', os.path.abspath(args.solution),
                 '-o', 'addopts=', '-p', 'no:terminal',
                 '-p', 'no:cacheprovider'], plugins=[report])
    print(report.text())
    if args.report:
        report.write_json(args.report)
    return 0 if report.all_passed() else 1


if __name__ == '__main__':
    sys.exit(main())
