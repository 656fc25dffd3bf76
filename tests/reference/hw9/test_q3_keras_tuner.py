"""hw9.q3: the hypermodel's registered search space, the best model's 951,098 parameters
(closed form vs Keras count_params), and a Hyperband search that completes on tiny data."""

import math

import numpy as np
import pytest
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from graders.data.bundled import ensure_dataset
from graders.data.cifar10 import load_cifar10
from reference.hw9.q3_keras_tuner import (
    BEST_HYPERPARAMETERS,
    BEST_MODEL_PARAMS,
    SEARCH_SPACE,
    ArchitectureConfig,
    TunerConfig,
    build_best_model,
    build_model,
    fixed_hyperparameters,
    layer_param_counts,
    param_count,
    run_hyperband,
    space_from_hyperparameters,
    space_values,
    train_model,
)

CHANCE = 0.1


@pytest.fixture(scope="module")
def cifar_tiny(tmp_path_factory):
    return load_cifar10(ensure_dataset("cifar10-tiny", root=tmp_path_factory.mktemp("data")))


def _layers_with_params(model) -> list[int]:
    return [layer.count_params() for layer in model.layers if layer.count_params() > 0]


def test_registered_search_space_is_the_seeds():
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    build_model(hp)
    assert space_from_hyperparameters(hp) == SEARCH_SPACE
    # the value lists the seed's summary implies (min, max, step), enumerated independently
    values = space_values()
    assert values["units"] == [128, 192, 256]
    assert values["filters"] == [8, 16, 24, 32]
    assert values["conv_layers"] == [1, 2, 3] and values["dense_layers"] == [1, 2, 3, 4]
    assert math.prod(len(v) for v in values.values()) == 864
    assert all(BEST_HYPERPARAMETERS[name] in options for name, options in values.items())


def test_best_model_has_the_seeds_951098_parameters():
    import keras

    model = build_best_model()
    assert model.count_params() == BEST_MODEL_PARAMS
    assert param_count(BEST_HYPERPARAMETERS) == BEST_MODEL_PARAMS
    # the seed's summary, layer by layer: 1344, 20784, 41568, 83040, 786560, 16512, 1290
    assert _layers_with_params(model) == layer_param_counts(2, 2, 128, 24)
    conv_widths = [layer.output.shape[-1] for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert conv_widths == [48, 48, 96, 96]  # the seed's summary
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(5e-4)


@pytest.mark.parametrize(
    "values",
    [
        {"conv_layers": 1, "dense_layers": 1, "units": 128, "filters": 8, "learning_rate": 1e-4, "optimizer": "sgd"},
        {"conv_layers": 3, "dense_layers": 4, "units": 256, "filters": 32, "learning_rate": 1e-3, "optimizer": "adam"},
        {"conv_layers": 3, "dense_layers": 1, "units": 192, "filters": 16, "learning_rate": 5e-4, "optimizer": "sgd"},
    ],
)
def test_closed_form_count_matches_keras_across_the_space(values):
    import keras

    model = build_model(fixed_hyperparameters(values))
    counts = layer_param_counts(values["conv_layers"], values["dense_layers"], values["units"], values["filters"])
    assert _layers_with_params(model) == counts
    assert model.count_params() == param_count(values)
    assert isinstance(model.optimizer, keras.optimizers.SGD if values["optimizer"] == "sgd" else keras.optimizers.Adam)


def test_hyperband_completes_on_tiny_data(cifar_tiny, tmp_path):
    """16×16 crops of cifar10-tiny keep the search to seconds; the machinery is the same."""
    arch = ArchitectureConfig(input_shape=(16, 16, 3))
    x_train, x_val = cifar_tiny.x_train[:120, ::2, ::2], cifar_tiny.x_test[:60, ::2, ::2]
    tuner = run_hyperband(
        x_train, cifar_tiny.y_train[:120], x_val, cifar_tiny.y_test[:60], tmp_path,
        TunerConfig(max_epochs=2, batch_size=32), arch,
    )
    trials = tuner.oracle.trials.values()
    assert len(trials) >= 1 and all(t.status == "COMPLETED" for t in trials)
    best = tuner.get_best_hyperparameters(1)[0].values
    assert all(best[name] in options for name, options in space_values().items())
    best_model = tuner.get_best_models(1)[0]
    assert best_model.count_params() == param_count(best, arch)
    assert best_model.predict(x_val[:4].astype(np.float32) / 255, verbose=0).shape == (4, 10)


@pytest.mark.slow
def test_best_model_trains_past_chance_on_cifar10_tiny(cifar_tiny):
    history = train_model(
        build_best_model(), cifar_tiny.x_train, cifar_tiny.y_train, cifar_tiny.x_test, cifar_tiny.y_test, epochs=10
    )
    assert max(history["val_accuracy"]) > 3 * CHANCE, history["val_accuracy"]
