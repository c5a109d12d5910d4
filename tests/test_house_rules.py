"""The assignment's house rules for the four task files.

First line `#!/usr/bin/env python3`, a final newline, executable, module
and function docstrings, pycodestyle 2.11.1 clean, Python 3.9 syntax (the
graders' interpreter) and no import but `import tensorflow.keras as keras`.
"""
import ast
import os

import pycodestyle
import pytest

from conftest import REPO, TASK_FILES, expect

# The task files are the text's points; the sample-compatible VAE keeps the
# house rules too, as this project's own file.
RULED_FILES = [pytest.param(name, marks=pytest.mark.text)
               for name in TASK_FILES] + ['sample/3-variational']


@pytest.fixture
def path(name, solution_dir):
    """Return the path of the file the test is about, which must exist."""
    folder = solution_dir if name in TASK_FILES else REPO
    path = os.path.join(folder, name + '.py')
    if not os.path.isfile(path):
        raise FileNotFoundError('no file {}'.format(path))
    return path


@pytest.fixture
def source(path):
    """Return the text of the file the test is about."""
    with open(path) as stream:
        return stream.read()


@pytest.mark.parametrize('name', RULED_FILES)
def test_starts_with_the_shebang_and_ends_with_a_newline(source):
    expect('first line', '#!/usr/bin/env python3', source.split('\n', 1)[0])
    expect('ends with a newline', True, source.endswith('\n'))


@pytest.mark.parametrize('name', RULED_FILES)
def test_is_executable(path):
    expect('executable', True, os.access(path, os.X_OK))


@pytest.mark.parametrize('name', RULED_FILES)
def test_only_import_is_tensorflow_keras(source):
    tree = ast.parse(source)
    imports = [ast.unparse(node) for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    expect('imports', ['import tensorflow.keras as keras'], imports)


@pytest.mark.parametrize('name', RULED_FILES)
def test_module_classes_and_functions_have_docstrings(source):
    tree = ast.parse(source)
    expect('module docstring', True, bool(ast.get_docstring(tree)))
    definitions = [node for node in ast.walk(tree)
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    assert definitions
    expect('functions and classes without a docstring', [],
           [node.name for node in definitions
            if not ast.get_docstring(node)])


@pytest.mark.parametrize('name', RULED_FILES)
def test_parses_as_python_3_9(source):
    ast.parse(source, feature_version=(3, 9))


def test_pycodestyle_is_the_graders_version():
    assert pycodestyle.__version__ == '2.11.1'


class CollectedReport(pycodestyle.BaseReport):
    """A pycodestyle report that keeps its findings instead of printing."""

    def __init__(self, options):
        super().__init__(options)
        self.findings = []

    def error(self, line_number, offset, text, check):
        code = super().error(line_number, offset, text, check)
        if code:
            self.findings.append('line {}: {}'.format(line_number, text))
        return code


@pytest.mark.parametrize('name', RULED_FILES)
def test_pycodestyle_clean(path):
    style = pycodestyle.StyleGuide(reporter=CollectedReport)
    report = style.check_files([path])
    expect('pycodestyle 2.11.1 findings', [], report.findings[:3])


@pytest.mark.parametrize('name', TASK_FILES)
@pytest.mark.text
def test_defines_autoencoder(task, name):
    expect('autoencoder is a function', True,
           callable(getattr(task(name), 'autoencoder', None)))
