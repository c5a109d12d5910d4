"""Similarity in the gradebook: copies flagged, independent work not.

The set is made here: this project's task files and three independent
solutions written for the tests (tests/independent/), and copies of each
disguised by grading/similarity/disguise.py (renamed identifiers, new
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
import itertools
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import MAINS, REPO, TASK_FILES
from grading import submitted
from grading.check import text
from grading.similarity import canonical, commonness, compare, disguise
from grading.similarity import engine, rule

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
    return {frozenset(owners) for owners, judgement
            in found.judged.items() if judgement.flagged}


def similarity(*arguments):
    """Run the command make check SOLUTIONS runs; return what it printed."""
    finished = subprocess.run(
        [sys.executable, '-m', 'grading.similarity']
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


SMALL_CALLS = {'0-vanilla': (784, [16], 4), '1-sparse': (784, [16], 4, 1e-3),
               '2-convolutional': ((28, 28, 1), [4, 4, 4], (4, 4, 4)),
               '3-variational': (784, [16], 2)}


@pytest.mark.parametrize('how', ['rename', 'all'])
@pytest.mark.parametrize('task', TASK_FILES)
def test_a_disguise_computes_what_the_original_does(task, how, tmp_path):
    """A copy that computed otherwise would be no copy: with the same
    weights, its loss on the same digits is the original's (a renamed
    regularizer's __call__ would silently be Keras's, and lose the KL)."""
    import tensorflow.keras as keras
    from tools.task import import_task_file
    source = read(os.path.join(REPO, task + '.py'))
    copy = tmp_path / (task + '.py')
    copy.write_text(disguise.disguise(source, how, seed=7))
    x = np.random.default_rng(0).random(
        (7,) + tuple(np.atleast_1d(SMALL_CALLS[task][0]))).astype('float32')
    losses = []
    for folder in (REPO, str(tmp_path)):
        module = import_task_file(task, folder)
        keras.utils.set_random_seed(0)
        _, _, auto = module.autoencoder(*SMALL_CALLS[task])
        if not losses:
            weights = auto.get_weights()
        auto.set_weights(weights)
        keras.utils.set_random_seed(1)
        losses.append(auto.evaluate(x, x, batch_size=7, verbose=0))
    assert losses[1] == pytest.approx(losses[0], rel=1e-6)


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
    assert len(found.judged) == 6
    assert flagged_pairs(found) == set()
    # A class this small is measured against the public solutions'.
    assert 'public solutions' in found.reference.source


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
    entries = {entry.owner: entry for entry in found.entries}
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
    for entry in found.entries:
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


def fingerprinted_now(printed):
    return int(printed.split(' files fingerprinted now')[0].split()[-1])


def test_a_rerun_fingerprints_only_new_or_changed_files(tmp_path):
    solutions = class_of(tmp_path, list(ORIGINALS))
    grades = tmp_path / 'grades'
    assert fingerprinted_now(similarity(solutions, '--grades', grades)) \
        == 4 * 4
    assert fingerprinted_now(similarity(solutions, '--grades', grades)) == 0
    disguised('ours', 'rename', str(solutions / 'late'))
    printed = similarity(solutions, '--grades', grades)
    assert fingerprinted_now(printed) == 4
    assert '1 pairs flagged' in printed
    with open(str(solutions / 'late' / '0-vanilla.py'), 'a') as stream:
        stream.write('\nlate_unused = 3\n')
    assert fingerprinted_now(similarity(solutions, '--grades', grades)) == 1


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
    scores = {task: list(generator.uniform(0.0, 0.3, size=45))
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


@pytest.mark.parametrize('families, reference, missing', [
    (rule.FAMILIES + (('4-denoising',),), {}, 'calibration.json'),
    (rule.FAMILIES, {'4-denoising': {'median': 0.3, 'scale': 0.1}},
     'FAMILIES'),
], ids=['no reference', 'no family'])
def test_a_task_the_rule_has_no_numbers_for_is_refused(
        monkeypatch, tmp_path, families, reference, missing):
    monkeypatch.setattr(rule, 'FAMILIES', families)
    monkeypatch.setitem(rule.CALIBRATION, 'reference', dict(
        rule.CALIBRATION['reference'], **reference))
    monkeypatch.setattr(compare, 'TASK_FILES', TASK_FILES + ['4-denoising'])
    with pytest.raises(rule.UnknownTask, match='4-denoising.*' + missing):
        compare.compare_class(ORIGINALS)


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


@pytest.mark.once
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


# A class around the originals, like the public solutions: each classmate
# takes the vanilla and sparse family, the convolutional file and the
# variational file each from another original, disguised, so that no two
# of them, and none with an original, share more than one family.


def classmate_codes(count):
    """Return which of count originals each classmate takes its families
    from: (x, y, z), three different ones, z = (x + y) mod count."""
    return [(x, y, (x + y) % count)
            for x, y in itertools.permutations(range(count), 2)
            if len({x, y, (x + y) % count}) == 3]


def classmates(folder):
    """Write the classmates under folder; return {name: folder}."""
    names = sorted(ORIGINALS)
    made = {}
    for x, y, z in classmate_codes(len(names)):
        name = 'classmate-{}{}{}'.format(x, y, z)
        sources = {}
        for family, original in zip(rule.FAMILIES, (x, y, z)):
            for task in family:
                sources[task] = disguise.disguise(read(os.path.join(
                    ORIGINALS[names[original]], task + '.py')), 'all',
                    seed=len(made))
        made[name] = write_submission(os.path.join(folder, name), sources)
    return made


def test_the_classmates_share_one_family_at_most():
    count = len(ORIGINALS)
    codes = classmate_codes(count)
    assert len(codes) >= rule.MIN_CLASS - count
    for one, other in itertools.combinations(
            codes + [(i, i, i) for i in range(count)], 2):
        assert sum(a == b for a, b in zip(one, other)) <= 1


def test_no_independent_pair_is_flagged_in_a_class_around_them(tmp_path):
    class_ = dict(ORIGINALS, **classmates(str(tmp_path)))
    assert len(class_) >= rule.MIN_CLASS
    found = compare.compare_class(class_)
    assert 'this class' in found.reference.source
    assert flagged_pairs(found) == set()


@pytest.mark.parametrize('how', DISGUISES)
def test_a_copy_is_flagged_against_its_original_in_a_class(how, tmp_path):
    class_ = dict(ORIGINALS, **classmates(str(tmp_path)))
    class_['copy'] = disguised('while_loops', how, str(tmp_path / 'copy'))
    found = compare.compare_class(class_)
    assert flagged_pairs(found) == {frozenset(('while_loops', 'copy'))}


def with_helper(source, helper):
    """Put helper's code into source, after its import."""
    head, found, tail = source.partition(text.IMPORT + '\n')
    assert found
    return head + found + helper + tail


