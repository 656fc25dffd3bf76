"""NumPy metrics against scikit-learn on random data with many tied scores."""

import numpy as np
import pytest
from sklearn import metrics

from reference.hw4.q5_metrics import (
    accuracy,
    binary_auc,
    confusion_matrix,
    macro_auc,
    one_vs_rest_aucs,
    roc_curve,
    roc_curve_one_vs_rest,
)


def random_problem(seed: int, n: int = 60, n_classes: int = 5, tied: bool = True):
    """Labels, and probability rows summing to 1; with tied=True every probability is a
    multiple of 1/10, so scores tie often within a class column."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)  # every class present
    if tied:
        probabilities = rng.multinomial(10, np.full(n_classes, 1 / n_classes), size=n) / 10
    else:
        logits = rng.normal(size=(n, n_classes)) + 1.5 * np.eye(n_classes)[y]
        probabilities = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    return y, probabilities


@pytest.mark.parametrize("seed", range(3))
def test_confusion_matrix_and_accuracy(seed: int):
    y, probabilities = random_problem(seed)
    predicted = probabilities.argmax(1)
    np.testing.assert_array_equal(
        confusion_matrix(y, predicted, 5), metrics.confusion_matrix(y, predicted, labels=range(5))
    )
    assert accuracy(y, predicted) == pytest.approx(metrics.accuracy_score(y, predicted))


def test_confusion_matrix_keeps_absent_classes():
    cm = confusion_matrix(np.array([0, 0, 2]), np.array([0, 2, 2]), 4)
    assert cm.shape == (4, 4) and cm.sum() == 3 and cm[0, 2] == 1 and cm[1].sum() == 0


@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_roc_curves_match_sklearn(seed: int, tied: bool):
    y, probabilities = random_problem(seed, tied=tied)
    for k, curve in enumerate(roc_curve_one_vs_rest(y, probabilities)):
        fpr, tpr, thresholds = metrics.roc_curve(y == k, probabilities[:, k], drop_intermediate=False)
        np.testing.assert_allclose(curve.fpr, fpr)
        np.testing.assert_allclose(curve.tpr, tpr)
        np.testing.assert_array_equal(curve.thresholds, thresholds)


@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_aucs_match_sklearn_and_the_area_under_our_curve(seed: int, tied: bool):
    y, probabilities = random_problem(seed, tied=tied)
    expected = metrics.roc_auc_score(y, probabilities, multi_class="ovr", average="macro")
    assert macro_auc(y, probabilities) == pytest.approx(expected, abs=1e-12)
    per_class = metrics.roc_auc_score(y, probabilities, multi_class="ovr", average=None)
    np.testing.assert_allclose(one_vs_rest_aucs(y, probabilities), per_class, atol=1e-12)
    # the Mann–Whitney form equals the trapezoidal area of the curve (ties: ½ credit = diagonal segment)
    for k, curve in enumerate(roc_curve_one_vs_rest(y, probabilities)):
        assert binary_auc(y == k, probabilities[:, k]) == pytest.approx(np.trapezoid(curve.tpr, curve.fpr), abs=1e-12)


def test_auc_extremes_and_errors():
    positive = np.array([True, True, False, False])
    assert binary_auc(positive, np.array([0.9, 0.8, 0.2, 0.1])) == 1.0
    assert binary_auc(positive, np.array([0.1, 0.2, 0.8, 0.9])) == 0.0
    assert binary_auc(positive, np.full(4, 0.5)) == 0.5  # all tied: no information
    with pytest.raises(ValueError):
        binary_auc(np.ones(3, dtype=bool), np.arange(3.0))
    with pytest.raises(ValueError):
        roc_curve(np.zeros(3, dtype=bool), np.arange(3.0))
