"""The bundled data can be learnt: trained on the visible training part, a simple classifier
scores far above chance on the hidden split; with the training labels shuffled it stays near
chance (so the score comes from the images, not from an artefact of the split)."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from graders.data.bundled import ensure_dataset, ensure_hidden_split
from graders.data.cifar10 import load_cifar10
from graders.data.image_folder import load_image_folder
from graders.data.mnist import load_mnist


def block_mean(images: np.ndarray, side: int) -> np.ndarray:
    """Average-pool square images down to side×side (keeps the logistic regression small)."""
    n, h = images.shape[:2]
    f = h // side
    return images.reshape(n, side, f, side, f, -1).mean(axis=(2, 4))


def features_and_labels(name: str, folder: Path, part: str) -> tuple[np.ndarray, np.ndarray]:
    """part 'train' or 'test' of a bundled dataset as flat [N, D] float features in [0, 1]."""
    if name in ("cifar10-tiny", "mnist-tiny"):
        split = (load_cifar10 if name == "cifar10-tiny" else load_mnist)(folder)
        x, y = (split.x_train, split.y_train) if part == "train" else (split.x_test, split.y_test)
        x = x.astype(np.float32) / 255
        x = block_mean(x[..., None] if x.ndim == 3 else x, 14 if name == "mnist-tiny" else 16)
    else:
        parts = {"intel-tiny": ("seg_train", "seg_test"), "affectnet-tiny": ("Train", "Validation")}[name]
        x, y, _ = load_image_folder(folder / parts[part == "test"])
        x = block_mean(x, 16)
    return x.reshape(len(x), -1), y


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("hidden")


@pytest.mark.parametrize(
    "name, n_classes", [("cifar10-tiny", 10), ("mnist-tiny", 10), ("intel-tiny", 6), ("affectnet-tiny", 8)]
)
def test_logistic_regression_learns_and_shuffled_labels_do_not(roots, name: str, n_classes: int):
    x, y = features_and_labels(name, ensure_dataset(name, roots[0]), "train")
    hidden = ensure_hidden_split(name, roots[1])
    # evaluate on both parts of the hidden split: more images, a tighter estimate
    parts = [features_and_labels(name, hidden, part) for part in ("train", "test")]
    x_eval, y_eval = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    chance = 1 / n_classes

    def hidden_accuracy(labels: np.ndarray) -> float:
        model = LogisticRegression(C=0.1, max_iter=1000).fit(x, labels)
        return float((model.predict(x_eval) == y_eval).mean())

    learnt = hidden_accuracy(y)
    # One shuffle of a few dozen labels per class still correlates with the true classes by
    # chance (measured: 5–25 % on affectnet-tiny, chance 12.5 %), so average three shuffles.
    shuffled = np.mean([hidden_accuracy(np.random.default_rng(seed).permutation(y)) for seed in range(3)])
    assert learnt > chance + 0.5, (learnt, chance)
    assert shuffled < chance + 0.08, (shuffled, chance)


def test_tiny_cnn_learns_cifar10_tiny_in_seconds(roots):
    import torch
    from torch import nn

    torch.manual_seed(0)
    split = load_cifar10(ensure_dataset("cifar10-tiny", roots[0]))
    hidden = load_cifar10(ensure_hidden_split("cifar10-tiny", roots[1]))
    as_tensor = lambda images: torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255  # noqa: E731
    x, y = as_tensor(split.x_train), torch.from_numpy(split.y_train)
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
        nn.Flatten(), nn.Linear(32, 10),
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(8):
        for batch in torch.randperm(len(x)).split(50):
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    with torch.no_grad():
        accuracy = (model(as_tensor(hidden.x_test)).argmax(1).numpy() == hidden.y_test).mean()
    assert accuracy > 0.6, accuracy
