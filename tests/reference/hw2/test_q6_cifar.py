"""hw2.q6 reference: model sizes vs torch, metrics vs scikit-learn, and the studies on cifar10-tiny.
(What makes a depth study or a batch-norm comparison is the public check's to judge:
tests/assignments/test_hw2_depth_study_designs.py.)"""

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.metrics import classification_report as sk_classification_report
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from graders.data.bundled import ensure_dataset
from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_cifar_models import ConvNet, count_parameters
from reference.hw2.q6_metrics import classification_report, confusion_matrix, format_report
from reference.hw2.q6_parameter_counts import MAX_DEPTH, convnet_parameter_count
from reference.hw2.q6_training import CifarTrainingConfig, images_to_tensor, predict, train_classifier


def _numel(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("depth", range(1, MAX_DEPTH + 1))
@pytest.mark.parametrize(("width", "batch_norm"), [(32, False), (32, True), (7, False)])
def test_parameter_counts_match_torch(depth: int, width: int, batch_norm: bool) -> None:
    model = ConvNet(depth, width, batch_norm)
    assert convnet_parameter_count(depth, width, batch_norm) == _numel(model) == count_parameters(model)


def test_written_out_counts_and_every_depth_maps_to_ten_logits() -> None:
    # depth 2, width 32: conv 3->32, conv 32->32 (3x3, with biases), linear 32->10; batch norm adds 2 x 32 per block
    assert convnet_parameter_count(2, 32) == (32 * 3 * 9 + 32) + (32 * 32 * 9 + 32) + (32 * 10 + 10) == 10_474
    assert convnet_parameter_count(2, 32, batch_norm=True) == 10_474 + 2 * 2 * 32
    for depth in range(1, MAX_DEPTH + 1):
        assert ConvNet(depth).eval()(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    with pytest.raises(ValueError):
        ConvNet(MAX_DEPTH + 1)


def test_images_to_tensor_layout_and_range() -> None:
    images = np.zeros((1, 32, 32, 3), dtype=np.uint8)
    images[0, 3, 5, 1] = 255
    x = images_to_tensor(images)
    assert x.shape == (1, 3, 32, 32)
    assert x[0, 1, 3, 5] == 1.0 and x[0, 0, 3, 5] == -1.0 and x.min() == -1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_metrics_match_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_classes = 6
    y_true = rng.integers(0, n_classes, 300)
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, n_classes, 300))
    y_pred[y_pred == 5] = 4  # class 5 never predicted: precision 0/0, reported as 0
    labels = list(range(n_classes))

    matrix = confusion_matrix(y_true, y_pred, n_classes)
    np.testing.assert_array_equal(matrix, sk_confusion_matrix(y_true, y_pred, labels=labels))

    report = classification_report(matrix)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    np.testing.assert_allclose(report.precision, p)
    np.testing.assert_allclose(report.recall, r)
    np.testing.assert_allclose(report.f1, f)
    np.testing.assert_array_equal(report.support, s)
    assert report.accuracy == pytest.approx(accuracy_score(y_true, y_pred))
    for average, ours in (("macro", report.macro_avg), ("weighted", report.weighted_avg)):
        theirs = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=0)
        np.testing.assert_allclose(ours, theirs[:3])

    names = ["plane", "car", "bird", "cat", "deer", "dog"]
    assert format_report(report, names) == sk_classification_report(
        y_true, y_pred, labels=labels, target_names=names, zero_division=0
    )
    assert format_report(report, names, digits=4) == sk_classification_report(
        y_true, y_pred, labels=labels, target_names=names, zero_division=0, digits=4
    )


def test_depth_and_batch_norm_studies_on_cifar10_tiny() -> None:
    """The reference's studies on cifar10-tiny (500 train / 200 test): every model learns, and the
    deepest model beats the one-block model by a wide margin (measured 0.42 -> 0.93)."""
    data = load_cifar10(ensure_dataset("cifar10-tiny"))
    device = torch.device("cpu")
    accuracy = {}
    for depth, batch_norm in ((1, False), (3, False), (3, True)):
        torch.manual_seed(0)
        model = ConvNet(depth, batch_norm=batch_norm)
        history = train_classifier(model, data.x_train, data.y_train, data.x_test, data.y_test, CifarTrainingConfig(), device)
        assert [r.epoch for r in history] == list(range(1, CifarTrainingConfig().epochs + 1))
        assert history[-1].train_loss < history[0].train_loss
        predictions = predict(model, data.x_test, device)
        accuracy[depth, batch_norm] = accuracy_score(data.y_test, predictions)
        assert accuracy[depth, batch_norm] == pytest.approx(history[-1].test_accuracy)  # the record is what the model predicts
        # the confusion matrix of these predictions agrees with scikit-learn's
        np.testing.assert_array_equal(confusion_matrix(data.y_test, predictions, 10),
                                      sk_confusion_matrix(data.y_test, predictions, labels=list(range(10))))
    assert min(accuracy.values()) > 0.3, accuracy  # chance is 0.1
    assert accuracy[3, False] > accuracy[1, False] + 0.2, accuracy
