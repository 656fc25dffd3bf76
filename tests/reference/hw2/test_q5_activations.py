"""hw2.q5 reference activations and their derivatives vs torch and its autograd."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw2.q5_activations import leaky_relu, leaky_relu_derivative, relu, relu_derivative


def _inputs() -> np.ndarray:
    # random values plus exact zeros: the kink is where implementations disagree
    x = np.random.default_rng(0).normal(0.0, 2.0, size=300)
    x[::25] = 0.0
    return x


@pytest.mark.parametrize("slope", [0.01, 0.1, 0.3])
def test_leaky_relu_and_derivative_match_torch(slope: float) -> None:
    x = _inputs()
    xt = torch.tensor(x, requires_grad=True)
    y = F.leaky_relu(xt, negative_slope=slope)
    (grad,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_allclose(leaky_relu(x, slope), y.detach().numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(leaky_relu_derivative(x, slope), grad.numpy(), rtol=0, atol=0)


def test_relu_and_derivative_match_torch() -> None:
    x = _inputs()
    xt = torch.tensor(x, requires_grad=True)
    y = torch.relu(xt)
    (grad,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_array_equal(relu(x), y.detach().numpy())
    np.testing.assert_array_equal(relu_derivative(x), grad.numpy())
