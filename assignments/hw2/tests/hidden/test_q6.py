"""hw2.q6 hidden checks: the best model's accuracy on the hidden test split, and the student's
confusion matrix on their own hidden predictions, against scikit-learn's.

Only images go into the kernel; labels stay here, and metrics are computed here. The confusion
matrix is checked on label arrays chosen here (random, so the real labels never leave the grader).
"""


import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_parameter_counts import CIFAR_CLASSES

pytestmark = pytest.mark.question("q6")

BATCH = 100  # images per kernel call


def differences(got: np.ndarray, want: np.ndarray, limit: int = 5) -> str:
    """The first differing entries, as "[i, j] is g, expected w"."""
    cells = np.argwhere(got != want)[:limit]
    return "; ".join(f"[{i}, {j}] is {got[i, j]}, expected {want[i, j]}" for i, j in cells)


@pytest.fixture(scope="module")
def hidden_set(hidden_dataset_dir) -> tuple[np.ndarray, np.ndarray]:
    split = load_cifar10(hidden_dataset_dir("cifar10"))
    return split.x_test, split.y_test


@pytest.fixture(scope="module")
def hidden_predictions(kernel, hidden_set) -> np.ndarray:
    images, _ = hidden_set
    predicted = np.concatenate([np.asarray(kernel.call("predict_cifar", images[s : s + BATCH])).ravel()
                                for s in range(0, len(images), BATCH)])
    if predicted.shape != (len(images),) or not np.issubdtype(predicted.dtype, np.integer):
        pytest.fail(f"predict_cifar returned {predicted.shape[0]} values of type {predicted.dtype} for {len(images)} images; "
                    "expected one integer class per image", pytrace=False)
    return predicted


@pytest.mark.points(2)
def test_accuracy_on_hidden_images(hidden_set, hidden_predictions, threshold):
    _, labels = hidden_set
    got = float(np.mean(hidden_predictions == labels))
    assert got >= threshold("accuracy"), (
        f"accuracy of predict_cifar on {len(labels)} hidden images is {got:.3f}; at least {threshold('accuracy')} "
        "is needed (chance is 0.1)"
    )


@pytest.mark.points(1.5)
def test_confusion_matrix_of_your_predictions(kernel, hidden_predictions):
    rng = np.random.default_rng(601)
    cases = [
        (rng.integers(0, CIFAR_CLASSES, len(hidden_predictions)), {}),
        (rng.integers(0, 7, len(hidden_predictions)), {}),  # classes 7-9 never true: still 10 x 10
        (rng.integers(0, 12, len(hidden_predictions)), {"n_classes": 12}),
    ]
    for y_true, kwargs in cases:
        got = np.asarray(kernel.call("confusion_matrix", y_true, hidden_predictions, **kwargs))
        want = sklearn_confusion_matrix(y_true, hidden_predictions, labels=range(kwargs.get("n_classes", CIFAR_CLASSES)))
        assert got.shape == want.shape, (
            f"confusion_matrix(y_true, your hidden predictions{', n_classes=12' if kwargs else ''}) has shape {got.shape}, "
            f"expected {want.shape}"
        )
        assert np.array_equal(got, want), (
            f"confusion_matrix(y_true, your hidden predictions{', n_classes=12' if kwargs else ''}) differs from the "
            f"matrix scikit-learn computes from the same arrays: {differences(got, want)}"
        )
