"""Print the Markdown tables of results/RESULTS.md from the recorded runs.

    python -m lab.reproduce.report --peak GFLOPS [--results results]
                           [--benchmark FILE ...]

The tables are generated rather than typed, so every figure in them is the
one in runs.json (and in the benchmark's JSON, when given).
"""
import argparse
import json
import os
import statistics

from lab.performance import flops
from lab.reproduce import task_log
from lab.reproduce.runs import RUNS

TARGETS = {'0-main': 0.0842, '1-main': 0.0835, '2-main': 0.0926,
           '3-main': 152.0, '3-main-sample': 152.0}
TRAIN_SAMPLES, VAL_SAMPLES = 60000, 10000


def sample_of(name):
    """Return (epochs, printed) of the task's sample log for a run."""
    main = RUNS[name][0]
    return task_log.EPOCHS[main], task_log.PRINTED[main]


def vae_values(printed):
    """Return (mu, sigma) as two 10x2 lists from what 3-main printed."""
    values = [float(v) for line in printed
              for v in line.replace('[', ' ').replace(']', ' ').split()]
    return ([values[i:i + 2] for i in range(0, 20, 2)],
            [values[i:i + 2] for i in range(20, 40, 2)])


def summary_of_printed(name, printed):
    """Return what a main printed, shortened for a table cell."""
    if RUNS[name][0] != '3-main':
        return printed[-1]
    mu, sigma = vae_values(printed)
    mu, sigma = sum(mu, []), sum(sigma, [])
    return 'mu {:.3g} to {:.3g}; sigma {:.3f} to {:.3f}'.format(
        min(mu), max(mu), min(sigma), max(sigma))


def ordered(runs):
    """Return the runs' (name, entry) pairs in the order of RUNS."""
    return [(name, runs[name]) for name in RUNS if name in runs]


def quality_table(runs):
    """Return the table of final losses beside the task's sample log."""
    rows = ['| run | epochs | loss | val_loss | task loss | task val_loss '
            '| target val_loss | met | printed | task printed |',
            '|---|---|---|---|---|---|---|---|---|---|']
    for name, entry in ordered(runs):
        epochs, printed = sample_of(name)
        loss, val_loss = epochs[50]
        rows.append('| {} | {} | {:.4f} | {:.4f} | {} | {} | ≤ {} | {} | {} '
                    '| {} |'.format(
                        name, entry['epochs'], entry['loss'],
                        entry['val_loss'], loss, val_loss, TARGETS[name],
                        'yes' if entry['val_loss'] <= TARGETS[name] else 'no',
                        summary_of_printed(name, entry['printed']),
                        summary_of_printed(name, printed)))
    return '\n'.join(rows)


def epochs_table(name, entry):
    """Return the epochs the task shows, ours beside the sample's."""
    epochs, _ = sample_of(name)
    history = entry['history']
    rows = ['| epoch | loss | task loss | val_loss | task val_loss |',
            '|---|---|---|---|---|']
    for epoch, (loss, val_loss) in epochs.items():
        if epoch > len(history['loss']):
            continue
        rows.append('| {} | {:.4f} | {:.4f} | {:.4f} | {:.4f} |'.format(
            epoch, history['loss'][epoch - 1], loss,
            history['val_loss'][epoch - 1], val_loss))
    return '\n'.join(rows)


def printed_table(runs):
    """Return what the mains printed beside what the sample printed.

    For 3-main, digit by digit: the sample's mu and sigma, then those of
    the sample-compatible VAE and of the text's VAE.
    """
    rows = ['| main | ours | task |', '|---|---|---|']
    for name in ('0-main', '1-main', '2-main'):
        if name in runs:
            rows.append('| {} | {} | {} |'.format(
                name, runs[name]['printed'][-1], sample_of(name)[1][-1]))
    vae_runs = [name for name in ('3-main-sample', '3-main') if name in runs]
    if vae_runs:
        columns = ['task'] + vae_runs
        values = [vae_values(task_log.PRINTED['3-main'])] + [
            vae_values(runs[name]['printed']) for name in vae_runs]
        rows += ['', '| digit | ' + ' | '.join(
            '{} mu | {} sigma'.format(column, column) for column in columns)
            + ' |', '|---' * (1 + 2 * len(columns)) + '|']
        for digit in range(10):
            cells = []
            for mu, sigma in values:
                cells += ['{:.3g}, {:.3g}'.format(*mu[digit]),
                          '{:.3f}, {:.3f}'.format(*sigma[digit])]
            rows.append('| {} | {} |'.format(digit, ' | '.join(cells)))
    return '\n'.join(rows)


