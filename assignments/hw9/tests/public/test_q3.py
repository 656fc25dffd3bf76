"""hw9.q3 public checks: the registered search space, the best model's 951,098 parameters, and
the format of the trained model's predictions."""

import math

import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10
from reference.hw9.q3_keras_tuner import BEST_HYPERPARAMETERS, SEARCH_SPACE, param_count

pytestmark = pytest.mark.question("q3")

N_CLASSES = 10


def same_value(got, want) -> bool:
    if isinstance(want, float):
        return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9)
    return got == want


def test_search_space_is_the_seeds(kernel):
    got = kernel.call("search_space")
    assert isinstance(got, dict), f"search_space() returned {type(got).__name__}; return a dict name -> description"
    assert sorted(got) == sorted(SEARCH_SPACE), f"search_space() has the hyperparameters {sorted(got)}, expected {sorted(SEARCH_SPACE)}"
    for name, want in SEARCH_SPACE.items():
        spec = got[name]
        assert isinstance(spec, dict) and spec.get("type") == want["type"], (
            f"search_space()[{name!r}] is {spec!r}; expected a {want['type']} hyperparameter"
        )
        for key, value in want.items():
            if key == "values":
                values = spec.get("values")
                assert isinstance(values, list) and len(values) == len(value) and all(map(same_value, values, value)), (
                    f"search_space()[{name!r}]['values'] is {values!r}, expected {value!r}"
                )
            else:
                assert same_value(spec.get(key), value), f"search_space()[{name!r}][{key!r}] is {spec.get(key)!r}, expected {value!r}"


def test_best_model_has_951098_parameters(kernel):
    want = param_count(BEST_HYPERPARAMETERS)
    built = kernel.value("build_best_model().count_params()")
    assert built == want, (
        f"build_best_model() has {built:,} parameters; the seed's best model (conv_layers 2, dense_layers 2, units 128, "
        f"filters 24) has {want:,}: conv blocks of 2·filters and 4·filters channels, two 3x3 'same' convs each"
    )
    trained = kernel.value("model.count_params()")
    assert trained == want, f"`model` has {trained:,} parameters; it must be the best model ({want:,})"


def test_model_predicts_class_probabilities(kernel, dataset_dir):
    images = load_cifar10(dataset_dir("cifar10")).x_test[:32].astype(np.float32) / 255.0
    got = np.asarray(kernel.predict("model", images), dtype=float)
    assert got.shape == (len(images), N_CLASSES), f"model.predict on {len(images)} images [N, 32, 32, 3] returned shape {got.shape}, expected ({len(images)}, 10)"
    assert np.all(np.isfinite(got)) and got.min() >= 0 and np.allclose(got.sum(axis=1), 1, atol=1e-4), (
        "the model's outputs are not probabilities; end the network with Dense(10, activation='softmax')"
    )
