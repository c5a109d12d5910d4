"""Check anyone's four task files against the assignment's text.

    python -m grading.check DIR [--report FILE] [--tasks 0,1-sparse ...]
        [--timeout SECONDS] [--jobs N] [--python PATH ...]
        [--sandbox auto|bwrap|user|none] [--memory MIB] [--seed N]

Judges the text's points (grading/check/points.py, the same the suite runs
on our files) on the task files in DIR: each model's layers for the task's
calls and other valid ones, on the judge's own weights their outputs,
every reported loss and two to four training steps recomputed in NumPy,
the VAE's sampling and the order of its encoder's outputs, the caller's
lists left unchanged, and the house rules; and, as conventions of their
own, the names the graders' checker reads. This project's own promises
(argument checks, saving, determinism) are not asked of others.

Each task's file runs only in a child process of its own, in a sandbox
(grading/check/sandbox.py), on a temporary copy of DIR, under time, file,
memory and process limits; the child reports observations as data, and
this process, which never imports the solution or Keras, decides every
point from them (grading/check/isolation.py). Prints the sandbox, then per
task the points passed and each failed point with what the text expects
and what was found; exits 0 only when every point passes, 2 when the
sandbox asked for cannot run. With several --python interpreters (make
check TF=all), checks on each and reports per line.
"""
import argparse
import os
import sys

from grading.check import isolation, report
from tools.task import TASK_FILES


def line_and_python(option):
    """Split a --python option, LINE=PATH or PATH, into (line, path)."""
    line, equals, python = option.partition('=')
    if not equals:
        line = python = option
    # The checks run in another working directory.
    return line, os.path.abspath(python) if os.sep in python else python


def tasks_named(text):
    """Return the tasks text names: numbers or names, comma-separated.

    '0,1' and '0-vanilla,sparse' both name 0-vanilla and 1-sparse.
    """
    found = []
    for word in text.replace(',', ' ').split():
        task = next((task for task in TASK_FILES
                     if word in (task, task.split('-', 1)[0],
                                 task.split('-', 1)[1])), None)
        if task is None:
            raise argparse.ArgumentTypeError(
                'no task {!r}: name them by number or name, such as 0,1 or '
                '{}'.format(word, ','.join(TASK_FILES)))
        found.append(task)
    return found


def show_progress(line, done, total):
    """Keep one progress line up to date on stderr."""
    end = '\n' if done == total else ''
    print('\rchecking{}: {} of {} tasks done'.format(
        ' on TF ' + line if line else '', done, total), end=end,
        file=sys.stderr, flush=True)


def main(argv=None):
    """Check the solution in DIR; return 0 only if every point passes."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('solution', metavar='DIR',
                        help='the folder holding 0-vanilla.py … '
                        '3-variational.py')
    parser.add_argument('--report', metavar='FILE',
                        help='also write the report as JSON to FILE')
    parser.add_argument('--tasks', nargs='+', type=tasks_named,
                        metavar='TASKS', help='check only these tasks, by '
                        'number or name (make check TASKS=0,1)')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                        help='tasks checked at a time (default: the CPU '
                        'count, %(default)s)')
    parser.add_argument('--python', action='append', metavar='[LINE=]PATH',
                        help='the interpreter of a TensorFlow line to check '
                        'on, named LINE in the report (repeat for several; '
                        'default: this one)')
    isolation.add_running_options(parser, 'the solution runs')
    parser.add_argument('--seed', type=int,
                        help="fix the judge's inputs (default: new each run)")
    args = parser.parse_args(argv)
    chosen = [task for tasks in args.tasks or [] for task in tasks]
    args.tasks = [task for task in TASK_FILES if task in chosen] or TASK_FILES
    if chosen:
        print('tasks: {} only (TASKS=)'.format(', '.join(args.tasks)),
              flush=True)
    if not os.path.isdir(args.solution):
        parser.error('no folder {!r}'.format(args.solution))
    isolation.refuse_bad_running(parser, args)
    pythons = [line_and_python(option) for option in args.python
               or [sys.executable]]
    by_line = {}
    for line, python in pythons:
        line = line if len(pythons) > 1 else ''
        if not isolation.announce_sandbox(args.sandbox, python):
            return 2
        done = []

        def on_done(task, result, line=line, done=done):
            done.append(task)
            if sys.stderr.isatty():
                show_progress(line, len(done), len(args.tasks))
        results = isolation.check_solution(
            os.path.abspath(args.solution), args.tasks, python,
            timeout=args.timeout, jobs=args.jobs, on_done=on_done,
            kind=args.sandbox, memory=args.memory, seed=args.seed)
        if line:
            print('== TF {} ({})'.format(line, python))
        print(report.text(results), flush=True)
        by_line[line] = results
    if args.report:
        report.write_json(args.report, by_line if len(pythons) > 1
                          else by_line[''])
    return 0 if all(report.all_passed(results)
                    for results in by_line.values()) else 1


if __name__ == '__main__':
    sys.exit(main())
