"""hw2.q6 hidden checks: the layers of the three models, the best model's accuracy on the hidden
test split, and the student's confusion matrix on their own hidden predictions.

Only images go into the kernel; labels stay here, and metrics are computed here. The confusion
matrix is checked on label arrays chosen here (random, so the real labels never leave the grader).
"""


import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_metrics import confusion_matrix
from reference.hw2.q6_parameter_counts import (
    CIFAR_CLASSES,
    CONV30_FC_HIDDEN,
    LENET_FC_HIDDEN,
    conv30_flatten_size,
    lenet_flatten_size,
)

pytestmark = pytest.mark.question("q6")

BATCH = 100  # images per kernel call

# (type, sizes...) of every Conv2d / Linear / BatchNorm2d of build_model(n), in any order
LAYERS_EXPRESSION = (
    "sorted([(type(m).__name__, m.in_channels, m.out_channels, *m.kernel_size) if isinstance(m, torch.nn.Conv2d) "
    "else (type(m).__name__, m.in_features, m.out_features) if isinstance(m, torch.nn.Linear) "
    "else (type(m).__name__, m.num_features) "
    "for m in build_model({number}).modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear, torch.nn.BatchNorm2d))])"
)


def linear_layers(n_in: int, hidden: tuple[int, ...]) -> list[tuple]:
    widths = (n_in, *hidden, CIFAR_CLASSES)
    return [("Linear", a, b) for a, b in zip(widths[:-1], widths[1:])]


def expected_layers(number: int) -> list[tuple]:
    """The seed's layers, from the reference's sizes."""
    if number == 3:
        return sorted([("Conv2d", 3, 30, 3, 3), ("Conv2d", 30, 30, 3, 3), *linear_layers(conv30_flatten_size(), CONV30_FC_HIDDEN)])
    layers = [("Conv2d", 3, 6, 5, 5), ("Conv2d", 6, 16, 5, 5), *linear_layers(lenet_flatten_size(), LENET_FC_HIDDEN)]
    if number == 2:
        layers += [("BatchNorm2d", 6), ("BatchNorm2d", 16)]
    return sorted(layers)


def differences(got: np.ndarray, want: np.ndarray, limit: int = 5) -> str:
    """The first differing entries, as "[i, j] is g, expected w"."""
    cells = np.argwhere(got != want)[:limit]
    return "; ".join(f"[{i}, {j}] is {got[i, j]}, expected {want[i, j]}" for i, j in cells)


@pytest.mark.parametrize("number", [1, 2, 3])
def test_model_layers(kernel, number):
    got = [tuple(layer) for layer in kernel.value(LAYERS_EXPRESSION.format(number=number))]
    want = expected_layers(number)
    assert got == want, f"build_model({number}) has the layers {got}, expected {want}"
    shape = kernel.value(f"tuple(build_model({number})(torch.zeros(2, 3, 32, 32)).shape)")
    assert list(shape) == [2, CIFAR_CLASSES], f"build_model({number}) maps a [2, 3, 32, 32] batch to {shape}, expected [2, 10]"


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


def test_confusion_matrix_of_your_predictions(kernel, hidden_predictions):
    rng = np.random.default_rng(601)
    cases = [
        (rng.integers(0, CIFAR_CLASSES, len(hidden_predictions)), {}),
        (rng.integers(0, 7, len(hidden_predictions)), {}),  # classes 7-9 never true: still 10 x 10
        (rng.integers(0, 12, len(hidden_predictions)), {"n_classes": 12}),
    ]
    for y_true, kwargs in cases:
        got = np.asarray(kernel.call("confusion_matrix", y_true, hidden_predictions, **kwargs))
        want = confusion_matrix(y_true, hidden_predictions, kwargs.get("n_classes", CIFAR_CLASSES))
        assert got.shape == want.shape, (
            f"confusion_matrix(y_true, your hidden predictions{', n_classes=12' if kwargs else ''}) has shape {got.shape}, "
            f"expected {want.shape}"
        )
        assert np.array_equal(got, want), (
            f"confusion_matrix(y_true, your hidden predictions{', n_classes=12' if kwargs else ''}) differs from the "
            f"matrix recomputed from the same arrays: {differences(got, want)}"
        )
