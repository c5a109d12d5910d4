"""The tables of RESULTS.md, generated from runs with known values.

The task's sample log they compare with is checked against the task's text.
"""
import os
import re

import pytest

from conftest import REPO
from lab.performance import flops
from lab.reproduce import report, task_log

TASK_TEXT = os.path.join(os.path.dirname(REPO), 'shared', 'task',
                         'task-text.txt')


def entry(val_loss, printed, seconds=2.0):
    """Return a runs.json entry with the fields the report reads."""
    history = {'loss': [val_loss + 0.001] * 50, 'val_loss': [val_loss] * 50}
    return {'epochs': 50, 'loss': val_loss + 0.001, 'val_loss': val_loss,
            'printed': printed, 's_per_epoch': seconds, 'history': history}


VAE_PRINTED = ['[[-1.5  0.1]'] + ['[ 0.5  2.25]'] * 8 + ['[ 0.0  0.0]]'] \
    + ['[[0.05  0.5]'] + ['[ 0.1  0.2]'] * 8 + ['[ 0.3  0.04]]']


@pytest.fixture
def runs():
    """Two runs on each side of their targets."""
    return {'0-main': entry(0.0842, ['8.0']),     # at the target: met
            '2-main': entry(0.0929, ['(60000, 28, 28, 1)', '3.4']),
            '3-main': entry(151.9, VAE_PRINTED),
            '3-main-sample': entry(149.38, VAE_PRINTED)}


def test_quality_table_marks_each_target(runs):
    rows = report.quality_table(runs).splitlines()[2:]
    assert '| 0-main | 50 | 0.0852 | 0.0842 | 0.0846 | 0.0842 | ≤ 0.0842 ' \
        '| yes | 8.0 |' in rows[0]
    assert '| ≤ 0.0926 | no | 3.4 |' in rows[1]
    assert '| ≤ 152.0 | yes |' in rows[2]
    assert rows[3].startswith('| 3-main-sample | 50 | 149.3810 | 149.3800 '
                              '| 143.3937 | 147.9027 | ≤ 152.0 | yes |')


def test_epochs_table_sets_ours_beside_the_sample(runs):
    rows = report.epochs_table('0-main', runs['0-main']).splitlines()[2:]
    assert [row.split(' | ')[0] for row in rows] == \
        ['| {}'.format(epoch) for epoch in (1, 2, 3, 4, 5, 46, 47, 48, 49,
                                            50)]
    assert rows[0] == '| 1 | 0.0852 | 0.2462 | 0.0842 | 0.1704 |'


def test_sample_match_is_relative_to_the_sample_log(runs):
    match = report.sample_match(runs['3-main-sample'])
    assert match['final val_loss'] == pytest.approx(149.38 / 147.9027 - 1)
    assert match['epoch 1 loss'] == pytest.approx(149.381 / 212.1680 - 1)
    assert match['largest |mu|'] == 2.25


def test_printed_table_reads_every_digit(runs):
    table = report.printed_table(runs)
    assert '| 0-main | 8.0 | 8.311438 |' in table
    # Digit 0 of the task's sample, then of both runs (VAE_PRINTED).
    assert '| 0 | -0.000444, 3.76e-05 | 0.950, 3.015 | -1.5, 0.1 | ' \
        '0.050, 0.500 | -1.5, 0.1 | 0.050, 0.500 |' in table


def test_task_log_is_the_task_texts(tmp_path):
    if not os.path.exists(TASK_TEXT):
        pytest.fail('the task is not beside the repository: expected {}'
                    .format(TASK_TEXT))
    with open(TASK_TEXT) as stream:
        text = stream.read()
    parts = re.split(r'\$ \./(\d)-main\.py', text)[1:]
    for main, log in zip(parts[::2], parts[1::2]):
        log = log[:log.index('Repo:')]
        shown = re.findall(r'Epoch (\d+)/50\n.*? loss: ([\d.]+) - '
                           r'val_loss: ([\d.]+)', log)
        assert task_log.EPOCHS[main + '-main'] == {
            int(epoch): (float(loss), float(val_loss))
            for epoch, loss, val_loss in shown}
        for line in task_log.PRINTED[main + '-main']:
            assert line in log


def test_vae_summary_reads_both_arrays():
    assert report.summary_of_printed('3-main', VAE_PRINTED) == \
        'mu -1.5 to 2.25; sigma 0.040 to 0.500'


def test_performance_table_computes_the_flop_rate(runs, monkeypatch):
    monkeypatch.setattr(flops, 'count_all', lambda: {
        '0-main': (1000, 3000), '2-main': (2000, 5000),
        '3-main': (10, 20)})
    rows = report.performance_table(runs, peak_gflops=1.0).splitlines()[2:]
    # (60,000 x 3,000 + 10,000 x 1,000) FLOPs in 2 s = 0.095 GFLOP/s.
    assert rows[0] == '| 0-main | 2.00 | 30,000 | 1,000 | 3,000 | 0.10 ' \
        '| 9.5% |'
