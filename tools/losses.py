"""Binary cross-entropy in NumPy, as Keras computes it, for the analyses."""
import numpy as np

EPSILON = 1e-7   # Keras clips probabilities to [eps, 1 - eps]


def binary_crossentropy(targets, probabilities):
    """Return the element-wise binary cross-entropy, in float64."""
    p = np.clip(probabilities.astype('float64'), EPSILON, 1 - EPSILON)
    return -(targets * np.log(p) + (1 - targets) * np.log(1 - p))
