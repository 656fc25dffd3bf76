"""hw5.q3 hidden check: `best_model` (one of the four trained variants) on the hidden test split.

Only images go into the kernel; labels stay here, and the accuracy is computed here.
"""

from pathlib import Path

import numpy as np
import pytest

from reference.datasets.bundled import ensure_hidden_split
from reference.datasets.cifar10 import load_cifar10
from reference.datasets.paths import hidden_root

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10


def hidden_cifar10_root(visible: Path) -> Path:
    """The hidden split matching the served data: generated for the tiny set; for the real data
    the instructor puts a cifar-10-batches-py/ (its test_batch is graded) under hidden_root()/cifar10."""
    if visible.name.endswith("-tiny"):
        return ensure_hidden_split(visible.name)
    folder = hidden_root() / visible.name
    if not (folder / "cifar-10-batches-py").is_dir():
        pytest.fail(f"the hidden CIFAR-10 split is missing: expected {folder}/cifar-10-batches-py", pytrace=False)
    return folder


def test_best_model_accuracy_on_hidden_images(kernel, dataset_dir, threshold):
    assert kernel.value("any(best_model is m for m in models.values())"), (
        "`best_model` is not one of the four networks in `models`"
    )
    split = load_cifar10(hidden_cifar10_root(dataset_dir("cifar10")))
    images = split.x_test.transpose(0, 3, 1, 2).astype(np.float32) / 255.0
    scores = np.asarray(kernel.predict("best_model", images), dtype=float)
    assert scores.shape == (len(images), N_CLASSES), (
        f"best_model returned shape {scores.shape} for {len(images)} images, expected ({len(images)}, {N_CLASSES})"
    )
    got = float(np.mean(scores.argmax(axis=1) == split.y_test))
    assert got >= threshold("accuracy"), (
        f"best_model classifies {got:.3f} of {len(images)} hidden images correctly; at least {threshold('accuracy')} "
        f"is needed (chance is {1 / N_CLASSES})"
    )
