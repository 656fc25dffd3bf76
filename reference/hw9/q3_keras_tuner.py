"""hw9.q3 — Keras Tuner: the model-building function, its search space, Hyperband, the best model.

The search space (the seed's "Search space summary", 3·4·3·4·3·2 = 864 configurations):
    conv_layers   Int 1..3            conv blocks
    dense_layers  Int 1..4            hidden dense layers
    units         Int 128..256 step 64
    filters       Int 8..32 step 8
    learning_rate Choice 1e-4, 5e-4, 1e-3
    optimizer     Choice adam, sgd

The architecture is read off the seed's summary of the rebuilt best model (conv_layers 2,
dense_layers 2, units 128, filters 24 → 951,098 parameters):
    per conv block b = 0, 1, …: Conv2D(w_b, 3×3, same, ReLU) ×2 → MaxPool 2 → Dropout
    Flatten → [Dense(units, ReLU) → Dropout] × dense_layers → Dense(10, softmax)
with block widths w_b = filters · 2^(b+1). The detail that reproduces 951,098 is that the
sampled `filters` is not itself a layer width: the seed's best model (filters = 24) has blocks
of 48 and 96 channels, two convs per block, "same" padding (32 → 16 → 8, flatten 8·8·96 =
6,144). The seed shows only two blocks; a third block is read as continuing the doubling
(192). Dropout rates are not in the seed and add no parameters; ours are in ArchitectureConfig.

Closed form (3×3 kernels, C_in = 3 for the first conv):
    conv: 9·C_in·C_out + C_out    dense: N_in·N_out + N_out
    best model: 1,344 + 20,784 + 41,568 + 83,040 + 786,560 + 16,512 + 1,290 = 951,098.

TensorFlow/Keras are imported inside the functions that need them, so the grader can import the
search space and the closed-form count without loading TensorFlow.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import keras
    import keras_tuner

SEARCH_SPACE: dict[str, dict[str, Any]] = {
    "conv_layers": {"type": "Int", "min_value": 1, "max_value": 3, "step": 1},
    "dense_layers": {"type": "Int", "min_value": 1, "max_value": 4, "step": 1},
    "units": {"type": "Int", "min_value": 128, "max_value": 256, "step": 64},
    "filters": {"type": "Int", "min_value": 8, "max_value": 32, "step": 8},
    "learning_rate": {"type": "Choice", "values": [1e-4, 5e-4, 1e-3]},
    "optimizer": {"type": "Choice", "values": ["adam", "sgd"]},
}
BEST_HYPERPARAMETERS: dict[str, Any] = {
    "conv_layers": 2,
    "dense_layers": 2,
    "units": 128,
    "filters": 24,
    "learning_rate": 5e-4,
    "optimizer": "adam",
}  # the seed's best Hyperband trial (val accuracy 0.6915 after 10 epochs)
BEST_MODEL_PARAMS = 951_098  # the seed's count of the rebuilt best model


@dataclass(frozen=True)
class ArchitectureConfig:
    input_shape: tuple[int, int, int] = (32, 32, 3)  # CIFAR-10, H×W×C
    num_classes: int = 10
    kernel: int = 3  # every conv is kernel×kernel, "same" padding
    convs_per_block: int = 2  # the seed's summary: two convs before each pool
    conv_dropout: float = 0.25  # drop rate after each pool (rate not in the seed; our choice)
    dense_dropout: float = 0.5  # drop rate after each hidden dense layer (our choice)


@dataclass(frozen=True)
class TunerConfig:
    max_epochs: int = 10  # the seed's best trial reached tuner/epochs 10
    factor: int = 3  # Hyperband's reduction factor (keras-tuner's default)
    hyperband_iterations: int = 1
    batch_size: int = 64
    seed: int = 0
    objective: str = "val_accuracy"  # as in the seed's trial summary


def space_values(space: dict[str, dict[str, Any]] = SEARCH_SPACE) -> dict[str, list[Any]]:
    """Every value each hyperparameter can take (Int ranges include max_value)."""
    values = {}
    for name, spec in space.items():
        if spec["type"] == "Int":
            values[name] = list(range(spec["min_value"], spec["max_value"] + 1, spec["step"]))
        else:
            values[name] = list(spec["values"])
    return values


def space_from_hyperparameters(hp: "keras_tuner.HyperParameters") -> dict[str, dict[str, Any]]:
    """The space a keras-tuner HyperParameters object has registered, in SEARCH_SPACE's plain form."""
    space = {}
    for h in hp.space:
        config = h.get_config()
        kind = type(h).__name__
        if kind == "Int":
            space[h.name] = {"type": kind, **{k: config[k] for k in ("min_value", "max_value", "step")}}
        elif kind == "Choice":
            space[h.name] = {"type": kind, "values": list(config["values"])}
        else:
            raise ValueError(f"unexpected hyperparameter kind {kind} for {h.name}")
    return space


def block_widths(conv_layers: int, filters: int) -> list[int]:
    """Channels of each conv block: filters·2, filters·4, … (doubling per block)."""
    return [filters * 2 ** (b + 1) for b in range(conv_layers)]


