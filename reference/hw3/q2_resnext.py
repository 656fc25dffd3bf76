"""hw3.q2 — ResNeXt's aggregated residual transformations (Xie et al. 2017), in three equivalent forms.

A ResNeXt bottleneck block splits its input into C paths of the same shape (C is the
*cardinality*), transforms each one, and merges them (split–transform–merge):

    y = relu(x + Σ_{i=1..C} T_i(x)),
    T_i = 1×1 conv (channels → d) → ReLU → 3×3 conv (d → d) → ReLU → 1×1 conv (d → channels)

with d the bottleneck width of one path. The paper draws three forms of the same block:

    (a) "branches":    C separate paths, their outputs summed;
    (b) "concatenate": the paths' 3×3 outputs concatenated (C·d channels), then ONE 1×1 conv
                       C·d → channels (a sum of C 1×1 convs is one 1×1 conv over the concatenation);
    (c) "grouped":     1×1 conv channels → C·d, a 3×3 *grouped* conv with C groups (each group sees
                       only its own d channels: C parallel 3×3 convs), 1×1 conv C·d → channels.

All three have C·d·(2·channels + 9·d) weights and compute the same function once their weights
are shared; (c) is how ResNeXt is implemented. The paper puts batch norm after every conv (the
convs have no bias); the block here has neither, so it is a pure function of its weights and the
forms can be compared exactly. ResNet's bottleneck is the case C = 1 (e.g. 256-64-64-256 has
69,632 weights, against 70,144 for ResNeXt's 32 paths of width 4: the same cost).
"""

from collections import Counter
from collections.abc import Callable
from typing import Literal

import numpy as np
import torch
from torch import Tensor, nn

from reference.hw2.q1_conv_backward import conv2d_forward

Form = Literal["branches", "concatenate", "grouped"]
FORMS: tuple[Form, ...] = ("branches", "concatenate", "grouped")
ConvShape = tuple[int, int, int, int]  # in channels, out channels, kernel, groups

PAPER_TEMPLATE = (256, 32, 4)  # channels, cardinality, width of ResNeXt-50's first stage (32×4d)


# ---------------------------------------------------------------- closed forms

