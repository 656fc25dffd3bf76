"""MNIST IDX files: the header bytes by hand, and agreement with torchvision's IDX reader."""

import struct
from pathlib import Path

import numpy as np
import pytest

from graders.data.mnist import (
    TEST_IMAGES,
    TEST_LABELS,
    TRAIN_IMAGES,
    TRAIN_LABELS,
    load_mnist,
    read_idx_images,
    write_mnist,
)


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(1)
    return (
        rng.integers(0, 256, (11, 28, 28), dtype=np.uint8), rng.integers(0, 10, 11),
        rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), rng.integers(0, 10, 4),
    )


def test_idx_bytes_by_hand(arrays, tmp_path: Path):
    x_train, y_train, _, _ = arrays
    write_mnist(tmp_path, *arrays)
    raw = (tmp_path / TRAIN_IMAGES).read_bytes()
    assert raw[:4] == bytes([0, 0, 0x08, 0x03])  # zero, zero, uint8 type code, 3 dimensions
    assert struct.unpack(">iiii", raw[:16]) == (2051, 11, 28, 28)
    assert raw[16:] == x_train.tobytes() and len(raw) == 16 + 11 * 28 * 28
    raw = (tmp_path / TRAIN_LABELS).read_bytes()
    assert raw[:8] == bytes([0, 0, 0x08, 0x01, 0, 0, 0, 11])
    assert list(raw[8:]) == [int(v) for v in y_train]


@pytest.mark.parametrize("compress", [False, True])
def test_round_trip(arrays, tmp_path: Path, compress: bool):
    write_mnist(tmp_path, *arrays, compress=compress)
    assert (tmp_path / (TEST_IMAGES + ".gz")).is_file() == compress
    split = load_mnist(tmp_path)
    for ours, original in zip(split, arrays):
        np.testing.assert_array_equal(ours, original)
    assert split.x_train.dtype == np.uint8 and split.y_train.dtype == np.int64


def test_agrees_with_torchvision_reader(arrays, tmp_path: Path):
    from torchvision.datasets.mnist import read_image_file, read_label_file

    write_mnist(tmp_path, *arrays)
    ours = load_mnist(tmp_path)
    np.testing.assert_array_equal(read_image_file(str(tmp_path / TRAIN_IMAGES)).numpy(), ours.x_train)
    np.testing.assert_array_equal(read_label_file(str(tmp_path / TRAIN_LABELS)).numpy(), ours.y_train)
    np.testing.assert_array_equal(read_image_file(str(tmp_path / TEST_IMAGES)).numpy(), ours.x_test)
    np.testing.assert_array_equal(read_label_file(str(tmp_path / TEST_LABELS)).numpy(), ours.y_test)


def test_wrong_magic_is_rejected(tmp_path: Path):
    (tmp_path / "labels-as-images").write_bytes(struct.pack(">ii", 2049, 0))
    with pytest.raises(ValueError, match="2051"):
        read_idx_images(tmp_path / "labels-as-images")
