"""hw2.q6 public checks: the depth study (models that differ in depth only), the batch-norm
comparison (the same model with and without batch norm), the format of predict_cifar on a few
visible test images, and confusion_matrix on a small example (accuracy is a hidden test).

The handout fixes no architecture: it asks for the effect of depth, the effect of adding batch
normalisation to the conv layers, and the most accurate architecture found. So these checks judge
the *relation* between the student's own models, from a summary of their layers made in the kernel:

  * conv layers as (in channels, out channels, kernel height, kernel width);
  * linear layers by their output width only (the first one's input width follows from how
    many poolings came before it, so it changes with the depth);
  * the number of batch-norm layers.

Two models form a **depth study** when the deeper one has more conv + linear layers and keeps
every layer of the shallower one (as a multiset: where the extra layers go is free). Adding a
block of constant width, a VGG-style block of doubled width, or a hidden dense layer all qualify;
two models that change the widths or kernels of existing layers (e.g. LeNet vs a wider net with
other kernels) do not — they vary more than the depth. Neither model of a depth study may use
batch norm (that is the other comparison).

A **batch-norm comparison** is one model without batch norm and the same conv and linear
layers (input widths included) with at least one batch-norm layer added.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix

from graders.data.cifar10 import load_cifar10

pytestmark = pytest.mark.question("q6")

CIFAR_CLASSES = 10
Conv = tuple[int, int, int, int]  # in channels, out channels, kernel height, kernel width

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


@dataclass(frozen=True)
class ModelSummary:
    """The layers of a model that decide its depth and its use of batch norm."""

    convs: tuple[Conv, ...]
    linears: tuple[tuple[int, int], ...]  # (in features, out features)
    batch_norms: int

    @property
    def weight_layers(self) -> int:
        return len(self.convs) + len(self.linears)

    def describe(self) -> str:
        convs = ", ".join(f"conv {a}->{b} {h}x{w}" for a, b, h, w in self.convs) or "no conv layers"
        linears = ", ".join(f"linear {a}->{b}" for a, b in self.linears) or "no linear layers"
        return f"{convs}; {linears}; {self.batch_norms} batch-norm layers"


def parse_summary(raw: object) -> ModelSummary:
    """A ModelSummary from the plain data the kernel sends: a list of ("conv", in, out, kh, kw),
    ("linear", in, out) and ("batchnorm", features) entries. Raises ValueError if it is not that."""
    if not isinstance(raw, list):
        raise ValueError(f"expected a list of layers, got {type(raw).__name__}")
    convs, linears, norms = [], [], 0
    for entry in raw:
        if not isinstance(entry, list) or not entry or not all(_is_int(v) for v in entry[1:]):
            raise ValueError(f"unreadable layer description {entry!r}")
        kind, sizes = entry[0], tuple(int(v) for v in entry[1:])
        if kind == "conv" and len(sizes) == 4:
            convs.append(sizes)
        elif kind == "linear" and len(sizes) == 2:
            linears.append(sizes)
        elif kind == "batchnorm" and len(sizes) == 1:
            norms += 1
        else:
            raise ValueError(f"unreadable layer description {entry!r}")
    return ModelSummary(tuple(convs), tuple(linears), norms)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _contains(bigger: Counter, smaller: Counter) -> bool:
    return all(bigger[key] >= count for key, count in smaller.items())


def depth_only_difference(shallow: ModelSummary, deep: ModelSummary) -> str | None:
    """Why `deep` is not `shallow` with more layers (None when it is)."""
    if shallow.batch_norms or deep.batch_norms:
        return "the models of a depth study must not use batch norm (that is the separate comparison)"
    if not shallow.convs:
        return "the shallower model has no conv layer: this is a study of CNNs"
    if deep.weight_layers <= shallow.weight_layers:
        return (f"it is not deeper: {deep.weight_layers} conv and linear layers against "
                f"{shallow.weight_layers}")
    if not _contains(Counter(deep.convs), Counter(shallow.convs)):
        return "the deeper model changes conv layers of the shallower one (their channels or kernels), not only the depth"
    if not _contains(Counter(out for _, out in deep.linears), Counter(out for _, out in shallow.linears)):
        return "the deeper model changes the widths of linear layers of the shallower one, not only the depth"
    return None


def batch_norm_only_difference(plain: ModelSummary, normalised: ModelSummary) -> str | None:
    """Why `normalised` is not `plain` with batch norm added (None when it is)."""
    if plain.batch_norms:
        return f"the model without batch norm has {plain.batch_norms} batch-norm layers"
    if not normalised.batch_norms:
        return "the model with batch norm has no batch-norm layer"
    if (plain.convs, plain.linears) != (normalised.convs, normalised.linears):
        return "the two models differ in more than batch norm: their conv or linear layers are not the same"
    return None


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
