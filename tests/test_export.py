"""Gradescope's export in, marks out: names, hostile files, the demo class.

A fake "Download Submissions" export (a folder, and the same zipped) with
a group submission, a late resubmission and a folder the metadata does not
name: the submissions are named by their students, in the similarity
report too. Hostile metadata (a billion laughs, Python object tags, 10 MB,
wrong types, a link) is refused with the reason and the folders are still
named by themselves; hostile zips (a ../ path, an absolute path, a link, a
bomb) lose only the members refused and write nothing outside the target.
gradescope.csv has the columns the docs quote and survives a round trip
through Python's csv module. Marked `once`: make demo-class graded whole.
"""
import csv
import os
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import REPO, TASK_FILES
from grading import gradescope_export as export
from grading.grade import gradebook
from grading.similarity import disguise

METADATA = """\
submission_301:
  :submitters:
  - :name: Ana Lima
    :sid: '501'
    :email: ana@example.edu
  :created_at: 2026-11-30 10:00:00.000000000 +00:00
  :score: 12.0
  :history: []
submission_302:
  :submitters:
  - :name: Ben Okafor
    :sid: '502'
    :email: ben@example.edu
  - :name: Cai Wen
    :sid: 503
    :email: cai@example.edu
  :created_at: 2026-11-30 11:00:00.000000000 +00:00
submission_303:
  :submitters:
  - :name: Ana Lima
    :sid: '501'
    :email: ana@example.edu
  :created_at: 2026-12-01 09:30:00.000000000 +00:00
"""


def read(path):
    with open(path) as stream:
        return stream.read()


def fake_export(root):
    """Write the fake export under root; return its folder."""
    folder = root / 'export'
    folder.mkdir()
    (folder / export.METADATA).write_text(METADATA)
    sources = {task: read(os.path.join(REPO, task + '.py'))
               for task in TASK_FILES}
    for name, how in (('submission_301', None), ('submission_302', 'all'),
                      ('submission_303', 'rename'),
                      ('submission_399', 'reorder')):
        (folder / name).mkdir()
        for task, source in sources.items():
            (folder / name / (task + '.py')).write_text(
                disguise.disguise(source, how, seed=3) if how else source)
    return folder


def zipped(folder, archive, extra=()):
    """Zip folder's tree as Gradescope does (one outer folder), with extra
    (name, bytes, mode) members."""
    with zipfile.ZipFile(archive, 'w', zipfile.ZIP_DEFLATED) as out:
        for root, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                out.write(path, os.path.join(
                    'assignment_77_export', os.path.relpath(path, folder)))
        for name, data, mode in extra:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    return archive


@pytest.fixture
def export_folder(tmp_path):
    return fake_export(tmp_path)


def test_an_export_folder_names_its_submissions_by_students(export_folder):
    found = export.open_export(str(export_folder), None)
    assert found.problems == []
    assert sorted(found.submissions) == ['submission_301', 'submission_302',
                                         'submission_303']
    group = found.submissions['submission_302']
    assert [person.name for person in group.submitters] == ['Ben Okafor',
                                                            'Cai Wen']
    # Ruby wrote one id as a number: it is read as text all the same.
    assert [person.sid for person in group.submitters] == ['502', '503']
    assert found.label('submission_302') == \
        'Ben Okafor; Cai Wen (submission_302)'
    # Ana submitted twice: the later one counts.
    assert found.submissions['submission_301'].superseded_by == \
        'submission_303'
    assert found.submissions['submission_303'].superseded_by == ''
    assert found.label('submission_399') == 'submission_399'


