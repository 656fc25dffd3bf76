"""hw5.q5: transposed conv as the adjoint of conv (NumPy matrices vs torch), and the DeconvNet."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw5.q4_vgg16 import keras_vgg16_table
from reference.hw5.q5_deconvnet import DeconvNet, DeconvNetConfig, deconvnet_param_count
from reference.hw5.q5_transposed_conv import (
    adjoint_identity_sides,
    conv2d,
    conv2d_matrix,
    conv_output_size,
    conv_transpose2d,
    conv_transpose_output_size,
    output_padding_for,
)

# (H, W, kernel, stride, padding): odd sizes and strides that leave a remainder on purpose
GEOMETRIES = [(5, 5, 3, 1, 0), (6, 7, 3, 1, 1), (7, 6, 3, 2, 1), (8, 9, 2, 2, 0), (9, 8, 4, 3, 2), (6, 6, 1, 2, 0)]


def _random_case(h: int, w: int, k: int, seed: int):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 3, h, w))
    weight = rng.normal(size=(4, 3, k, k))
    return rng, x, weight


@pytest.mark.parametrize(("h", "w", "k", "s", "p"), GEOMETRIES)
def test_numpy_conv_and_transpose_match_torch(h, w, k, s, p):
    rng, x, weight = _random_case(h, w, k, seed=h * 100 + w * 10 + k)
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(weight), stride=s, padding=p).numpy()
    np.testing.assert_allclose(conv2d(x, weight, s, p), expected, rtol=1e-10, atol=1e-12)

    y = rng.normal(size=expected.shape)
    torch_t = F.conv_transpose2d(
        torch.from_numpy(y),
        torch.from_numpy(weight),
        stride=s,
        padding=p,
        output_padding=(output_padding_for(h, k, s, p), output_padding_for(w, k, s, p)),
    ).numpy()
    assert torch_t.shape == x.shape
    np.testing.assert_allclose(conv_transpose2d(y, weight, (h, w), s, p), torch_t, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("h", "w", "k", "s", "p"), GEOMETRIES)
def test_adjoint_identity_and_transpose_is_the_input_gradient(h, w, k, s, p):
    rng, x, weight = _random_case(h, w, k, seed=7 + h + w)
    y = rng.normal(size=(2, 4, conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)))
    lhs, rhs = adjoint_identity_sides(x, y, weight, s, p)
    assert lhs == pytest.approx(rhs, rel=1e-10)
    # the independent reading of the same fact: Cᵀy is autograd's gradient of ⟨conv(x), y⟩ w.r.t. x
    x_t = torch.from_numpy(x).requires_grad_(True)
    (F.conv2d(x_t, torch.from_numpy(weight), stride=s, padding=p) * torch.from_numpy(y)).sum().backward()
    np.testing.assert_allclose(conv_transpose2d(y, weight, (h, w), s, p), x_t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_conv_matrix_has_one_row_per_output_and_one_column_per_input():
    weight = np.random.default_rng(0).normal(size=(2, 3, 3, 3))
    assert conv2d_matrix(weight, (7, 5), stride=2, padding=1).shape == (2 * 4 * 3, 3 * 7 * 5)


def test_output_size_formulas_match_torch_layers():
    rng = np.random.default_rng(1)
    for _ in range(20):
        n, k, s = int(rng.integers(4, 20)), int(rng.integers(1, 5)), int(rng.integers(1, 4))
        p = int(rng.integers(0, k))
        out = conv_output_size(n, k, s, p)
        conv = torch.nn.Conv2d(1, 1, k, stride=s, padding=p)
        assert conv(torch.zeros(1, 1, n, n)).shape[-1] == out
        op = output_padding_for(n, k, s, p)
        deconv = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op)
        assert deconv(torch.zeros(1, 1, out, out)).shape[-1] == conv_transpose_output_size(out, k, s, p, op) == n
    with pytest.raises(ValueError):
        conv_transpose_output_size(4, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError):
        conv_output_size(2, 5)


def test_full_deconvnet_param_count_closed_form_vs_torch():
    model = DeconvNet()
    count = deconvnet_param_count()
    encoder_torch = sum(p.numel() for p in model.encoder.parameters())
    decoder_torch = sum(p.numel() for p in model.decoder.parameters())
    assert (count.encoder, count.decoder) == (encoder_torch, decoder_torch)
    assert count.total == sum(p.numel() for p in model.parameters())
    # the encoder is exactly VGG16's convolutional part, counted independently by the Keras-layout table
    assert count.encoder == sum(row.params for row in keras_vgg16_table() if row.kind == "conv") == 14_714_688


def test_full_deconvnet_output_has_input_size():
    torch.manual_seed(0)
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        assert DeconvNet()(x).shape == x.shape


@pytest.mark.parametrize("hw", [(32, 32), (37, 45), (70, 33)])
def test_reduced_deconvnet_keeps_odd_sizes_and_trains(hw):
    config = DeconvNetConfig(blocks=((4, 4), (8, 8), (8, 8, 8), (8, 8, 8), (8, 8, 8)))
    torch.manual_seed(0)
    model = DeconvNet(config)
    assert sum(p.numel() for p in model.parameters()) == deconvnet_param_count(config).total
    x = torch.randn(2, 3, *hw)
    out = model(x)
    assert out.shape == x.shape
    F.mse_loss(out, x).backward()  # gradients flow through unpooling into the first encoder conv
    assert model.encoder[0][0].weight.grad.abs().sum() > 0


def test_unpool_puts_each_maximum_back_at_its_switch():
    """MaxUnpool(MaxPool(x)) keeps x where x is its window's maximum and is 0 elsewhere (NumPy check)."""
    model = DeconvNet(DeconvNetConfig(blocks=((2,),)))
    x = torch.randn(1, 2, 6, 8)
    pooled, indices = model.pool(x)
    restored = model.unpool(pooled, indices, output_size=x.shape[-2:]).numpy()
    xs = x.numpy()
    window_max = xs.reshape(1, 2, 3, 2, 4, 2).max(axis=(3, 5)).repeat(2, axis=2).repeat(2, axis=3)
    np.testing.assert_array_equal(restored, np.where(xs == window_max, xs, 0.0))