def layer_param_counts(
    conv_layers: int, dense_layers: int, units: int, filters: int, arch: ArchitectureConfig = ArchitectureConfig()
) -> list[int]:
    """Closed-form count of every layer that has parameters, in model order (convs, denses, output)."""
    h, w, c_in = arch.input_shape
    counts = []
    for width in block_widths(conv_layers, filters):
        for _ in range(arch.convs_per_block):
            counts.append(arch.kernel * arch.kernel * c_in * width + width)
            c_in = width
        h, w = h // 2, w // 2
    n_in = h * w * c_in
    for n_out in [units] * dense_layers + [arch.num_classes]:
        counts.append(n_in * n_out + n_out)
        n_in = n_out
    return counts


def param_count(hyperparameters: dict[str, Any], arch: ArchitectureConfig = ArchitectureConfig()) -> int:
    """Total parameters of the model build_model makes for these hyperparameter values."""
    hp = hyperparameters
    return sum(layer_param_counts(hp["conv_layers"], hp["dense_layers"], hp["units"], hp["filters"], arch))


def build_model(hp: "keras_tuner.HyperParameters", arch: ArchitectureConfig = ArchitectureConfig()) -> "keras.Model":
    """keras-tuner's hypermodel: registers SEARCH_SPACE on hp and builds + compiles the CNN."""
    import keras

    def sample(name: str) -> Any:
        spec = SEARCH_SPACE[name]
        if spec["type"] == "Int":
            return hp.Int(name, spec["min_value"], spec["max_value"], step=spec["step"])
        return hp.Choice(name, spec["values"])

    conv_layers, dense_layers = sample("conv_layers"), sample("dense_layers")
    units, filters = sample("units"), sample("filters")
    learning_rate, optimizer = sample("learning_rate"), sample("optimizer")

    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=arch.input_shape)])
    for width in block_widths(conv_layers, filters):
        for _ in range(arch.convs_per_block):
            model.add(layers.Conv2D(width, arch.kernel, padding="same", activation="relu"))
        model.add(layers.MaxPooling2D(2))
        model.add(layers.Dropout(arch.conv_dropout))
    model.add(layers.Flatten())
    for _ in range(dense_layers):
        model.add(layers.Dense(units, activation="relu"))
        model.add(layers.Dropout(arch.dense_dropout))
    model.add(layers.Dense(arch.num_classes, activation="softmax"))

    opt = keras.optimizers.Adam(learning_rate) if optimizer == "adam" else keras.optimizers.SGD(learning_rate)
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fixed_hyperparameters(values: dict[str, Any]) -> "keras_tuner.HyperParameters":
    """A HyperParameters object pinned to the given values (build_model then builds that one model)."""
    import keras_tuner

    hp = keras_tuner.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hp


def build_best_model(arch: ArchitectureConfig = ArchitectureConfig()) -> "keras.Model":
    """The seed's best trial rebuilt: 951,098 parameters."""
    return build_model(fixed_hyperparameters(BEST_HYPERPARAMETERS), arch)


def to_float_images(images: np.ndarray) -> np.ndarray:
    """uint8 [N, H, W, C] → float32 in [0, 1] (float input is passed through as float32)."""
    return images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)


def run_hyperband(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    directory: Path,
    config: TunerConfig = TunerConfig(),
    arch: ArchitectureConfig = ArchitectureConfig(),
) -> "keras_tuner.Hyperband":
    """Run a Hyperband search (results under directory, overwritten) and return the tuner.

    Hyperband trains many configurations for a few epochs and promotes the best 1/factor of each
    round to factor× more epochs, so most of the budget goes to promising configurations.
    """
    import keras
    import keras_tuner

    keras.utils.set_random_seed(config.seed)
    tuner = keras_tuner.Hyperband(
        lambda hp: build_model(hp, arch),
        objective=config.objective,
        max_epochs=config.max_epochs,
        factor=config.factor,
        hyperband_iterations=config.hyperband_iterations,
        seed=config.seed,
        directory=str(directory),
        project_name="hw9_q3",
        overwrite=True,
    )
    tuner.search(
        to_float_images(x_train),
        y_train,
        validation_data=(to_float_images(x_val), y_val),
        batch_size=config.batch_size,
        verbose=0,
    )
    return tuner


def train_model(
    model: "keras.Model",
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    epochs: int = 50,  # the seed trained the best model for 50 epochs (test accuracy 0.796)
    batch_size: int = 32,  # the seed's log shows 1563 steps per epoch on 50,000 images
    seed: int = 0,
) -> dict[str, list[float]]:
    """Fit a compiled model and return Keras' per-epoch history (loss, accuracy, val_loss, val_accuracy)."""
    import keras

    keras.utils.set_random_seed(seed)
    history = model.fit(
        to_float_images(x_train),
        y_train,
        validation_data=(to_float_images(x_val), y_val),
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    return {name: [float(v) for v in values] for name, values in history.history.items()}
