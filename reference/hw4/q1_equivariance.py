"""hw4.q1 — translation equivariance of correlation: (L_t f) ⋆ Ψ = L_t (f ⋆ Ψ).

The seed (Cohen & Welling's notation) defines, for an image f and a filter Ψ on ℤ²,

    (f ⋆ Ψ)(x) = Σ_{y ∈ ℤ²} f(y) Ψ(y − x)          and          (L_t f)(x) = f(x − t).

Substituting y ← x + y gives (f ⋆ Ψ)(x) = Σ_y f(x + y) Ψ(y): the filter, anchored at x, reads
the image at x + y. Both sides of the identity reduce to Σ_y f(x + y − t) Ψ(y); the SymPy proof
below performs exactly that substitution.

Array convention (what the symbolic definition means for NumPy arrays):
  * an image is a 2-D array f[x0, x1];
  * a filter is a 2-D array psi[u0, u1] = Ψ(u) for u in [0, kh) × [0, kw), Ψ = 0 elsewhere;
  * so out[x] = Σ_u psi[u] · f[x + u] — the window starts at x and extends down/right. This is
    the "no flip" correlation of torch.nn.functional.conv2d and scipy.signal.correlate2d.
  * On a finite H×W grid, f outside the grid is either periodic ("circular": the grid is the
    torus ℤ_H × ℤ_W and equivariance under circular shifts is exact) or zero ("zero"). The
    output is kept on the same H×W grid in both cases.

Where equivariance breaks on real networks: zero padding (content that a circular shift wraps
around meets zeros instead of its old neighbours) and stride-s pooling (a shift by t that is
not a multiple of s has no counterpart on the coarser output grid).
"""

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np
import sympy as sp

Padding = Literal["circular", "zero"]


# ---------------------------------------------------------------- numeric: shift and correlation


def shift(f: np.ndarray, t: tuple[int, int]) -> np.ndarray:
    """(L_t f)(x) = f(x − t) on the H×W torus: the content moves by +t (down/right)."""
    # np.roll(f, t)[x] = f[x − t] (indices mod the shape) — exactly L_t.
    return np.roll(f, shift=t, axis=(0, 1))


def correlate2d(f: np.ndarray, psi: np.ndarray, padding: Padding = "circular") -> np.ndarray:
    """(f ⋆ Ψ)(x) = Σ_y f(y) Ψ(y − x) = Σ_u Ψ(u) f(x + u) on the H×W grid of f.

    padding="circular": f is periodic (ℤ_H × ℤ_W); padding="zero": f is 0 outside its grid.
    Returns an H×W array (same grid as f).
    """
    f = np.asarray(f, dtype=float)
    psi = np.asarray(psi, dtype=float)
    if f.ndim != 2 or psi.ndim != 2:
        raise ValueError("f and psi must be 2-D arrays")
    height, width = f.shape
    kh, kw = psi.shape
    # The window at x reaches x + u for u < (kh, kw): extend f by kh−1 rows and kw−1 columns
    # at the bottom/right with whatever lies outside the grid (its periodic copy, or zeros).
    if padding not in ("circular", "zero"):
        raise ValueError(f"padding must be 'circular' or 'zero', got {padding!r}")
    mode = "wrap" if padding == "circular" else "constant"
    extended = np.pad(f, ((0, kh - 1), (0, kw - 1)), mode=mode)
    out = np.zeros((height, width))
    for u0 in range(kh):
        for u1 in range(kw):
            out += psi[u0, u1] * extended[u0 : u0 + height, u1 : u1 + width]
    return out


def equivariance_gap(
    f: np.ndarray, psi: np.ndarray, t: tuple[int, int], padding: Padding = "circular"
) -> float:
    """max_x |((L_t f) ⋆ Ψ)(x) − (L_t (f ⋆ Ψ))(x)|: 0 exactly with circular padding."""
    shifted_then_filtered = correlate2d(shift(f, t), psi, padding)
    filtered_then_shifted = shift(correlate2d(f, psi, padding), t)
    return float(np.max(np.abs(shifted_then_filtered - filtered_then_shifted)))


# ---------------------------------------------------------------- numeric: strided pooling


