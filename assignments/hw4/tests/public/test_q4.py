"""hw4.q4 public checks: receptive field, output size, the Kronecker matrix A, the dilated conv."""

import numpy as np
import pytest

from reference.hw4.q4_dilated import conv2d_valid, dilated_conv2d, dilated_output_size, receptive_field

pytestmark = pytest.mark.question("q4")


def test_receptive_field(kernel):
    for k, d, layers in [(3, 1, 1), (3, 2, 1), (5, 3, 1), (3, 2, 3)]:
        got = kernel.call("receptive_field", k, dilation=d, layers=layers)
        want = receptive_field(k, d, layers)
        assert got == want, f"receptive_field(kernel={k}, dilation={d}, layers={layers}) returned {got}, expected {want}"


def test_dilated_output_size(kernel):
    for M, N, F, D in [(7, 8, 3, 2), (10, 6, 2, 3), (5, 5, 1, 4)]:
        got = kernel.call("dilated_output_size", M, N, F, D)
        want = dilated_output_size(M, N, F, D)
        assert got is not None and tuple(got) == want, f"dilated_output_size(M={M}, N={N}, F={F}, D={D}) returned {got}, expected {want}"


def test_kronecker_kernel_reproduces_the_dilated_conv(kernel):
    rng = np.random.default_rng(0)
    M, N, F, D = 8, 9, 3, 2
    I, K = rng.standard_normal((M, N)), rng.standard_normal((F, F))
    A = np.asarray(kernel.call("dilation_matrix", D), dtype=float)
    assert A.shape == (D, D), f"dilation_matrix({D}) has shape {A.shape}, expected ({D}, {D})"
    padded = np.pad(I, ((0, D - 1), (0, D - 1)))
    via_kronecker = conv2d_valid(padded, np.kron(K, A))
    assert np.allclose(via_kronecker, dilated_conv2d(I, K, D)), (
        f"an ordinary conv with np.kron(K, dilation_matrix({D})) over I zero-padded by {D - 1} at the bottom/right "
        "does not reproduce the dilated convolution: K(m, n) must land at (D*m, D*n) with zeros elsewhere"
    )


def test_dilated_conv2d(kernel):
    rng = np.random.default_rng(1)
    I, K, D = rng.standard_normal((7, 9)), rng.standard_normal((2, 2)), 3
    got = np.asarray(kernel.call("dilated_conv2d", I, K, D))
    want = dilated_conv2d(I, K, D)
    assert got.shape == want.shape, f"dilated_conv2d on a 7x9 image, 2x2 kernel, D=3 returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want), f"dilated_conv2d(I, K, D=3) is off by up to {np.max(np.abs(got - want)):.3g}"
