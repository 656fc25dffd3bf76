"""hw9.q3: the seed student's best model reproduced — 951,098 parameters, closed form vs Keras."""

import math

import pytest
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from reference.hw9.q3_keras_tuner import (
    fixed_hyperparameters,
    space_from_hyperparameters,
)
from reference.hw9.q3_seed_model import (
    SEED_BEST_HYPERPARAMETERS,
    SEED_BEST_MODEL_PARAMS,
    SEED_SEARCH_SPACE,
    build_seed_model,
    layer_param_counts,
    seed_param_count,
)
from tests.assignments.in_process import grader_module

spec_values = grader_module("hw9", "conftest.py").spec_values  # how hw9's checks read a space's values


def _layers_with_params(model) -> list[int]:
    return [layer.count_params() for layer in model.layers if layer.count_params() > 0]


def test_registered_space_is_the_seeds_summary():
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    build_seed_model(hp)
    assert space_from_hyperparameters(hp) == SEED_SEARCH_SPACE
    values = {name: spec_values(spec) for name, spec in SEED_SEARCH_SPACE.items()}
    assert values["units"] == [128, 192, 256] and values["filters"] == [8, 16, 24, 32]
    assert math.prod(len(v) for v in values.values()) == 864
    assert all(SEED_BEST_HYPERPARAMETERS[name] in options for name, options in values.items())


def test_best_model_has_the_seeds_951098_parameters():
    import keras

    model = build_seed_model(fixed_hyperparameters(SEED_BEST_HYPERPARAMETERS))
    assert model.count_params() == SEED_BEST_MODEL_PARAMS == seed_param_count(SEED_BEST_HYPERPARAMETERS)
    # the seed's summary, layer by layer: 1344, 20784, 41568, 83040, 786560, 16512, 1290
    assert _layers_with_params(model) == layer_param_counts(2, 2, 128, 24)
    conv_widths = [layer.output.shape[-1] for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert conv_widths == [48, 48, 96, 96]
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(5e-4)


@pytest.mark.parametrize(
    "values",
    [
        {"conv_layers": 1, "dense_layers": 1, "units": 128, "filters": 8, "learning_rate": 1e-4, "optimizer": "sgd"},
        {"conv_layers": 3, "dense_layers": 4, "units": 256, "filters": 32, "learning_rate": 1e-3, "optimizer": "adam"},
    ],
)
def test_closed_form_count_matches_keras_across_the_space(values):
    import keras

    model = build_seed_model(fixed_hyperparameters(values))
    assert _layers_with_params(model) == layer_param_counts(
        values["conv_layers"], values["dense_layers"], values["units"], values["filters"]
    )
    assert model.count_params() == seed_param_count(values)
    assert isinstance(model.optimizer, keras.optimizers.SGD if values["optimizer"] == "sgd" else keras.optimizers.Adam)