def grouped_conv_parameters(c_in: int, c_out: int, kernel: int, groups: int, bias: bool = False) -> int:
    """Each of the c_out filters sees only its group's c_in / groups channels."""
    if c_in % groups or c_out % groups:
        raise ValueError(f"{groups} groups must divide both {c_in} input and {c_out} output channels")
    return c_out * (c_in // groups) * kernel * kernel + (c_out if bias else 0)


def block_convs(channels: int, cardinality: int, width: int, form: Form) -> Counter[ConvShape]:
    """The convolutions of one form of the block, as a multiset of (in, out, kernel, groups)."""
    inner = cardinality * width
    if form == "branches":
        return Counter({(channels, width, 1, 1): cardinality, (width, width, 3, 1): cardinality,
                        (width, channels, 1, 1): cardinality})
    if form == "concatenate":
        return Counter({(channels, width, 1, 1): cardinality, (width, width, 3, 1): cardinality,
                        (inner, channels, 1, 1): 1})
    if form == "grouped":
        return Counter({(channels, inner, 1, 1): 1, (inner, inner, 3, cardinality): 1, (inner, channels, 1, 1): 1})
    raise ValueError(f"unknown form {form!r}; expected one of {FORMS}")


def resnext_block_parameters(channels: int, cardinality: int, width: int) -> int:
    """C · d · (2 · channels + 9 · d): the same for the three forms (bias-free convs)."""
    return cardinality * width * (2 * channels + 9 * width)


# ---------------------------------------------------------------- NumPy: split–transform–merge

def grouped_conv2d(x: np.ndarray, w: np.ndarray, groups: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """A grouped convolution written as what it is: split the channels into `groups`, convolve each
    group with its own filters, concatenate. x [N, C_in, H, W], w [C_out, C_in / groups, k, k]."""
    if x.shape[1] % groups or w.shape[0] % groups or w.shape[1] * groups != x.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels and w the shape {w.shape}: they do not split into {groups} groups")
    bias = np.zeros(w.shape[0] // groups)
    parts = zip(np.split(x, groups, axis=1), np.split(w, groups, axis=0))
    return np.concatenate([conv2d_forward(xg, wg, bias, stride, padding) for xg, wg in parts], axis=1)


def resnext_block_forward(x: np.ndarray, w_reduce: np.ndarray, w_transform: np.ndarray, w_expand: np.ndarray,
                          cardinality: int) -> np.ndarray:
    """The grouped form on weights given as arrays: relu(x + expand(relu(grouped3x3(relu(reduce(x))))))."""
    def relu(a: np.ndarray) -> np.ndarray:
        return np.maximum(a, 0.0)

    h = relu(conv2d_forward(x, w_reduce, np.zeros(len(w_reduce))))
    h = relu(grouped_conv2d(h, w_transform, cardinality, padding=1))
    return relu(x + conv2d_forward(h, w_expand, np.zeros(len(w_expand))))


def grouped_weights(form: Form, channels: int, cardinality: int, width: int,
                    weight_of: Callable[[tuple[int, ...]], np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grouped form's (reduce, transform, expand) weights equal to a block of `form` whose every
    convolution of shape s holds weight_of(s): all paths alike, so how a block orders its paths
    does not matter. Path i is the i-th slice of `width` channels of the grouped form."""
    inner = cardinality * width
    if form == "grouped":
        return weight_of((inner, channels, 1, 1)), weight_of((inner, width, 3, 3)), weight_of((channels, inner, 1, 1))
    reduce = np.concatenate([weight_of((width, channels, 1, 1))] * cardinality, axis=0)
    transform = np.concatenate([weight_of((width, width, 3, 3))] * cardinality, axis=0)
    if form == "branches":
        return reduce, transform, np.concatenate([weight_of((channels, width, 1, 1))] * cardinality, axis=1)
    if form == "concatenate":
        return reduce, transform, weight_of((channels, inner, 1, 1))
    raise ValueError(f"unknown form {form!r}; expected one of {FORMS}")


# ---------------------------------------------------------------- torch modules

def conv(c_in: int, c_out: int, kernel: int, groups: int = 1) -> nn.Conv2d:
    """A bias-free 'same' convolution."""
    return nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, groups=groups, bias=False)


class BranchesBlock(nn.Module):
    """Form (a): C separate paths, summed."""

    def __init__(self, channels: int, cardinality: int, width: int) -> None:
        super().__init__()
        self.paths = nn.ModuleList(
            nn.Sequential(conv(channels, width, 1), nn.ReLU(), conv(width, width, 3), nn.ReLU(), conv(width, channels, 1))
            for _ in range(cardinality)
        )

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x + sum(path(x) for path in self.paths))


class ConcatenateBlock(nn.Module):
    """Form (b): the paths' 3×3 outputs concatenated, one 1×1 conv back to `channels`."""

    def __init__(self, channels: int, cardinality: int, width: int) -> None:
        super().__init__()
        self.paths = nn.ModuleList(
            nn.Sequential(conv(channels, width, 1), nn.ReLU(), conv(width, width, 3), nn.ReLU())
            for _ in range(cardinality)
        )
        self.expand = conv(cardinality * width, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x + self.expand(torch.cat([path(x) for path in self.paths], dim=1)))


class GroupedBlock(nn.Module):
    """Form (c): 1×1, 3×3 grouped conv with `cardinality` groups, 1×1."""

    def __init__(self, channels: int, cardinality: int, width: int) -> None:
        super().__init__()
        inner = cardinality * width
        self.cardinality = cardinality
        self.reduce = conv(channels, inner, 1)
        self.transform = conv(inner, inner, 3, groups=cardinality)
        self.expand = conv(inner, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x + self.expand(torch.relu(self.transform(torch.relu(self.reduce(x))))))


def resnext_block(channels: int, cardinality: int, width: int, form: Form) -> nn.Module:
    blocks = {"branches": BranchesBlock, "concatenate": ConcatenateBlock, "grouped": GroupedBlock}
    if form not in blocks:
        raise ValueError(f"unknown form {form!r}; expected one of {FORMS}")
    return blocks[form](channels, cardinality, width)


@torch.no_grad()
def share_weights(grouped: GroupedBlock, other: BranchesBlock | ConcatenateBlock) -> None:
    """Give `other` the grouped block's weights: path i takes the i-th slice of d channels."""
    width = grouped.transform.out_channels // grouped.cardinality
    for i, path in enumerate(other.paths):
        part = slice(i * width, (i + 1) * width)
        path[0].weight.copy_(grouped.reduce.weight[part])
        path[2].weight.copy_(grouped.transform.weight[part])  # group i's filters and inputs
        if isinstance(other, BranchesBlock):
            path[4].weight.copy_(grouped.expand.weight[:, part])
    if isinstance(other, ConcatenateBlock):
        other.expand.weight.copy_(grouped.expand.weight)
