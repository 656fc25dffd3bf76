"""hw9.q1 public checks: 2-D and 3-D conv output shapes and parameter counts, adaptive and
global pooling, on small fixed cases."""

import numpy as np
import pytest

from reference.hw9.q1_conv_pooling import adaptive_pool2d, conv_output_shape, conv_param_count, global_pool

pytestmark = pytest.mark.question("q1")

X = np.random.default_rng(0).standard_normal((2, 3, 5, 7))


def test_conv2d_and_conv3d_output_shapes(kernel):
    cases = [
        ((3, 32, 32), 16, 3, 1, 0),  # 2-D: one filter position per valid 3x3 window
        ((3, 32, 32), 8, 5, 2, 1),
        ((3, 16, 32, 32), 8, (3, 5, 5), 1, (1, 0, 0)),  # 3-D: the filter also slides along depth
        ((1, 10, 28, 28), 4, 3, (1, 2, 2), 1),
    ]
    name = kernel.find_function("conv_output_shape", cases[0], returns=conv_output_shape(*cases[0]))
    for in_shape, out_channels, k, s, p in cases:
        got = kernel.call(name, in_shape, out_channels, k, s, p)
        want = conv_output_shape(in_shape, out_channels, k, s, p)
        assert got is not None and tuple(got) == want, (
            f"conv_output_shape({in_shape}, {out_channels}, kernel={k}, stride={s}, padding={p}) returned {got}, expected {want}"
        )


def test_conv2d_and_conv3d_parameter_counts(kernel):
    name = kernel.find_function("conv_param_count", (3, 16, (3, 3)), returns=conv_param_count(3, 16, (3, 3)))
    for c_in, c_out, k in [(3, 16, (3, 3)), (1, 20, (7, 7)), (3, 8, (3, 5, 5)), (16, 32, (3, 3, 3))]:
        got = kernel.call(name, c_in, c_out, k)
        want = conv_param_count(c_in, c_out, k)
        assert got == want, (
            f"conv_param_count({c_in}, {c_out}, {k}) returned {got}, expected {want} "
            f"({c_out} filters of {c_in}·{'·'.join(map(str, k))} weights, plus one bias each)"
        )


def test_adaptive_pooling(kernel):
    name = kernel.find_function("adaptive_pool2d", (X, (2, 3), "max"), returns=adaptive_pool2d(X, (2, 3), "max"))
    for kind in ("max", "avg"):
        for size in ((2, 3), (5, 4), (1, 1)):
            got = np.asarray(kernel.call(name, X, size, kind), dtype=float)
            want = adaptive_pool2d(X, size, kind)
            assert got.shape == want.shape, f"adaptive_pool2d(x [2, 3, 5, 7], {size}, {kind!r}) returned shape {got.shape}, expected {want.shape}"
            assert np.allclose(got, want), (
                f"adaptive_pool2d(x [2, 3, 5, 7], {size}, {kind!r}) differs (max error {np.max(np.abs(got - want)):.3g}); "
                "bins run from floor(i·H/h) to ceil((i+1)·H/h)"
            )


def test_global_pooling(kernel):
    name = kernel.find_function("global_pool", (X, "max"), returns=global_pool(X, "max"))
    for kind in ("max", "avg"):
        got = np.asarray(kernel.call(name, X, kind), dtype=float)
        want = global_pool(X, kind)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"global_pool(x [2, 3, 5, 7], {kind!r}) returned shape {got.shape}, expected {want.shape} with each channel's {kind}"
        )
