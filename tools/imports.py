"""Which of the project's files a module imports, read from the code.

The grader reuses a report only if the files that made it are unchanged,
and the autograder bundle ships only what its run needs: both take the
files from here, followed import by import from their entry points, so
that a new helper is counted the day it is imported. The code is parsed,
never run; an import inside a function counts as much as one at the top.
"""
import ast
import os

from tools.task import REPO

# The project's packages: imports of anything else are not followed.
PACKAGES = ('tools', 'grading', 'lab')


def module_file(name):
    """Return the path of the project's module called name, or None."""
    if name.split('.')[0] not in PACKAGES:
        return None
    path = os.path.join(REPO, *name.split('.'))
    for candidate in (path + '.py', os.path.join(path, '__init__.py')):
        if os.path.isfile(candidate):
            return candidate
    return None


def imported_names(path, name):
    """Return the module names the file at path (module name) imports.

    `from a import b` names a.b where b is a module of its own, else a;
    a relative import is read from name's package.
    """
    with open(path, 'rb') as stream:
        tree = ast.parse(stream.read(), path)
    package = name if path.endswith('__init__.py') else name.rpartition(
        '.')[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')
                parts = parts[:len(parts) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            for alias in node.names:
                whole = '{}.{}'.format(base, alias.name)
                found.add(whole if module_file(whole) else base)
    return found


def with_packages(name):
    """Return name and the packages above it, which importing it runs."""
    parts = name.split('.')
    return ['.'.join(parts[:end]) for end in range(1, len(parts) + 1)]


def project_files(entry_points):
    """Return the sorted paths of the project's files the entry points
    (module names, as `python -m` takes them) import, themselves included.
    """
    seen, files, waiting = set(), set(), list(entry_points)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        if path is None:
            continue
        files.add(path)
        for imported in imported_names(path, name):
            waiting.extend(with_packages(imported))
        waiting.extend(with_packages(name))
    return sorted(files)
