"""Split the trained VAE's test loss into its parts.

    python -m lab.reproduce.vae_analysis [--results results]

Loads the autoencoder `make reproduce` saved for 3-main and reports, on the
10,000 test digits: the KL term, the summed binary cross-entropy when the
decoder reads sampled z (as trained, averaged over draws), and the same
when it reads the mean instead, which is what a VAE that decodes from the
mean would be scored on.
"""
import argparse
import os
import sys

import numpy as np

from lab.reproduce.runs import load_autoencoder
from tools import mnist
from tools.losses import binary_crossentropy
from tools.task import REPO


def summed_bce(x, probabilities):
    """Return the per-sample binary cross-entropy summed over pixels."""
    return binary_crossentropy(x, probabilities).sum(axis=1)


def main(argv=None):
    """Print the parts of the VAE's test loss."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--results', default=os.path.join(REPO, 'results'))
    parser.add_argument('--draws', type=int, default=10)
    args = parser.parse_args(argv)
    auto = load_autoencoder(args.results, '3-main')
    encoder, decoder = auto.layers[1], auto.layers[2]
    _, (x, _) = mnist.load()
    x = x.reshape(-1, 784).astype('float64')
    _, mean, log_var = (v.astype('float64') for v in
                        encoder.predict(x, verbose=0, batch_size=1000))
    kl = 0.5 * np.sum(mean ** 2 + np.exp(log_var) - log_var - 1, axis=1)
    rng = np.random.default_rng(0)
    sampled = np.mean([
        summed_bce(x, decoder.predict(
            (mean + np.exp(log_var / 2) * rng.standard_normal(mean.shape))
            .astype('float32'), verbose=0, batch_size=1000)).mean()
        for _ in range(args.draws)])
    from_mean = summed_bce(x, decoder.predict(
        mean.astype('float32'), verbose=0, batch_size=1000)).mean()
    print('KL term:                          {:.2f}'.format(kl.mean()))
    print('reconstruction, sampled z:        {:.2f}'.format(sampled))
    print('reconstruction, decoding the mean: {:.2f}'.format(from_mean))
    print('loss as trained (sampled z + KL):  {:.2f}'.format(
        sampled + kl.mean()))
    print('mean sigma over the test set:      {:.3f}'.format(
        np.exp(log_var / 2).mean()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
