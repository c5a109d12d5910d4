"""How many points each of the text's points is worth, and a report's score.

By default every point weighs 1. A weights file (WEIGHTS=FILE) changes
that, one rule a line, `#` starting a comment:

    0-vanilla = 6                  the task is worth 6, shared by its points
    3-variational: loss = 2        each point of the task whose name starts
                                   with "loss" is worth 2

    conventions = 0                every convention point (the names the
                                   graders' checker reads, not the text's
                                   asks) is worth 0, in every task

A task's named points keep their weight and its other points share what is
left of the task's total. Tasks the file does not name keep 1 per point.
"""
import re

from grading.check.points import CONVENTION
from tools.task import TASK_FILES

RULE = re.compile(r'^(?P<task>[\w-]+)(:\s*(?P<point>.+?))?\s*=\s*'
                  r'(?P<weight>[0-9.]+)$')
# The rule that weighs every task's convention points.
CONVENTIONS = 'conventions'


def read_weights(path):
    """Return {task: {'total': N or None, 'points': {prefix: N}}} from path.

    Raises ValueError naming the line of a rule it cannot read.
    """
    weights = {task: {'total': None, 'points': {}} for task in TASK_FILES}
    with open(path) as stream:
        for number, line in enumerate(stream, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            rule = RULE.match(line)
            if rule and rule.group('task') == CONVENTIONS and not \
                    rule.group('point'):
                for task in weights.values():
                    task['points'][CONVENTION] = float(
                        rule.group('weight'))
                continue
            if not rule or rule.group('task') not in TASK_FILES:
                raise ValueError(
                    '{}, line {}: expected "TASK = N", "TASK: POINT = N" '
                    'or "conventions = N" with TASK one of {}, got {!r}'
                    .format(path, number, ', '.join(TASK_FILES), line))
            weight = float(rule.group('weight'))
            task = weights[rule.group('task')]
            if rule.group('point'):
                task['points'][rule.group('point')] = weight
            else:
                task['total'] = weight
    return weights


def point_weights(task, points, weights=None):
    """Return {point: weight} for a task's points under weights."""
    rules = (weights or {}).get(task, {'total': None, 'points': {}})
    named = {}
    for point in points:
        for prefix, weight in rules['points'].items():
            if point.startswith(prefix):
                named[point] = weight
                break
    others = [point for point in points if point not in named]
    if rules['total'] is None:
        share = 1.0
    else:
        left = rules['total'] - sum(named.values())
        if left < 0 or (left > 0 and not others):
            raise ValueError(
                '{}: its named points weigh {:g}, which does not fit its '
                'total of {:g}'.format(task, sum(named.values()),
                                       rules['total']))
        share = left / len(others) if others else 0.0
    return {point: named.get(point, share) for point in points}


def found_for(point, failure):
    """Return what a failed point found, after what failed if that differs.

    A point such as "layers follow the text [...]" fails on one property,
    "decoder layer 5 (Conv2D): padding [...]", which is worth keeping.
    """
    if failure['point'] == point:
        return failure['found']
    return '{}: {}'.format(failure['point'], failure['found'])


def score(results, weights=None):
    """Score a report {task: result} under weights.

    Every point a task lists counts, and a point that is not reported as
    failed passed. Returns {task: {'score', 'max_score', 'points': [{point,
    passed, weight, expected, found}]}}.
    """
    scored = {}
    for task, result in results.items():
        failed = {failure['test']: failure for failure in result['failed']}
        entries = []
        points = point_weights(task, result['points'], weights)
        for point, weight in points.items():
            failure = failed.get(point)
            entries.append({
                'point': point, 'weight': weight, 'passed': failure is None,
                'expected': failure['expected'] if failure else '',
                'found': found_for(point, failure) if failure else ''})
        scored[task] = {
            'score': sum(entry['weight'] for entry in entries
                         if entry['passed']),
            'max_score': sum(entry['weight'] for entry in entries),
            'points': entries}
    return scored
