"""Compare every pair of a class's submissions, task by task.

Each task file is read as text, never run, put in its canonical form
(canonical.py) and fingerprinted (engine.py), less the boilerplate: the
mains, the house-rule lines and the text's signatures, and any files the
grader adds. A pair's score on a task weighs each shared passage by how
rare it is in the class (commonness.py), so what every careful student
writes counts for little. Fingerprints are cached by the files' hashes in
the gradebook folder, so that a rerun reads and fingerprints only what is
new or changed; pairs are always scored afresh, since a new submission
changes what is common. Every submission is also compared with each known
solution.
"""
import collections
import dataclasses
import hashlib
import itertools
import json
import os

import numpy as np

from grading import submitted
from grading.check import text
from grading.similarity import canonical, commonness, engine, rule
from tools.task import MAINS, REPO, TASK_FILES

# Fewer fingerprints than this beyond the boilerplate is a stub: too
# little code to tell a copy from a coincidence.
MIN_FINGERPRINTS = 5
CACHE_VERSION = 2

# A file pair's scores: the larger share weighed by rarity (what the rule
# reads), each side's weighed share, and the larger share unweighed.
Scored = collections.namedtuple('Scored', 'score share_a share_b raw')
# One task file of each side of a pair, and their Scored.
TaskMatch = collections.namedtuple('TaskMatch', 'a b scored')


@dataclasses.dataclass
class Comparison:
    """What comparing a class found, for its reports."""
    task_scores: dict    # {(owner, owner): {task: TaskMatch}}
    judged: dict         # {(owner, owner): rule.Judgement}
    reference: rule.Reference
    commonness: dict     # {task: commonness.Commonness}
    entries: list        # every file read, with its problem if any
    without_files: list  # the submissions with no task file, by label
    fingerprinted: int   # files fingerprinted now
    cached: int          # files whose fingerprints came from the cache


def house_rules(task):
    """Return what the text dictates of a task file, as code."""
    return '{}\n{}\n\n\n{}\n    return encoder, decoder, auto\n'.format(
        text.SHEBANG, text.IMPORT, text.SIGNATURES[task])


def boilerplate_sources(folders):
    """Return the texts every submission may share: mains, rules, extras."""
    sources = []
    for main in MAINS:
        with open(os.path.join(REPO, main + '.py')) as stream:
            sources.append(stream.read())
    sources += [house_rules(task) for task in TASK_FILES]
    for folder in folders:
        for root, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                if name.endswith('.py'):
                    with open(os.path.join(root, name), encoding='utf-8',
                              errors='replace') as stream:
                        sources.append(stream.read())
    return sources


def boilerplate_hashes(folders):
    """Return every K-gram hash of the boilerplate, canonical or raw."""
    hashes = set()
    for source in boilerplate_sources(folders):
        try:
            source = canonical.canonical(source)
        except canonical.Unparsable:
            pass
        hashes |= engine.boilerplate_hashes(source)
    return hashes


def fingerprint(source, boilerplate):
    """Return the fingerprint of source's canonical form."""
    return engine.fingerprint(canonical.canonical(source), boilerplate)


class Entry:
    """One task file of one submission (or known solution)."""

    def __init__(self, owner, task, path, known=False, label=None):
        self.owner, self.task, self.path, self.known = owner, task, path, known
        # What reports call it: the owner, or its students' names.
        self.label = label or owner
        self.problem = self.digest = self.code = self.print_ = None
        self.holders = None
        self.cached = False

    def load(self, boilerplate, cache):
        """Read and fingerprint the file, or say why it cannot be."""
        try:
            raw, _ = submitted.read_task_file(self.path)
        except (OSError, submitted.Refused) as error:
            self.problem = '{}: not compared'.format(
                error.strerror if isinstance(error, OSError) else error)
            return
        self.digest = hashlib.sha256(raw).hexdigest()
        source = raw.decode('utf-8', errors='replace')
        if not source.strip():
            self.problem = 'empty: not compared'
            return
        try:
            self.code = canonical.canonical(source)
        except canonical.Unparsable as error:
            self.problem = 'does not parse ({}): not compared'.format(error)
            return
        self.cached = self.digest in cache
        if self.cached:
            self.print_ = engine.StoredFingerprint(cache[self.digest])
        else:
            self.print_ = engine.fingerprint(self.code, boilerplate)
            cache[self.digest] = engine.stored(self.print_)
        if len(self.print_.hashes) < MIN_FINGERPRINTS:
            self.problem = ('{} fingerprints beyond the boilerplate, fewer '
                            'than {}: not compared'.format(
                                len(self.print_.hashes), MIN_FINGERPRINTS))


