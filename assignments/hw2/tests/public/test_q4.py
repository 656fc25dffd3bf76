"""hw2.q4 public checks: the two logit gradients on a grid of logits with both targets."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q4")


def test_mse_sigmoid_logit_grad(kernel, expected):
    case = expected("q4.logit_gradients")
    z, y, want = case["z"], case["y"], case["mse"]
    name = kernel.find_function("mse_sigmoid_logit_grad", (z, y), returns=want)
    got = np.asarray(kernel.call(name, z, y), dtype=float)
    assert got.shape == want.shape, f"mse_sigmoid_logit_grad returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (
        f"mse_sigmoid_logit_grad(z={z.tolist()}, y={y.tolist()}) returned {got.tolist()}, expected (σ − y) σ (1 − σ) = {want.tolist()}"
    )


def test_ce_sigmoid_logit_grad(kernel, expected):
    case = expected("q4.logit_gradients")
    z, y, want = case["z"], case["y"], case["ce"]
    name = kernel.find_function("ce_sigmoid_logit_grad", (z, y), returns=want)
    got = np.asarray(kernel.call(name, z, y), dtype=float)
    assert got.shape == want.shape, f"ce_sigmoid_logit_grad returned shape {got.shape}, expected {want.shape}"
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (
        f"ce_sigmoid_logit_grad(z={z.tolist()}, y={y.tolist()}) returned {got.tolist()}, expected σ − y = {want.tolist()}"
    )
