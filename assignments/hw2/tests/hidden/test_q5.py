"""hw2.q5 hidden checks: LeakyReLU and its derivative on random arrays and slopes."""

import numpy as np
import pytest

from reference.hw2.q5_activations import leaky_relu, leaky_relu_derivative

pytestmark = pytest.mark.question("q5")


def random_inputs(seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(4):
        x = rng.standard_normal((int(rng.integers(1, 5)), int(rng.integers(1, 7)))) * 3
        x[0, 0] = 0.0  # the kink
        yield x, float(rng.uniform(0.001, 0.5))


def test_leaky_relu_random(kernel):
    for x, slope in random_inputs(501):
        got = np.asarray(kernel.call("leaky_relu", x, slope=slope), dtype=float)
        assert got.shape == x.shape and np.allclose(got, leaky_relu(x, slope)), (
            f"leaky_relu differs on a {x.shape} array, slope={slope:.3g}"
        )


def test_leaky_relu_derivative_random(kernel):
    for x, slope in random_inputs(502):
        got = np.asarray(kernel.call("leaky_relu_derivative", x, slope=slope), dtype=float)
        assert got.shape == x.shape and np.allclose(got, leaky_relu_derivative(x, slope)), (
            f"leaky_relu_derivative differs on a {x.shape} array, slope={slope:.3g}"
        )
