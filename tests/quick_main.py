"""Run one of the task's mains unedited, with training cut short from outside.

    python tests/quick_main.py 0-main.py [--train 1024] [--val 256] [--epochs 1]

`Model.fit` is wrapped so that it trains on the first --train samples for at
most --epochs epochs and validates on the first --val; everything else the
main does, including what it prints and the figures it shows, is unchanged.
"""
import argparse
import os
import runpy
import sys

import tensorflow as tf


def shorten_fit(train, val, epochs):
    """Wrap Model.fit so that every call trains on a small slice briefly."""
    original_fit = tf.keras.Model.fit

    def quick_fit(self, x=None, y=None, *args, **kwargs):
        kwargs['epochs'] = min(kwargs.get('epochs', 1), epochs)
        validation = kwargs.get('validation_data')
        if validation is not None:
            kwargs['validation_data'] = tuple(part[:val]
                                              for part in validation)
        return original_fit(self, x[:train], y[:train], *args, **kwargs)

    tf.keras.Model.fit = quick_fit


def main():
    """Parse the arguments, shorten fit, and run the main as a script."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('main', help='path of the main script to run')
    parser.add_argument('--train', type=int, default=1024)
    parser.add_argument('--val', type=int, default=256)
    parser.add_argument('--epochs', type=int, default=1)
    args = parser.parse_args()
    shorten_fit(args.train, args.val, args.epochs)
    path = os.path.abspath(args.main)
    # As `python 0-main.py` would: its folder first on the path, its name
    # in argv (the PNG backend names figures after it).
    sys.path.insert(0, os.path.dirname(path))
    sys.argv = [path]
    runpy.run_path(path, run_name='__main__')


if __name__ == '__main__':
    main()
