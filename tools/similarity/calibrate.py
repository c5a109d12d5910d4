"""Calibrate the similarity rule on public solutions of the assignment.

    python -m tools.similarity.calibrate PUBLIC

PUBLIC holds one folder per public solution (their SOURCES file, if any,
names each one's repository and commit). Their pairs give each task's
reference distribution (median and robust scale). Each solution is then
disguised every way, with three seeds, and compared with itself; the rule
(rule.py) looks at a pair's two best families of files: Z is set 0.1
below the lowest second-best family z that a disguised copy reaches, the
floor 0.02 below the lowest score that still flags every copy (its
second-best score among the families at or above Z). Writes
tools/similarity/calibration.json (what the rule reads) and
results/similarity-calibration.json (what was measured, and which public
pairs the rule flags).
"""
import argparse
import itertools
import json
import math
import os
import sys

from tools.machine import describe
from tools.similarity import compare, disguise, engine, rule, solutions
from tools.task import REPO, TASK_FILES

SEEDS = 3


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('public', help='a folder of public solutions')
    args = parser.parse_args(argv)
    found = solutions.sources(args.public)
    names = sorted(found)
    sources = {(name, task): source for name, files in found.items()
               for task, source in files.items()}
    boilerplate = compare.boilerplate_hashes([])
    prints = {key: compare.fingerprint(source, boilerplate)
              for key, source in sources.items()}
    prints = {key: print_ for key, print_ in prints.items()
              if len(print_.hashes) >= compare.MIN_FINGERPRINTS}

    def pair_scores(a, b):
        return {task: engine.compare(prints[a, task], prints[b, task]).score
                for task in TASK_FILES
                if (a, task) in prints and (b, task) in prints}
    pairs = {(a, b): pair_scores(a, b)
             for a, b in itertools.combinations(names, 2)}
    references = {task: rule.robust_reference(
        [scores[task] for scores in pairs.values() if task in scores])
        for task in TASK_FILES}

    def row(task_scores, **named):
        found = rule.families(task_scores, references)
        return dict(named, families=[[name, round(z, 3), round(score, 4)]
                                     for name, z, score in found],
                    standing=round(rule.standing(z for _, z, _ in found), 3),
                    second_score=round(rule.standing(
                        score for _, _, score in found), 4))
    copies = []
    for name in names:
        for seed in range(SEEDS):
            for how in list(disguise.DISGUISES) + ['all']:
                copies.append(row({
                    task: engine.compare(prints[name, task], compare
                                         .fingerprint(disguise.disguise(
                                             sources[name, task], how, seed),
                                             boilerplate)).score
                    for task in TASK_FILES if (name, task) in prints},
                    solution=name, disguise=how, seed=seed))
    z = math.floor((min(copy['standing'] for copy in copies) - 0.1) * 10) / 10

    def reachable(families, z):
        # The floor that still lets the families at or above z flag it.
        return rule.standing(score for _, family_z, score in families
                             if family_z >= z)
    calibration = {
        'reference': {task: {'median': round(median, 4),
                             'scale': round(scale, 4)}
                      for task, (median, scale) in references.items()},
        'pairs': len(pairs), 'solutions': len(names),
        'z': z,
        'floor': math.floor((min(reachable(copy['families'], z)
                                 for copy in copies) - 0.02) * 100) / 100,
        'engine': engine.VERSION}

    def flagged(found):
        return rule.stands_out(found, calibration['z'], calibration['floor'])
    public = sorted((row(scores, pair=list(pair), scores={
        task: round(score, 4) for task, score in scores.items()})
        for pair, scores in pairs.items()
        if len(rule.families(scores, references)) >= rule.STANDING_OUT),
        key=lambda found: -found['standing'])
    measured = {
        'command': 'make similarity-calibration PUBLIC=DIR',
        'machine': describe(),
        'calibration': calibration,
        'sources': solutions.described(args.public),
        'lowest copies': sorted(copies, key=lambda copy: copy['standing'])[:5],
        'highest public pairs': public[:10],
        'public pairs flagged': [found for found in public
                                 if flagged(found['families'])],
        'copies flagged': sum(flagged(copy['families']) for copy in copies),
        'copies': len(copies)}
    with open(os.path.join(os.path.dirname(rule.__file__),
                           'calibration.json'), 'w') as stream:
        json.dump(calibration, stream, indent=1)
        stream.write('\n')
    with open(os.path.join(REPO, 'results', 'similarity-calibration.json'),
              'w') as stream:
        json.dump(measured, stream, indent=1)
    print(json.dumps(calibration))
    print('{} of {} disguised copies flagged; {} of {} public pairs '
          'flagged'.format(measured['copies flagged'], len(copies),
                           len(measured['public pairs flagged']),
                           len(pairs)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
