"""hw3.q3 — the seed's one-cycle training recipe for the ResNet9 on Intel images.

Adam with torch's OneCycleLR (max lr 0.01), stepped once per mini-batch, for 18 epochs;
the seed reports validation accuracy 0.91 and test accuracy 0.90 on the real dataset
(14k training images). The seed names only Adam, the max lr and the epochs; weight decay
1e-4 and gradient clipping at 0.1 are the customary companions of this ResNet9 recipe
(the one-cycle "fit" loop it comes from) and are fields here, so 0 turns them off.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class OneCycleConfig:
    epochs: int = 18  # the seed's 18 epochs
    max_lr: float = 0.01  # schedule peak (torch defaults: start max_lr/25, peak at 30 %, end max_lr/25/1e4)
    batch_size: int = 64
    weight_decay: float = 1e-4  # L2 term passed to Adam
    grad_clip: float = 0.1  # clip each gradient entry to [−0.1, 0.1]; 0 disables
    seed: int = 0  # batch order


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    train_loss: float  # mean mini-batch loss over the epoch
    val_loss: float
    val_accuracy: float
    learning_rates: tuple[float, ...]  # the rate each of the epoch's optimiser steps used


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def images_to_tensor(images: np.ndarray) -> torch.Tensor:
    """float [N, H, W, 3] in [0, 1] (the image-folder loader's layout) → float32 [N, 3, H, W]."""
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2), dtype=np.float32))


@torch.no_grad()
def evaluate(model: nn.Module, images: np.ndarray, labels: np.ndarray, device: torch.device, batch_size: int = 128) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) in eval mode."""
    model.eval()
    x = images_to_tensor(images)
    logits = torch.cat([model(chunk.to(device)).cpu() for chunk in x.split(batch_size)])
    y = torch.from_numpy(np.asarray(labels, dtype=np.int64))
    return nn.functional.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


@torch.no_grad()
def predict(model: nn.Module, images: np.ndarray, device: torch.device | None = None, batch_size: int = 128) -> np.ndarray:
    """Predicted class per image, int64 [N]."""
    device = device or default_device()
    model.eval()
    x = images_to_tensor(images)
    return torch.cat([model(chunk.to(device)).argmax(1).cpu() for chunk in x.split(batch_size)]).numpy()


def fit_one_cycle(
    model: nn.Module,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: OneCycleConfig = OneCycleConfig(),
    device: torch.device | None = None,
) -> list[EpochResult]:
    """Train `model` in place; one result per epoch."""
    device = device or default_device()
    model.to(device)
    x = images_to_tensor(x_train)
    y = torch.from_numpy(np.asarray(y_train, dtype=np.int64))
    steps_per_epoch = -(-len(x) // config.batch_size)  # ceil: the last, smaller batch counts
    optimizer = torch.optim.Adam(model.parameters(), lr=config.max_lr, weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.max_lr, epochs=config.epochs, steps_per_epoch=steps_per_epoch
    )
    order = torch.Generator().manual_seed(config.seed)

    history = []
    for epoch in range(1, config.epochs + 1):
        model.train()
        losses, rates = [], []
        for batch in torch.randperm(len(x), generator=order).split(config.batch_size):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch].to(device)), y[batch].to(device))
            loss.backward()
            if config.grad_clip > 0:
                nn.utils.clip_grad_value_(model.parameters(), config.grad_clip)
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            schedule.step()  # one-cycle is a per-step schedule
            losses.append(loss.item())
        val_loss, val_accuracy = evaluate(model, x_val, y_val, device)
        history.append(EpochResult(epoch, float(np.mean(losses)), val_loss, val_accuracy, tuple(rates)))
    return history
