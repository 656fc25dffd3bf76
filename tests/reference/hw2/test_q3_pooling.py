"""hw2.q3 reference pool2d vs torch's pooling functions on random shapes and strides."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw2.q3_pooling import (
    POOL_KINDS,
    pool2d,
    pool2d_parameter_count,
    pooled_size,
)


def _torch_pool(x: torch.Tensor, kind: str, size: int, stride: int) -> torch.Tensor:
    if kind == "max":
        return F.max_pool2d(x, size, stride)
    if kind == "min":
        return -F.max_pool2d(-x, size, stride)
    if kind == "l2":
        return F.lp_pool2d(x, norm_type=2, kernel_size=size, stride=stride)
    return F.avg_pool2d(x, size, stride)


def _random_cases(n: int) -> list[tuple[tuple[int, int, int, int], int, int]]:
    rng = np.random.default_rng(2024)
    cases = []
    for _ in range(n):
        size = int(rng.integers(1, 5))
        stride = int(rng.integers(1, 4))
        shape = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(size, 12)), int(rng.integers(size, 12)))
        cases.append((shape, size, stride))
    return cases


@pytest.mark.parametrize("kind", POOL_KINDS)
@pytest.mark.parametrize(("shape", "size", "stride"), _random_cases(12))
def test_pool2d_matches_torch_nchw(kind: str, shape: tuple[int, int, int, int], size: int, stride: int) -> None:
    x = np.random.default_rng(sum(shape) + size).standard_normal(shape)
    expected = _torch_pool(torch.tensor(x), kind, size, stride).numpy()
    ours = pool2d(x, kind, size, stride)
    assert ours.shape == expected.shape  # depth (and batch) kept, spatial size floored
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind", POOL_KINDS)
def test_pool2d_hw_and_default_stride(kind: str) -> None:
    x = np.random.default_rng(5).standard_normal((9, 7))
    expected = _torch_pool(torch.tensor(x)[None, None], kind, 3, 3)[0, 0].numpy()
    np.testing.assert_allclose(pool2d(x, kind, 3), expected, rtol=1e-10)


def test_l2_pool_of_integer_image_does_not_overflow() -> None:
    x = np.full((1, 4, 4), 200, dtype=np.uint8)
    expected = F.lp_pool2d(torch.tensor(x, dtype=torch.float64)[None], 2, 2, 2)[0].numpy()
    np.testing.assert_allclose(pool2d(x, "l2", 2), expected)


def test_pooled_size_matches_torch_and_rejects_oversized_window() -> None:
    for length, size, stride in [(10, 3, 2), (7, 7, 1), (32, 2, 2), (13, 4, 3)]:
        out = F.max_pool2d(torch.zeros(1, 1, length, length), size, stride)
        assert pooled_size(length, size, stride) == out.shape[-1]
    with pytest.raises(ValueError):
        pool2d(np.zeros((2, 2)), "max", 3)
    with pytest.raises(ValueError):
        pool2d(np.zeros((4, 4)), "median", 2)  # type: ignore[arg-type]


def test_pooling_layers_have_no_parameters() -> None:
    layers = {
        "max": torch.nn.MaxPool2d(2),
        "min": torch.nn.MaxPool2d(2),  # min pooling is −maxpool(−x): the same (empty) layer
        "l2": torch.nn.LPPool2d(2, 2),
        "average": torch.nn.AvgPool2d(2),
    }
    for kind, layer in layers.items():
        assert pool2d_parameter_count(kind) == sum(p.numel() for p in layer.parameters())
