"""hw2.q3 — the four pooling kinds of the question, in NumPy.

Pooling slides a size×size window with a given stride over the two spatial axes and
reduces each window to one number, independently for every depth slice (channel), so the
depth is kept. Windows must fit entirely (no padding, floor of the output size, as torch's
default). The reduction has no weights: a pooling layer has 0 trainable parameters.

    max      max of the window
    min      min of the window                     (= −max(−x))
    l2       Frobenius norm sqrt(Σ x²) of the window (torch's lp_pool2d with p = 2)
    average  mean of the window

Layout: the pooled axes are the LAST two, every leading axis is kept. So HW, CHW and
NCHW inputs all work (NCHW is torch's layout; an NHWC array must be transposed first).
"""

from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

PoolKind = Literal["max", "min", "l2", "average"]
POOL_KINDS: tuple[PoolKind, ...] = ("max", "min", "l2", "average")


def pooled_size(length: int, size: int, stride: int) -> int:
    """Number of window positions along one axis: floor((length − size) / stride) + 1."""
    if size > length:
        raise ValueError(f"window {size} larger than the input {length}")
    return (length - size) // stride + 1


def pool2d(x: np.ndarray, kind: PoolKind, size: int, stride: int | None = None) -> np.ndarray:
    """Pool the last two axes of x with size×size windows; stride defaults to size.

    Output shape: x.shape[:-2] + (pooled_size(H), pooled_size(W)).
    """
    stride = size if stride is None else stride
    if x.ndim < 2:
        raise ValueError("pool2d needs at least the two spatial axes (H, W)")
    if size < 1 or stride < 1:
        raise ValueError("size and stride must be positive")
    pooled_size(x.shape[-2], size, stride)  # validates that a window fits
    pooled_size(x.shape[-1], size, stride)
    # windows[..., i, j, :, :] is the window whose top-left corner is (i·stride, j·stride)
    windows = sliding_window_view(x, (size, size), axis=(-2, -1))[..., ::stride, ::stride, :, :]
    window_axes = (-2, -1)
    if kind == "max":
        return windows.max(axis=window_axes)
    if kind == "min":
        return windows.min(axis=window_axes)
    if kind == "l2":
        # square in float64: an integer image (uint8) would overflow when squared
        return np.sqrt(np.square(windows, dtype=np.float64).sum(axis=window_axes))
    if kind == "average":
        return windows.mean(axis=window_axes)
    raise ValueError(f"unknown pooling kind {kind!r}; expected one of {POOL_KINDS}")


def pool2d_parameter_count(kind: PoolKind) -> int:
    """Trainable parameters of a pooling layer: none, whatever the kind (a fixed reduction)."""
    if kind not in POOL_KINDS:
        raise ValueError(f"unknown pooling kind {kind!r}; expected one of {POOL_KINDS}")
    return 0
