"""The assignment's house rules for the four task files.

First line `#!/usr/bin/env python3`, a final newline, executable, module
and function docstrings, pycodestyle 2.11.1 clean, Python 3.9 syntax (the
graders' interpreter) and no import but `import tensorflow.keras as keras`.
"""
import ast
import os

import pycodestyle
import pytest

from conftest import REPO, TASK_FILES

# The sample-compatible VAE keeps the house rules too.
RULED_FILES = TASK_FILES + ['sample/3-variational']


def source_of(name):
    """Return the text of a task file."""
    with open(os.path.join(REPO, name + '.py')) as stream:
        return stream.read()


@pytest.mark.parametrize('name', RULED_FILES)
def test_starts_with_the_shebang_and_ends_with_a_newline(name):
    source = source_of(name)
    assert source.split('\n', 1)[0] == '#!/usr/bin/env python3'
    assert source.endswith('\n')


@pytest.mark.parametrize('name', RULED_FILES)
def test_is_executable(name):
    assert os.access(os.path.join(REPO, name + '.py'), os.X_OK)


@pytest.mark.parametrize('name', RULED_FILES)
def test_only_import_is_tensorflow_keras(name):
    tree = ast.parse(source_of(name))
    imports = [ast.unparse(node) for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert imports == ['import tensorflow.keras as keras']


@pytest.mark.parametrize('name', RULED_FILES)
def test_module_classes_and_functions_have_docstrings(name):
    tree = ast.parse(source_of(name))
    assert ast.get_docstring(tree)
    definitions = [node for node in ast.walk(tree)
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    assert definitions
    for node in definitions:
        assert ast.get_docstring(node), node.name


@pytest.mark.parametrize('name', RULED_FILES)
def test_parses_as_python_3_9(name):
    ast.parse(source_of(name), feature_version=(3, 9))


def test_pycodestyle_is_the_graders_version():
    assert pycodestyle.__version__ == '2.11.1'


@pytest.mark.parametrize('name', RULED_FILES)
def test_pycodestyle_clean(name):
    style = pycodestyle.StyleGuide()
    report = style.check_files([os.path.join(REPO, name + '.py')])
    assert report.total_errors == 0


@pytest.mark.parametrize('name', TASK_FILES)
def test_defines_autoencoder(task, name):
    assert callable(task(name).autoencoder)
