"""How long a class's comparison takes as the class grows.

    python -m lab.similarity.benchmark [--public DIR] [--sizes 50 100 200]
        [--rounds 3] [--out FILE]

A class of N is N disguised copies of the solutions in DIR (each a
solution with one disguise, or all of them, then renamed, with a seed of
its own; grading/similarity/disguise.py); without DIR, of the test set
(lab/similarity/solutions.py). Each size is compared from
scratch, as `make check SOLUTIONS=` does on its first run, ROUNDS times
(the median is quoted), then once more from the cache with one new
submission, as a rerun does. Written: seconds, file pairs, microseconds
per file pair, with the machine beside them.
"""
import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time

from grading.similarity import compare, disguise, engine
from lab.similarity import solutions
from tools.machine import describe
from tools.task import REPO

WAYS = list(disguise.DISGUISES) + ['all']


def write_class(folder, size, sources):
    """Write size disguised submissions under folder; return {name: path}."""
    made = {}
    for number, (original, way) in enumerate(itertools.islice(
            itertools.cycle(itertools.product(range(len(sources)), WAYS)),
            size)):
        path = os.path.join(folder, 'submission-{:03d}'.format(number))
        os.makedirs(path)
        for task, source in sources[original].items():
            try:
                # Renamed as well, so that no two copies are the same text
                # (the cache would compare those once).
                text = disguise.disguise(disguise.disguise(
                    source, way, seed=number), 'rename', seed=number)
            except SyntaxError:
                text = source
            with open(os.path.join(path, task + '.py'), 'w') as stream:
                stream.write(text)
        made[os.path.basename(path)] = path
    return made


def progress(message):
    print(message, file=sys.stderr, flush=True)


def measure(size, sources, rounds):
    """Return the figures of one class size."""
    with tempfile.TemporaryDirectory() as folder:
        submissions = write_class(folder, size + 1, sources)
        late = sorted(submissions)[-1]
        first = {name: path for name, path in submissions.items()
                 if name != late}
        seconds = []
        for number in range(rounds):
            start = time.monotonic()
            found = compare.compare_class(first)
            seconds.append(time.monotonic() - start)
            progress('  {} submissions, round {} of {}: {:.1f} s'.format(
                size, number + 1, rounds, seconds[-1]))
        cache = os.path.join(folder, 'cache.json')
        compare.compare_class(first, cache_path=cache)
        start = time.monotonic()
        again = compare.compare_class(submissions, cache_path=cache)
        rerun = time.monotonic() - start
    pairs = sum(len(tasks) for tasks in found.task_scores.values())
    median = statistics.median(seconds)
    return {'submissions': size, 'file pairs': pairs,
            'seconds': [round(value, 2) for value in seconds],
            'median seconds': round(median, 2),
            'microseconds per file pair': round(1e6 * median / pairs, 1),
            'flagged pairs': sum(judgement.flagged
                                 for judgement in found.judged.values()),
            'rerun with one new submission': {
                'seconds': round(rerun, 2),
                'files fingerprinted': again.fingerprinted,
                'from the cache': again.cached}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--public', metavar='DIR',
                        help='solutions to copy from (default: the tests\')')
    parser.add_argument('--sizes', type=int, nargs='+',
                        default=[50, 100, 200])
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--out', default=os.path.join(
        REPO, 'results', 'similarity-benchmark.json'))
    args = parser.parse_args(argv)
    sources = list(solutions.sources(args.public).values())
    results = {
        'command': 'make benchmark-similarity' + (
            ' PUBLIC=DIR' if args.public else ''),
        'machine': describe(),
        'engine': engine.VERSION,
        'copied from': ('{} public solutions'.format(len(sources))
                        if args.public else 'the test set: this project '
                        'and tests/independent/'),
        'sizes': []}
    for size in args.sizes:
        progress('{} submissions: writing and comparing'.format(size))
        results['sizes'].append(measure(size, sources, args.rounds))
    smallest = results['sizes'][0]
    for row in results['sizes']:
        row['time / smallest class\'s'] = round(
            row['median seconds'] / smallest['median seconds'], 2)
        row['pairs / smallest class\'s'] = round(
            row['file pairs'] / smallest['file pairs'], 2)
    with open(args.out, 'w') as stream:
        json.dump(results, stream, indent=1)
        stream.write('\n')
    for row in results['sizes']:
        print('{submissions} submissions: {file pairs} file pairs in '
              '{median seconds} s (median), {microseconds per file pair} us '
              'a pair'.format(**row))
    return 0


if __name__ == '__main__':
    sys.exit(main())
