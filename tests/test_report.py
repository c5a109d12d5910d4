"""The tables of RESULTS.md, generated from runs with known values."""
import pytest

from tools.performance import flops
from tools.reproduce import report


def entry(val_loss, printed, seconds=2.0):
    """Return a runs.json entry with the fields the report reads."""
    return {'epochs': 50, 'loss': val_loss + 0.001, 'val_loss': val_loss,
            'printed': printed, 's_per_epoch': seconds}


VAE_PRINTED = ['[[-1.5  0.1]'] + ['[ 0.5  2.25]'] * 8 + ['[ 0.0  0.0]]'] \
    + ['[[0.05  0.5]'] + ['[ 0.1  0.2]'] * 8 + ['[ 0.3  0.04]]']


@pytest.fixture
def runs():
    """Two runs on each side of their targets."""
    return {'0-main': entry(0.0842, ['8.0']),     # at the target: met
            '2-main': entry(0.0929, ['(60000, 28, 28, 1)', '3.4']),
            '3-main': entry(151.9, VAE_PRINTED)}


def test_quality_table_marks_each_target(runs):
    rows = report.quality_table(runs).splitlines()[2:]
    assert '| 0-main | 50 | 0.0852 | 0.0842 | 0.0846 | 0.0842 | ≤ 0.0842 ' \
        '| yes | 8.0 |' in rows[0]
    assert '| ≤ 0.0926 | no | 3.4 |' in rows[1]
    assert '| ≤ 152.0 | yes |' in rows[2]


def test_vae_summary_reads_both_arrays():
    assert report.summary_of_printed('3-main', VAE_PRINTED) == \
        'mu -1.50 to 2.25; sigma 0.040 to 0.500'


def test_performance_table_computes_the_flop_rate(runs, monkeypatch):
    monkeypatch.setattr(flops, 'count_all', lambda: {
        '0-main': (1000, 3000), '2-main': (2000, 5000),
        '3-main': (10, 20)})
    rows = report.performance_table(runs, peak_gflops=1.0).splitlines()[2:]
    # (60,000 x 3,000 + 10,000 x 1,000) FLOPs in 2 s = 0.095 GFLOP/s.
    assert rows[0] == '| 0-main | 2.00 | 30,000 | 1,000 | 3,000 | 0.10 ' \
        '| 9.5% |'
