"""The text's points, judged on our task files (or --solution DIR's).

Each point is written once, in grading/check/points.py, for make check and
for this suite alike: here the observations are gathered in this process,
from the task files the suite tests, and judged by the same functions. A
point fails with what the text expects and what was found.
"""
import collections

import pytest

from conftest import JUDGE_SEED, TASK_FILES
from grading.check import points

POINTS = [pytest.param(point, marks=pytest.mark.text(task=point.task),
                       id=point.name)
          for task in TASK_FILES for point in points.task_points(task)]


@pytest.mark.parametrize('point', POINTS)
def test_text_point(judged, point):
    failure = points.judge_point(point, *judged(point.task))
    assert failure is None, '{point}: expected {expected}, found {found}' \
        .format(**failure)


def test_every_task_has_its_points():
    counted = {task: collections.Counter(
        point.source for point in points.task_points(task))
        for task in TASK_FILES}
    assert counted == {
        '0-vanilla': {'text': 12, 'graders': 3},
        '1-sparse': {'text': 16, 'graders': 3},
        '2-convolutional': {'text': 13, 'graders': 3},
        '3-variational': {'text': 17, 'graders': 3}}


def test_point_names_and_ids_are_unique_and_plans_cover_them():
    digits = points.judge_digits(JUDGE_SEED)
    for task in TASK_FILES:
        listed = points.task_points(task)
        for key in ('name', 'id'):
            values = [getattr(point, key) for point in listed]
            assert len(set(values)) == len(values)
        plan, _ = points.make_plan(task, digits, JUDGE_SEED)
        needed = {point.experiment.key for point in listed
                  if isinstance(point.experiment, points.Experiment)}
        assert needed == set(plan['experiments'])
        for experiment in plan['experiments'].values():
            names = [step['name'] for step in experiment['steps']]
            assert len(set(names)) == len(names)


def test_conventions_are_the_graders_names_not_the_texts():
    for task in TASK_FILES:
        for point in points.task_points(task):
            assert (point.source == 'graders') == point.name.startswith(
                'convention: ')
