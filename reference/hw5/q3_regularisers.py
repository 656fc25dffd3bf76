"""hw5.q3 — the same CNN trained with no regulariser, batch norm only, dropout only, and both, on MNIST.

The dataset is MNIST, as in the seed student's own code for this part (the handout is not
public): a TF1 CNN (conv 64@5×5 → pool 2 → conv 64@5×5 → pool 2 → dense) trained four ways for
20,000 steps of 64 images, with batch norm and dropout written from scratch. Our network is
smaller (the grader trains it on a CPU) and keeps the four variants.

A fair comparison changes one thing at a time: every variant has the same conv widths, the same
dense head, the same optimiser and the same batch order (one seed), and differs only in whether
a BatchNorm follows each conv/dense layer and whether dropout follows the hidden dense layer.
Where batch norm is used the preceding layer drops its bias: BN subtracts the mean straight
away, so that bias would be a dead parameter (β takes its role).

The table reports, per variant, the final train and validation accuracy, the best validation
accuracy and the train − validation gap: a regulariser that works shrinks the gap (dropout,
BN's batch noise) and/or speeds up training (BN).
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Variant:
    name: str
    batchnorm: bool
    dropout: bool


VARIANTS = (
    Variant("none", batchnorm=False, dropout=False),
    Variant("batchnorm", batchnorm=True, dropout=False),
    Variant("dropout", batchnorm=False, dropout=True),
    Variant("batchnorm+dropout", batchnorm=True, dropout=True),
)


@dataclass(frozen=True)
class NetConfig:
    """The network shared by all four variants (MNIST defaults)."""

    in_channels: int = 1  # grey digits; 3 for RGB images such as CIFAR-10
    image_size: int = 28  # square input side; each conv block halves it (28 → 14 → 7)
    num_classes: int = 10
    conv_widths: tuple[int, ...] = (32, 64)  # one conv 3×3 → [BN] → ReLU → max pool 2 per entry
    hidden_units: int = 128  # the dense layer dropout is applied to
    keep_prob: float = 0.5  # dropout keep probability p (the seed's convention); torch gets 1 − p


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 15
    batch_size: int = 64
    learning_rate: float = 1e-3  # Adam step size
    seed: int = 0  # same initial draw and batch order for every variant


@dataclass(frozen=True)
class History:
    train_loss: list[float]  # mean cross-entropy over each epoch's batches (train mode)
    train_accuracy: list[float]  # after each epoch, eval mode
    val_accuracy: list[float]  # after each epoch, eval mode


@dataclass(frozen=True)
class ComparisonRow:
    variant: str
    params: int  # trainable parameters (BN adds 2 per channel/unit, dropout none)
    train_accuracy: float  # after the last epoch
    val_accuracy: float  # after the last epoch
    best_val_accuracy: float

    @property
    def gap(self) -> float:
        """Train − validation accuracy: how much the model overfits."""
        return self.train_accuracy - self.val_accuracy


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class RegularisedCNN(nn.Module):
    """conv blocks → flatten → dense(hidden) [→ BN] → ReLU [→ dropout] → dense(classes)."""

    def __init__(self, config: NetConfig, *, batchnorm: bool, dropout: bool) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in, side = config.in_channels, config.image_size
        for width in config.conv_widths:
            layers.append(nn.Conv2d(c_in, width, 3, padding=1, bias=not batchnorm))
            if batchnorm:
                layers.append(nn.BatchNorm2d(width))  # per channel, over N·H·W
            layers += [nn.ReLU(), nn.MaxPool2d(2)]
            c_in, side = width, side // 2
        layers += [nn.Flatten(), nn.Linear(c_in * side * side, config.hidden_units, bias=not batchnorm)]
        if batchnorm:
            layers.append(nn.BatchNorm1d(config.hidden_units))  # per unit, over N
        layers.append(nn.ReLU())
        if dropout:
            layers.append(nn.Dropout(p=1 - config.keep_prob))  # torch's p is the drop probability
        layers.append(nn.Linear(config.hidden_units, config.num_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def make_model(config: NetConfig, variant: Variant) -> RegularisedCNN:
    return RegularisedCNN(config, batchnorm=variant.batchnorm, dropout=variant.dropout)


def images_to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8/float [N, H, W] or [N, H, W, C] (the loaders' layout) → float32 [N, C, H, W] in [0, 1]."""
    x = images[..., None] if images.ndim == 3 else images
    x = x.astype(np.float32) / 255.0 if images.dtype == np.uint8 else x.astype(np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 512) -> float:
    """Eval-mode accuracy (BN uses running statistics, dropout is off)."""
    model.eval()
    device = next(model.parameters()).device
    correct = sum(
        (model(x[i : i + batch_size].to(device)).argmax(dim=1).cpu() == y[i : i + batch_size]).sum().item()
        for i in range(0, len(x), batch_size)
    )
    return correct / len(x)


def train_classifier(
    model: nn.Module,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: TrainConfig = TrainConfig(),
    device: torch.device | None = None,
) -> History:
    """Adam on cross-entropy for config.epochs epochs; accuracies measured after every epoch."""
    device = device or default_device()
    model.to(device)
    xt, yt = images_to_tensor(x_train), torch.as_tensor(y_train, dtype=torch.long)
    xv, yv = images_to_tensor(x_val), torch.as_tensor(y_val, dtype=torch.long)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    order = torch.Generator().manual_seed(config.seed)
    history = History([], [], [])
    for _ in range(config.epochs):
        model.train()
        losses = []
        for idx in torch.randperm(len(xt), generator=order).split(config.batch_size):
            if len(idx) < 2:
                continue  # batch norm cannot take the statistics of a one-sample batch
            loss = nn.functional.cross_entropy(model(xt[idx].to(device)), yt[idx].to(device))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        history.train_loss.append(float(np.mean(losses)))
        history.train_accuracy.append(accuracy(model, xt, yt))
        history.val_accuracy.append(accuracy(model, xv, yv))
    return history


def compare_regularisers(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    net: NetConfig = NetConfig(),
    train: TrainConfig = TrainConfig(),
    device: torch.device | None = None,
) -> list[ComparisonRow]:
    """Train the four variants under the same seed and return one table row each."""
    rows = []
    for variant in VARIANTS:
        torch.manual_seed(train.seed)
        model = make_model(net, variant)
        history = train_classifier(model, x_train, y_train, x_val, y_val, train, device)
        rows.append(
            ComparisonRow(
                variant=variant.name,
                params=sum(p.numel() for p in model.parameters() if p.requires_grad),
                train_accuracy=history.train_accuracy[-1],
                val_accuracy=history.val_accuracy[-1],
                best_val_accuracy=max(history.val_accuracy),
            )
        )
    return rows


def comparison_markdown(rows: list[ComparisonRow]) -> str:
    """The comparison as a Markdown table."""
    lines = [
        "| variant | params | train acc | val acc | best val acc | gap |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.variant} | {r.params:,} | {r.train_accuracy:.3f} | {r.val_accuracy:.3f} "
        f"| {r.best_val_accuracy:.3f} | {r.gap:+.3f} |"
        for r in rows
    ]
    return "\n".join(lines)
