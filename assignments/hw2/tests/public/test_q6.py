"""hw2.q6 public checks: parameter counts of the three models, the format of predict_cifar on a
few visible test images, and confusion_matrix on a small example (accuracy is a hidden test)."""

import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_metrics import confusion_matrix
from reference.hw2.q6_parameter_counts import cifar_model_parameter_count

pytestmark = pytest.mark.question("q6")

DESCRIPTIONS = {
    1: "conv 3->6 k5, pool, conv 6->16 k5, pool, linear 400->120->10",
    2: "model 1 with BatchNorm2d after each convolution",
    3: "conv 3->30 k3, pool, conv 30->30 k3, pool, linear 1080->120->84->10",
}


def differences(got: np.ndarray, want: np.ndarray, limit: int = 5) -> str:
    """The first differing entries, as "[i, j] is g, expected w"."""
    cells = np.argwhere(got != want)[:limit]
    return "; ".join(f"[{i}, {j}] is {got[i, j]}, expected {want[i, j]}" for i, j in cells)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_parameter_count(kernel, number):
    got = kernel.value(f"sum(p.numel() for p in build_model({number}).parameters())")
    want = cifar_model_parameter_count(number)
    assert got == want, f"build_model({number}) has {got:,} parameters, expected {want:,} ({DESCRIPTIONS[number]})"


def test_predict_cifar_format(kernel, dataset_dir):
    images = load_cifar10(dataset_dir("cifar10")).x_test[:20]
    got = np.asarray(kernel.call("predict_cifar", images))
    assert got.shape == (20,), f"predict_cifar on 20 images returned shape {got.shape}, expected (20,): one class per image"
    assert np.issubdtype(got.dtype, np.integer) and got.min() >= 0 and got.max() <= 9, (
        f"predict_cifar returned {got.tolist()}; expected integer classes 0-9"
    )


def test_confusion_matrix_small_example(kernel):
    y_true = np.array([0, 0, 1, 2, 2, 2, 9, 4])
    y_pred = np.array([0, 1, 1, 2, 0, 2, 9, 2])
    got = np.asarray(kernel.call("confusion_matrix", y_true, y_pred))
    want = confusion_matrix(y_true, y_pred, 10)
    assert got.shape == want.shape, f"confusion_matrix returned shape {got.shape}, expected {want.shape} (all 10 classes)"
    assert np.array_equal(got, want), (
        f"confusion_matrix(y_true={y_true.tolist()}, y_pred={y_pred.tolist()}) differs: {differences(got, want)} "
        "(entry [i, j] counts the samples of true class i predicted as j)"
    )
