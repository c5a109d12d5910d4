"""The reproduction pipeline, end to end on a quick run of its five runs.

`make reproduce` trains for 50 epochs; here lab.reproduce runs with
--quick (1024 samples, 2 epochs) into a temporary folder, which checks what
it records, that it resumes instead of rerunning, and what it draws.
"""
import json
import os

import pytest

from lab.reproduce.runs import main as reproduce

KEYS = {'loss', 'val_loss', 's_per_epoch', 'epochs', 'printed', 'history',
        'tensorflow', 'cpus', 'isa'}
RUNS = ['0-main', '1-main', '2-main', '3-main', '3-main-sample']


def isa_from_cpuinfo():
    """Return the vector instruction set /proc/cpuinfo's flags name."""
    with open('/proc/cpuinfo') as stream:
        words = stream.read().split()
    return ('AVX-512' if 'avx512f' in words
            else 'AVX2' if 'avx2' in words else None)


def test_records_each_main_with_its_history(quick_results):
    with open(os.path.join(quick_results, 'runs.json')) as stream:
        runs = json.load(stream)
    assert sorted(runs) == RUNS
    for entry in runs.values():
        assert KEYS <= set(entry)
        assert entry['epochs'] == 2
        history = entry['history']
        assert len(history['loss']) == len(history['val_loss']) == 2
        assert entry['loss'] == history['loss'][-1]
        assert entry['val_loss'] == history['val_loss'][-1]
        assert entry['s_per_epoch'] == history['seconds'][1]
        assert entry['cpus'] == os.cpu_count()
        assert entry['isa'] == isa_from_cpuinfo()
    # What the mains printed, without TensorFlow's stderr or progress bars.
    assert len(runs['0-main']['printed']) == 1
    float(runs['0-main']['printed'][0])
    assert len(runs['3-main']['printed']) == 20   # two 10x2 arrays
    assert len(runs['3-main-sample']['printed']) == 20


def test_writes_the_figures_and_logs(quick_results):
    figures = sorted(os.listdir(os.path.join(quick_results, 'figures')))
    assert figures == ['0-main-1.png', '1-main-1.png', '2-main-1.png',
                       '3-main-1.png', '3-main-2.png', '3-main-sample-1.png',
                       '3-main-sample-2.png', 'loss-curves.png',
                       'reconstructions.png', 'vae-latent-means.png']
    logs = sorted(os.listdir(os.path.join(quick_results, 'logs')))
    assert logs == sorted(name + '.log' for name in RUNS)


def test_resumes_without_rerunning(quick_results, capsys):
    runs_path = os.path.join(quick_results, 'runs.json')
    before = os.path.getmtime(runs_path)
    assert reproduce(['--quick', '--results', quick_results, '0-main']) == 0
    assert 'recorded, skipped' in capsys.readouterr().out
    assert os.path.getmtime(runs_path) == before


def test_refuses_an_unknown_main(quick_results):
    with pytest.raises(SystemExit):
        reproduce(['--results', quick_results, '4-main'])
