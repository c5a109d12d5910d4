"""Compare every pair of a class's submissions, task by task.

Each task file is read as text, never run, put in its canonical form
(canonical.py) and fingerprinted (engine.py), less the boilerplate: the
mains, the house-rule lines and the text's signatures, and any files the
grader adds. Fingerprints and pair scores are cached by the files' hashes
in the gradebook folder, so that a rerun compares only what is new or
changed. Every submission is also compared with each known solution.
"""
import hashlib
import itertools
import json
import os

import numpy as np

from tools import submitted
from tools.check import text
from tools.similarity import canonical, engine, rule
from tools.task import MAINS, REPO, TASK_FILES

# Fewer fingerprints than this beyond the boilerplate is a stub: too
# little code to tell a copy from a coincidence.
MIN_FINGERPRINTS = 5
CACHE_VERSION = 1


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

    def __init__(self, owner, task, path, known=False):
        self.owner, self.task, self.path, self.known = owner, task, path, known
        self.problem = self.digest = self.code = self.print_ = None

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
        if self.digest in cache:
            self.print_ = engine.StoredFingerprint(cache[self.digest])
        else:
            self.print_ = engine.fingerprint(self.code, boilerplate)
            cache[self.digest] = engine.stored(self.print_)
        if len(self.print_.hashes) < MIN_FINGERPRINTS:
            self.problem = ('{} fingerprints beyond the boilerplate, fewer '
                            'than {}: not compared'.format(
                                len(self.print_.hashes), MIN_FINGERPRINTS))


def entries_of(folders, known=False):
    """Return [Entry] for each task file in {owner: folder}."""
    entries = []
    for owner, folder in sorted(folders.items()):
        for task in TASK_FILES:
            path = folder and os.path.join(folder, task + '.py')
            if path and os.path.lexists(path):
                entries.append(Entry(owner, task, path, known))
    return entries


def pair_key(a, b):
    return '{} {}'.format(*sorted((a.digest, b.digest)))


def match(a, b, pairs):
    """Return (score, share of a matched, share of b matched), cached."""
    key = pair_key(a, b)
    if key not in pairs:
        found = engine.compare(a.print_, b.print_)
        shares = sorted([(a.digest, found.share_a), (b.digest, found.share_b)])
        pairs[key] = [found.score] + [share for _, share in shares]
    score, first, second = pairs[key]
    if a.digest <= b.digest:
        return score, first, second
    return score, second, first


def read_cache(path, boilerplate_digest):
    """Return the cached (pairs, fingerprints), if made as now; or empty."""
    try:
        with open(path) as stream:
            cached = json.load(stream)
        if cached.get('key') == [CACHE_VERSION, engine.VERSION,
                                 boilerplate_digest]:
            return cached['pairs'], cached['files']
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}, {}


def write_cache(path, boilerplate_digest, pairs, files):
    with open(path, 'w') as stream:
        json.dump({'key': [CACHE_VERSION, engine.VERSION, boilerplate_digest],
                   'pairs': pairs, 'files': files}, stream)


def compare_class(submissions, known=None, boilerplate_folders=(),
                  cache_path=None):
    """Compare a class; return its findings.

    submissions and known map a name to the folder of its task files (None
    where none was found). Returns {'task_scores': {(owner, owner): {task:
    (entry, entry, (score, share, share))}}, 'judged': {(owner, owner):
    (flagged, z, why)}, 'reference', 'entries', 'without files' (the
    submissions with no task file), and what was compared now, cached and
    fingerprinted}.
    """
    boilerplate = boilerplate_hashes(boilerplate_folders)
    boilerplate_digest = hashlib.sha256(
        np.asarray(sorted(boilerplate), dtype=np.int64).tobytes()).hexdigest()
    pairs, files = (read_cache(cache_path, boilerplate_digest)
                    if cache_path else ({}, {}))
    cached_files = len(files)
    cached_pairs = len(pairs)
    entries = entries_of(submissions) + entries_of(known or {}, known=True)
    for entry in entries:
        entry.load(boilerplate, files)
    usable = [entry for entry in entries if not entry.problem]
    by_task = {task: [entry for entry in usable if entry.task == task]
               for task in TASK_FILES}
    task_scores = {}
    for task, group in by_task.items():
        for a, b in itertools.combinations(group, 2):
            if a.known and b.known:
                continue
            score = match(a, b, pairs)
            task_scores.setdefault((a.owner, b.owner), {})[task] = (a, b,
                                                                    score)
    class_scores = {task: [] for task in TASK_FILES}
    for (a, b), found in task_scores.items():
        if a in submissions and b in submissions:
            for task, (_, _, score) in found.items():
                class_scores[task].append(score[0])
    reference = rule.class_reference(class_scores, len(submissions))
    judged = {}
    for owners, found in task_scores.items():
        judged[owners] = rule.judge_pair(
            {task: score[0] for task, (_, _, score) in found.items()},
            reference)
    if cache_path:
        write_cache(cache_path, boilerplate_digest, pairs, files)
    with_files = {entry.owner for entry in entries if not entry.known}
    return {'task_scores': task_scores, 'judged': judged,
            'without files': sorted(set(submissions) - with_files),
            'reference': reference, 'entries': entries,
            'compared': len(pairs) - cached_pairs, 'cached': cached_pairs,
            'fingerprinted': len(files) - cached_files}
