"""hw2.q6 — the reference's training recipe for the CIFAR-10 models.

The handout fixes no optimiser, epochs or accuracy. The reference trains every model of its
studies the same way — Adam (lr 0.001) on the cross-entropy loss, mini-batches of 32, inputs
scaled to [−1, 1] — so that only the architecture differs between the runs it compares.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class CifarTrainingConfig:
    epochs: int = 6  # enough for the small grader data; the real CIFAR-10 wants 20 or more
    batch_size: int = 32
    learning_rate: float = 0.001  # Adam's step size
    seed: int = 0  # initial weights are the caller's; this fixes the batch order


@dataclass(frozen=True)
class EpochRecord:
    """One point of the loss curves."""

    epoch: int
    train_loss: float  # mean of the mini-batch losses during the epoch
    test_loss: float  # mean cross-entropy on the test set after the epoch
    test_accuracy: float


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def images_to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, H, W, 3] (the CIFAR loader's layout) → float32 [N, 3, H, W] in [−1, 1].

    (x/255 − 0.5)/0.5 is the tutorial's Normalize((0.5,)*3, (0.5,)*3) after ToTensor.
    """
    x = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2))).float() / 255.0
    return (x - 0.5) / 0.5


@torch.no_grad()
def predict_logits(model: nn.Module, images: np.ndarray, device: torch.device, batch_size: int = 500) -> torch.Tensor:
    """Logits [N, classes] on the CPU, computed in eval mode (BatchNorm uses running stats)."""
    model.eval()
    x = images_to_tensor(images)
    return torch.cat([model(chunk.to(device)).cpu() for chunk in x.split(batch_size)])


def predict(model: nn.Module, images: np.ndarray, device: torch.device | None = None) -> np.ndarray:
    """Predicted class per image, int64 [N]."""
    return predict_logits(model, images, device or default_device()).argmax(dim=1).numpy()


def train_classifier(
    model: nn.Module,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    config: CifarTrainingConfig = CifarTrainingConfig(),
    device: torch.device | None = None,
) -> list[EpochRecord]:
    """Train `model` in place with Adam on cross-entropy; one record per epoch."""
    device = device or default_device()
    model.to(device)
    x = images_to_tensor(x_train)
    y = torch.from_numpy(np.asarray(y_train, dtype=np.int64))
    y_test_tensor = torch.from_numpy(np.asarray(y_test, dtype=np.int64))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    order = torch.Generator().manual_seed(config.seed)

    history = []
    for epoch in range(1, config.epochs + 1):
        model.train()
        batch_losses = []
        for batch in torch.randperm(len(x), generator=order).split(config.batch_size):
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch].to(device)), y[batch].to(device))
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        logits = predict_logits(model, x_test, device)
        history.append(
            EpochRecord(
                epoch=epoch,
                train_loss=float(np.mean(batch_losses)),
                test_loss=loss_fn(logits, y_test_tensor).item(),
                test_accuracy=(logits.argmax(dim=1) == y_test_tensor).float().mean().item(),
            )
        )
    return history
