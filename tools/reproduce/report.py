"""Print the Markdown tables of results/RESULTS.md from the recorded runs.

    python -m tools.reproduce.report --peak GFLOPS [--results results]
                           [--benchmark FILE ...]

The tables are generated rather than typed, so every figure in them is the
one in runs.json (and in the benchmark's JSON, when given).
"""
import argparse
import json
import os
import statistics

from tools.performance import flops

# The task's sample log (task-text.txt): final epoch and what each printed.
TASK_SAMPLE = {
    '0-main': {'loss': 0.0846, 'val_loss': 0.0842, 'printed': '8.311438'},
    '1-main': {'loss': 0.0839, 'val_loss': 0.0835, 'printed': '3.0174155'},
    '2-main': {'loss': 0.0938, 'val_loss': 0.0926, 'printed': '3.4141076'},
    '3-main': {'loss': 143.3937, 'val_loss': 147.9027,
               'printed': 'mu about 1e-4; sigma 0.19 to 3.0'},
}
TARGETS = {'0-main': 0.0842, '1-main': 0.0835, '2-main': 0.0926,
           '3-main': 152.0}
TRAIN_SAMPLES, VAL_SAMPLES = 60000, 10000


def summary_of_printed(main, printed):
    """Return what a main printed, shortened for a table cell."""
    if main != '3-main':
        return printed[-1]
    values = [float(v) for line in printed
              for v in line.replace('[', ' ').replace(']', ' ').split()]
    mu, sigma = values[:20], values[20:40]
    return 'mu {:.2f} to {:.2f}; sigma {:.3f} to {:.3f}'.format(
        min(mu), max(mu), min(sigma), max(sigma))


def quality_table(runs):
    """Return the table of final losses beside the task's sample log."""
    rows = ['| main | epochs | loss | val_loss | task loss | task val_loss '
            '| target val_loss | met | printed | task printed |',
            '|---|---|---|---|---|---|---|---|---|---|']
    for main, entry in sorted(runs.items()):
        sample = TASK_SAMPLE[main]
        rows.append('| {} | {} | {:.4f} | {:.4f} | {} | {} | ≤ {} | {} | {} '
                    '| {} |'.format(
                        main, entry['epochs'], entry['loss'],
                        entry['val_loss'], sample['loss'],
                        sample['val_loss'], TARGETS[main],
                        'yes' if entry['val_loss'] <= TARGETS[main] else 'no',
                        summary_of_printed(main, entry['printed']),
                        sample['printed']))
    return '\n'.join(rows)


def performance_table(runs, peak_gflops):
    """Return the table of training speed and achieved FLOP rates."""
    counts = flops.count_all()
    rows = ['| main | s/epoch (median) | training samples/s | FLOPs/sample '
            'forward | FLOPs/sample training | GFLOP/s achieved '
            '| share of peak |',
            '|---|---|---|---|---|---|---|']
    for main, entry in sorted(runs.items()):
        forward, training = counts[main]
        seconds = entry['s_per_epoch']
        # An epoch trains on 60,000 samples and validates on 10,000.
        achieved = (TRAIN_SAMPLES * training + VAL_SAMPLES * forward) \
            / seconds / 1e9
        rows.append('| {} | {:.2f} | {:,.0f} | {:,} | {:,} | {:.2f} | {:.1%} |'
                    .format(main, seconds, TRAIN_SAMPLES / seconds, forward,
                            training, achieved, achieved / peak_gflops))
    return '\n'.join(rows)


def machine_line(runs):
    """Return one line naming the machine and versions of the runs."""
    entry = next(iter(runs.values()))
    dates = sorted(e['date'] for e in runs.values())
    return ('{} CPUs ({}), Python {}, TensorFlow {}, Keras {}, NumPy {}; '
            'runs from {} to {}.'.format(
                entry['cpus'], entry['cpu'], entry['python'],
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
                        help="tools.performance.benchmark's --out files; "
                        "the first one's "
                        'layer profile is printed too')
    parser.add_argument('--peak', type=float, required=True,
                        help='the CPU peak in GFLOP/s to compare with')
    args = parser.parse_args(argv)
    with open(os.path.join(args.results, 'runs.json')) as stream:
        runs = json.load(stream)
    print(machine_line(runs), end='\n\n')
    print(quality_table(runs), end='\n\n')
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