ODD_HELPER = (
    '\ndef widths_of_teh_layers(sizes, scale=0.7071):\n'
    '    """Halve the odd ones, keep a typo."""\n'
    '    return [max(1, int(size * scale)) if size % 2 else size\n'
    '            for size in sizes[::-1]][::-1]\n')


@pytest.mark.parametrize('task', TASK_FILES)
def test_a_shared_rare_passage_scores_above_shared_common_structure(
        task, tmp_path):
    """Ten in the class write the same file (respelled); two others write
    their own, alike only in an odd helper. The helper is evidence; the
    file everyone writes is not."""
    class_ = {}
    for number in range(10):
        class_['everyone-{}'.format(number)] = write_submission(
            str(tmp_path / str(number)), {task: disguise.disguise(
                read(os.path.join(REPO, task + '.py')), 'reformat',
                seed=number)})
    for name in ('sequential', 'layers_lists'):
        class_[name] = write_submission(str(tmp_path / name), {
            task: with_helper(read(os.path.join(ORIGINALS[name],
                                                task + '.py')), ODD_HELPER)})
    found = compare.compare_class(class_)
    common = found.task_scores['everyone-0', 'everyone-1'][task].scored
    rare = found.task_scores['layers_lists', 'sequential'][task].scored
    assert common.raw > rare.raw
    assert rare.score > common.score + 0.1


