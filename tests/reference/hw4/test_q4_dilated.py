"""hw4.q4: dilated conv vs torch conv2d(dilation=D), the Kronecker kernel, the receptive field by
autograd, and the SymPy output size."""

import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as F_torch

from reference.hw4.q4_dilated import (
    conv2d_valid,
    conv2d_with_kronecker_kernel,
    derive_dilated_output_size,
    dilate_kernel,
    dilated_conv2d,
    dilated_output_size,
    dilation_matrix,
    kronecker_kernel,
    receptive_field,
)


def random_cases(count: int, seed: int):
    """(M, N, F, D) with the dilated kernel fitting; M ≠ N in general."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        F, D = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        span = D * (F - 1) + 1
        M, N = (int(n) for n in rng.integers(span, span + 6, size=2))
        cases.append((M, N, F, D))
    return cases


CASES = random_cases(12, seed=0) + [(7, 5, 3, 2), (5, 9, 2, 4), (4, 4, 1, 3)]


def torch_dilated(I: np.ndarray, K: np.ndarray, D: int) -> np.ndarray:
    # torch's conv2d is a correlation (no flip), "valid" without padding: the seed's definition.
    out = F_torch.conv2d(torch.from_numpy(I)[None, None], torch.from_numpy(K)[None, None], dilation=D)
    return out[0, 0].numpy()


def image_and_kernel(M: int, N: int, F: int, seed: int):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((M, N)), rng.standard_normal((F, F))


@pytest.mark.parametrize("M,N,F,D", CASES)
def test_dilated_conv_matches_torch(M, N, F, D):
    I, K = image_and_kernel(M, N, F, seed=M * 100 + N)
    expected = torch_dilated(I, K, D)
    ours = dilated_conv2d(I, K, D)
    assert ours.shape == expected.shape == dilated_output_size(M, N, F, D)
    np.testing.assert_allclose(ours, expected, atol=1e-12)


@pytest.mark.parametrize("M,N,F,D", CASES)
def test_kronecker_kernel_reproduces_the_dilated_conv(M, N, F, D):
    I, K = image_and_kernel(M, N, F, seed=M * 100 + N + 1)
    expected = torch_dilated(I, K, D)
    full = kronecker_kernel(K, D)
    assert full.shape == (D * F, D * F)

    # The cut kernel is torch's notion of a dilated kernel: ordinary conv with it = dilation D.
    cut = dilate_kernel(K, D)
    assert cut.shape == (D * (F - 1) + 1,) * 2
    np.testing.assert_allclose(torch_dilated(I, cut, 1), expected, atol=1e-12)
    np.testing.assert_allclose(conv2d_valid(I, cut), expected, atol=1e-12)

    # The full DF×DF kernel padded image: the same output, same size.
    np.testing.assert_allclose(conv2d_with_kronecker_kernel(I, K, D), expected, atol=1e-12)

    # The full kernel without padding: D − 1 fewer rows and columns, the rest identical.
    if M >= D * F and N >= D * F:
        short = torch_dilated(I, full, 1)
        assert short.shape == (M - D * F + 1, N - D * F + 1)
        assert expected.shape[0] - short.shape[0] == D - 1
        np.testing.assert_allclose(short, expected[: short.shape[0], : short.shape[1]], atol=1e-12)


def test_dilation_matrix_places_kernel_entries_D_apart():
    K = np.arange(1.0, 10.0).reshape(3, 3)
    for D in (1, 2, 3):
        A = dilation_matrix(D)
        assert A.shape == (D, D) and A.sum() == 1.0 and A[0, 0] == 1.0
        full = np.kron(K, A)
        np.testing.assert_array_equal(full[::D, ::D], K)
        assert np.count_nonzero(full) == np.count_nonzero(K)


def test_output_size_rejects_a_kernel_that_does_not_fit():
    with pytest.raises(ValueError):
        dilated_output_size(4, 10, 3, 2)  # span 5 > 4 rows


@pytest.mark.parametrize(
    "kernel,dilation,layers", [(3, 1, 1), (5, 1, 1), (3, 2, 1), (3, 1, 3), (3, 2, 2), (2, 3, 3), (4, 2, 2)]
)
def test_receptive_field_matches_autograd(kernel, dilation, layers):
    expected_width = receptive_field(kernel, dilation, layers)
    size = expected_width + 4
    convs = torch.nn.Sequential(
        *[torch.nn.Conv2d(1, 1, kernel, dilation=dilation, bias=False) for _ in range(layers)]
    ).double()
    for conv in convs:
        torch.nn.init.ones_(conv.weight)  # positive weights: no cancellation hides a pixel
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    convs(x)[0, 0, 1, 2].backward()
    rows, cols = np.nonzero(x.grad[0, 0].numpy())
    assert rows.max() - rows.min() + 1 == expected_width
    assert cols.max() - cols.min() + 1 == expected_width
    assert (rows.min(), cols.min()) == (1, 2)


def test_sympy_size_equals_the_formula():
    derivation = derive_dilated_output_size()
    M, F, D = sp.symbols("M F D", integer=True, positive=True)
    assert sp.simplify(derivation.size - (M - D * F + D)) == 0
    assert sp.simplify(derivation.last_index - (M - 1 - D * (F - 1))) == 0
    # …and agrees with torch's output rows on concrete sizes.
    for rows, cols, F_value, D_value in CASES[:6]:
        I, K = image_and_kernel(rows, cols, F_value, seed=7)
        torch_rows = torch_dilated(I, K, D_value).shape[0]
        assert derivation.size.subs({M: rows, F: F_value, D: D_value}) == torch_rows
