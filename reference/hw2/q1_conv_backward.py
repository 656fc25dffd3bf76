"""hw2.q1 — backpropagation through a convolutional layer, in NumPy.

The layer is torch's `conv2d` (a cross-correlation) on NCHW arrays, with one stride s and one
zero padding p for both spatial axes; X_p is the padded input:

    Y[n, o, h, w] = b[o] + Σ_{c, i, j} W[o, c, i, j] · X_p[n, c, h·s + i, w·s + j]

Given G = ∂L/∂Y, the chain rule gives the three gradients of the question:

    ∂L/∂b[o]          = Σ_{n, h, w} G[n, o, h, w]
    ∂L/∂W[o, c, i, j] = Σ_{n, h, w} G[n, o, h, w] · X_p[n, c, h·s + i, w·s + j]
                        (a correlation of the input with G: W is shared by every position)
    ∂L/∂X_p           = the *full* convolution of G, dilated by s, with W rotated by 180°,
                        summed over the output channels; ∂L/∂X crops the padding off.

Dilating G (s − 1 zeros between its entries) puts each output gradient at the position of its
window; input rows and columns that no window reaches (when (H + 2p − k) is not a multiple of
s) get zero gradient.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass(frozen=True)
class ConvGradients:
    """∂L/∂X, ∂L/∂W and ∂L/∂b of one conv2d layer, shaped like X, W and b."""

    dx: np.ndarray  # [N, C_in, H, W]
    dw: np.ndarray  # [C_out, C_in, k_h, k_w]
    db: np.ndarray  # [C_out]

    @classmethod
    def from_answer(cls, answer: object) -> "ConvGradients":
        """The triple (dx, dw, db) a student's conv2d_backward returned (a tuple arrives as a list)."""
        if not isinstance(answer, list) or len(answer) != 3:
            raise ValueError(f"conv2d_backward returned {type(answer).__name__}; expected a tuple (dx, dw, db)")
        return cls(*(np.asarray(a, dtype=float) for a in answer))


def output_size(length: int, kernel: int, stride: int, padding: int) -> int:
    """floor((length + 2p − k) / s) + 1, as torch's conv2d."""
    if length + 2 * padding < kernel:
        raise ValueError(f"kernel {kernel} larger than the padded input {length + 2 * padding}")
    return (length + 2 * padding - kernel) // stride + 1


def pad_spatial(x: np.ndarray, before: tuple[int, int], after: tuple[int, int] | None = None) -> np.ndarray:
    """Zeros around the last two axes: `before` rows/columns first, `after` (default: the same) last."""
    after = before if after is None else after
    return np.pad(x, ((0, 0), (0, 0), (before[0], after[0]), (before[1], after[1])))


def windows(x: np.ndarray, kernel: tuple[int, int], stride: int) -> np.ndarray:
    """[N, C, H_out, W_out, k_h, k_w]: the k_h × k_w window under each output position."""
    return sliding_window_view(x, kernel, axis=(2, 3))[:, :, ::stride, ::stride]


def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Y = b + W ⋆ X_p (cross-correlation, as torch's conv2d): [N, C_out, H_out, W_out]."""
    patches = windows(pad_spatial(np.asarray(x, dtype=np.float64), (padding, padding)), w.shape[2:], stride)
    return np.einsum("nchwij,ocij->nohw", patches, w) + np.asarray(b)[None, :, None, None]


def dilate(g: np.ndarray, stride: int) -> np.ndarray:
    """G with stride − 1 zeros between neighbouring entries of the last two axes."""
    n, c, h, w = g.shape
    out = np.zeros((n, c, (h - 1) * stride + 1, (w - 1) * stride + 1), dtype=g.dtype)
    out[:, :, ::stride, ::stride] = g
    return out


def conv2d_backward(x: np.ndarray, w: np.ndarray, dy: np.ndarray, stride: int = 1, padding: int = 0) -> ConvGradients:
    """∂L/∂X, ∂L/∂W, ∂L/∂b of Y = conv2d(X, W, b, stride, padding), given dy = ∂L/∂Y."""
    x, w, dy = (np.asarray(a, dtype=np.float64) for a in (x, w, dy))
    kernel = w.shape[2:]
    x_padded = pad_spatial(x, (padding, padding))
    expected = (output_size(x.shape[2], kernel[0], stride, padding), output_size(x.shape[3], kernel[1], stride, padding))
    if dy.shape != (x.shape[0], w.shape[0], *expected):
        raise ValueError(f"dy has shape {dy.shape}; the layer's output is {(x.shape[0], w.shape[0], *expected)}")

    db = dy.sum(axis=(0, 2, 3))
    dw = np.einsum("nchwij,nohw->ocij", windows(x_padded, kernel, stride), dy)

    # dL/dX_p: dilate G, extend it with zeros over the rows/columns no window reached (so that
    # the full convolution below comes out the padded input's size), pad it by k − 1 on every
    # side, and correlate with W rotated by 180°.
    g = dilate(dy, stride)
    reach = (x_padded.shape[2] - kernel[0] + 1, x_padded.shape[3] - kernel[1] + 1)
    g = pad_spatial(g, (0, 0), (reach[0] - g.shape[2], reach[1] - g.shape[3]))
    g_full = pad_spatial(g, (kernel[0] - 1, kernel[1] - 1))
    w_rotated = w[:, :, ::-1, ::-1]
    dx_padded = np.einsum("nohwij,ocij->nchw", windows(g_full, kernel, 1), w_rotated)
    dx = dx_padded[:, :, padding : padding + x.shape[2], padding : padding + x.shape[3]]
    return ConvGradients(dx=dx, dw=dw, db=db)
