"""hw5.q1: NumPy batch norm vs torch.nn.BatchNorm1d/2d (outputs, running stats, autograd)."""

import numpy as np
import pytest
import torch

from reference.hw5.q1_batchnorm import (
    BatchNormState,
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_param_count,
)

SHAPES = {"dense": (16, 5), "conv": (4, 3, 5, 6)}
TORCH_LAYER = {"dense": torch.nn.BatchNorm1d, "conv": torch.nn.BatchNorm2d}


def _torch_layer(kind: str, num_features: int, momentum: float, eps: float, rng: np.random.Generator):
    """A float64 torch layer with random γ, β and running stats, and the same state in NumPy."""
    layer = TORCH_LAYER[kind](num_features, momentum=momentum, eps=eps).double()
    state = BatchNormState(
        gamma=rng.normal(1.0, 0.3, num_features),
        beta=rng.normal(0.0, 0.5, num_features),
        running_mean=rng.normal(0.0, 1.0, num_features),
        running_var=rng.uniform(0.5, 2.0, num_features),
    )
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(state.gamma))
        layer.bias.copy_(torch.from_numpy(state.beta))
        layer.running_mean.copy_(torch.from_numpy(state.running_mean))
        layer.running_var.copy_(torch.from_numpy(state.running_var))
    return layer, state


@pytest.mark.parametrize("kind", ["dense", "conv"])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize(("momentum", "eps"), [(0.1, 1e-5), (0.3, 1e-3), (0.9, 0.1)])
def test_forward_backward_and_running_stats_match_torch(kind, training, momentum, eps):
    rng = np.random.default_rng([len(kind), int(training), int(momentum * 10)])
    shape = SHAPES[kind]
    layer, state = _torch_layer(kind, shape[1], momentum, eps, rng)
    layer.train(training)

    # two steps, so the running averages are compounded the way torch compounds them
    for _ in range(2):
        x = rng.normal(2.0, 3.0, shape)
        dy = rng.normal(size=shape)
        x_t = torch.from_numpy(x).requires_grad_(True)
        y_t = layer(x_t)
        y_t.backward(torch.from_numpy(dy))

        y, state, cache = batchnorm_forward(x, state, training=training, momentum=momentum, eps=eps)
        dx, dgamma, dbeta = batchnorm_backward(dy, cache)

        np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(state.running_mean, layer.running_mean.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(state.running_var, layer.running_var.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(dgamma, layer.weight.grad.numpy(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(dbeta, layer.bias.grad.numpy(), rtol=1e-9, atol=1e-11)
        layer.zero_grad()


def test_train_mode_output_is_standardised_per_channel():
    """With γ=1, β=0 each channel of a conv batch has mean 0 and (biased) variance 1/(1+ε/σ²)."""
    rng = np.random.default_rng(0)
    x = rng.normal(5.0, 2.0, (8, 4, 3, 3)) * np.array([1.0, 2.0, 3.0, 4.0])[None, :, None, None]
    y, _, _ = batchnorm_forward(x, BatchNormState.initial(4), training=True, eps=0.0)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1.0, rtol=1e-12)


@pytest.mark.parametrize(("layer_cls", "num_features"), [(torch.nn.BatchNorm1d, 7), (torch.nn.BatchNorm2d, 64)])
def test_param_count_matches_torch(layer_cls, num_features):
    layer = layer_cls(num_features)
    count = batchnorm_param_count(num_features)
    assert count.trainable == sum(p.numel() for p in layer.parameters() if p.requires_grad)
    # torch also keeps an integer step counter, num_batches_tracked: not a statistic, not counted
    statistics = {name: b for name, b in layer.named_buffers() if name != "num_batches_tracked"}
    assert set(statistics) == {"running_mean", "running_var"}
    assert count.buffers == sum(b.numel() for b in statistics.values())
