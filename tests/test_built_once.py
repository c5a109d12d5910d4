"""conftest's built_once: what the suite builds once and keeps by content.

The quick reproduction is kept in pytest's cache under a hash of what
decides it. A kept folder must be reused only while every input is
unchanged, one build a TensorFlow line must stay (CI runs the lines in
turn), and a build that stops halfway must leave nothing that a later run
would take for finished.
"""
import os

import pytest

from conftest import KEPT_BUILDS, built_once


class Cache:
    """pytest's cache as built_once uses it: mkdir(name) under a folder."""

    def __init__(self, root):
        self.root = root

    def mkdir(self, name):
        path = self.root / name
        path.mkdir(exist_ok=True)
        return path


@pytest.fixture
def counted(tmp_path):
    """Return (cache, build, builds): an empty cache, and a build that
    writes a file and counts."""
    builds = []

    def build(folder):
        builds.append(folder)
        with open(os.path.join(folder, 'made'), 'w') as stream:
            stream.write(str(len(builds)))
    (tmp_path / 'cache').mkdir()
    return Cache(tmp_path / 'cache'), build, builds


def test_the_same_inputs_are_built_once(tmp_path, counted):
    cache, build, builds = counted
    source = tmp_path / 'source.py'
    source.write_text('one')
    first = built_once(cache, 'thing', [str(source), 'TF 2.15'], build)
    second = built_once(cache, 'thing', [str(source), 'TF 2.15'], build)
    assert first == second and len(builds) == 1
    assert open(os.path.join(first, 'made')).read() == '1'


@pytest.mark.parametrize('change', ['file', 'word'])
def test_a_changed_input_builds_anew(tmp_path, counted, change):
    cache, build, builds = counted
    source = tmp_path / 'source.py'
    source.write_text('one')
    first = built_once(cache, 'thing', [str(source), 'TF 2.15'], build)
    if change == 'file':
        source.write_text('two')
        words = 'TF 2.15'
    else:
        words = 'TF 2.16'
    second = built_once(cache, 'thing', [str(source), words], build)
    assert second != first and len(builds) == 2
    assert open(os.path.join(second, 'made')).read() == '2'


def test_one_build_a_line_is_kept_and_the_least_recently_used_goes(
        counted):
    cache, build, builds = counted
    assert KEPT_BUILDS == 3   # requirements/: 2.15, 2.16 and latest
    lines = [built_once(cache, 'thing', ['TF {}'.format(number)], build)
             for number in range(KEPT_BUILDS)]
    # Used again, the first line's build outlives the second's.
    assert built_once(cache, 'thing', ['TF 0'], build) == lines[0]
    newest = built_once(cache, 'thing', ['TF new'], build)
    assert len(builds) == KEPT_BUILDS + 1
    assert os.path.isdir(lines[0]) and os.path.isdir(lines[2])
    assert os.path.isdir(newest) and not os.path.exists(lines[1])


def test_a_build_that_stops_leaves_nothing_finished(counted):
    cache, build, builds = counted

    def stops(folder):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        built_once(cache, 'thing', ['TF 2.15'], stops)
    folder = built_once(cache, 'thing', ['TF 2.15'], build)
    assert len(builds) == 1
    assert open(os.path.join(folder, 'made')).read() == '1'
