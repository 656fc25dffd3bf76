"""hw5.q5 public checks: the transposed-conv output size, conv2d and conv_transpose2d on small
fixed tensors, the adjoint identity with the student's own two functions, and the DeconvNet's
parameter count and output shape."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q5")

NON_TRIVIAL = 0.1  # the least norm of a map, relative to the right answer's, for the adjoint identity to count


@pytest.fixture(scope="module")
def pair(expected) -> dict:
    """x and weight for conv2d (stride 2, padding 1: 10 -> 5), y for conv_transpose2d (5 -> 10 with
    output padding 1), and what each must return."""
    return expected("q5.conv_pair")


def forward(kernel, pair) -> np.ndarray:
    return np.asarray(kernel.call("conv2d", pair["x"], pair["weight"], pair["stride"], pair["padding"]), dtype=float)


def backward(kernel, pair) -> np.ndarray:
    args = (pair["y"], pair["weight"], pair["stride"], pair["padding"], pair["output_padding"])
    return np.asarray(kernel.call("conv_transpose2d", *args), dtype=float)


def test_transposed_conv_output_size(kernel, expected):
    for case in expected("q5.transposed_conv_output_size"):
        n, k, s, p, op = (case[key] for key in ("n", "kernel", "stride", "padding", "output_padding"))
        got = kernel.call("transposed_conv_output_size", n, k, s, p, op)
        assert got == case["length"], (
            f"transposed_conv_output_size(n={n}, kernel={k}, stride={s}, padding={p}, output_padding={op}) "
            f"returned {got}, expected {case['length']}"
        )


def test_conv2d(kernel, pair):
    got, want = forward(kernel, pair), pair["conv2d"]
    assert got.shape == want.shape, (
        f"conv2d on x [2, 3, 10, 10], weight [4, 3, 3, 3], stride 2, padding 1 returned {got.shape}, expected {want.shape}"
    )
    assert np.allclose(got, want), f"conv2d (stride 2, padding 1) is off by up to {np.max(np.abs(got - want)):.3g}"


def test_conv_transpose2d(kernel, pair):
    got, want = backward(kernel, pair), pair["conv_transpose2d"]
    assert got.shape == want.shape, (
        f"conv_transpose2d on y [2, 4, 5, 5], weight [4, 3, 3, 3], stride 2, padding 1, output_padding 1 returned "
        f"{got.shape}, expected {want.shape}"
    )
    assert np.allclose(got, want), (
        f"conv_transpose2d is off by up to {np.max(np.abs(got - want)):.3g}; it must equal "
        "torch.nn.functional.conv_transpose2d(y, weight, stride=2, padding=1, output_padding=1)"
    )


def test_adjoint_identity_with_your_functions(kernel, pair):
    x, y = pair["x"], pair["y"]
    got_forward, got_backward = forward(kernel, pair), backward(kernel, pair)
    assert got_forward.shape == y.shape and got_backward.shape == x.shape, (
        f"conv2d gave {got_forward.shape} (expected {y.shape}) and conv_transpose2d gave {got_backward.shape} (expected {x.shape})"
    )
    # zero maps satisfy the identity trivially: both must be real maps (of about the right size)
    for name, got in (("conv2d", got_forward), ("conv_transpose2d", got_backward)):
        assert np.linalg.norm(got) >= NON_TRIVIAL * np.linalg.norm(pair[name]), f"{name} returned (almost) zeros"
    lhs, rhs = float(np.sum(got_forward * y)), float(np.sum(x * got_backward))
    assert np.isclose(lhs, rhs), f"<conv2d(x), y> = {lhs:.6f} but <x, conv_transpose2d(y)> = {rhs:.6f}"


def test_deconvnet_parameter_count(kernel, expected):
    got = kernel.value(f"sum(p.numel() for p in {kernel.find_model('deconvnet', (3, 32, 32), (3, 32, 32))}.parameters())")
    want = expected("q5.deconvnet_parameters")
    assert got == want["total"], (
        f"`deconvnet` has {got:,} parameters, expected {want['total']:,} (encoder {want['encoder']:,}: VGG16's convolutions; "
        f"decoder {want['decoder']:,}: one 3x3 transposed conv C_out -> C_in, with bias, per conv)"
    )


def test_deconvnet_output_has_the_input_shape(kernel):
    for height, width in ((32, 32), (37, 45)):
        x = np.random.default_rng(height).random((1, 3, height, width), dtype=np.float32)
        got = np.asarray(kernel.predict(kernel.find_model("deconvnet", (3, 32, 32), (3, 32, 32)), x))
        assert got.shape == x.shape, f"deconvnet maps an input of shape {x.shape} to {got.shape}; the output must have the input's shape"
