"""hw2.q6 — the three CIFAR-10 models of the seed, as plain torch modules.

What the seed fixes, and what it leaves open:
  model 1  conv 3→6 k5, ReLU, maxpool 2, conv 6→16 k5, ReLU, maxpool 2, flatten (400),
           a fully connected part from 400 to 10 — "4 layers of neurons in all", i.e. the
           two convolutions plus two linear layers: 400 → h → 10. The seed does not give h;
           we use LeNet's 120.
  model 2  model 1 with batch normalisation: BatchNorm2d after each convolution, before
           its ReLU (the seed does not say where; this is the usual place).
  model 3  conv 3→30 k3, ReLU, maxpool 2, conv 30→30 k3, ReLU, maxpool 2, flatten (1080),
           fully connected to 10 — "5 layers": two convolutions plus three linear layers,
           1080 → h1 → h2 → 10; we use LeNet's 120 and 84.
The hidden widths are arguments, so a different reading of the seed changes one number.
ReLU follows every hidden layer (the seed: "relu between the layers").
"""

from torch import Tensor, nn

from reference.hw2.q6_parameter_counts import (
    CIFAR_CLASSES,
    CONV30_FC_HIDDEN,
    LENET_FC_HIDDEN,
    conv30_flatten_size,
    lenet_flatten_size,
)


def fully_connected(n_in: int, hidden: tuple[int, ...], n_classes: int) -> nn.Sequential:
    """Linear + ReLU for each hidden width, then a Linear to the class logits."""
    layers: list[nn.Module] = []
    for width in hidden:
        layers += [nn.Linear(n_in, width), nn.ReLU()]
        n_in = width
    layers.append(nn.Linear(n_in, n_classes))
    return nn.Sequential(*layers)


def conv_relu_pool(c_in: int, c_out: int, kernel: int, batch_norm: bool) -> nn.Sequential:
    """conv (valid padding) → [BatchNorm] → ReLU → 2×2 max-pool, stride 2."""
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, kernel)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(c_out))
    layers += [nn.ReLU(), nn.MaxPool2d(2, 2)]
    return nn.Sequential(*layers)


class LeNet(nn.Module):
    """Model 1 (batch_norm=False) and model 2 (batch_norm=True)."""

    def __init__(
        self, fc_hidden: tuple[int, ...] = LENET_FC_HIDDEN, batch_norm: bool = False, n_classes: int = CIFAR_CLASSES
    ) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_relu_pool(3, 6, 5, batch_norm),  # 32 → 28 → 14
            conv_relu_pool(6, 16, 5, batch_norm),  # 14 → 10 → 5
            nn.Flatten(),  # 16·5·5 = 400
        )
        self.classifier = fully_connected(lenet_flatten_size(), fc_hidden, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


class Conv30Net(nn.Module):
    """Model 3: two 3×3 convolutions of 30 channels, three linear layers."""

    def __init__(self, fc_hidden: tuple[int, ...] = CONV30_FC_HIDDEN, n_classes: int = CIFAR_CLASSES) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_relu_pool(3, 30, 3, batch_norm=False),  # 32 → 30 → 15
            conv_relu_pool(30, 30, 3, batch_norm=False),  # 15 → 13 → 6
            nn.Flatten(),  # 30·6·6 = 1080
        )
        self.classifier = fully_connected(conv30_flatten_size(), fc_hidden, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


def build_cifar_model(number: int) -> nn.Module:
    """Model 1, 2 or 3 of the seed with the default fully connected widths."""
    if number == 1:
        return LeNet()
    if number == 2:
        return LeNet(batch_norm=True)
    if number == 3:
        return Conv30Net()
    raise ValueError(f"model number must be 1, 2 or 3, got {number}")


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars (the sum of numel over model.parameters())."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
