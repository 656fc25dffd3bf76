"""hw2.q5 public checks: LeakyReLU and its derivative on fixed inputs (0 included)."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q5")


def arguments(x: np.ndarray, kwargs: dict) -> str:
    """The arguments of a call as a student writes them: `[-3.0, 0.0], slope=0.2`."""
    return repr(x.tolist()) + "".join(f", {name}={value}" for name, value in kwargs.items())


def test_leaky_relu(kernel, expected):
    for case in expected("q5.leaky_relu"):
        x, kwargs, want = case["x"], case["kwargs"], case["value"]
        got = np.asarray(kernel.call("leaky_relu", x, **kwargs), dtype=float)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"leaky_relu({arguments(x, kwargs)}) returned {got.tolist()}, expected {want.tolist()}"
        )


def test_leaky_relu_derivative(kernel, expected):
    for case in expected("q5.leaky_relu"):
        x, kwargs, want = case["x"], case["kwargs"], case["derivative"]
        got = np.asarray(kernel.call("leaky_relu_derivative", x, **kwargs), dtype=float)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"leaky_relu_derivative({arguments(x, kwargs)}) returned {got.tolist()}, "
            f"expected {want.tolist()} (slope at x = 0, as torch)"
        )
