"""The small datasets bundled with the grader, generated on demand in their real formats.

| name               | on-disk format (under data_root()/<name>)        | classes | train/test per class | images          |
|--------------------|--------------------------------------------------|---------|----------------------|-----------------|
| cifar10-tiny       | cifar-10-batches-py/ python pickles (cifar10.py) | 10      | 50 / 20              | 32×32 RGB       |
| cifar100-tiny      | cifar-100-python/ python pickles (cifar100.py)   | 100     | 5 / 2                | 32×32 RGB       |
| mnist-tiny         | four IDX files (mnist.py), uncompressed          | 10      | 50 / 20              | 28×28 gray      |
| fashion_mnist-tiny | four IDX files (mnist.py), gzipped (name.gz)     | 10      | 50 / 20              | 28×28 gray      |
| intel-tiny         | seg_train/<class>/*.jpg, seg_test/<class>/*.jpg  | 6       | 30 / 10              | 64×64 RGB JPEG  |
| affectnet-tiny     | Train/<class>/*.png, Validation/<class>/*.png    | 8       | 24 / 8               | 128×128 RGB PNG |
| hw9-images-tiny    | img1.jpg (one picture, hw9's image kernels)      | —       | —                    | 96×128 RGB JPEG |

cifar10-tiny, cifar100-tiny, intel-tiny and affectnet-tiny are glyph images
(synthetic.glyph_images); fashion_mnist-tiny is glyph images in gray; mnist-tiny is
scikit-learn's real handwritten digits upsampled to MNIST's 28×28 (synthetic.digit_images).
cifar100-tiny and fashion_mnist-tiny are what a notebook's `load_data()` / `download=True` gets
offline (they stand in for sets no homework grades on), so they are stored like the files those
loaders download: Fashion-MNIST gzipped, CIFAR-100 with its fine and coarse labels. Intel's real
images are 150×150; 64×64 keeps the set small, and loaders resize anyway. AffectNet-tiny is
128×128 because the paper's lightweight VGG takes exactly that input. hw9-images-tiny stands in for the course's `img1.jpg` (a photo, not
available offline) with a colour picture (synthetic.picture_with_edges); with `--profile real`
the instructor puts the course's own file at `$GRADER_DATA/hw9-images/img1.jpg`.

``ensure_hidden_split(name)`` writes the same layout and sizes under hidden_root()/<name>, drawn
with the grader's secret (``hidden_root()/.secret``, random, made on first use and never shown to
a kernel): nobody who has only the code and the public data can regenerate it. Its test part
(test_batch, t10k-*, seg_test/, Validation/) is the hidden evaluation split. Glyph images are
continuous random draws, and the digit sets take disjoint scans of load_digits, so visible and
hidden images never coincide. (The digit scans are scikit-learn's public data: their labels can be
looked up. Hidden splits for a real course should be private data.)

Generation is deterministic (a dataset is a function of its name and split only: same bytes
every time) and atomic (written to a temporary sibling folder, then renamed), so concurrent
callers never see a half-written dataset. An existing folder is reused as it is: delete it to
regenerate.
"""

import os
import secrets
import shutil
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from graders.data.cifar10 import write_cifar10
from graders.data.cifar100 import write_cifar100
from graders.data.mnist import write_mnist
from graders.data.synthetic import (
    balanced_labels,
    digit_images,
    glyph_images,
    picture_with_edges,
)
from graders.paths import data_root, hidden_root

INTEL_CLASSES = ("buildings", "forest", "glacier", "mountain", "sea", "street")
AFFECTNET_CLASSES = ("neutral", "happy", "sad", "surprise", "fear", "disgust", "anger", "contempt")
SPLITS = ("visible", "hidden")
SECRET_FILE = ".secret"


@dataclass(frozen=True)
class Split:
    """Which split to write: the visible one (anyone can regenerate it) or the hidden one, whose
    draw also depends on the grader's secret."""

    kind: str  # "visible" | "hidden"
    secret: bytes = b""

    @property
    def index(self) -> int:
        return SPLITS.index(self.kind)


def _rng(name: str, split: Split) -> np.random.Generator:
    """The generator of one dataset split: seeded by the dataset name, the split and its secret."""
    entropy = [zlib.crc32(name.encode()), split.index]
    return np.random.default_rng(entropy + ([int.from_bytes(split.secret, "big")] if split.secret else []))


def hidden_secret(root: Path) -> bytes:
    """The grader's secret for the hidden splits under `root`: made once, random, owner-only."""
    path = root / SECRET_FILE
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=root, prefix=".secret-")  # owner-only
        try:
            with os.fdopen(fd, "w", encoding="ascii") as stream:
                stream.write(secrets.token_hex(32))
            os.link(draft, path)  # atomic: a concurrent caller's secret wins, never half a file
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


# ---------------------------------------------------------------- one writer per dataset


def _write_cifar10_tiny(target: Path, split: Split) -> None:
    rng = _rng("cifar10-tiny", split)
    y_train, y_test = balanced_labels(10, 50, rng), balanced_labels(10, 20, rng)
    write_cifar10(target, glyph_images(y_train, 10, 32, rng), y_train, glyph_images(y_test, 10, 32, rng), y_test)


