"""Check one task of a solution, in a process of its own (make check's child).

    python tools/check/worker.py --solution DIR --task NAME \
        --result FILE --progress FILE   < marker

Runs the suite's text points about one task file on the solution in DIR
and writes the result as JSON to FILE, closed by a line holding the marker
the parent sends on standard input: a result without it was cut short.
The parent runs this with the solution's folder as working directory, and
reads the progress file to say what a check that died was doing.

This process imports the solution's code, which may exit, crash, loop or
print: the parent expects all of that and never imports it itself.
"""
import argparse
import json
import os
import resource
import sys

# Run as a script, so that nothing in the solution's folder (the working
# directory) can shadow this project's own packages.
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path[0] = REPO

import pytest  # noqa: E402

from tools.check.points import Progress, TaskPoints  # noqa: E402
from tools.task import TASK_FILES, import_task_file  # noqa: E402

# A solution that prints or writes without end is stopped at this size.
FILE_SIZE_LIMIT = 64 * 2 ** 20


def import_first(task, solution, progress):
    """Return a function that imports the task file, as its own phase.

    What happens at import time (an exit, a crash, a loop) is then seen as
    happening while importing; an exception is left for each point to find.
    """
    def import_task():
        progress.write(phase='importing {}.py'.format(task))
        try:
            import_task_file(task, solution)
        except BaseException:
            pass
        progress.write(phase='imported {}.py'.format(task))
    return import_task


def text_test_files():
    """Return the test files that hold text points, to collect no others.

    The rest (the gallery, the reproduction) only cost time and memory.
    """
    folder = os.path.join(REPO, 'tests')
    files = []
    for name in sorted(os.listdir(folder)):
        if name.startswith('test_') and name.endswith('.py'):
            with open(os.path.join(folder, name)) as stream:
                if 'mark.text' in stream.read():
                    files.append(os.path.join(folder, name))
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--solution', required=True)
    parser.add_argument('--task', required=True, choices=TASK_FILES)
    parser.add_argument('--result', required=True)
    parser.add_argument('--progress', required=True)
    args = parser.parse_args(argv)
    marker = sys.stdin.readline().strip()
    sys.stdin.close()
    resource.setrlimit(resource.RLIMIT_FSIZE,
                       (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    progress = Progress(args.progress)
    points = TaskPoints(args.task, progress,
                        import_first(args.task, args.solution, progress))
    progress.write(phase='starting the test suite')
    options = ['-m', 'text', '--solution', args.solution, '--rootdir', REPO,
               '-c', os.path.join(REPO, 'pytest.ini'), '-o', 'addopts=',
               '-s', '-p', 'no:terminal', '-p', 'no:cacheprovider']
    pytest.main(text_test_files() + options, plugins=[points])
    progress.write(phase='writing the result')
    with open(args.result, 'w') as stream:   # an absolute path
        json.dump(points.result, stream)
        stream.write('\n' + marker + '\n')
    sys.stdout.flush()
    # Threads or exit handlers the solution left behind must not hold on.
    os._exit(0)


if __name__ == '__main__':
    main()
