"""Which fingerprinting engine tells disguised copies from independent work?

    python -m lab.similarity.compare_engines [PUBLIC] [--out FILE]
        [--dolos NODE_MODULES]

PUBLIC holds one folder per known solution of the task (public ones, with
this project's files added); without it, the test set (this project's
files and tests/independent/). For each task, the independent pairs are
every two different solutions; the copies are each solution against each
of its disguises (grading/similarity/disguise.py). Each engine scores both
at its own default settings: copydetect (winnowing over Pygments tokens),
compare50 (CS50's `structure` pass) and Dolos (tree-sitter, through
@dodona/dolos-lib and Node.js). Written per engine and task: the area
under the ROC curve, the share of copies above the independent pairs'
95th percentile, the separation (the gap between the copies' 5th and the
independent pairs' 95th percentile, in robust standard deviations of the
latter), both distributions' quantiles, and the time taken.
`make similarity-engines` installs the three in a folder of their own.
"""
import argparse
import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from grading.similarity import canonical, disguise, engine, rule
from lab.similarity import solutions
from lab.similarity.solutions import read
from tools.machine import describe
from tools.task import REPO, TASK_FILES

DOLOS_SCRIPT = r"""
import { Dolos } from "@dodona/dolos-lib";
const paths = JSON.parse(process.argv[2]);
const report = await new Dolos({ language: "python" }).analyzePaths(paths);
const pairs = report.allPairs().map(pair => [
  pair.leftFile.path, pair.rightFile.path,
  Math.max(pair.leftCovered / pair.leftTotal,
           pair.rightCovered / pair.rightTotal)]);
console.log(JSON.stringify(pairs));
"""


def copydetect_scores(paths):
    """Return {(a, b): score} for every two paths, by copydetect."""
    prints = {path: engine.fingerprint(read(path)) for path in paths}
    return {(a, b): engine.compare(prints[a], prints[b]).score
            for i, a in enumerate(paths) for b in paths[i + 1:]}


def compare50_scores(paths):
    """Return {(a, b): score}, compare50's structure pass's own score."""
    import compare50
    from compare50 import _api, _data, passes
    _api.Executor = _api.FauxExecutor
    _api.progress_bar = lambda *args, **kwargs: _api._ProgressBar(
        disable=True)
    preprocessor = _data.Preprocessor(passes.structure.preprocessors)
    submissions = [compare50.Submission(os.path.dirname(path),
                                        [os.path.basename(path)],
                                        preprocessor=preprocessor)
                   for path in paths]
    by_id = {submission.id: str(os.path.join(submission.path,
                                             submission.files[0].name))
             for submission in submissions}
    found = passes.structure.comparator.score(submissions, [], [])
    scores = {(a, b): 0.0 for i, a in enumerate(paths) for b in paths[i + 1:]}
    for score in found:
        a, b = by_id[score.sub_a.id], by_id[score.sub_b.id]
        scores[(a, b) if (a, b) in scores else (b, a)] = float(score.score)
    return scores


def dolos_scores(paths, node_modules):
    """Return {(a, b): score} by Dolos, run by Node.js."""
    with tempfile.NamedTemporaryFile('w', suffix='.mjs',
                                     dir=os.path.dirname(node_modules),
                                     delete=False) as script:
        script.write(DOLOS_SCRIPT)
    try:
        printed = subprocess.run(
            ['node', script.name, json.dumps(paths)], check=True,
            capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)
    scores = {(a, b): 0.0 for i, a in enumerate(paths) for b in paths[i + 1:]}
    for a, b, score in json.loads(printed):
        scores[(a, b) if (a, b) in scores else (b, a)] = score
    return scores


def corpus(folders, folder):
    """Write each solution and its disguises under folder, task by task.

    folders maps a solution's name to its folder. Return {task:
    (originals, {disguised path: its original's path})}.
    """
    made = {}
    for task in TASK_FILES:
        originals, copies = [], {}
        for name, solution in sorted(folders.items()):
            source_path = os.path.join(solution, task + '.py')
            if not os.path.isfile(source_path):
                continue
            source = read(source_path)
            try:
                disguised = {how: disguise.disguise(source, how, seed)
                             for seed, how in enumerate(
                                 list(disguise.DISGUISES) + ['all'])}
            except SyntaxError:
                continue
            originals.append(source_path)
            for how, text in disguised.items():
                path = os.path.join(folder, task, name,
                                    how.replace(' ', '-') + '.py')
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w') as stream:
                    stream.write(text)
                copies[path] = source_path
        made[task] = originals, copies
    return made


def canonical_corpus(made, folder):
    """Return made with every file replaced by its canonical form."""
    def rewrite(path):
        new_path = os.path.join(folder, os.path.relpath(path, '/'))
        os.makedirs(os.path.dirname(new_path), exist_ok=True)
        with open(new_path, 'w') as stream:
            stream.write(canonical.canonical(read(path)))
        return new_path
    result = {}
    for task, (originals, copies) in made.items():
        new_originals = {path: rewrite(path) for path in originals}
        result[task] = (list(new_originals.values()),
                        {rewrite(copy): new_originals[original]
                         for copy, original in copies.items()})
    return result


def roc_auc(positives, negatives):
    """Return the chance that a copy outscores an independent pair."""
    positives, negatives = np.asarray(positives), np.asarray(negatives)
    above = (positives[:, None] > negatives[None, :]).mean()
    ties = (positives[:, None] == negatives[None, :]).mean()
    return float(above + ties / 2)


