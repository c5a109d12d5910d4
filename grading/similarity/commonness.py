"""How common each fingerprint is in a class, and what sharing it is worth.

Solutions of a text this tight converge: the Input, the loop of relu Dense
layers, the mirrored loop, `decoder(encoder(inputs))` are written alike
by every careful student, so sharing them is no evidence of copying. MOSS
and JPlag answer this by leaving out what many submissions share; here a
fingerprint weighs less the more of the class has it. For a pair, a
gram's *others* are the submissions (and known solutions) besides the two
that have it; its weight is 1 when no other has it and falls in
proportion to the share of the others that do, to 0 at THRESHOLD of them.

A pair's share of a file is then the weighted part of its code the other
side has, over the weighted part of all its code: a copy keeps a share
near 1 however common its lines, since its rare code is matched too,
while two files alike only in what everyone writes fall near 0. The
weighted code is never counted as less than LEAST characters, so that a
file of almost nothing but common code cannot score high on a few rare
grams. A class of fewer than rule.MIN_CLASS submissions is too small to
say what is common: the public solutions' shared fingerprints
(public-commonness.json, written by the calibration) are counted with it.
THRESHOLD and LEAST come from `make similarity-calibration`.
"""
import json
import os

import numpy as np

from grading.similarity import engine

PUBLIC_PATH = os.path.join(os.path.dirname(__file__),
                           'public-commonness.json')


def public_counts():
    """Return ({task: (hashes, counts)}, solutions) of the public set.

    Only fingerprints that two or more public solutions share are kept:
    what the set says is common, and nothing that would rebuild a file.
    """
    with open(PUBLIC_PATH) as stream:
        stored = json.load(stream)
    return ({task: (np.array([int(key) for key in found], dtype=np.int64),
                    np.array(list(found.values()), dtype=np.int64))
             for task, found in stored['common'].items()},
            stored['solutions'])


class Commonness:
    """How many of a population of files hold each fingerprint of a task.

    prints are the population's fingerprints, one per submission or known
    solution; extra is (hashes, counts) of other files counted with them,
    and extra_files how many those are.
    """

    def __init__(self, prints, threshold, least, extra=None, extra_files=0):
        self.threshold, self.least = threshold, least
        self.prints = list(prints)
        self.population = len(self.prints) + extra_files
        unique = [print_.unique for print_ in self.prints]
        if extra is not None:
            unique.append(np.repeat(*extra))
        self.hashes, self.counts = np.unique(
            np.concatenate(unique or [np.zeros(0, dtype=np.int64)]),
            return_counts=True)
        # Which of the population holds which fingerprint, for comparing
        # one file with all the others at once.
        self.grams = [np.searchsorted(self.hashes, print_.gram_hashes)
                      for print_ in self.prints]
        self.held = np.zeros((len(self.prints), len(self.hashes)), dtype=bool)
        for row, grams in enumerate(self.grams):
            self.held[row, grams] = True

    def holders(self, print_):
        """Return how many of the population hold each of print_'s grams."""
        if not len(self.hashes):
            return np.zeros(len(print_.gram_hashes), dtype=np.int64)
        where = np.minimum(np.searchsorted(self.hashes, print_.gram_hashes),
                           len(self.hashes) - 1)
        return np.where(self.hashes[where] == print_.gram_hashes,
                        self.counts[where], 0)

    def weights(self, others):
        """Return each gram's weight, given how many others hold it."""
        if self.threshold is None:
            return np.ones(np.shape(others))
        room = self.threshold * max(self.population - 2, 1)
        return np.clip(1 - others / room, 0, 1)

    def against_all(self, row):
        """Return (rare, raw): the share of the row-th file's code each
        file of the population has, weighed by rarity and not.

        The same sums as shares() makes for one pair, for every other file
        at once: a matrix of which other holds which of this file's grams.
        """
        print_, grams = self.prints[row], self.grams[row]
        matching = self.held[:, grams]
        weights = self.weights(self.counts[grams] - 1 - matching)
        starts = print_.starts
        # Each matching gram's part runs to the next matching gram's start.
        big = np.iinfo(np.int64).max // 2
        following = np.where(matching, starts, big)[:, ::-1]
        following = np.minimum.accumulate(following, axis=1)[:, ::-1]
        following = np.concatenate(
            [following[:, 1:], np.full((len(matching), 1), big)], axis=1)
        parts = np.where(matching, np.minimum(following - starts, engine.K),
                         0)
        total = np.maximum((weights * print_.lengths).sum(axis=1),
                           self.least)
        rare = np.divide((weights * parts).sum(axis=1), total,
                         out=np.zeros(len(matching)), where=total > 0)
        covered = print_.lengths.sum()
        raw = parts.sum(axis=1) / covered if covered else np.zeros(
            len(matching))
        return rare, raw

    def shares(self, a, b, holders_a, holders_b):
        """Return a pair's ((rare share of a, of b), (raw share of a, of b)).

        holders_x are x's grams' holders in the population, x among them.
        The raw shares weigh every gram alike: copydetect's.
        """
        in_b, in_a = engine.matched(a, b)
        weights_a = self.weights(holders_a - 1 - in_b)
        weights_b = self.weights(holders_b - 1 - in_a)
        rare = (engine.weighted_share(a, in_b, weights_a, self.least),
                engine.weighted_share(b, in_a, weights_b, self.least))
        raw = (engine.weighted_share(a, in_b, np.ones(len(in_b))),
               engine.weighted_share(b, in_a, np.ones(len(in_a))))
        return rare, raw
