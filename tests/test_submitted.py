"""A submitted task file is read as data: a plain file, or refused.

Every reader outside the sandbox (the judge's house rules, the gradebook's
fingerprint, the similarity comparison) goes through grading/submitted.py;
these tests plant what a student who wants the points, or the grader's
secrets, might plant, and check what each reader makes of it.
"""
import os
import threading

import pytest

from grading import submitted
from grading.check import points

SECRET = 'GRADER-SECRET-7f3a'


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / 'outside' / 'secret.txt'
    path.parent.mkdir()
    path.write_text(SECRET + '\n')
    return path


def plant(kind, path, secret_file):
    """Make path a file of the given kind."""
    if kind == 'link outside':
        os.symlink(str(secret_file), str(path))
    elif kind == 'link inside':
        (path.parent / 'real.py').write_text('print(1)\n')
        os.symlink('real.py', str(path))
    elif kind == 'dangling link':
        os.symlink(str(path.parent / 'nowhere'), str(path))
    elif kind == 'fifo':
        os.mkfifo(str(path))
    elif kind == 'folder':
        path.mkdir()
    elif kind == 'too long':
        path.write_bytes(b'#' * (submitted.LIMIT + 1))


REFUSED = [
    ('link outside', 'a symbolic link'),
    ('link inside', 'a symbolic link'),
    ('dangling link', 'a symbolic link'),
    ('fifo', 'not a regular file'),
    ('folder', 'not a regular file'),
    ('too long', 'over {} bytes'.format(submitted.LIMIT)),
]


def read_in_thread(path):
    """Read path in a thread; fail if it blocks (a FIFO would, opened
    plainly, until a writer came)."""
    outcome = {}

    def read():
        try:
            outcome['read'] = submitted.read_task_file(str(path))
        except Exception as error:   # noqa: BLE001 - the test looks at it
            outcome['error'] = error
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), 'reading {} blocked'.format(path)
    return outcome


@pytest.mark.parametrize('kind, why', REFUSED)
def test_anything_but_a_plain_file_is_refused_saying_why(
        kind, why, tmp_path, secret_file):
    path = tmp_path / '0-vanilla.py'
    plant(kind, path, secret_file)
    outcome = read_in_thread(path)
    assert isinstance(outcome.get('error'), submitted.Refused), outcome
    assert str(outcome['error']).startswith(why)


def test_a_plain_file_is_read_with_its_execute_bit(tmp_path):
    path = tmp_path / '0-vanilla.py'
    path.write_bytes(b'#!/usr/bin/env python3\n')
    assert submitted.read_task_file(str(path)) == (
        b'#!/usr/bin/env python3\n', False)
    path.chmod(0o755)
    assert submitted.read_task_file(str(path))[1] is True


def test_a_missing_file_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        submitted.read_task_file(str(tmp_path / '0-vanilla.py'))


@pytest.mark.parametrize('kind, why', REFUSED)
def test_the_judge_shows_the_refusal_and_never_the_target(
        kind, why, tmp_path, secret_file):
    plant(kind, tmp_path / '1-sparse.py', secret_file)
    file = points.read_file(str(tmp_path), '1-sparse')
    assert file['source'] is None and why in file['refused']
    result = points.judge_task('1-sparse', {'experiments': {}}, {}, {}, {},
                               file)
    assert result.passed == 0
    assert [failure.found for failure in result.failed] == [
        file['refused']] * len(result.sources)
    assert SECRET not in repr(result)


def test_the_fingerprint_of_a_link_is_not_its_targets(tmp_path, secret_file):
    linked, copied = tmp_path / 'linked', tmp_path / 'copied'
    linked.mkdir()
    copied.mkdir()
    os.symlink(str(secret_file), str(linked / '0-vanilla.py'))
    (copied / '0-vanilla.py').write_text(secret_file.read_text())
    assert submitted.fingerprint(str(linked)) != submitted.fingerprint(
        str(copied))
