"""Build the latent explorer: one offline page where the VAE runs, both halves.

    python -m lab.explorer                   # from make reproduce's models
    python -m lab.explorer --quick --results R --out FILE   # small data
    python -m lab.explorer --speed FILE         # time the page in Chromium

Reads the autoencoders `make reproduce` saved in <results>/models/ and
writes one HTML file (by default results/explorer/index.html) with all it
needs inline: the VAE encoder's and decoder's weights (the large kernels
in float16, the rest in float32), the latent means and log variances of
the test digits, PNG sprites of every test digit (in 16 grey levels) and
of each model's reconstructions of a fixed set of them (ten of each class),
those reconstructions' cross-entropies, the vanilla and sparse codes, and
the runs the models came from (<results>/runs.json), which also go beside
the page as runs.json, its record of them. No request leaves it.
With --quick it uses 1,000 test digits, for the models of a quick run.
Where headless Chromium is installed (tools/browser.py) it also takes a
screenshot of the page in a 1280x800 viewport (--screenshot, by default
explorer.png beside it), and with --speed measures in it how many encodes
and decodes a second the page makes, how long a cursor move takes to
redraw the digit and a pen stroke to redraw the drawing's Gaussian and
samples, into a JSON file.
"""
import argparse
import base64
import datetime
import io
import json
import os
import sys

import numpy as np

from lab.reproduce.runs import load_autoencoder, load_runs
from tools import browser, mnist
from tools.losses import binary_crossentropy
from tools.task import MODEL_NAMES, REPO

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(REPO, 'results', 'explorer', 'index.html')
MODELS = list(MODEL_NAMES.items())
PER_CLASS = 10           # digits of each class in the models panel
AMONG = 1000             # the models panel's digits come from the first ones
GREY_LEVELS = 16         # the shown test digits' greys: a third of the size
HALF_ABOVE = 4096        # kernels of more values are stored in float16
NEAR_ZERO = 0.01         # a code unit below this is off, as in the gallery
SPRITE_COLUMNS = 40
# The page's script says so once it has drawn.
READY = ('return !!(window.explorer && '
         'window.explorer.state.ready)')


def base64_of(array, dtype):
    """Return an array's bytes, little-endian, as base64 text."""
    return base64.b64encode(np.ascontiguousarray(
        array, dtype=np.dtype(dtype).newbyteorder('<')).tobytes()).decode()


