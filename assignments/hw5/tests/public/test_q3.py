"""hw5.q3 public checks: the four variants exist, differ only by their regularisers (batch norm
adds 2C parameters per layer, dropout none), and every one of them was trained.

Images go into the kernel and predictions come back; accuracies are computed here.
"""

import numpy as np
import pytest

from graders.data.mnist import load_mnist

pytestmark = pytest.mark.question("q3")

VARIANTS = ("none", "batchnorm", "dropout", "batchnorm+dropout")
N_CLASSES = 10

# What the grader reads from each model: trainable parameters, the widths of its batch norms,
# the bias entries of its conv/dense layers (a layer a batch norm follows may drop its bias) and
# its dropout layers.
SUMMARY = (
    "{name: {"
    "'params': sum(p.numel() for p in m.parameters() if p.requires_grad), "
    "'batchnorm_widths': [int(l.num_features) for l in m.modules() "
    "if isinstance(l, __import__('torch').nn.modules.batchnorm._BatchNorm)], "
    "'biases': sum(l.bias.numel() for l in m.modules() "
    "if isinstance(l, (__import__('torch').nn.Conv2d, __import__('torch').nn.Linear)) and l.bias is not None), "
    "'dropouts': sum(isinstance(l, __import__('torch').nn.modules.dropout._DropoutNd) for l in m.modules())"
    "} for name, m in models.items()}"
)


@pytest.fixture(scope="module")
def summary(kernel) -> dict[str, dict]:
    found = kernel.value("sorted(models) if isinstance(models, dict) else type(models).__name__")
    if found != sorted(VARIANTS):
        pytest.fail(f"`models` holds {found}; it must be a dict with exactly the keys {list(VARIANTS)}", pytrace=False)
    not_modules = kernel.value("[k for k, m in models.items() if not isinstance(m, __import__('torch').nn.Module)]")
    if not_modules:
        pytest.fail(f"models{not_modules} are not torch.nn.Module networks", pytrace=False)
    return kernel.value(SUMMARY)


def test_four_variants_with_their_regularisers(summary):
    for name in VARIANTS:
        has_batchnorm, has_dropout = "batchnorm" in name, "dropout" in name
        widths, dropouts = summary[name]["batchnorm_widths"], summary[name]["dropouts"]
        assert bool(widths) == has_batchnorm, (
            f"models[{name!r}] has {len(widths)} batch-norm layers; "
            f"{'at least one nn.BatchNorm1d/2d is' if has_batchnorm else 'none are'} expected"
        )
        assert bool(dropouts) == has_dropout, (
            f"models[{name!r}] has {dropouts} nn.Dropout layers; {'at least one is' if has_dropout else 'none are'} expected"
        )


def test_batchnorm_adds_two_parameters_per_channel_and_dropout_none(summary):
    plain = summary["none"]
    assert summary["dropout"]["params"] == plain["params"], (
        f"the dropout variant has {summary['dropout']['params']:,} parameters and the plain one {plain['params']:,}: "
        "dropout has no parameters, so the networks must otherwise be the same"
    )
    for name in ("batchnorm", "batchnorm+dropout"):
        variant = summary[name]
        dropped_biases = plain["biases"] - variant["biases"]
        want = plain["params"] + 2 * sum(variant["batchnorm_widths"]) - dropped_biases
        assert variant["params"] == want, (
            f"models[{name!r}] has {variant['params']:,} parameters; the plain network's {plain['params']:,} plus γ and β "
            f"of batch norms over {variant['batchnorm_widths']} channels (2C each) minus {dropped_biases} dropped biases "
            f"is {want:,}: the variants must be the same network apart from the regularisers"
        )


@pytest.fixture(scope="module")
def visible_test_images(dataset_dir) -> tuple[np.ndarray, np.ndarray]:
    """The test images the notebook can see too, as float32 NCHW in [0, 1], with their labels."""
    split = load_mnist(dataset_dir("mnist"))
    return split.x_test[:, None].astype(np.float32) / 255.0, split.y_test


def variant_scores(kernel, name: str, images: np.ndarray) -> np.ndarray:
    scores = np.asarray(kernel.predict(f"models[{name!r}]", images), dtype=float)
    assert scores.shape == (len(images), N_CLASSES), (
        f"models[{name!r}] returned shape {scores.shape} for {len(images)} images [N, 1, 28, 28], expected ({len(images)}, 10)"
    )
    return scores


def test_every_variant_is_trained(kernel, summary, visible_test_images, threshold, record_metric):
    images, labels = visible_test_images
    for name in VARIANTS:
        got = float(np.mean(variant_scores(kernel, name, images).argmax(axis=1) == labels))
        record_metric(f"accuracy {name}", got)
        assert got >= threshold("variant_accuracy"), (
            f"models[{name!r}] classifies {got:.3f} of the {len(labels)} test images correctly; a trained variant "
            f"reaches at least {threshold('variant_accuracy')} (chance is {1 / N_CLASSES}). Are the images expected "
            "as float32 NCHW in [0, 1]?"
        )
