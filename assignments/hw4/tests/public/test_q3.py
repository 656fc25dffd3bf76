"""hw4.q3 public checks: the handout's network (7,904 parameters) and the derivatives of one example.

Part (a) is the count, part (b) the two derivatives the handout asks for, ∂Cost/∂W^A_ji and
∂Cost/∂W^C_1; the other parameters' derivatives are an optional extension worth no points."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q3")

TOLERANCE = 1e-6
ASKED = ("W_A", "W_C_1")
OPTIONAL = ("W_C_2", "b_C", "b_M", "W_F", "b_F")


@pytest.mark.points(1.5)
def test_parameter_count_of_the_handouts_network(kernel, expected):
    got = kernel.call("parameter_count")
    want = expected("q3.parameter_count")
    assert isinstance(got, dict), f"parameter_count() returned {got!r}; return a dict with keys {sorted(want)}"
    for layer, count in want.items():
        assert got.get(layer) == count, f"parameter_count()[{layer!r}] is {got.get(layer)!r}, expected {count}"


def check_derivatives(got, want: dict, names: tuple[str, ...]) -> None:
    assert isinstance(got, dict), f"gradients returned {type(got).__name__}; return a dict with keys {list(names)}"
    for name in names:
        assert name in got, f"gradients(x, y, params) has no key {name!r}"
        value, expected_value = np.asarray(got[name], dtype=float), want[name]
        assert value.shape == np.shape(expected_value), (
            f"the derivative {name!r} has shape {value.shape}, expected {np.shape(expected_value)}"
        )
        assert np.allclose(value, expected_value, rtol=TOLERANCE, atol=TOLERANCE), (
            f"the derivative {name!r} is off by up to {np.max(np.abs(value - expected_value)):.3g} (tolerance {TOLERANCE})"
        )


def example_derivatives(kernel, expected) -> tuple[object, dict]:
    """The student's and the expected derivatives of the frozen example."""
    case = expected("q3.gradients")
    return kernel.call("gradients", case["x"], case["y"], case["params"]), case["gradients"]


@pytest.fixture(scope="module")
def one_example(kernel, expected) -> tuple[object, dict]:
    return example_derivatives(kernel, expected)


@pytest.mark.points(2)
def test_gradients_of_one_example(one_example):
    check_derivatives(*one_example, ASKED)


@pytest.mark.points(0)
def test_other_gradients_of_one_example(one_example):
    check_derivatives(*one_example, OPTIONAL)
