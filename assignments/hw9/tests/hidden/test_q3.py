"""hw9.q3 hidden checks: the hypermodel's parameter count for other points of the space, and the
trained model's accuracy on the hidden test split.

Only images go into the kernel; labels stay here, and the accuracy is computed here.
"""


import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10
from reference.hw9.q3_keras_tuner import param_count

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10
OTHER_POINTS = (  # one conv block, three blocks (widths continue doubling), deep and wide dense parts, SGD
    {"conv_layers": 1, "dense_layers": 4, "units": 192, "filters": 16, "learning_rate": 1e-3, "optimizer": "adam"},
    {"conv_layers": 3, "dense_layers": 1, "units": 256, "filters": 8, "learning_rate": 1e-4, "optimizer": "sgd"},
    {"conv_layers": 2, "dense_layers": 3, "units": 128, "filters": 32, "learning_rate": 5e-4, "optimizer": "sgd"},
)


def test_hypermodel_counts_for_other_hyperparameters(kernel):
    for values in OTHER_POINTS:
        got = kernel.call("model_param_count", values)
        want = param_count(values)
        assert got == want, f"model_param_count({values}) returned {got}, expected {want:,}"


def test_accuracy_on_hidden_images(kernel, hidden_dataset_dir, threshold):
    split = load_cifar10(hidden_dataset_dir("cifar10"))
    images = split.x_test.astype(np.float32) / 255.0
    probabilities = np.asarray(kernel.predict("model", images), dtype=float)
    assert probabilities.shape == (len(images), N_CLASSES), (
        f"model.predict returned shape {probabilities.shape} for {len(images)} images, expected ({len(images)}, {N_CLASSES})"
    )
    got = float(np.mean(probabilities.argmax(axis=1) == split.y_test))
    assert got >= threshold("accuracy"), (
        f"`model` classifies {got:.3f} of {len(images)} hidden images correctly; at least {threshold('accuracy')} is needed "
        f"(chance is {1 / N_CLASSES})"
    )
