"""hw4.q5 (2, 3) — the training recipe shared by both models: Adam, cross-entropy, on-the-fly
augmentation, loss and accuracy per epoch on the training and validation data.

Measured on a shared 2-core CPU, one thread, LightweightVGG on affectnet-tiny (8 × 24 Train
images, 128×128), accuracy on the 256 hidden images (chance 0.125):
  * SMOKE_CONFIG (3 epochs, no augmentation): 10–13 s; accuracy 0.82 / 0.63 / 0.60 and macro AUC
    0.985 / 0.968 / 0.939 for seeds 0 / 1 / 2;
  * TrainConfig(epochs=6, batch_size=16) (augmentation on): ≈ 22 s; accuracy 0.96, AUC 0.999.
See tests/reference/hw4/test_q5_training.py.
"""

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from reference.hw4.q5_augmentation import NO_AUGMENTATION, AugmentConfig, random_augment
from reference.hw4.q5_models import default_device


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 30  # full AffectNet subset; the smoke test uses 4
    batch_size: int = 32  # images per Adam step
    learning_rate: float = 5e-4  # Adam step size; 1e-3 reached 0.47 vs 0.69 after 3 smoke epochs
    weight_decay: float = 0.0  # L2 added to Adam's gradient; the paper's table names none
    validation_fraction: float = 0.1  # held out of the training arrays when no validation set is given
    augment: AugmentConfig = field(default_factory=AugmentConfig)  # applied to every training batch
    seed: int = 0  # shuffling, the validation hold-out and the augmentation draws


SMOKE_CONFIG = TrainConfig(epochs=3, batch_size=16, augment=NO_AUGMENTATION)


@dataclass(frozen=True)
class History:
    """Per-epoch curves. Training values average over the epoch's (augmented) batches in train
    mode, as Keras reports them; validation values are computed after the epoch in eval mode."""

    train_loss: tuple[float, ...]
    train_accuracy: tuple[float, ...]
    val_loss: tuple[float, ...]
    val_accuracy: tuple[float, ...]


def to_nchw(images: np.ndarray, device: torch.device) -> torch.Tensor:
    """float32 NHWC NumPy images -> NCHW tensor on device."""
    return torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32)).permute(0, 3, 1, 2).to(device)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) in eval mode."""
    model.eval()
    loss, correct = 0.0, 0
    for xb, yb in zip(x.split(batch_size), y.split(batch_size)):
        logits = model(xb)
        loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return loss / len(y), correct / len(y)


def hold_out(n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training indices, validation indices): a random fraction of range(n) held out."""
    order = np.random.default_rng(seed).permutation(n)
    n_val = int(round(fraction * n))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def train(
    model: nn.Module,
    x: np.ndarray,
    y: np.ndarray,
    config: TrainConfig = TrainConfig(),
    device: torch.device | str | None = None,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
) -> History:
    """Train model in place on images x (float32 [N, H, W, 3] in [0, 1]) and labels y (int64).

    Without a validation set, config.validation_fraction of (x, y) is held out as one.
    Only parameters with requires_grad are optimised (VGG16 transfer keeps its convolutions).
    """
    device = torch.device(device) if device is not None else default_device()
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    if validation is None:
        train_idx, val_idx = hold_out(len(x), config.validation_fraction, config.seed)
        validation = (x[val_idx], y[val_idx])
        x, y = x[train_idx], y[train_idx]
    model.to(device)
    x_train, y_train = to_nchw(x, device), torch.as_tensor(y, dtype=torch.int64, device=device)
    x_val, y_val = to_nchw(validation[0], device), torch.as_tensor(validation[1], dtype=torch.int64, device=device)
    optimiser = torch.optim.Adam(
        [p for p in model.parameters() if p.requires_grad], lr=config.learning_rate, weight_decay=config.weight_decay
    )
    curves: dict[str, list[float]] = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(config.epochs):
        model.train()
        loss_sum, correct = 0.0, 0
        for batch in torch.randperm(len(y_train), generator=generator).split(config.batch_size):
            batch = batch.to(device)
            images = random_augment(x_train[batch], config.augment, generator)
            logits = model(images)
            loss = F.cross_entropy(logits, y_train[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == y_train[batch]).sum().item()
        curves["train_loss"].append(loss_sum / len(y_train))
        curves["train_accuracy"].append(correct / len(y_train))
        if len(y_val):
            val_loss, val_accuracy = evaluate(model, x_val, y_val, config.batch_size)
            curves["val_loss"].append(val_loss)
            curves["val_accuracy"].append(val_accuracy)
    return History(**{name: tuple(values) for name, values in curves.items()})


@torch.no_grad()
def predict_probabilities(
    model: nn.Module, images: np.ndarray, device: torch.device | str | None = None, batch_size: int = 64
) -> np.ndarray:
    """Softmax class probabilities float32 [N, n_classes] (eval mode) for NHWC images in [0, 1]."""
    device = torch.device(device) if device is not None else default_device()
    model.to(device).eval()
    x = to_nchw(images, device)
    return torch.cat([F.softmax(model(xb), dim=1).cpu() for xb in x.split(batch_size)]).numpy()
