"""hw5.q3 hidden check: `best_model` (one of the four trained variants) on the hidden test split.

Only images go into the kernel; labels stay here, and the accuracy is computed here.
"""


import numpy as np
import pytest

from graders.data.mnist import load_mnist

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10


def test_best_model_accuracy_on_hidden_images(kernel, hidden_dataset_dir, threshold, record_metric):
    assert kernel.value("any(best_model is m for m in models.values())"), (
        "`best_model` is not one of the four networks in `models`"
    )
    split = load_mnist(hidden_dataset_dir("mnist"))
    images = split.x_test[:, None].astype(np.float32) / 255.0
    scores = np.asarray(kernel.predict("best_model", images), dtype=float)
    assert scores.shape == (len(images), N_CLASSES), (
        f"best_model returned shape {scores.shape} for {len(images)} images, expected ({len(images)}, {N_CLASSES})"
    )
    got = float(np.mean(scores.argmax(axis=1) == split.y_test))
    record_metric("accuracy", got)
    assert got >= threshold("accuracy"), (
        f"best_model classifies {got:.3f} of {len(images)} hidden images correctly; at least {threshold('accuracy')} "
        f"is needed (chance is {1 / N_CLASSES})"
    )
