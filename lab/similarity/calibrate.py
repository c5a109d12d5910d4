"""Calibrate the similarity rule on public solutions of the assignment.

    python -m lab.similarity.calibrate PUBLIC [--same-origin A,B ...]

PUBLIC holds one folder per public solution (their SOURCES file, if any,
names each one's repository and commit). --same-origin names public
solutions a reader found to be one another's copies: their pairs are
copies, not independent work, wherever they are counted. Each setting of
commonness (commonness.py: the THRESHOLD share of the others at which a
shared fingerprint stops counting, and LEAST) is measured three ways:

- the public pairs give each task's reference distribution (median and
  robust scale), counting commonness over the public set;
- each solution is disguised every way, with three seeds, and compared
  with itself, counting commonness over the public set and the copy. Z is
  set 0.1 below the lowest second-best family z a copy reaches, the floor
  0.02 below the lowest score that still flags every copy, so every copy
  is flagged at every setting;
- a class trial, as a teacher would meet it: the public set, one disguised
  copy per disguise (of solutions chosen by the seed) and an empty
  submission, judged against the class itself, for each seed.

The setting kept flags every copy in the trials and the fewest public and
trial pairs of no common origin; on a tie, the gentlest (the highest threshold,
then the least LEAST). Writes grading/similarity/calibration.json (what the
rule reads), grading/similarity/public-commonness.json (the fingerprints
two or more public solutions share, for small classes) and
results/similarity-calibration.json (every setting's measures, and which
pairs the kept one flags).
"""
import argparse
import itertools
import json
import math
import os
import sys

import numpy as np

from grading.similarity import commonness, compare, disguise, engine, rule
from lab.similarity import solutions
from tools.machine import describe
from tools.task import REPO, TASK_FILES

SEEDS = 3
WAYS = list(disguise.DISGUISES) + ['all']
THRESHOLDS = (None, 1.0, 0.7, 0.5, 0.4, 0.3, 0.2)
LEASTS = (0, 50, 100)


def progress(message):
    print(message, file=sys.stderr, flush=True)


def pair_scores(prints_a, prints_b, common):
    """Return {task: score} of two solutions' {task: fingerprint}."""
    scores = {}
    for task in TASK_FILES:
        if task in prints_a and task in prints_b:
            a, b = prints_a[task], prints_b[task]
            rare, _ = common[task].shares(a, b, common[task].holders(a),
                                          common[task].holders(b))
            scores[task] = max(rare)
    return scores


def commonness_of(population, threshold, least):
    """Return {task: Commonness} over a list of {task: fingerprint}."""
    return {task: commonness.Commonness(
        [prints[task] for prints in population if task in prints],
        threshold, least) for task in TASK_FILES}


def summary(task_scores, references, **named):
    found = rule.families(task_scores, references)
    return dict(named, families=[[name, round(z, 3), round(score, 4)]
                                 for name, z, score in found],
                standing=round(rule.standing(family.z for family in found),
                               3)
                if len(found) >= rule.STANDING_OUT else None)


def thresholds(copies):
    """Return (z, floor) that flag every copy, as the docstring says."""
    z = math.floor((min(copy['standing'] for copy in copies) - 0.1) * 10) / 10
    floor = math.floor((min(rule.standing(
        score for _, family_z, score in copy['families'] if family_z >= z)
        for copy in copies) - 0.02) * 100) / 100
    return z, floor


def flags(row, z, floor):
    return len(row['families']) >= rule.STANDING_OUT and rule.stands_out(
        [rule.Family(*family) for family in row['families']], z, floor)


