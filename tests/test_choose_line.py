"""Which TensorFlow line and Python `make` chooses, on machines we fake.

Each case lays out fake interpreters (shell scripts that print their
version) on a PATH that holds nothing else, under pyenv's and uv's folders,
and in existing environments, then runs tools/choose_line.sh, or make
itself, as a newcomer's machine would. The expected lines come from the
wheels each TensorFlow release has (README, "Supported lines").
"""
import os
import shutil
import subprocess
import time

import pytest

from conftest import REPO

CHOOSER = os.path.join(REPO, 'tools', 'choose_line.sh')
# What the chooser and make call, and nothing that could be a Python.
UTILITIES = ('ls', 'sort', 'sed', 'head', 'cut', 'make', 'mkdir', 'rm')


def write_python(path, version, works=True):
    """Write a fake interpreter at path that reports version."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as stream:
        stream.write('#!/bin/sh\n')
        # A pyenv shim for a version that is not active fails like this.
        stream.write('echo {}\n'.format(version) if works else
                     'echo "pyenv: python{}: command not found" >&2\n'
                     'exit 127\n'.format(version))
    os.chmod(path, 0o755)
    return path


class Machine:
    """A fake machine: a PATH, a home with pyenv and uv, a project folder."""

    def __init__(self, root):
        self.root = root
        self.bin = str(root / 'bin')
        self.home = str(root / 'home')
        self.project = str(root / 'project')
        utilities = str(root / 'utilities')
        for folder in (self.bin, self.home, self.project, utilities):
            os.makedirs(folder)
        for name in UTILITIES:
            os.symlink(shutil.which(name), os.path.join(utilities, name))
        os.makedirs(os.path.join(self.project, 'tools'))
        shutil.copy(CHOOSER, os.path.join(self.project, 'tools'))
        shutil.copy(os.path.join(REPO, 'Makefile'), self.project)
        shutil.copytree(os.path.join(REPO, 'requirements'),
                        os.path.join(self.project, 'requirements'))
        self.env = {'PATH': '{}:{}'.format(self.bin, utilities),
                    'HOME': self.home,
                    'PYENV_ROOT': os.path.join(self.home, '.pyenv')}

    def on_path(self, version, name=None, works=True):
        name = name or 'python' + version
        return write_python(os.path.join(self.bin, name), version, works)

    def in_pyenv(self, full_version):
        version = full_version.rsplit('.', 1)[0]
        return write_python(os.path.join(
            self.home, '.pyenv', 'versions', full_version, 'bin',
            'python' + version), version)

    def in_uv(self, full_version):
        version = full_version.rsplit('.', 1)[0]
        return write_python(os.path.join(
            self.home, '.local', 'share', 'uv', 'python',
            'cpython-{}-linux-x86_64-gnu'.format(full_version), 'bin',
            'python' + version), version)

    def environment(self, line, version):
        """Make the project's environment of line, as make leaves it."""
        venv = os.path.join(self.project, '.venv-tf' + line)
        write_python(os.path.join(venv, 'bin', 'python'), version)
        with open(os.path.join(venv, 'pyvenv.cfg'), 'w') as stream:
            stream.write('home = /usr/bin\nversion = {}.4\n'.format(version))
        return venv

    def choose(self, tf='', python=''):
        """Run the chooser; return (exit code, stdout, stderr)."""
        result = subprocess.run(
            ['/bin/bash', 'tools/choose_line.sh', tf, python],
            cwd=self.project, env=self.env, capture_output=True, text=True,
            timeout=60)
        return result.returncode, result.stdout.strip(), result.stderr

    def make(self, *arguments):
        result = subprocess.run(
            ['make', '--no-print-directory'] + list(arguments),
            cwd=self.project, env=self.env, capture_output=True, text=True,
            timeout=60)
        return result.returncode, result.stdout, result.stderr


@pytest.fixture
def machine(tmp_path):
    return Machine(tmp_path)


# With TF unset: the Pythons on the PATH, the line and Python chosen.
DEFAULT_CHOICES = [
    (['3.9', '3.12', '3.13'], '2.15', '3.9'),
    (['3.11', '3.10', '3.9'], '2.15', '3.9'),
    (['3.10'], '2.15', '3.10'),
    (['3.11'], '2.15', '3.11'),
    (['3.12'], 'latest', '3.12'),
    (['3.13'], 'latest', '3.13'),
    (['3.12', '3.13', '3.14'], 'latest', '3.13'),
]


@pytest.mark.parametrize('versions, line, version', DEFAULT_CHOICES,
                         ids=['+'.join(case[0]) for case in DEFAULT_CHOICES])
def test_unset_tf_chooses_the_best_line_here(machine, versions, line,
                                             version):
    for found in versions:
        machine.on_path(found)
    code, chosen, said = machine.choose()
    assert code == 0, said
    assert chosen == '{} {}/python{}'.format(line, machine.bin, version)
    assert said.count('\n') == 1 and 'TF={}'.format(line) in said


