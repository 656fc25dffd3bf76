"""hw3.q3 — closed-form parameter count of the ResNet9 (pure Python).

    conv block c_in → c_out : 9 · c_in · c_out (kernel) + c_out (bias) + 2 · c_out (BN γ, β)
    linear 512 → k          : 512 · k + k

BatchNorm's running mean and variance are buffers, not parameters. The count does not
depend on the input size (pools have no parameters): 6 573 318 for 6 classes.
"""


def conv_block_parameters(c_in: int, c_out: int) -> int:
    return 9 * c_in * c_out + c_out + 2 * c_out


def resnet9_parameter_count(n_classes: int = 6) -> int:
    blocks = [(3, 64), (64, 128), (128, 128), (128, 128), (128, 256), (256, 512), (512, 512), (512, 512)]
    return sum(conv_block_parameters(a, b) for a, b in blocks) + 512 * n_classes + n_classes
