"""make gallery: its measures against plain NumPy, and a quick run.

The quick run draws the seven figures from the models of a quick
reproduction, training its denoiser for one epoch, and a second run reuses
the saved denoiser instead of training it again.
"""
import itertools
import json
import os

import numpy as np
import pytest

from lab.gallery import measures
from lab.gallery.__main__ import main as gallery

FIGURES = ['1-sparsity.png', '2-latent-space.png', '3-generation.png',
           '4-interpolation.png', '5-denoising.png', '6-anomaly.png',
           '7-kl-term.png']


def test_roc_auc_is_the_share_of_pairs_ranked_right():
    rng = np.random.default_rng(0)
    negatives = rng.normal(0, 1, 60).round(1)   # rounding makes ties
    positives = rng.normal(0.8, 1, 40).round(1)
    pairs = [(1.0 if p > n else 0.5 if p == n else 0.0)
             for p, n in itertools.product(positives, negatives)]
    assert measures.roc_auc(negatives, positives) == \
        pytest.approx(np.mean(pairs))


def test_pca_projects_on_the_covariance_eigenvectors():
    rng = np.random.default_rng(1)
    points = rng.normal(size=(500, 5)) @ rng.normal(size=(5, 5))
    _, vectors = np.linalg.eigh(np.cov(points, rowvar=False))
    expected = (points - points.mean(axis=0)) @ vectors[:, ::-1][:, :2]
    projected = measures.pca_2d(points)
    # Each axis is defined up to its sign.
    np.testing.assert_allclose(np.abs(projected), np.abs(expected),
                               rtol=1e-6, atol=1e-9)


def test_kl_per_dimension_sums_to_the_vae_kl():
    rng = np.random.default_rng(2)
    mean, log_var = rng.normal(size=(100, 3)), rng.normal(size=(100, 3))
    per_sample = 0.5 * np.sum(mean ** 2 + np.exp(log_var) - log_var - 1,
                              axis=1)
    assert measures.kl_per_dimension(mean, log_var).sum() == \
        pytest.approx(per_sample.mean())


@pytest.fixture(scope='module')
def quick_gallery(quick_results, fashion_dir, tmp_path_factory):
    """Draw the gallery quickly; return its folder."""
    out = str(tmp_path_factory.mktemp('gallery'))
    assert gallery(['--quick', '--results', quick_results, '--out', out]) == 0
    return out


def test_quick_gallery_draws_seven_figures(quick_gallery):
    import matplotlib.image
    assert sorted(os.listdir(quick_gallery)) == FIGURES + ['gallery.json']
    for name in FIGURES:
        image = matplotlib.image.imread(os.path.join(quick_gallery, name))
        assert image.shape[0] > 200 and image[..., :3].std() > 0.05


def test_quick_gallery_numbers(quick_gallery):
    with open(os.path.join(quick_gallery, 'gallery.json')) as stream:
        numbers = json.load(stream)
    for label in ('vanilla', 'sparse'):
        shares = numbers['sparsity'][label]
        assert 0 <= shares['share at zero'] <= shares['share below 0.01'] <= 1
        assert shares['mean activation'] >= 0
    assert 0 <= numbers['anomaly']['ROC AUC'] <= 1
    bce = numbers['denoising']['BCE against the clean digits']
    assert set(bce) == {'noisy input', 'task model on noisy input',
                        'denoiser on noisy input'}
    kl = numbers['KL term']['KL per dimension']
    assert len(kl) == 2 and min(kl) >= 0


def test_gallery_reuses_the_trained_denoiser(quick_gallery, quick_results,
                                             tmp_path, capsys):
    assert os.path.exists(os.path.join(quick_results, 'models',
                                       'denoiser-auto.keras'))
    assert gallery(['--quick', '--results', quick_results,
                    '--out', str(tmp_path)]) == 0
    assert 'denoiser: trained, loaded' in capsys.readouterr().out
