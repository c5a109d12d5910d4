"""The layers of the sample-compatible VAE, and the text's tables themselves.

The text's points about each task file's layers are judged in
grading/check/points.py (tests/test_points.py runs them); the tables they
read are written out from the text in grading/check/text.py, and checked
here against the task's own table.
"""
import importlib
import os

from conftest import REPO
from grading.check import observe, points, text


def rows(model):
    """Return a Keras model's layers as the text's rows, classes as it names
    them."""
    return [(points.class_of(row),) + row[1:]
            for row in points.rows_of(observe.describe_model(model))]


def test_the_rules_reproduce_the_task_table():
    assert text.conv_models(*text.CONV_CALLS[0]) == (text.TASK_CONV_ENCODER,
                                                     text.TASK_CONV_DECODER)


def test_sample_vae_has_the_text_vaes_layers(sample_vae):
    encoder, decoder, auto = sample_vae.autoencoder(784, [512], 2)
    expected_encoder, expected_decoder = text.variational_models(784, [512],
                                                                 2)
    assert rows(encoder) == expected_encoder
    assert rows(decoder) == expected_decoder
    assert auto.layers[1:] == [encoder, decoder]
    assert type(auto.optimizer).__name__ == 'Adam'


def test_top_level_import_finds_the_texts_vae(sample_vae):
    # As graders import it, from the repository's top level (on sys.path).
    graded = importlib.import_module('3-variational')
    assert graded.__file__ == os.path.join(REPO, '3-variational.py')
    assert sample_vae.__file__ != graded.__file__
