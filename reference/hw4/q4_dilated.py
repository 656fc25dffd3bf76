"""hw4.q4 — dilated convolution: receptive field, output size, and the Kronecker kernel.

The seed's definition (a correlation, no kernel flip; computed only where kernel and image
fully overlap):

    (K ∗_D I)(i, j) = Σ_m Σ_n K(m, n) I(i + D·m, j + D·n),   m, n = 0 … F − 1.

(1) Receptive field. A K×K kernel with dilation D touches taps 0, D, …, D(K − 1): it spans
    D(K − 1) + 1 pixels (K for an ordinary conv). With stride 1, each further layer widens the
    span by D(K − 1), so L stacked layers see 1 + L·D·(K − 1) pixels per axis.
(2) Output size. Row i is valid while its last tap stays inside: i + D(F − 1) ≤ M − 1, so
    i = 0 … M − 1 − D(F − 1): M − D(F − 1) = M − DF + D rows (likewise N − DF + D columns).
(3) Kronecker form. With A ∈ ℝ^{D×D}, A = e₀e₀ᵀ (a single 1 at the top-left), K′ = K ⊗ A is
    the DF×DF array with K(m, n) at (Dm, Dn) and zeros elsewhere: the dilated kernel followed
    by D − 1 trailing zero rows and columns. Those trailing zeros multiply nothing in the
    result, but they lengthen the window: an ordinary valid conv with the full DF×DF K′ has
    M − DF + 1 rows — D − 1 fewer than the dilated conv (its windows would hang past the
    image by exactly the zero rows). Equality holds exactly when the trailing zeros are cut
    (kernel (D(F − 1) + 1)², `dilate_kernel`) or the image is zero-padded by D − 1 rows and
    columns at the bottom/right (`conv2d_with_kronecker_kernel`).
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp


def receptive_field(kernel: int, dilation: int = 1, layers: int = 1) -> int:
    """Receptive-field width of `layers` stacked stride-1 convs: 1 + L·D·(K − 1)."""
    return 1 + layers * dilation * (kernel - 1)


def dilated_output_size(M: int, N: int, F: int, D: int) -> tuple[int, int]:
    """Valid output size of an F×F kernel with dilation D on an M×N image: (M−DF+D, N−DF+D)."""
    rows, cols = M - D * F + D, N - D * F + D
    if rows < 1 or cols < 1:
        raise ValueError(f"the dilated kernel (span {D * (F - 1) + 1}) does not fit in {M}×{N}")
    return rows, cols


@dataclass(frozen=True)
class OutputSizeDerivation:
    """SymPy derivation of the number of valid output rows."""

    last_index: sp.Expr  # largest i with i + D(F − 1) ≤ M − 1
    size: sp.Expr  # last_index − 0 + 1


def derive_dilated_output_size() -> OutputSizeDerivation:
    """Solve i + D(F − 1) ≤ M − 1 for i; the valid rows are 0 … i_max, i.e. i_max + 1 of them."""
    M, F, D = sp.symbols("M F D", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    last_tap_inside = i + D * (F - 1) <= M - 1  # row i's last tap is row i + D(F − 1)
    solution = sp.reduce_inequalities([last_tap_inside], i)
    if not isinstance(solution, sp.LessThan) or solution.lhs != i:
        raise RuntimeError(f"unexpected form of the solution: {solution}")
    last_index = sp.expand(solution.rhs)
    return OutputSizeDerivation(last_index=last_index, size=sp.expand(last_index + 1))


def dilation_matrix(D: int) -> np.ndarray:
    """A ∈ ℝ^{D×D} with a single 1 at (0, 0): K ⊗ A puts K(m, n) at (Dm, Dn), zeros between.

    A does not depend on F: the Kronecker product scales every entry of K by the same A.
    """
    A = np.zeros((D, D))
    A[0, 0] = 1.0
    return A


def kronecker_kernel(K: np.ndarray, D: int) -> np.ndarray:
    """K′ = K ⊗ A (DF×DF): the dilated kernel plus D − 1 trailing zero rows and columns."""
    return np.kron(K, dilation_matrix(D))


def dilate_kernel(K: np.ndarray, D: int) -> np.ndarray:
    """The dilated kernel itself, (D(F − 1) + 1)²: K ⊗ A without its trailing zeros."""
    rows, cols = K.shape
    return kronecker_kernel(K, D)[: D * (rows - 1) + 1, : D * (cols - 1) + 1]


def dilated_conv2d(I: np.ndarray, K: np.ndarray, D: int) -> np.ndarray:
    """(K ∗_D I)(i, j) = Σ_m Σ_n K(m, n) I(i + Dm, j + Dn) over all fully overlapping (i, j)."""
    I = np.asarray(I, dtype=float)
    K = np.asarray(K, dtype=float)
    M, N = I.shape
    F_rows, F_cols = K.shape
    rows, cols = M - D * (F_rows - 1), N - D * (F_cols - 1)
    if rows < 1 or cols < 1:
        raise ValueError("the dilated kernel does not fit in the image")
    out = np.zeros((rows, cols))
    for m in range(F_rows):
        for n in range(F_cols):
            # Tap (m, n) reads the image shifted by (Dm, Dn) for every output position at once.
            out += K[m, n] * I[D * m : D * m + rows, D * n : D * n + cols]
    return out


def conv2d_valid(I: np.ndarray, K: np.ndarray) -> np.ndarray:
    """Ordinary valid convolution (correlation, no flip): the D = 1 case of the definition."""
    return dilated_conv2d(I, K, 1)


def conv2d_with_kronecker_kernel(I: np.ndarray, K: np.ndarray, D: int) -> np.ndarray:
    """The dilated conv as an ordinary conv with the full DF×DF kernel K ⊗ A.

    The D − 1 trailing zero rows/columns of K ⊗ A make each window D − 1 pixels longer than the
    dilated kernel's span, so the image is zero-padded by D − 1 at the bottom/right: the extra
    window positions only ever meet those zeros with zero weights, and the output has the
    dilated conv's M − DF + D rows and N − DF + D columns.
    """
    padded = np.pad(np.asarray(I, dtype=float), ((0, D - 1), (0, D - 1)))
    return conv2d_valid(padded, kronecker_kernel(K, D))
