"""Put MNIST where `tf.keras.datasets.mnist.load_data()` finds it, offline.

`load_data()` reads `~/.keras/datasets/mnist.npz` when that file's sha256
is the one Keras expects, and downloads it otherwise. This module fills that
cache from a local copy named by `MNIST_NPZ` (or on the command line),
checking the hash before the file lands, so no file that fails the hash is
ever left in the cache. Without a local copy it tries Keras's own URL once
and, if the network is unreachable, stops with a message that says what to do.

    python -m tools.mnist                  # uses $MNIST_NPZ, else downloads
    python -m tools.mnist path/to/mnist.npz
"""
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.request

SHA256 = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1'
URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz'
HOW_TO_PROVIDE = (
    'Provide MNIST with `MNIST_NPZ=/path/to/mnist.npz make data` (the file '
    '`tf.keras.datasets.mnist.load_data()` downloads, sha256 {}), or run '
    '`make data` on a machine that can reach {}.'.format(SHA256, URL))


class ProvisioningError(Exception):
    """MNIST could not be put in the Keras cache."""


def cache_path():
    """Return the path where both Keras lines look for mnist.npz."""
    # Keras 2 ignores KERAS_HOME, so the home directory is the one place
    # that both lines read.
    return os.path.join(os.path.expanduser('~'), '.keras', 'datasets',
                        'mnist.npz')


def sha256_of(path):
    """Return the hex sha256 of the file at path."""
    digest = hashlib.sha256()
    with open(path, 'rb') as stream:
        for block in iter(lambda: stream.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def is_valid(path):
    """Tell whether path is a file with MNIST's sha256."""
    return os.path.isfile(path) and sha256_of(path) == SHA256


def install(fill, target, expected=SHA256, digest=sha256_of,
            how_to_provide=HOW_TO_PROVIDE):
    """Write target through fill(temporary path), keeping it only if valid.

    Valid means digest(path) == expected (by default MNIST's sha256). The
    file is written beside the target and renamed into place, so a reader
    never sees a half-written or wrong file.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target),
                                         suffix='.part')
    os.close(handle)
    try:
        fill(temporary)
        found = digest(temporary)
        if found != expected:
            raise ProvisioningError(
                'refusing {} with sha256 {} (expected {}). {}'.format(
                    os.path.basename(target), found, expected,
                    how_to_provide))
        os.chmod(temporary, 0o644)  # mkstemp makes it private to us
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _download(destination):
    """Fetch MNIST from Keras's URL into destination."""
    try:
        with urllib.request.urlopen(URL, timeout=20) as response, \
                open(destination, 'wb') as stream:
            shutil.copyfileobj(response, stream)
    except OSError as error:
        raise ProvisioningError(
            'MNIST is not in the Keras cache ({}), MNIST_NPZ is not set, and '
            'the download failed ({}). {}'
            .format(cache_path(), error, HOW_TO_PROVIDE)) from error


def provision(source=None, target=None, download=_download):
    """Make target (the Keras cache by default) a verified copy of MNIST.

    Args:
        source: path of a local mnist.npz; None means $MNIST_NPZ, and when
            that is unset too, a download.
        target: where to put the file; None means the Keras cache.
        download: the function that fetches MNIST into a path.

    Returns:
        The target path, which then holds MNIST with the expected sha256.

    Raises:
        ProvisioningError: when no verified copy could be put in place.
    """
    target = target or cache_path()
    source = source or os.environ.get('MNIST_NPZ') or None
    if source is not None:
        if not os.path.isfile(source):
            raise ProvisioningError('MNIST_NPZ names no file: {!r}. {}'
                                    .format(source, HOW_TO_PROVIDE))
        install(lambda path: shutil.copyfile(source, path), target)
        return target
    if is_valid(target):
        return target
    if os.path.exists(target):
        # Keras would try to replace a wrong file by downloading; remove it
        # so that nothing which fails the hash stays behind.
        os.remove(target)
    install(download, target)
    return target


def load(path=None):
    """Return MNIST as the mains prepare it, from the Keras cache.

    Returns ((x_train, y_train), (x_test, y_test)) with the 28x28 images as
    float32 in [0, 1], as `load_data()` followed by the mains' `/ 255.`.
    """
    import numpy as np   # only the loaders need it, not provisioning
    with np.load(path or cache_path()) as data:
        return ((data['x_train'].astype('float32') / 255., data['y_train']),
                (data['x_test'].astype('float32') / 255., data['y_test']))


def run_provisioning(provision_from, argv, ready):
    """Run a provisioning command line; return its exit status.

    provision_from(argv[1], or None without it) puts the data in place;
    ready, formatted with where, is printed then. An error is printed to
    stderr instead, and the status is 1.
    """
    try:
        path = provision_from(argv[1] if len(argv) > 1 else None)
    except ProvisioningError as error:
        print('error: {}'.format(error), file=sys.stderr)
        return 1
    print(ready.format(path))
    return 0


def main(argv):
    """Provision MNIST from argv[1], $MNIST_NPZ or the network."""
    return run_provisioning(provision, argv,
                            'MNIST ready at {} (sha256 verified)')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