def entries_of(folders, known=False, labels=None):
    """Return [Entry] for each task file in {owner: folder}."""
    entries = []
    for owner, folder in sorted(folders.items()):
        for task in TASK_FILES:
            path = folder and os.path.join(folder, task + '.py')
            if path and os.path.lexists(path):
                entries.append(Entry(owner, task, path, known,
                                     (labels or {}).get(owner)))
    return entries


def task_commonness(entries, small_class):
    """Return {task: Commonness} of the entries, the public set's counted
    too for a small class; each entry learns its grams' holders."""
    public, solutions = (commonness.public_counts() if small_class
                         else ({}, 0))
    found = {}
    for task in TASK_FILES:
        group = [entry for entry in entries if entry.task == task]
        found[task] = commonness.Commonness(
            [entry.print_ for entry in group],
            rule.CALIBRATION['threshold'], rule.CALIBRATION['least'],
            public.get(task), solutions if task in public else 0)
        for entry in group:
            entry.holders = found[task].holders(entry.print_)
    return found


def task_pairs(group, common):
    """Yield (a, b, Scored) for each pair of a task's entries but two
    known solutions; group is in the order common's population is."""
    shares = [common.against_all(row) for row in range(len(group))]
    for i, j in itertools.combinations(range(len(group)), 2):
        if group[i].known and group[j].known:
            continue
        (rare_i, raw_i), (rare_j, raw_j) = shares[i], shares[j]
        yield group[i], group[j], Scored(
            float(max(rare_i[j], rare_j[i])), float(rare_i[j]),
            float(rare_j[i]), float(max(raw_i[j], raw_j[i])))


def read_cache(path, boilerplate_digest):
    """Return the cached fingerprints, if made as now; or none."""
    try:
        with open(path) as stream:
            cached = json.load(stream)
        if cached.get('key') == [CACHE_VERSION, engine.VERSION,
                                 boilerplate_digest]:
            return cached['files']
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}


def write_cache(path, boilerplate_digest, files):
    with open(path, 'w') as stream:
        json.dump({'key': [CACHE_VERSION, engine.VERSION, boilerplate_digest],
                   'files': files}, stream)


def compare_class(submissions, known=None, boilerplate_folders=(),
                  cache_path=None, labels=None):
    """Compare a class; return its Comparison.

    submissions and known map a name to the folder of its task files (None
    where none was found); labels names submissions in reports (the
    students of Gradescope's export), by owner. A task the rule has no
    numbers for is refused (rule.UnknownTask) before any file is read.
    """
    rule.refuse_unknown(TASK_FILES)
    boilerplate = boilerplate_hashes(boilerplate_folders)
    boilerplate_digest = hashlib.sha256(
        np.asarray(sorted(boilerplate), dtype=np.int64).tobytes()).hexdigest()
    files = read_cache(cache_path, boilerplate_digest) if cache_path else {}
    entries = (entries_of(submissions, labels=labels)
               + entries_of(known or {}, known=True))
    for entry in entries:
        entry.load(boilerplate, files)
    usable = [entry for entry in entries if not entry.problem]
    common = task_commonness(usable, len(submissions) < rule.MIN_CLASS)
    task_scores = {}
    for task in TASK_FILES:
        group = [entry for entry in usable if entry.task == task]
        for a, b, scored in task_pairs(group, common[task]):
            task_scores.setdefault((a.owner, b.owner), {})[task] = (
                TaskMatch(a, b, scored))
    class_scores = {task: [] for task in TASK_FILES}
    for (a, b), found in task_scores.items():
        if a in submissions and b in submissions:
            for task, match in found.items():
                class_scores[task].append(match.scored.score)
    reference = rule.class_reference(class_scores, len(submissions))
    judged = {}
    for owners, found in task_scores.items():
        judged[owners] = rule.judge_pair(
            {task: match.scored.score for task, match in found.items()},
            reference)
    if cache_path:
        write_cache(cache_path, boilerplate_digest, files)
    with_files = {entry.owner for entry in entries if not entry.known}
    return Comparison(
        task_scores, judged, reference, common, entries,
        without_files=sorted((labels or {}).get(owner, owner)
                             for owner in set(submissions) - with_files),
        fingerprinted=sum(entry.print_ is not None and not entry.cached
                          for entry in entries),
        cached=sum(entry.cached for entry in entries))
