"""hw4.q1 public checks: shift, circular correlation and their equivariance on small fixed arrays.

An optional extension: q1 has no auto points (the handout asks for a description, graded with
the rubric), so these checks report to the student and cost nothing."""

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


def trivial_reason(kernel, image: np.ndarray, psi: np.ndarray, t: tuple[int, int]) -> str | None:
    """Why the identity would hold for trivial reasons, if it would: a shift that does not move the
    content, or a correlation that is constant or ignores the image or the filter."""
    shifted = np.asarray(kernel.call("shift", image, t), dtype=float)
    if shifted.shape != image.shape or not np.array_equal(np.sort(shifted, axis=None), np.sort(image, axis=None)):
        return f"shift(f, t={t}) does not return a rearrangement of f's values"
    if np.array_equal(shifted, image):
        return f"shift(f, t={t}) returned f unchanged: the content must move"
    correlated = np.asarray(kernel.call("correlate2d", image, psi), dtype=float)
    if correlated.shape != image.shape or np.ptp(correlated) < 1e-9:
        return "correlate2d(f, psi) is constant: a constant map is unchanged by every shift, which proves nothing"
    if np.allclose(kernel.call("correlate2d", image[::-1, ::-1].copy(), psi), correlated):
        return "correlate2d(f, psi) does not depend on the image f"
    if np.allclose(kernel.call("correlate2d", image, 2 * psi + 1), correlated):
        return "correlate2d(f, psi) does not depend on the filter psi"
    return None


def test_your_functions_are_translation_equivariant(kernel, expected):
    case = expected("q1.correlate2d")
    image, psi = case["f"], case["psi"]
    for t in [(2, 3), (1, 0), (-1, 7)]:
        reason = trivial_reason(kernel, image, psi, t)
        assert reason is None, f"the identity (L_t f) * psi = L_t (f * psi) would hold trivially: {reason}"
        lhs = np.asarray(kernel.call("correlate2d", kernel.call("shift", image, t), psi))
        rhs = np.asarray(kernel.call("shift", kernel.call("correlate2d", image, psi), t))
        assert lhs.shape == rhs.shape and np.allclose(lhs, rhs), (
            f"correlate2d(shift(f, t), psi) and shift(correlate2d(f, psi), t) differ for t={t} "
            f"(max difference {np.max(np.abs(lhs - rhs)) if lhs.shape == rhs.shape else 'shapes differ'})"
        )
