"""hw2.q6 — closed-form parameter count of the reference's ConvNet family (pure Python).

Counted: every trainable tensor — conv kernels and biases, linear weights and biases, and
BatchNorm's scale γ and shift β. BatchNorm's running mean/variance are buffers, updated by
statistics and not by the optimiser, so they are not parameters (torch agrees: they are
not in model.parameters()).

    conv  k×k, c_in → c_out :  c_out·c_in·k² + c_out
    linear n_in → n_out     :  n_in·n_out + n_out
    batchnorm over c        :  2c

Depth adds (9·w + 1)·w (+ 2w with batch norm) per block: the classifier's size does not
change with the depth, thanks to global average pooling.
"""

CIFAR_CLASSES = 10
MAX_DEPTH = 5  # five 2×2 pools take a 32×32 image to 1×1


def conv_parameters(c_in: int, c_out: int, kernel: int) -> int:
    return c_out * c_in * kernel * kernel + c_out


def linear_parameters(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


def batchnorm_parameters(channels: int) -> int:
    return 2 * channels


def convnet_parameter_count(depth: int, width: int = 24, batch_norm: bool = False, n_classes: int = CIFAR_CLASSES) -> int:
    """ConvNet(depth, width, batch_norm): `depth` 3×3 conv blocks of `width` channels and a linear head."""
    convs = conv_parameters(3, width, 3) + (depth - 1) * conv_parameters(width, width, 3)
    norms = depth * batchnorm_parameters(width) if batch_norm else 0
    return convs + norms + linear_parameters(width, n_classes)
