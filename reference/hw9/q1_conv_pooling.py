"""hw9.q1 — 2-D vs 3-D convolution (shapes, parameter counts) and global / adaptive pooling, in pure Python/NumPy.

(a) A 2-D convolution over a C_in-channel input uses filters that are themselves 3-D,
C_in × k_h × k_w: a filter spans *all* input channels and slides only along H and W, so each
filter yields one 2-D output channel, and C_out filters yield C_out channels:
    output C_out × H_out × W_out,   parameters C_out · (C_in · k_h · k_w + 1).
A 3-D convolution's filter is C_in × k_d × k_h × k_w with k_d smaller than the depth D, so it
also slides along D and each filter yields a 3-D output:
    output C_out × D_out × H_out × W_out,   parameters C_out · (C_in · k_d · k_h · k_w + 1).
Per axis (dilation 1): n_out = ⌊(n + 2p − k) / s⌋ + 1.

(b) (prose, graded by hand) Most filters are square because an image has no preferred direction,
and an odd side k has a centre pixel; the size trades the receptive field against parameters and
compute (two stacked 3×3 layers see 5×5 with 18 instead of 25 weights per channel pair).

(c) Pooling: max / average over k × k windows; *global* pooling reduces each channel's whole
map to one number (N, C, H, W → N, C); *adaptive* pooling fixes the output size and derives the
windows from it. The code here (shapes, counts, global and adaptive pooling) is the project's
addition to the handout's prose questions. PyTorch's rule for output bin i of n_out over an axis of length n_in is

    start = ⌊i · n_in / n_out⌋,   end = ⌈(i + 1) · n_in / n_out⌉,

so bins cover the axis, may overlap by one when n_in is not a multiple of n_out, and work for
n_out > n_in too (bins of one element, repeated). Pooling has no parameters.
"""

from collections.abc import Callable
from typing import Literal

import numpy as np

PoolKind = Literal["max", "avg"]
REDUCERS: dict[str, Callable[..., np.ndarray]] = {"max": np.max, "avg": np.mean}


def _per_axis(value: int | tuple[int, ...], n: int) -> tuple[int, ...]:
    return (value,) * n if isinstance(value, int) else tuple(value)


def conv_output_shape(
    in_shape: tuple[int, ...],
    out_channels: int,
    kernel: int | tuple[int, ...],
    stride: int | tuple[int, ...] = 1,
    padding: int | tuple[int, ...] = 0,
) -> tuple[int, ...]:
    """(C_out, *spatial_out) of a convolution on one sample of shape (C_in, *spatial).

    in_shape (C, H, W) is a 2-D convolution, (C, D, H, W) a 3-D one.
    """
    spatial = in_shape[1:]
    k, s, p = (_per_axis(v, len(spatial)) for v in (kernel, stride, padding))
    out = []
    for n, ki, si, pi in zip(spatial, k, s, p, strict=True):
        if n + 2 * pi < ki:
            raise ValueError(f"kernel {ki} does not fit in {n} + 2·{pi}")
        out.append((n + 2 * pi - ki) // si + 1)
    return (out_channels, *out)


def conv_param_count(in_channels: int, out_channels: int, kernel: tuple[int, ...], bias: bool = True) -> int:
    """Weights of C_out filters of size C_in × Π kernel, plus one bias per filter.

    kernel has 2 entries for a 2-D convolution and 3 for a 3-D one.
    """
    filter_size = in_channels
    for k in kernel:
        filter_size *= k
    return out_channels * (filter_size + int(bias))


def global_pool(x: np.ndarray, kind: PoolKind) -> np.ndarray:
    """Reduce each channel's map of x [N, C, H, W] to one number: [N, C]."""
    return REDUCERS[kind](x, axis=(-2, -1))


def adaptive_bins(in_size: int, out_size: int) -> list[tuple[int, int]]:
    """[start, end) of each of out_size bins over in_size elements (PyTorch's rule)."""
    if in_size < 1 or out_size < 1:
        raise ValueError(f"sizes must be positive, got in={in_size}, out={out_size}")
    # -(-a // b) is ⌈a/b⌉ in integers, with no floating-point rounding
    return [(i * in_size // out_size, -(-(i + 1) * in_size // out_size)) for i in range(out_size)]


def adaptive_pool2d(x: np.ndarray, out_hw: tuple[int, int], kind: PoolKind) -> np.ndarray:
    """Adaptive max/avg pooling of the last two axes of x to out_hw (any leading axes kept)."""
    reduce = REDUCERS[kind]
    rows, cols = adaptive_bins(x.shape[-2], out_hw[0]), adaptive_bins(x.shape[-1], out_hw[1])
    out = np.empty(x.shape[:-2] + tuple(out_hw), dtype=np.result_type(x, np.float64) if kind == "avg" else x.dtype)
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate(cols):
            out[..., i, j] = reduce(x[..., r0:r1, c0:c1], axis=(-2, -1))
    return out
