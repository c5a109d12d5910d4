"""When a pair of submissions is flagged: the rule, and its numbers.

Solutions of a task this tightly specified converge, most of all on its
short files, so no raw score is evidence. A task score already weighs
what is common in the class down (commonness.py): it is the share of a
file's rare code the other side has. Each task score is then measured
against what the class's other pairs reach on that task: a robust
z-score, the distance from the task's median pair in units of 1.4826
median absolute deviations. Two people converge on one short file, rarely
on several, so a pair is flagged only when at least two *families* of
files stand out, each with a z of at least Z and a score of at least
FLOOR. The text makes 1-sparse 0-vanilla plus a regularizer, so those two
are one family (their mean z and score): converging on both is still one
convergence. A class of fewer than MIN_CLASS submissions has no
distribution to speak of and is measured against the public solutions'
instead. Z and FLOOR come from `make similarity-calibration`
(calibration.json).
"""
import collections
import json
import os
import statistics

MIN_CLASS = 10
MAD_TO_SIGMA = 1.4826
FAMILIES = (('0-vanilla', '1-sparse'), ('2-convolutional',),
            ('3-variational',))
STANDING_OUT = 2

with open(os.path.join(os.path.dirname(__file__), 'calibration.json')) as _f:
    CALIBRATION = json.load(_f)

# What the class's pairs are measured against: {task: (median, scale)},
# and where those come from, in words.
Reference = collections.namedtuple('Reference', 'by_task source')
# A pair's verdict: flagged or not, its standing z (None with one family in
# common) and why, in words.
Judgement = collections.namedtuple('Judgement', 'flagged z why')
# A family of task files a pair has in common: its tasks joined by '+',
# their mean z and mean score.
Family = collections.namedtuple('Family', 'tasks z score')


class UnknownTask(ValueError):
    """A task the rule has no family or calibrated numbers for."""


def refuse_unknown(tasks):
    """Raise UnknownTask unless every task has a family and a reference.

    A task left out of FAMILIES would never count as evidence, and one
    without calibrated numbers could not be measured: both would let
    copies of it pass unseen, so the comparison refuses to start.
    """
    in_families = {task for family in FAMILIES for task in family}
    for task in tasks:
        missing = [what for what, known in (
            ('a family in grading/similarity/rule.py FAMILIES', in_families),
            ('a reference in grading/similarity/calibration.json',
             CALIBRATION['reference'])) if task not in known]
        if missing:
            raise UnknownTask(
                'similarity cannot compare {}: it has no {} (docs/'
                'development.md, "Adding a task")'.format(
                    task, ' and no '.join(missing)))


def explained():
    """Return the rule in a sentence, with its numbers."""
    threshold = CALIBRATION['threshold']
    weighed = ('Every shared passage counts alike. ' if threshold is None else
               'A shared passage counts for less the more of the class\'s '
               'other submissions have it, and for nothing once {:.0%} of '
               'them do: a task score is the share of a file\'s rare code '
               'the other file has. '.format(threshold))
    return weighed + (
        'A pair is flagged when at least {} families of task files (vanilla '
        'and sparse, which the text makes alike, are one; the convolutional; '
        'the variational) each score at least {} robust standard deviations '
        'above the median pair of the class on those tasks (of the public '
        'solutions, for a class of fewer than {} submissions), and at least '
        '{} in themselves.'.format(STANDING_OUT, CALIBRATION['z'], MIN_CLASS,
                                   CALIBRATION['floor']))


def robust_reference(scores):
    """Return (median, scale) of scores; the scale is never below 0.01."""
    median = statistics.median(scores)
    deviation = statistics.median(abs(score - median) for score in scores)
    return median, max(MAD_TO_SIGMA * deviation, 0.01)


def class_reference(task_scores, submissions):
    """Return ({task: (median, scale)}, where from) for the class's pairs.

    task_scores maps a task to its scores over the class's pairs.
    """
    public = {task: (found['median'], found['scale'])
              for task, found in CALIBRATION['reference'].items()}
    if submissions < MIN_CLASS:
        return Reference(public, (
            'the public solutions (this class has {} submissions, fewer '
            'than {})'.format(submissions, MIN_CLASS)))
    # A task no pair has in common is never looked up.
    return Reference({task: robust_reference(task_scores[task])
                      if task_scores.get(task) else public[task]
                      for task in public},
                     'this class ({} submissions)'.format(submissions))


def families(task_scores, references):
    """Return [(family, mean z, mean score)] of the families both hand in,
    highest z first."""
    found = []
    for family in FAMILIES:
        tasks = [task for task in family if task in task_scores]
        if tasks:
            z = statistics.mean(
                (task_scores[task] - references[task][0])
                / references[task][1] for task in tasks)
            score = statistics.mean(task_scores[task] for task in tasks)
            found.append(Family('+'.join(tasks), float(z), float(score)))
    return sorted(found, key=lambda family: -family.z)


def standing(family_zs):
    """Return a pair's standing: its STANDING_OUT-th highest family z."""
    return sorted(family_zs, reverse=True)[STANDING_OUT - 1]


def stands_out(found, z, floor):
    """Whether STANDING_OUT of the families found reach both z and floor."""
    return sum(family.z >= z and family.score >= floor
               for family in found) >= STANDING_OUT


def judge_pair(task_scores, reference):
    """Return the Judgement of a pair's {task: score}.

    z is the pair's standing, its second highest family z, by which the
    report ranks pairs; None for a pair with one family in common.
    """
    references, source = reference
    found = families(task_scores, references)
    if len(found) < STANDING_OUT:
        return Judgement(False, None, (
            'only {} in common: one family of files alone is never '
            'evidence'.format(', '.join(sorted(task_scores)))))
    why = ('{}; against {}; flagged when {} families reach z >= {} and '
           'score >= {}'.format(
               ', '.join('{} z {:.2f} score {:.3f}'.format(*family)
                         for family in found),
               source, STANDING_OUT, CALIBRATION['z'],
               CALIBRATION['floor']))
    return Judgement(
        stands_out(found, CALIBRATION['z'], CALIBRATION['floor']),
        standing(family.z for family in found), why)
