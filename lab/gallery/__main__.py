"""Draw the gallery: what the four trained models show of the concepts.

    python -m lab.gallery                  # from make reproduce's models
    python -m lab.gallery --quick --results R --out O   # small data

Reads the autoencoders `make reproduce` saved in <results>/models/, trains
what it needs beyond them (a denoising autoencoder, saved beside them and
reused the next time), and writes seven PNG figures and gallery.json, the
numbers docs/students.md quotes, to <out> (by default results/gallery/). With
--quick it uses 1,000 test images and trains the denoiser for one epoch on
1,024 digits, which checks the pipeline on the models of a quick
reproduction.
"""
import argparse
import json
import os
import sys

import matplotlib
import numpy as np

from lab.gallery import measures
from lab.reproduce.runs import load_autoencoder
from tools import fashion_mnist, mnist
from tools.task import MAINS, REPO, build

matplotlib.use('Agg')   # the figures go to files only
import matplotlib.pyplot as plt  # noqa: E402

NOISE = 0.5          # std of the Gaussian noise added for denoising
NEAR_ZERO = 0.01     # a code unit below this counts as off
PAIRS = [(0, 1), (2, 3), (4, 7)]   # test digits to interpolate between


def image_grid(ax, images, columns, title):
    """Show images (n, 28, 28) as one picture with the given columns."""
    rows = -(-len(images) // columns)
    canvas = np.ones((rows * 29 - 1, columns * 29 - 1))
    for number, image in enumerate(images):
        row, column = divmod(number, columns)
        canvas[row * 29:row * 29 + 28, column * 29:column * 29 + 28] = image
    ax.imshow(canvas, cmap='gray', vmin=0, vmax=1)
    ax.set_title(title)
    ax.axis('off')


def save(fig, out, name):
    """Write a figure to out/name.png and close it."""
    fig.tight_layout()
    fig.savefig(os.path.join(out, name + '.png'), dpi=110)
    plt.close(fig)


def encode(models, x):
    """Return the test set's codes: each dense model's, the VAE's Gaussian."""
    def encoder(main):
        return models[main].layers[1]
    _, means, log_vars = encoder('3-main').predict(x, verbose=0,
                                                   batch_size=1000)
    return {'vanilla': encoder('0-main').predict(x, verbose=0,
                                                 batch_size=1000),
            'sparse': encoder('1-main').predict(x, verbose=0,
                                                batch_size=1000),
            'VAE means': means, 'VAE log variances': log_vars}


def sparsity(codes, out):
    """Figure 1: the code activations, vanilla against sparse."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    numbers = {}
    labels = ('vanilla', 'sparse')
    top = max(codes[label].max() for label in labels)
    for label in labels:
        values = codes[label]
        numbers[label] = {
            'mean activation': float(values.mean()),
            'share at zero': float((values == 0).mean()),
            'share below {}'.format(NEAR_ZERO): measures.near_zero_share(
                values, NEAR_ZERO)}
        ax.hist(values.ravel(), bins=80, range=(0, top), histtype='step',
                linewidth=2, label='{}: mean {:.2f}, {:.0%} below {}'.format(
                    label, values.mean(), numbers[label][
                        'share below {}'.format(NEAR_ZERO)], NEAR_ZERO))
    ax.set_yscale('log')
    ax.set_xlabel('code unit activation (32 units per test digit)')
    ax.set_ylabel('count')
    ax.set_title('Sparsity: what the L1 penalty does to the code')
    ax.legend()
    save(fig, out, '1-sparsity')
    return numbers


def latent_space(codes, y, out):
    """Figure 2: vanilla codes by PCA beside the VAE's means."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2))
    for ax, points, title in (
            (axes[0], measures.pca_2d(codes['vanilla'].astype('float64')),
             'vanilla: 32-D codes, first two principal axes'),
            (axes[1], codes['VAE means'], 'VAE: 2-D means')):
        scatter = ax.scatter(points[:, 0], points[:, 1], c=y, cmap='tab10',
                             s=2)
        ax.set_title(title)
    fig.colorbar(scatter, ax=axes, ticks=range(10), label='digit')
    fig.savefig(os.path.join(out, '2-latent-space.png'), dpi=110)
    plt.close(fig)
    return {}


def generation(models, codes, out, rng):
    """Figure 3: decoding random codes, VAE against vanilla."""
    vae_decoder = models['3-main'].layers[2]
    vae = vae_decoder.predict(rng.standard_normal((100, 2)).astype(
        'float32'), verbose=0)
    vanilla_codes = codes['vanilla']
    draws = rng.multivariate_normal(vanilla_codes.mean(axis=0),
                                    np.cov(vanilla_codes, rowvar=False),
                                    size=100)
    vanilla = models['0-main'].layers[2].predict(draws.astype('float32'),
                                                 verbose=0)
    fig, axes = plt.subplots(1, 2, figsize=(12, 6.3))
    image_grid(axes[0], vae.reshape(-1, 28, 28), 10,
               'VAE decoder on z ~ N(0, I)')
    image_grid(axes[1], vanilla.reshape(-1, 28, 28), 10,
               'vanilla decoder on codes ~ N(mean, cov) of its codes')
    save(fig, out, '3-generation')
    return {}


def interpolation(models, codes, out):
    """Figure 4: ten steps between pairs of test digits."""
    steps = np.linspace(0, 1, 10)[:, np.newaxis]
    rows = []
    for first, last in PAIRS:
        for label, points, decoder in (
                ('VAE', codes['VAE means'], models['3-main'].layers[2]),
                ('vanilla', codes['vanilla'], models['0-main'].layers[2])):
            path = (1 - steps) * points[first] + steps * points[last]
            rows.append((label, decoder.predict(path.astype('float32'),
                                                verbose=0)))
    fig, axes = plt.subplots(len(rows), 1, figsize=(9, 1.15 * len(rows)))
    for ax, (label, images) in zip(axes, rows):
        image_grid(ax, images.reshape(-1, 28, 28), 10, '')
        ax.text(-8, 14, label, ha='right', va='center')
    fig.suptitle('Interpolation: VAE means against vanilla codes')
    save(fig, out, '4-interpolation')
    return {}


def noisy(images, rng):
    """Return images with Gaussian noise of std NOISE, clipped to [0, 1]."""
    return np.clip(images + NOISE * rng.standard_normal(images.shape),
                   0, 1).astype('float32')


def denoiser(results, x_train, epochs, rng):
    """Return the task's convolutional model trained to remove noise.

    Trained once and saved with the reproduction's models; later runs load
    it. Its training inputs are noisy digits, its targets the clean ones.
    """
    import tensorflow as tf
    path = os.path.join(results, 'models', 'denoiser-auto.keras')
    if os.path.exists(path):
        print('denoiser: trained, loaded from {}'.format(path), flush=True)
        return tf.keras.models.load_model(path)
    tf.keras.utils.set_random_seed(0)
    _, _, auto = build('2-main')
    print('denoiser: training for {} epochs ...'.format(epochs), flush=True)
    auto.fit(noisy(x_train, rng), x_train, epochs=epochs, batch_size=256,
             shuffle=True, verbose=2)
    auto.save(path)
    return auto


def denoising(models, x, denoise, out, rng):
    """Figure 5: noisy, denoised and clean test digits, with their BCE."""
    images = x.reshape(-1, 28, 28, 1)
    dirty = noisy(images, rng)
    outputs = {
        'noisy input': dirty,
        'task model on noisy input': models['2-main'].predict(
            dirty, verbose=0, batch_size=500),
        'denoiser on noisy input': denoise.predict(dirty, verbose=0,
                                                   batch_size=500)}
    numbers = {'noise std': NOISE, 'BCE against the clean digits': {
        label: float(measures.per_image_bce(images, output).mean())
        for label, output in outputs.items()}}
    fig, axes = plt.subplots(4, 1, figsize=(9, 5.2))
    for ax, (label, output) in zip(axes, list(outputs.items())
                                   + [('clean', images)]):
        image_grid(ax, output[:10, :, :, 0], 10, '{}{}'.format(
            label, ' (BCE {:.3f})'.format(
                numbers['BCE against the clean digits'][label])
            if label != 'clean' else ''))
    save(fig, out, '5-denoising')
    return numbers


def anomaly(models, x, fashion, out):
    """Figure 6: reconstruction error on digits and on clothes, and AUC."""
    auto = models['2-main']
    errors = {}
    for label, images in (('MNIST test digits', x), ('Fashion-MNIST test '
                                                     'images', fashion)):
        images = images.reshape(-1, 28, 28, 1)
        errors[label] = measures.per_image_bce(
            images, auto.predict(images, verbose=0, batch_size=500))
    digits, clothes = errors.values()
    auc = measures.roc_auc(digits, clothes)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    top = np.percentile(np.concatenate([digits, clothes]), 99.5)
    for label, values in errors.items():
        ax.hist(values, bins=80, range=(0, top), alpha=0.6,
                label='{} (median {:.3f})'.format(label, np.median(values)))
    ax.set_xlabel('reconstruction error (BCE per pixel)')
    ax.set_ylabel('images')
    ax.set_title('Anomaly detection with the convolutional autoencoder: '
                 'ROC AUC {:.3f}'.format(auc))
    ax.legend()
    save(fig, out, '6-anomaly')
    return {'ROC AUC': float(auc),
            'median BCE': {label: float(np.median(values))
                           for label, values in errors.items()}}


def kl_term(codes, out):
    """Figure 7: the VAE's means and log variances, and KL per dimension."""
    means, log_vars = codes['VAE means'], codes['VAE log variances']
    kl = measures.kl_per_dimension(means, log_vars)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    edges = np.linspace(-5, 5, 81)
    for dim in range(means.shape[1]):
        axes[0].hist(means[:, dim], bins=edges, alpha=0.6,
                     label='dim {}'.format(dim))
        axes[1].hist(log_vars[:, dim], bins=60, alpha=0.6,
                     label='dim {}'.format(dim))
    # The prior's density, as counts in bins of the histogram's width.
    grid = np.linspace(-5, 5, 200)
    axes[0].plot(grid, len(means) * (edges[1] - edges[0])
                 * np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi), 'k--',
                 label='N(0, 1), scaled')
    axes[0].set_title('means over the test set')
    axes[1].set_title('log variances over the test set')
    axes[2].bar([str(dim) for dim in range(len(kl))], kl)
    axes[2].set_title('KL per latent dimension (total {:.2f})'.format(
        kl.sum()))
    for ax in axes[:2]:
        ax.legend()
    save(fig, out, '7-kl-term')
    return {'KL per dimension': [float(value) for value in kl],
            'mean sigma': float(np.exp(log_vars / 2).mean())}


