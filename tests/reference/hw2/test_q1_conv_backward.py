"""hw2.q1 reference conv2d forward and backward vs torch's conv2d and its autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw2.q1_conv_backward import conv2d_backward, conv2d_forward, dilate, output_size

# (N, C_in, H, W, C_out, k_h, k_w, stride, padding): stride 1 and 2, gaps (stride > kernel),
# padding, 1×1 and non-square kernels, and inputs whose last rows no window reaches
CASES = [
    (1, 1, 5, 5, 1, 3, 3, 1, 0),
    (2, 3, 7, 6, 4, 3, 3, 2, 1),
    (2, 2, 8, 9, 3, 2, 3, 3, 0),
    (1, 3, 6, 6, 2, 1, 1, 2, 0),
    (3, 2, 9, 7, 5, 4, 2, 2, 2),
    (1, 4, 10, 10, 2, 3, 3, 4, 1),
    (2, 1, 4, 4, 3, 5, 5, 1, 2),
]


def random_layer(case: tuple[int, ...], seed: int):
    n, c_in, h, w, c_out, kh, kw, stride, padding = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c_in, h, w))
    weight = rng.standard_normal((c_out, c_in, kh, kw))
    bias = rng.standard_normal(c_out)
    return x, weight, bias, stride, padding


@pytest.mark.parametrize("case", CASES)
def test_forward_matches_torch_conv2d(case: tuple[int, ...]) -> None:
    x, weight, bias, stride, padding = random_layer(case, seed=sum(case))
    theirs = F.conv2d(torch.tensor(x), torch.tensor(weight), torch.tensor(bias), stride=stride, padding=padding)
    np.testing.assert_allclose(conv2d_forward(x, weight, bias, stride, padding), theirs.numpy(), rtol=1e-10, atol=1e-12)
    assert theirs.shape[2:] == (output_size(x.shape[2], weight.shape[2], stride, padding),
                                output_size(x.shape[3], weight.shape[3], stride, padding))


@pytest.mark.parametrize("case", CASES)
def test_backward_matches_autograd(case: tuple[int, ...]) -> None:
    x, weight, bias, stride, padding = random_layer(case, seed=10 + sum(case))
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, weight, bias))
    y = F.conv2d(xt, wt, bt, stride=stride, padding=padding)
    dy = torch.tensor(np.random.default_rng(sum(case)).standard_normal(tuple(y.shape)))
    dx, dw, db = torch.autograd.grad(y, (xt, wt, bt), dy)

    ours = conv2d_backward(x, weight, dy.numpy(), stride, padding)
    np.testing.assert_allclose(ours.dx, dx.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.dw, dw.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.db, db.numpy(), rtol=1e-10, atol=1e-12)
    assert np.abs(ours.dx).max() > 0.1 and np.abs(ours.dw).max() > 0.1  # a real comparison, not of zeros


def test_unreached_input_rows_get_zero_gradient() -> None:
    """H = 6, k = 2, s = 3: windows start at rows 0 and 3 and cover 0-1 and 3-4; row 2 and row 5 get none."""
    x, weight, _, _, _ = random_layer((1, 1, 6, 6, 1, 2, 2, 3, 0), seed=0)
    grads = conv2d_backward(x, weight, np.ones((1, 1, 2, 2)), stride=3)
    assert np.all(grads.dx[0, 0, [2, 5], :] == 0) and np.all(grads.dx[0, 0, :, [2, 5]] == 0)
    assert np.all(grads.dx[0, 0, :2, :2] != 0)


def test_dilate_and_wrong_output_gradient_shape() -> None:
    g = np.arange(4.0).reshape(1, 1, 2, 2)
    np.testing.assert_array_equal(dilate(g, 2)[0, 0], [[0, 0, 1], [0, 0, 0], [2, 0, 3]])
    with pytest.raises(ValueError, match="dy has shape"):
        conv2d_backward(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 2, 2)))
