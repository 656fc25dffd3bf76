"""hw5.q5 public checks: the transposed-conv output size, conv2d and conv_transpose2d on small
fixed tensors, the adjoint identity with the student's own two functions, and the DeconvNet's
parameter count and output shape."""

import numpy as np
import pytest

from reference.hw5.q5_deconvnet import deconvnet_param_count
from reference.hw5.q5_transposed_conv import conv2d, conv_transpose2d, conv_transpose_output_size

pytestmark = pytest.mark.question("q5")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 10, 10))
WEIGHT = RNG.standard_normal((4, 3, 3, 3))
STRIDE, PADDING, OUTPUT_PADDING = 2, 1, 1  # 10 -> 5 -> back to 10 (9 without output padding)
Y = RNG.standard_normal((2, 4, 5, 5))
NON_TRIVIAL = 0.1  # the least norm of a map, relative to the right answer's, for the adjoint identity to count


def test_transposed_conv_output_size(kernel):
    for n, k, s, p, op in [(4, 3, 1, 0, 0), (5, 3, 2, 1, 1), (7, 4, 2, 1, 0), (5, 5, 3, 2, 2)]:
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        want = conv_transpose_output_size(n, k, s, p, op)
        assert got == want, (
            f"transposed_conv_output_size(n={n}, kernel={k}, stride={s}, padding={p}, output_padding={op}) "
            f"returned {got}, expected {want}"
        )


def test_conv2d(kernel):
    got = np.asarray(kernel.call("conv2d", X, WEIGHT, STRIDE, PADDING), dtype=float)
    want = conv2d(X, WEIGHT, STRIDE, PADDING)
    assert got.shape == want.shape, f"conv2d on x [2, 3, 10, 10], weight [4, 3, 3, 3], stride 2, padding 1 returned {got.shape}, expected {want.shape}"
    assert np.allclose(got, want), f"conv2d (stride 2, padding 1) is off by up to {np.max(np.abs(got - want)):.3g}"


def test_conv_transpose2d(kernel):
    got = np.asarray(kernel.call("conv_transpose2d", Y, WEIGHT, STRIDE, PADDING, OUTPUT_PADDING), dtype=float)
    want = conv_transpose2d(Y, WEIGHT, (10, 10), STRIDE, PADDING)
    assert got.shape == want.shape, (
        f"conv_transpose2d on y [2, 4, 5, 5], weight [4, 3, 3, 3], stride 2, padding 1, output_padding 1 returned "
        f"{got.shape}, expected {want.shape}"
    )
    assert np.allclose(got, want), (
        f"conv_transpose2d is off by up to {np.max(np.abs(got - want)):.3g}; it must equal "
        "torch.nn.functional.conv_transpose2d(y, weight, stride=2, padding=1, output_padding=1)"
    )


def test_adjoint_identity_with_your_functions(kernel):
    forward = np.asarray(kernel.call("conv2d", X, WEIGHT, STRIDE, PADDING), dtype=float)
    backward = np.asarray(kernel.call("conv_transpose2d", Y, WEIGHT, STRIDE, PADDING, OUTPUT_PADDING), dtype=float)
    assert forward.shape == Y.shape and backward.shape == X.shape, (
        f"conv2d gave {forward.shape} (expected {Y.shape}) and conv_transpose2d gave {backward.shape} (expected {X.shape})"
    )
    # zero maps satisfy the identity trivially: both must be real maps (of about the right size)
    for name, got, want in (("conv2d", forward, conv2d(X, WEIGHT, STRIDE, PADDING)),
                            ("conv_transpose2d", backward, conv_transpose2d(Y, WEIGHT, (10, 10), STRIDE, PADDING))):
        assert np.linalg.norm(got) >= NON_TRIVIAL * np.linalg.norm(want), f"{name} returned (almost) zeros"
    lhs, rhs = float(np.sum(forward * Y)), float(np.sum(X * backward))
    assert np.isclose(lhs, rhs), f"<conv2d(x), y> = {lhs:.6f} but <x, conv_transpose2d(y)> = {rhs:.6f}"


def test_deconvnet_parameter_count(kernel):
    got = kernel.value(f"sum(p.numel() for p in {kernel.find_model('deconvnet', (3, 32, 32), (3, 32, 32))}.parameters())")
    want = deconvnet_param_count()
    assert got == want.total, (
        f"`deconvnet` has {got:,} parameters, expected {want.total:,} (encoder {want.encoder:,}: VGG16's convolutions; "
        f"decoder {want.decoder:,}: one 3x3 transposed conv C_out -> C_in, with bias, per conv)"
    )


def test_deconvnet_output_has_the_input_shape(kernel):
    for height, width in ((32, 32), (37, 45)):
        x = np.random.default_rng(height).random((1, 3, height, width), dtype=np.float32)
        got = np.asarray(kernel.predict(kernel.find_model("deconvnet", (3, 32, 32), (3, 32, 32)), x))
        assert got.shape == x.shape, f"deconvnet maps an input of shape {x.shape} to {got.shape}; the output must have the input's shape"
