"""Grade a whole class: every submission in a folder, into a gradebook.

    python -m grading.grade SOLUTIONS [--grades FOLDER] [--jobs N]
        [--timeout SECONDS] [--weights FILE] [--known DIR]
        [--boilerplate DIR]
    python -m grading.grade --submission DIR --gradescope FILE [...]

Each subfolder of SOLUTIONS is one submission: the task files themselves or
a repository that holds them deeper. SOLUTIONS may also be Gradescope's
"Download Submissions" export, the zip or its folder
(grading/gradescope_export.py): its submissions are then named by their
students, and grades/gradescope.csv and scores-by-email.csv take the
marks back. Each is checked as `make check` checks
one folder, every task in a process of its own (grading/check/isolation.py),
JOBS submissions at a time, with a progress line. The gradebook goes to
FOLDER (grades/ by default): grades.csv, points.csv and each submission's
JSON report in reports/. A rerun checks only the submissions whose task
files changed. Then every pair of submissions, and each against the
known solutions (--known), is compared for copies (grading/similarity):
similarity.csv, similarity.html and three columns of grades.csv, never a
score. With --submission, one submission's report is written in
Gradescope's results.json format instead (the autograder's run).
"""
import argparse
import concurrent.futures
import dataclasses
import functools
import hashlib
import json
import os
import subprocess
import sys
import time
import typing

from grading import gradescope_export, submitted
from grading.check import isolation, report
from grading.check.outcome import Outcome
from grading.grade import gradebook, weights as weighting
from tools import imports
from tools.task import REPO, TASK_FILES


@functools.lru_cache(maxsize=None)
def judge_digest():
    """Return a hash of what makes a report: every file the judge imports.

    The files are the judge's and its child's imports, followed from their
    code (tools/imports.py), so that a report made by other versions of
    any of them is not reused. They do not change during a run: they are
    read once.
    """
    digest = hashlib.sha256()
    for path in imports.project_files([isolation.JUDGE, isolation.OBSERVER]):
        with open(path, 'rb') as stream:
            digest.update(os.path.relpath(path, REPO).encode() + b'\0'
                          + stream.read())
    return digest.hexdigest()


def reference_points(settings):
    """Return {task: {point: source}}, from a check of this project's files.

    It fixes every task's points for submissions that could not be
    checked, and shows the environment works. Kept in the gradebook's
    folder for reruns.
    """
    cache = os.path.join(settings.grades, 'reference.json')
    key = {'python': settings.python,
           'fingerprint': submitted.fingerprint(REPO),
           'judge': judge_digest()}
    try:
        with open(cache) as stream:
            cached = json.load(stream)
        if cached['key'] == key:
            return cached['points']
    except (OSError, ValueError, KeyError):
        pass
    results = isolation.check_solution(REPO, TASK_FILES, settings.python,
                                       settings.timeout,
                                       jobs=os.cpu_count() or 1,
                                       kind=settings.sandbox)
    if not report.all_passed(results):
        raise SystemExit('this project\'s own files fail their check here:\n'
                         + report.text(results))
    points = {task: result['sources'] for task, result in results.items()}
    with open(cache, 'w') as stream:
        json.dump({'key': key, 'points': points}, stream)
    return points


def check_submission(settings, name, path, points_of, previous=None):
    """Check one submission; return its record (reusing previous if same)."""
    start = time.monotonic()
    folder, problem = submitted.locate(path)
    record = {'submission': name, 'python': settings.python,
              'timeout': settings.timeout, 'sandbox': settings.sandbox,
              'memory': settings.memory,
              'judge': judge_digest(),
              'folder': folder and os.path.relpath(folder, path),
              'fingerprint': folder and submitted.fingerprint(folder),
              'problem': problem}
    same = previous and all(previous.get(key) == record[key]
                            for key in record)
    if same:
        return dict(previous, reused=True)
    if problem:
        results = {task: Outcome.all_failed(
            points, 'not checked', problem, expected='a task file').to_json()
            for task, points in points_of.items()}
    else:
        results = isolation.check_solution(
            folder, TASK_FILES, settings.python, settings.timeout, jobs=1,
            kind=settings.sandbox, memory=settings.memory,
            known_points=points_of)
    record.update(results=results, reused=False,
                  seconds=round(time.monotonic() - start, 1))
    return record


