"""A small class to try the graders' tools on, laid out as Gradescope's export.

    python -m grading.grade.demo [FOLDER]

Writes FOLDER (demo-class/ by default, ignored by git) from what the
repository holds: our task files, the independent solutions written for the
tests (where each meets the text: tests/independent/README.md), three
of the mutants as planted mistakes, a disguised copy of ours, an empty
submission, a group of two and a student who submitted twice, first with a
fourth mistake. The names are made up. `make check SOLUTIONS=demo-class`
then grades it (docs/graders.md shows what it prints).
"""
import argparse
import os
import shutil
import sys

from grading.check.mutants import named, solution_with
from grading.similarity import disguise
from tools.task import REPO, TASK_FILES

INDEPENDENT = os.path.join(REPO, 'tests', 'independent')


def copy_of(folder):
    """Fill folder with a source folder's task files."""
    def write(target):
        for task in TASK_FILES:
            shutil.copy(os.path.join(folder, task + '.py'), target)
    return write


def disguised_ours(target):
    for task in TASK_FILES:
        original = os.path.join(REPO, task + '.py')
        with open(original) as stream:
            source = stream.read()
        copy = os.path.join(target, task + '.py')
        with open(copy, 'w') as stream:
            stream.write(disguise.disguise(source, 'all', seed=7))
        shutil.copymode(original, copy)


def planted(description):
    def write(target):
        solution_with(named(description), target)
    write.mutant = named(description)
    return write


def planted_mutant(folder):
    """Return the mutant planted in a demo submission, or None."""
    write = next(write for name, _, _, write, _ in CLASS if name == folder)
    return getattr(write, 'mutant', None)


def nothing(target):
    with open(os.path.join(target, 'README.md'), 'w') as stream:
        stream.write('I will upload my work later.\n')


# (folder, [(name, sid, email)], submitted at, what it holds, what it is)
CLASS = [
    ('submission_2001', [('Aiko Tanaka', '4101', 'aiko.tanaka')],
     '2026-11-28 18:02:11', copy_of(REPO), 'our task files'),
    ('submission_2002', [('Bruno Costa', '4102', 'bruno.costa')],
     '2026-11-29 09:40:55', copy_of(os.path.join(INDEPENDENT, 'sequential')),
     'an independent solution'),
    ('submission_2003', [('Chloe Martin', '4103', 'chloe.martin'),
                         ('Dev Patel', '4104', 'dev.patel')],
     '2026-11-29 21:15:03',
     copy_of(os.path.join(INDEPENDENT, 'layers_lists')),
     'a group of two, a solution of their own'),
    ('submission_2004', [('Elena Petrova', '4105', 'elena.petrova')],
     '2026-11-30 11:27:40', planted('decoder output relu instead of sigmoid'),
     'a planted mistake'),
    ('submission_2005', [('Femi Adeyemi', '4106', 'femi.adeyemi')],
     '2026-11-30 16:03:22', planted('pooling with valid padding (7x7 -> 3x3)'),
     'a planted mistake'),
    ('submission_2006', [('Gao Lin', '4107', 'gao.lin')],
     '2026-11-30 20:48:09', planted('no KL term for the log variance'),
     'a planted mistake'),
    ('submission_2007', [('Hana Novak', '4108', 'hana.novak')],
     '2026-11-30 23:51:37', disguised_ours, 'a disguised copy of 2001'),
    ('submission_2008', [('Ivan Horvat', '4109', 'ivan.horvat')],
     '2026-11-27 10:00:00', nothing, 'no task files'),
    ('submission_2009', [('Jonas Weber', '4110', 'jonas.weber')],
     '2026-11-26 14:12:30', planted('loss given as mean squared error'),
     'a first try, superseded by 2010'),
    ('submission_2010', [('Jonas Weber', '4110', 'jonas.weber')],
     '2026-12-01 08:05:44',
     copy_of(os.path.join(INDEPENDENT, 'while_loops')),
     'the same student, later: a solution of their own'),
]


def metadata():
    """Return submission_metadata.yml's text, as Gradescope writes it."""
    lines = []
    for folder, people, created, _, _ in CLASS:
        lines += ['{}:'.format(folder), '  :submitters:']
        for name, sid, email in people:
            lines += ['  - :name: {}'.format(name),
                      "    :sid: '{}'".format(sid),
                      '    :email: {}@example.edu'.format(email)]
        lines += ['  :created_at: {}.000000000 +00:00'.format(created),
                  '  :score: ', '  :status: processed']
    return '\n'.join(lines) + '\n'


def write_class(folder):
    """Write the demo class into folder, afresh; return what it holds."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, 'submission_metadata.yml'), 'w') as out:
        out.write(metadata())
    for name, _, _, write, _ in CLASS:
        target = os.path.join(folder, name)
        os.makedirs(target)
        write(target)
    return [(name, ', '.join(person[0] for person in people), what)
            for name, people, _, _, what in CLASS]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('folder', nargs='?',
                        default=os.path.join(REPO, 'demo-class'))
    args = parser.parse_args(argv)
    for name, people, what in write_class(args.folder):
        print('{}  {:<28} {}'.format(name, people, what))
    print('demo class in {}: grade it with make check SOLUTIONS={}'.format(
        args.folder, os.path.relpath(args.folder)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
