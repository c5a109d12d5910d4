"""Fashion-MNIST put in place offline, each file checked by its contents."""
import filecmp
import gzip
import os
import shutil

import pytest

from tools import fashion_mnist
from tools.mnist import ProvisioningError


def test_copies_the_four_files_and_they_check_out(fashion_dir, tmp_path):
    target = str(tmp_path / 'cache')
    assert fashion_mnist.provision(fashion_dir, target) == target
    assert fashion_mnist.is_valid(target)
    for name in fashion_mnist.FILES:
        assert filecmp.cmp(os.path.join(fashion_dir, name),
                           os.path.join(target, name), shallow=False)


def test_refuses_a_file_with_other_contents(fashion_dir, tmp_path):
    source = tmp_path / 'source'
    shutil.copytree(fashion_dir, str(source))
    wrong = 't10k-labels-idx1-ubyte.gz'
    os.chmod(str(source / wrong), 0o644)
    with gzip.open(str(source / wrong), 'wb') as stream:
        stream.write(b'not the labels')
    target = tmp_path / 'cache'
    with pytest.raises(ProvisioningError, match=wrong):
        fashion_mnist.provision(str(source), str(target))
    assert not (target / wrong).exists()
    assert not fashion_mnist.is_valid(str(target))


def test_names_a_missing_file(fashion_dir, tmp_path):
    source = tmp_path / 'source'
    shutil.copytree(fashion_dir, str(source))
    os.remove(str(source / 'train-images-idx3-ubyte.gz'))
    with pytest.raises(ProvisioningError,
                       match='train-images-idx3-ubyte.gz is missing'):
        fashion_mnist.provision(str(source), str(tmp_path / 'cache'))


def test_says_how_to_provide_it_without_a_source(monkeypatch, tmp_path):
    monkeypatch.delenv('FASHION_MNIST_DIR', raising=False)
    with pytest.raises(ProvisioningError, match='FASHION_MNIST_DIR'):
        fashion_mnist.provision(None, str(tmp_path / 'empty'))
