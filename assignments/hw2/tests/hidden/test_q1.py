"""hw2.q1 hidden checks: the conv2d forward pass and its three gradients on random layers: other
shapes, non-square kernels, strides larger than the kernel, paddings, and inputs whose last rows
no window reaches."""

import numpy as np
import pytest

from reference.hw2.q1_conv_backward import ConvGradients, conv2d_backward, conv2d_forward

pytestmark = pytest.mark.question("q1")

GRADIENTS = ("dx", "dw", "db")


def random_layers(count: int, seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, c_in, c_out = (int(v) for v in rng.integers(1, 4, size=3))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        h, w = (int(v) for v in rng.integers(max(kh, kw), 11, size=2))
        x = rng.standard_normal((n, c_in, h, w))
        weight = rng.standard_normal((c_out, c_in, kh, kw))
        yield x, weight, rng.standard_normal(c_out), stride, padding, rng


def describe(x: np.ndarray, weight: np.ndarray, stride: int, padding: int) -> str:
    return f"x of shape {x.shape}, w of shape {weight.shape}, stride={stride}, padding={padding}"


def test_conv2d_forward_random(kernel):
    for x, weight, bias, stride, padding, _ in random_layers(6, seed=101):
        want = conv2d_forward(x, weight, bias, stride, padding)
        got = np.asarray(kernel.call("conv2d_forward", x, weight, bias, stride, padding), dtype=float)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"conv2d_forward differs for {describe(x, weight, stride, padding)} (shape {got.shape}, expected {want.shape})"
        )


@pytest.mark.parametrize("gradient", GRADIENTS)
def test_conv2d_backward_random(kernel, gradient):
    for x, weight, _, stride, padding, rng in random_layers(8, seed=102):
        dy = rng.standard_normal(conv2d_forward(x, weight, np.zeros(len(weight)), stride, padding).shape)
        want = getattr(conv2d_backward(x, weight, dy, stride, padding), gradient)
        got = getattr(ConvGradients.from_answer(kernel.call("conv2d_backward", x, weight, dy, stride, padding)), gradient)
        assert got.shape == want.shape, (
            f"{gradient} for {describe(x, weight, stride, padding)} has shape {got.shape}, expected {want.shape}"
        )
        assert np.allclose(got, want), (
            f"{gradient} for {describe(x, weight, stride, padding)} is off by up to {np.max(np.abs(got - want)):.3g}"
        )
