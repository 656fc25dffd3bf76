"""hw2.q6 — the reference's CIFAR-10 CNNs: one family whose depth and batch norm are arguments.

The handout asks for the effect of depth, the effect of batch normalisation on the conv layers,
and the most accurate architecture found; it fixes no architecture. The reference answers with

    ConvNet(depth, width, batch_norm):
        depth × [conv 3×3 'same' (width channels) → (BatchNorm) → ReLU → 2×2 max-pool]
        → global average pooling → linear width → 10

Global average pooling makes the classifier's input `width` at every depth (up to 5 blocks on
32×32 images), so models of different depths differ in the number of conv blocks only, and the
batch-norm variant differs in the BatchNorm2d layers only — exactly the two comparisons asked.
"""

from torch import Tensor, nn

from reference.hw2.q6_parameter_counts import CIFAR_CLASSES, MAX_DEPTH


def conv_block(c_in: int, c_out: int, batch_norm: bool) -> list[nn.Module]:
    """conv 3×3 (padding 1) → [BatchNorm] → ReLU → 2×2 max-pool: halves the side."""
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, 3, padding=1)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(c_out))
    return [*layers, nn.ReLU(), nn.MaxPool2d(2)]


class ConvNet(nn.Module):
    def __init__(self, depth: int, width: int = 24, batch_norm: bool = False, n_classes: int = CIFAR_CLASSES) -> None:
        super().__init__()
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be 1 to {MAX_DEPTH} (each block halves the 32-pixel side), got {depth}")
        blocks = [conv_block(3 if i == 0 else width, width, batch_norm) for i in range(depth)]
        self.features = nn.Sequential(*(layer for block in blocks for layer in block))
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, n_classes))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars (the sum of numel over model.parameters())."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