def test_the_gradebook_columns_and_marks_say_who(export_folder, tmp_path):
    found = export.open_export(str(export_folder), None)
    rows = []
    for number, folder in enumerate(sorted(os.listdir(export_folder))):
        if not (export_folder / folder).is_dir():
            continue
        scored = {task: {'score': number, 'max_score': 10, 'points': []}
                  for task in TASK_FILES}
        rows.append({'submission': folder, 'folder': '', 'scored': scored,
                     'status': 'graded',
                     'export': gradebook.export_fields(found, folder)})
    grades = tmp_path / 'grades'
    grades.mkdir()
    gradebook.write_gradebook(str(grades), rows)
    said = gradebook.write_marks(str(grades), rows)
    assert '3 students' in said and '(2 submissions left out' in said, said
    with open(str(grades / 'grades.csv'), newline='') as stream:
        book = {row['submission']: row for row in csv.DictReader(stream)}
    assert book['submission_302']['students'] == 'Ben Okafor; Cai Wen'
    assert book['submission_302']['student ids'] == '502; 503'
    assert book['submission_302']['emails'] == \
        'ben@example.edu; cai@example.edu'
    assert 'superseded by submission_303' in book['submission_301']['notes']
    assert 'not in submission_metadata.yml' in \
        book['submission_399']['notes']
    with open(str(grades / 'gradescope.csv'), newline='') as stream:
        lines = list(csv.reader(stream))
    assert lines[0] == ['Name', 'SID', 'Email', 'Total Score']
    # One row a student: the group's two share their submission's total.
    totals = {row[2]: row[3] for row in lines[1:]}
    assert totals == {'ben@example.edu': str(4 * 1),
                      'cai@example.edu': str(4 * 1),
                      'ana@example.edu': str(4 * 2)}
    with open(str(grades / 'scores-by-email.csv'), newline='') as stream:
        roster = list(csv.DictReader(stream))
    assert [row['email'] for row in roster] == [
        'ana@example.edu', 'ben@example.edu', 'cai@example.edu']
    assert roster[0]['score'] == '8' and roster[0]['max'] == '40'


def test_similarity_names_the_students(export_folder, tmp_path):
    grades = tmp_path / 'grades'
    finished = subprocess.run(
        [sys.executable, '-m', 'grading.similarity', str(export_folder),
         '--grades', str(grades)], cwd=REPO, capture_output=True, text=True,
        timeout=300)
    assert finished.returncode == 0, finished.stderr
    with open(str(grades / 'similarity.csv'), newline='') as stream:
        flagged = {frozenset((row['submission'], row['other']))
                   for row in csv.DictReader(stream)
                   if row['flagged'] == 'yes'}
    # Every submission here is a copy of our files: all are flagged,
    # and named by their students.
    assert frozenset(('Ana Lima (submission_301)',
                      'Ben Okafor; Cai Wen (submission_302)')) in flagged
    page = (grades / 'similarity.html').read_text()
    assert 'Ben Okafor; Cai Wen (submission_302)' in page


BOMB = """\
submission_301:
  :history:
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  :submitters: *h
"""


@pytest.mark.parametrize('hostile, reason', [
    (BOMB, 'a submitter is a mapping'),
    ('submission_301: !!python/object/apply:os.system ["touch pwned"]\n',
     'not plain YAML data'),
    ('submission_301:\n  :submitters: "everyone"\n', 'is not a list'),
    ('submission_301:\n  :submitters:\n  - :name: [1, 2]\n',
     'expected text, found list'),
    ('- just\n- a list\n', 'not a mapping of submission folders'),
    ('x: ' + 'y' * (11 * 2 ** 20) + '\n', 'over 4 MiB'),
    ('submission_301: {:submitters: [\n' * 3000, 'not plain YAML data'),
])
def test_hostile_metadata_is_refused_and_folders_keep_their_names(
        export_folder, hostile, reason):
    (export_folder / export.METADATA).write_text(hostile)
    start = time.monotonic()
    found = export.open_export(str(export_folder), None)
    assert time.monotonic() - start < 10
    assert len(found.problems) == 1 and reason in found.problems[0], \
        found.problems
    assert found.submissions == {}
    assert found.label('submission_301') == 'submission_301'
    assert not os.path.exists(os.path.join(REPO, 'pwned'))


def test_a_linked_metadata_file_is_not_followed(export_folder, tmp_path):
    secret = tmp_path / 'secret.yml'
    secret.write_text(METADATA)
    (export_folder / export.METADATA).unlink()
    (export_folder / export.METADATA).symlink_to(secret)
    found = export.open_export(str(export_folder), None)
    assert found.submissions == {} and found.problems


def test_a_zipped_export_unpacks_as_its_folder(export_folder, tmp_path):
    archive = zipped(export_folder, str(tmp_path / 'export.zip'))
    found = export.open_export(archive, str(tmp_path / 'unpacked'))
    assert found.problems == [] and found.refused == {}
    assert sorted(os.listdir(found.folder)) == sorted(
        os.listdir(export_folder))
    assert found.label('submission_302') == \
        'Ben Okafor; Cai Wen (submission_302)'


