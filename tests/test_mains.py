"""The task's mains, unedited, run end to end in a quick mode.

Each main runs in a fresh process through tools/run_main.py, which only
shortens training from the outside (1024 samples, two epochs), with the PNG
backend catching its figures: the quick reproduction's runs (conftest's
quick_results), which the gallery and the explorer also draw from. A second
fresh run checks that the seeds the mains set make what they print
repeatable.
"""
import filecmp
import os
import re

import matplotlib.image
import numpy as np
import pytest

from conftest import MAINS, REPO
from lab.reproduce.runs import load_runs, run

SHARED_MAINS = os.path.join(os.path.dirname(REPO), 'shared', 'task', 'mains')
NUMBER = r'-?\d+(?:\.\d*)?(?:e[-+]?\d+)?'
FIGURES = {'0-main': 1, '1-main': 1, '2-main': 1, '3-main': 2}


def printed(results, main):
    """Return what main printed itself in the quick run recorded in results."""
    return load_runs(os.path.join(results, 'runs.json'))[main]['printed']


def numbers(lines):
    """Return every number in lines as a float array."""
    return np.array([float(value) for line in lines
                     for value in re.findall(NUMBER, line)])


@pytest.mark.parametrize('main', MAINS)
def test_main_writes_its_figures(quick_results, main):
    figures = os.path.join(quick_results, 'figures')
    names = sorted(name for name in os.listdir(figures)
                   if re.fullmatch(re.escape(main) + r'-\d+\.png', name))
    assert names == ['{}-{}.png'.format(main, n)
                     for n in range(1, FIGURES[main] + 1)]
    for name in names:
        image = matplotlib.image.imread(os.path.join(figures, name))
        assert image.ndim == 3 and image.shape[0] > 100
        assert image[..., :3].std() > 0.05   # digits, not a blank page


@pytest.mark.parametrize('main', ['0-main', '1-main'])
def test_dense_mains_print_the_mean_code(quick_results, main):
    lines = printed(quick_results, main)
    assert len(lines) == 1
    # The code comes out of a relu, so its mean is a non-negative number.
    assert re.fullmatch(NUMBER, lines[0]) and float(lines[0]) >= 0


def test_convolutional_main_prints_shapes_and_mean_code(quick_results):
    lines = printed(quick_results, '2-main')
    assert lines[:2] == ['(60000, 28, 28, 1)', '(10000, 28, 28, 1)']
    assert len(lines) == 3 and float(lines[2]) >= 0


def test_variational_main_prints_means_and_sigmas(quick_results):
    values = numbers(printed(quick_results, '3-main'))
    # Two 10x2 arrays: mu, then sigma = exp(log_var / 2), which is positive.
    assert values.shape == (40,)
    mu, sigma = values[:20], values[20:]
    assert np.all(np.isfinite(mu)) and np.all(sigma > 0)


@pytest.mark.parametrize('main', MAINS)
def test_main_prints_the_same_twice(quick_results, tmp_path, main):
    again = run(main, str(tmp_path), quick=True)
    assert again['printed'] == printed(quick_results, main)


@pytest.mark.parametrize('main', MAINS)
def test_main_is_the_task_main(main):
    ours = os.path.join(REPO, main + '.py')
    if not os.path.isdir(SHARED_MAINS):
        pytest.fail('the task is not beside the repository: expected {}'
                    .format(SHARED_MAINS))
    assert filecmp.cmp(ours, os.path.join(SHARED_MAINS, main + '.py'),
                       shallow=False)
    assert os.access(ours, os.X_OK)