def class_trial(public, copies, origin, seed, threshold, least, z, floor):
    """Return (copies flagged, [independent pairs flagged], independent
    pairs) of one class: pairs of no common origin are independent.

    origin maps a public solution to its origin's name.
    """
    names = sorted(public)
    members = dict(public)
    origin, copied = dict(origin), {}
    for number, way in enumerate(WAYS):
        original = names[(seed * len(WAYS) + number) % len(names)]
        name = 'copy {} of {}'.format(way, original)
        members[name] = copies[original, way, seed]
        origin[name] = origin[original]
        copied[name] = original
    # The empty submission has no task file to compare: it only counts.
    common = {task: commonness.Commonness(
        [prints[task] for prints in members.values() if task in prints],
        threshold, least, extra_files=0) for task in TASK_FILES}
    pairs = {(a, b): pair_scores(members[a], members[b], common)
             for a, b in itertools.combinations(sorted(members), 2)}
    references, _ = rule.class_reference(
        {task: [scores[task] for scores in pairs.values() if task in scores]
         for task in TASK_FILES}, len(members) + 1)
    caught, others, independent = 0, [], 0
    for (a, b), scores in pairs.items():
        flagged = flags(summary(scores, references), z, floor)
        if copied.get(a) == b or copied.get(b) == a:
            caught += flagged
        elif origin[a] != origin[b]:
            independent += 1
            others += [[a, b]] if flagged else []
    return caught, others, independent


def measure(public, copies, origin, threshold, least):
    """Return what one setting of commonness does (see the docstring)."""
    names = sorted(public)
    common = commonness_of(list(public.values()), threshold, least)
    pairs = {(a, b): pair_scores(public[a], public[b], common)
             for a, b in itertools.combinations(names, 2)}
    references = {task: rule.robust_reference(
        [scores[task] for scores in pairs.values() if task in scores])
        for task in TASK_FILES}
    copy_rows = []
    for (name, way, seed), prints in sorted(copies.items()):
        with_copy = commonness_of(list(public.values()) + [prints],
                                  threshold, least)
        copy_rows.append(summary(
            pair_scores(public[name], prints, with_copy), references,
            solution=name, disguise=way, seed=seed))
    z, floor = thresholds(copy_rows)
    public_rows = sorted(
        (summary(scores, references, pair=list(pair), scores={
            task: round(score, 4) for task, score in scores.items()})
         for pair, scores in pairs.items()
         if len(rule.families(scores, references)) >= rule.STANDING_OUT),
        key=lambda row: -row['standing'])
    trials = [class_trial(public, copies, origin, seed, threshold, least, z,
                          floor) for seed in range(SEEDS)]
    flagged = [row for row in public_rows if flags(row, z, floor)]
    return {
        'threshold': threshold, 'least': least, 'z': z, 'floor': floor,
        'reference': {task: {'median': round(median, 4),
                             'scale': round(scale, 4)}
                      for task, (median, scale) in references.items()},
        'copies flagged': sum(flags(row, z, floor) for row in copy_rows),
        'copies': len(copy_rows),
        'public pairs flagged': flagged,
        'independent public pairs flagged': [
            row['pair'] for row in flagged
            if origin[row['pair'][0]] != origin[row['pair'][1]]],
        'public pairs': len(pairs),
        'lowest copies': sorted(copy_rows,
                                key=lambda row: row['standing'])[:5],
        'highest public pairs': public_rows[:5],
        'class trials': [{'seed': seed, 'copies flagged': caught,
                          'copies': len(WAYS), 'independent pairs': count,
                          'independent pairs flagged': others}
                         for seed, (caught, others, count)
                         in enumerate(trials)]}


def shared_by_several(public):
    """Return {task: {hash: solutions holding it}}, for two or more."""
    common = {}
    for task in TASK_FILES:
        hashes, counts = np.unique(np.concatenate(
            [prints[task].unique for prints in public.values()
             if task in prints] or [np.zeros(0, dtype=np.int64)]),
            return_counts=True)
        common[task] = {str(int(value)): int(count)
                        for value, count in zip(hashes, counts) if count > 1}
    return common