def sprite(images, columns=SPRITE_COLUMNS, levels=256):
    """Return {png, columns}: images (n, 28, 28) in [0, 1] as one grey PNG.

    With fewer levels the greys are rounded to that many, evenly spaced.
    """
    from PIL import Image
    rows = -(-len(images) // columns)
    canvas = np.zeros((rows * 28, columns * 28), 'uint8')
    for number, image in enumerate(images):
        row, column = divmod(number, columns)
        canvas[row * 28:row * 28 + 28, column * 28:column * 28 + 28] = \
            np.round(np.round(np.clip(image, 0, 1) * (levels - 1))
                     * 255 / (levels - 1))
    stream = io.BytesIO()
    Image.fromarray(canvas).save(stream, 'PNG', optimize=True)
    return {'png': base64.b64encode(stream.getvalue()).decode(),
            'columns': columns}


def fixed_digits(labels, per_class=PER_CLASS, among=AMONG):
    """Return the first per_class test digits of each class, in index order."""
    chosen = [index for digit in range(10)
              for index in np.flatnonzero(labels[:among] == digit)[:per_class]]
    return sorted(int(index) for index in chosen)


def dense_layer(layer):
    """Return a Dense layer as the page reads it.

    A kernel of more than HALF_ABOVE values is stored in float16, which
    keeps the page's outputs within a grey level of Keras's.
    """
    kernel, bias = layer.get_weights()
    dtype = 'float16' if kernel.size > HALF_ABOVE else 'float32'
    return {'inputs': int(kernel.shape[0]), 'units': int(kernel.shape[1]),
            'activation': layer.activation.__name__, 'dtype': dtype,
            'kernel': base64_of(kernel, dtype),
            'bias': base64_of(bias, 'float32')}


def decoder_layers(decoder):
    """Return the decoder's Dense layers as the page reads them."""
    return [dense_layer(layer) for layer in decoder.layers
            if layer.get_weights()]


def encoder_layers(encoder):
    """Return the encoder's hidden layers and its two heads for the page.

    The heads are the layers that make the encoder's outputs 1 and 2 (the
    mean and the log variance), wherever they stand among its layers.
    """
    heads = [output._keras_history[0] for output in encoder.outputs[1:3]]
    hidden = [layer for layer in encoder.layers if layer.get_weights()
              and not any(layer is head for head in heads)]
    return {'hidden': [dense_layer(layer) for layer in hidden],
            'mean': dense_layer(heads[0]), 'log_var': dense_layer(heads[1])}


def latent_square(means):
    """Return [centre x, centre y, half side]: a square around the means.

    A square, so that one latent unit spans as many pixels across as up.
    """
    low, high = np.percentile(means, [0.2, 99.8], axis=0)
    centre = (low + high) / 2
    half = 1.08 * float(np.max(high - low)) / 2
    return [float(centre[0]), float(centre[1]), half]


def page_runs(runs, results):
    """Return the runs of the page's models, as make reproduce recorded them.

    Their per-epoch histories are left out: the page's record is short.
    """
    found = {}
    for name, _ in MODELS:
        if name not in runs:
            raise SystemExit('{} has no run {}: run make reproduce first'
                             .format(os.path.join(results, 'runs.json'),
                                     name))
        found[name] = {key: value for key, value in runs[name].items()
                       if key != 'history'}
    return found


def run_rows(runs):
    """Return what the footer says of each model's run."""
    rows = []
    for name, model in MODELS:
        run = runs[name]
        rows.append({'name': name, 'model': model,
                     'tensorflow': run['tensorflow'], 'keras': run['keras'],
                     'epochs': run['epochs'], 'loss': run['loss'],
                     'val_loss': run['val_loss'], 'cpu': run.get('cpu'),
                     'isa': run.get('isa'), 'date': run.get('date')})
    return rows


def page_data(results, quick, runs):
    """Return the data block of the page, from the models in results.

    runs are the page's runs (page_runs), named by record, its path.
    """
    with np.load(mnist.cache_path()) as data:
        x_test, labels = data['x_test'], data['y_test']
    if quick:
        x_test, labels = x_test[:AMONG], labels[:AMONG]
    x = x_test.astype('float32') / 255.
    flat = x.reshape(-1, 784)
    models = {name: load_autoencoder(results, name) for name, _ in MODELS}
    vae_encoder, vae_decoder = models['3-main'].layers[1:3]
    _, means, log_vars = vae_encoder.predict(flat, batch_size=1000,
                                             verbose=0)
    digits = fixed_digits(labels)
    chosen = flat[digits]
    reconstructions, bce = [], []
    for name, _ in MODELS:
        auto = models[name]
        if name == '2-main':
            rebuilt = auto.predict(chosen.reshape(-1, 28, 28, 1),
                                   verbose=0).reshape(-1, 784)
        elif name == '3-main':
            rebuilt = vae_decoder.predict(means[digits], verbose=0)
        else:
            rebuilt = auto.predict(chosen, verbose=0)
        reconstructions.append(rebuilt)
        bce.append(binary_crossentropy(chosen, rebuilt).mean(axis=1))
    # Sprite order: digit by digit, the models in MODELS' order.
    interleaved = np.stack(reconstructions, axis=1).reshape(-1, 28, 28)
    codes = {MODEL_NAMES[name]: models[name].layers[1].predict(
        chosen, verbose=0) for name in ('0-main', '1-main')}
    return {
        'latent': {'means': base64_of(means, 'float32'),
                   'log_vars': base64_of(log_vars, 'float32'),
                   'labels': base64_of(labels, 'uint8'),
                   'square': latent_square(means)},
        'encoder': encoder_layers(vae_encoder),
        'decoder': decoder_layers(vae_decoder),
        'images': dict(sprite(x, columns=100, levels=GREY_LEVELS),
                       count=len(x), levels=GREY_LEVELS),
        'models': {'names': [label for _, label in MODELS], 'digits': digits,
                   'sprite': sprite(interleaved, columns=len(MODELS) * 10),
                   'bce': np.round(np.stack(bce, axis=1), 5).tolist(),
                   'codes': {label: base64_of(code, 'float32')
                             for label, code in codes.items()},
                   # One scale for both codes, so that the penalty shows.
                   'code_scale': float(max(code.max() for code in
                                           codes.values()))},
        'near_zero': NEAR_ZERO,
        'runs': run_rows(runs),
        'build': {'command': 'make explorer' + (' --quick' if quick else ''),
                  'runs': 'runs.json, beside this page',
                  'date': datetime.datetime.now(datetime.timezone.utc)
                  .strftime('%Y-%m-%d')}}


def read(name):
    """Return the text of one of the page's parts, beside this file."""
    with open(os.path.join(HERE, name)) as stream:
        return stream.read()


def build_page(data):
    """Return the page's HTML, everything inline."""
    # '</' cannot end the JSON's script element early.
    text = json.dumps(data, separators=(',', ':')).replace('</', '<\\/')
    return (read('page.html').replace('/*STYLE*/', read('explorer.css'))
            .replace('/*SCRIPT*/', read('explorer.js'))
            .replace('/*DATA*/', text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--results', default=os.path.join(REPO, 'results'),
                        help="make reproduce's folder (default: results/)")
    parser.add_argument('--out', default=OUT, help='the page to write '
                        '(default: results/explorer/index.html)')
    parser.add_argument('--quick', action='store_true',
                        help='1,000 test digits, for a quick run\'s models')
    parser.add_argument('--screenshot', help='where the screenshot goes '
                        '(default: explorer.png beside the page)')
    parser.add_argument('--speed', metavar='FILE',
                        help='also measure the page in Chromium into FILE')
    args = parser.parse_args(argv)
    runs = page_runs(load_runs(os.path.join(args.results, 'runs.json')),
                     args.results)
    html = build_page(page_data(args.results, args.quick, runs))
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, exist_ok=True)
    with open(args.out, 'w') as stream:
        stream.write(html)
    with open(os.path.join(folder, 'runs.json'), 'w') as stream:
        json.dump(runs, stream, indent=1, sort_keys=True)
        stream.write('\n')
    print('explorer: {} ({:.2f} MB)'.format(args.out,
                                            len(html.encode()) / 1e6))
    why = browser.missing()
    if why:
        print('explorer: no screenshot, ' + why)
        return 0
    window = browser.Browser(1280, 800)
    try:
        window.viewport(1280, 800)
        window.open(args.out, READY)
        shot = args.screenshot or os.path.join(os.path.dirname(args.out),
                                               'explorer.png')
        window.driver.save_screenshot(shot)
        print('explorer: screenshot {}'.format(shot))
        if args.speed:
            measure_speed(window, args.speed)
    finally:
        window.close()
    return 0


def measure_speed(window, path, rounds=5):
    """Time the page's decoder and redraws in the browser; write them to path.

    Each round decodes 2,000 points and moves the cursor 500 times over
    the plane; the figures are the rounds' medians.
    """
    import statistics
    from tools.machine import described_run
    measured = [window.script('return explorer.benchmark(2000, 500)')
                for _ in range(rounds)]
    version = window.driver.capabilities.get('browserVersion')
    result = {name: round(statistics.median(m[name] for m in measured), 3)
              for name in measured[0]}
    result['redraws_per_second'] = round(1000 / result['redraw_ms_median'])
    result['stroke_redraws_per_second'] = round(
        1000 / result['stroke_ms_median'])
    result.update(rounds=rounds, chromium=version, machine=described_run(),
                  how='explorer.benchmark(2000, 500) in headless Chromium, '
                  'the median of {} rounds'.format(rounds))
    with open(path, 'w') as stream:
        json.dump(result, stream, indent=1)
        stream.write('\n')
    print('explorer: {} decodes and {} encodes a second, {} ms from a cursor '
          'move to the redrawn digit, {} ms from a pen stroke to the redrawn '
          'Gaussian and samples (medians)'.format(
              round(result['decodes_per_second']),
              round(result['encodes_per_second']),
              result['redraw_ms_median'], result['stroke_ms_median']))


if __name__ == '__main__':
    sys.exit(main())
