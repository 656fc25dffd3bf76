"""hw2.q2 reference vs torch: Xavier statistics, hand backprop vs autograd, deep tanh variances."""

import numpy as np
import pytest
import torch

from reference.hw2.q2_initialisation import (
    DeepTanhConfig,
    MLPParams,
    SymmetryConfig,
    activation_variances,
    deep_tanh_weights,
    hidden_units_identical,
    init_mlp,
    is_symmetric_after_training,
    layer_activations,
    symmetry_data,
    train_mlp,
    xavier_bound,
    xavier_uniform,
    xavier_variance,
)


@pytest.mark.parametrize(("fan_in", "fan_out"), [(64, 32), (300, 100), (10, 500)])
def test_xavier_uniform_matches_torch_statistics(fan_in: int, fan_out: int) -> None:
    rng = np.random.default_rng(0)
    ours = xavier_uniform(fan_in, fan_out, (fan_out, fan_in), rng)
    torch.manual_seed(0)
    theirs = torch.nn.init.xavier_uniform_(torch.empty(fan_out, fan_in, dtype=torch.float64)).numpy()

    bound = xavier_bound(fan_in, fan_out)
    # torch's samples reach (almost) the bound and never exceed it: same support as ours
    assert np.abs(theirs).max() <= bound
    assert np.abs(theirs).max() > 0.99 * bound
    assert np.abs(ours).max() <= bound
    assert np.abs(ours).max() > 0.99 * bound
    # variance: ours, torch's and the closed form 2/(fan_in+fan_out) agree (n ≥ 6400 samples)
    assert ours.shape == theirs.shape
    assert ours.var() == pytest.approx(theirs.var(), rel=0.06)
    assert xavier_variance(fan_in, fan_out) == pytest.approx(theirs.var(), rel=0.06)
    assert abs(ours.mean()) < 0.05 * bound


def _torch_train(params: MLPParams, x: np.ndarray, y: np.ndarray, steps: int, lr: float) -> MLPParams:
    """The same MLP trained with torch autograd and torch.optim.SGD."""
    w1, b1, w2, b2 = (torch.tensor(p, requires_grad=True) for p in (params.w1, params.b1, params.w2, params.b2))
    xt, yt = torch.tensor(x), torch.tensor(y)
    optimizer = torch.optim.SGD([w1, b1, w2, b2], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        out = torch.tanh(xt @ w1 + b1) @ w2 + b2
        torch.nn.functional.mse_loss(out, yt).backward()
        optimizer.step()
    return MLPParams(*(p.detach().numpy() for p in (w1, b1, w2, b2)))


@pytest.mark.parametrize("init", ["constant", "zeros", "random"])
def test_hand_backprop_equals_autograd_training(init: str) -> None:
    config = SymmetryConfig()
    rng = np.random.default_rng(3)
    x, y = symmetry_data(config, rng)
    start = init_mlp(init, config, rng)
    ours = train_mlp(start, x, y, steps=15, lr=config.learning_rate)
    theirs = _torch_train(start, x, y, steps=15, lr=config.learning_rate)
    for a, b in zip((ours.w1, ours.b1, ours.w2, ours.b2), (theirs.w1, theirs.b1, theirs.w2, theirs.b2)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    # the parameters really moved (the comparison is not between two untouched copies);
    # under zero init only the output bias can move: tanh(0) = 0 blocks every other gradient
    assert not np.allclose(ours.b2, start.b2)
    if init != "zeros":
        assert not np.allclose(ours.w1, start.w1)


@pytest.mark.parametrize("seed", [0, 1])
def test_constant_init_stays_symmetric_random_init_does_not(seed: int) -> None:
    assert is_symmetric_after_training("constant", steps=25, seed=seed)
    assert is_symmetric_after_training("zeros", steps=25, seed=seed)
    assert not is_symmetric_after_training("random", steps=25, seed=seed)


def test_symmetry_verdict_reproduced_by_torch_training() -> None:
    config = SymmetryConfig()
    rng = np.random.default_rng(7)
    x, y = symmetry_data(config, rng)
    for init, expected in (("constant", True), ("random", False)):
        trained = _torch_train(init_mlp(init, config, rng), x, y, steps=25, lr=config.learning_rate)
        # judge torch's weights directly: every column of W1 equal to the first one, etc.
        same = np.allclose(trained.w1, trained.w1[:, [0]]) and np.allclose(trained.w2, trained.w2[[0], :])
        assert same is expected
        assert hidden_units_identical(trained) is expected


def test_activation_variances_match_torch_forward() -> None:
    config = DeepTanhConfig(depth=6, width=64, n_samples=128)
    for init in ("small", "large", "xavier"):
        rng = np.random.default_rng(11)
        x = rng.standard_normal((config.n_samples, config.width))
        weights = deep_tanh_weights(init, config, rng)
        layers = []
        for w in weights:
            linear = torch.nn.Linear(config.width, config.width, bias=False).double()
            with torch.no_grad():
                linear.weight.copy_(torch.tensor(w.T))  # torch stores [out, in]
            layers += [linear, torch.nn.Tanh()]
        net = torch.nn.Sequential(*layers)
        h = torch.tensor(x)
        torch_vars = []
        with torch.no_grad():
            for module in net:
                h = module(h)
                if isinstance(module, torch.nn.Tanh):
                    torch_vars.append(h.var(unbiased=False).item())
        np.testing.assert_allclose(activation_variances(init, 11, config), torch_vars, rtol=1e-9)
        assert len(layer_activations(x, weights)) == config.depth


def test_small_vanishes_large_saturates_xavier_keeps_signal() -> None:
    config = DeepTanhConfig()
    small = activation_variances("small", 0, config)
    large = activation_variances("large", 0, config)
    xavier = activation_variances("xavier", 0, config)
    # small: each layer multiplies the variance by ≈ width·std² (tanh is linear near 0)
    np.testing.assert_allclose(small[1:] / small[:-1], config.width * config.small_std**2, rtol=0.1)
    assert small[-1] < 1e-12
    # large: tanh saturated at ±1 in every layer
    assert np.all(large > 0.9)
    # xavier: decays only slowly, orders of magnitude above the vanishing case, never saturated
    assert np.all(xavier[1:] / xavier[:-1] > 0.5)
    assert 0.01 < xavier[-1] < 0.5
