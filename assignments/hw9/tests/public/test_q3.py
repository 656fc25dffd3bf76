"""hw9.q3 public checks: the search space against the handout's table (upper limits only), the
largest models the space builds, the best model (its layers within the limits, its parameters
counted here from its layers), and the format of its predictions.

Nothing the notebook computes about its models is taken on trust: the kernel sends the layers
of a model (kinds, shapes, filters, units) and its optimizer, and the grader counts and checks
(tests/conftest.py)."""

import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10
IMAGES, CLASSES = (32, 32, 3), (N_CLASSES,)  # what the best model maps: find_model looks for a trained one


@pytest.fixture
def summary_of(kernel, helpers):
    """`summary_of(model, what)`: the Keras model the expression `model` gives in the kernel, read as
    plain data; the check fails, naming `what`, if its layers cannot be read."""

    def read(model: str, what: str):
        try:
            return helpers.model_summary(kernel.value(helpers.summary_expression(model)))
        except helpers.UnreadableSummary as err:
            pytest.fail(f"the layers of {what} cannot be read: {err}", pytrace=False)

    return read


@pytest.fixture
def count_of(helpers):
    """`count_of(summary, what)`: the model's parameters, counted here from its layers."""

    def count(summary, what: str) -> int:
        try:
            return helpers.param_count(summary)
        except (helpers.UncountedLayer, helpers.UnreadableSummary) as err:
            pytest.fail(f"{what}: {err}", pytrace=False)

    return count


@pytest.fixture(scope="module")
def space(kernel) -> dict:
    got = kernel.call("search_space")
    if not isinstance(got, dict):
        pytest.fail(f"search_space() returned {type(got).__name__}; return a dict name -> description", pytrace=False)
    return got


def test_search_space_within_the_limits(space, helpers):
    problems = helpers.space_problems(space)
    assert not problems, "your search space breaks the table of the question: " + "; ".join(problems)


def test_largest_models_of_the_space_within_the_limits(space, helpers, summary_of):
    try:
        points = helpers.largest_points(space)
    except (KeyError, TypeError, ValueError) as err:
        pytest.fail(f"the values of your search space cannot be read ({err})", pytrace=False)
    optimizers = set()
    for point in points:
        summary = summary_of(helpers.pinned_model_expression(point), f"build_model(pinned({point}))")
        problems = helpers.model_problems(summary)
        assert not problems, f"the model build_model builds for {point}: " + "; ".join(problems)
        optimizers.add(summary.optimizer)
    assert len(optimizers) >= 2, (
        f"build_model compiles the same optimizer ({optimizers.pop()}) for every value of 'optimizer'; "
        "the optimizer must be tuned"
    )


def test_best_model_within_the_limits(kernel, space, helpers, summary_of, count_of, record_metric):
    trained = summary_of(kernel.find_model("model", IMAGES, CLASSES, trained=True), "`model`")
    problems = helpers.model_problems(trained)
    assert not problems, "`model`: " + "; ".join(problems)
    record_metric("parameters", count_of(trained, "`model`"))
    rebuilt = summary_of("build_best_model()", "build_best_model()")
    assert trained.layers == rebuilt.layers, (
        "`model` does not have the layers of the model build_best_model() builds; train the best model"
    )
    problems = helpers.point_problems(space, kernel.value("BEST"))
    assert not problems, "`BEST`: " + "; ".join(problems)


def test_parameter_count_of_the_best_model(kernel, helpers, summary_of, count_of):
    summary = summary_of(kernel.find_model("model", IMAGES, CLASSES, trained=True), "`model`")
    want = count_of(summary, "`model`")
    got = kernel.call("model_param_count", kernel.value("BEST"))
    count = helpers.layer_param_count
    assert got == want, (
        f"model_param_count(BEST) returned {got!r}; the layers of `model` hold {want:,} parameters "
        f"({', '.join(f'{layer.kind} {count(layer):,}' for layer in summary.layers if count(layer))})"
    )


def test_model_predicts_class_probabilities(kernel, dataset_dir):
    images = load_cifar10(dataset_dir("cifar10")).x_test[:32].astype(np.float32) / 255.0
    got = np.asarray(kernel.predict(kernel.find_model("model", IMAGES, CLASSES, trained=True), images), dtype=float)
    assert got.shape == (len(images), N_CLASSES), (
        f"model.predict on {len(images)} images [N, 32, 32, 3] returned shape {got.shape}, expected ({len(images)}, 10)"
    )
    assert np.all(np.isfinite(got)) and got.min() >= 0 and np.allclose(got.sum(axis=1), 1, atol=1e-4), (
        "the model's outputs are not probabilities; end the network with Dense(10, activation='softmax')"
    )
