"""hw4.q2 — Zeiler–Fergus deconvnet: project one activation back to pixel space.

The question's optional extension. The handout asks for prose on Springenberg et al.'s guided
backpropagation (which builds on this deconvnet) and Dosovitskiy & Brox's up-convolutional
networks; the code here backs the no-point max_unpool / transposed-conv checks.

A deconvnet attached to a conv layer inverts each step of the forward pass approximately:
  * max pooling  → max *unpooling*: the pooled value goes back to the position that won the max
    (the "switch", recorded in the forward pass); every other position gets 0;
  * ReLU         → ReLU (keeps the reconstruction non-negative, as feature maps are);
  * convolution  → transposed convolution with the *same* filters (the adjoint of the conv).
Starting from a single non-zero activation, the result shows which input pattern excites it.
An "up-convolution" (learned transposed convolution in a decoder) uses the same transposed-conv
arithmetic but its filters are trained, not borrowed from the encoder.

Array layout: all NumPy arrays here are NCHW (batch, channel, height, width), like torch.
Switches are flat indices into each H×W plane (row · W + col), exactly torch's convention for
max_pool2d(return_indices=True), so they can be passed to torch.nn.MaxUnpool2d and back.
"""

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # torch is imported only by the functions that build or run a model
    import torch


def pooled_size(n: int, size: int, stride: int) -> int:
    """Output length of a pooling window of `size` moved by `stride` (no padding, floor mode)."""
    return (n - size) // stride + 1


def max_pool_with_switches(
    x: np.ndarray, size: int, stride: int
) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling of an NCHW array; returns (pooled values, switches), both (N, C, H', W').

    switches[n, c, i, j] = flat index r · W + s of the input position (r, s) holding the max of
    window (i, j); ties go to the first position in row-major order (as torch does).
    """
    batch, channels, height, width = x.shape
    out_h, out_w = pooled_size(height, size, stride), pooled_size(width, size, stride)
    pooled = np.empty((batch, channels, out_h, out_w), dtype=x.dtype)
    switches = np.empty((batch, channels, out_h, out_w), dtype=np.int64)
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            window = x[:, :, top : top + size, left : left + size].reshape(batch, channels, -1)
            winner = window.argmax(axis=-1)  # index inside the size×size window
            pooled[:, :, i, j] = np.take_along_axis(window, winner[..., None], axis=-1)[..., 0]
            row, col = top + winner // size, left + winner % size
            switches[:, :, i, j] = row * width + col
    return pooled, switches


def max_unpool(
    pooled: np.ndarray, switches: np.ndarray, output_shape: tuple[int, int]
) -> np.ndarray:
    """Max unpooling: zeros of spatial shape output_shape = (H, W), each pooled value written
    back at its switch. Inputs are NCHW; the result is (N, C, H, W)."""
    batch, channels = pooled.shape[:2]
    height, width = output_shape
    planes = np.zeros((batch, channels, height * width), dtype=pooled.dtype)
    # Overlapping windows may share a switch; they carry the same value, so the write order
    # does not matter.
    np.put_along_axis(
        planes,
        switches.reshape(batch, channels, -1),
        pooled.reshape(batch, channels, -1),
        axis=-1,
    )
    return planes.reshape(batch, channels, height, width)


def transposed_conv_output_size(
    n: int, kernel: int, stride: int, padding: int, output_padding: int = 0, dilation: int = 1
) -> int:
    """Length of a transposed convolution's output along one axis.

    The transposed conv is the adjoint of a conv that maps this length back to n:
    each of the n inputs is spread over a dilated kernel of span dilation·(kernel − 1) + 1,
    inputs are placed `stride` apart ((n − 1)·stride), the conv's `padding` is cropped from
    both ends, and output_padding adds rows on one side to pick among the lengths that a
    strided conv would have mapped to the same n.
    """
    return (n - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


# ---------------------------------------------------------------- the deconvnet on a small CNN


def build_small_cnn(
    in_channels: int = 1, filters: int = 4, kernel: int = 3, padding: int = 1, pool: int = 2
) -> "torch.nn.Sequential":
    """conv (stride 1) → ReLU → max-pool(pool, stride pool): the layer the deconvnet inverts."""
    import torch

    return torch.nn.Sequential(
        torch.nn.Conv2d(in_channels, filters, kernel, padding=padding),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(pool, stride=pool, return_indices=True),
    )


def deconvnet_reconstruction(
    model: "torch.nn.Sequential", image: np.ndarray, channel: int, row: int, col: int
) -> np.ndarray:
    """Project pooled activation (channel, row, col) of one C×H×W image back to pixel space.

    Forward: conv → ReLU → max-pool (recording switches). Backward (Zeiler & Fergus 2014):
    keep only the chosen activation, unpool with the switches, ReLU, then transposed
    convolution with the conv's own filters (bias ignored: it is not part of the pattern).
    Returns a C×H×W array, the same shape as the image.
    """
    import torch
    import torch.nn.functional as F

    conv, _, pool = model
    with torch.no_grad():
        x = torch.as_tensor(image, dtype=conv.weight.dtype)[None]
        feature_maps = F.relu(conv(x))
        pooled, switches = pool(feature_maps)

        only_chosen = torch.zeros_like(pooled)
        only_chosen[0, channel, row, col] = pooled[0, channel, row, col]
        unpooled = F.max_unpool2d(
            only_chosen,
            switches,
            pool.kernel_size,
            pool.stride,
            output_size=feature_maps.shape[-2:],
        )
        reconstruction = F.conv_transpose2d(
            F.relu(unpooled),
            conv.weight,
            stride=conv.stride,
            padding=conv.padding,
            dilation=conv.dilation,
        )
    return reconstruction[0].numpy()
