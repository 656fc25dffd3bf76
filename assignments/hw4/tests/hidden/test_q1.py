"""hw4.q1 hidden checks: shift, circular correlation and equivariance on random arrays and shifts.

An optional extension worth no points, as the public checks."""

import numpy as np
import pytest

from reference.hw4.q1_equivariance import correlate2d, shift

pytestmark = pytest.mark.question("q1")


def random_cases(count: int, seed: int):
    """(f, psi, t): f of 3..9 x 3..9, psi no larger than f, shifts of any sign and size."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        h, w = (int(n) for n in rng.integers(3, 10, size=2))
        kh, kw = int(rng.integers(1, min(h, 4) + 1)), int(rng.integers(1, min(w, 4) + 1))
        t = tuple(int(v) for v in rng.integers(-12, 13, size=2))
        cases.append((rng.standard_normal((h, w)), rng.standard_normal((kh, kw)), t))
    return cases


def test_shift_on_random_arrays(kernel):
    for f, _, t in random_cases(8, seed=101):
        got = np.asarray(kernel.call("shift", f, t))
        want = shift(f, t)
        assert got.shape == want.shape and np.allclose(got, want), f"shift differs on a {f.shape} array with t={t}"


def test_correlate2d_on_random_arrays(kernel):
    for f, psi, _ in random_cases(8, seed=102):
        got = np.asarray(kernel.call("correlate2d", f, psi))
        want = correlate2d(f, psi, "circular")
        assert got.shape == want.shape and np.allclose(got, want), (
            f"correlate2d differs on a {f.shape} image with a {psi.shape} filter"
        )


def test_equivariance_on_random_arrays(kernel):
    """Both sides of the identity, each equal to L_t (f ⋆ Ψ) by the definition: functions that make
    it hold trivially (zeros, a constant, a shift that moves nothing) fail here."""
    for f, psi, t in random_cases(8, seed=103):
        want = shift(correlate2d(f, psi, "circular"), t)
        lhs = np.asarray(kernel.call("correlate2d", kernel.call("shift", f, t), psi))
        rhs = np.asarray(kernel.call("shift", kernel.call("correlate2d", f, psi), t))
        for side, got in (("(L_t f) * psi", lhs), ("L_t (f * psi)", rhs)):
            assert got.shape == want.shape and np.allclose(got, want), (
                f"{side} differs from the definition's L_t (f * psi) for a {f.shape} image, {psi.shape} filter, t={t}"
            )