def sample_match(entry):
    """Return how the sample-compatible run compares with the sample log.

    Relative differences of the first and last epochs' losses and the
    largest printed mean in magnitude.
    """
    epochs, _ = sample_of('3-main-sample')
    history = entry['history']
    mu, _ = vae_values(entry['printed'])
    return {'epoch 1 loss': history['loss'][0] / epochs[1][0] - 1,
            'epoch 1 val_loss': history['val_loss'][0] / epochs[1][1] - 1,
            'final loss': entry['loss'] / epochs[50][0] - 1,
            'final val_loss': entry['val_loss'] / epochs[50][1] - 1,
            'largest |mu|': max(abs(value) for pair in mu for value in pair)}


def performance_table(runs, peak_gflops):
    """Return the table of training speed and achieved FLOP rates."""
    counts = flops.count_all()
    rows = ['| run | s/epoch (median) | training samples/s | FLOPs/sample '
            'forward | FLOPs/sample training | GFLOP/s achieved '
            '| share of peak |',
            '|---|---|---|---|---|---|---|']
    for name, entry in ordered(runs):
        forward, training = counts[RUNS[name][0]]
        seconds = entry['s_per_epoch']
        # An epoch trains on 60,000 samples and validates on 10,000.
        achieved = (TRAIN_SAMPLES * training + VAL_SAMPLES * forward) \
            / seconds / 1e9
        rows.append('| {} | {:.2f} | {:,.0f} | {:,} | {:,} | {:.2f} | {:.1%} |'
                    .format(name, seconds, TRAIN_SAMPLES / seconds, forward,
                            training, achieved, achieved / peak_gflops))
    return '\n'.join(rows)


def machine_line(runs):
    """Return one line naming the machine and versions of the runs."""
    entry = next(iter(runs.values()))
    dates = sorted(e['date'] for e in runs.values())
    return ('{} CPUs ({}, {}), Python {}, TensorFlow {}, Keras {}, NumPy {}; '
            'runs from {} to {}.'.format(
                entry['cpus'], entry['cpu'], entry.get('isa', 'ISA not '
                                                       'recorded'),
                entry['python'],
                entry['tensorflow'], entry['keras'], entry['numpy'],
                dates[0], dates[-1]))


def levers_table(benchmark):
    """Return the table of a benchmark's variants against its default."""
    baseline = benchmark['medians']['default']
    rows = ['| variant | epochs measured | median s/epoch '
            '| ratio to default |',
            '|---|---|---|---|']
    for variant, median in benchmark['medians'].items():
        rows.append('| {} | {} | {:.2f} | {:.3f} |'.format(
            variant, len(benchmark['samples'][variant]), median,
            median / baseline))
    for variant, error in benchmark.get('failures', {}).items():
        rows.append('| {} | failed | | {} |'.format(variant, error[:160]))
    return '\n'.join(rows)


def profile_table(benchmark):
    """Return the table of a benchmark's per-layer profile."""
    rows = ['| layer | output | forward+backward ms | share of a step |',
            '|---|---|---|---|']
    for name, shape, ms in benchmark['layers']:
        rows.append('| {} | {} | {:.2f} | {:.0%} |'.format(
            name, tuple(shape), ms, ms / benchmark['train_step_ms']))
    rows.append('| whole training step | | {:.2f} | |'.format(
        benchmark['train_step_ms']))
    return '\n'.join(rows)


def main(argv=None):
    """Print every table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--results', default='results')
    parser.add_argument('--benchmark', nargs='*', default=[],
                        help="lab.performance.benchmark's --out files; "
                        "the first one's "
                        'layer profile is printed too')
    parser.add_argument('--peak', type=float, required=True,
                        help='the CPU peak in GFLOP/s to compare with')
    args = parser.parse_args(argv)
    with open(os.path.join(args.results, 'runs.json')) as stream:
        runs = json.load(stream)
    print(machine_line(runs), end='\n\n')
    print(quality_table(runs), end='\n\n')
    for name, entry in ordered(runs):
        print('{}:\n\n{}\n'.format(name, epochs_table(name, entry)))
    print(printed_table(runs), end='\n\n')
    if '3-main-sample' in runs:
        print('3-main-sample against the sample log: {}\n'.format(', '.join(
            '{} {:+.2%}'.format(key, value) if 'mu' not in key else
            '{} {:.2g}'.format(key, value)
            for key, value in sample_match(runs['3-main-sample']).items())))
    print(performance_table(runs, args.peak), end='\n\n')
    for number, path in enumerate(args.benchmark):
        with open(path) as stream:
            benchmark = json.load(stream)
        print('{}:\n\n{}\n'.format(path, levers_table(benchmark)))
        if number == 0:
            print(profile_table(benchmark), end='\n\n')
    print('\nmedian first epoch (tracing included): {:.2f} s'.format(
        statistics.median(e['first_epoch_s'] for e in runs.values())))


if __name__ == '__main__':
    main()
