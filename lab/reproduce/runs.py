"""Reproduce the task's reference runs: the four mains, unedited, 50 epochs.

    python -m lab.reproduce                 # run the mains not yet recorded
    python -m lab.reproduce 2-main --force  # run 2-main again
    python -m lab.reproduce --figures-only  # redraw the extra figures
    python -m lab.reproduce --quick --results /tmp/r   # check the pipeline

Five runs: the four mains with the repository's task files, and
3-main-sample, the task's 3-main with sample/3-variational.py, the VAE that
reproduces the task's sample log. Each runs through tools.run_main, which
records every epoch's loss, val_loss and seconds and saves the trained
autoencoder, without touching the main; its output streams to the console
and to <results>/logs/. What it printed, its history and the machine (CPU,
vector instruction set, CPU count, versions) are stored in
<results>/runs.json after each run, so an interrupted reproduction resumes
where it stopped. The figures the mains show land in <results>/figures/,
named after the run, with three more drawn from the trained models: loss
curves, the VAE's latent means by digit, and every model's reconstructions
of the same test digits.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from tools import mnist
from tools.machine import described_run
from tools.task import (
    MAINS, MODEL_NAMES, REPO, SAMPLE_DIR, TASK_FILES, import_task_file)
from tools.run_main import headless_environment, printed_lines

# run: (the main it runs, unedited; the folder its task files come from)
RUNS = {main: (main, REPO) for main in MAINS}
RUNS['3-main-sample'] = ('3-main', SAMPLE_DIR)
TITLES = dict(MODEL_NAMES, **{'3-main-sample': 'sample-compatible'})


QUICK = ['--train', '1024', '--val', '256', '--epochs', '2']


def run(name, results, quick=False):
    """Run one of RUNS (in full unless quick); return its runs.json entry."""
    main, task_dir = RUNS[name]
    for folder in ('logs', 'figures', 'models'):
        os.makedirs(os.path.join(results, folder), exist_ok=True)
    history_path = os.path.join(results, 'models', name + '-history.json')
    environment = headless_environment(os.path.join(results, 'figures'),
                                       figures_name=name)
    command = [sys.executable, '-m', 'tools.run_main', main + '.py',
               '--history', history_path, '--task-dir', task_dir,
               '--save-model', model_path(results, name)]
    command += QUICK if quick else []
    started = time.perf_counter()
    output = []
    with open(os.path.join(results, 'logs', name + '.log'), 'w') as log:
        # Only stdout is what the main printed; TensorFlow's notices and the
        # figure backend's go to stderr, which is kept in the log alone.
        process = subprocess.Popen(command, cwd=REPO, env=environment,
                                   stdout=subprocess.PIPE, stderr=log,
                                   text=True)
        for line in process.stdout:
            output.append(line)
            log.write(line)
            sys.stdout.write(line)
            sys.stdout.flush()
    if process.wait() != 0:
        raise SystemExit('{} failed with exit code {}; see {}'.format(
            name, process.returncode, log.name))
    with open(history_path) as stream:
        history = json.load(stream)
    seconds = history['seconds']
    return dict(
        described_run(),
        epochs=len(history['loss']),
        loss=history['loss'][-1],
        val_loss=history['val_loss'][-1],
        # The first epoch also traces the graph: leave it out of the median.
        s_per_epoch=statistics.median(seconds[1:] or seconds),
        first_epoch_s=seconds[0],
        wall_s=time.perf_counter() - started,
        printed=printed_lines(''.join(output)),
        history=history)


def model_path(results, name):
    """Return where the trained autoencoder of a run is saved."""
    return os.path.join(results, 'models', name + '-auto.keras')


def load_runs(path):
    """Return the recorded runs, or none."""
    if not os.path.exists(path):
        return {}
    with open(path) as stream:
        return json.load(stream)


def save_runs(runs, path):
    """Write the runs atomically, so an interruption never corrupts them."""
    with open(path + '.part', 'w') as stream:
        json.dump(runs, stream, indent=1, sort_keys=True)
        stream.write('\n')
    os.replace(path + '.part', path)


def load_autoencoder(results, name):
    """Load the trained autoencoder a run saved."""
    import tensorflow as tf
    # Importing the task files registers their penalties, sampler and loss.
    for folder in {folder for _, folder in RUNS.values()}:
        for task_file in TASK_FILES:
            if os.path.exists(os.path.join(folder, task_file + '.py')):
                import_task_file(task_file, folder)
    path = model_path(results, name)
    if not os.path.exists(path):
        raise SystemExit('{} is missing: run `python -m lab.reproduce '
                         '{} --force` to train it again'.format(path, name))
    # Our own files: Keras 2 reloads the VAE's Lambda only this way.
    return tf.keras.models.load_model(path, safe_mode=False)


def draw_figures(runs, results):
    """Draw the loss curves, VAE latent means and reconstructions."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    figures = os.path.join(results, 'figures')
    fig, axes = plt.subplots(1, len(RUNS), figsize=(4 * len(RUNS), 3.6))
    for ax, name in zip(axes, RUNS):
        history = runs[name]['history']
        epochs = range(1, len(history['loss']) + 1)
        ax.plot(epochs, history['loss'], label='loss')
        ax.plot(epochs, history['val_loss'], label='val_loss')
        ax.set_title('{} ({})'.format(RUNS[name][0], TITLES[name]))
        ax.set_xlabel('epoch')
        ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(figures, 'loss-curves.png'), dpi=120)
    plt.close(fig)

    _, (x_test, y_test) = mnist.load()
    models = {name: load_autoencoder(results, name) for name in RUNS}

    encoder = models['3-main'].layers[1]
    _, means, _ = encoder.predict(x_test.reshape(-1, 784), verbose=0,
                                  batch_size=1000)
    fig, ax = plt.subplots(figsize=(7, 6))
    points = ax.scatter(means[:, 0], means[:, 1], c=y_test, cmap='tab10',
                        s=2)
    fig.colorbar(points, ax=ax, ticks=range(10), label='digit')
    ax.set_title('VAE: latent means of the 10,000 test digits')
    ax.set_xlabel('mean[0]')
    ax.set_ylabel('mean[1]')
    fig.tight_layout()
    fig.savefig(os.path.join(figures, 'vae-latent-means.png'), dpi=120)
    plt.close(fig)

    digits = x_test[:10]
    rows = [('input', digits)]
    for name in RUNS:
        shape = (-1, 28, 28, 1) if name == '2-main' else (-1, 784)
        rebuilt = models[name].predict(digits.reshape(shape), verbose=0)
        rows.append((TITLES[name], rebuilt.reshape(-1, 28, 28)))
    fig, axes = plt.subplots(len(rows), 10, figsize=(10, 1.1 * len(rows)))
    for row, (title, images) in zip(axes, rows):
        for ax, image in zip(row, images):
            ax.imshow(image, cmap='gray')
            ax.set_xticks([])
            ax.set_yticks([])
        row[0].set_ylabel(title, rotation=0, ha='right', va='center')
    fig.tight_layout()
    fig.savefig(os.path.join(figures, 'reconstructions.png'), dpi=120)
    plt.close(fig)


