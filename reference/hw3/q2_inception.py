"""hw3.q2 — Inception modules and an Inception-ResNet block, as torch modules.

InceptionModule / NaiveInceptionModule follow Szegedy et al. 2015 (GoogLeNet), Fig. 2:
ReLU after every convolution, convolutions with biases, no batch normalisation; their
sizes and costs in closed form are in q2_inception_costs.

InceptionResNetBlock follows Szegedy et al. 2016 (Inception-v4 / Inception-ResNet), the
35×35 "A" block: Inception branches on the residual path, a linear 1×1 conv back to the
input width, and the residual *scaled* before it is added:

    output = x + scale · branch(x)

With very wide blocks (> 1000 filters) the paper saw training die early (outputs went to 0)
unless the residual was scaled down by a factor of 0.1–0.3. The paper applies a ReLU after
the sum; we leave it out so the block is exactly the formula above (scale = 0 is then the
identity, and the output is affine in the scale).
"""

import torch
from torch import Tensor, nn

from reference.hw3.q2_inception_costs import GOOGLENET_3A, InceptionConfig


def conv_relu(c_in: int, c_out: int, kernel: int) -> nn.Sequential:
    """'same'-padded stride-1 conv followed by ReLU."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2), nn.ReLU())


def same_max_pool() -> nn.MaxPool2d:
    """3×3 max-pool, stride 1, padding 1: keeps the grid so it can be concatenated."""
    return nn.MaxPool2d(3, stride=1, padding=1)


class InceptionModule(nn.Module):
    """Four branches with 1×1 reductions; output channels n1 + n3 + n5 + pool_proj."""

    def __init__(self, cfg: InceptionConfig = GOOGLENET_3A) -> None:
        super().__init__()
        self.branch1x1 = conv_relu(cfg.in_channels, cfg.n1x1, 1)
        self.branch3x3 = nn.Sequential(conv_relu(cfg.in_channels, cfg.n3x3_reduce, 1), conv_relu(cfg.n3x3_reduce, cfg.n3x3, 3))
        self.branch5x5 = nn.Sequential(conv_relu(cfg.in_channels, cfg.n5x5_reduce, 1), conv_relu(cfg.n5x5_reduce, cfg.n5x5, 5))
        self.branch_pool = nn.Sequential(same_max_pool(), conv_relu(cfg.in_channels, cfg.pool_proj, 1))

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([self.branch1x1(x), self.branch3x3(x), self.branch5x5(x), self.branch_pool(x)], dim=1)


class NaiveInceptionModule(nn.Module):
    """The naive module: 1×1, 3×3, 5×5 convs and a pool, all on the full input."""

    def __init__(self, cfg: InceptionConfig = GOOGLENET_3A) -> None:
        super().__init__()
        self.branch1x1 = conv_relu(cfg.in_channels, cfg.n1x1, 1)
        self.branch3x3 = conv_relu(cfg.in_channels, cfg.n3x3, 3)
        self.branch5x5 = conv_relu(cfg.in_channels, cfg.n5x5, 5)
        self.branch_pool = same_max_pool()

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([self.branch1x1(x), self.branch3x3(x), self.branch5x5(x), self.branch_pool(x)], dim=1)


class InceptionResNetBlock(nn.Module):
    """Inception-ResNet-A: x + scale · conv1×1(concat(b0, b1, b2)); shape preserved."""

    def __init__(self, channels: int, branch_channels: int = 32, scale: float = 0.1) -> None:
        super().__init__()
        b = branch_channels
        self.scale = scale
        self.branch0 = conv_relu(channels, b, 1)
        self.branch1 = nn.Sequential(conv_relu(channels, b, 1), conv_relu(b, b, 3))
        self.branch2 = nn.Sequential(conv_relu(channels, b, 1), conv_relu(b, b, 3), conv_relu(b, b, 3))
        # linear projection back to the input width: the residual must be able to be negative
        self.project = nn.Conv2d(3 * b, channels, 1)

    def residual(self, x: Tensor) -> Tensor:
        """branch(x): the unscaled residual."""
        return self.project(torch.cat([self.branch0(x), self.branch1(x), self.branch2(x)], dim=1))

    def forward(self, x: Tensor) -> Tensor:
        return x + self.scale * self.residual(x)
