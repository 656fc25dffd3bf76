"""hw2.q5 — the same MLP trained with ReLU and with LeakyReLU on MNIST-format digits.

The comparison is fair by construction: both networks are built after the same
torch.manual_seed (activations have no parameters, so the initial weights are identical)
and see the mini-batches in the same order; only the activation differs. The table reports
loss and accuracy on the training and test sets after the first and after the last epoch,
the two points the seed's answer compares (it used 1 and 1000 epochs).
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import nn

from reference.hw2.q5_activations import DEFAULT_SLOPE

Activation = Literal["relu", "leaky_relu"]


@dataclass(frozen=True)
class MLPTrainingConfig:
    """One place for the recipe (the seed does not state its optimiser: Adam is our choice)."""

    hidden: tuple[int, ...] = (128, 64)  # widths of the hidden layers
    epochs: int = 10  # the table reports epoch 1 and this last epoch
    batch_size: int = 64
    learning_rate: float = 1e-3  # Adam step size
    slope: float = DEFAULT_SLOPE  # LeakyReLU negative slope
    seed: int = 0  # same weights and batch order for both activations


@dataclass(frozen=True)
class EpochMetrics:
    """Mean cross-entropy and accuracy on both sets, measured after one epoch."""

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float


@dataclass(frozen=True)
class ComparisonRow:
    activation: Activation
    metrics: EpochMetrics


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def flatten_images(images: np.ndarray) -> np.ndarray:
    """uint8 [N, H, W] (IDX layout) or float [N, D] -> float32 [N, D] in [0, 1]."""
    flat = images.reshape(len(images), -1).astype(np.float32)
    return flat / 255.0 if images.dtype == np.uint8 else flat


def build_mlp(n_inputs: int, n_classes: int, activation: Activation, config: MLPTrainingConfig) -> nn.Sequential:
    """Linear → activation for every hidden width, then a Linear to the class logits."""
    layers: list[nn.Module] = []
    width = n_inputs
    for hidden in config.hidden:
        layers.append(nn.Linear(width, hidden))
        layers.append(nn.ReLU() if activation == "relu" else nn.LeakyReLU(config.slope))
        width = hidden
    layers.append(nn.Linear(width, n_classes))
    return nn.Sequential(*layers)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of the model on the whole of x, y."""
    model.eval()
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y).item()
    accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, accuracy


def train_mlp(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    activation: Activation,
    config: MLPTrainingConfig = MLPTrainingConfig(),
    device: torch.device | None = None,
) -> list[EpochMetrics]:
    """Train the MLP with Adam + cross-entropy; return the metrics after every epoch."""
    device = device or default_device()
    xtr = torch.from_numpy(flatten_images(x_train)).to(device)
    ytr = torch.from_numpy(np.asarray(y_train, dtype=np.int64)).to(device)
    xte = torch.from_numpy(flatten_images(x_test)).to(device)
    yte = torch.from_numpy(np.asarray(y_test, dtype=np.int64)).to(device)
    n_classes = int(max(ytr.max().item(), yte.max().item())) + 1

    torch.manual_seed(config.seed)
    model = build_mlp(xtr.shape[1], n_classes, activation, config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    order = torch.Generator().manual_seed(config.seed)  # the same shuffles for both activations

    history = []
    for epoch in range(1, config.epochs + 1):
        model.train()
        for batch in torch.randperm(len(xtr), generator=order).split(config.batch_size):
            batch = batch.to(device)
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(xtr[batch]), ytr[batch]).backward()
            optimizer.step()
        train_loss, train_accuracy = evaluate(model, xtr, ytr)
        test_loss, test_accuracy = evaluate(model, xte, yte)
        history.append(EpochMetrics(epoch, train_loss, train_accuracy, test_loss, test_accuracy))
    return history


def compare_activations(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    config: MLPTrainingConfig = MLPTrainingConfig(),
    device: torch.device | None = None,
) -> list[ComparisonRow]:
    """Rows (activation, metrics) after epoch 1 and after the last epoch, ReLU first."""
    rows = []
    for activation in ("relu", "leaky_relu"):
        history = train_mlp(x_train, y_train, x_test, y_test, activation, config, device)
        rows.append(ComparisonRow(activation, history[0]))
        if config.epochs > 1:
            rows.append(ComparisonRow(activation, history[-1]))
    return rows


def format_comparison_table(rows: list[ComparisonRow]) -> str:
    """A plain-text table: one line per (activation, epoch)."""
    lines = [f"{'activation':<11} {'epoch':>5} {'train loss':>10} {'train acc':>9} {'test loss':>9} {'test acc':>8}"]
    for row in rows:
        m = row.metrics
        lines.append(
            f"{row.activation:<11} {m.epoch:>5} {m.train_loss:>10.4f} {m.train_accuracy:>9.4f} "
            f"{m.test_loss:>9.4f} {m.test_accuracy:>8.4f}"
        )
    return "\n".join(lines)
