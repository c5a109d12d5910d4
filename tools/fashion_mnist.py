"""Put Fashion-MNIST where `tf.keras.datasets.fashion_mnist.load_data()` looks.

`load_data()` reads four .gz files from `~/.keras/datasets/fashion-mnist/`,
checks no hash, and downloads any that is missing. This module copies them
from a local folder named by `FASHION_MNIST_DIR` (or on the command line),
each checked before it lands by the sha256 of its decompressed contents:
those are the dataset's, whichever compression made the .gz bytes.

    python -m tools.fashion_mnist                 # uses $FASHION_MNIST_DIR
    python -m tools.fashion_mnist path/to/folder
"""
import gzip
import hashlib
import os
import shutil
import sys

from tools.mnist import ProvisioningError, install, run_provisioning

# file: sha256 of its decompressed contents
FILES = {
    'train-labels-idx1-ubyte.gz':
        'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    'train-images-idx3-ubyte.gz':
        'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    't10k-labels-idx1-ubyte.gz':
        '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    't10k-images-idx3-ubyte.gz':
        '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
}
HOW_TO_PROVIDE = (
    'Provide Fashion-MNIST with `FASHION_MNIST_DIR=/path/to/folder make '
    'gallery`, a folder holding the four files {} of '
    '`tf.keras.datasets.fashion_mnist.load_data()`.'.format(
        ', '.join(sorted(FILES))))


def cache_dir():
    """Return the folder where both Keras lines look for Fashion-MNIST."""
    return os.path.join(os.path.expanduser('~'), '.keras', 'datasets',
                        'fashion-mnist')


def content_sha256(path):
    """Return the hex sha256 of a .gz file's decompressed contents."""
    digest = hashlib.sha256()
    with gzip.open(path, 'rb') as stream:
        for block in iter(lambda: stream.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def is_valid(folder):
    """Tell whether folder holds the four files with the right contents."""
    try:
        return all(content_sha256(os.path.join(folder, name)) == expected
                   for name, expected in FILES.items())
    except (OSError, EOFError):
        return False


def provision(source=None, target=None):
    """Make target (the Keras cache by default) hold verified Fashion-MNIST.

    Args:
        source: a folder with the four files; None means
            $FASHION_MNIST_DIR, and with that unset, the files must be in
            target already.
        target: where to put them; None means the Keras cache.

    Returns:
        The target folder.

    Raises:
        ProvisioningError: when the files could not be put in place.
    """
    target = target or cache_dir()
    source = source or os.environ.get('FASHION_MNIST_DIR') or None
    if source is None:
        if is_valid(target):
            return target
        raise ProvisioningError('Fashion-MNIST is not in the Keras cache '
                                '({}). {}'.format(target, HOW_TO_PROVIDE))
    for name, expected in FILES.items():
        path = os.path.join(source, name)
        if not os.path.isfile(path):
            raise ProvisioningError('{} is missing. {}'.format(
                path, HOW_TO_PROVIDE))
        install(lambda temporary: shutil.copyfile(path, temporary),
                os.path.join(target, name), expected=expected,
                digest=content_sha256, how_to_provide=HOW_TO_PROVIDE)
    return target


def load():
    """Return Fashion-MNIST's test images as the mains prepare MNIST.

    Returns (x_test, y_test): 28x28 float32 images in [0, 1] and labels,
    read by Keras's own loader from its cache.
    """
    import tensorflow as tf
    _, (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    return x_test.astype('float32') / 255., y_test


def main(argv):
    """Provision Fashion-MNIST from argv[1] or $FASHION_MNIST_DIR."""
    return run_provisioning(
        provision, argv,
        'Fashion-MNIST ready in {} (contents sha256 verified)')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
