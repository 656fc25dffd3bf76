"""hw4.q2: pooling switches and unpooling vs torch, the transposed-conv size formula vs
torch.nn.ConvTranspose2d, and the deconvnet reconstruction vs its closed form and receptive field."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw4.q2_deconvnet import (
    build_small_cnn,
    deconvnet_reconstruction,
    max_pool_with_switches,
    max_unpool,
    transposed_conv_output_size,
)

# (input shape NCHW, pool size, pool stride): square, non-square, odd sizes, overlapping windows.
POOL_CASES = [
    ((1, 1, 4, 4), 2, 2),
    ((2, 3, 7, 5), 2, 2),
    ((1, 2, 7, 8), 3, 2),
    ((2, 1, 6, 9), 3, 3),
]


def random_nchw(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("shape,size,stride", POOL_CASES)
def test_switches_match_torch_return_indices(shape, size, stride):
    x = random_nchw(shape, seed=0)
    pooled, switches = max_pool_with_switches(x, size, stride)
    torch_pooled, torch_indices = F.max_pool2d(
        torch.from_numpy(x), size, stride, return_indices=True
    )
    np.testing.assert_array_equal(pooled, torch_pooled.numpy())
    np.testing.assert_array_equal(switches, torch_indices.numpy())


@pytest.mark.parametrize("shape,size,stride", POOL_CASES)
def test_max_unpool_matches_torch_max_unpool2d(shape, size, stride):
    x = torch.from_numpy(random_nchw(shape, seed=1))
    pooled, indices = F.max_pool2d(x, size, stride, return_indices=True)
    output_size = shape[-2:]
    expected = torch.nn.MaxUnpool2d(size, stride)(pooled, indices, output_size=output_size)
    ours = max_unpool(pooled.numpy(), indices.numpy(), output_size)
    np.testing.assert_array_equal(ours, expected.numpy())


def test_unpooling_keeps_only_the_maxima_in_place():
    x = random_nchw((1, 2, 6, 6), seed=2)
    pooled, switches = max_pool_with_switches(x, 2, 2)
    unpooled = max_unpool(pooled, switches, (6, 6))
    kept = unpooled != 0
    assert kept.sum() == pooled.size
    np.testing.assert_array_equal(unpooled[kept], x[kept])


def size_cases():
    for n, kernel, stride, padding, dilation in itertools.product(
        [1, 3, 6], [1, 2, 3, 5], [1, 2, 3], [0, 1, 2], [1, 2]
    ):
        # torch requires output_padding < max(stride, dilation).
        for output_padding in range(max(stride, dilation)):
            if transposed_conv_output_size(n, kernel, stride, padding, output_padding, dilation) > 0:
                yield n, kernel, stride, padding, output_padding, dilation


def test_transposed_conv_size_matches_torch_conv_transpose2d():
    cases = list(size_cases())
    assert len(cases) > 300
    for n, kernel, stride, padding, output_padding, dilation in cases:
        layer = torch.nn.ConvTranspose2d(
            1, 1, kernel, stride, padding, output_padding, dilation=dilation, bias=False
        )
        # A non-square input checks the formula on each axis independently.
        out = layer(torch.zeros(1, 1, n, n + 1))
        expected = transposed_conv_output_size(n, kernel, stride, padding, output_padding, dilation)
        expected_w = transposed_conv_output_size(
            n + 1, kernel, stride, padding, output_padding, dilation
        )
        assert out.shape[-2:] == (expected, expected_w)


# ---------------------------------------------------------------- deconvnet reconstruction

CNN_CASES = [  # (image C×H×W, filters, kernel, padding, pool)
    ((1, 8, 8), 3, 3, 1, 2),
    ((2, 7, 9), 2, 2, 0, 2),
    ((3, 9, 9), 4, 3, 0, 3),
]


def strongest_activation(model, image):
    """(channel, row, col) of the largest pooled activation, its value and the torch switch."""
    conv, _, pool = model
    with torch.no_grad():
        pooled, switches = pool(F.relu(conv(torch.from_numpy(image)[None])))
    channel, row, col = np.unravel_index(int(pooled[0].argmax()), pooled.shape[1:])
    return (
        (int(channel), int(row), int(col)),
        float(pooled[0, channel, row, col]),
        int(switches[0, channel, row, col]),
    )


@pytest.mark.parametrize("shape,filters,kernel,padding,pool", CNN_CASES)
def test_reconstruction_is_the_filter_placed_at_the_switch(shape, filters, kernel, padding, pool):
    torch.manual_seed(0)
    model = build_small_cnn(shape[0], filters, kernel, padding, pool).double()
    image = random_nchw(shape, seed=3)
    (channel, row, col), value, switch = strongest_activation(model, image)
    reconstruction = deconvnet_reconstruction(model, image, channel, row, col)
    assert reconstruction.shape == image.shape

    # Closed form: one non-zero v at feature-map position (r, s) spreads, through the adjoint of
    # the conv, as v · W[channel] over the input pixels (r − p + u, s − p + w) it was computed from.
    feature_width = shape[2] + 2 * padding - kernel + 1
    r, s = divmod(switch, feature_width)
    weight = model[0].weight.detach().numpy()[channel]
    expected = np.zeros(shape)
    for u in range(kernel):
        for w in range(kernel):
            i, j = r - padding + u, s - padding + w
            if 0 <= i < shape[1] and 0 <= j < shape[2]:
                expected[:, i, j] += value * weight[:, u, w]
    np.testing.assert_allclose(reconstruction, expected, atol=1e-12)


@pytest.mark.parametrize("shape,filters,kernel,padding,pool", CNN_CASES)
def test_reconstruction_vanishes_outside_the_receptive_field(shape, filters, kernel, padding, pool):
    torch.manual_seed(1)
    model = build_small_cnn(shape[0], filters, kernel, padding, pool).double()
    image = random_nchw(shape, seed=4)
    (channel, row, col), value, _ = strongest_activation(model, image)
    assert value > 0
    reconstruction = deconvnet_reconstruction(model, image, channel, row, col)

    # Receptive field of pooled unit (row, col) by autograd: the input pixels that influence the
    # sum of its pooling window in a copy of the conv whose weights are all positive.
    probe = torch.nn.Conv2d(shape[0], 1, kernel, padding=padding, bias=False).double()
    torch.nn.init.ones_(probe.weight)
    x = torch.zeros((1, *shape), dtype=torch.float64, requires_grad=True)
    window = probe(x)[0, 0, row * pool : row * pool + pool, col * pool : col * pool + pool]
    window.sum().backward()
    inside = (x.grad[0] > 0).numpy()

    assert np.abs(reconstruction[inside]).max() > 0
    assert np.all(reconstruction[~inside] == 0)
