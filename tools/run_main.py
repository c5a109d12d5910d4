"""Run one of the task's mains unedited, shortened or recorded from outside.

    python -m tools.run_main 0-main.py                    # as the task runs it
    python -m tools.run_main 0-main.py --train 1024 --val 256 --epochs 1
    python -m tools.run_main 0-main.py --history h.json --save-model m.keras
    python -m tools.run_main 3-main.py --task-dir sample   # sample's VAE

The main's code is not touched: `Model.fit` is wrapped so that it can train
on the first --train samples for at most --epochs epochs (validating on the
first --val), record each epoch's losses and seconds to --history, and save
the trained model to --save-model. With --task-dir, the main's
`__import__` finds the task files of that folder first. Everything the main
prints and shows is unchanged (select tools.png_backend through MPLBACKEND
to keep figures).
"""
import argparse
import json
import os
import re
import runpy
import sys
import time

import tensorflow as tf


class EpochRecorder(tf.keras.callbacks.Callback):
    """Keeps each epoch's logged values and its wall-clock seconds."""

    def __init__(self):
        super().__init__()
        self.history = {'seconds': []}
        self._started = None

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.history['seconds'].append(time.perf_counter() - self._started)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))


def wrap_fit(train=None, val=None, epochs=None, history=None,
             save_model=None):
    """Replace Model.fit by one that shortens, records and saves as asked."""
    original_fit = tf.keras.Model.fit

    def fit(self, x=None, y=None, *args, **kwargs):
        if epochs is not None:
            kwargs['epochs'] = min(kwargs.get('epochs', 1), epochs)
        if train is not None:
            x, y = x[:train], y[:train]
        if val is not None and kwargs.get('validation_data') is not None:
            kwargs['validation_data'] = tuple(
                part[:val] for part in kwargs['validation_data'])
        recorder = EpochRecorder()
        kwargs['callbacks'] = list(kwargs.get('callbacks') or []) + [recorder]
        result = original_fit(self, x, y, *args, **kwargs)
        if history:
            with open(history, 'w') as stream:
                json.dump(recorder.history, stream, indent=1)
        if save_model:
            self.save(save_model)
        return result

    tf.keras.Model.fit = fit


def headless_environment(figures_dir, figures_name=''):
    """Return this process's environment set to run a main headless.

    Its figures go to figures_dir as PNG files (tools.png_backend), named
    after figures_name if given, else after the main; TensorFlow keeps its
    start-up notices to itself.
    """
    return dict(os.environ, MPLBACKEND='module://tools.png_backend',
                FIGURES_DIR=str(figures_dir), FIGURES_NAME=figures_name,
                TF_CPP_MIN_LOG_LEVEL='2')


def printed_lines(stdout):
    """Return the lines a main printed itself, without Keras's progress bars.

    A progress bar redraws itself with carriage returns and backspaces, and
    on Keras 3 colours itself with ANSI escapes; its lines start `N/M `.
    """
    stdout = re.sub(r'\x1b\[[0-9;]*m', '', stdout)
    lines = [re.split('[\r\b]+', line)[-1].strip()
             for line in stdout.splitlines()]
    return [line for line in lines if line
            and not re.match(r'\d+/\d+ ', line)
            and not line.startswith('Epoch ')]


def main(argv=None):
    """Parse the arguments, wrap fit, and run the main as a script."""
    parser = argparse.ArgumentParser(
        description='Run a task main unedited, shortened or recorded.')
    parser.add_argument('main', help='path of the main script to run')
    parser.add_argument('--train', type=int, help='train on this many')
    parser.add_argument('--val', type=int, help='validate on this many')
    parser.add_argument('--epochs', type=int, help='train at most this long')
    parser.add_argument('--history', help='write per-epoch values here')
    parser.add_argument('--save-model', help='save the trained model here')
    parser.add_argument('--task-dir',
                        help='import task files from this folder first')
    args = parser.parse_args(argv)
    wrap_fit(args.train, args.val, args.epochs, args.history,
             args.save_model)
    path = os.path.abspath(args.main)
    # As `python 0-main.py` would: its folder first on the path, its name
    # in argv (the PNG backend names figures after it).
    sys.path.insert(0, os.path.dirname(path))
    if args.task_dir:
        sys.path.insert(0, os.path.abspath(args.task_dir))
    sys.argv = [path]
    runpy.run_path(path, run_name='__main__')


if __name__ == '__main__':
    main()
