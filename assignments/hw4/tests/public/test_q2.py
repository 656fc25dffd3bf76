"""hw4.q2 public checks: max unpooling with torch-style switches, transposed-conv output size.

An optional extension: q2 has no auto points (the handout asks for prose on two papers, graded
with the rubric), so these checks report to the student and cost nothing."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q2")


def test_max_unpool_puts_values_back_at_their_switches(kernel, expected):
    case = expected("q2.max_unpool")
    pooled, switches, want = case["pooled"], case["switches"], case["unpooled"]
    got = np.asarray(kernel.call(kernel.find_function("max_unpool", (pooled, switches, (4, 4)), returns=want), pooled, switches, (4, 4)))
    assert got.shape == want.shape, f"max_unpool returned shape {got.shape}, expected (N, C, H, W) = {want.shape}"
    assert np.array_equal(got, want), (
        f"max_unpool(pooled={pooled.tolist()}, switches={switches.tolist()}, (4, 4)) returned\n{got[0, 0]}\n"
        f"expected each value at its flat index r * W + s, zeros elsewhere:\n{want[0, 0]}"
    )


def test_transposed_conv_output_size(kernel, expected):
    for case in expected("q2.transposed_conv_output_size"):
        n, k, s, p, op = (case[key] for key in ("n", "kernel", "stride", "padding", "output_padding"))
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        assert got == case["length"], (
            f"transposed_conv_output_size(n={n}, kernel={k}, stride={s}, padding={p}, output_padding={op}) "
            f"returned {got}, expected {case['length']}"
        )
