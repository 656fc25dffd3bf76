"""hw2.q5 public checks: LeakyReLU and its derivative on fixed inputs (0 included), and the format
of predict_digits on a few visible test digits (accuracy is measured by a hidden test)."""

import numpy as np
import pytest

from graders.data.mnist import load_mnist
from reference.hw2.q5_activations import leaky_relu, leaky_relu_derivative

pytestmark = pytest.mark.question("q5")

X = np.array([-3.0, -0.5, 0.0, 0.25, 2.0])


def test_leaky_relu(kernel):
    for kwargs in ({}, {"slope": 0.2}):
        got = np.asarray(kernel.call("leaky_relu", X, **kwargs), dtype=float)
        want = leaky_relu(X, **kwargs)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"leaky_relu({X.tolist()}{', slope=0.2' if kwargs else ''}) returned {got.tolist()}, expected {want.tolist()}"
        )


def test_leaky_relu_derivative(kernel):
    for kwargs in ({}, {"slope": 0.2}):
        got = np.asarray(kernel.call("leaky_relu_derivative", X, **kwargs), dtype=float)
        want = leaky_relu_derivative(X, **kwargs)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"leaky_relu_derivative({X.tolist()}{', slope=0.2' if kwargs else ''}) returned {got.tolist()}, "
            f"expected {want.tolist()} (slope at x = 0, as torch)"
        )


def test_predict_digits_format(kernel, dataset_dir):
    images = load_mnist(dataset_dir("mnist")).x_test[:20]
    got = np.asarray(kernel.call("predict_digits", images))
    assert got.shape == (20,), f"predict_digits on 20 images returned shape {got.shape}, expected (20,): one digit per image"
    assert np.issubdtype(got.dtype, np.integer) and got.min() >= 0 and got.max() <= 9, (
        f"predict_digits returned {got.tolist()}; expected integer digits 0-9 (take the argmax of the logits)"
    )