def scored_row(record, weights):
    """Return the gradebook row of a submission's record."""
    return {'submission': record['submission'], 'folder': record['folder'],
            'scored': weighting.score(record['results'], weights),
            'status': gradebook.status_of(record['results'],
                                          record['problem'])}


def progress_line(done, total, start):
    """Return 'graded D of T submissions, M:SS elapsed, about M:SS left'."""
    elapsed = time.monotonic() - start
    left = elapsed / done * (total - done) if done else 0

    def clock(seconds):
        return '{}:{:02d}'.format(int(seconds) // 60, int(seconds) % 60)
    return 'graded {} of {} submissions, {} elapsed, about {} left'.format(
        done, total, clock(elapsed), clock(left))


def read_previous(path):
    """Return the record a previous run left at path, or None."""
    try:
        with open(path) as stream:
            return json.load(stream)
    except (OSError, ValueError):
        return None


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a grading run was asked, checked and made absolute by main."""
    grades: str                 # where the gradebook goes
    jobs: int                   # submissions checked at a time
    python: str                 # the interpreter whose TensorFlow checks
    timeout: float              # seconds each task may take
    sandbox: str                # the kind asked (grading/check/sandbox.py)
    box: isolation.sandbox.Sandbox  # the sandbox that kind found here
    memory: int                 # MiB each task may map
    weights: typing.Optional[dict]
    known: typing.Optional[str]  # known solutions to compare with
    boilerplate: typing.Tuple[str, ...] = ()


def similarity(settings, solutions):
    """Compare the class for copies; return {submission: closest other}.

    It runs as a command of its own: its failure loses the columns,
    never the gradebook.
    """
    command = [sys.executable, '-m', 'grading.similarity', solutions,
               '--grades', settings.grades]
    command += ['--known', settings.known] if settings.known else []
    for folder in settings.boilerplate:
        command += ['--boilerplate', folder]
    finished = subprocess.run(command, cwd=REPO, capture_output=True,
                              text=True)
    print(finished.stdout.strip() or finished.stderr.strip()[-2000:])
    if finished.returncode:
        return {}
    with open(os.path.join(settings.grades, 'similarity.json')) as stream:
        return json.load(stream)['submissions']


def open_class(solutions, grades):
    """Return (the folder of submissions, Gradescope's export or None).

    solutions is that folder, or an export (zip or folder) unpacked into
    grades/export.
    """
    if not gradescope_export.is_export(solutions):
        return solutions, None
    export = gradescope_export.open_export(solutions,
                                           os.path.join(grades, 'export'))
    print("Gradescope's export: {} submissions in its metadata{}".format(
        len(export.submissions), ''.join(
            '\n  ' + problem for problem in export.problems)), flush=True)
    return export.folder, export


def grade_batch(settings, solutions):
    """Grade every subfolder of solutions into settings.grades."""
    try:
        solutions, export = open_class(solutions, settings.grades)
    except gradescope_export.Refused as error:
        print('make check: {}'.format(error), file=sys.stderr)
        return 2
    names = sorted(name for name in os.listdir(solutions)
                   if os.path.isdir(os.path.join(solutions, name))
                   and not name.startswith('.'))
    reports = os.path.join(settings.grades, 'reports')
    os.makedirs(reports, exist_ok=True)
    points_of = reference_points(settings)
    start, done, records = time.monotonic(), 0, {}
    with concurrent.futures.ThreadPoolExecutor(settings.jobs) as pool:
        futures = {pool.submit(
            check_submission, settings, name, os.path.join(solutions, name),
            points_of, read_previous(os.path.join(reports, name + '.json'))):
            name for name in names}
        for future in concurrent.futures.as_completed(futures):
            record = future.result()
            records[record['submission']] = record
            with open(os.path.join(reports, record['submission'] + '.json'),
                      'w') as stream:
                json.dump(record, stream, indent=1)
            done += 1
            print(progress_line(done, len(names), start), file=sys.stderr,
                  flush=True)
    rows = [scored_row(records[name], settings.weights) for name in names]
    closest = similarity(settings, solutions)
    for row in rows:
        row['similarity'] = closest.get(row['submission'])
        if export:
            row['export'] = gradebook.export_fields(export,
                                                    row['submission'])
    gradebook.write_gradebook(settings.grades, rows)
    if export:
        print(gradebook.write_marks(settings.grades, rows))
    checked = sum(not record['reused'] for record in records.values())
    print('{} submissions, {} checked now, {} unchanged since the last run; '
          'gradebook in {}'.format(len(names), checked, len(names) - checked,
                                   os.path.join(settings.grades,
                                                'grades.csv')))
    for row in rows:
        score, most, percent = gradebook.totals(row['scored'])
        print('  {}: {} of {} ({:.1f}%), {}'.format(
            row['submission'], gradebook.number(score),
            gradebook.number(most), percent, row['status']))
    return 0


def grade_one(settings, submission, gradescope):
    """Check one submission and write Gradescope's results.json."""
    start = time.monotonic()
    os.makedirs(settings.grades, exist_ok=True)
    points_of = reference_points(settings)
    record = check_submission(settings, 'submission', submission, points_of)
    row = scored_row(record, settings.weights)
    summary = '\n'.join(filter(None, [
        isolation.sandbox_notice(settings.sandbox, settings.box),
        report.text(record['results'])]))
    results = gradebook.gradescope_results(
        row['scored'], row['status'], time.monotonic() - start, summary)
    with open(gradescope, 'w') as stream:
        json.dump(results, stream, indent=1)
    print(row['status'])
    print(summary)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('solutions', nargs='?', metavar='SOLUTIONS',
                        help='a folder with one subfolder per submission')
    parser.add_argument('--submission', metavar='DIR',
                        help='grade this one submission (with --gradescope)')
    parser.add_argument('--gradescope', metavar='FILE',
                        help="write Gradescope's results.json to FILE")
    parser.add_argument('--grades', default=os.path.join(REPO, 'grades'),
                        metavar='FOLDER', help='where the gradebook goes '
                        '(default: grades/)')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 1,
                        help='submissions checked at a time (default: the '
                        'CPU count, %(default)s)')
    parser.add_argument('--weights', metavar='FILE',
                        help='what each point is worth (docs/graders.md, '
                        '"Weights"); by default 1 each')
    parser.add_argument('--python', default=sys.executable,
                        help='the interpreter whose TensorFlow checks '
                        '(default: this one)')
    isolation.add_running_options(parser, 'submissions run')
    parser.add_argument('--known', metavar='DIR', help='known solutions '
                        '(public ones, say), one subfolder each, that every '
                        'submission is compared with')
    parser.add_argument('--boilerplate', metavar='DIR', action='append',
                        default=[], help='code every submission may share '
                        '(a template), left out of the comparison')
    args = parser.parse_args(argv)
    if bool(args.solutions) == bool(args.submission):
        parser.error('give either SOLUTIONS or --submission DIR')
    if args.submission and not args.gradescope:
        parser.error('--submission needs --gradescope FILE')
    folder = args.solutions or args.submission
    if not os.path.isdir(folder) and not (
            args.solutions and gradescope_export.is_export(folder)):
        parser.error('no folder {!r}{}'.format(
            folder, ', nor a zip' if args.solutions else ''))
    isolation.refuse_bad_running(parser, args)
    box = isolation.announce_sandbox(args.sandbox, args.python)
    if not box:
        return 2
    try:
        weights = args.weights and weighting.read_weights(args.weights)
    except (OSError, ValueError) as error:
        parser.error(str(error))
    for folder in ([args.known] if args.known else []) + args.boilerplate:
        if not os.path.isdir(folder):
            parser.error('no folder {!r}'.format(folder))
    settings = Settings(
        grades=os.path.abspath(args.grades), jobs=args.jobs,
        python=args.python, timeout=args.timeout, sandbox=args.sandbox,
        box=box, memory=args.memory, weights=weights,
        known=args.known and os.path.abspath(args.known),
        boilerplate=tuple(os.path.abspath(f) for f in args.boilerplate))
    if args.solutions:
        return grade_batch(settings, os.path.abspath(args.solutions))
    return grade_one(settings, os.path.abspath(args.submission),
                     args.gradescope)


if __name__ == '__main__':
    sys.exit(main())
