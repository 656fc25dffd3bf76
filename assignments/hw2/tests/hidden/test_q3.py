"""hw2.q3 hidden checks: each pooling kind on random HW / CHW / NCHW arrays, sizes and strides
(overlapping and gapped windows). An optional extension worth no points, as the public checks."""

import numpy as np
import pytest

from reference.hw2.q3_pooling import POOL_KINDS, pool2d

pytestmark = pytest.mark.question("q3")


def random_cases(count: int, seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        leading = tuple(int(n) for n in rng.integers(1, 4, size=rng.integers(0, 3)))
        h, w = (int(n) for n in rng.integers(3, 11, size=2))
        size = int(rng.integers(1, min(h, w, 4) + 1))
        stride = int(rng.integers(1, 5))
        yield rng.standard_normal((*leading, h, w)) * 3, size, stride


@pytest.mark.parametrize("kind", POOL_KINDS)
def test_pool2d_random_shapes(kernel, kind):
    for x, size, stride in random_cases(8, seed=300 + POOL_KINDS.index(kind)):
        got = np.asarray(kernel.call("pool2d", x, kind, size, stride), dtype=float)
        want = pool2d(x, kind, size, stride)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"pool2d(x of shape {x.shape}, {kind!r}, size={size}, stride={stride}) differs "
            f"(shape {got.shape}, expected {want.shape})"
        )
