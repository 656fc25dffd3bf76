"""hw9.q1: conv2d/conv3d shapes and counts vs torch layers; global and adaptive pooling vs torch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw9.q1_conv_pooling import (
    adaptive_bins,
    adaptive_pool2d,
    conv_output_shape,
    conv_param_count,
    global_pool,
)


def _random_conv(rng: np.random.Generator, dims: int):
    c_in, c_out = int(rng.integers(1, 6)), int(rng.integers(1, 9))
    kernel = tuple(int(k) for k in rng.integers(1, 5, dims))
    stride = tuple(int(s) for s in rng.integers(1, 4, dims))
    padding = tuple(int(rng.integers(0, k)) for k in kernel)
    spatial = tuple(int(n) for n in rng.integers(5, 13, dims))
    return c_in, c_out, kernel, stride, padding, spatial


@pytest.mark.parametrize(("dims", "layer_cls"), [(2, torch.nn.Conv2d), (3, torch.nn.Conv3d)])
def test_conv_shape_and_count_match_torch(dims, layer_cls):
    rng = np.random.default_rng(dims)
    for _ in range(15):
        c_in, c_out, kernel, stride, padding, spatial = _random_conv(rng, dims)
        for bias in (True, False):
            layer = layer_cls(c_in, c_out, kernel, stride=stride, padding=padding, bias=bias)
            assert conv_param_count(c_in, c_out, kernel, bias) == sum(p.numel() for p in layer.parameters())
        out = layer(torch.zeros(1, c_in, *spatial))
        assert conv_output_shape((c_in, *spatial), c_out, kernel, stride, padding) == tuple(out.shape[1:])


def test_conv2d_vs_conv3d_on_the_same_volume():
    """The same 3×3 filters over a 16-deep stack: 2-D treats depth as channels, 3-D slides along it."""
    assert conv_output_shape((16, 32, 32), 8, 3, padding=1) == (8, 32, 32)
    assert conv_param_count(16, 8, (3, 3)) == 8 * (16 * 9 + 1)
    assert conv_output_shape((1, 16, 32, 32), 8, 3, padding=1) == (8, 16, 32, 32)
    assert conv_param_count(1, 8, (3, 3, 3)) == 8 * (27 + 1)
    with pytest.raises(ValueError):
        conv_output_shape((3, 2, 2), 4, 5)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_global_pooling_matches_torch(kind):
    x = torch.randn(3, 4, 7, 5, dtype=torch.float64)
    torch_fn = F.adaptive_max_pool2d if kind == "max" else F.adaptive_avg_pool2d
    expected = torch_fn(x, 1).squeeze(-1).squeeze(-1).numpy()
    np.testing.assert_allclose(global_pool(x.numpy(), kind), expected, rtol=1e-12)


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_adaptive_pooling_matches_torch_on_random_sizes(kind):
    rng = np.random.default_rng(11)
    torch_fn = F.adaptive_max_pool2d if kind == "max" else F.adaptive_avg_pool2d
    for _ in range(25):
        h, w = (int(n) for n in rng.integers(1, 15, 2))
        out_hw = tuple(int(n) for n in rng.integers(1, 17, 2))  # includes out > in
        x = rng.normal(size=(2, 3, h, w))
        expected = torch_fn(torch.from_numpy(x), out_hw).numpy()
        np.testing.assert_allclose(adaptive_pool2d(x, out_hw, kind), expected, rtol=1e-12, atol=1e-15)


def test_adaptive_bins_cover_the_axis_and_reduce_to_plain_pooling():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n_in, n_out = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        bins = adaptive_bins(n_in, n_out)
        assert bins[0][0] == 0 and bins[-1][1] == n_in
        assert all(start < end for start, end in bins)
        assert all(next_start <= end for (_, end), (next_start, _) in zip(bins, bins[1:]))  # no gaps
    # when n_in is a multiple of n_out the bins are the windows of an ordinary pool (size = stride = n_in/n_out)
    assert adaptive_bins(12, 4) == [(0, 3), (3, 6), (6, 9), (9, 12)]
    x = rng.normal(size=(1, 2, 12, 8))
    np.testing.assert_allclose(adaptive_pool2d(x, (4, 2), "max"), F.max_pool2d(torch.from_numpy(x), (3, 4)).numpy())
    with pytest.raises(ValueError):
        adaptive_bins(0, 3)
