"""hw9.q4 (a bonus question in the handout) — counting the parameters of a small net with a
locally connected layer.

The network (input 28×28×1, no padding, stride 1 unless stated):

    layer                      output      parameters
    Conv2D(20, 7×7)            22×22×20    20·(7·7·1 + 1)           = 1,000
    MaxPooling2D(2)            11×11×20    0
    Conv2D(10, 5×5)            7×7×10      10·(5·5·20 + 1)          = 5,010
    LocallyConnected2D(2, 3×3) 5×5×2       5·5 · 2·(3·3·10 + 1)     = 4,550
    Flatten                    50          0
    Dense(10)                  10          10·(50 + 1)              =   510
                                                             total   11,070

A locally connected layer slides its window like a convolution but does not share weights:
every output position (5·5 = 25 of them) has its own filters and its own biases, so its count
is the conv count times the number of output positions. (The seed's derivation, 2·(25·90 + 25),
is the same number.)

The closed form here is pure Python (the grader imports it); `build_tf_keras_model` builds the
net in tf-keras (Keras 3 dropped LocallyConnected2D; tf-keras 2.x still has it) and
q4_locally_connected has the PyTorch version of the layer and of the net.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tf_keras

INPUT_SHAPE = (28, 28, 1)  # H, W, C
QUESTION_COUNTS = (1000, 0, 5010, 4550, 0, 510)  # the handout's net at 28×28×1, layer by layer (the seed agrees)
QUESTION_TOTAL = 11_070


@dataclass(frozen=True)
class LayerCount:
    name: str
    output_shape: tuple[int, ...]  # per sample, Keras layout (H, W, C)
    params: int


def valid_size(n: int, kernel: int, stride: int = 1) -> int:
    """Output length of an unpadded window: ⌊(n − k)/s⌋ + 1."""
    return (n - kernel) // stride + 1


def conv2d_params(c_in: int, c_out: int, kernel: int) -> int:
    """One k×k×C_in filter plus a bias per output channel, shared by all positions."""
    return c_out * (kernel * kernel * c_in + 1)


def locally_connected2d_params(out_hw: tuple[int, int], c_in: int, c_out: int, kernel: int) -> int:
    """A conv's filters and biases, repeated for every output position (no weight sharing)."""
    return out_hw[0] * out_hw[1] * conv2d_params(c_in, c_out, kernel)


def dense_params(n_in: int, n_out: int) -> int:
    return n_out * (n_in + 1)


def param_table(input_shape: tuple[int, int, int] = INPUT_SHAPE) -> list[LayerCount]:
    """Closed-form output shape and parameter count of each layer (names as in the seed's summary)."""
    h, w, c = input_shape
    rows = []
    h, w = valid_size(h, 7), valid_size(w, 7)
    rows.append(LayerCount("conv2d", (h, w, 20), conv2d_params(c, 20, 7)))
    h, w = h // 2, w // 2
    rows.append(LayerCount("max_pooling2d", (h, w, 20), 0))
    h, w = valid_size(h, 5), valid_size(w, 5)
    rows.append(LayerCount("conv2d_1", (h, w, 10), conv2d_params(20, 10, 5)))
    h, w = valid_size(h, 3), valid_size(w, 3)
    rows.append(LayerCount("locally_connected2d", (h, w, 2), locally_connected2d_params((h, w), 10, 2, 3)))
    rows.append(LayerCount("flatten", (h * w * 2,), 0))
    rows.append(LayerCount("dense", (10,), dense_params(h * w * 2, 10)))
    return rows


def build_tf_keras_model(input_shape: tuple[int, int, int] = INPUT_SHAPE) -> "tf_keras.Sequential":
    """The net in tf-keras (ReLU hidden activations, softmax output: activations add no parameters)."""
    import tf_keras

    layers = tf_keras.layers
    return tf_keras.Sequential(
        [
            tf_keras.Input(shape=input_shape),
            layers.Conv2D(20, 7, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(10, 5, activation="relu"),
            layers.LocallyConnected2D(2, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
