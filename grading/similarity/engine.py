"""The fingerprinting engine: copydetect, behind the three calls we use.

copydetect (MIT) tokenizes Python with Pygments, spells every name V,
every string S and drops comments and layout; we keep winnowed hashes of
its K-character grams and compare them with its compare_files. Chosen by
measurement against compare50 and Dolos (results/similarity-engines.json,
docs/graders.md). Swapping engines means rewriting this module alone.

copydetect hashes grams with Python's hash(), which differs from process
to process unless PYTHONHASHSEED is set, and between Python 3.10 and 3.11
(siphash24, then siphash13): the same two files would score a little
differently from run to run and from line to line. The grams are hashed
here instead, by a polynomial over their characters mixed by SplitMix64,
the same everywhere.
"""
import collections
import importlib.metadata
import logging
import warnings

import numpy as np

with warnings.catch_warnings():
    # copydetect imports matplotlib for its own report, which we never
    # draw; a headless backend keeps that import quiet.
    warnings.simplefilter('ignore')
    from copydetect import compare_files
    from copydetect.utils import filter_code, get_token_coverage, winnow

# copydetect's defaults: noise threshold 25, guarantee threshold 30.
K = 25
WINDOW = 30 - K + 1
BASE = np.uint64(1000003)

Match = collections.namedtuple('Match', 'score share_a share_b slices_a '
                               'slices_b')

# What a cached fingerprint depends on: the engine, its tokenizer, the
# gram hash.
VERSION = 'copydetect {} Pygments {} k={} window={} polynomial-splitmix64'\
    .format(importlib.metadata.version('copydetect'),
            importlib.metadata.version('Pygments'), K, WINDOW)


def gram_hashes(text, k=K):
    """Return the hash of every k-character gram of text, as int64."""
    codes = np.frombuffer(text.encode('utf-32-le'), dtype=np.uint32)
    if len(codes) < k:
        return np.zeros(0, dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(
        codes.astype(np.uint64), k)
    powers = np.cumprod(np.full(k, BASE, dtype=np.uint64))[::-1]
    with np.errstate(over='ignore'):
        value = (windows * powers).sum(axis=1, dtype=np.uint64)
        # SplitMix64's finalizer: every bit of the sum moves every bit.
        value ^= value >> np.uint64(30)
        value *= np.uint64(0xbf58476d1ce4e5b9)
        value ^= value >> np.uint64(27)
        value *= np.uint64(0x94d049bb133111eb)
        value ^= value >> np.uint64(31)
    return value.view(np.int64)


def tokens(code):
    """Return copydetect's filtered text of code and its offsets."""
    logging.getLogger().setLevel(logging.ERROR)
    return filter_code(code, 'code.py', 'python')


def fingerprint(code, boilerplate=()):
    """Return code's fingerprint, less the boilerplate given (gram hashes).

    A winnowed gram whose hash is boilerplate is dropped, and so is one
    whose every character lies in some boilerplate gram: where two pieces
    of boilerplate meet (a main pasted below the text's signature), the
    grams that straddle the seam are in no template, yet hold nothing that
    anyone wrote.
    """
    text, offsets = tokens(code)
    grams = gram_hashes(text)
    hashes, starts = (winnow(grams, WINDOW, remove_duplicates=False)
                      if len(grams) else (grams, np.zeros(0, dtype=int)))
    keep = np.ones(len(starts), dtype=bool)
    boilerplate = np.asarray(sorted(boilerplate), dtype=np.int64)
    if len(boilerplate) and len(starts):
        covered = np.zeros(len(text) + 1, dtype=np.int64)
        for start in np.flatnonzero(np.isin(grams, boilerplate)):
            covered[start] += 1
            covered[start + K] -= 1
        inside = np.cumsum(covered[:-1]) > 0
        # counts[j]: how many of the first j characters are boilerplate.
        counts = np.concatenate([[0], np.cumsum(inside)])
        keep = ~np.isin(hashes, boilerplate) & (
            counts[starts + K] - counts[starts] < K)
    index = {}
    for value, start in zip(hashes[keep], starts[keep]):
        index.setdefault(int(value), []).append(int(start))
    return StoredFingerprint({
        'k': K, 'filtered': text,
        'offsets': np.asarray(offsets, dtype=int).tolist(),
        'index': index,
        'coverage': float(get_token_coverage(index, K, len(text)))})


class StoredFingerprint:
    """A fingerprint, made or read back from the cache: what copydetect's
    compare_files reads."""

    def __init__(self, data):
        self.k = data['k']
        self.filtered_code = data['filtered']
        self.offsets = np.asarray(data['offsets'], dtype=int).reshape(-1, 2)
        self.hash_idx = {int(key): value
                         for key, value in data['index'].items()}
        self.hashes = set(self.hash_idx)
        self.token_coverage = data['coverage']
        grams = sorted((start, value) for value, starts
                       in self.hash_idx.items() for start in starts)
        # The winnowed grams in the order of the text, for weighing.
        self.starts = np.array([start for start, _ in grams], dtype=np.int64)
        self.gram_hashes = np.array([value for _, value in grams],
                                    dtype=np.int64)
        self.lengths = covered(self.starts)
        self.unique = np.unique(self.gram_hashes)


def covered(starts):
    """Return each gram's part of the characters the grams cover.

    starts are the grams' starts in order; a gram's part runs to the next
    one's start, K characters at most. The parts add up to the characters
    covered, as copydetect counts them (get_token_coverage, and the
    matched passages of compare_files), so that weighing each gram's part
    weighs the code.
    """
    if not len(starts):
        return np.zeros(0, dtype=np.int64)
    return np.minimum(np.diff(starts, append=starts[-1] + K), K)


def matched(a, b):
    """Return which of a's grams b has, and which of b's grams a has."""
    return np.isin(a.gram_hashes, b.unique), np.isin(b.gram_hashes, a.unique)


def weighted_share(print_, matching, weights, least=0):
    """Return the weighted part of print_'s code that the other side has.

    matching marks print_'s grams the other side has, weights weighs each
    gram; the share is the weighted characters matching grams cover over
    the weighted characters all grams cover (never less than least, so
    that a few grams cannot make a whole share). With every weight 1 and
    least 0 it is copydetect's share.
    """
    total = max(float(weights @ print_.lengths), least)
    if total <= 0:
        return 0.0
    return float(weights[matching] @ covered(print_.starts[matching])) \
        / total


def stored(print_):
    """Return what StoredFingerprint needs of a fingerprint, as JSON."""
    return {'k': print_.k, 'filtered': print_.filtered_code,
            'offsets': np.asarray(print_.offsets, dtype=int).tolist(),
            'index': {str(int(key)): [int(i) for i in value]
                      for key, value in print_.hash_idx.items()},
            'coverage': float(print_.token_coverage)}


def boilerplate_hashes(code):
    """Return the hash of every K-gram of code, not only winnowed ones."""
    return {int(value) for value in gram_hashes(tokens(code)[0])}


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
