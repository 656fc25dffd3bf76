"""hw4.q1 public checks: shift, circular correlation and their equivariance on small fixed arrays."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q1")


def test_shift_moves_content_down_and_right(kernel, expected):
    for case in expected("q1.shift"):
        t, want = tuple(case["t"]), case["shifted"]
        got = np.asarray(kernel.call("shift", case["f"], t))
        assert got.shape == want.shape and np.allclose(got, want), (
            f"shift(f, t={t}) on f = np.arange(20.0).reshape(4, 5) returned\n{got}\nexpected (L_t f)[x] = f[(x - t) mod (4, 5)]:\n{want}"
        )


def test_correlate2d_is_the_circular_correlation(kernel, expected):
    case = expected("q1.correlate2d")
    image, want = case["f"], case["correlated"]
    got = np.asarray(kernel.call("correlate2d", image, case["psi"]))
    assert got.shape == image.shape, f"correlate2d returned shape {got.shape}; the output has the shape of f, {image.shape}"
    assert np.allclose(got, want), (
        "correlate2d(f, psi) with f = np.arange(20.0).reshape(4, 5) and a 3x2 psi returned\n"
        f"{got}\nexpected out[x] = sum_u psi[u] f[(x + u) mod (4, 5)]:\n{want}"
    )


def test_your_functions_are_translation_equivariant(kernel, expected):
    case = expected("q1.correlate2d")
    image, psi, t = case["f"], case["psi"], (2, 3)
    lhs = np.asarray(kernel.call("correlate2d", kernel.call("shift", image, t), psi))
    rhs = np.asarray(kernel.call("shift", kernel.call("correlate2d", image, psi), t))
    assert lhs.shape == rhs.shape and np.allclose(lhs, rhs), (
        f"correlate2d(shift(f, t), psi) and shift(correlate2d(f, psi), t) differ for t={t} "
        f"(max difference {np.max(np.abs(lhs - rhs)) if lhs.shape == rhs.shape else 'shapes differ'})"
    )
