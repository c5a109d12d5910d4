"""Find, read and fingerprint what someone submitted, as data.

A submission is not ours, and its author may want the points. What looks
like `0-vanilla.py` may be a link to the grader's own files (a key, a
password file, another student's work), a FIFO that blocks its reader
forever, or gigabytes. Whatever reads a submitted file outside the sandbox
(the judge's house rules, the gradebook's fingerprint, the similarity
comparison) reads it here: a regular file, not through a link, at most
LIMIT bytes. Anything else is refused with a reason a report can show, so
a link's target never reaches a report that a student reads.

A submission is a folder: the task files themselves, or a student's
repository clone holding them deeper (the assignment's own path is
unsupervised_learning/autoencoders/). The folder that holds them is the
one with the most task files; a tie between two folders is ambiguous.
"""
import errno
import fnmatch
import hashlib
import os
import stat

from tools.task import TASK_FILES

# Our task files are 3 to 8 kB; a megabyte is no task file anyone wrote.
LIMIT = 2 ** 20
# Folders that are never the student's work, and possibly large: neither
# searched for task files nor copied for a check.
NOT_THE_WORK = ('.git', '__pycache__', '.venv*', 'node_modules',
                '.ipynb_checkpoints')


class Refused(Exception):
    """The file is not one to read; str() says why, for a report."""


def read_task_file(path, limit=LIMIT):
    """Return (the bytes of the file at path, whether it is executable).

    Raise FileNotFoundError where there is none, Refused for a link, a
    FIFO, a device or a folder, or a file over limit bytes.
    """
    content, status = read_regular(path, limit)
    if len(content) > limit:
        raise Refused('over {} bytes: no task file is this long'.format(
            limit))
    return content, bool(status.st_mode & 0o111)


def read_regular(path, limit):
    """Return (up to limit + 1 bytes of the file at path, its status).

    The file is opened once, without following a link and without
    blocking, and read only if it is a regular file: FileNotFoundError
    where there is none, Refused for anything else. A caller that gets
    more than limit bytes knows the file is over its limit.
    """
    flags = (os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
             | getattr(os, 'O_NOCTTY', 0))
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Refused('a symbolic link, not a file: submit the file '
                          'itself') from None
        if error.errno == errno.ENOENT:
            raise
        raise Refused('unreadable: {}'.format(error.strerror)) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise Refused('not a regular file (mode {:o})'.format(
            stat.S_IFMT(status.st_mode)))
    with os.fdopen(descriptor, 'rb') as stream:
        return stream.read(limit + 1), status


def not_the_work(name):
    """Whether a folder called name is one of NOT_THE_WORK."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in NOT_THE_WORK)


def candidate_folders(submission):
    """Return {folder: number of task files in it}, for folders with any."""
    found = {}
    for root, folders, names in os.walk(submission):
        folders[:] = sorted(name for name in folders
                            if not not_the_work(name))
        count = sum(task + '.py' in names for task in TASK_FILES)
        if count:
            found[root] = count
    return found


def locate(submission):
    """Return (the folder of task files, None) or (None, the problem)."""
    found = candidate_folders(submission)
    if not found:
        return None, 'no task files'
    most = max(found.values())
    best = sorted(folder for folder, count in found.items() if count == most)
    if len(best) > 1:
        return None, 'two candidate folders: {}'.format(', '.join(
            os.path.relpath(folder, submission) for folder in best))
    return best[0], None


def fingerprint(folder):
    """Return a hash of the task files in folder: names, x bits, contents.

    A submission whose fingerprint did not change need not be checked
    again.
    """
    digest = hashlib.sha256()
    for task in TASK_FILES:
        try:
            content, executable = read_task_file(
                os.path.join(folder, task + '.py'))
        except FileNotFoundError:
            continue
        except Refused as refused:
            content, executable = str(refused).encode(), None
        digest.update('{} {}\n'.format(task, executable).encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()