def test_a_passage_most_of_the_class_has_counts_for_nothing(tmp_path):
    """The helper is in every file of the class: sharing it is no evidence,
    and the report marks it common."""
    solutions = tmp_path / 'solutions'
    plain = {}
    for name, folder in dict(ORIGINALS, **classmates(
            str(tmp_path / 'class'))).items():
        sources = {task: read(os.path.join(folder, task + '.py'))
                   for task in TASK_FILES}
        plain[name] = write_submission(str(tmp_path / 'plain' / name),
                                       sources)
        write_submission(str(solutions / name), {
            task: with_helper(source, ODD_HELPER)
            for task, source in sources.items()})
    before = compare.compare_class(plain)
    after = compare.compare_class({name: str(solutions / name)
                                   for name in plain})
    for owners, found in after.task_scores.items():
        for task, (_, _, scored) in found.items():
            earlier = before.task_scores[owners][task].scored
            # Seen, yet worth nothing: only the grams that straddle its
            # seam with the file's own code are new, and they are few.
            assert scored.raw > earlier.raw
            assert scored.score <= earlier.score + 0.1
    assert flagged_pairs(after) == flagged_pairs(before) == set()
    helper = engine.tokens(canonical.canonical(ODD_HELPER))[0]
    for entry in after.entries:
        where = entry.print_.filtered_code.index(helper)
        inside = (entry.print_.starts >= where) & (
            entry.print_.starts + engine.K <= where + len(helper))
        assert inside.sum() > 3
        # Weightless in every pair, whether the other holds it or not.
        common = after.commonness[entry.task]
        assert not common.weights(entry.holders[inside] - 2).any()
    # A copy in that class: the report marks the helper common.
    disguised('ours', 'rename', str(solutions / 'copy'))
    for task in TASK_FILES:
        path = solutions / 'copy' / (task + '.py')
        path.write_text(with_helper(path.read_text(), ODD_HELPER))
    grades = tmp_path / 'grades'
    similarity(solutions, '--grades', grades)
    page = (grades / 'similarity.html').read_text()
    at = page.index("int(size * scale)")
    span = page[page.rindex('<span', 0, at):at]
    assert '</span>' not in span
    assert 'match common' in span and 'not evidence' in span
    assert 'class="match rare"' in page
    rows = read_csv(grades / 'similarity.csv')
    assert all('of the rare code shared' in row['why']
               for row in rows if row['other'])


def characters_weighed(starts, matching, weights, k):
    """The weighted share, character by character: each covered character
    weighs what the last gram over it weighs."""
    covered = {}
    hit = {}
    for start, match, weight in sorted(zip(starts, matching, weights)):
        for i in range(start, start + k):
            covered[i] = weight
    last_matched = {}
    for start, match, weight in sorted(zip(starts, matching, weights)):
        if match:
            for i in range(start, start + k):
                last_matched[i] = weight
    hit = sum(last_matched.values())
    return hit / sum(covered.values()) if covered else 0.0


def test_a_weighted_share_weighs_each_character_covered():
    generator = np.random.default_rng(1)
    print_ = engine.fingerprint(read(os.path.join(REPO, '3-variational.py')))
    for _ in range(20):
        matching = generator.random(len(print_.starts)) < 0.5
        weights = generator.random(len(print_.starts))
        # The last gram over a character is the one its part belongs to.
        expected = characters_weighed(print_.starts.tolist(),
                                      matching.tolist(), weights.tolist(),
                                      engine.K)
        assert engine.weighted_share(print_, matching, weights) == \
            pytest.approx(expected)


def test_unweighed_shares_are_copydetects():
    prints = [compare.fingerprint(read(os.path.join(folder, task + '.py')),
                                  set())
              for folder in ORIGINALS.values() for task in TASK_FILES[:2]]
    for a, b in itertools.combinations(prints, 2):
        in_b, in_a = engine.matched(a, b)
        found = engine.compare(a, b)
        assert engine.weighted_share(a, in_b, np.ones(len(in_b))) == \
            pytest.approx(found.share_a)
        assert engine.weighted_share(b, in_a, np.ones(len(in_a))) == \
            pytest.approx(found.share_b)


@pytest.mark.parametrize('others, population, weight', [
    (0, 22, 1.0), (5, 22, 0.5), (10, 22, 0.0), (15, 22, 0.0), (1, 4, 0.0)])
def test_a_grams_weight_falls_with_the_others_that_hold_it(
        others, population, weight):
    common = commonness.Commonness([], 0.5, 0, extra_files=population)
    assert common.weights(np.array([others]))[0] == pytest.approx(weight)


def test_all_at_once_is_pair_by_pair(tmp_path):
    """compare_class scores every file against the class at once; each
    pair must be what the pair alone sums to."""
    class_ = dict(ORIGINALS, **classmates(str(tmp_path)))
    found = compare.compare_class(class_)
    common = found.commonness['2-convolutional']
    for _, (a, b, scored) in (
            (owners, tasks['2-convolutional'])
            for owners, tasks in found.task_scores.items()):
        rare, raw = common.shares(a.print_, b.print_, a.holders, b.holders)
        assert (scored.share_a, scored.share_b) == pytest.approx(rare)
        assert scored.raw == pytest.approx(max(raw))
