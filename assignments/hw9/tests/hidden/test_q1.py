"""hw9.q1 hidden checks: conv shapes and counts for random 2-D and 3-D settings, adaptive and
global pooling of random arrays to random sizes (smaller and larger than the input)."""

import numpy as np
import pytest

from reference.hw9.q1_conv_pooling import adaptive_pool2d, conv_output_shape, conv_param_count, global_pool

pytestmark = pytest.mark.question("q1")

PUBLIC_X = np.random.default_rng(0).standard_normal((2, 3, 5, 7))  # the public checks' example: answers are found on it


def random_conv(rng: np.random.Generator):
    """(in_shape, out_channels, kernel, stride, padding) of a 2-D or 3-D conv that fits its input."""
    dims = int(rng.integers(2, 4))
    kernel = tuple(int(k) for k in rng.integers(1, 6, size=dims))
    padding = tuple(int(rng.integers(0, k)) for k in kernel)
    stride = tuple(int(s) for s in rng.integers(1, 4, size=dims))
    spatial = tuple(int(rng.integers(max(k - 2 * p, 1), 40)) for k, p in zip(kernel, padding))
    in_shape = (int(rng.integers(1, 16)), *spatial)
    if rng.random() < 0.5:  # the same value on every axis, given as an int
        kernel, stride, padding = kernel[0], stride[0], padding[0]
        in_shape = (in_shape[0], *(max(n, kernel - 2 * padding) for n in spatial))
    return in_shape, int(rng.integers(1, 64)), kernel, stride, padding


def test_conv_output_shapes_random_settings(kernel):
    name = kernel.find_function("conv_output_shape", ((3, 32, 32), 16, 3, 1, 0), returns=conv_output_shape((3, 32, 32), 16, 3, 1, 0))
    rng = np.random.default_rng(101)
    for _ in range(20):
        in_shape, out_channels, k, s, p = random_conv(rng)
        got = kernel.call(name, in_shape, out_channels, k, s, p)
        want = conv_output_shape(in_shape, out_channels, k, s, p)
        assert got is not None and tuple(got) == want, (
            f"conv_output_shape({in_shape}, {out_channels}, kernel={k}, stride={s}, padding={p}) returned {got}, expected {want}"
        )


def test_conv_parameter_counts_random_settings(kernel):
    name = kernel.find_function("conv_param_count", (3, 16, (3, 3)), returns=conv_param_count(3, 16, (3, 3)))
    rng = np.random.default_rng(102)
    for _ in range(20):
        dims = int(rng.integers(2, 4))
        k = tuple(int(v) for v in rng.integers(1, 8, size=dims))
        c_in, c_out = int(rng.integers(1, 300)), int(rng.integers(1, 300))
        got = kernel.call(name, c_in, c_out, k)
        want = conv_param_count(c_in, c_out, k)
        assert got == want, f"conv_param_count({c_in}, {c_out}, {k}) returned {got}, expected {want}"


def test_adaptive_pooling_random_sizes(kernel):
    name = kernel.find_function("adaptive_pool2d", (PUBLIC_X, (2, 3), "max"), returns=adaptive_pool2d(PUBLIC_X, (2, 3), "max"))
    rng = np.random.default_rng(103)
    for _ in range(10):
        x = rng.standard_normal((int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 13)), int(rng.integers(1, 13))))
        size = tuple(int(n) for n in rng.integers(1, 15, size=2))
        for kind in ("max", "avg"):
            got = np.asarray(kernel.call(name, x, size, kind), dtype=float)
            want = adaptive_pool2d(x, size, kind)
            assert got.shape == want.shape and np.allclose(got, want), (
                f"adaptive_pool2d(x {x.shape}, {size}, {kind!r}) differs (shape {got.shape}, expected {want.shape})"
            )


def test_global_pooling_random_arrays(kernel):
    name = kernel.find_function("global_pool", (PUBLIC_X, "max"), returns=global_pool(PUBLIC_X, "max"))
    rng = np.random.default_rng(104)
    for _ in range(6):
        x = rng.standard_normal(tuple(int(n) for n in rng.integers(1, 9, size=4)))
        for kind in ("max", "avg"):
            got = np.asarray(kernel.call(name, x, kind), dtype=float)
            want = global_pool(x, kind)
            assert got.shape == want.shape and np.allclose(got, want), f"global_pool(x {x.shape}, {kind!r}) differs"
