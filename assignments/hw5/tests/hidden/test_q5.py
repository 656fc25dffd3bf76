"""hw5.q5 hidden checks: output size over many settings, conv2d and conv_transpose2d on random
tensors, the adjoint identity with the student's functions, and the DeconvNet on hidden sizes."""

import numpy as np
import pytest

from reference.hw5.q5_transposed_conv import (
    conv2d,
    conv_output_size,
    conv_transpose2d,
    conv_transpose_output_size,
    output_padding_for,
)

pytestmark = pytest.mark.question("q5")

NON_TRIVIAL = 0.1  # the least norm of a map, relative to the right answer's, for the adjoint identity to count


def random_cases(count: int, seed: int):
    """(x, weight, stride, padding, output_padding, y): square kernels, and H, W whose conv floors
    drop the same remainder, so one output_padding brings both back."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        p = int(rng.integers(0, k))
        h = int(rng.integers(max(k - 2 * p, 1), 12))
        w = h + s * int(rng.integers(0, 3))  # same remainder modulo the stride
        n, c_in, c_out = (int(v) for v in rng.integers(1, 4, size=3))
        x, weight = rng.standard_normal((n, c_in, h, w)), rng.standard_normal((c_out, c_in, k, k))
        y = rng.standard_normal((n, c_out, conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)))
        cases.append((x, weight, s, p, output_padding_for(h, k, s, p), y))
    return cases


def test_output_size_many_settings(kernel):
    rng = np.random.default_rng(501)
    for _ in range(30):
        n, k, s = int(rng.integers(1, 20)), int(rng.integers(1, 8)), int(rng.integers(1, 5))
        p, op = int(rng.integers(0, k)), int(rng.integers(0, s))
        want = conv_transpose_output_size(n, k, s, p, op)
        if want < 1:
            continue
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        assert got == want, f"transposed_conv_output_size({n}, {k}, {s}, {p}, {op}) returned {got}, expected {want}"


def test_conv2d_on_random_tensors(kernel):
    for x, weight, s, p, _, _ in random_cases(8, seed=502):
        got = np.asarray(kernel.call("conv2d", x, weight, s, p), dtype=float)
        want = conv2d(x, weight, s, p)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"conv2d differs for x {x.shape}, weight {weight.shape}, stride {s}, padding {p}"
        )


def test_conv_transpose2d_on_random_tensors(kernel):
    for x, weight, s, p, op, y in random_cases(8, seed=503):
        got = np.asarray(kernel.call("conv_transpose2d", y, weight, s, p, op), dtype=float)
        want = conv_transpose2d(y, weight, x.shape[2:], s, p)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"conv_transpose2d differs for y {y.shape}, weight {weight.shape}, stride {s}, padding {p}, "
            f"output_padding {op} (shape {got.shape}, expected {want.shape})"
        )


def test_adjoint_identity_on_random_tensors(kernel):
    for x, weight, s, p, op, y in random_cases(8, seed=504):
        forward = np.asarray(kernel.call("conv2d", x, weight, s, p), dtype=float)
        backward = np.asarray(kernel.call("conv_transpose2d", y, weight, s, p, op), dtype=float)
        assert forward.shape == y.shape and backward.shape == x.shape, (
            f"shapes: conv2d {forward.shape} (expected {y.shape}), conv_transpose2d {backward.shape} (expected {x.shape})"
        )
        # zero maps satisfy the identity trivially: both must be real maps (of about the right size)
        for name, got, want in (("conv2d", forward, conv2d(x, weight, s, p)),
                                ("conv_transpose2d", backward, conv_transpose2d(y, weight, x.shape[2:], s, p))):
            assert np.linalg.norm(got) >= NON_TRIVIAL * np.linalg.norm(want), (
                f"{name} returned (almost) zeros for x {x.shape}, weight {weight.shape}, stride {s}, padding {p}"
            )
        lhs, rhs = float(np.sum(forward * y)), float(np.sum(x * backward))
        assert np.isclose(lhs, rhs, rtol=1e-6, atol=1e-8), (
            f"x {x.shape}, weight {weight.shape}, stride {s}, padding {p}: <conv2d(x), y> = {lhs:.6f}, "
            f"<x, conv_transpose2d(y)> = {rhs:.6f}"
        )


def test_deconvnet_output_shape_for_hidden_sizes(kernel):
    rng = np.random.default_rng(505)
    for _ in range(3):
        height, width = (int(n) for n in rng.integers(32, 70, size=2))
        x = rng.random((2, 3, height, width), dtype=np.float32)
        got = np.asarray(kernel.predict(kernel.find_model("deconvnet", (3, 32, 32), (3, 32, 32)), x))
        assert got.shape == x.shape, f"deconvnet maps an input of shape {x.shape} to {got.shape}"
        # the identity (or a constant) has the right shape too: the network must compute something
        assert not np.allclose(got, x) and got.std() > 0, f"deconvnet returns its input (or a constant) for {x.shape}"