def main(argv=None):
    """Run the mains asked for (or those not yet recorded), then draw."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('runs', nargs='*',
                        help='which of {} (default: all)'.format(
                            ', '.join(RUNS)))
    parser.add_argument('--force', action='store_true',
                        help='run again even if already recorded')
    parser.add_argument('--figures-only', action='store_true',
                        help='only redraw the figures from saved models')
    parser.add_argument('--quick', action='store_true',
                        help='1024 samples, 2 epochs: checks the pipeline')
    parser.add_argument('--results', default=os.path.join(REPO, 'results'),
                        help='where results go (default: results/)')
    args = parser.parse_args(argv)
    unknown = sorted(set(args.runs) - set(RUNS))
    if unknown:
        parser.error('unknown runs {}; choose from {}'.format(
            unknown, list(RUNS)))
    os.makedirs(args.results, exist_ok=True)
    runs_path = os.path.join(args.results, 'runs.json')
    runs = load_runs(runs_path)
    if not args.figures_only:
        mnist.provision()
        wanted = args.runs or list(RUNS)
        for number, name in enumerate(wanted, 1):
            if name in runs and not args.force:
                print('[{}/{}] {}: recorded, skipped (--force to rerun)'
                      .format(number, len(wanted), name))
                continue
            print('[{}/{}] {}: running ...'.format(number, len(wanted), name),
                  flush=True)
            runs[name] = run(name, args.results, args.quick)
            save_runs(runs, runs_path)
            print('[{}/{}] {}: val_loss {:.4f}, {:.2f} s per epoch'.format(
                number, len(wanted), name, runs[name]['val_loss'],
                runs[name]['s_per_epoch']), flush=True)
    if all(name in runs for name in RUNS):
        draw_figures(runs, args.results)
        print('figures in {}'.format(os.path.join(args.results, 'figures')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
