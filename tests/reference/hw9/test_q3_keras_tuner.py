"""hw9.q3: the reference answer's hypermodel — its registered space, closed-form counts vs Keras
across the space, its largest models within the handout's limits — and a Hyperband search that
completes on tiny data."""

import numpy as np
import pytest
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from graders.data.bundled import ensure_dataset
from graders.data.cifar10 import load_cifar10
from reference.hw9.q3_keras_tuner import (
    BEST_HYPERPARAMETERS,
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
    train_model,
)
from tests.assignments.in_process import grader_module

CHECKS = grader_module("hw9", "conftest.py")  # what grades a student's space: it must pass this one
random_point, space_problems, spec_values = CHECKS.random_point, CHECKS.space_problems, CHECKS.spec_values

CHANCE = 0.1


@pytest.fixture(scope="module")
def cifar_tiny(tmp_path_factory):
    return load_cifar10(ensure_dataset("cifar10-tiny", root=tmp_path_factory.mktemp("data")))


def _layers_with_params(model) -> list[int]:
    return [layer.count_params() for layer in model.layers if layer.count_params() > 0]


def test_registered_space_is_within_the_handouts_limits():
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    build_model(hp)
    assert space_from_hyperparameters(hp) == SEARCH_SPACE
    assert space_problems(SEARCH_SPACE) == []
    assert all(
        BEST_HYPERPARAMETERS[name] in spec_values(spec) for name, spec in SEARCH_SPACE.items() if name != "learning_rate"
    )


def test_closed_form_count_matches_keras_across_the_space():
    import keras

    optimizers = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop, "sgd": keras.optimizers.SGD}
    largest = {"conv_layers": 4, "filters": 128, "dense_layers": 3, "units": 256, "dropout": 0.5,
               "learning_rate": 1e-3, "optimizer": "sgd"}
    rng = np.random.default_rng(3)
    for values in (BEST_HYPERPARAMETERS, largest, random_point(SEARCH_SPACE, rng), random_point(SEARCH_SPACE, rng)):
        model = build_model(fixed_hyperparameters(values))
        assert _layers_with_params(model) == layer_param_counts(values)
        assert model.count_params() == param_count(values)
        assert isinstance(model.optimizer, optimizers[values["optimizer"]])
        assert float(model.optimizer.learning_rate) == pytest.approx(values["learning_rate"], rel=1e-6)
    assert param_count(largest) == 711_818 and param_count(BEST_HYPERPARAMETERS) == 564_426


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
    best_hp = tuner.get_best_hyperparameters(1)[0]
    best = best_hp.values
    assert {name for name in best if not name.startswith("tuner/")} == set(SEARCH_SPACE)  # Hyperband's own, besides
    assert all(best[name] in spec_values(spec) for name, spec in SEARCH_SPACE.items() if name != "learning_rate")
    assert 1e-4 <= best["learning_rate"] <= 1e-3
    best_model = build_model(best_hp, arch)  # rebuilt, as the notebook does (not reloaded from its checkpoint)
    assert best_model.count_params() == param_count(best, arch)
    assert best_model.predict(x_val[:4].astype(np.float32) / 255, verbose=0).shape == (4, 10)


@pytest.mark.slow
def test_best_model_trains_past_chance_on_cifar10_tiny(cifar_tiny):
    history = train_model(
        build_best_model(), cifar_tiny.x_train, cifar_tiny.y_train, cifar_tiny.x_test, cifar_tiny.y_test, epochs=8
    )
    assert max(history["val_accuracy"]) > 5 * CHANCE, history["val_accuracy"]
