"""hw9.q1 public checks: 2-D and 3-D conv output shapes and parameter counts, adaptive and
global pooling, on small fixed cases."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q1")


def as_given(value):
    """A per-axis setting as the question writes it: an int, or a tuple (frozen values hold lists)."""
    return tuple(value) if isinstance(value, list) else value


def test_conv2d_and_conv3d_output_shapes(kernel, expected):
    cases = expected("q1.conv_output_shape")

    def arguments(case):
        return (tuple(case["in_shape"]), case["out_channels"], *(as_given(case[key]) for key in ("kernel", "stride", "padding")))

    name = kernel.find_function("conv_output_shape", arguments(cases[0]), returns=tuple(cases[0]["output_shape"]))
    for case in cases:
        in_shape, out_channels, k, s, p = arguments(case)
        got = kernel.call(name, in_shape, out_channels, k, s, p)
        want = tuple(case["output_shape"])
        assert got is not None and tuple(got) == want, (
            f"conv_output_shape({in_shape}, {out_channels}, kernel={k}, stride={s}, padding={p}) returned {got}, expected {want}"
        )


def test_conv2d_and_conv3d_parameter_counts(kernel, expected):
    cases = expected("q1.conv_param_count")
    first = cases[0]
    name = kernel.find_function("conv_param_count", (first["in_channels"], first["out_channels"], tuple(first["kernel"])),
                                returns=first["count"])
    for case in cases:
        c_in, c_out, k, want = case["in_channels"], case["out_channels"], tuple(case["kernel"]), case["count"]
        got = kernel.call(name, c_in, c_out, k)
        assert got == want, (
            f"conv_param_count({c_in}, {c_out}, {k}) returned {got}, expected {want} "
            f"({c_out} filters of {c_in}·{'·'.join(map(str, k))} weights, plus one bias each)"
        )


def test_adaptive_pooling(kernel, expected):
    pooling = expected("q1.pooling")
    first = pooling["adaptive"][0]
    name = kernel.find_function("adaptive_pool2d", (pooling["x"], tuple(first["size"]), first["kind"]), returns=first["pooled"])
    for case in pooling["adaptive"]:
        kind, size, want = case["kind"], tuple(case["size"]), case["pooled"]
        got = np.asarray(kernel.call(name, pooling["x"], size, kind), dtype=float)
        assert got.shape == want.shape, (
            f"adaptive_pool2d(x [2, 3, 5, 7], {size}, {kind!r}) returned shape {got.shape}, expected {want.shape}"
        )
        assert np.allclose(got, want), (
            f"adaptive_pool2d(x [2, 3, 5, 7], {size}, {kind!r}) differs (max error {np.max(np.abs(got - want)):.3g}); "
            "bins run from floor(i·H/h) to ceil((i+1)·H/h)"
        )


def test_global_pooling(kernel, expected):
    pooling = expected("q1.pooling")
    first = pooling["global"][0]
    name = kernel.find_function("global_pool", (pooling["x"], first["kind"]), returns=first["pooled"])
    for case in pooling["global"]:
        kind, want = case["kind"], case["pooled"]
        got = np.asarray(kernel.call(name, pooling["x"], kind), dtype=float)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"global_pool(x [2, 3, 5, 7], {kind!r}) returned shape {got.shape}, expected {want.shape} with each channel's {kind}"
        )
