"""hw4.q5 — the two models: the paper's lightweight VGG and VGG16 transfer learning (PyTorch).

Both take float images in [0, 1], shape [N, 3, H, W], and return class logits.
Their parameter counts are derived in closed form in q5_parameter_counts.py.
"""

import torch
from torch import nn

from reference.hw4.q5_parameter_counts import (
    LIGHTWEIGHT_VGG_BLOCK_WIDTHS, LIGHTWEIGHT_VGG_DENSE_WIDTHS, LIGHTWEIGHT_VGG_INPUT_SIZE,
)

# ImageNet statistics the pretrained VGG16 weights were trained with (torchvision's recipe)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class ConvBlock(nn.Module):
    """VGG's unit: two 3×3 'same' convolutions, each followed by ReLU (pooling is the caller's)."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.ReLU(),
            nn.Conv2d(out_channels, out_channels, 3, padding=1), nn.ReLU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class LightweightVGG(nn.Module):
    """The seed's Figure 3: five ConvBlocks (16, 32, 64, 128, 128) each followed by 2×2
    max-pooling, flatten (4·4·128 = 2048 at 128×128 input), dense 1024, dense 1024, dense n_classes.

    ``blocks[-1]`` (the last block's 8×8×128 activations, before its pool) is the layer
    Grad-CAM reads (q5_cam.py).
    """

    def __init__(self, n_classes: int = 8, dropout: float = 0.0, input_size: int = LIGHTWEIGHT_VGG_INPUT_SIZE):
        super().__init__()
        widths = (3, *LIGHTWEIGHT_VGG_BLOCK_WIDTHS)
        self.blocks = nn.ModuleList(ConvBlock(c_in, c_out) for c_in, c_out in zip(widths, widths[1:]))
        self.pool = nn.MaxPool2d(2)
        side = input_size // 2 ** len(self.blocks)
        hidden_1, hidden_2 = LIGHTWEIGHT_VGG_DENSE_WIDTHS
        # The seed's table names no dropout; it is an option (0.5 is VGG's own choice).
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(side * side * widths[-1], hidden_1), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden_1, hidden_2), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden_2, n_classes),
        )
        self.apply(_he_initialise)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = self.pool(block(x))
        return self.classifier(x)


def _he_initialise(module: nn.Module) -> None:
    """He-normal weights, zero biases (He et al. 2015).

    A plain 13-layer ReLU stack without batch norm: PyTorch's default initialisation has weight
    variance 1/(3·fan_in), so each layer shrinks the signal's variance about six-fold and the
    logits start near zero with vanishing gradients (measured: training loss stuck at ln 8 for
    three epochs on affectnet-tiny). Variance 2/fan_in keeps the activations' scale layer to layer.
    """
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        nn.init.zeros_(module.bias)


class VGG16Transfer(nn.Module):
    """torchvision's VGG16 with its convolutions frozen and a new n_classes output layer.

    Input in [0, 1]; the ImageNet standardisation the pretrained weights expect is applied
    inside (buffers, not parameters). At 128×128 input the last feature map is 4×4×512;
    torchvision's adaptive pooling resamples it to 7×7 so the pretrained dense layers fit.
    The two pretrained dense layers and the new head are trained.
    """

    def __init__(self, n_classes: int = 8, pretrained: bool = False):
        super().__init__()
        from torchvision.models import VGG16_Weights, vgg16

        # pretrained=True downloads ImageNet weights (528 MB): needs internet, never run in tests
        self.vgg = vgg16(weights=VGG16_Weights.IMAGENET1K_V1 if pretrained else None)
        self.vgg.features.requires_grad_(False)
        new_head = nn.Linear(self.vgg.classifier[-1].in_features, n_classes)
        self.vgg.classifier[-1] = new_head
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.vgg((x - self.mean) / self.std)


def vgg16_transfer(n_classes: int = 8, pretrained: bool = False) -> VGG16Transfer:
    return VGG16Transfer(n_classes, pretrained)


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, frozen) parameter counts of a built model."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    return trainable, frozen