# The link is stored under the name of a file the zip already holds.
@pytest.mark.filterwarnings('ignore:Duplicate name')
def test_hostile_zip_members_cost_only_themselves(export_folder, tmp_path):
    outside = tmp_path / 'outside.py'
    inner = 'assignment_77_export/'
    archive = zipped(export_folder, str(tmp_path / 'hostile.zip'), [
        (inner + 'submission_302/../../../outside.py', b'x = 1\n', 0o100644),
        ('/tmp/absolute-from-zip.py', b'x = 1\n', 0o100644),
        (inner + 'submission_303/0-vanilla.py', b'/etc/passwd', 0o120777),
        (inner + 'submission_399/bomb.bin', b'\0' * (300 * 2 ** 20),
         0o100644),
    ])
    start = time.monotonic()
    found = export.open_export(archive, str(tmp_path / 'unpacked'))
    assert time.monotonic() - start < 60
    assert not outside.exists()
    assert not os.path.exists('/tmp/absolute-from-zip.py')
    assert 'a path outside the export' in found.refused['submission_302'][0]
    reasons = ' '.join(found.refused['submission_303'])
    # The link is refused; the file the zip held before it stays.
    assert 'a link' in reasons
    assert not os.path.islink(os.path.join(found.folder, 'submission_303',
                                           '0-vanilla.py'))
    assert 'expands past 256 MiB' in found.refused['submission_399'][0]
    assert not os.path.exists(os.path.join(found.folder, 'submission_399',
                                           'bomb.bin'))
    assert any('an absolute path' in problem for problem in found.problems)
    # The rest is there, and named.
    assert os.path.isfile(os.path.join(found.folder, 'submission_301',
                                       '3-variational.py'))
    assert found.label('submission_301') == 'Ana Lima (submission_301)'


def test_a_file_that_is_no_zip_nor_folder_is_refused(tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_text('not a zip')
    assert not export.is_export(str(path))
    with pytest.raises(export.Refused, match='not a zip'):
        export.open_export(str(path), str(tmp_path / 'unpacked'))


@pytest.mark.once
def test_the_demo_class_is_graded_as_the_recipe_says(tmp_path):
    """make demo-class, then make check SOLUTIONS=demo-class's command."""
    from grading.grade import demo
    folder = tmp_path / 'demo-class'
    demo.write_class(str(folder))
    grades = tmp_path / 'grades'
    finished = subprocess.run(
        [sys.executable, '-m', 'grading.grade', str(folder), '--grades',
         str(grades), '--jobs', '2'], cwd=REPO, capture_output=True,
        text=True, timeout=1800)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    with open(str(grades / 'grades.csv'), newline='') as stream:
        book = {row['submission']: row for row in csv.DictReader(stream)}
    ours = book['submission_2001']
    assert ours['students'] == 'Aiko Tanaka'
    assert ours['total'] == ours['max'] and ours['percent'] == '100.0'
    with open(str(grades / 'points.csv'), newline='') as stream:
        failed = {}
        for row in csv.DictReader(stream):
            if row['passed'] == 'no':
                failed.setdefault(row['submission'], []).append(row)
    planted = [folder_name for folder_name, *_ in demo.CLASS
               if demo.planted_mutant(folder_name)]
    assert len(planted) == 4
    for folder_name in planted:
        signs = demo.planted_mutant(folder_name).shows
        assert any(row['point'].startswith(sign) or sign in row['found']
                   for row in failed[folder_name] for sign in signs), \
            (folder_name, failed[folder_name])
    assert book['submission_2008']['status'] == 'no task files'
    assert 'superseded by submission_2010' in \
        book['submission_2009']['notes']
    assert book['submission_2001']['flagged'] == 'yes'
    assert book['submission_2007']['flagged'] == 'yes'
    assert 'Aiko Tanaka' in book['submission_2007']['most similar to']
    with open(str(grades / 'gradescope.csv'), newline='') as stream:
        marks = list(csv.DictReader(stream))
    assert len(marks) == 10   # 11 students named, Jonas's first try out
    assert {row['Email'] for row in marks} >= {'chloe.martin@example.edu',
                                               'dev.patel@example.edu'}
