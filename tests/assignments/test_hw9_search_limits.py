"""hw9.q3's limits (assignments/hw9/tests/conftest.py): the handout's table checked on search spaces
and on the models they build.

Two different valid spaces (the reference answer's; the seed student's, capped at two conv
blocks), a third written by hand with per-layer names, and invalid ones; the spaces are read
from Keras Tuner's own registration and the models are real Keras models, counted by Keras."""

import math

import numpy as np
import pytest
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from graders import wire
from reference.hw9 import q3_keras_tuner as answer
from reference.hw9 import q3_seed_model as seed
from tests.assignments.in_process import grader_module

SHARED = grader_module("hw9", "conftest.py")
largest_points, model_problems, random_point = SHARED.largest_points, SHARED.model_problems, SHARED.random_point
space_problems, spec_values = SHARED.space_problems, SHARED.spec_values

SEED_WITHIN_LIMITS = {**seed.SEED_SEARCH_SPACE, "conv_layers": {"type": "Int", "min_value": 1, "max_value": 2, "step": 1}}
PER_LAYER = {  # written as a student might: one hyperparameter per layer, a log-sampled learning rate
    "conv_layers": {"type": "Choice", "values": [2, 3, 5]},
    **{f"filters_{i}": {"type": "Int", "min_value": 16, "max_value": 256, "step": 16, "sampling": "linear"} for i in range(5)},
    "dense_layers": {"type": "Int", "min_value": 0, "max_value": 5, "step": 1},
    **{f"units_{i}": {"type": "Int", "min_value": 32, "max_value": 256, "step": 2, "sampling": "log"} for i in range(5)},
    "use_batchnorm": {"type": "Boolean"},
    "learning_rate": {"type": "Float", "min_value": 1e-5, "max_value": 1e-3, "step": None, "sampling": "log"},
    "optimizer": {"type": "Choice", "values": ["adam", "sgd", "rmsprop", "adamw"]},
}


def registered_space(hypermodel, *args) -> dict:
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    hypermodel(hp, *args)
    return answer.space_from_hyperparameters(hp)


def summarise(model):
    return SHARED.model_summary(wire.loads(wire.dumps(eval(SHARED.summary_expression("model"), {"model": model}))))


@pytest.mark.parametrize(
    ("space", "hypermodel"),
    [
        (answer.SEARCH_SPACE, answer.build_model),
        (SEED_WITHIN_LIMITS, lambda hp: seed.build_seed_model(hp, SEED_WITHIN_LIMITS)),
    ],
    ids=["reference answer", "seed capped at two blocks"],
)
def test_two_valid_spaces_and_their_largest_models_pass(space, hypermodel):
    registered = registered_space(hypermodel)
    assert registered == space
    assert space_problems(registered) == []
    points = largest_points(registered)
    optimizers = set()
    for point in points:
        model = hypermodel(answer.fixed_hyperparameters(point))
        summary = summarise(model)
        assert model_problems(summary) == []
        assert SHARED.param_count(summary) == model.count_params()
        assert summary.learning_rate == pytest.approx(point["learning_rate"], rel=1e-6)
        optimizers.add(summary.optimizer)
    assert len(optimizers) == len(points) == len(registered["optimizer"]["values"])  # the optimizer is really tuned


def test_a_hand_written_space_with_per_layer_names_passes():
    assert space_problems(PER_LAYER) == []
    (point, *others) = largest_points(PER_LAYER)
    assert len(others) == 3 and point["conv_layers"] == 5 and point["filters_4"] == 256 and point["units_0"] == 256
    assert point["use_batchnorm"] is True and point["learning_rate"] == pytest.approx(1e-3)


def test_the_seeds_full_space_builds_six_conv_layers():
    """Its names stay within the table (3 ≤ 5), but three blocks of two convolutions are six conv layers."""
    space = registered_space(seed.build_seed_model)
    assert space_problems(space) == []
    for point in largest_points(space):
        model = seed.build_seed_model(answer.fixed_hyperparameters(point))
        assert model_problems(summarise(model)) == ["the model has 6 conv layers; the handout allows at most 5"]


