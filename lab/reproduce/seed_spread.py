"""How much the final val_loss of the dense models moves with the seed.

    python -m lab.reproduce.seed_spread --seeds 1 2 3 [--epochs 50]
                                          [--out FILE]

Trains the vanilla and sparse models exactly as 0-main and 1-main do (all of
MNIST, batch 256, shuffled, validated on the test set) under other seeds,
and reports each run's final val_loss, split for the sparse model into the
reconstruction's binary cross-entropy and the L1 penalty.
"""
import argparse
import json
import sys

import numpy as np

from tools import mnist, task
from tools.losses import binary_crossentropy

DENSE_MAINS = ['0-main', '1-main']


def train(main, seed, epochs, x_train, x_test):
    """Train one model as its main does; return its final losses."""
    import tensorflow as tf
    tf.keras.backend.clear_session()
    tf.keras.utils.set_random_seed(seed)
    task_file, args = task.CALLS[main]
    encoder, _, auto = task.build(main)
    history = auto.fit(x_train, x_train, epochs=epochs, batch_size=256,
                       shuffle=True, validation_data=(x_test, x_test),
                       verbose=0)
    code = encoder.predict(x_test, verbose=0, batch_size=1000)
    bce = binary_crossentropy(
        x_test, auto.predict(x_test, verbose=0, batch_size=1000)).mean()
    penalty = args[3] * np.abs(code).sum(axis=1).mean() if len(args) > 3 \
        else 0.0
    return {'model': task_file, 'seed': seed,
            'val_loss': history.history['val_loss'][-1],
            'val_bce': float(bce), 'val_penalty': float(penalty)}


def main(argv=None):
    """Train each model under each seed; print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    parser.add_argument('--epochs', type=int, default=50)
    parser.add_argument('--out', help='write the results here as JSON')
    args = parser.parse_args(argv)
    (x_train, _), (x_test, _) = mnist.load(mnist.provision())
    x_train, x_test = x_train.reshape(-1, 784), x_test.reshape(-1, 784)
    rows = []
    for seed in args.seeds:
        for main in DENSE_MAINS:
            row = train(main, seed, args.epochs, x_train, x_test)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.out:
        with open(args.out, 'w') as stream:
            json.dump(rows, stream, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
