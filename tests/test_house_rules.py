"""The house rules for the sample-compatible VAE, and the graders' pycodestyle.

The task files' house rules are text points, judged from the files' text
in grading/check/points.py (tests/test_points.py runs them); this project's
own sample/3-variational.py keeps the same rules, judged the same way.
"""
import pycodestyle
import pytest

from conftest import REPO
from grading.check import points


@pytest.mark.parametrize('name, rule', points.HOUSE_RULES,
                         ids=[name for name, _ in points.HOUSE_RULES])
def test_sample_vae_keeps_the_house_rule(name, rule):
    rule(points.read_file(REPO + '/sample', '3-variational'))


def test_pycodestyle_is_the_graders_version():
    assert pycodestyle.__version__ == '2.11.1'


@pytest.mark.parametrize('source, rule', [
    ('#!/usr/bin/python3\n"""Doc."""\n', points.judge_shebang),
    ('#!/usr/bin/env python3\n"""Doc."""', points.judge_shebang),
    ('"""Doc."""\nimport numpy as np\n', points.judge_imports),
    ('"""Doc."""\n\n\ndef f():\n    pass\n', points.judge_docstrings),
    ('"""Doc."""\nmatch x:\n    case 1:\n        pass\n',
     points.judge_python_3_9),
    ('"""Doc."""\nx=1\n', points.judge_pycodestyle),
])
def test_a_broken_house_rule_fails(source, rule):
    with pytest.raises((points.TextMismatch, SyntaxError)):
        rule({'path': 'task.py', 'source': source, 'executable': True})
