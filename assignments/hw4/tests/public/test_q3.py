"""hw4.q3 public checks: the seed network's parameter count and the gradients of one example."""

import numpy as np
import pytest

from reference.hw4.q3_backprop import ConvNet1DConfig, gradients, init_params, parameter_count

pytestmark = pytest.mark.question("q3")

TOLERANCE = 1e-6


def test_parameter_count_of_the_seed_network(kernel):
    got = kernel.call("parameter_count")
    want = parameter_count()
    assert isinstance(got, dict), f"parameter_count() returned {got!r}; return a dict with keys {sorted(want)}"
    for layer, count in want.items():
        assert got.get(layer) == count, f"parameter_count()[{layer!r}] is {got.get(layer)!r}, expected {count}"


def plain(params: dict) -> dict:
    """Scalar biases as Python floats, the rest as arrays (what the notebook's text promises)."""
    return {k: float(v) if np.ndim(v) == 0 else v for k, v in params.items()}


def test_gradients_of_one_example(kernel):
    rng = np.random.default_rng(0)
    params = plain(init_params(ConvNet1DConfig(), rng))
    x, y = rng.standard_normal(785), 1
    got = kernel.call("gradients", x, y, params)
    want = gradients(x, y, params)
    assert isinstance(got, dict), f"gradients returned {type(got).__name__}; return a dict with keys {sorted(want)}"
    for name, expected in want.items():
        assert name in got, f"gradients(x, y, params) has no key {name!r}"
        value = np.asarray(got[name], dtype=float)
        assert value.shape == np.shape(expected), f"gradient {name!r} has shape {value.shape}, expected {np.shape(expected)}"
        assert np.allclose(value, expected, rtol=TOLERANCE, atol=TOLERANCE), (
            f"gradient {name!r} is off by up to {np.max(np.abs(value - expected)):.3g} (tolerance {TOLERANCE})"
        )