def main(argv=None):
    """Draw the seven figures; write their numbers to gallery.json."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--results', default=os.path.join(REPO, 'results'),
                        help="where make reproduce's models are")
    parser.add_argument('--out', help='where the figures go (default: '
                        '<results>/gallery)')
    parser.add_argument('--quick', action='store_true',
                        help='1,000 test images, a one-epoch denoiser')
    parser.add_argument('--denoise-epochs', type=int, default=10)
    args = parser.parse_args(argv)
    out = args.out or os.path.join(args.results, 'gallery')
    os.makedirs(out, exist_ok=True)
    mnist.provision()
    fashion_mnist.provision()
    (x_train, _), (x_test, y_test) = mnist.load()
    fashion, _ = fashion_mnist.load()
    size = 1000 if args.quick else len(x_test)
    x, y = x_test[:size].reshape(-1, 784), y_test[:size]
    models = {main: load_autoencoder(args.results, main)
              for main in MAINS}
    rng = np.random.default_rng(0)
    train = (x_train[:1024] if args.quick else x_train)[..., np.newaxis]
    epochs = 1 if args.quick else args.denoise_epochs
    codes = encode(models, x)
    figures = [
        ('sparsity', lambda: sparsity(codes, out)),
        ('latent space', lambda: latent_space(codes, y, out)),
        ('generation', lambda: generation(models, codes, out, rng)),
        ('interpolation', lambda: interpolation(models, codes, out)),
        ('denoising', lambda: denoising(
            models, x, denoiser(args.results, train, epochs, rng), out,
            rng)),
        ('anomaly', lambda: anomaly(models, x, fashion[:size], out)),
        ('KL term', lambda: kl_term(codes, out)),
    ]
    numbers = {}
    for number, (name, draw) in enumerate(figures, 1):
        print('[{}/{}] {} ...'.format(number, len(figures), name),
              flush=True)
        numbers[name] = draw()
    numbers = {name: values for name, values in numbers.items() if values}
    with open(os.path.join(out, 'gallery.json'), 'w') as stream:
        json.dump(numbers, stream, indent=1)
        stream.write('\n')
    print('figures and gallery.json in {}'.format(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
