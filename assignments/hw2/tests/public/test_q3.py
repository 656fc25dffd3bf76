"""hw2.q3 public checks: the four pooling kinds on one small CHW array (default and overlapping strides).

An optional extension: q3 has no auto points (the handout asks for prose only), so these checks
report to the student and cost nothing."""

import numpy as np
import pytest

from reference.hw2.q3_pooling import POOL_KINDS, pool2d

pytestmark = pytest.mark.question("q3")

X = ((np.arange(40) * 5) % 11 - 5.0).reshape(2, 4, 5)  # two channels of 4x5, negative values too


@pytest.mark.parametrize("kind", POOL_KINDS)
def test_pool2d_small_example(kernel, kind):
    for args in ((2,), (3, 1)):
        got = np.asarray(kernel.call("pool2d", X, kind, *args), dtype=float)
        want = pool2d(X, kind, *args)
        call = f"pool2d(x of shape {X.shape}, {kind!r}, size={args[0]}, stride={args[1] if len(args) > 1 else 'default'})"
        assert got.shape == want.shape, f"{call} returned shape {got.shape}, expected {want.shape} (depth kept, valid windows only)"
        assert np.allclose(got, want), f"{call} returned\n{got}\nexpected\n{want}"
