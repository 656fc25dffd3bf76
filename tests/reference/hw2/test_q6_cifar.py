"""hw2.q6 reference: model sizes vs torch, metrics vs scikit-learn, recipe smoke on cifar10-tiny."""

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.metrics import classification_report as sk_classification_report
from sklearn.metrics import confusion_matrix as sk_confusion_matrix

from graders.data.bundled import ensure_dataset
from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_cifar_models import Conv30Net, LeNet, build_cifar_model
from reference.hw2.q6_metrics import (
    classification_report,
    confusion_matrix,
    format_report,
)
from reference.hw2.q6_parameter_counts import (
    cifar_model_parameter_count,
    conv30_flatten_size,
    conv30_parameter_count,
    lenet_flatten_size,
    lenet_parameter_count,
)
from reference.hw2.q6_training import (
    CifarTrainingConfig,
    images_to_tensor,
    predict,
    train_classifier,
)


def _numel(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_default_models_parameter_counts_match_torch() -> None:
    for number in (1, 2, 3):
        assert cifar_model_parameter_count(number) == _numel(build_cifar_model(number))
    # the same counts written out layer by layer (our reading of the seed, see q6_cifar_models)
    model_1 = (6 * 3 * 25 + 6) + (16 * 6 * 25 + 16) + (400 * 120 + 120) + (120 * 10 + 10)
    model_2 = model_1 + 2 * 6 + 2 * 16
    model_3 = (30 * 3 * 9 + 30) + (30 * 30 * 9 + 30) + (1080 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)
    assert [cifar_model_parameter_count(n) for n in (1, 2, 3)] == [model_1, model_2, model_3] == [52202, 52246, 149704]


@pytest.mark.parametrize("hidden", [(), (84,), (120, 84), (256, 128, 64)])
def test_closed_form_counts_for_any_hidden_widths(hidden: tuple[int, ...]) -> None:
    assert lenet_parameter_count(hidden) == _numel(LeNet(hidden))
    assert lenet_parameter_count(hidden, batch_norm=True) == _numel(LeNet(hidden, batch_norm=True))
    assert conv30_parameter_count(hidden) == _numel(Conv30Net(hidden))


def test_flatten_sizes_and_layer_counts_of_the_seed() -> None:
    x = torch.zeros(2, 3, 32, 32)
    for model, flat in ((LeNet(), lenet_flatten_size()), (LeNet(batch_norm=True), 400), (Conv30Net(), conv30_flatten_size())):
        assert model.features(x).shape == (2, flat)
        assert model(x).shape == (2, 10)
    assert (lenet_flatten_size(), conv30_flatten_size()) == (400, 1080)  # the seed's numbers

    def weight_layers(model: torch.nn.Module) -> int:
        return sum(isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) for m in model.modules())

    # "4 layers of neurons" (model 1) and "5 layers" (model 3)
    assert weight_layers(build_cifar_model(1)) == 4
    assert weight_layers(build_cifar_model(3)) == 5
    assert sum(isinstance(m, torch.nn.BatchNorm2d) for m in build_cifar_model(2).modules()) == 2


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


def test_recipe_beats_chance_on_cifar10_tiny() -> None:
    """The seed's recipe (SGD 0.001/0.9, batch 4, 5 epochs) on cifar10-tiny (500 train / 200 test)."""
    data = load_cifar10(ensure_dataset("cifar10-tiny"))
    device = torch.device("cpu")
    for number in (1, 2, 3):
        torch.manual_seed(0)
        model = build_cifar_model(number)
        history = train_classifier(model, data.x_train, data.y_train, data.x_test, data.y_test,
                                   CifarTrainingConfig(), device)
        assert [r.epoch for r in history] == [1, 2, 3, 4, 5]
        assert history[-1].train_loss < history[0].train_loss
        predictions = predict(model, data.x_test, device)
        accuracy = accuracy_score(data.y_test, predictions)
        assert accuracy == pytest.approx(history[-1].test_accuracy)  # the record is what the model predicts
        assert accuracy > 0.35, f"model {number}: {accuracy:.3f} (chance 0.1)"
        # the confusion matrix of these predictions agrees with scikit-learn's
        np.testing.assert_array_equal(confusion_matrix(data.y_test, predictions, 10),
                                      sk_confusion_matrix(data.y_test, predictions, labels=list(range(10))))
