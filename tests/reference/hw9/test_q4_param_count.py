"""hw9.q4: closed form vs tf-keras (LocallyConnected2D) vs the PyTorch locally connected net."""

import numpy as np
import pytest
import torch

from reference.hw9.q4_locally_connected import LocallyConnected2d, TorchParamCountNet
from reference.hw9.q4_param_count import (
    QUESTION_COUNTS,
    QUESTION_TOTAL,
    build_tf_keras_model,
    locally_connected2d_params,
    param_table,
)


@pytest.fixture(scope="module")
def keras_model():
    return build_tf_keras_model()


def _naive_locally_connected(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, k: int, s: int) -> np.ndarray:
    """Loop over every output unit: position (i, j) applies its own filters weight[i·W_out + j]."""
    n, c_in, _, _ = x.shape
    c_out, h_out, w_out = bias.shape
    w = weight.reshape(h_out * w_out, c_out, c_in, k, k)
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = x[:, :, i * s : i * s + k, j * s : j * s + k]
            for o in range(c_out):
                out[:, o, i, j] = (patch * w[i * w_out + j, o]).sum(axis=(1, 2, 3)) + bias[o, i, j]
    return out


def test_closed_form_reproduces_the_answer_11070():
    table = param_table()
    assert tuple(row.params for row in table) == QUESTION_COUNTS
    assert sum(row.params for row in table) == QUESTION_TOTAL
    assert [row.output_shape for row in table] == [(22, 22, 20), (11, 11, 20), (7, 7, 10), (5, 5, 2), (50,), (10,)]


def test_tf_keras_model_matches_closed_form_layer_by_layer(keras_model):
    table = param_table()
    assert [type(layer).__name__ for layer in keras_model.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "LocallyConnected2D", "Flatten", "Dense",
    ]
    for layer, row in zip(keras_model.layers, table, strict=True):
        assert layer.count_params() == row.params, layer.name
        assert tuple(layer.output_shape[1:]) == row.output_shape, layer.name
    assert keras_model.count_params() == QUESTION_TOTAL


def test_torch_net_matches_closed_form_layer_by_layer():
    net = TorchParamCountNet()
    table = param_table()
    assert net.layer_params() == [row.params for row in table]
    assert sum(p.numel() for p in net.parameters()) == QUESTION_TOTAL
    x = torch.randn(3, 1, 28, 28)
    for layer, row in zip(net.layers, table, strict=True):
        x = layer(x)
        torch_shape = tuple(x.shape[1:])
        keras_layout = (*torch_shape[1:], torch_shape[0]) if len(torch_shape) == 3 else torch_shape
        assert keras_layout == row.output_shape
    assert net(torch.randn(3, 1, 28, 28)).shape == (3, 10)


@pytest.mark.parametrize(
    ("c_in", "c_out", "hw", "k", "s"), [(10, 2, (7, 7), 3, 1), (3, 4, (9, 6), 2, 2), (2, 3, (8, 11), 3, 2)]
)
def test_torch_locally_connected_forward_matches_naive_loop(c_in, c_out, hw, k, s):
    torch.manual_seed(0)
    layer = LocallyConnected2d(c_in, c_out, hw, k, stride=s).double()
    h_out, w_out = layer.out_hw
    assert sum(p.numel() for p in layer.parameters()) == locally_connected2d_params((h_out, w_out), c_in, c_out, k)
    x = torch.randn(2, c_in, *hw, dtype=torch.float64)
    expected = _naive_locally_connected(x.numpy(), layer.weight.detach().numpy(), layer.bias.detach().numpy(), k, s)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-12, atol=1e-12)


def test_torch_locally_connected_forward_matches_tf_keras_layer():
    """Copy tf-keras's LocallyConnected2D weights into the torch layer; the outputs must agree.

    tf-keras stores kernel [L, k·k·C_in, C_out] with patches flattened (row, column, channel)
    and bias [H_out, W_out, C_out]; ours is [L, C_out, C_in·k·k] with (channel, row, column).
    """
    import tf_keras

    c_in, c_out, k, hw = 10, 2, 3, (7, 7)
    keras_layer = tf_keras.layers.LocallyConnected2D(c_out, k, bias_initializer="glorot_uniform")
    x = np.random.default_rng(0).normal(size=(2, *hw, c_in)).astype(np.float32)
    y_keras = keras_layer(x).numpy()  # [N, H_out, W_out, C_out]
    kernel, bias = (w.numpy() for w in keras_layer.weights)

    layer = LocallyConnected2d(c_in, c_out, hw, k)
    positions = layer.out_hw[0] * layer.out_hw[1]
    with torch.no_grad():
        # [L, kh, kw, C_in, C_out] → [L, C_out, C_in, kh, kw] → [L, C_out, C_in·k·k]
        by_position = kernel.reshape(positions, k, k, c_in, c_out).transpose(0, 4, 3, 1, 2)
        layer.weight.copy_(torch.from_numpy(by_position.reshape(positions, c_out, -1)))
        layer.bias.copy_(torch.from_numpy(bias.transpose(2, 0, 1)))
        y_torch = layer(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
    np.testing.assert_allclose(y_torch.transpose(0, 2, 3, 1), y_keras, rtol=1e-5, atol=1e-5)