def separation(copied, independent):
    """Return the gap between copies and independent pairs, scale-free.

    The copies' 5th percentile less the independent pairs' 95th, in units
    of the independent pairs' robust standard deviation (1.4826 MADs):
    the z-score the flagging rule (rule.py) would see, so engines whose
    scores live on different scales (compare50's are unbounded) compare.
    """
    independent = np.asarray(independent)
    scale = rule.MAD_TO_SIGMA * np.median(
        np.abs(independent - np.median(independent)))
    gap = np.quantile(copied, 0.05) - np.quantile(independent, 0.95)
    # Where most independent pairs score exactly alike (compare50 gives
    # most of them 0), the MAD is 0: a floor of 1% of the copies' median
    # keeps the figure finite and as free of scale as the rest.
    return float(gap / max(scale, 0.01 * abs(np.median(copied))))


def quantiles(values):
    return {str(q): round(float(np.quantile(values, q)), 4)
            for q in (0.0, 0.05, 0.5, 0.95, 0.99, 1.0)}


def measure(score_pairs, originals, copies):
    """Score one task's files with one engine; return its figures."""
    paths = originals + sorted(copies)
    start = time.monotonic()
    scores = score_pairs(paths)
    seconds = time.monotonic() - start

    def score(a, b):
        return scores[(a, b)] if (a, b) in scores else scores[(b, a)]
    independent = [score(a, b) for i, a in enumerate(originals)
                   for b in originals[i + 1:]]
    copied = [score(copy, original) for copy, original in copies.items()]
    by_disguise = {}
    for copy, original in copies.items():
        how = os.path.basename(copy)[:-3]
        by_disguise.setdefault(how, []).append(score(copy, original))
    # Public solutions include real copies of each other, which make the
    # 99th percentile of "independent" pairs a copy's score.
    threshold = float(np.quantile(independent, 0.95))
    return {'auc': round(roc_auc(copied, independent), 4),
            'separation': round(separation(copied, independent), 2),
            'copies above the independent 95th percentile': round(
                float(np.mean(np.asarray(copied) > threshold)), 4),
            'copies above, by disguise': {
                how: round(float(np.mean(np.asarray(values) > threshold)), 4)
                for how, values in sorted(by_disguise.items())},
            'independent pairs': len(independent), 'copies': len(copied),
            'independent': quantiles(independent),
            'copied': quantiles(copied),
            'seconds': round(seconds, 2), 'files': len(paths)}


def engines(dolos):
    """Return {name: function of paths}, for the engines installed."""
    found = {'copydetect': copydetect_scores}
    try:
        import compare50  # noqa: F401
        found['compare50'] = compare50_scores
    except ImportError:
        print('compare50 is not installed: left out', file=sys.stderr)
    if dolos and os.path.isdir(os.path.join(dolos, '@dodona', 'dolos-lib')):
        found['dolos'] = lambda paths: dolos_scores(paths, dolos)
    else:
        print('Dolos is not installed (--dolos): left out', file=sys.stderr)
    return found


def versions(dolos):
    """Return the version of each engine here."""
    found = {}
    for package in ('copydetect', 'compare50', 'Pygments'):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    manifest = dolos and os.path.join(dolos, '@dodona', 'dolos-lib',
                                      'package.json')
    if manifest and os.path.isfile(manifest):
        with open(manifest) as stream:
            found['dolos-lib'] = json.load(stream)['version']
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('public', nargs='?', help='a folder of known '
                        'solutions (default: the test set)')
    parser.add_argument('--out', help='default: results/similarity-engines'
                        '.json, or -testset.json for the test set')
    parser.add_argument('--dolos', metavar='NODE_MODULES',
                        help='the node_modules folder holding dolos-lib')
    args = parser.parse_args(argv)
    out = args.out or os.path.join(REPO, 'results', 'similarity-engines{}'
                                   '.json'.format('' if args.public
                                                  else '-testset'))
    results = {'command': 'make similarity-engines' + (
                   ' PUBLIC=DIR' if args.public else ''),
               'machine': describe(),
               'versions': versions(args.dolos),
               'solutions': solutions.described(args.public),
               'disguises': list(disguise.DISGUISES) + ['all'],
               'engines': {}}
    with tempfile.TemporaryDirectory() as folder:
        made = corpus(solutions.folders(args.public),
                      os.path.join(folder, 'raw'))
        inputs = {'raw': made, 'canonical': canonical_corpus(
            made, os.path.join(folder, 'canonical'))}
        for name, score_pairs in engines(args.dolos).items():
            for form, files in inputs.items():
                for task, (originals, copies) in files.items():
                    figures = measure(score_pairs, originals, copies)
                    results['engines'].setdefault(name, {}).setdefault(
                        form, {})[task] = figures
                    print('{:10} {:9} {:16} AUC {:.3f}, separation {:5.2f}, '
                          '{:.0%} of copies above the independent 95th '
                          'percentile, {:.1f} s'.format(
                              name, form, task, figures['auc'],
                              figures['separation'], figures[
                                  'copies above the independent 95th '
                                  'percentile'], figures['seconds']),
                          flush=True)
    with open(out, 'w') as stream:
        json.dump(results, stream, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
