"""The gradebook of a batch, and a submission's report as Gradescope's.

grades.csv has a row per submission: its name, the folder its task files
were found in, each task's score and maximum, the total, the maximum, the
percentage, a status, and from the similarity comparison its closest other
submission or known solution, the mean score with it, and whether any of
its pairs is flagged (grading/similarity; it never changes the score).
points.csv has a row per submission, task and point. For Gradescope's
export, the rows also name each submission's students, their ids and
emails (a group's in one cell), and say what the export left out; the
marks go back in gradescope.csv (Gradescope's score upload: Name, SID,
Email, Total Score, a row per student) and scores-by-email.csv (a plain
roster keyed by email). Gradescope's results.json follows
gradescope-autograders' specification: a test per point, named by task.
"""
import csv

from grading.check.outcome import CHECKED
from tools.task import TASK_FILES


def number(value):
    """Format a score: 3 rather than 3.0, 1.5 as it is."""
    return '{:g}'.format(round(value, 4))


def status_of(results, problem=None):
    """Return 'graded', 'partly graded: ...' or the problem found."""
    if problem:
        return problem
    unfinished = ['{} {}'.format(task, result['status'])
                  for task, result in results.items()
                  if result.get('status', CHECKED) != CHECKED]
    return ('partly graded: ' + ', '.join(unfinished) if unfinished
            else 'graded')


def totals(scored):
    """Return (score, max_score, percent) over all tasks."""
    score = sum(task['score'] for task in scored.values())
    most = sum(task['max_score'] for task in scored.values())
    return score, most, 100.0 * score / most if most else 0.0


GRADES_COLUMNS = (['submission', 'students', 'student ids', 'emails',
                   'folder']
                  + [column for task in TASK_FILES
                     for column in (task, task + ' max')]
                  + ['total', 'max', 'percent', 'status', 'notes',
                     'highest similarity', 'most similar to', 'flagged'])
POINTS_COLUMNS = ['submission', 'task', 'point', 'weight', 'passed',
                  'expected', 'found']
GRADESCOPE_COLUMNS = ['Name', 'SID', 'Email', 'Total Score']
ROSTER_COLUMNS = ['email', 'name', 'sid', 'score', 'max', 'percent',
                  'submission']


def export_fields(export, folder):
    """Return what Gradescope's export says of a submission folder."""
    found = export.submissions.get(folder)
    notes = ['refused from the zip: ' + reason
             for reason in export.refused.get(folder, [])]
    if found is None:
        notes.insert(0, 'not in submission_metadata.yml: named by its '
                     'folder, not in gradescope.csv')
    elif found.superseded_by:
        notes.insert(0, 'superseded by {}, a later submission of the same '
                     'student: not in gradescope.csv'.format(
                         found.superseded_by))
    people = found.submitters if found else []
    return {'submitters': people, 'notes': '; '.join(notes),
            'counts': bool(found) and not found.superseded_by}


def write_gradebook(folder_path, rows):
    """Write grades.csv and points.csv into folder_path.

    rows is a list of {'submission', 'folder', 'scored', 'status'}, with
    'similarity' ({'highest', 'with', 'flagged'}) where it was compared.
    """
    with open(folder_path + '/grades.csv', 'w', newline='') as stream:
        writer = csv.writer(stream)
        writer.writerow(GRADES_COLUMNS)
        for row in rows:
            score, most, percent = totals(row['scored'])
            similar = row.get('similarity') or {}
            highest = similar.get('highest')
            exported = row.get('export') or {'submitters': [], 'notes': ''}
            writer.writerow(
                [row['submission']]
                + ['; '.join(getattr(person, key)
                             for person in exported['submitters'])
                   for key in ('name', 'sid', 'email')]
                + [row['folder'] or '']
                + [number(row['scored'][task][key]) for task in TASK_FILES
                   for key in ('score', 'max_score')]
                + [number(score), number(most), '{:.1f}'.format(percent),
                   row['status'], exported['notes'],
                   '' if highest is None else '{:.3f}'.format(highest),
                   similar.get('with', ''),
                   {True: 'yes', False: 'no'}.get(similar.get('flagged'),
                                                  '')])
    with open(folder_path + '/points.csv', 'w', newline='') as stream:
        writer = csv.writer(stream)
        writer.writerow(POINTS_COLUMNS)
        for row in rows:
            for task in TASK_FILES:
                for entry in row['scored'][task]['points']:
                    writer.writerow([
                        row['submission'], task, entry['point'],
                        number(entry['weight']),
                        'yes' if entry['passed'] else 'no',
                        entry['expected'], entry['found'][:2000]])


def write_marks(folder_path, rows):
    """Write gradescope.csv and scores-by-email.csv; return what was done.

    A row per student of each submission that counts (in the metadata,
    not superseded): a group's members each get its score.
    """
    marks = []
    for row in rows:
        exported = row.get('export')
        if not exported or not exported['counts']:
            continue
        score, most, percent = totals(row['scored'])
        for person in exported['submitters']:
            marks.append((person, score, most, percent, row['submission']))
    with open(folder_path + '/gradescope.csv', 'w', newline='') as stream:
        writer = csv.writer(stream)
        writer.writerow(GRADESCOPE_COLUMNS)
        for person, score, _, _, _ in marks:
            writer.writerow([person.name, person.sid, person.email,
                             number(score)])
    with open(folder_path + '/scores-by-email.csv', 'w',
              newline='') as stream:
        writer = csv.writer(stream)
        writer.writerow(ROSTER_COLUMNS)
        for person, score, most, percent, submission in sorted(
                marks, key=lambda mark: mark[0].email):
            writer.writerow([person.email, person.name, person.sid,
                             number(score), number(most),
                             '{:.1f}'.format(percent), submission])
    left_out = sum(1 for row in rows if row.get('export')
                   and not row['export']['counts'])
    return ('marks for Gradescope: {} students in {} ({} left out: see '
            'notes in grades.csv); by email in {}'.format(
                len(marks), folder_path + '/gradescope.csv',
                '1 submission' if left_out == 1
                else '{} submissions'.format(left_out),
                folder_path + '/scores-by-email.csv'))


def gradescope_results(scored, status, seconds, summary):
    """Return Gradescope's results.json for one submission, as a dict."""
    tests = []
    for task_number, task in enumerate(TASK_FILES, 1):
        for point_number, entry in enumerate(scored[task]['points'], 1):
            output = ('' if entry['passed'] else 'expected {}, found {}'
                      .format(entry['expected'], entry['found']))
            tests.append({
                'name': '{}: {}'.format(task, entry['point']),
                'number': '{}.{}'.format(task_number, point_number),
                'score': entry['weight'] if entry['passed'] else 0,
                'max_score': entry['weight'],
                'status': 'passed' if entry['passed'] else 'failed',
                'output': output[:4000], 'visibility': 'visible'})
    score, _, _ = totals(scored)
    return {'score': score, 'execution_time': int(round(seconds)),
            'output': '{}\n\n{}'.format(status, summary),
            'visibility': 'visible', 'stdout_visibility': 'hidden',
            'tests': tests}
