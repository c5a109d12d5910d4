"""Find the task files in a submission, wherever they sit.

A submission is a folder: the four task files themselves, or a student's
repository clone holding them deeper (the assignment's own path is
unsupervised_learning/autoencoders/). The folder that holds them is the
one with the most task files; a tie between two folders is ambiguous.
"""
import hashlib
import os

from tools import submitted
from tools.task import TASK_FILES

# Never the student's work, and possibly large.
SKIPPED_FOLDERS = {'.git', '__pycache__', 'node_modules', '.ipynb_checkpoints'}


def candidate_folders(submission):
    """Return {folder: number of task files in it}, for folders with any."""
    found = {}
    for root, folders, names in os.walk(submission):
        folders[:] = sorted(name for name in folders
                            if name not in SKIPPED_FOLDERS
                            and not name.startswith('.venv'))
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
            content, executable = submitted.read_task_file(
                os.path.join(folder, task + '.py'))
        except FileNotFoundError:
            continue
        except submitted.Refused as refused:
            content, executable = str(refused).encode(), None
        digest.update('{} {}\n'.format(task, executable).encode())
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()
