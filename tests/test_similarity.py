"""Similarity in the gradebook: copies flagged, independent work not.

The set is made here: this project's task files and three independent
solutions written for the tests (tests/independent/), and copies of each
disguised by tools/similarity/disguise.py (renamed identifiers, new
comments and docstrings, reordered functions, reformatting, dead code,
respelled numbers, and all of them at once). Each copy must be flagged
against its original and nothing else; no two independent solutions may
be; a renamed known solution is flagged against KNOWN; the mains and the
house-rule lines alone make nothing similar; empty, unparsable, binary and
huge files get a row saying so; a rerun compares only what changed; the
report opens in a browser with the flagged pairs first. The rule's
robust z-score is checked against NumPy's median and MAD.
"""
import ast
import csv
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import MAINS, REPO, TASK_FILES
from tools.check import text
from tools import submitted
from tools.similarity import canonical, compare, disguise, engine, rule

INDEPENDENT = os.path.join(REPO, 'tests', 'independent')
ORIGINALS = {'ours': REPO, **{
    name: os.path.join(INDEPENDENT, name)
    for name in ('sequential', 'layers_lists', 'while_loops')}}
DISGUISES = list(disguise.DISGUISES) + ['all']


def read(path):
    with open(path) as stream:
        return stream.read()


def write_submission(folder, sources):
    """Write {task: source} as a submission's task files into folder."""
    os.makedirs(folder, exist_ok=True)
    for task, source in sources.items():
        with open(os.path.join(folder, task + '.py'), 'w') as stream:
            stream.write(source)
    return folder


def disguised(original, how, folder, seed=1):
    """Write a copy of the original's four files, disguised, to folder."""
    return write_submission(folder, {
        task: disguise.disguise(read(os.path.join(ORIGINALS[original],
                                                  task + '.py')), how, seed)
        for task in TASK_FILES})


def flagged_pairs(found):
    return {frozenset(owners) for owners, (flagged, _, _)
            in found['judged'].items() if flagged}