def max_pool2d(f: np.ndarray, stride: int) -> np.ndarray:
    """Non-overlapping max pooling (window = stride) of an H×W array, H and W multiples of stride."""
    height, width = f.shape
    if height % stride or width % stride:
        raise ValueError("H and W must be multiples of the stride (so shifts stay on the torus)")
    blocks = f.reshape(height // stride, stride, width // stride, stride)
    return blocks.max(axis=(1, 3))


def pooled_equivariance_gap(
    f: np.ndarray, psi: np.ndarray, t: tuple[int, int], stride: int = 2
) -> float:
    """How far correlation + stride-s max pooling is from equivariant under the shift t.

    Returns min over every output shift s of max |P((L_t f) ⋆ Ψ) − L_s P(f ⋆ Ψ)|, with circular
    padding, so the correlation itself is exactly equivariant and any gap is the pooling's.
    When t is a multiple of the stride, s = t / stride gives 0. When it is not (e.g. t odd with
    stride 2), no shift of the coarse output reproduces the pooled shifted input: the gap is
    > 0 for generic inputs — pooling is only equivariant to shifts on its own sub-grid.
    """
    pooled_shifted = max_pool2d(correlate2d(shift(f, t), psi), stride)
    pooled = max_pool2d(correlate2d(f, psi), stride)
    rows, cols = pooled.shape
    return min(
        float(np.max(np.abs(pooled_shifted - shift(pooled, (s0, s1)))))
        for s0 in range(rows)
        for s1 in range(cols)
    )


# ---------------------------------------------------------------- symbolic proof (SymPy)

x1, x2, t1, t2, y1, y2 = sp.symbols("x1 x2 t1 t2 y1 y2", integer=True)
f_sym = sp.Function("f")
psi_sym = sp.Function("Psi")

SymbolicImage = Callable[[sp.Expr, sp.Expr], sp.Expr]


def symbolic_correlation(image: SymbolicImage, at: tuple[sp.Expr, sp.Expr]) -> sp.Sum:
    """(image ⋆ Ψ)(at) = Σ_{y ∈ ℤ²} image(y) Ψ(y − at), as an unevaluated SymPy sum."""
    summand = image(y1, y2) * psi_sym(y1 - at[0], y2 - at[1])
    return sp.Sum(summand, (y1, -sp.oo, sp.oo), (y2, -sp.oo, sp.oo))


def substitute_y(total: sp.Sum, offset: tuple[sp.Expr, sp.Expr]) -> sp.Sum:
    """Re-index Σ_y by y ← y + offset (a bijection of ℤ², so the limits stay (−∞, ∞)).

    SymPy's change_index(var, trafo) names the *new* index trafo(old), so old y = new y + offset
    is written as trafo = y − offset.
    """
    return total.change_index(y1, y1 - offset[0]).change_index(y2, y2 - offset[1])


@dataclass(frozen=True)
class EquivarianceProof:
    """Both sides of (L_t f) ⋆ Ψ = L_t (f ⋆ Ψ) at a point x, after the substitution y ← x + y."""

    lhs: sp.Sum  # ((L_t f) ⋆ Ψ)(x)
    rhs: sp.Sum  # (L_t (f ⋆ Ψ))(x) = (f ⋆ Ψ)(x − t)
    common_form: sp.Sum  # Σ_y f(x + y − t) Ψ(y), the form the seed reaches on both sides

    @property
    def holds(self) -> bool:
        # Structural equality of the canonical SymPy trees: both sums have the same summand
        # and the same limits, so they are the same sum (no convergence question arises).
        return self.lhs == self.common_form and self.rhs == self.common_form


def translation_equivariance_proof() -> EquivarianceProof:
    """The seed's proof, carried out symbolically with f, Ψ unknown functions and t symbolic."""
    x = (x1, x2)

    def shifted_f(a: sp.Expr, b: sp.Expr) -> sp.Expr:  # (L_t f)(a, b) = f((a, b) − t)
        return f_sym(a - t1, b - t2)

    # Left side: correlate the shifted image at x, then substitute y ← x + y.
    lhs = substitute_y(symbolic_correlation(shifted_f, x), x)
    # Right side: (L_t g)(x) = g(x − t) with g = f ⋆ Ψ; the substitution at the point x − t is
    # y ← (x − t) + y.
    x_minus_t = (x1 - t1, x2 - t2)
    rhs = substitute_y(symbolic_correlation(f_sym, x_minus_t), x_minus_t)
    common_form = sp.Sum(
        f_sym(x1 + y1 - t1, x2 + y2 - t2) * psi_sym(y1, y2),
        (y1, -sp.oo, sp.oo),
        (y2, -sp.oo, sp.oo),
    )
    return EquivarianceProof(lhs=lhs, rhs=rhs, common_form=common_form)


def prove_translation_equivariance() -> bool:
    """True when both sides reduce to Σ_y f(x + y − t) Ψ(y)."""
    return translation_equivariance_proof().holds