def test_spaces_that_break_the_table_are_told_why():
    broken = {
        **answer.SEARCH_SPACE,
        "units": {"type": "Int", "min_value": 64, "max_value": 512, "step": 64},
        "learning_rate": {"type": "Choice", "values": [1e-3, 1e-2]},
        "optimizer": {"type": "Fixed", "value": "adam"},
    }
    del broken["filters"]
    assert space_problems(broken) == [
        "no hyperparameter 'filters': the filters of a conv layer must be tuned",
        "'units' goes up to 512; the handout allows at most 256",
        "'learning_rate' goes up to 0.01; the handout allows at most 0.001",
        "'optimizer' has one value only: the optimizer must be tuned (at least two values)",
    ]
    assert space_problems({**answer.SEARCH_SPACE, "conv_layers": {"type": "Int", "min_value": 0, "max_value": 6}}) == [
        "'conv_layers' goes up to 6; the handout allows at most 5",
        "'conv_layers' goes down to 0; at least 1 is needed",
    ]
    assert space_problems({**answer.SEARCH_SPACE, "filters_2": {"type": "Choice", "values": ["many"]}}) == [
        "'filters_2' must take numbers, got {'type': 'Choice', 'values': ['many']}",
    ]
    assert space_problems([1, 2]) == ["the search space must be a dict name -> description, got list"]
    assert space_problems({**answer.SEARCH_SPACE, "conv_layers": {"type": "Int", "min_value": 3, "max_value": 1}}) == [
        "'conv_layers' is described as {'type': 'Int', 'min_value': 3, 'max_value': 1}; its values cannot be read"
    ]


def test_a_model_over_the_limits_is_told_why():
    import keras

    layers = keras.layers
    model = keras.Sequential(
        [keras.Input((32, 32, 3))]
        + [layers.Conv2D(300 if i == 2 else 8, 3, padding="same") for i in range(6)]
        + [layers.Flatten()]
        + [layers.Dense(512 if i == 0 else 16) for i in range(6)]
        + [layers.Dense(10)]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    assert model_problems(summarise(model)) == [
        "the model has 6 conv layers; the handout allows at most 5",
        "the model has 6 dense layers before its output layer; the handout allows at most 5",
        "a conv layer has 300 filters; the handout allows at most 256",
        "a dense layer has 512 neurons; the handout allows at most 256",
        "its learning rate is 0.01; the handout allows at most 0.001",
    ]
    dense_only = keras.Sequential([keras.Input((8,)), layers.Dense(4)])
    assert model_problems(summarise(dense_only)) == ["the model has no conv layer", "the model is not compiled with an optimizer"]


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "Int", "min_value": 32, "max_value": 256, "step": 32, "sampling": "linear"},
        {"type": "Int", "min_value": 16, "max_value": 256, "step": 2, "sampling": "log"},
        {"type": "Float", "min_value": 0.0, "max_value": 0.5, "step": 0.1, "sampling": "linear"},  # 0.5 // 0.1 == 4
        {"type": "Float", "min_value": 0.0, "max_value": 0.5, "step": 0.25, "sampling": "linear"},
        {"type": "Float", "min_value": 1e-5, "max_value": 1e-3, "step": 10, "sampling": "log"},
    ],
)
def test_the_values_of_a_hyperparameter_are_keras_tuners(spec):
    """Our values are Keras Tuner's, and they are what it draws."""
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    draw = {"Int": hp.Int, "Float": hp.Float}[spec["type"]]
    draw("h", spec["min_value"], spec["max_value"], step=spec["step"], sampling=spec["sampling"])
    (parameter,) = hp.space
    ours = spec_values(spec)
    np.testing.assert_allclose(ours, list(parameter.values), rtol=1e-12)
    drawn = {parameter.random_sample(seed) for seed in range(400)}
    assert all(any(math.isclose(v, w, rel_tol=1e-9, abs_tol=1e-12) for w in ours) for v in drawn)
    assert len(drawn) == len(ours)


def test_random_points_lie_in_the_space():
    rng = np.random.default_rng(0)
    for _ in range(50):
        point = random_point(PER_LAYER, rng)
        assert point["conv_layers"] in (2, 3, 5) and point["filters_3"] % 16 == 0 and point["units_1"] in (32, 64, 128, 256)
        assert 1e-5 <= point["learning_rate"] <= 1e-3 and point["use_batchnorm"] in (False, True)
    assert random_point(PER_LAYER, np.random.default_rng(7)) == random_point(PER_LAYER, np.random.default_rng(7))
