"""hw9.q3's model reading (assignments/hw9/tests/conftest.py): the parameter count recomputed from a
model's plain summary vs Keras' own count_params(), layer by layer, for Keras 3 and tf-keras
models; the summary crosses the real wire format."""

import pytest
import torchvision  # noqa: F401  before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from graders import wire
from tests.assignments.in_process import grader_module

SHARED = grader_module("hw9", "conftest.py")
UncountedLayer, UnreadableSummary = SHARED.UncountedLayer, SHARED.UnreadableSummary
layer_param_count, model_summary, param_count = SHARED.layer_param_count, SHARED.model_summary, SHARED.param_count


def summarise(model):
    """What the grader gets back from the kernel: the expression evaluated, through the wire."""
    return model_summary(wire.loads(wire.dumps(eval(SHARED.summary_expression("model"), {"model": model}))))


def keras_models():
    import keras

    layers = keras.layers
    plain = keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(24, (5, 3), use_bias=False),
        layers.BatchNormalization(center=False),
        layers.ReLU(),
        layers.Dropout(0.3),
        layers.Flatten(),
        layers.Dense(40, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    plain.compile(optimizer=keras.optimizers.RMSprop(2e-4), loss="sparse_categorical_crossentropy")
    separable = keras.Sequential([
        keras.Input((28, 20, 1)),
        layers.Rescaling(1 / 255),
        layers.RandomFlip("horizontal"),
        layers.SeparableConv2D(8, 3, depth_multiplier=2, activation="relu"),
        layers.DepthwiseConv2D(3, depth_multiplier=3, use_bias=False),
        layers.AveragePooling2D(2),
        layers.LayerNormalization(),
        layers.GlobalAveragePooling2D(),
        layers.Dense(7, use_bias=False),
    ])
    separable.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse")
    functional_input = keras.Input((16, 16, 3))
    x = layers.Conv2D(12, 3, activation="relu")(functional_input)
    x = layers.BatchNormalization()(x)
    x = layers.GlobalMaxPooling2D()(x)
    functional = keras.Model(functional_input, layers.Dense(5)(x))  # not compiled
    return {"plain": plain, "separable": separable, "functional": functional}


@pytest.fixture(scope="module")
def models():
    return keras_models()


@pytest.mark.parametrize("name", ["plain", "separable", "functional"])
def test_recount_matches_keras_layer_by_layer(models, name):
    model = models[name]
    summary = summarise(model)
    assert [layer.kind for layer in summary.layers] == [type(layer).__name__ for layer in model.layers]
    assert [layer_param_count(layer) for layer in summary.layers] == [layer.count_params() for layer in model.layers]
    assert param_count(summary) == model.count_params()


def test_optimizer_and_learning_rate_are_read(models):
    plain, separable, functional = (summarise(models[name]) for name in ("plain", "separable", "functional"))
    assert plain.optimizer == "RMSprop" and plain.learning_rate == pytest.approx(2e-4)
    assert separable.optimizer == "SGD" and separable.learning_rate == pytest.approx(1e-3, rel=1e-6)
    assert functional.optimizer is None and functional.learning_rate is None


def test_tf_keras_models_are_read_alike():
    """tf-keras stores a batch norm's axis as a list counting the batch axis ([3], not -1)."""
    import tf_keras

    layers = tf_keras.layers
    model = tf_keras.Sequential([
        tf_keras.Input((20, 20, 3)),
        layers.Conv2D(6, 5, activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(32, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=tf_keras.optimizers.Adam(5e-4), loss="sparse_categorical_crossentropy")
    summary = summarise(model)
    assert summary.layers[1].axis == -1
    assert [layer_param_count(layer) for layer in summary.layers] == [layer.count_params() for layer in model.layers]
    assert param_count(summary) == model.count_params()
    assert summary.optimizer == "Adam" and summary.learning_rate == pytest.approx(5e-4)


def test_a_layer_it_cannot_count_is_named():
    import keras

    model = keras.Sequential([keras.Input((8,)), keras.layers.PReLU(), keras.layers.Dense(2)])
    with pytest.raises(UncountedLayer, match="PReLU"):
        param_count(summarise(model))


@pytest.mark.parametrize(
    "raw",
    [
        None,
        {"layers": "Conv2D"},
        {"layers": [{"kind": "Conv2D"}], "optimizer": None, "learning_rate": None},
        {"layers": [{"kind": "Dense", "input_shape": [4], "output_shape": [2], "units": "two"}]},
        {"layers": [{"kind": "Dense", "input_shape": [4], "output_shape": [2], "units": 2}], "optimizer": 3},
        {"layers": [], "optimizer": "Adam", "learning_rate": "fast"},
    ],
)
def test_malformed_summaries_are_refused(raw):
    with pytest.raises(UnreadableSummary):
        model_summary(raw)
