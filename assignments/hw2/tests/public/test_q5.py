"""hw2.q5 public checks: LeakyReLU and its derivative on fixed inputs (0 included)."""

import numpy as np
import pytest

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
