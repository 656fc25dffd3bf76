"""hw2.q6 public checks: the depth study (models that differ in depth only), the batch-norm
comparison (the same model with and without batch norm), the format of predict_cifar on a few
visible test images, and confusion_matrix on a small example (accuracy is a hidden test).

The handout fixes no architecture: the checks compare the student's own models with each other,
from a summary of their layers made in the kernel (see reference/hw2/q6_depth_study.py)."""

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from graders.data.cifar10 import load_cifar10
from reference.hw2.q6_depth_study import ModelSummary, batch_norm_only_difference, depth_only_difference, parse_summary
from reference.hw2.q6_parameter_counts import CIFAR_CLASSES

pytestmark = pytest.mark.question("q6")

# every conv, linear and batch-norm layer of a model, in the order of model.modules()
LAYERS_EXPRESSION = (
    "[('conv', m.in_channels, m.out_channels, *m.kernel_size) if isinstance(m, torch.nn.Conv2d) "
    "else ('linear', m.in_features, m.out_features) if isinstance(m, torch.nn.Linear) "
    "else ('batchnorm', m.num_features) "
    "for m in ({model}).modules() "
    "if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear, torch.nn.BatchNorm1d, torch.nn.BatchNorm2d))]"
)

# In training mode a model that uses batch norm gives one image another output when the rest of its
# batch changes; the largest change of image 0's logits (the same random state for both passes)
BATCH_DEPENDENCE = (
    "(lambda m, x: float((lambda a, b: (a - b).abs().max())("
    "*[(torch.manual_seed(0), m(batch)[0].detach())[1] for batch in (x, torch.cat([x[:1], 3 * x[1:] + 1]))])))"
    "(({model}).train(), torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(0)))"
)


def summary(kernel, model: str) -> ModelSummary:
    """The layers of the model that the expression `model` builds in the kernel."""
    try:
        return parse_summary(kernel.value(LAYERS_EXPRESSION.format(model=model)))
    except ValueError as err:
        pytest.fail(f"could not read the layers of {model}: {err}", pytrace=False)


def check_ten_logits(kernel, model: str) -> None:
    shape = kernel.value(f"tuple(({model}).eval()(torch.zeros(2, 3, 32, 32)).shape)")
    assert list(shape) == [2, CIFAR_CLASSES], f"{model} maps a [2, 3, 32, 32] batch to {shape}, expected [2, 10]"


def studied_depths(kernel) -> list[int]:
    """DEPTHS, checked: at least two different integers."""
    depths = kernel.value("list(DEPTHS)")
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in depths) or len(set(depths)) < 2:
        pytest.fail(f"DEPTHS is {depths!r}; expected the depths you compared: at least two different integers",
                    pytrace=False)
    return sorted(set(depths))


@pytest.mark.points(2)
def test_depth_study(kernel):
    depths = studied_depths(kernel)
    models = {depth: f"build_model({depth})" for depth in depths}
    for model in models.values():
        check_ten_logits(kernel, model)
    summaries = {depth: summary(kernel, model) for depth, model in models.items()}
    for shallow, deep in zip(depths, depths[1:]):
        problem = depth_only_difference(summaries[shallow], summaries[deep])
        assert problem is None, (
            f"{models[shallow]} and {models[deep]} do not differ in depth only: {problem}. "
            f"{models[shallow]}: {summaries[shallow].describe()}. {models[deep]}: {summaries[deep].describe()}"
        )


@pytest.mark.points(1.5)
def test_batch_norm_comparison(kernel):
    for depth in studied_depths(kernel):
        plain, normalised = f"build_model({depth})", f"build_model({depth}, batch_norm=True)"
        check_ten_logits(kernel, normalised)
        problem = batch_norm_only_difference(summary(kernel, plain), summary(kernel, normalised))
        assert problem is None, f"{normalised} should be {plain} with batch norm added: {problem}"
        change = kernel.value(BATCH_DEPENDENCE.format(model=normalised))
        assert change > 1e-6, (
            f"{normalised} has batch-norm layers but does not normalise with them: in training mode its output for "
            "one image does not depend on the rest of the batch (are the layers used in forward?)"
        )


@pytest.mark.points(0.5)
def test_predict_cifar_format(kernel, dataset_dir):
    images = load_cifar10(dataset_dir("cifar10")).x_test[:20]
    got = np.asarray(kernel.call("predict_cifar", images))
    assert got.shape == (20,), f"predict_cifar on 20 images returned shape {got.shape}, expected (20,): one class per image"
    assert np.issubdtype(got.dtype, np.integer) and got.min() >= 0 and got.max() <= 9, (
        f"predict_cifar returned {got.tolist()}; expected integer classes 0-9"
    )


@pytest.mark.points(0.5)
def test_confusion_matrix_small_example(kernel):
    y_true = np.array([0, 0, 1, 2, 2, 2, 9, 4])
    y_pred = np.array([0, 1, 1, 2, 0, 2, 9, 2])
    got = np.asarray(kernel.call("confusion_matrix", y_true, y_pred))
    want = sklearn_confusion_matrix(y_true, y_pred, labels=range(CIFAR_CLASSES))
    assert got.shape == want.shape, f"confusion_matrix returned shape {got.shape}, expected {want.shape} (all 10 classes)"
    assert np.array_equal(got, want), (
        f"confusion_matrix(y_true={y_true.tolist()}, y_pred={y_pred.tolist()}) returned\n{got}\nexpected\n{want}\n"
        "(entry [i, j] counts the samples of true class i predicted as j)"
    )
