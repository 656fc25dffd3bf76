"""hw2.q4 public checks: the two logit gradients on a grid of logits with both targets."""

import numpy as np
import pytest

from reference.hw2.q4_losses import ce_sigmoid_logit_grad, mse_sigmoid_logit_grad

pytestmark = pytest.mark.question("q4")

Z = np.linspace(-8.0, 8.0, 9)
Y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])


def test_mse_sigmoid_logit_grad(kernel):
    name = kernel.find_function("mse_sigmoid_logit_grad", (Z, Y), returns=mse_sigmoid_logit_grad(Z, Y))
    got = np.asarray(kernel.call(name, Z, Y), dtype=float)
    want = mse_sigmoid_logit_grad(Z, Y)
    assert got.shape == want.shape, f"mse_sigmoid_logit_grad returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (
        f"mse_sigmoid_logit_grad(z={Z.tolist()}, y={Y.tolist()}) returned {got.tolist()}, expected (σ − y) σ (1 − σ) = {want.tolist()}"
    )


def test_ce_sigmoid_logit_grad(kernel):
    name = kernel.find_function("ce_sigmoid_logit_grad", (Z, Y), returns=ce_sigmoid_logit_grad(Z, Y))
    got = np.asarray(kernel.call(name, Z, Y), dtype=float)
    want = ce_sigmoid_logit_grad(Z, Y)
    assert got.shape == want.shape, f"ce_sigmoid_logit_grad returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (
        f"ce_sigmoid_logit_grad(z={Z.tolist()}, y={Y.tolist()}) returned {got.tolist()}, expected σ − y = {want.tolist()}"
    )
