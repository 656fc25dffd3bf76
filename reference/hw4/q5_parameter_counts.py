"""hw4.q5 — parameter counts of the paper's lightweight VGG and of VGG16 transfer learning.

Pure Python (no torch): the grader compares a student's counts with these in its own process.
Counted: every weight and bias of every convolution and dense layer (pooling, flatten, ReLU and
dropout have none). A k×k convolution from c_in to c_out channels has k·k·c_in·c_out weights and
c_out biases; a dense layer from n_in to n_out has n_in·n_out weights and n_out biases.

Lightweight VGG (the seed's Figure 3, 128×128×3 input): five blocks of two 3×3 'same'
convolutions (16, 32, 64, 128, 128 channels), each block followed by 2×2 max-pooling, so the
map shrinks 128 → 4 and flattens to 4·4·128 = 2048; then two dense layers of 1024 and the
output layer (8 expressions, or 2).

VGG16 (Simonyan & Zisserman, configuration D, torchvision/Keras layout): 13 3×3 convolutions
(64, 64 | 128, 128 | 256 ×3 | 512 ×3 | 512 ×3), a 7·7·512 = 25,088 flatten, dense 4096, 4096 and
1000 — 138,357,544 parameters. For transfer learning the convolutional part is frozen and the
1000-way layer is replaced by an n_classes-way one.
"""

from dataclasses import dataclass

LIGHTWEIGHT_VGG_BLOCK_WIDTHS = (16, 32, 64, 128, 128)  # channels of both convs of block i
LIGHTWEIGHT_VGG_DENSE_WIDTHS = (1024, 1024)
LIGHTWEIGHT_VGG_INPUT_SIZE = 128  # the paper's input side; five 2×2 pools leave 4×4

VGG16_CONV_WIDTHS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))
VGG16_DENSE_WIDTHS = (4096, 4096)
VGG16_FLATTEN = 7 * 7 * 512  # torchvision pools the last map to 7×7 whatever the input size
IMAGENET_CLASSES = 1000


def conv_parameters(in_channels: int, out_channels: int, kernel: int = 3) -> int:
    return kernel * kernel * in_channels * out_channels + out_channels


def dense_parameters(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


@dataclass(frozen=True)
class LayerRow:
    """One row of a model summary: layer kind, output shape (H, W, C) or (features,), parameters."""

    kind: str
    output_shape: tuple[int, ...]
    parameters: int


def lightweight_vgg_layers(n_classes: int = 8, input_size: int = LIGHTWEIGHT_VGG_INPUT_SIZE) -> list[LayerRow]:
    """The seed's Figure 3 as a layer table (each of the '2×Conv' rows expanded into two)."""
    rows = []
    side, channels = input_size, 3
    for width in LIGHTWEIGHT_VGG_BLOCK_WIDTHS:
        for _ in range(2):
            rows.append(LayerRow("conv3x3", (side, side, width), conv_parameters(channels, width)))
            channels = width
        side //= 2
        rows.append(LayerRow("maxpool2x2", (side, side, channels), 0))
    features = side * side * channels
    rows.append(LayerRow("flatten", (features,), 0))
    for width in (*LIGHTWEIGHT_VGG_DENSE_WIDTHS, n_classes):
        rows.append(LayerRow("dense", (width,), dense_parameters(features, width)))
        features = width
    return rows


def lightweight_vgg_parameter_count(n_classes: int = 8, input_size: int = LIGHTWEIGHT_VGG_INPUT_SIZE) -> int:
    """3,744,664 for 8 classes at 128×128: 588,688 in the convolutions, the rest dense."""
    return sum(row.parameters for row in lightweight_vgg_layers(n_classes, input_size))


def vgg16_conv_parameter_count() -> int:
    """The 13 convolutions of VGG16 (what transfer learning freezes): 14,714,688."""
    total, channels = 0, 3
    for block in VGG16_CONV_WIDTHS:
        for width in block:
            total += conv_parameters(channels, width)
            channels = width
    return total


def vgg16_dense_parameter_count(n_classes: int = IMAGENET_CLASSES) -> int:
    total, features = 0, VGG16_FLATTEN
    for width in (*VGG16_DENSE_WIDTHS, n_classes):
        total += dense_parameters(features, width)
        features = width
    return total


def vgg16_parameter_count(n_classes: int = IMAGENET_CLASSES) -> int:
    """138,357,544 with the ImageNet head."""
    return vgg16_conv_parameter_count() + vgg16_dense_parameter_count(n_classes)


@dataclass(frozen=True)
class ParameterSplit:
    trainable: int
    frozen: int

    @property
    def total(self) -> int:
        return self.trainable + self.frozen


def vgg16_transfer_parameter_split(n_classes: int = 8) -> ParameterSplit:
    """VGG16 with frozen convolutions and a new n_classes head; its three dense layers train.

    For 8 classes: 119,578,632 trainable + 14,714,688 frozen = 134,293,320.
    """
    return ParameterSplit(trainable=vgg16_dense_parameter_count(n_classes), frozen=vgg16_conv_parameter_count())
