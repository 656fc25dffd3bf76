import numpy as np
import pytest

from graders.data.bundled import AFFECTNET_CLASSES, ensure_dataset
from reference.hw4.q5_augmentation import AugmentConfig, augment_dataset
from reference.hw4.q5_preprocessing import (
    augment_counts,
    load_affectnet,
    normalise_unit_range,
    samples_per_class,
)


def test_normalise_matches_torchvision_to_tensor():
    from torchvision.transforms.functional import to_tensor

    pixels = np.random.default_rng(0).integers(0, 256, (2, 5, 4, 3), dtype=np.uint8)
    ours = normalise_unit_range(pixels)
    expected = np.stack([to_tensor(image).permute(1, 2, 0).numpy() for image in pixels])
    np.testing.assert_array_equal(ours, expected)
    assert ours.dtype == np.float32 and ours.min() >= 0 and ours.max() <= 1
    with pytest.raises(TypeError):
        normalise_unit_range(ours)  # already scaled: dividing again would be a silent bug


def test_augment_counts_match_an_actual_augmentation():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 4, 30)
    images = rng.random((30, 8, 8, 3), dtype=np.float32)
    augmented, augmented_labels = augment_dataset(images, labels, copies_per_image=2, config=AugmentConfig())
    counts = augment_counts(labels, 2, n_classes=5)
    np.testing.assert_array_equal(counts.before, np.bincount(labels, minlength=5))
    np.testing.assert_array_equal(counts.after, np.bincount(augmented_labels, minlength=5))
    assert counts.total_after == len(augmented) == 90 and counts.total_before == 30
    assert counts.after[4] == 0  # a class with no images stays empty


def test_homework_scale_counts():
    labels = np.repeat(np.arange(8), 1200)  # 8 expressions × 1,200 images
    counts = augment_counts(labels, copies_per_image=2, n_classes=8)
    assert (counts.total_before, counts.total_after) == (9_600, 28_800)


def test_samples_per_class():
    labels = np.random.default_rng(2).integers(0, 3, 40)
    picked = samples_per_class(labels, 3, per_class=3)
    for k, indices in picked.items():
        assert len(set(indices)) == 3 and (labels[indices] == k).all()


def test_load_affectnet_tiny(tmp_path):
    data = load_affectnet(ensure_dataset("affectnet-tiny", tmp_path))
    assert data.class_names == sorted(AFFECTNET_CLASSES)
    assert data.x_train.shape == (192, 128, 128, 3) and data.x_val.shape == (64, 128, 128, 3)
    assert data.x_train.dtype == np.float32 and 0 <= data.x_train.min() and data.x_train.max() <= 1
    np.testing.assert_array_equal(np.bincount(data.y_val), [8] * 8)
