"""hw2.q6 — closed-form sizes and parameter counts of the three CIFAR-10 models (pure Python).

Counted: every trainable tensor — conv kernels and biases, linear weights and biases, and
BatchNorm's scale γ and shift β. BatchNorm's running mean/variance are buffers, updated by
statistics and not by the optimiser, so they are not parameters (torch agrees: they are
not in model.parameters()).

    conv  k×k, c_in → c_out :  c_out·c_in·k² + c_out
    linear n_in → n_out     :  n_in·n_out + n_out
    batchnorm over c        :  2c
"""

LENET_FC_HIDDEN = (120,)  # model 1/2: 400 → 120 → 10 (see q6_cifar_models for the choice)
CONV30_FC_HIDDEN = (120, 84)  # model 3: 1080 → 120 → 84 → 10
CIFAR_CLASSES = 10
CIFAR_IMAGE_SIZE = 32


def conv_parameters(c_in: int, c_out: int, kernel: int) -> int:
    return c_out * c_in * kernel * kernel + c_out


def linear_parameters(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


def batchnorm_parameters(channels: int) -> int:
    return 2 * channels


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Spatial size after a convolution or pooling: floor((n + 2p − k) / s) + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def classifier_parameters(n_in: int, hidden: tuple[int, ...], n_classes: int) -> int:
    """The fully connected stack n_in → hidden... → n_classes."""
    widths = (n_in, *hidden, n_classes)
    return sum(linear_parameters(a, b) for a, b in zip(widths[:-1], widths[1:]))


def lenet_flatten_size(image_size: int = CIFAR_IMAGE_SIZE) -> int:
    """16 · s², s = size after conv5 → pool2 → conv5 → pool2 (32 → 28 → 14 → 10 → 5: 400)."""
    s = conv_output_size(conv_output_size(image_size, 5), 2, 2)
    s = conv_output_size(conv_output_size(s, 5), 2, 2)
    return 16 * s * s


def conv30_flatten_size(image_size: int = CIFAR_IMAGE_SIZE) -> int:
    """30 · s², s after conv3 → pool2 → conv3 → pool2 (32 → 30 → 15 → 13 → 6: 1080)."""
    s = conv_output_size(conv_output_size(image_size, 3), 2, 2)
    s = conv_output_size(conv_output_size(s, 3), 2, 2)
    return 30 * s * s


def lenet_parameter_count(
    fc_hidden: tuple[int, ...] = LENET_FC_HIDDEN, batch_norm: bool = False, n_classes: int = CIFAR_CLASSES
) -> int:
    """Model 1 (batch_norm=False) or model 2 (BatchNorm after each conv)."""
    convs = conv_parameters(3, 6, 5) + conv_parameters(6, 16, 5)
    norms = batchnorm_parameters(6) + batchnorm_parameters(16) if batch_norm else 0
    return convs + norms + classifier_parameters(lenet_flatten_size(), fc_hidden, n_classes)


def conv30_parameter_count(fc_hidden: tuple[int, ...] = CONV30_FC_HIDDEN, n_classes: int = CIFAR_CLASSES) -> int:
    """Model 3."""
    convs = conv_parameters(3, 30, 3) + conv_parameters(30, 30, 3)
    return convs + classifier_parameters(conv30_flatten_size(), fc_hidden, n_classes)


def cifar_model_parameter_count(number: int) -> int:
    """Parameter count of model 1, 2 or 3 with the default fully connected widths."""
    counts = {1: lenet_parameter_count(), 2: lenet_parameter_count(batch_norm=True), 3: conv30_parameter_count()}
    if number not in counts:
        raise ValueError(f"model number must be 1, 2 or 3, got {number}")
    return counts[number]
