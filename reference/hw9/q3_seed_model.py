"""hw9.q3 — the seed student's search space and best model, reproduced (951,098 parameters).

This is one student's answer, kept as a worked example and checked against Keras; it is not a
requirement (the handout gives upper limits only; hw9's checks hold a space to them, in
assignments/hw9/tests/conftest.py).

The seed's "Search space summary" (3·4·3·4·3·2 = 864 configurations):
    conv_layers   Int 1..3            conv *blocks* of two convolutions each
    dense_layers  Int 1..4            hidden dense layers
    units         Int 128..256 step 64
    filters       Int 8..32 step 8
    learning_rate Choice 1e-4, 5e-4, 1e-3
    optimizer     Choice adam, sgd
Read as blocks of two, conv_layers = 3 builds 6 conv layers: more than the handout's 5.

The architecture is read off the seed's summary of the rebuilt best model (conv_layers 2,
dense_layers 2, units 128, filters 24 → 951,098 parameters):
    per conv block b = 0, 1, …: Conv2D(w_b, 3×3, same, ReLU) ×2 → MaxPool 2 → Dropout
    Flatten → [Dense(units, ReLU) → Dropout] × dense_layers → Dense(10, softmax)
with block widths w_b = filters · 2^(b+1). The detail that reproduces 951,098 is that the
sampled `filters` is not itself a layer width: the seed's best model (filters = 24) has blocks
of 48 and 96 channels, two convs per block, "same" padding (32 → 16 → 8, flatten 8·8·96 =
6,144). The seed shows only two blocks; a third block is read as continuing the doubling
(192). Dropout rates are not in the seed and add no parameters.

Closed form (3×3 kernels, C_in = 3 for the first conv):
    conv: 9·C_in·C_out + C_out    dense: N_in·N_out + N_out
    best model: 1,344 + 20,784 + 41,568 + 83,040 + 786,560 + 16,512 + 1,290 = 951,098.

Keras is imported inside the function that needs it.
"""

from typing import TYPE_CHECKING, Any

from reference.hw9.q3_keras_tuner import register

if TYPE_CHECKING:
    import keras
    import keras_tuner

SEED_SEARCH_SPACE: dict[str, dict[str, Any]] = {
    "conv_layers": {"type": "Int", "min_value": 1, "max_value": 3, "step": 1},
    "dense_layers": {"type": "Int", "min_value": 1, "max_value": 4, "step": 1},
    "units": {"type": "Int", "min_value": 128, "max_value": 256, "step": 64},
    "filters": {"type": "Int", "min_value": 8, "max_value": 32, "step": 8},
    "learning_rate": {"type": "Choice", "values": [1e-4, 5e-4, 1e-3]},
    "optimizer": {"type": "Choice", "values": ["adam", "sgd"]},
}
SEED_BEST_HYPERPARAMETERS: dict[str, Any] = {
    "conv_layers": 2,
    "dense_layers": 2,
    "units": 128,
    "filters": 24,
    "learning_rate": 5e-4,
    "optimizer": "adam",
}  # the seed's best Hyperband trial (val accuracy 0.6915 after 10 epochs)
SEED_BEST_MODEL_PARAMS = 951_098  # the seed's count of the rebuilt best model
CONVS_PER_BLOCK = 2  # the seed's summary: two convs before each pool
KERNEL = 3
INPUT_SHAPE = (32, 32, 3)
NUM_CLASSES = 10


def block_widths(conv_layers: int, filters: int) -> list[int]:
    """Channels of each conv block: filters·2, filters·4, … (doubling per block)."""
    return [filters * 2 ** (b + 1) for b in range(conv_layers)]


def layer_param_counts(conv_layers: int, dense_layers: int, units: int, filters: int) -> list[int]:
    """Closed-form count of every layer that has parameters, in model order (convs, denses, output)."""
    h, w, c_in = INPUT_SHAPE
    counts = []
    for width in block_widths(conv_layers, filters):
        for _ in range(CONVS_PER_BLOCK):
            counts.append(KERNEL * KERNEL * c_in * width + width)
            c_in = width
        h, w = h // 2, w // 2
    n_in = h * w * c_in
    for n_out in [units] * dense_layers + [NUM_CLASSES]:
        counts.append(n_in * n_out + n_out)
        n_in = n_out
    return counts


def seed_param_count(hyperparameters: dict[str, Any]) -> int:
    """Total parameters of the seed's model for these hyperparameter values."""
    hp = hyperparameters
    return sum(layer_param_counts(hp["conv_layers"], hp["dense_layers"], hp["units"], hp["filters"]))


def build_seed_model(
    hp: "keras_tuner.HyperParameters", space: dict[str, dict[str, Any]] = SEED_SEARCH_SPACE
) -> "keras.Model":
    """The seed's hypermodel: registers its space (entries named as in SEED_SEARCH_SPACE) on hp
    and builds + compiles the CNN."""
    import keras

    values = {name: register(hp, name, spec) for name, spec in space.items()}
    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=INPUT_SHAPE)])
    for width in block_widths(values["conv_layers"], values["filters"]):
        for _ in range(CONVS_PER_BLOCK):
            model.add(layers.Conv2D(width, KERNEL, padding="same", activation="relu"))
        model.add(layers.MaxPooling2D(2))
        model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    for _ in range(values["dense_layers"]):
        model.add(layers.Dense(values["units"], activation="relu"))
        model.add(layers.Dropout(0.5))
    model.add(layers.Dense(NUM_CLASSES, activation="softmax"))

    learning_rate = values["learning_rate"]
    step = keras.optimizers.Adam(learning_rate) if values["optimizer"] == "adam" else keras.optimizers.SGD(learning_rate)
    model.compile(optimizer=step, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