def _write_cifar100_tiny(target: Path, split: Split) -> None:
    rng = _rng("cifar100-tiny", split)
    y_train, y_test = balanced_labels(100, 5, rng), balanced_labels(100, 2, rng)
    write_cifar100(target, glyph_images(y_train, 100, 32, rng), y_train, glyph_images(y_test, 100, 32, rng), y_test)


def _write_fashion_mnist_tiny(target: Path, split: Split) -> None:
    rng = _rng("fashion_mnist-tiny", split)
    luminance = np.array([0.299, 0.587, 0.114])  # ITU-R 601, as PIL's convert("L")
    parts = []
    for per_class in (50, 20):
        labels = balanced_labels(10, per_class, rng)
        gray = np.round(glyph_images(labels, 10, 28, rng) @ luminance).astype(np.uint8)
        parts += [gray, labels]
    write_mnist(target, *parts, compress=True)


def _write_mnist_tiny(target: Path, split: Split) -> None:
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    digits = load_digits()
    per_class = {"train": 50, "test": 20}
    # One fixed shuffle of each digit's scans (the same for both splits); the visible split
    # takes the first 70 scans of every digit, the hidden split 70 of the rest, drawn with the secret.
    order = np.random.default_rng(zlib.crc32(b"mnist-tiny")).permutation(len(digits.target))
    visible = sum(per_class.values())
    rng = _rng("mnist-tiny", split)
    scans = {d: order[digits.target[order] == d] for d in range(10)}
    if split.kind == "hidden":
        scans = {d: rng.permutation(s[visible:]) for d, s in scans.items()}
    parts = {}
    start = 0
    for part, count in per_class.items():
        indices = np.concatenate([scans[d][start : start + count] for d in range(10)])
        indices = rng.permutation(indices)
        parts[part] = (digit_images(digits.images[indices], rng), digits.target[indices].astype(np.int64))
        start += count
    write_mnist(target, *parts["train"], *parts["test"])


def _write_image_folders(
    target: Path,
    rng: np.random.Generator,
    parts: dict[str, int],
    class_folders: tuple[str, ...],
    size: int,
    file_pattern: str,
    save_options: dict,
) -> None:
    """parts maps a part folder (e.g. "Train") to its images per class; class k is glyph k."""
    index = 0
    for part, per_class in parts.items():
        labels = balanced_labels(len(class_folders), per_class, rng)
        for label, image in zip(labels, glyph_images(labels, len(class_folders), size, rng)):
            folder = target / part / class_folders[label]
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(image).save(folder / file_pattern.format(index), **save_options)
            index += 1


def _write_intel_tiny(target: Path, split: Split) -> None:
    _write_image_folders(
        target, _rng("intel-tiny", split), {"seg_train": 30, "seg_test": 10},
        INTEL_CLASSES, 64, "{}.jpg", {"quality": 95},
    )


def _write_affectnet_tiny(target: Path, split: Split) -> None:
    _write_image_folders(
        target, _rng("affectnet-tiny", split), {"Train": 24, "Validation": 8},
        AFFECTNET_CLASSES, 128, "image{:05d}.png", {},
    )


def _write_hw9_images_tiny(target: Path, split: Split) -> None:
    Image.fromarray(picture_with_edges(96, 128, _rng("hw9-images-tiny", split))).save(target / "img1.jpg", quality=95)


WRITERS: dict[str, Callable[[Path, Split], None]] = {
    "cifar10-tiny": _write_cifar10_tiny,
    "cifar100-tiny": _write_cifar100_tiny,
    "mnist-tiny": _write_mnist_tiny,
    "fashion_mnist-tiny": _write_fashion_mnist_tiny,
    "intel-tiny": _write_intel_tiny,
    "affectnet-tiny": _write_affectnet_tiny,
    "hw9-images-tiny": _write_hw9_images_tiny,
}


# ---------------------------------------------------------------- materialise once, atomically


def _materialise(target: Path, write: Callable[[Path], None]) -> Path:
    """Create target by write(staging folder) + rename, unless it already exists."""
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        write(staging)
        staging.chmod(0o755)  # mkdtemp makes it owner-only; student kernels must be able to read data
        os.rename(staging, target)  # atomic on one filesystem
    except OSError:
        if not target.is_dir():  # a concurrent caller that renamed first is not an error
            raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def _check_name(name: str) -> Callable[[Path, Split], None]:
    if name not in WRITERS:
        raise KeyError(f"unknown bundled dataset {name!r}; known: {', '.join(WRITERS)}")
    return WRITERS[name]


def ensure_dataset(name: str, root: Path | None = None) -> Path:
    """The visible dataset `name` under (root or data_root())/<name>, generated if missing."""
    writer = _check_name(name)
    return _materialise(Path(root or data_root()) / name, lambda folder: writer(folder, Split("visible")))


def ensure_hidden_split(name: str, root: Path | None = None) -> Path:
    """The hidden evaluation split of `name` under (root or hidden_root())/<name>, generated if
    missing with the grader's secret (see `hidden_secret`)."""
    writer = _check_name(name)
    root = Path(root or hidden_root())
    split = Split("hidden", hidden_secret(root))
    return _materialise(root / name, lambda folder: writer(folder, split))
