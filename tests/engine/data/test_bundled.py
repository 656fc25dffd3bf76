"""Bundled datasets: real formats, sizes, determinism, hidden/visible separation, atomicity."""

import hashlib
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graders.data import bundled
from graders.data.bundled import (
    AFFECTNET_CLASSES,
    INTEL_CLASSES,
    ensure_dataset,
    ensure_hidden_split,
)
from graders.data.cifar10 import load_cifar10, load_cifar10_label_names
from graders.data.cifar100 import load_cifar100
from graders.data.image_folder import load_image_folder
from graders.data.mnist import load_mnist

NAMES = ("cifar10-tiny", "cifar100-tiny", "mnist-tiny", "fashion_mnist-tiny", "intel-tiny", "affectnet-tiny")


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every dataset generated once, visible and hidden, each under 5 s."""
    visible, hidden = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("hidden")
    for name in NAMES:
        for ensure, root in ((ensure_dataset, visible), (ensure_hidden_split, hidden)):
            start = time.perf_counter()
            assert ensure(name, root) == root / name
            assert time.perf_counter() - start < 5.0, f"{name} took too long to generate"
    return {"visible": visible, "hidden": hidden}


def load_both_parts(name: str, folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test) of a bundled dataset, read with its format's loader."""
    if name == "cifar10-tiny":
        return tuple(load_cifar10(folder))
    if name == "cifar100-tiny":
        return tuple(load_cifar100(folder))
    if name in ("mnist-tiny", "fashion_mnist-tiny"):
        return tuple(load_mnist(folder))
    train_part, test_part = {"intel-tiny": ("seg_train", "seg_test"), "affectnet-tiny": ("Train", "Validation")}[name]
    x_train, y_train, _ = load_image_folder(folder / train_part)
    x_test, y_test, _ = load_image_folder(folder / test_part)
    return x_train, y_train, x_test, y_test


def tree_digest(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize(
    "name, train_shape, test_shape, per_class",
    [
        ("cifar10-tiny", (500, 32, 32, 3), (200, 32, 32, 3), (50, 20)),
        ("cifar100-tiny", (500, 32, 32, 3), (200, 32, 32, 3), (5, 2)),
        ("mnist-tiny", (500, 28, 28), (200, 28, 28), (50, 20)),
        ("fashion_mnist-tiny", (500, 28, 28), (200, 28, 28), (50, 20)),
        ("intel-tiny", (180, 64, 64, 3), (60, 64, 64, 3), (30, 10)),
        ("affectnet-tiny", (192, 128, 128, 3), (64, 128, 128, 3), (24, 8)),
    ],
)
@pytest.mark.parametrize("split", ["visible", "hidden"])
def test_sizes_and_balance(roots, name, train_shape, test_shape, per_class, split):
    x_train, y_train, x_test, y_test = load_both_parts(name, roots[split] / name)
    assert x_train.shape == train_shape and x_test.shape == test_shape
    assert set(np.bincount(y_train)) == {per_class[0]}
    assert set(np.bincount(y_test)) == {per_class[1]}


def test_real_layouts(roots):
    visible = roots["visible"]
    assert load_cifar10_label_names(visible / "cifar10-tiny")[0] == "airplane"
    assert sorted(p.name for p in (visible / "mnist-tiny").iterdir()) == [
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    ]
    assert sorted(p.name for p in (visible / "fashion_mnist-tiny").iterdir()) == [  # gzipped, as distributed
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    ]
    assert sorted(p.name for p in (visible / "cifar100-tiny" / "cifar-100-python").iterdir()) == ["meta", "test", "train"]
    for part in ("seg_train", "seg_test"):
        assert sorted(p.name for p in (visible / "intel-tiny" / part).iterdir()) == sorted(INTEL_CLASSES)
    for part in ("Train", "Validation"):
        assert sorted(p.name for p in (visible / "affectnet-tiny" / part).iterdir()) == sorted(AFFECTNET_CLASSES)
    some_face = next((visible / "affectnet-tiny" / "Train" / "happy").glob("*.png"))
    with Image.open(some_face) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "RGB", (128, 128))
    some_scene = next((visible / "intel-tiny" / "seg_test" / "sea").glob("*.jpg"))
    with Image.open(some_scene) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (64, 64))


@pytest.mark.parametrize("name", NAMES)
def test_generation_is_deterministic(roots, name, tmp_path: Path):
    assert tree_digest(ensure_dataset(name, tmp_path)) == tree_digest(roots["visible"] / name)


