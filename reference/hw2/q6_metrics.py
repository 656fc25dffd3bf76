"""hw2.q6 — confusion matrix and per-class precision / recall / F1, in NumPy.

Conventions are scikit-learn's, so a student's sklearn output and ours compare directly:
  * C[i, j] = number of samples of true class i predicted as class j (rows: truth);
  * precision_k = C[k,k] / Σ_i C[i,k]  (of everything predicted k, how much is k)
    recall_k    = C[k,k] / Σ_j C[k,j]  (of everything that is k, how much was found)
    F1_k        = 2 P R / (P + R)      (harmonic mean)
  * a 0/0 ratio (a class never predicted, or absent) is reported as 0, as sklearn with
    zero_division=0;
  * macro average = plain mean over classes; weighted average = mean weighted by support.
"""

from dataclasses import dataclass

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """int64 [n_classes, n_classes]; entry (i, j) counts true i predicted j."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def _safe_ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, with 0 where the denominator is 0."""
    out = np.zeros_like(numerator, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


@dataclass(frozen=True)
class ClassificationReport:
    """Per-class arrays [n_classes] plus the summary lines of sklearn's report."""

    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    support: np.ndarray  # true samples per class
    accuracy: float
    macro_avg: tuple[float, float, float]  # (precision, recall, f1)
    weighted_avg: tuple[float, float, float]


def classification_report(matrix: np.ndarray) -> ClassificationReport:
    """The report computed from a confusion matrix (rows: truth, columns: prediction)."""
    true_positives = np.diag(matrix).astype(np.float64)
    predicted = matrix.sum(axis=0)
    support = matrix.sum(axis=1)
    precision = _safe_ratio(true_positives, predicted)
    recall = _safe_ratio(true_positives, support)
    f1 = _safe_ratio(2 * precision * recall, precision + recall)
    per_class = np.stack([precision, recall, f1])
    weights = support / support.sum()
    return ClassificationReport(
        precision=precision,
        recall=recall,
        f1=f1,
        support=support,
        accuracy=float(true_positives.sum() / matrix.sum()),
        macro_avg=tuple(float(v) for v in per_class.mean(axis=1)),
        weighted_avg=tuple(float(v) for v in per_class @ weights),
    )


def format_report(report: ClassificationReport, class_names: list[str], digits: int = 2) -> str:
    """Text laid out exactly like sklearn.metrics.classification_report (the seed printed that)."""
    width = max(len(name) for name in [*class_names, "weighted avg"])
    total = int(report.support.sum())
    row = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    text = ("{:>{width}s} " + " {:>9}" * 4).format("", "precision", "recall", "f1-score", "support", width=width)
    text += "\n\n"
    for k, name in enumerate(class_names):
        text += row.format(name, report.precision[k], report.recall[k], report.f1[k], int(report.support[k]),
                           width=width, digits=digits)
    text += "\n"
    text += ("{:>{width}s} " + " {:>9}" * 2 + " {:>9.{digits}f} {:>9}\n").format(
        "accuracy", "", "", report.accuracy, total, width=width, digits=digits
    )
    for label, (p, r, f) in (("macro avg", report.macro_avg), ("weighted avg", report.weighted_avg)):
        text += row.format(label, p, r, f, total, width=width, digits=digits)
    return text
