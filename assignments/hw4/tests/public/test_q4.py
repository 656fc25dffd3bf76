"""hw4.q4 public checks: (a) the receptive field of one layer, (b) the output size and the dilated
conv, (c) the Kronecker matrix A. The receptive field with dilation and stacked layers is an
optional extension worth no points."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q4")


@pytest.mark.points(1.5)
def test_receptive_field_of_one_layer(kernel, expected):
    for case in expected("q4.receptive_field"):
        k = case["kernel"]
        got = kernel.call("receptive_field", k)
        assert got == case["width"], f"receptive_field({k}) (one {k}x{k} layer, stride 1) returned {got}, expected {case['width']}"


@pytest.mark.points(0)
def test_receptive_field_dilated_and_stacked(kernel, expected):
    for case in expected("q4.receptive_field_extension"):
        k, d, layers = case["kernel"], case["dilation"], case["layers"]
        got = kernel.call("receptive_field", k, dilation=d, layers=layers)
        assert got == case["width"], (
            f"receptive_field(kernel={k}, dilation={d}, layers={layers}) returned {got}, expected {case['width']}"
        )


@pytest.mark.points(0.5)
def test_dilated_output_size(kernel, expected):
    for case in expected("q4.dilated_output_size"):
        M, N, F, D = case["M"], case["N"], case["F"], case["D"]
        want = tuple(case["size"])
        got = kernel.call("dilated_output_size", M, N, F, D)
        assert got is not None and tuple(got) == want, f"dilated_output_size(M={M}, N={N}, F={F}, D={D}) returned {got}, expected {want}"


def valid_correlation(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """An ordinary convolution (no flip) at every position where the kernel fits in the image."""
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijmn,mn->ij", windows, kernel)


@pytest.mark.points(1)
def test_kronecker_kernel_reproduces_the_dilated_conv(kernel, expected):
    case = expected("q4.kronecker")
    I, K, D = case["I"], case["K"], case["D"]
    A = np.asarray(kernel.call("dilation_matrix", D), dtype=float)
    assert A.shape == (D, D), f"dilation_matrix({D}) has shape {A.shape}, expected ({D}, {D})"
    padded = np.pad(I, ((0, D - 1), (0, D - 1)))
    via_kronecker = valid_correlation(padded, np.kron(K, A))
    assert np.allclose(via_kronecker, case["dilated"]), (
        f"an ordinary conv with np.kron(K, dilation_matrix({D})) over I zero-padded by {D - 1} at the bottom/right "
        "does not reproduce the dilated convolution: K(m, n) must land at (D*m, D*n) with zeros elsewhere"
    )


@pytest.mark.points(0.5)
def test_dilated_conv2d(kernel, expected):
    case = expected("q4.dilated_conv2d")
    want = case["dilated"]
    got = np.asarray(kernel.call("dilated_conv2d", case["I"], case["K"], case["D"]))
    assert got.shape == want.shape, f"dilated_conv2d on a 7x9 image, 2x2 kernel, D=3 returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want), f"dilated_conv2d(I, K, D=3) is off by up to {np.max(np.abs(got - want)):.3g}"
