"""hw3.q3 — the seed's ResNet for Intel Image Classification (a "ResNet9"), as a torch module.

    conv block(c_in, c_out)  = conv 3×3 (padding 1, bias) → BatchNorm → ReLU [→ max-pool 2]

    prep    block 3 → 64
    layer1  block 64 → 128 + pool,   residual: x + block(block(x)) at 128
    layer2  block 128 → 256 + pool
    layer3  block 256 → 512 + pool,  residual: x + block(block(x)) at 512
    head    max-pool, flatten, linear 512 → 6

The three 2×2 pools divide the input side by 8 (floor at each step). The classifier's
max-pool then takes the whole remaining s×s map, s = ⌊⌊⌊H/2⌋/2⌋/2⌋, down to 1×1, so the
flatten gives exactly 512 features for any input size: kernel 4 for 32×32 inputs (our
smoke size), 8 for 64×64, 18 for Intel's real 150×150 images.
"""

from torch import Tensor, nn

INTEL_CLASSES = ("buildings", "forest", "glacier", "mountain", "sea", "street")


def conv_block(c_in: int, c_out: int, pool: bool = False) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


def final_map_size(input_size: int) -> int:
    """Side of the feature map entering the classifier: three floor-halvings of the input."""
    return input_size // 2 // 2 // 2


class ResNet9(nn.Module):
    """The seed's network with width = 64; `width` scales every stage (w, 2w, 4w, 8w channels)."""

    def __init__(self, n_classes: int = len(INTEL_CLASSES), input_size: int = 150, width: int = 64) -> None:
        super().__init__()
        if final_map_size(input_size) < 1:
            raise ValueError(f"input side {input_size} is too small: three 2×2 pools need at least 8")
        w = width
        self.prep = conv_block(3, w)
        self.layer1 = conv_block(w, 2 * w, pool=True)
        self.residual1 = nn.Sequential(conv_block(2 * w, 2 * w), conv_block(2 * w, 2 * w))
        self.layer2 = conv_block(2 * w, 4 * w, pool=True)
        self.layer3 = conv_block(4 * w, 8 * w, pool=True)
        self.residual2 = nn.Sequential(conv_block(8 * w, 8 * w), conv_block(8 * w, 8 * w))
        self.classifier = nn.Sequential(
            nn.MaxPool2d(final_map_size(input_size)),  # s×s → 1×1: the flatten is 8w (512)
            nn.Flatten(),
            nn.Linear(8 * w, n_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.layer1(self.prep(x))
        x = x + self.residual1(x)
        x = self.layer3(self.layer2(x))
        x = x + self.residual2(x)
        return self.classifier(x)
