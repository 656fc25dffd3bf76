"""hw3.q2 reference: Inception sizes/costs vs torch numel and FlopCounterMode; residual scaling."""

import numpy as np
import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from reference.hw3.q2_inception import (
    InceptionModule,
    InceptionResNetBlock,
    NaiveInceptionModule,
)
from reference.hw3.q2_inception_costs import (
    GOOGLENET_3A,
    InceptionConfig,
    flop_reduction_ratio,
    inception_flops,
    inception_output_channels,
    inception_parameters,
    naive_inception_flops,
    naive_inception_parameters,
    naive_output_channels,
)


def _numel(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _measured_flops(model: torch.nn.Module, channels: int, size: int) -> int:
    with FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, channels, size, size))
    return counter.get_total_flops()


CONFIGS = [GOOGLENET_3A, InceptionConfig(8, 4, 3, 6, 2, 5, 3), InceptionConfig(256, 128, 128, 192, 32, 96, 64)]


@pytest.mark.parametrize("cfg", CONFIGS)
def test_output_channels_and_parameters_match_torch(cfg: InceptionConfig) -> None:
    reduced, naive = InceptionModule(cfg), NaiveInceptionModule(cfg)
    x = torch.zeros(2, cfg.in_channels, 9, 9)
    assert reduced(x).shape == (2, inception_output_channels(cfg), 9, 9)
    assert naive(x).shape == (2, naive_output_channels(cfg), 9, 9)
    assert inception_parameters(cfg) == _numel(reduced)
    assert naive_inception_parameters(cfg) == _numel(naive)


def test_googlenet_3a_numbers() -> None:
    assert inception_output_channels() == 256  # 64 + 128 + 32 + 32, GoogLeNet's table
    assert naive_output_channels() == 416  # 64 + 128 + 32 + 192
    # the same counts written out conv by conv (weights + biases)
    reduced = (192 * 64 + 64) + (192 * 96 + 96) + (96 * 128 * 9 + 128) + (192 * 16 + 16) + (16 * 32 * 25 + 32) + (192 * 32 + 32)
    naive = (192 * 64 + 64) + (192 * 128 * 9 + 128) + (192 * 32 * 25 + 32)
    assert (inception_parameters(), naive_inception_parameters()) == (reduced, naive) == (163_696, 387_296)


@pytest.mark.parametrize("cfg", CONFIGS[:2])
def test_flops_match_flop_counter_at_28x28(cfg: InceptionConfig) -> None:
    torch.manual_seed(0)
    assert inception_flops(cfg, 28) == _measured_flops(InceptionModule(cfg), cfg.in_channels, 28)
    assert naive_inception_flops(cfg, 28) == _measured_flops(NaiveInceptionModule(cfg), cfg.in_channels, 28)


def test_reduction_ratio_of_3a() -> None:
    measured = _measured_flops(InceptionModule(), 192, 28) / _measured_flops(NaiveInceptionModule(), 192, 28)
    assert flop_reduction_ratio() == pytest.approx(measured, rel=1e-12)
    assert flop_reduction_ratio() == pytest.approx(163_328 / 387_072)  # MACs per pixel, biases excluded
    assert inception_flops() == 256_098_304  # ≈ 0.26 GFLOPs instead of the naive ≈ 0.61
    assert 0.42 < flop_reduction_ratio() < 0.43


def test_inception_resnet_scale_zero_is_identity() -> None:
    torch.manual_seed(0)
    block = InceptionResNetBlock(channels=16, branch_channels=8, scale=0.0)
    x = torch.randn(2, 16, 7, 7, requires_grad=True)
    y = block(x)
    assert torch.equal(y, x)
    v = torch.randn_like(x)
    (vjp,) = torch.autograd.grad(y, x, v)  # the Jacobian is the identity too
    assert torch.equal(vjp, v)


def test_inception_resnet_output_is_affine_in_scale() -> None:
    torch.manual_seed(1)
    block = InceptionResNetBlock(channels=16, branch_channels=8, scale=1.0)
    x = torch.randn(2, 16, 7, 7, dtype=torch.float64)
    block = block.double()
    with torch.no_grad():
        full = block(x) - x  # branch(x) at scale 1
        assert full.abs().max() > 1e-3  # a non-trivial residual, else the test proves nothing
        for scale in (0.1, 0.3, 2.0):
            block.scale = scale
            np.testing.assert_allclose((block(x) - x).numpy(), (scale * full).numpy(), rtol=1e-12, atol=1e-14)
        # doubling the scale doubles the residual (linearity), and the shape is the input's
        block.scale = 0.2
        a = block(x) - x
        block.scale = 0.4
        np.testing.assert_allclose((block(x) - x).numpy(), (2 * a).numpy(), rtol=1e-12, atol=1e-14)
        assert block(x).shape == x.shape
