"""hw2.q4 reference gradients vs torch autograd on random logits."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw2.q4_losses import (
    ce_sigmoid_logit_grad,
    ce_sigmoid_loss,
    mse_sigmoid_logit_grad,
    mse_sigmoid_loss,
    saturation_table,
    sigmoid,
)


def _random_logits_and_targets(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 6.0, size=200)  # wide: includes saturated logits
    y = rng.integers(0, 2, size=200).astype(np.float64)
    return z, y


def _autograd(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-element losses and d(sum of losses)/dz for MSE-on-sigmoid and BCE-with-logits."""
    zt = torch.tensor(z, requires_grad=True)
    yt = torch.tensor(y)
    mse = 0.5 * (torch.sigmoid(zt) - yt) ** 2
    (mse_grad,) = torch.autograd.grad(mse.sum(), zt)
    ce = F.binary_cross_entropy_with_logits(zt, yt, reduction="none")
    (ce_grad,) = torch.autograd.grad(ce.sum(), zt)
    return mse.detach().numpy(), mse_grad.numpy(), ce.detach().numpy(), ce_grad.numpy()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_autograd(seed: int) -> None:
    z, y = _random_logits_and_targets(seed)
    mse, mse_grad, ce, ce_grad = _autograd(z, y)
    np.testing.assert_allclose(mse_sigmoid_loss(z, y), mse, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ce_sigmoid_loss(z, y), ce, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(mse_sigmoid_logit_grad(z, y), mse_grad, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ce_sigmoid_logit_grad(z, y), ce_grad, rtol=1e-10, atol=1e-15)


def test_sigmoid_is_stable_and_matches_torch() -> None:
    z = np.array([-800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0])
    with np.errstate(over="raise"):  # no overflow warning hidden inside
        ours = sigmoid(z)
    np.testing.assert_allclose(ours, torch.sigmoid(torch.tensor(z)).numpy(), rtol=1e-12, atol=0)


def test_mse_gradient_vanishes_on_confidently_wrong_outputs_ce_does_not() -> None:
    rows = saturation_table((0.0, -2.0, -5.0, -10.0, -20.0))
    z = torch.tensor([r.logit for r in rows], dtype=torch.float64, requires_grad=True)
    y = torch.ones_like(z)
    (mse_grad,) = torch.autograd.grad((0.5 * (torch.sigmoid(z) - y) ** 2).sum(), z)
    (ce_grad,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(z, y, reduction="sum"), z)
    np.testing.assert_allclose([r.mse_grad for r in rows], mse_grad.abs().numpy(), rtol=1e-10)
    np.testing.assert_allclose([r.ce_grad for r in rows], ce_grad.abs().numpy(), rtol=1e-10)
    # the more wrong the output, the smaller MSE's gradient and the larger CE's
    mse_mags = [r.mse_grad for r in rows]
    ce_mags = [r.ce_grad for r in rows]
    assert mse_mags == sorted(mse_mags, reverse=True)
    assert ce_mags == sorted(ce_mags)
    assert rows[-2].mse_grad < 1e-4 and rows[-2].ce_grad > 0.9999  # z = −10
    assert rows[-1].probability < 1e-8