def cost(result):
    """What the kept setting minimises: copies missed in the trials, then
    independent pairs flagged, then harshness."""
    threshold = result['threshold']
    trials = result['class trials']
    missed = sum(trial['copies'] - trial['copies flagged']
                 for trial in trials)
    independent = len(result['independent public pairs flagged']) + sum(
        len(trial['independent pairs flagged']) for trial in trials)
    return (missed, independent,
            -(math.inf if threshold is None else threshold), result['least'])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('public', help='a folder of public solutions')
    parser.add_argument('--same-origin', action='append', default=[],
                        metavar='A,B', help='public solutions that are '
                        'copies of one another')
    args = parser.parse_args(argv)
    found = solutions.sources(args.public)
    boilerplate = compare.boilerplate_hashes([])
    public = {}
    for name, files in sorted(found.items()):
        prints = {task: compare.fingerprint(source, boilerplate)
                  for task, source in files.items()}
        public[name] = {task: print_ for task, print_ in prints.items()
                        if len(print_.hashes) >= compare.MIN_FINGERPRINTS}
    origin = {name: name for name in public}
    for group in args.same_origin:
        names = group.split(',')
        unknown = [name for name in names if name not in public]
        if unknown:
            parser.error('--same-origin: no public solution {}'.format(
                ', '.join(map(repr, unknown))))
        for name in names:
            origin[name] = names[0]
    progress('disguising {} solutions {} ways, {} seeds'.format(
        len(public), len(WAYS), SEEDS))
    copies = {(name, way, seed): {
        task: compare.fingerprint(disguise.disguise(
            found[name][task], way, seed), boilerplate)
        for task in public[name]}
        for name in public for way in WAYS for seed in range(SEEDS)}
    results = []
    settings = list(itertools.product(THRESHOLDS, LEASTS))
    for number, (threshold, least) in enumerate(settings, 1):
        results.append(measure(public, copies, origin, threshold, least))
        progress('setting {}/{}: threshold {} least {}: {} of {} public '
                 'pairs flagged'.format(
                     number, len(settings), threshold, least,
                     len(results[-1]['public pairs flagged']),
                     results[-1]['public pairs']))
    kept = min(results, key=cost)
    calibration = {
        'threshold': kept['threshold'], 'least': kept['least'],
        'z': kept['z'], 'floor': kept['floor'],
        'reference': kept['reference'],
        'pairs': kept['public pairs'], 'solutions': len(public),
        'engine': engine.VERSION}
    here = os.path.dirname(rule.__file__)
    with open(os.path.join(here, 'calibration.json'), 'w') as stream:
        json.dump(calibration, stream, indent=1)
        stream.write('\n')
    with open(commonness.PUBLIC_PATH, 'w') as stream:
        json.dump({'solutions': len(public), 'engine': engine.VERSION,
                   'common': shared_by_several(public)}, stream)
        stream.write('\n')
    trade_off = [{
        key: result[key] for key in ('threshold', 'least', 'z', 'floor')}
        | {'copies flagged': '{} of {}'.format(result['copies flagged'],
                                               result['copies']),
           'public pairs flagged': '{} of {}'.format(
               len(result['public pairs flagged']), result['public pairs']),
           'independent public pairs flagged': len(
               result['independent public pairs flagged']),
           'trial copies flagged': '{} of {}'.format(
               sum(trial['copies flagged']
                   for trial in result['class trials']),
               sum(trial['copies'] for trial in result['class trials'])),
           'trial independent pairs flagged': '{} of {}'.format(
               sum(len(trial['independent pairs flagged'])
                   for trial in result['class trials']),
               sum(trial['independent pairs']
                   for trial in result['class trials']))}
        for result in results]
    with open(os.path.join(REPO, 'results', 'similarity-calibration.json'),
              'w') as stream:
        json.dump({'command': 'make similarity-calibration PUBLIC=DIR',
                   'machine': describe(), 'calibration': calibration,
                   'sources': solutions.described(args.public),
                   'same origin': args.same_origin,
                   'trade-off': trade_off, 'kept': kept,
                   'settings': results}, stream, indent=1)
    for row in trade_off:
        print(json.dumps(row))
    print('kept: threshold {threshold}, least {least}, z {z}, floor '
          '{floor}'.format(**calibration))
    return 0


if __name__ == '__main__':
    sys.exit(main())
