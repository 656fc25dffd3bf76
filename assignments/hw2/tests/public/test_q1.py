"""hw2.q1 public checks: the conv2d forward pass and its three gradients on a few fixed layers
(stride 1 without padding, stride 2 with padding 1, a 1x1 kernel with stride 2)."""

import numpy as np
import pytest

from reference.hw2.q1_conv_backward import ConvGradients, conv2d_backward, conv2d_forward

pytestmark = pytest.mark.question("q1")

# (N, C_in, H, W, C_out, k, stride, padding)
CASES = [(1, 1, 4, 4, 1, 3, 1, 0), (2, 2, 5, 5, 3, 3, 2, 1), (1, 3, 4, 4, 2, 1, 2, 0)]
GRADIENTS = ("dx", "dw", "db")


def layer(case: tuple[int, ...]):
    """Small integer-valued arrays, so a student can check a case by hand."""
    n, c_in, h, w, c_out, k, stride, padding = case
    x = (np.arange(n * c_in * h * w) % 7 - 3.0).reshape(n, c_in, h, w)
    weight = (np.arange(c_out * c_in * k * k) % 5 - 2.0).reshape(c_out, c_in, k, k)
    bias = np.arange(c_out) - 1.0
    return x, weight, bias, stride, padding


def describe(case: tuple[int, ...]) -> str:
    n, c_in, h, w, c_out, k, stride, padding = case
    return f"x [{n}, {c_in}, {h}, {w}], w [{c_out}, {c_in}, {k}, {k}], stride={stride}, padding={padding}"


def test_conv2d_forward(kernel):
    for case in CASES:
        x, weight, bias, stride, padding = layer(case)
        want = conv2d_forward(x, weight, bias, stride, padding)
        got = np.asarray(kernel.call("conv2d_forward", x, weight, bias, stride, padding), dtype=float)
        assert got.shape == want.shape, f"conv2d_forward with {describe(case)} returned shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"conv2d_forward with {describe(case)} returned\n{got}\nexpected\n{want}"


@pytest.mark.parametrize("gradient", GRADIENTS)
def test_conv2d_backward(kernel, gradient):
    for case in CASES:
        x, weight, _, stride, padding = layer(case)
        out_shape = conv2d_forward(x, weight, np.zeros(len(weight)), stride, padding).shape
        dy = (np.arange(np.prod(out_shape)) % 3 - 1.0).reshape(out_shape) + 0.5
        want = getattr(conv2d_backward(x, weight, dy, stride, padding), gradient)
        got = getattr(ConvGradients.from_answer(kernel.call("conv2d_backward", x, weight, dy, stride, padding)), gradient)
        assert got.shape == want.shape, f"{gradient} with {describe(case)} has shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"{gradient} with {describe(case)} is\n{got}\nexpected\n{want}"
