"""hw3.q1 — measuring that compound scaling really multiplies FLOPs by ≈ 2^φ.

The baseline is a plain CNN whose three dimensions are explicit: a stem conv 3 → width,
`depth` conv layers width → width (3×3, padding 1, so the resolution is kept), global
average pooling and a linear classifier. Its FLOPs (torch's FlopCounterMode convention:
2 per multiply-accumulate of every conv and matmul; bias, ReLU and pooling not counted) are

    2 · r² · 9 · (3 · w + depth · w²) + 2 · w · classes,

dominated by depth · w² · r², exactly the product compound scaling controls.
"""

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from reference.hw3.q1_efficientnet import scale_baseline

N_CLASSES = 10
KERNEL = 3


class PlainCNN(nn.Module):
    def __init__(self, depth: int, width: int, n_classes: int = N_CLASSES) -> None:
        super().__init__()
        layers: list[nn.Module] = [nn.Conv2d(3, width, KERNEL, padding=1), nn.ReLU()]
        for _ in range(depth):
            layers += [nn.Conv2d(width, width, KERNEL, padding=1), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def plain_cnn_flops(depth: int, width: int, resolution: int, n_classes: int = N_CLASSES) -> int:
    """Closed-form FLOPs of one forward pass of PlainCNN on one image (see module docstring)."""
    per_pixel_macs = KERNEL * KERNEL * (3 * width + depth * width * width)
    return 2 * resolution * resolution * per_pixel_macs + 2 * width * n_classes


def measure_flops(model: nn.Module, resolution: int) -> int:
    """FLOPs counted by torch's FlopCounterMode for one image of side `resolution`.

    The input lives on the meta device: shapes propagate and FLOPs are counted without
    computing anything, so even large resolutions cost nothing.
    """
    model = model.to("meta")
    with FlopCounterMode(display=False) as counter:
        model(torch.empty(1, 3, resolution, resolution, device="meta"))
    return counter.get_total_flops()


def measured_flops_growth(
    depth: int, width: int, resolution: int, alpha: float, beta: float, gamma: float, phi: float
) -> float:
    """Measured FLOPs of the scaled PlainCNN divided by the baseline's."""
    scaled = scale_baseline(depth, width, resolution, alpha, beta, gamma, phi)
    baseline_flops = measure_flops(PlainCNN(depth, width), resolution)
    scaled_flops = measure_flops(PlainCNN(scaled.depth, scaled.width), scaled.resolution)
    return scaled_flops / baseline_flops
