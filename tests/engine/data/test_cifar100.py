"""CIFAR-100 pickles: the documented keys and label sets, and agreement with the readers of
torchvision and Keras (the two loaders a notebook uses)."""

import pickle
from pathlib import Path

import numpy as np
import pytest

from graders.data.cifar100 import (
    COARSE_LABEL_NAMES,
    COARSE_OF_FINE,
    FINE_LABEL_NAMES,
    FOLDER,
    SUPERCLASSES,
    load_cifar100,
    write_cifar100,
)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory):
    rng = np.random.default_rng(2)
    x_train = rng.integers(0, 256, (13, 32, 32, 3), dtype=np.uint8)
    y_train = rng.integers(0, 100, 13)
    x_test = rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8)
    y_test = rng.integers(0, 100, 6)
    root = tmp_path_factory.mktemp("cifar100")
    write_cifar100(root, x_train, y_train, x_test, y_test)
    return root, (x_train, y_train, x_test, y_test)


def test_label_names_as_the_cifar_page_groups_them():
    assert len(FINE_LABEL_NAMES) == 100 and len(set(FINE_LABEL_NAMES)) == 100
    assert len(COARSE_LABEL_NAMES) == 20 and list(FINE_LABEL_NAMES) == sorted(FINE_LABEL_NAMES)
    assert FINE_LABEL_NAMES[:3] == ("apple", "aquarium_fish", "baby") and FINE_LABEL_NAMES[-1] == "worm"
    assert np.bincount(COARSE_OF_FINE).tolist() == [5] * 20
    whale = FINE_LABEL_NAMES.index("whale")
    assert COARSE_LABEL_NAMES[COARSE_OF_FINE[whale]] == "aquatic_mammals"
    assert all(COARSE_LABEL_NAMES[COARSE_OF_FINE[FINE_LABEL_NAMES.index(name)]] == coarse
               for coarse, names in SUPERCLASSES.items() for name in names)


def test_keys_as_documented(written):
    root, (_, y_train, _, _) = written
    with open(root / FOLDER / "train", "rb") as file:
        train = pickle.load(file, encoding="bytes")
    assert {b"data", b"fine_labels", b"coarse_labels", b"filenames", b"batch_label"} <= set(train)
    assert train[b"data"].shape == (13, 3072) and train[b"fine_labels"] == y_train.tolist()
    with open(root / FOLDER / "meta", "rb") as file:
        meta = pickle.load(file, encoding="latin1")  # as torchvision reads it: str keys
    assert meta["fine_label_names"] == list(FINE_LABEL_NAMES)
    assert meta["coarse_label_names"] == list(COARSE_LABEL_NAMES)


def test_round_trip_fine_and_coarse(written):
    root, (x_train, y_train, x_test, y_test) = written
    fine, coarse = load_cifar100(root), load_cifar100(root, "coarse")
    np.testing.assert_array_equal(fine.x_train, x_train)
    np.testing.assert_array_equal(fine.x_test, x_test)
    np.testing.assert_array_equal(fine.y_train, y_train)
    np.testing.assert_array_equal(coarse.y_test, COARSE_OF_FINE[y_test])
    with pytest.raises(ValueError, match="label_mode"):
        load_cifar100(root, "medium")


def test_agrees_with_torchvision_and_keras(written):
    from keras.src.datasets.cifar import load_batch
    from torchvision.datasets import CIFAR100

    class UncheckedCIFAR100(CIFAR100):
        # torchvision checks the md5 of the real files; these are generated, so skip that
        train_list = [["train", None]]
        test_list = [["test", None]]
        meta = {"filename": "meta", "key": "fine_label_names", "md5": None}

    root, (x_train, y_train, x_test, y_test) = written
    train = UncheckedCIFAR100(str(root), train=True, download=False)
    np.testing.assert_array_equal(train.data, x_train)
    np.testing.assert_array_equal(train.targets, y_train)
    assert train.classes == list(FINE_LABEL_NAMES)
    rows, labels = load_batch(str(Path(root) / FOLDER / "test"), label_key="coarse_labels")
    np.testing.assert_array_equal(rows.transpose(0, 2, 3, 1), x_test)
    np.testing.assert_array_equal(labels, COARSE_OF_FINE[y_test])
