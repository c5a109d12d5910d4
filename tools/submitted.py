"""Read a task file someone submitted as data, whatever it really is.

A submission is not ours, and its author may want the points. What looks
like `0-vanilla.py` may be a link to the grader's own files (a key, a
password file, another student's work), a FIFO that blocks its reader
forever, or gigabytes. Whatever reads a submitted file outside the sandbox
(the judge's house rules, the gradebook's fingerprint, the similarity
comparison) reads it here: a regular file, not through a link, at most
LIMIT bytes. Anything else is refused with a reason a report can show, so
a link's target never reaches a report that a student reads.
"""
import errno
import os
import stat

# Our task files are 3 to 8 kB; a megabyte is no task file anyone wrote.
LIMIT = 2 ** 20


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
