"""The affine augmentation against exact pixel operations (torch.flip, torch.rot90, shifts)."""

import math

import numpy as np
import pytest
import torch

from reference.hw4.q5_augmentation import (
    NO_AUGMENTATION,
    AugmentConfig,
    affine_warp,
    augment_dataset,
    random_augment,
)

N = 3


@pytest.fixture
def images() -> torch.Tensor:
    return torch.rand(N, 3, 9, 9, generator=torch.Generator().manual_seed(0))


def warp(images, angle=0.0, flip=False, shift=(0.0, 0.0)):
    return affine_warp(
        images, torch.full((N,), angle), torch.full((N,), flip), torch.tensor([shift] * N, dtype=torch.float32)
    )


def test_identity(images):
    torch.testing.assert_close(warp(images), images, atol=1e-6, rtol=0)


def test_flip_is_a_mirror(images):
    torch.testing.assert_close(warp(images, flip=True), torch.flip(images, dims=[3]), atol=1e-6, rtol=0)


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_rotation_counter_clockwise(images, quarter_turns: int):
    rotated = warp(images, angle=quarter_turns * math.pi / 2)
    torch.testing.assert_close(rotated, torch.rot90(images, quarter_turns, dims=[2, 3]), atol=1e-5, rtol=0)


def test_rotation_agrees_with_torchvision_rotate(images):
    from torchvision.transforms.functional import rotate

    torch.testing.assert_close(warp(images, angle=math.pi / 2), rotate(images, 90.0), atol=1e-5, rtol=0)


def test_integer_shift_repeats_the_border(images):
    """2 pixels right and 1 up: compare with NumPy's edge padding then cropping."""
    shifted = warp(images, shift=(2 / 9, -1 / 9)).numpy()
    padded = np.pad(images.numpy(), ((0, 0), (0, 0), (1, 1), (2, 2)), mode="edge")
    expected = padded[:, :, 2:11, 0:9]  # output row r = input row r + 1, column c = input column c − 2
    np.testing.assert_allclose(shifted, expected, atol=1e-5)


def test_mirror_then_rotate_then_shift_order(images):
    """The composition the docstring states, checked step by step with exact operations."""
    composed = warp(images, angle=math.pi / 2, flip=True, shift=(1 / 9, 0.0)).numpy()
    step = torch.rot90(torch.flip(images, dims=[3]), 1, dims=[2, 3]).numpy()
    expected = np.pad(step, ((0, 0), (0, 0), (0, 0), (1, 0)), mode="edge")[:, :, :, :9]
    np.testing.assert_allclose(composed, expected, atol=1e-5)


def test_random_flips_only_are_mirrors_half_the_time():
    generator = torch.Generator().manual_seed(1)
    images = torch.rand(400, 1, 4, 4, generator=generator)
    config = AugmentConfig(horizontal_flip=True, max_shift=0.0, max_rotation_degrees=0.0)
    out = random_augment(images, config, generator)
    same = torch.isclose(out, images, atol=1e-5).flatten(1).all(1)
    mirrored = torch.isclose(out, torch.flip(images, dims=[3]), atol=1e-5).flatten(1).all(1)
    assert bool((same ^ mirrored).all())  # each image is exactly one of the two
    assert 0.4 < mirrored.float().mean().item() < 0.6  # Binomial(400, ½): ±5σ


def test_no_augmentation_is_identity_and_seeds_reproduce(images):
    assert random_augment(images, NO_AUGMENTATION, torch.Generator()) is images
    first = random_augment(images, AugmentConfig(), torch.Generator().manual_seed(5))
    again = random_augment(images, AugmentConfig(), torch.Generator().manual_seed(5))
    torch.testing.assert_close(first, again, atol=0, rtol=0)
    assert not torch.allclose(first, images)


def test_augment_dataset_keeps_originals_first():
    rng = np.random.default_rng(3)
    images, labels = rng.random((5, 8, 8, 3), dtype=np.float32), np.arange(5)
    augmented, augmented_labels = augment_dataset(images, labels, copies_per_image=3)
    assert augmented.shape == (20, 8, 8, 3) and augmented.dtype == np.float32
    np.testing.assert_array_equal(augmented[:5], images)
    np.testing.assert_array_equal(augmented_labels, np.tile(labels, 4))
    assert 0 <= augmented.min() and augmented.max() <= 1  # bilinear + border fill stays in range
