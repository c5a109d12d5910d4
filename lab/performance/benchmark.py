"""Where the convolutional model's training time goes, and what speeds it up.

    python -m lab.performance.benchmark [--epochs 3] [--rounds 3]
                                          [--out FILE]

Each variant trains the task's convolutional autoencoder on all of MNIST
with the main's batch size (256) in a fresh process, since thread counts
and oneDNN are fixed when TensorFlow starts. The first epoch (which traces
the graph) is dropped; the others are the samples. Variants run interleaved,
round after round, so that the shared machine's noise falls on all of them,
and each is reported as the median of its epochs and as a ratio to the
default's median in the same run. A per-layer profile of one training step
and a float32 matmul (the attainable peak) are measured too.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from tools import mnist, task

BATCH = 256
# name: (environment for the worker, what the worker changes, description)
VARIANTS = {
    'default': ({}, None, 'as the main runs it'),
    'onednn-off': ({'TF_ENABLE_ONEDNN_OPTS': '0'}, None,
                   'oneDNN disabled before TensorFlow starts'),
    # The mains set TF_ENABLE_ONEDNN_OPTS=0 only after importing TensorFlow.
    'onednn-off-late': ({}, 'onednn_off_after_import',
                        'TF_ENABLE_ONEDNN_OPTS=0 set after import, as the '
                        'mains do'),
    'intra-op-1': ({}, 'intra_op_1', 'one intra-op thread'),
    'inter-op-1': ({}, 'inter_op_1', 'one inter-op thread'),
    'tf-data': ({}, 'tf_data', 'tf.data input with prefetch'),
    'xla': ({}, 'xla', 'compiled with jit_compile=True (XLA)'),
    'steps-16': ({}, 'steps_16', 'compiled with steps_per_execution=16'),
}


def time_epochs(epochs, change):
    """Train the task's convolutional model; return seconds per epoch."""
    import numpy as np
    import tensorflow as tf
    if change == 'onednn_off_after_import':
        os.environ['TF_ENABLE_ONEDNN_OPTS'] = '0'
    if change == 'intra_op_1':
        tf.config.threading.set_intra_op_parallelism_threads(1)
    if change == 'inter_op_1':
        tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.keras.utils.set_random_seed(0)
    _, _, auto = task.build('2-main')
    if change == 'xla':
        auto.compile(optimizer='adam', loss='binary_crossentropy',
                     jit_compile=True)
    if change == 'steps_16':
        auto.compile(optimizer='adam', loss='binary_crossentropy',
                     steps_per_execution=16)
    (x, _), _ = mnist.load()
    x = x[..., np.newaxis]
    seconds = []
    data = x
    if change == 'tf_data':
        data = (tf.data.Dataset.from_tensor_slices((x, x))
                .shuffle(len(x)).batch(BATCH).prefetch(tf.data.AUTOTUNE))
    for _ in range(epochs):
        started = time.perf_counter()
        if change == 'tf_data':
            auto.fit(data, epochs=1, verbose=0)
        else:
            auto.fit(x, x, epochs=1, batch_size=BATCH, shuffle=True,
                     verbose=0)
        seconds.append(time.perf_counter() - started)
    return seconds


def median_seconds(run, repeats):
    """Call run once untimed (tracing, warm-up); return the median seconds
    of repeats further calls."""
    run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def profile_layers(repeats=30):
    """Return [(layer, median ms)] of forward+backward at batch 256."""
    import tensorflow as tf
    _, _, auto = task.build('2-main')
    rows = []
    for model in auto.layers[1:]:
        for layer in model.layers[1:]:
            shape = (BATCH,) + tuple(int(n) for n in layer.input.shape[1:])
            inputs = tf.random.uniform(shape)

            # Straight-line code: nothing for AutoGraph to convert.
            @tf.function(autograph=False)
            def step(inputs, layer=layer):
                with tf.GradientTape() as tape:
                    tape.watch(inputs)
                    loss = tf.reduce_sum(layer(inputs))
                return tape.gradient(loss, [inputs]
                                     + layer.trainable_weights)
            seconds = median_seconds(
                lambda: [t.numpy() for t in step(inputs)], repeats)
            rows.append(('{} {}'.format(model.name, type(layer).__name__),
                         tuple(int(n) for n in layer.output.shape[1:]),
                         1000 * seconds))
    x = tf.random.uniform((BATCH, 28, 28, 1))
    return rows, 1000 * median_seconds(lambda: auto.train_on_batch(x, x),
                                       repeats)


def matmul_gflops(size=2048, repeats=20):
    """Return the median GFLOP/s of a float32 size x size matmul."""
    import tensorflow as tf
    a = tf.random.uniform((size, size))
    b = tf.random.uniform((size, size))
    seconds = median_seconds(lambda: tf.matmul(a, b).numpy(), repeats)
    return 2 * size ** 3 / seconds / 1e9


def worker(variant, epochs):
    """Run one variant in this process; print its epoch seconds as JSON."""
    print(json.dumps(time_epochs(epochs, VARIANTS[variant][1])))


def run_variant(variant, epochs):
    """Run one variant in a fresh process.

    Returns its epoch seconds, or the error that stopped it.
    """
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2',
                       **VARIANTS[variant][0])
    result = subprocess.run(
        [sys.executable, '-m', 'lab.performance.benchmark',
         '--worker', variant, '--epochs', str(epochs)],
        cwd=task.REPO, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines()
                  if 'Error' in line] or result.stderr.splitlines()[-1:]
        return errors[-1].strip()
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    """Run every variant interleaved, then the profile; print and save."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--variants', nargs='*', default=list(VARIANTS))
    parser.add_argument('--out', help='write the results here as JSON')
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.epochs)
        return 0
    mnist.provision()
    samples = {variant: [] for variant in args.variants}
    failures = {}
    for round_number in range(1, args.rounds + 1):
        for variant in args.variants:
            if variant in failures:
                continue
            seconds = run_variant(variant, args.epochs)
            if isinstance(seconds, str):
                failures[variant] = seconds
                print('round {}/{} {:<11} failed: {}'.format(
                    round_number, args.rounds, variant, seconds[:300]))
                continue
            samples[variant] += seconds[1:]
            print('round {}/{} {:<11} {}'.format(
                round_number, args.rounds, variant,
                ' '.join('{:.2f}'.format(s) for s in seconds)), flush=True)
    medians = {variant: statistics.median(times)
               for variant, times in samples.items() if times}
    baseline = medians.get('default')
    print('\nvariant      median s/epoch  ratio to default')
    for variant, median in medians.items():
        ratio = median / baseline if baseline else float('nan')
        print('{:<12} {:>14.2f}  {:>16.3f}  {}'.format(
            variant, median, ratio, VARIANTS[variant][2]))
    layers, step_ms = profile_layers()
    print('\nper-layer forward+backward at batch {} (median ms)'.format(BATCH))
    for name, shape, ms in layers:
        print('{:<24} {:<14} {:>7.2f}  {:>5.1%}'.format(
            name, str(shape), ms, ms / step_ms))
    print('{:<39} {:>7.2f}  (one whole training step)'.format('', step_ms))
    peak = matmul_gflops()
    print('\nfloat32 2048x2048 matmul: {:.1f} GFLOP/s'.format(peak))
    if args.out:
        with open(args.out, 'w') as stream:
            json.dump({'epochs_per_run': args.epochs, 'rounds': args.rounds,
                       'samples': samples, 'medians': medians,
                       'failures': failures,
                       'layers': layers, 'train_step_ms': step_ms,
                       'matmul_gflops': peak}, stream, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
