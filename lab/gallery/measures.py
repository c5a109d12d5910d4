"""The NumPy measures behind the gallery's figures and numbers."""
import numpy as np

from tools.losses import binary_crossentropy


def pca_2d(points):
    """Project points (n, d) on their two main axes, centred (n, 2)."""
    centred = points - points.mean(axis=0)
    # The right singular vectors are the covariance's eigenvectors, largest
    # variance first.
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[:2].T


def roc_auc(negatives, positives):
    """Return the ROC AUC of scoring positives above negatives.

    It is the chance that a random positive scores above a random negative,
    ties counting half (the Mann-Whitney statistic), computed from ranks.
    """
    scores = np.concatenate([negatives, positives])
    order = scores.argsort(kind='mergesort')
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # Tied scores share the mean of their ranks.
    _, inverse, counts = np.unique(scores, return_inverse=True,
                                   return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    positive_ranks = ranks[len(negatives):].sum()
    n_pos, n_neg = len(positives), len(negatives)
    return (positive_ranks - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def per_image_bce(images, reconstructions):
    """Return each image's binary cross-entropy, averaged over its pixels."""
    errors = binary_crossentropy(images, reconstructions)
    return errors.reshape(len(images), -1).mean(axis=1)


def kl_per_dimension(mean, log_var):
    """Return KL(N(mean, exp(log_var)) || N(0, 1)) per latent dimension.

    Averaged over the samples: its sum over the dimensions is the VAE's KL.
    """
    mean, log_var = mean.astype('float64'), log_var.astype('float64')
    return (0.5 * (mean ** 2 + np.exp(log_var) - log_var - 1)).mean(axis=0)


def near_zero_share(codes, threshold):
    """Return the share of code units below threshold (relu codes)."""
    return float((codes < threshold).mean())