@pytest.mark.parametrize("name", NAMES)
def test_hidden_split_differs_and_never_overlaps(roots, name):
    visible = load_both_parts(name, roots["visible"] / name)
    hidden = load_both_parts(name, roots["hidden"] / name)
    digest = lambda images: {hashlib.sha256(image.tobytes()).hexdigest() for image in images}  # noqa: E731
    seen = digest(visible[0]) | digest(visible[2])
    assert not seen & (digest(hidden[0]) | digest(hidden[2]))
    assert len(seen) == len(visible[0]) + len(visible[2])  # no image repeats within a split either


def test_hw9_picture_is_a_colour_jpeg_read_in_grayscale_by_opencv(tmp_path: Path):
    """hw9.q2's handout reads its image with cv2.imread(path, cv2.IMREAD_GRAYSCALE)."""
    import cv2

    picture = ensure_dataset("hw9-images-tiny", tmp_path / "visible") / "img1.jpg"
    with Image.open(picture) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (128, 96))
    gray = cv2.imread(str(picture), cv2.IMREAD_GRAYSCALE)
    assert gray.shape == (96, 128) and gray.dtype == np.uint8
    assert gray.std() > 20  # shapes on a ramp, not a flat picture
    colour = cv2.imread(str(picture))
    assert not np.array_equal(colour[..., 0], colour[..., 2])  # a colour picture: the grayscale read matters
    assert tree_digest(picture.parent) == tree_digest(ensure_dataset("hw9-images-tiny", tmp_path / "again"))


def test_existing_dataset_is_reused_untouched(roots):
    folder = roots["visible"] / "cifar10-tiny"
    stamps = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    assert ensure_dataset("cifar10-tiny", roots["visible"]) == folder
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == stamps
    assert not [p for p in roots["visible"].iterdir() if p.name.startswith(".")]  # no staging left


def test_default_roots_follow_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GRADER_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("GRADER_HIDDEN", str(tmp_path / "hidden"))
    assert ensure_dataset("cifar10-tiny") == tmp_path / "data" / "cifar10-tiny"
    assert ensure_hidden_split("cifar10-tiny") == tmp_path / "hidden" / "cifar10-tiny"
    assert (tmp_path / "hidden" / "cifar10-tiny" / "cifar-10-batches-py" / "test_batch").is_file()


def test_losing_a_race_keeps_the_winners_folder(tmp_path: Path):
    """If another process renames its copy into place first, ours is discarded, not an error."""
    target = tmp_path / "race"

    def write_while_another_process_wins(staging: Path) -> None:
        (staging / "ours").write_text("ours")
        target.mkdir()
        (target / "theirs").write_text("theirs")

    assert bundled._materialise(target, write_while_another_process_wins) == target
    assert [p.name for p in target.iterdir()] == ["theirs"]
    assert [p.name for p in tmp_path.iterdir()] == ["race"]  # the staging folder is gone


def test_failed_generation_leaves_nothing(tmp_path: Path):
    def broken_writer(staging: Path) -> None:
        (staging / "half").write_text("half")
        raise RuntimeError("generator failed")

    with pytest.raises(RuntimeError):
        bundled._materialise(tmp_path / "broken", broken_writer)
    assert list(tmp_path.iterdir()) == []


def test_unknown_name():
    with pytest.raises(KeyError, match="affectnet-tiny"):
        ensure_dataset("imagenet")


@pytest.mark.parametrize("name", ["cifar10-tiny", "mnist-tiny"])
def test_hidden_splits_depend_on_the_graders_secret(tmp_path: Path, name):
    """Without the secret (kept beside the hidden data, owner-only), the code and the public
    data do not regenerate the hidden split; with the same secret, the split is reproduced."""
    first, other, copy = tmp_path / "first", tmp_path / "other", tmp_path / "copy"
    copy.mkdir()
    (copy / bundled.SECRET_FILE).write_text(bundled.hidden_secret(first).hex())
    splits = [load_both_parts(name, ensure_hidden_split(name, root)) for root in (first, other, copy)]
    assert not np.array_equal(splits[0][2], splits[1][2])  # another secret, other test images
    assert all(np.array_equal(a, b) for a, b in zip(splits[0], splits[2]))
    assert (first / bundled.SECRET_FILE).stat().st_mode & 0o777 == 0o600
    assert len(bundled.hidden_secret(first)) == 32
    assert not [p for p in first.iterdir() if p.name.startswith(".secret-")]  # no draft left
