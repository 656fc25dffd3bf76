"""hw4.q2 public checks: max unpooling with torch-style switches, transposed-conv output size."""

import numpy as np
import pytest

from reference.hw4.q2_deconvnet import max_pool_with_switches, max_unpool, transposed_conv_output_size

pytestmark = pytest.mark.question("q2")


def test_max_unpool_puts_values_back_at_their_switches(kernel):
    x = np.array([[[[1.0, 5.0, 2.0, 0.0],
                    [3.0, 4.0, 8.0, 1.0],
                    [0.5, 0.0, 6.0, 7.0],
                    [2.5, 9.0, 1.0, 3.0]]]])
    pooled, switches = max_pool_with_switches(x, size=2, stride=2)  # switches [[1, 6], [13, 11]]
    got = np.asarray(kernel.call("max_unpool", pooled, switches, (4, 4)))
    want = max_unpool(pooled, switches, (4, 4))
    assert got.shape == want.shape, f"max_unpool returned shape {got.shape}, expected (N, C, H, W) = {want.shape}"
    assert np.array_equal(got, want), (
        f"max_unpool(pooled={pooled.tolist()}, switches={switches.tolist()}, (4, 4)) returned\n{got[0, 0]}\n"
        f"expected each value at its flat index r * W + s, zeros elsewhere:\n{want[0, 0]}"
    )


def test_transposed_conv_output_size(kernel):
    cases = [(4, 3, 1, 0, 0), (4, 3, 2, 1, 1), (7, 4, 2, 1, 0), (5, 5, 3, 2, 2)]
    for n, k, s, p, op in cases:
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        want = transposed_conv_output_size(n, k, s, p, op)
        assert got == want, (
            f"transposed_conv_output_size(n={n}, kernel={k}, stride={s}, padding={p}, output_padding={op}) "
            f"returned {got}, expected {want}"
        )