def test_without_the_graded_pythons_it_says_why_and_how(machine):
    machine.on_path('3.12')
    _, _, said = machine.choose()
    assert said.startswith('No Python 3.9-3.11 here, so not the graded '
                           'TF 2.15 line: using TF=latest with Python 3.12')
    assert 'pyenv install 3.9' in said and 'make clean' in said


@pytest.mark.parametrize('versions', [['3.14'], [], ['3.8', '3.14']],
                         ids=['only 3.14', 'nothing', '3.8 and 3.14'])
def test_no_supported_python_is_refused_clearly(machine, versions):
    for found in versions:
        machine.on_path(found)
    code, chosen, said = machine.choose()
    assert code == 1 and chosen == ''
    assert 'No Python that any TensorFlow line supports' in said
    assert ('TF=2.15 (graded) Python 3.9-3.11, TF=2.16 Python 3.9-3.12, '
            'TF=latest Python 3.10-3.13') in said
    found = ('3.14 ({}/python3.14)'.format(machine.bin) if '3.14' in versions
             else 'none')
    assert 'Found here: {}.'.format(found) in said
    assert 'pyenv install 3.13' in said and 'uv python install' in said


def test_a_line_no_python_here_serves_is_refused(machine):
    machine.on_path('3.12')
    code, chosen, said = machine.choose('2.15')
    assert code == 1 and chosen == ''
    assert said.startswith('TF=2.15 needs Python 3.9-3.11, and none of those '
                           'was found.')
    assert 'pyenv install 3.9' in said
    assert ('This machine can serve: TF=2.16 (Python 3.12), '
            'TF=latest (Python 3.12).') in said


@pytest.mark.parametrize('tf, versions, version', [
    ('2.15', ['3.11', '3.10'], '3.10'),
    ('2.16', ['3.9', '3.11', '3.12', '3.13'], '3.12'),
    ('2.16', ['3.9'], '3.9'),
    ('latest', ['3.9', '3.10'], '3.10'),
    ('latest', ['3.12', '3.13', '3.14'], '3.13'),
])
def test_each_line_takes_every_python_it_has_wheels_for(machine, tf,
                                                        versions, version):
    for found in versions:
        machine.on_path(found)
    code, chosen, said = machine.choose(tf)
    assert code == 0, said
    assert chosen == '{} {}/python{}'.format(tf, machine.bin, version)


def test_an_existing_environment_is_reused(machine):
    machine.on_path('3.9')
    venv = machine.environment('latest', '3.12')
    code, chosen, said = machine.choose()
    assert code == 0
    assert chosen == 'latest {}/bin/python'.format(venv)
    assert 'existing environment .venv-tflatest (Python 3.12)' in said


def test_the_graded_environment_comes_first(machine):
    machine.environment('latest', '3.12')
    venv = machine.environment('2.15', '3.10')
    assert machine.choose()[1] == '2.15 {}/bin/python'.format(venv)


def test_python_wins_over_what_is_found(machine):
    machine.on_path('3.9')
    python = write_python(str(machine.root / 'elsewhere' / 'python'), '3.13')
    code, chosen, said = machine.choose('', python)
    assert code == 0
    assert chosen == 'latest ' + python
    assert 'PYTHON={} (Python 3.13)'.format(python) in said


def test_python_a_line_cannot_use_is_refused(machine):
    python = machine.on_path('3.12')
    code, chosen, said = machine.choose('2.15', python)
    assert code == 1 and chosen == ''
    assert 'TF=2.15 needs Python 3.9-3.11, but PYTHON={} is Python 3.12.' \
        .format(python) in said


def test_a_pyenv_shim_that_does_not_run_is_skipped(machine):
    machine.on_path('3.9', works=False)
    python = machine.in_pyenv('3.9.18')
    machine.in_pyenv('3.9.7')
    assert machine.choose()[1] == '2.15 ' + python


def test_uv_managed_interpreters_are_found(machine):
    python = machine.in_uv('3.12.8')
    assert machine.choose()[1] == 'latest ' + python


def test_plain_python3_is_found_by_its_version(machine):
    python = machine.on_path('3.13', name='python3')
    assert machine.choose()[1] == 'latest ' + python


def test_make_says_its_choice_before_doing_anything(machine):
    machine.on_path('3.12')
    code, planned, said = machine.make('-n', 'run')
    assert code == 0, said
    assert said.startswith('No Python 3.9-3.11 here, so not the graded')
    assert '"{}/python3.12" -m venv .venv-tflatest'.format(machine.bin) \
        in planned
    assert '-r requirements/tflatest.txt' in planned


def test_make_refuses_within_seconds_before_pip_runs(machine):
    machine.on_path('3.14')
    start = time.monotonic()
    code, planned, said = machine.make('run')
    assert code != 0 and planned == ''
    assert 'No Python that any TensorFlow line supports' in said
    assert 'no environment can be made' in said
    assert time.monotonic() - start < 10
    assert not any(name.startswith('.venv')
                   for name in os.listdir(machine.project))
