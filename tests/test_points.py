"""The text's points, judged on our task files (or --solution DIR's).

Each point is written once, in tools/check/points.py, for make check and
for this suite alike: here the observations are gathered in this process,
from the task files the suite tests, and judged by the same functions. A
point fails with what the text expects and what was found.
"""
import pytest

from conftest import JUDGE_SEED, TASK_FILES
from tools.check import points

POINTS = [pytest.param(point, marks=pytest.mark.text(task=point.task),
                       id=point.name)
          for task in TASK_FILES for point in points.task_points(task)]


@pytest.mark.parametrize('point', POINTS)
def test_text_point(judged, point):
    failure = points.judge_point(point, *judged(point.task))
    assert failure is None, '{point}: expected {expected}, found {found}' \
        .format(**failure)


def test_every_task_has_its_points():
    assert {task: len(points.point_names(task)) for task in TASK_FILES} == {
        '0-vanilla': 12, '1-sparse': 17, '2-convolutional': 13,
        '3-variational': 17}


def test_point_names_are_unique_and_plans_cover_them():
    digits = points.judge_digits(JUDGE_SEED)
    for task in TASK_FILES:
        names = points.point_names(task)
        assert len(set(names)) == len(names)
        plan, _ = points.make_plan(task, digits, JUDGE_SEED)
        needed = {point.experiment for point in points.task_points(task)}
        assert needed - {points.FILE, points.MODULE} == set(
            plan['experiments'])
