"""hw4.q2 hidden checks: max unpooling on random NCHW arrays (overlapping windows too) and the
transposed-conv output size over many settings. An optional extension worth no points, as the
public checks."""

import numpy as np
import pytest

from reference.hw4.q2_deconvnet import max_pool_with_switches, max_unpool, transposed_conv_output_size

pytestmark = pytest.mark.question("q2")


def test_max_unpool_on_random_arrays(kernel, expected):
    example = expected("q2.max_unpool")  # the public checks' example: the answer is found on it
    function = kernel.find_function("max_unpool", (example["pooled"], example["switches"], (4, 4)), returns=example["unpooled"])
    rng = np.random.default_rng(201)
    for _ in range(8):
        batch, channels = (int(n) for n in rng.integers(1, 4, size=2))
        height, width = (int(n) for n in rng.integers(4, 10, size=2))
        size = int(rng.integers(2, 4))
        stride = int(rng.integers(1, size + 1))  # stride < size: overlapping windows share switches
        x = rng.standard_normal((batch, channels, height, width))
        pooled, switches = max_pool_with_switches(x, size, stride)
        got = np.asarray(kernel.call(function, pooled, switches, (height, width)))
        want = max_unpool(pooled, switches, (height, width))
        assert got.shape == want.shape and np.array_equal(got, want), (
            f"max_unpool differs for input {x.shape}, pool {size}, stride {stride}"
        )


def test_transposed_conv_output_size_many_settings(kernel):
    rng = np.random.default_rng(202)
    for _ in range(30):
        n, k = int(rng.integers(1, 20)), int(rng.integers(1, 8))
        s = int(rng.integers(1, 5))
        p = int(rng.integers(0, k))
        op = int(rng.integers(0, s))  # torch requires output_padding < stride
        want = transposed_conv_output_size(n, k, s, p, op)
        if want < 1:
            continue
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        assert got == want, (
            f"transposed_conv_output_size(n={n}, kernel={k}, stride={s}, padding={p}, output_padding={op}) "
            f"returned {got}, expected {want}"
        )
