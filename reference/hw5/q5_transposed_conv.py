"""hw5.q5 — how a transposed convolution works: it is the adjoint (matrix transpose) of a convolution.

A 2-D convolution (cross-correlation, as deep-learning libraries compute it) with a fixed
kernel is linear in its input, so it is a matrix C acting on the flattened input:

    conv(x) = C · vec(x),     C ∈ R^{(C_out·H_out·W_out) × (C_in·H·W)},
    C[(o, i, j), (c, i·s − p + u, j·s − p + v)] = W[o, c, u, v].

The transposed convolution with the *same* kernel is multiplication by Cᵀ: it maps a
C_out × H_out × W_out tensor back to C_in × H × W. It is not an inverse (CᵀC ≠ I) — it sends each
output value back along the same weights that produced it, which is exactly the gradient of the
convolution w.r.t. its input. Hence the adjoint identity, for every x and y:

    ⟨conv(x), y⟩ = ⟨C x, y⟩ = ⟨x, Cᵀ y⟩ = ⟨x, conv_transpose(y)⟩.

Differences from a convolution: a conv with stride s shrinks the map by ~s; its transpose
enlarges it by s (an "upsampling conv", used in decoders such as DeconvNet, U-Net and GAN
generators). Sizes (dilation 1):

    conv:            H_out = ⌊(H + 2p − k) / s⌋ + 1
    conv_transpose:  H     = (H_out − 1)·s − 2p + k + output_padding

The floor makes several H map to the same H_out; output_padding ∈ [0, s) picks which one the
transpose produces (torch's `output_padding` argument).

Weights use PyTorch's conv2d layout [C_out, C_in, k, k]; torch's conv_transpose2d takes that same
tensor (its layout is [in = C_out, out = C_in, k, k]), which is the adjoint pairing above.
"""

import numpy as np


def conv_output_size(n: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Length of a conv output along one axis: ⌊(n + 2p − k)/s⌋ + 1."""
    if n + 2 * padding < kernel:
        raise ValueError(f"kernel {kernel} does not fit in {n} + 2·{padding}")
    return (n + 2 * padding - kernel) // stride + 1


def conv_transpose_output_size(n: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0) -> int:
    """Length of a transposed-conv output along one axis: (n − 1)·s − 2p + k + output_padding."""
    if not 0 <= output_padding < max(stride, 1):
        raise ValueError(f"output_padding must be in [0, stride), got {output_padding}")
    return (n - 1) * stride - 2 * padding + kernel + output_padding


def output_padding_for(n: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """The output_padding with which the transpose returns exactly n: the remainder the conv's floor dropped."""
    return (n + 2 * padding - kernel) % stride


def conv2d_matrix(weight: np.ndarray, in_hw: tuple[int, int], stride: int = 1, padding: int = 0) -> np.ndarray:
    """The matrix C with conv2d(x) = C · vec(x) for one image x of shape [C_in, H, W].

    Zero padding needs no rows or columns of its own: a tap that lands in the padding multiplies
    a zero, so it is simply left out of C.
    """
    c_out, c_in, kh, kw = weight.shape
    h, w = in_hw
    h_out = conv_output_size(h, kh, stride, padding)
    w_out = conv_output_size(w, kw, stride, padding)
    matrix = np.zeros((c_out, h_out, w_out, c_in, h, w), dtype=weight.dtype)
    for i in range(h_out):
        for j in range(w_out):
            for u in range(kh):
                for v in range(kw):
                    r, c = i * stride - padding + u, j * stride - padding + v
                    if 0 <= r < h and 0 <= c < w:
                        matrix[:, i, j, :, r, c] = weight[:, :, u, v]
    return matrix.reshape(c_out * h_out * w_out, c_in * h * w)


def conv2d(x: np.ndarray, weight: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Conv2d (no bias) of x [N, C_in, H, W] as the matrix product C · vec(x) per image."""
    n, _, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = conv_output_size(h, kh, stride, padding), conv_output_size(w, kw, stride, padding)
    matrix = conv2d_matrix(weight, (h, w), stride, padding)
    return (x.reshape(n, -1) @ matrix.T).reshape(n, c_out, h_out, w_out)


def conv_transpose2d(
    y: np.ndarray, weight: np.ndarray, in_hw: tuple[int, int], stride: int = 1, padding: int = 0
) -> np.ndarray:
    """Transposed conv of y [N, C_out, H_out, W_out] back to [N, C_in, *in_hw], as Cᵀ · vec(y).

    in_hw names which of the input sizes that share this H_out to return (torch: output_padding).
    """
    n = y.shape[0]
    c_in = weight.shape[1]
    matrix = conv2d_matrix(weight, in_hw, stride, padding)
    return (y.reshape(n, -1) @ matrix).reshape(n, c_in, *in_hw)


def adjoint_identity_sides(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[float, float]:
    """Both sides of ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩ (they agree up to rounding)."""
    lhs = float(np.sum(conv2d(x, weight, stride, padding) * y))
    rhs = float(np.sum(x * conv_transpose2d(y, weight, x.shape[2:], stride, padding)))
    return lhs, rhs
