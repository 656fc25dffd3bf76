"""CIFAR-10 pickles: the documented byte layout, and agreement with torchvision's reader."""

import pickle
from pathlib import Path

import numpy as np
import pytest

from graders.data.cifar10 import (
    LABEL_NAMES,
    TEST_BATCH,
    TRAIN_BATCHES,
    load_cifar10,
    load_cifar10_label_names,
    write_cifar10,
)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, (23, 32, 32, 3), dtype=np.uint8)
    y_train = rng.integers(0, 10, 23)
    x_test = rng.integers(0, 256, (7, 32, 32, 3), dtype=np.uint8)
    y_test = rng.integers(0, 10, 7)
    root = tmp_path_factory.mktemp("cifar")
    write_cifar10(root, x_train, y_train, x_test, y_test)
    return root, (x_train, y_train, x_test, y_test)


def documented_row(image: np.ndarray) -> bytes:
    """The cifar page's layout written out pixel by pixel: 1024 red, 1024 green, 1024 blue
    values, each plane in row-major order (first row first)."""
    return bytes(int(image[r, c, channel]) for channel in range(3) for r in range(32) for c in range(32))


def test_test_batch_matches_the_documented_layout_byte_for_byte(written):
    root, (_, _, x_test, y_test) = written
    path = root / "cifar-10-batches-py" / TEST_BATCH
    with open(path, "rb") as file:
        batch = pickle.load(file, encoding="bytes")  # how the cifar page says to read it
    assert {b"data", b"labels", b"batch_label", b"filenames"} <= set(batch)
    assert batch[b"data"].dtype == np.uint8 and batch[b"data"].shape == (7, 3072)
    assert batch[b"labels"] == [int(v) for v in y_test]
    expected = b"".join(documented_row(image) for image in x_test)
    assert batch[b"data"].tobytes() == expected
    # the pixel payload is stored verbatim (one contiguous string) inside the pickle file
    assert expected in path.read_bytes()


def test_keys_are_python2_strings(written):
    """encoding='latin1' (torchvision) must see str keys, encoding='bytes' (Keras) bytes keys."""
    root, _ = written
    with open(root / "cifar-10-batches-py" / "data_batch_1", "rb") as file:
        as_latin1 = pickle.load(file, encoding="latin1")
    assert {"data", "labels"} <= set(as_latin1)
    with open(root / "cifar-10-batches-py" / "batches.meta", "rb") as file:
        meta = pickle.load(file, encoding="bytes")
    assert meta[b"num_vis"] == 3072
    assert meta[b"label_names"] == [name.encode() for name in LABEL_NAMES]


def test_round_trip(written):
    root, (x_train, y_train, x_test, y_test) = written
    split = load_cifar10(root)
    assert split.x_train.shape == (23, 32, 32, 3) and split.x_train.dtype == np.uint8
    assert split.y_train.dtype == np.int64
    np.testing.assert_array_equal(split.x_train, x_train)
    np.testing.assert_array_equal(split.y_train, y_train)
    np.testing.assert_array_equal(split.x_test, x_test)
    np.testing.assert_array_equal(split.y_test, y_test)
    assert load_cifar10_label_names(root) == list(LABEL_NAMES)


def test_all_five_batches_are_written_and_partial_sets_load(written, tmp_path: Path):
    root, (x_train, y_train, _, _) = written
    folder = root / "cifar-10-batches-py"
    assert all((folder / name).is_file() for name in TRAIN_BATCHES)
    # a reader must accept whichever data batches exist
    partial = tmp_path / "cifar-10-batches-py"
    partial.mkdir()
    for name in ("data_batch_1", TEST_BATCH):
        (partial / name).write_bytes((folder / name).read_bytes())
    first = load_cifar10(tmp_path)
    assert len(first.x_train) == 5  # 23 images over 5 batches: 5, 5, 5, 4, 4
    np.testing.assert_array_equal(first.x_train, x_train[:5])


def test_agrees_with_torchvision(written):
    from torchvision.datasets import CIFAR10

    class UncheckedCIFAR10(CIFAR10):
        # torchvision checks the md5 of the real files; these are generated, so skip that
        train_list = [[name, None] for name in TRAIN_BATCHES]
        test_list = [[TEST_BATCH, None]]
        meta = {"filename": "batches.meta", "key": "label_names", "md5": None}

    root, _ = written
    ours = load_cifar10(root)
    train = UncheckedCIFAR10(str(root), train=True, download=False)
    test = UncheckedCIFAR10(str(root), train=False, download=False)
    np.testing.assert_array_equal(train.data, ours.x_train)
    np.testing.assert_array_equal(train.targets, ours.y_train)
    np.testing.assert_array_equal(test.data, ours.x_test)
    np.testing.assert_array_equal(test.targets, ours.y_test)
    assert train.classes == list(LABEL_NAMES)


def test_rejects_wrong_image_layout(tmp_path: Path):
    images = np.zeros((2, 3, 32, 32), dtype=np.uint8)  # CHW instead of HWC
    with pytest.raises(ValueError):
        write_cifar10(tmp_path, images, np.zeros(2), images, np.zeros(2))