def similarity(*arguments):
    """Run the command make check SOLUTIONS runs; return what it printed."""
    finished = subprocess.run(
        [sys.executable, '-m', 'tools.similarity']
        + [str(argument) for argument in arguments],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


def read_csv(path):
    with open(str(path), newline='') as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize('how', DISGUISES)
def test_a_disguise_changes_the_text_and_keeps_the_code(how):
    for task in TASK_FILES:
        source = read(os.path.join(REPO, task + '.py'))
        copy = disguise.disguise(source, how, seed=1)
        assert copy != source
        assert copy.startswith(text.SHEBANG + '\n')
        compile(copy, task, 'exec')


def test_the_canonical_form_drops_layout_comments_docstrings_and_sums():
    one = canonical.canonical(
        '"""Doc."""\nimport x\n\n\ndef f(a):\n    """Doc."""\n'
        '    # a comment\n    return x.g(a,\n               2 ** 5, "s")\n')
    other = canonical.canonical("import x\ndef f(a): return x.g(a, 32, 's')")
    assert one == other
    assert ast.dump(ast.parse(one)) == ast.dump(ast.parse(
        "import x\ndef f(a):\n    return x.g(a, 32, 's')"))


@pytest.mark.parametrize('original', sorted(ORIGINALS))
@pytest.mark.parametrize('how', DISGUISES)
def test_a_disguised_copy_is_flagged_against_its_original_alone(
        original, how, tmp_path):
    copy = disguised(original, how, str(tmp_path / 'copy'))
    found = compare.compare_class(dict(ORIGINALS, copy=copy))
    assert flagged_pairs(found) == {frozenset((original, 'copy'))}


def test_no_two_independent_solutions_are_flagged():
    found = compare.compare_class(ORIGINALS)
    assert len(found['judged']) == 6
    assert flagged_pairs(found) == set()
    # A class this small is measured against the public solutions'.
    assert 'public solutions' in found['reference'][1]


def test_a_renamed_known_solution_is_flagged_against_known(tmp_path):
    known = tmp_path / 'known'
    write_submission(str(known / 'public-one'), {
        task: read(os.path.join(REPO, task + '.py')) for task in TASK_FILES})
    class_ = {name: folder for name, folder in ORIGINALS.items()
              if name != 'ours'}
    class_['renamed'] = disguised('ours', 'rename', str(tmp_path / 'renamed'))
    found = compare.compare_class(
        class_, known={'public-one': str(known / 'public-one')})
    assert flagged_pairs(found) == {frozenset(('renamed', 'public-one'))}
    entries = {entry.owner: entry for entry in found['entries']}
    assert entries['public-one'].known and not entries['renamed'].known


def boilerplate_only(task, main):
    """A task file holding nothing but its house rules and a main's code."""
    return compare.house_rules(task) + '\n\n' + read(
        os.path.join(REPO, main + '.py')).split('\n', 1)[1]


def test_the_mains_and_house_rule_lines_alone_make_no_pair_similar(
        tmp_path):
    folders = {}
    for name in ('first', 'second'):
        folders[name] = write_submission(str(tmp_path / name), {
            task: boilerplate_only(task, main)
            for task, main in zip(TASK_FILES, MAINS)})
    found = compare.compare_class(folders)
    assert flagged_pairs(found) == set()
    for entry in found['entries']:
        assert entry.problem and 'fingerprints beyond the boilerplate' in \
            entry.problem


def test_where_two_pieces_of_boilerplate_meet_nothing_is_left():
    one = ("import keras\nx = keras.layers.Dense(units=128, "
           "activation='relu')(inputs)\n")
    two = ("model = keras.Model(inputs, outputs)\nmodel.compile("
           "optimizer='adam', loss='binary_crossentropy')\n")
    mine = ("for size in reversed(hidden_layers[::-1]):\n    y = keras."
            "layers.Conv2D(size, (3, 3), padding='same')(y)\n")
    boilerplate = engine.boilerplate_hashes(one) | \
        engine.boilerplate_hashes(two)
    assert engine.fingerprint(one + two).hashes
    assert not engine.fingerprint(one + two, boilerplate).hashes
    between = engine.fingerprint(one + mine + two, boilerplate)
    alone = engine.fingerprint(mine)
    assert len(between.hashes) >= len(alone.hashes) > 0


def test_boilerplate_folders_are_subtracted(tmp_path):
    template = write_submission(str(tmp_path / 'template'), {
        task: read(os.path.join(REPO, task + '.py')) for task in TASK_FILES})
    twins = {name: write_submission(str(tmp_path / name), {
        task: read(os.path.join(REPO, task + '.py')) for task in TASK_FILES})
        for name in ('first', 'second')}
    assert flagged_pairs(compare.compare_class(twins)) == {
        frozenset(twins)}
    found = compare.compare_class(twins, boilerplate_folders=[template])
    assert flagged_pairs(found) == set()


def test_bad_files_get_a_row_and_never_stop_the_run(tmp_path):
    solutions = tmp_path / 'solutions'
    for name, folder in ORIGINALS.items():
        write_submission(str(solutions / name), {
            task: read(os.path.join(folder, task + '.py'))
            for task in TASK_FILES})
    write_submission(str(solutions / 'empty'), {task: ''
                                                for task in TASK_FILES})
    write_submission(str(solutions / 'broken'), {
        task: 'def autoencoder(:\n' for task in TASK_FILES})
    huge = write_submission(str(solutions / 'huge'), {
        task: '#' * (submitted.LIMIT + 1) for task in TASK_FILES})
    with open(os.path.join(huge, '0-vanilla.py'), 'wb') as stream:
        stream.write(b'\xff\xfe\x00binary' * 10)
    (solutions / 'none').mkdir()
    secret = tmp_path / 'secret.py'
    secret.write_text(read(os.path.join(REPO, '0-vanilla.py')).replace(
        'relu', 'GRADER_SECRET_relu'))
    linked = write_submission(str(solutions / 'linked'), {
        task: read(os.path.join(REPO, task + '.py'))
        for task in TASK_FILES[1:]})
    os.symlink(str(secret), os.path.join(linked, '0-vanilla.py'))
    grades = tmp_path / 'grades'
    similarity(solutions, '--grades', grades)
    problems = {(row['submission'], row['task']): row['why']
                for row in read_csv(grades / 'similarity.csv')
                if not row['other']}
    for task in TASK_FILES:
        assert problems[('empty', task)] == 'empty: not compared'
        assert problems[('broken', task)].startswith('does not parse')
    assert problems[('huge', '0-vanilla')].startswith('does not parse')
    assert problems[('huge', '1-sparse')].startswith('over ')
    assert problems[('none', '')] == 'no task file found: not compared'
    assert problems[('linked', '0-vanilla')].startswith('a symbolic link')
    with open(str(grades / 'similarity.html')) as stream:
        page = stream.read()
    assert 'does not parse' in page and 'empty: not compared' in page
    with open(str(grades / 'similarity.csv')) as stream:
        assert 'GRADER_SECRET' not in page + stream.read()


def test_the_files_are_read_never_run(tmp_path):
    marker = tmp_path / 'ran'
    planted = 'open({!r}, "w").write("ran")\n'.format(str(marker))
    solutions = tmp_path / 'solutions'
    for name in ('one', 'two'):
        write_submission(str(solutions / name), {
            task: compare.house_rules(task) + planted for task in TASK_FILES})
    similarity(solutions, '--grades', tmp_path / 'grades')
    assert not marker.exists()


def class_of(tmp_path, names):
    """Lay out disguised copies and originals as a class folder."""
    solutions = tmp_path / 'solutions'
    for name in names:
        original, _, how = name.partition('~')
        if how:
            disguised(original, how.replace('-', ' '), str(solutions / name))
        else:
            write_submission(str(solutions / name), {
                task: read(os.path.join(ORIGINALS[name], task + '.py'))
                for task in TASK_FILES})
    return solutions


def compared_now(printed):
    return int(printed.split(' file pairs compared now')[0].split()[-1])


def test_a_rerun_compares_only_new_or_changed_files(tmp_path):
    solutions = class_of(tmp_path, list(ORIGINALS))
    grades = tmp_path / 'grades'
    assert compared_now(similarity(solutions, '--grades', grades)) == 6 * 4
    assert compared_now(similarity(solutions, '--grades', grades)) == 0
    disguised('ours', 'rename', str(solutions / 'late'))
    printed = similarity(solutions, '--grades', grades)
    assert compared_now(printed) == 4 * 4
    assert '1 pairs flagged' in printed
    # A changed file: only its task's pairs are compared again.
    with open(str(solutions / 'late' / '0-vanilla.py'), 'a') as stream:
        stream.write('\nlate_unused = 3\n')
    assert compared_now(similarity(solutions, '--grades', grades)) == 4


def test_known_solutions_are_compared_from_the_command(tmp_path):
    solutions = class_of(tmp_path, ['sequential', 'while_loops'])
    disguised('ours', 'rename', str(solutions / 'renamed'))
    known = tmp_path / 'known'
    write_submission(str(known / 'public-one'), {
        task: read(os.path.join(REPO, task + '.py')) for task in TASK_FILES})
    grades = tmp_path / 'grades'
    printed = similarity(solutions, '--grades', grades, '--known', known)
    assert '1 pairs flagged' in printed
    flagged = {(row['submission'], row['other'])
               for row in read_csv(grades / 'similarity.csv')
               if row['flagged'] == 'yes'}
    assert flagged == {('renamed', 'known: public-one')} or flagged == {
        ('known: public-one', 'renamed')}


def test_the_report_files_say_who_and_why(tmp_path):
    solutions = class_of(tmp_path, list(ORIGINALS) + ['ours~all'])
    grades = tmp_path / 'grades'
    similarity(solutions, '--grades', grades)
    rows = read_csv(grades / 'similarity.csv')
    assert set(rows[0]) == set(['submission', 'other', 'task', 'score',
                                'matched', 'flagged', 'why'])
    flagged = [row for row in rows if row['flagged'] == 'yes']
    assert len(flagged) == 4 and rows[:4] == flagged
    assert {frozenset((row['submission'], row['other']))
            for row in flagged} == {frozenset(('ours', 'ours~all'))}
    for row in flagged:
        assert 0.5 < float(row['score']) <= 1
        assert 0 < float(row['matched']) <= float(row['score'])
        assert 'z ' in row['why'] and 'public solutions' in row['why']


def test_each_tasks_z_is_the_robust_z_numpy_computes():
    generator = np.random.default_rng(0)
    scores = {task: list(generator.uniform(0.2, 0.7, size=45))
              for task in TASK_FILES}
    references, source = rule.class_reference(scores, rule.MIN_CLASS)
    assert 'this class' in source
    for task, values in scores.items():
        median, scale = references[task]
        assert median == pytest.approx(np.median(values))
        assert scale == pytest.approx(1.4826 * np.median(
            np.abs(np.array(values) - np.median(values))))
    high = {task: 0.99 for task in TASK_FILES}
    flagged, z, _ = rule.judge_pair(high, (references, source))
    # The families' z: the mean of vanilla's and sparse's, and each other.
    zs = {task: (0.99 - references[task][0]) / references[task][1]
          for task in TASK_FILES}
    family_zs = [(zs['0-vanilla'] + zs['1-sparse']) / 2,
                 zs['2-convolutional'], zs['3-variational']]
    assert flagged and z == pytest.approx(sorted(family_zs)[-2])
    typical = {task: float(np.median(values))
               for task, values in scores.items()}
    assert not rule.judge_pair(typical, (references, source))[0]
    assert 'public' in rule.class_reference(scores, rule.MIN_CLASS - 1)[1]


def cleared_by(references, task_scores):
    return rule.judge_pair(task_scores, (references, 'test'))


def test_one_family_alone_is_never_evidence():
    references = rule.class_reference({}, 0)[0]
    assert not cleared_by(references, {'0-vanilla': 1.0})[0]
    # Vanilla and sparse are one family: two identical files, one family.
    assert not cleared_by(references, {'0-vanilla': 1.0,
                                       '1-sparse': 1.0})[0]
    assert cleared_by(references, {'0-vanilla': 1.0, '1-sparse': 1.0,
                                   '2-convolutional': 1.0})[0]
    # Three files copied and one written anew is flagged all the same.
    assert cleared_by(references, {'0-vanilla': 1.0, '1-sparse': 1.0,
                                   '2-convolutional': 1.0,
                                   '3-variational': 0.05})[0]


# A folder name is the student's to choose; the page must show it as text.
MARKUP_NAME = '<img src=x onerror="document.title=1">copy'


def test_the_report_opens_with_the_flagged_pairs_first(tmp_path, chromium):
    solutions = class_of(tmp_path, list(ORIGINALS)
                         + ['ours~dead-code', 'sequential~rename'])
    disguised('layers_lists', 'reformat', str(solutions / MARKUP_NAME))
    grades = tmp_path / 'grades'
    similarity(solutions, '--grades', grades)
    window = chromium(1280, 900)
    try:
        window.open(str(grades / 'similarity.html'))
        rows = window.script('''
            return [...document.querySelectorAll('#pair-table tbody tr')]
                .map(row => [row.className, row.cells[0].textContent,
                             row.cells[1].textContent]);''')
        assert [row[0] for row in rows[:3]] == ['flagged'] * 3
        assert all(row[0] == '' for row in rows[3:])
        assert {frozenset(row[1:]) for row in rows[:3]} == {
            frozenset(('ours', 'ours~dead-code')),
            frozenset(('sequential', 'sequential~rename')),
            frozenset(('layers_lists', MARKUP_NAME))}
        assert window.script('return document.images.length') == 0
        assert window.script('return document.title').startswith(
            'Similarity')
        window.driver.find_element('css selector',
                                   '#pair-table a').click()
        section = window.script('return location.hash')
        marked = window.script(
            'return document.querySelector(arguments[0]).querySelectorAll('
            '"span.match").length', section)
        assert marked > 0
        assert window.console() == []
    finally:
        window.close()
