"""MNIST provisioning: verified before it lands, never left wrong, offline.

All of these work on temporary targets and never reach the network: the
download is replaced by a fake, or urlopen by one that fails as it does here.
"""
import hashlib
import os
import urllib.error

import pytest
import tensorflow as tf

from tools import mnist as provisioning


@pytest.fixture
def good_copy(mnist):
    """Return the path of a verified mnist.npz (the provisioned cache)."""
    return provisioning.cache_path()


@pytest.fixture
def bad_copy(tmp_path):
    """Return the path of a file that is not MNIST."""
    path = tmp_path / 'not-mnist.npz'
    path.write_bytes(b'not the MNIST archive')
    return str(path)


@pytest.fixture
def target(tmp_path, monkeypatch):
    """Return a target path in an empty cache, with MNIST_NPZ unset."""
    monkeypatch.delenv('MNIST_NPZ', raising=False)
    return str(tmp_path / 'cache' / 'datasets' / 'mnist.npz')


def leftovers(target):
    """Return the files in the target's directory, if it exists."""
    directory = os.path.dirname(target)
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def test_the_expected_hash_is_the_one_shipped_beside_the_data():
    sums = os.path.join(os.path.dirname(provisioning.__file__), os.pardir,
                        os.pardir, 'shared', 'data', 'SHA256SUMS')
    if not os.path.exists(sums):
        pytest.fail('expected the task data beside the repository: {}'
                    .format(os.path.abspath(sums)))
    with open(sums) as stream:
        assert stream.read().split() == [provisioning.SHA256, 'mnist.npz']


def test_copies_a_verified_local_copy(good_copy, target):
    assert provisioning.provision(good_copy, target) == target
    with open(target, 'rb') as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == \
            provisioning.SHA256
    assert leftovers(target) == ['mnist.npz']


def test_takes_the_copy_named_by_mnist_npz(good_copy, target, monkeypatch):
    monkeypatch.setenv('MNIST_NPZ', good_copy)
    provisioning.provision(target=target, download=None)
    assert provisioning.is_valid(target)


def test_refuses_a_copy_with_the_wrong_hash(bad_copy, target):
    with pytest.raises(provisioning.ProvisioningError, match='sha256'):
        provisioning.provision(bad_copy, target)
    assert leftovers(target) == []


def test_a_refused_copy_leaves_a_good_cache_alone(good_copy, bad_copy,
                                                  target):
    provisioning.provision(good_copy, target)
    with pytest.raises(provisioning.ProvisioningError):
        provisioning.provision(bad_copy, target)
    assert provisioning.is_valid(target)
    assert leftovers(target) == ['mnist.npz']


def test_refuses_a_missing_copy(target, tmp_path):
    with pytest.raises(provisioning.ProvisioningError, match='names no file'):
        provisioning.provision(str(tmp_path / 'nowhere.npz'), target)


def test_keeps_a_valid_cache_without_downloading(good_copy, target):
    provisioning.provision(good_copy, target)

    def download(path):
        raise AssertionError('downloaded although the cache was valid')
    provisioning.provision(target=target, download=download)


def test_replaces_a_wrong_cached_file_by_a_verified_download(good_copy,
                                                             target):
    os.makedirs(os.path.dirname(target))
    with open(target, 'wb') as stream:
        stream.write(b'a truncated download')

    def download(path):
        with open(good_copy, 'rb') as source, open(path, 'wb') as sink:
            sink.write(source.read())
    provisioning.provision(target=target, download=download)
    assert provisioning.is_valid(target)


def test_offline_without_a_copy_says_how_to_provide_one(target,
                                                        monkeypatch):
    os.makedirs(os.path.dirname(target))
    with open(target, 'wb') as stream:
        stream.write(b'a truncated download')

    def unreachable(*args, **kwargs):
        raise urllib.error.URLError('Name or service not known')
    monkeypatch.setattr(provisioning.urllib.request, 'urlopen', unreachable)
    with pytest.raises(provisioning.ProvisioningError) as failure:
        provisioning.provision(target=target)
    assert 'MNIST_NPZ' in str(failure.value)
    assert 'Name or service not known' in str(failure.value)
    assert leftovers(target) == []   # the wrong file is gone too


def test_command_line_reports_failure(bad_copy, capsys, monkeypatch,
                                      tmp_path):
    monkeypatch.setenv('HOME', str(tmp_path))
    assert provisioning.main(['mnist', bad_copy]) == 1
    assert 'sha256' in capsys.readouterr().err


def test_keras_loads_the_provisioned_cache_offline(mnist):
    (x_train, y_train), (x_test, y_test) = \
        tf.keras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
