"""hw2.q1 public checks: the conv2d forward pass and its three gradients on a few fixed layers
(stride 1 without padding, stride 2 with padding 1, a 1x1 kernel with stride 2)."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q1")

GRADIENTS = ("dx", "dw", "db")


def describe(case: dict) -> str:
    x, w = case["x"], case["w"]
    return f"x [{', '.join(map(str, x.shape))}], w [{', '.join(map(str, w.shape))}], stride={case['stride']}, padding={case['padding']}"


def as_gradients(answer: object) -> dict[str, np.ndarray]:
    """The triple (dx, dw, db) a student's conv2d_backward returned (a tuple arrives as a list)."""
    if not isinstance(answer, list) or len(answer) != 3:
        raise ValueError(f"conv2d_backward returned {type(answer).__name__}; expected a tuple (dx, dw, db)")
    return {name: np.asarray(value, dtype=float) for name, value in zip(GRADIENTS, answer)}


def test_conv2d_forward(kernel, expected):
    for case in expected("q1.conv2d"):
        want = case["y"]
        got = np.asarray(kernel.call("conv2d_forward", case["x"], case["w"], case["b"], case["stride"], case["padding"]),
                         dtype=float)
        assert got.shape == want.shape, f"conv2d_forward with {describe(case)} returned shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"conv2d_forward with {describe(case)} returned\n{got}\nexpected\n{want}"


@pytest.mark.parametrize("gradient", GRADIENTS)
def test_conv2d_backward(kernel, expected, gradient):
    for case in expected("q1.conv2d"):
        want = case[gradient]
        answer = kernel.call("conv2d_backward", case["x"], case["w"], case["dy"], case["stride"], case["padding"])
        got = as_gradients(answer)[gradient]
        assert got.shape == want.shape, f"{gradient} with {describe(case)} has shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"{gradient} with {describe(case)} is\n{got}\nexpected\n{want}"
