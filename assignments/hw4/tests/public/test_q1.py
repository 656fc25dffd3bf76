"""hw4.q1 public checks: shift, circular correlation and their equivariance on small fixed arrays."""

import numpy as np
import pytest

from reference.hw4.q1_equivariance import correlate2d, shift

pytestmark = pytest.mark.question("q1")

IMAGE = np.arange(20.0).reshape(4, 5)
FILTER = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]])


def test_shift_moves_content_down_and_right(kernel):
    for t in [(1, 2), (-1, 0), (5, -7)]:
        got = np.asarray(kernel.call("shift", IMAGE, t))
        want = shift(IMAGE, t)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"shift(f, t={t}) on f = np.arange(20.0).reshape(4, 5) returned\n{got}\nexpected (L_t f)[x] = f[(x - t) mod (4, 5)]:\n{want}"
        )


def test_correlate2d_is_the_circular_correlation(kernel):
    got = np.asarray(kernel.call("correlate2d", IMAGE, FILTER))
    want = correlate2d(IMAGE, FILTER, "circular")
    assert got.shape == IMAGE.shape, f"correlate2d returned shape {got.shape}; the output has the shape of f, {IMAGE.shape}"
    assert np.allclose(got, want), (
        "correlate2d(f, psi) with f = np.arange(20.0).reshape(4, 5) and a 3x2 psi returned\n"
        f"{got}\nexpected out[x] = sum_u psi[u] f[(x + u) mod (4, 5)]:\n{want}"
    )


def test_your_functions_are_translation_equivariant(kernel):
    t = (2, 3)
    lhs = np.asarray(kernel.call("correlate2d", kernel.call("shift", IMAGE, t), FILTER))
    rhs = np.asarray(kernel.call("shift", kernel.call("correlate2d", IMAGE, FILTER), t))
    assert lhs.shape == rhs.shape and np.allclose(lhs, rhs), (
        f"correlate2d(shift(f, t), psi) and shift(correlate2d(f, psi), t) differ for t={t} "
        f"(max difference {np.max(np.abs(lhs - rhs)) if lhs.shape == rhs.shape else 'shapes differ'})"
    )
