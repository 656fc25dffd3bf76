"""hw4.q1: the SymPy proof, and the numeric correlation checked against scipy and torch."""

import numpy as np
import pytest
import scipy.signal
import sympy as sp
import torch
import torch.nn.functional as F

from reference.hw4.q1_equivariance import (
    correlate2d,
    equivariance_gap,
    f_sym,
    max_pool2d,
    pooled_equivariance_gap,
    prove_translation_equivariance,
    psi_sym,
    shift,
    substitute_y,
    symbolic_correlation,
    t1,
    t2,
    translation_equivariance_proof,
    x1,
    x2,
    y1,
    y2,
)

SIZES = [(5, 7), (6, 6), (8, 5), (4, 9)]
KERNELS = [(1, 1), (2, 3), (3, 3), (4, 2)]


def random_pair(seed: int, size: tuple[int, int], kernel: tuple[int, int]):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(size), rng.standard_normal(kernel)


# ---------------------------------------------------------------- SymPy proof


def test_sympy_proof_both_sides_reduce_to_the_same_sum():
    proof = translation_equivariance_proof()
    assert prove_translation_equivariance()
    assert proof.lhs == proof.rhs
    expected = sp.Sum(
        f_sym(x1 + y1 - t1, x2 + y2 - t2) * psi_sym(y1, y2), (y1, -sp.oo, sp.oo), (y2, -sp.oo, sp.oo)
    )
    assert proof.lhs == expected


def test_sympy_proof_rejects_a_wrong_shift_direction():
    # (f(x + t) instead of f(x − t)) ⋆ Ψ reduces to Σ f(x + y + t) Ψ(y) ≠ the right side.
    wrong = substitute_y(symbolic_correlation(lambda a, b: f_sym(a + t1, b + t2), (x1, x2)), (x1, x2))
    assert wrong != translation_equivariance_proof().rhs


def test_symbolic_common_form_evaluates_to_the_numeric_correlation():
    # Evaluate Σ_y f(x + y − t) Ψ(y) with f a periodic image and Ψ a finite filter, and compare
    # with correlate2d(shift(f, t), psi): ties the symbolic index convention to the arrays.
    image, kernel = random_pair(0, (5, 6), (2, 3))
    summand = sp.lambdify(
        (x1, x2, t1, t2, y1, y2),
        translation_equivariance_proof().common_form.function,
        modules=[{"f": lambda a, b: image[a % 5, b % 6], "Psi": lambda a, b: kernel[a, b]}],
    )
    t = (2, -3)
    numeric = correlate2d(shift(image, t), kernel)
    for a in range(5):
        for b in range(6):
            value = sum(summand(a, b, *t, u0, u1) for u0 in range(2) for u1 in range(3))
            assert value == pytest.approx(numeric[a, b], abs=1e-12)


# ---------------------------------------------------------------- shift and correlation vs oracles


def test_shift_matches_its_definition():
    image = np.arange(20.0).reshape(4, 5)
    t = (1, -7)
    shifted = shift(image, t)
    for a in range(4):
        for b in range(5):
            assert shifted[a, b] == image[(a - t[0]) % 4, (b - t[1]) % 5]


@pytest.mark.parametrize("size,kernel", list(zip(SIZES, KERNELS)))
def test_zero_padded_correlation_matches_scipy(size, kernel):
    image, psi = random_pair(1, size, kernel)
    # scipy's "full" correlation has out_full[k] = Σ_l f[l] psi[l − k + (kh − 1)], so our
    # out[x] = Σ_l f[l] psi[l − x] is out_full[x + kh − 1] (likewise for columns).
    full = scipy.signal.correlate2d(image, psi, mode="full")
    kh, kw = kernel
    expected = full[kh - 1 : kh - 1 + size[0], kw - 1 : kw - 1 + size[1]]
    np.testing.assert_allclose(correlate2d(image, psi, "zero"), expected, atol=1e-12)


@pytest.mark.parametrize("size,kernel", list(zip(SIZES, KERNELS)))
def test_circular_correlation_matches_torch_conv2d(size, kernel):
    image, psi = random_pair(2, size, kernel)
    kh, kw = kernel
    x = torch.from_numpy(image)[None, None]
    # torch pads circularly with (left, right, top, bottom); conv2d is a correlation (no flip).
    padded = F.pad(x, (0, kw - 1, 0, kh - 1), mode="circular")
    expected = F.conv2d(padded, torch.from_numpy(psi)[None, None])[0, 0].numpy()
    np.testing.assert_allclose(correlate2d(image, psi, "circular"), expected, atol=1e-12)


def test_unknown_padding_is_rejected():
    with pytest.raises(ValueError):
        correlate2d(np.zeros((3, 3)), np.ones((2, 2)), padding="reflect")  # type: ignore[arg-type]


# ---------------------------------------------------------------- equivariance and where it breaks


@pytest.mark.parametrize("seed", range(4))
def test_circular_correlation_is_exactly_equivariant(seed):
    rng = np.random.default_rng(seed)
    size = tuple(int(n) for n in rng.integers(3, 9, size=2))
    kernel = tuple(int(n) for n in rng.integers(1, 4, size=2))
    image, psi = random_pair(seed + 10, size, kernel)
    t = tuple(int(n) for n in rng.integers(-12, 12, size=2))
    assert equivariance_gap(image, psi, t, "circular") == 0.0


def test_zero_padding_breaks_equivariance_at_the_border():
    image, psi = random_pair(3, (6, 7), (3, 3))
    assert equivariance_gap(image, psi, (1, 2), "zero") > 1e-3
    # A 1×1 filter never reaches past the border, so zero padding is harmless there.
    assert equivariance_gap(image, psi[:1, :1], (1, 2), "zero") == 0.0


def test_max_pool_matches_torch():
    image, _ = random_pair(4, (6, 8), (1, 1))
    expected = F.max_pool2d(torch.from_numpy(image)[None, None], 2)[0, 0].numpy()
    np.testing.assert_array_equal(max_pool2d(image, 2), expected)


@pytest.mark.parametrize("t", [(2, 0), (0, 4), (-2, 6)])
def test_stride2_pooling_is_equivariant_to_even_shifts(t):
    image, psi = random_pair(5, (8, 6), (2, 2))
    assert pooled_equivariance_gap(image, psi, t, stride=2) == 0.0


@pytest.mark.parametrize("t", [(1, 0), (0, 3), (1, 1), (-1, 2)])
def test_stride2_pooling_breaks_equivariance_for_odd_shifts(t):
    image, psi = random_pair(6, (8, 6), (2, 2))
    assert pooled_equivariance_gap(image, psi, t, stride=2) > 1e-3
