"""hw9.q3 hidden checks: models built at hidden points of the student's own search space (within
the limits, and their parameters counted here against model_param_count), and the trained
model's accuracy on the hidden test split. What it shares with the public checks is in
tests/conftest.py.

Only images go into the kernel; labels stay here, and the accuracy is computed here."""

import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10
POINTS = 3


def test_models_across_your_space(kernel, helpers):
    space = kernel.call("search_space")
    rng = np.random.default_rng(301)
    try:
        points = [helpers.random_point(space, rng) for _ in range(POINTS)]
    except (AttributeError, KeyError, TypeError, ValueError):
        pytest.fail(f"search_space() returned {space!r}"[:300] + ", which cannot be read as a search space", pytrace=False)
    for point in points:
        try:
            summary = helpers.model_summary(kernel.value(helpers.summary_expression(helpers.pinned_model_expression(point))))
            want = helpers.param_count(summary)
        except (helpers.UnreadableSummary, helpers.UncountedLayer) as err:
            pytest.fail(f"the model build_model builds for {point}: {err}", pytrace=False)
        problems = helpers.model_problems(summary)
        assert not problems, f"the model build_model builds for {point}: " + "; ".join(problems)
        got = kernel.call("model_param_count", point)
        assert got == want, f"model_param_count({point}) returned {got!r}; that model's layers hold {want:,} parameters"


def test_accuracy_on_hidden_images(kernel, hidden_dataset_dir, threshold, record_metric):
    split = load_cifar10(hidden_dataset_dir("cifar10"))
    images = split.x_test.astype(np.float32) / 255.0
    probabilities = np.asarray(kernel.predict(kernel.find_model("model", (32, 32, 3), (N_CLASSES,), trained=True), images), dtype=float)
    assert probabilities.shape == (len(images), N_CLASSES), (
        f"model.predict returned shape {probabilities.shape} for {len(images)} images, expected ({len(images)}, {N_CLASSES})"
    )
    got = float(np.mean(probabilities.argmax(axis=1) == split.y_test))
    record_metric("accuracy", got)
    assert got >= threshold("accuracy"), (
        f"`model` classifies {got:.3f} of {len(images)} hidden images correctly; at least {threshold('accuracy')} is needed "
        f"(chance is {1 / N_CLASSES})"
    )
