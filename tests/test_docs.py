"""The README and the pages in docs/: every link lands, every target is named.

Each relative link and image in a page must name a file that exists, and
each anchor a heading of its page as GitHub spells it (lowercase, spaces
to hyphens, punctuation dropped, a repeated heading numbered), so that
pages can move without rotting. Every `make` target the Makefile's header
lists must be named on some page.
"""
import collections
import glob
import os
import re

import pytest

from conftest import REPO

PAGES = sorted([os.path.join(REPO, 'README.md')]
               + glob.glob(os.path.join(REPO, 'docs', '*.md'))
               + [os.path.join(REPO, 'results', 'RESULTS.md')])
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)\)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')


def prose(path):
    """Return the page's lines outside fenced code, inline code removed."""
    kept, fenced = [], False
    with open(path, encoding='utf-8') as stream:
        for line in stream:
            if line.lstrip().startswith('```'):
                fenced = not fenced
                continue
            if not fenced:
                kept.append(line.rstrip('\n'))
    return kept


def slug(heading):
    """Return GitHub's anchor for a heading's text."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)   # links
    text = text.replace('`', '').replace('*', '').lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path):
    """Return the anchors of every heading in the page at path."""
    seen = collections.Counter()
    found = set()
    for line in prose(path):
        match = HEADING.match(line)
        if match:
            base = slug(match.group(2))
            found.add(base if not seen[base] else '{}-{}'.format(
                base, seen[base]))
            seen[base] += 1
    return found


def links(path):
    """Yield (line number, target) of each relative link in the page."""
    for number, line in enumerate(prose(path), 1):
        line = re.sub(r'`[^`]*`', '', line)
        for target in LINK.findall(line):
            if not re.match(r'[a-z]+:', target):
                yield number, target


def test_slugs_follow_githubs_rules():
    assert slug("The sample's 3-main output, reproduced") == \
        'the-samples-3-main-output-reproduced'
    assert slug('Keras 2 and Keras 3: what changes without an error') == \
        'keras-2-and-keras-3-what-changes-without-an-error'
    assert slug('`make check`, isolated') == 'make-check-isolated'


@pytest.mark.parametrize('page', PAGES,
                         ids=[os.path.relpath(p, REPO) for p in PAGES])
def test_every_link_and_anchor_resolves(page):
    broken = []
    for number, target in links(page):
        path, _, anchor = target.partition('#')
        file = os.path.normpath(os.path.join(os.path.dirname(page), path)
                                ) if path else page
        if not os.path.exists(file):
            broken.append('line {}: {} (no such file)'.format(number, target))
        elif anchor and file.endswith('.md') and anchor not in anchors(file):
            broken.append('line {}: {} (no such heading)'.format(
                number, target))
    assert broken == []


def test_the_readme_fits_one_page_with_the_commands_first():
    lines = prose(os.path.join(REPO, 'README.md'))
    with open(os.path.join(REPO, 'README.md')) as stream:
        text = stream.read()
    assert len(text.splitlines()) <= 200
    first_screen = '\n'.join(text.splitlines()[:60])
    assert 'make run' in first_screen and 'make test' in first_screen
    assert lines[0].startswith('# ')


def test_each_page_says_who_it_is_for():
    for page in glob.glob(os.path.join(REPO, 'docs', '*.md')):
        lines = [line for line in prose(page) if line.strip()]
        assert lines[0].startswith('# ') and lines[1].startswith('*For '), \
            page


def makefile_targets():
    """Return the targets the Makefile's header lists as `make TARGET`."""
    targets = set()
    with open(os.path.join(REPO, 'Makefile')) as stream:
        for line in stream:
            if not line.startswith('#'):
                break
            targets.update(re.findall(r'^#\s+make ([a-z][\w-]*)', line))
    return targets


def test_every_make_target_in_the_header_is_named_on_a_page():
    named = ''
    for page in PAGES:
        with open(page, encoding='utf-8') as stream:
            named += stream.read()
    targets = makefile_targets()
    assert {'run', 'test', 'check', 'similarity-engines'} <= targets
    assert sorted(target for target in targets
                  if not re.search(r'make {}\b'.format(re.escape(target)),
                                   named)) == []


def test_the_graders_page_opens_with_the_recipe_the_tests_run():
    """The recipe comes first, each section says who it is for, and its
    commands are the Makefile's and the ones tests/test_export.py runs."""
    lines = [line for line in prose(os.path.join(REPO, 'docs', 'graders.md'))
             if line.strip()]
    sections = [number for number, line in enumerate(lines)
                if line.startswith('## ')]
    assert lines[sections[0]] == '## The first hour: a recipe'
    for number in sections:
        assert lines[number + 1].startswith('*For '), lines[number]
    with open(os.path.join(REPO, 'docs', 'graders.md')) as stream:
        page = stream.read()
    recipe = page[page.index('## The first hour'):page.index(
        '## Checking one solution')]
    commands = re.findall(r'^make ([a-z-]+)', recipe, re.MULTILINE)
    assert commands[:2] == ['demo-class', 'check']
    assert set(commands) <= makefile_targets()
    assert 'make check SOLUTIONS=demo-class' in recipe
    with open(os.path.join(REPO, 'tests', 'test_export.py')) as stream:
        tested = stream.read()
    assert 'demo.write_class' in tested and "'grading.grade'" in tested
