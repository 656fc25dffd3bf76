"""hw4.q4 hidden checks: the receptive field of one layer for many kernels; output size, A and the
dilated conv on random (M, N, F, D). The receptive field with dilation and stacked layers is an
optional extension worth no points."""

import numpy as np
import pytest

from reference.hw4.q4_dilated import conv2d_valid, dilated_conv2d, dilated_output_size, receptive_field

pytestmark = pytest.mark.question("q4")


def random_cases(count: int, seed: int):
    """(M, N, F, D) where the dilated kernel fits; D = 1 (an ordinary conv) included."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        F, D = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        span = D * (F - 1) + 1
        M, N = (int(n) for n in rng.integers(span, span + 8, size=2))
        cases.append((M, N, F, D))
    return cases


@pytest.mark.points(1.5)
def test_receptive_field_of_one_layer_many_kernels(kernel):
    for k in range(1, 16):
        got = kernel.call("receptive_field", k)
        want = receptive_field(k)
        assert got == want, f"receptive_field({k}) returned {got}, expected {want}"


@pytest.mark.points(0)
def test_receptive_field_many_settings(kernel):
    rng = np.random.default_rng(401)
    for _ in range(20):
        k, d, layers = int(rng.integers(1, 8)), int(rng.integers(1, 6)), int(rng.integers(1, 6))
        got = kernel.call("receptive_field", k, dilation=d, layers=layers)
        want = receptive_field(k, d, layers)
        assert got == want, f"receptive_field(kernel={k}, dilation={d}, layers={layers}) returned {got}, expected {want}"


@pytest.mark.points(0.5)
def test_dilated_output_size_many_settings(kernel):
    for M, N, F, D in random_cases(25, seed=402):
        got = kernel.call("dilated_output_size", M, N, F, D)
        want = dilated_output_size(M, N, F, D)
        assert got is not None and tuple(got) == want, f"dilated_output_size(M={M}, N={N}, F={F}, D={D}) returned {got}, expected {want}"


@pytest.mark.points(1)
def test_kronecker_kernel_on_random_cases(kernel):
    rng = np.random.default_rng(403)
    for M, N, F, D in random_cases(10, seed=404):
        I, K = rng.standard_normal((M, N)), rng.standard_normal((F, F))
        A = np.asarray(kernel.call("dilation_matrix", D), dtype=float)
        assert A.shape == (D, D), f"dilation_matrix({D}) has shape {A.shape}, expected ({D}, {D})"
        via_kronecker = conv2d_valid(np.pad(I, ((0, D - 1), (0, D - 1))), np.kron(K, A))
        assert np.allclose(via_kronecker, dilated_conv2d(I, K, D)), (
            f"np.kron(K, dilation_matrix({D})) does not reproduce the dilated conv for M={M}, N={N}, F={F}"
        )


@pytest.mark.points(0.5)
def test_dilated_conv2d_on_random_cases(kernel):
    rng = np.random.default_rng(405)
    for M, N, F, D in random_cases(10, seed=406):
        I, K = rng.standard_normal((M, N)), rng.standard_normal((F, F))
        got = np.asarray(kernel.call("dilated_conv2d", I, K, D))
        want = dilated_conv2d(I, K, D)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"dilated_conv2d differs for M={M}, N={N}, F={F}, D={D} (shape {got.shape}, expected {want.shape})"
        )
