"""hw3.q3 — closed-form parameter count of the ResNet9 (pure Python).

    conv block c_in → c_out : 9 · c_in · c_out (kernel) + c_out (bias) + 2 · c_out (BN γ, β)
    linear 8w → k           : 8w · k + k

BatchNorm's running mean and variance are buffers, not parameters. The count does not
depend on the input size (pools have no parameters): 6 573 318 for 6 classes at the seed's
width w = 64.
"""


def conv_block_parameters(c_in: int, c_out: int) -> int:
    return 9 * c_in * c_out + c_out + 2 * c_out


def resnet9_parameter_count(n_classes: int = 6, width: int = 64) -> int:
    w = width
    blocks = [(3, w), (w, 2 * w), (2 * w, 2 * w), (2 * w, 2 * w), (2 * w, 4 * w), (4 * w, 8 * w), (8 * w, 8 * w), (8 * w, 8 * w)]
    return sum(conv_block_parameters(a, b) for a, b in blocks) + 8 * w * n_classes + n_classes
