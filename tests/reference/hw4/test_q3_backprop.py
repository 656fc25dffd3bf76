"""hw4.q3: parameter counts vs a torch model built the same way (the handout's 7,904); gradients
vs torch autograd, under the handout's names."""

import numpy as np
import pytest
import torch
from torch import nn

from reference.hw4.q3_backprop import (
    ConvNet1DConfig,
    cost,
    forward,
    gradients,
    init_params,
    parameter_count,
)


def torch_net(config: ConvNet1DConfig) -> nn.Sequential:
    """The handout's network as torch layers; FC1's input size is read off torch's own shapes."""
    features = nn.Sequential(
        nn.ConstantPad1d(config.padding, 0.0),
        nn.Conv1d(1, 1, config.kernel),
        nn.ReLU(),
        nn.AvgPool1d(config.pool, config.pool),
        nn.Flatten(),
    )
    pooled = features(torch.zeros(1, 1, config.length)).shape[-1]
    return nn.Sequential(
        *features,
        nn.Linear(pooled, config.hidden),
        nn.ReLU(),
        nn.Linear(config.hidden, 1),
        nn.Sigmoid(),
    ).double()


def load(net: nn.Sequential, params: dict[str, np.ndarray], config: ConvNet1DConfig) -> None:
    """The handout's parameters into torch's layers (torch's Linear weight is out × in: W_A transposed)."""
    conv, fc1, out = net[1], net[5], net[7]
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([float(params[key]) for key in config.filter_keys], dtype=torch.float64).view(1, 1, -1))
        conv.bias.fill_(float(params["b_C"]))
        fc1.weight.copy_(torch.from_numpy(params["W_A"].T))
        fc1.bias.copy_(torch.from_numpy(params["b_M"]))
        out.weight.copy_(torch.from_numpy(params["W_F"]).view(1, -1))
        out.bias.fill_(float(params["b_F"]))


def autograd_gradients(net, x, y, config: ConvNet1DConfig) -> dict[str, np.ndarray]:
    """torch's gradients under the handout's names."""
    net.zero_grad()
    z = net(torch.from_numpy(x).view(1, 1, -1))
    loss = nn.functional.binary_cross_entropy(z, torch.tensor([[float(y)]], dtype=torch.float64))
    loss.backward()
    conv, fc1, out = net[1], net[5], net[7]
    taps = conv.weight.grad.view(-1).numpy()
    return {
        **{key: taps[k] for k, key in enumerate(config.filter_keys)},
        "b_C": conv.bias.grad.view(()).numpy(),
        "W_A": fc1.weight.grad.numpy().T,
        "b_M": fc1.bias.grad.numpy(),
        "W_F": out.weight.grad.view(-1).numpy(),
        "b_F": out.bias.grad.view(()).numpy(),
        "cost": loss.detach().numpy(),
    }


# ---------------------------------------------------------------- parameter count


def test_the_handouts_network_has_7904_parameters():
    counts = parameter_count()
    assert counts == {"conv1": 3, "avgpool1": 0, "fc1": 7_880, "z": 21, "total": 7_904}
    net = torch_net(ConvNet1DConfig())
    assert net[5].in_features == 393 and net[5].out_features == 20  # the lengths the derivation states
    assert sum(p.numel() for p in net.parameters()) == counts["total"]


@pytest.mark.parametrize(
    "length,kernel,padding,pool,hidden",
    [(785, 2, 1, 2, 100), (100, 2, 1, 2, 20), (31, 3, 2, 3, 7), (50, 5, 0, 4, 16), (9, 2, 1, 2, 1)],
)
def test_parameter_count_matches_torch(length, kernel, padding, pool, hidden):
    config = ConvNet1DConfig(length, kernel, padding, pool, hidden)
    net = torch_net(config)
    counts = parameter_count(length, kernel, padding, pool, hidden)
    assert counts["total"] == sum(p.numel() for p in net.parameters())
    assert counts["conv1"] == sum(p.numel() for p in net[1].parameters())
    assert counts["avgpool1"] == sum(p.numel() for p in net[4].parameters())
    assert counts["fc1"] == sum(p.numel() for p in net[5].parameters())
    assert counts["z"] == sum(p.numel() for p in net[7].parameters())


# ---------------------------------------------------------------- gradients vs autograd

CONFIGS = [ConvNet1DConfig(), ConvNet1DConfig(length=20, kernel=3, padding=2, pool=3, hidden=7)]


@pytest.mark.parametrize("config", CONFIGS, ids=["handout", "small-with-pool-remainder"])
@pytest.mark.parametrize("seed,y", [(0, 1.0), (1, 0.0), (2, 1.0)])
def test_gradients_match_autograd(config, seed, y):
    rng = np.random.default_rng(seed)
    params = init_params(config, rng)
    x = rng.standard_normal(config.length)
    fwd = forward(x, params, config)
    # The example must exercise both ReLU branches in both layers.
    assert (fwd.conv_pre < 0).any() and (fwd.conv_pre > 0).any()
    assert (fwd.fc1_pre < 0).any() and (fwd.fc1_pre > 0).any()

    net = torch_net(config)
    load(net, params, config)
    expected = autograd_gradients(net, x, y, config)
    ours = gradients(x, y, params, config)
    assert cost(x, y, params, config) == pytest.approx(float(expected.pop("cost")), rel=1e-10)
    assert ours.keys() == expected.keys()
    for name, value in expected.items():
        np.testing.assert_allclose(ours[name], value, rtol=1e-6, atol=1e-9, err_msg=name)


def test_gradients_when_every_conv_unit_is_inactive():
    config = CONFIGS[1]
    rng = np.random.default_rng(3)
    params = init_params(config, rng)
    params["b_C"] = np.asarray(-50.0)  # c = 0 everywhere: no gradient reaches the filter
    x = rng.standard_normal(config.length)
    net = torch_net(config)
    load(net, params, config)
    expected = autograd_gradients(net, x, 1.0, config)
    ours = gradients(x, 1.0, params, config)
    assert all(ours[key] == 0 for key in config.filter_keys)
    for name in (*config.filter_keys, "b_C", "W_A", "b_M", "W_F", "b_F"):
        np.testing.assert_allclose(ours[name], expected[name], rtol=1e-6, atol=1e-12, err_msg=name)


def test_handout_shaped_input_is_accepted():
    rng = np.random.default_rng(4)
    params = init_params(ConvNet1DConfig(), rng)
    x = rng.standard_normal(785)
    flat = gradients(x, 0.0, params)
    shaped = gradients(x.reshape(785, 1), 0.0, params)
    np.testing.assert_array_equal(flat["W_C_1"], shaped["W_C_1"])
    np.testing.assert_array_equal(flat["W_A"], shaped["W_A"])
    with pytest.raises(ValueError):
        gradients(x[:-1], 0.0, params)
