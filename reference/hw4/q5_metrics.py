"""hw4.q5 (2, 3) — accuracy, confusion matrix, one-vs-rest ROC curves and macro AUC, in NumPy.

Labels are ints 0..n_classes−1; probabilities are [N, n_classes] scores (softmax outputs).
One-vs-rest: class k's curve treats "label == k" as positive and scores it by column k.
"""

from dataclasses import dataclass

import numpy as np


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """int64 [n_classes, n_classes]; entry [i, j] counts images of true class i predicted as j."""
    pairs = np.asarray(y_true, dtype=np.int64) * n_classes + np.asarray(y_pred, dtype=np.int64)
    return np.bincount(pairs, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


@dataclass(frozen=True)
class RocCurve:
    """Points (fpr[i], tpr[i]) for the rule "positive iff score ≥ thresholds[i]".

    thresholds decrease from +inf (nothing positive: the point (0, 0)) through every distinct
    score (the last one calls everything positive: the point (1, 1)), as sklearn.metrics.roc_curve
    with drop_intermediate=False.
    """

    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray


def roc_curve(is_positive: np.ndarray, scores: np.ndarray) -> RocCurve:
    """The ROC curve of a binary problem.

    Sorting by decreasing score, lowering the threshold past each distinct score value turns
    all images with that score positive at once (tied scores share one point), so the true and
    false positives at a threshold are cumulative counts up to the last image with that score.
    """
    is_positive = np.asarray(is_positive, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_positive = int(is_positive.sum())
    n_negative = len(is_positive) - n_positive
    if n_positive == 0 or n_negative == 0:
        raise ValueError("a ROC curve needs at least one positive and one negative example")
    order = np.argsort(-scores, kind="stable")
    sorted_scores, sorted_positive = scores[order], is_positive[order]
    last_of_each_score = np.r_[np.flatnonzero(np.diff(sorted_scores)), len(scores) - 1]
    true_positives = np.cumsum(sorted_positive)[last_of_each_score]
    false_positives = last_of_each_score + 1 - true_positives
    return RocCurve(
        fpr=np.r_[0.0, false_positives / n_negative],
        tpr=np.r_[0.0, true_positives / n_positive],
        thresholds=np.r_[np.inf, sorted_scores[last_of_each_score]],
    )


def roc_curve_one_vs_rest(y_true: np.ndarray, probabilities: np.ndarray) -> list[RocCurve]:
    """One ROC curve per class k: positives are label k, scores are probabilities[:, k]."""
    y_true = np.asarray(y_true)
    return [roc_curve(y_true == k, probabilities[:, k]) for k in range(probabilities.shape[1])]


def binary_auc(is_positive: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve = P(score of a random positive > score of a random negative)
    + ½ P(they tie) (the Mann–Whitney statistic; equal to the trapezoidal area under roc_curve)."""
    is_positive = np.asarray(is_positive, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    positives, negatives = scores[is_positive], np.sort(scores[~is_positive])
    if len(positives) == 0 or len(negatives) == 0:
        raise ValueError("AUC needs at least one positive and one negative example")
    below = np.searchsorted(negatives, positives, side="left")  # negatives scoring strictly lower
    tied = np.searchsorted(negatives, positives, side="right") - below
    return float((below + 0.5 * tied).sum() / (len(positives) * len(negatives)))


def one_vs_rest_aucs(y_true: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """float64 [n_classes]: the AUC of every class against the rest."""
    y_true = np.asarray(y_true)
    return np.array([binary_auc(y_true == k, probabilities[:, k]) for k in range(probabilities.shape[1])])


def macro_auc(y_true: np.ndarray, probabilities: np.ndarray) -> float:
    """Unweighted mean of the one-vs-rest AUCs (sklearn's roc_auc_score(multi_class='ovr', average='macro'))."""
    return float(one_vs_rest_aucs(y_true, probabilities).mean())
