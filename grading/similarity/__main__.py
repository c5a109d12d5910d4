"""Compare a class's submissions for copies: evidence for a grader.

    python -m grading.similarity SOLUTIONS [--grades FOLDER] [--known DIR]
        [--boilerplate DIR]

Each subfolder of SOLUTIONS is a submission, found as make check finds it
(grading/submitted.py); in Gradescope's export, named by its
students (grading/gradescope_export.py). Each subfolder of --known is a known
solution (a public one, say). Writes into FOLDER (grades/ by default)
similarity.csv, similarity.html and similarity.json (each submission's
closest other, for grades.csv), and the cache that makes a rerun read and
fingerprint only new or changed files. The files are read, never run. It never
changes a grade.
"""
import argparse
import json
import os
import sys
import time

from grading import gradescope_export, submitted
from grading.similarity import compare, report, rule
from tools.task import REPO


def task_folders(parent):
    """Return {name: folder of its task files, or None} for subfolders."""
    folders = {}
    for name in sorted(os.listdir(parent)):
        path = os.path.join(parent, name)
        if os.path.isdir(path) and not name.startswith('.'):
            folders[name] = submitted.locate(path)[0]
    return folders


def student_labels(parent):
    """Return {folder: its students' names} if parent is an export."""
    if not os.path.isdir(parent) or not gradescope_export.is_export(parent):
        return {}
    export = gradescope_export.open_export(parent, None)
    return {folder: export.label(folder) for folder in export.submissions}


def known_folders(parent):
    """Return the known solutions: parent's subfolders, or parent itself."""
    if parent is None:
        return {}
    if submitted.candidate_folders(parent).get(parent):
        return {os.path.basename(os.path.abspath(parent)): parent}
    return task_folders(parent)


def closest(found, submissions):
    """Return {submission: {'highest', 'with', 'flagged'}}."""
    best = {name: {'highest': None, 'with': '', 'flagged': False}
            for name in submissions}
    for owners, judgement in found.judged.items():
        matches = found.task_scores[owners]
        a, b, _ = next(iter(matches.values()))
        mean = sum(match.scored.score for match in matches.values()) \
            / len(matches)
        for mine, other in ((a, b), (b, a)):
            if mine.known:
                continue
            record = best[mine.owner]
            if judgement.flagged:
                record['flagged'] = True
            if record['highest'] is None or mean > record['highest']:
                record.update(highest=round(float(mean), 4),
                              **{'with': report.owner_label(other)})
    return best


def run(solutions, grades, known=None, boilerplate=()):
    """Compare the class into grades; return the summary per submission."""
    start = time.monotonic()
    submissions = task_folders(solutions)
    found = compare.compare_class(
        submissions, known_folders(known), boilerplate,
        cache_path=os.path.join(grades, 'similarity-cache.json'),
        labels=student_labels(solutions))
    report.write_csv(os.path.join(grades, 'similarity.csv'), found)
    report.write_html(os.path.join(grades, 'similarity.html'), found,
                      os.path.basename(os.path.abspath(solutions)),
                      boilerplate)
    summary = closest(found, submissions)
    with open(os.path.join(grades, 'similarity.json'), 'w') as stream:
        json.dump({'reference': found.reference.source,
                   'submissions': summary}, stream, indent=1)
    flagged = sum(judged.flagged for judged in found.judged.values())
    print('similarity: {} pairs flagged of {}, against {}; {} files '
          'fingerprinted now, {} from the cache ({:.1f} s); report in '
          '{}'.format(flagged, len(found.judged), found.reference.source,
                      found.fingerprinted, found.cached,
                      time.monotonic() - start,
                      os.path.join(grades, 'similarity.html')), flush=True)
    return summary


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('solutions', help='one subfolder per submission')
    parser.add_argument('--grades', default=os.path.join(REPO, 'grades'))
    parser.add_argument('--known', metavar='DIR',
                        help='known solutions, one subfolder each')
    parser.add_argument('--boilerplate', metavar='DIR', action='append',
                        default=[], help='code every submission may share')
    args = parser.parse_args(argv)
    for folder in [args.solutions] + ([args.known] if args.known else []) \
            + args.boilerplate:
        if not os.path.isdir(folder):
            parser.error('no folder {!r}'.format(folder))
    os.makedirs(args.grades, exist_ok=True)
    try:
        run(args.solutions, args.grades, args.known, args.boilerplate)
    except rule.UnknownTask as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
