"""The fingerprinting engine: copydetect, behind the three calls we use.

copydetect (MIT) tokenizes Python with Pygments, spells every name V,
every string S and drops comments and layout, then keeps winnowed hashes
of K-character grams. Chosen by measurement against compare50 and Dolos
(results/similarity-engines.json, docs/graders.md). Swapping engines
means rewriting this module alone.
"""
import collections
import importlib.metadata
import io
import logging
import os
import sys
import warnings

import numpy as np

with warnings.catch_warnings():
    # copydetect imports matplotlib for its own report, which we never
    # draw; a headless backend keeps that import quiet.
    warnings.simplefilter('ignore')
    from copydetect import CodeFingerprint, compare_files
    from copydetect.utils import get_token_coverage, hashed_kgrams

# copydetect's defaults: noise threshold 25, guarantee threshold 30.
K = 25
WINDOW = 30 - K + 1

Match = collections.namedtuple('Match', 'score share_a share_b slices_a '
                               'slices_b')


# What a cached fingerprint depends on: the engine, its tokenizer, and
# hash(), whose algorithm changed in Python 3.11 (siphash24 to siphash13).
VERSION = 'copydetect {} Pygments {} k={} window={} {} seed {}'.format(
    importlib.metadata.version('copydetect'),
    importlib.metadata.version('Pygments'), K, WINDOW,
    sys.hash_info.algorithm, os.environ.get('PYTHONHASHSEED', 'random'))


def fingerprint(code, boilerplate=()):
    """Return code's fingerprint, less the boilerplate given (K-gram hashes).

    copydetect drops a fingerprint whose hash is boilerplate; we also drop
    one whose every character lies in some boilerplate K-gram: where two
    pieces of boilerplate meet (a main pasted below the text's signature),
    the grams that straddle the seam are in no template, yet hold nothing
    that anyone wrote.

    copydetect hashes with Python's hash(): the same in every process only
    with PYTHONHASHSEED set, which tools.similarity makes sure of.
    """
    logging.getLogger().setLevel(logging.ERROR)
    boilerplate = np.asarray(sorted(boilerplate), dtype=np.int64)
    print_ = CodeFingerprint('code.py', K, WINDOW, boilerplate=boilerplate,
                             language='python', fp=io.StringIO(code))
    if len(boilerplate) and print_.hashes:
        drop_seams(print_, boilerplate)
    return print_


def drop_seams(print_, boilerplate):
    """Drop print_'s fingerprints that boilerplate grams cover whole."""
    text = print_.filtered_code
    grams = hashed_kgrams(text, K)
    covered = np.zeros(len(text) + 1, dtype=np.int64)
    for start in np.flatnonzero(np.isin(grams, boilerplate)):
        covered[start] += 1
        covered[start + K] -= 1
    inside = np.cumsum(covered[:-1]) > 0
    # counts[j]: how many of the first j characters lie in boilerplate.
    counts = np.concatenate([[0], np.cumsum(inside)])
    kept = {}
    for value, starts in print_.hash_idx.items():
        starts = [start for start in starts
                  if counts[start + K] - counts[start] < K]
        if starts:
            kept[value] = starts
    print_.hash_idx = kept
    print_.hashes = set(kept)
    print_.token_coverage = get_token_coverage(kept, K, len(text))


def stable():
    """Whether hashes match across processes: PYTHONHASHSEED is set."""
    return os.environ.get('PYTHONHASHSEED', 'random') != 'random'


class StoredFingerprint:
    """A fingerprint read back from the cache: what compare_files reads."""

    def __init__(self, data):
        self.k = data['k']
        self.filtered_code = data['filtered']
        self.offsets = np.asarray(data['offsets'], dtype=int).reshape(-1, 2)
        self.hash_idx = {int(key): value
                         for key, value in data['index'].items()}
        self.hashes = set(self.hash_idx)
        self.token_coverage = data['coverage']


def stored(print_):
    """Return what StoredFingerprint needs of a fingerprint, as JSON."""
    return {'k': print_.k, 'filtered': print_.filtered_code,
            'offsets': np.asarray(print_.offsets, dtype=int).tolist(),
            'index': {str(int(key)): [int(i) for i in value]
                      for key, value in print_.hash_idx.items()},
            'coverage': float(print_.token_coverage)}


def boilerplate_hashes(code):
    """Return the hash of every K-gram of code, not only winnowed ones."""
    logging.getLogger().setLevel(logging.ERROR)
    return {int(value) for value in CodeFingerprint(
        'code.py', K, 1, language='python', fp=io.StringIO(code)).hashes}


def compare(a, b):
    """Return how much of a and b match: the larger share is the score.

    The shares are of each side's code (after filtering) found in the
    other; the slices are [starts, ends] of the matching passages in each
    side's own text.
    """
    if not a.hashes or not b.hashes:
        empty = np.zeros((2, 0), dtype=int)
        return Match(0.0, 0.0, 0.0, empty, empty)
    _, (share_a, share_b), (slices_a, slices_b) = compare_files(a, b)
    share_a, share_b = float(share_a), float(share_b)
    return Match(max(share_a, share_b), share_a, share_b,
                 np.asarray(slices_a, dtype=int).reshape(2, -1),
                 np.asarray(slices_b, dtype=int).reshape(2, -1))
