"""hw4.q3 public checks: the seed network's parameter count and the gradients of one example."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q3")

TOLERANCE = 1e-6


def test_parameter_count_of_the_handouts_network(kernel, expected):
    got = kernel.call("parameter_count")
    want = expected("q3.parameter_count")
    assert isinstance(got, dict), f"parameter_count() returned {got!r}; return a dict with keys {sorted(want)}"
    for layer, count in want.items():
        assert got.get(layer) == count, f"parameter_count()[{layer!r}] is {got.get(layer)!r}, expected {count}"


def test_gradients_of_one_example(kernel, expected):
    case = expected("q3.gradients")
    got = kernel.call("gradients", case["x"], case["y"], case["params"])
    want = case["gradients"]
    assert isinstance(got, dict), f"gradients returned {type(got).__name__}; return a dict with keys {sorted(want)}"
    for name, expected_value in want.items():
        assert name in got, f"gradients(x, y, params) has no key {name!r}"
        value = np.asarray(got[name], dtype=float)
        assert value.shape == np.shape(expected_value), (
            f"gradient {name!r} has shape {value.shape}, expected {np.shape(expected_value)}"
        )
        assert np.allclose(value, expected_value, rtol=TOLERANCE, atol=TOLERANCE), (
            f"gradient {name!r} is off by up to {np.max(np.abs(value - expected_value)):.3g} (tolerance {TOLERANCE})"
        )
