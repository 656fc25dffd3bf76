"""MNIST in its real on-disk format: the IDX files of http://yann.lecun.com/exdb/mnist/.

An IDX file is a big-endian header followed by the raw uint8 values:
  * images (magic 2051 = 0x00000803: zero, zero, type 0x08 = uint8, 3 dimensions):
        int32 magic, int32 N, int32 rows, int32 cols, then N·rows·cols bytes, row-major;
  * labels (magic 2049 = 0x00000801: uint8, 1 dimension):
        int32 magic, int32 N, then N bytes.
The four files are train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
and t10k-labels-idx1-ubyte, distributed gzipped (name + ".gz"); either form is read.
"""

import gzip
import hashlib
import struct
import urllib.request
from pathlib import Path
from typing import BinaryIO

import numpy as np

from graders.data.splits import Split4

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"

MIRROR_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
ARCHIVE_MD5 = {  # of the .gz files, as published with the dataset (and used by torchvision)
    TRAIN_IMAGES: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    TRAIN_LABELS: "d53e105ee54ea40749a09fcbcd1e9432",
    TEST_IMAGES: "9fb629c4189551a2d022fa330f9573f3",
    TEST_LABELS: "ec29112dd5afa0611ce80d1b7f02629c",
}


# ---------------------------------------------------------------- reading


def _open(path: Path) -> BinaryIO:
    """The file itself if present, else its .gz form."""
    if path.is_file():
        return open(path, "rb")
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        return gzip.open(gz, "rb")
    raise FileNotFoundError(f"neither {path} nor {gz} exists")


def _read_header(file: BinaryIO, magic: int, n_dims: int, path: Path) -> tuple[int, ...]:
    """Check the magic number, then return the n_dims big-endian int32 dimension sizes."""
    (found,) = struct.unpack(">i", file.read(4))
    if found != magic:
        raise ValueError(f"{path}: magic number {found}, expected {magic}")
    return struct.unpack(f">{n_dims}i", file.read(4 * n_dims))


def read_idx_images(path: Path) -> np.ndarray:
    """uint8 [N, rows, cols] from an idx3-ubyte file (plain or .gz)."""
    with _open(Path(path)) as file:
        count, rows, cols = _read_header(file, IMAGES_MAGIC, 3, path)
        pixels = np.frombuffer(file.read(count * rows * cols), dtype=np.uint8)
    return pixels.reshape(count, rows, cols).copy()


def read_idx_labels(path: Path) -> np.ndarray:
    """int64 [N] from an idx1-ubyte file (plain or .gz)."""
    with _open(Path(path)) as file:
        (count,) = _read_header(file, LABELS_MAGIC, 1, path)
        labels = np.frombuffer(file.read(count), dtype=np.uint8)
    return labels.astype(np.int64)


def load_mnist(root: Path) -> Split4:
    """Read the four IDX files in root -> Split4 with uint8 [N, 28, 28] images, int64 labels."""
    root = Path(root)
    return Split4(
        read_idx_images(root / TRAIN_IMAGES),
        read_idx_labels(root / TRAIN_LABELS),
        read_idx_images(root / TEST_IMAGES),
        read_idx_labels(root / TEST_LABELS),
    )


# ---------------------------------------------------------------- writing


def _write_bytes(path: Path, payload: bytes, compress: bool) -> None:
    if compress:
        # mtime=0 keeps the .gz bytes reproducible (gzip stores a timestamp in its header)
        with open(path.with_name(path.name + ".gz"), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(payload)
    else:
        path.write_bytes(payload)


def write_idx_images(path: Path, images: np.ndarray, compress: bool = False) -> None:
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"expected uint8 images [N, rows, cols], got {images.dtype} {images.shape}")
    header = struct.pack(">iiii", IMAGES_MAGIC, *images.shape)
    _write_bytes(Path(path), header + np.ascontiguousarray(images).tobytes(), compress)


def write_idx_labels(path: Path, labels: np.ndarray, compress: bool = False) -> None:
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.min(initial=0) < 0 or labels.max(initial=0) > 255:
        raise ValueError("labels must be a 1-D array of values in 0..255")
    header = struct.pack(">ii", LABELS_MAGIC, len(labels))
    _write_bytes(Path(path), header + labels.astype(np.uint8).tobytes(), compress)


def write_mnist(
    root: Path,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    compress: bool = False,
) -> Path:
    """Write the four IDX files into root (gzipped as name.gz when compress) and return root."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    write_idx_images(root / TRAIN_IMAGES, x_train, compress)
    write_idx_labels(root / TRAIN_LABELS, y_train, compress)
    write_idx_images(root / TEST_IMAGES, x_test, compress)
    write_idx_labels(root / TEST_LABELS, y_test, compress)
    return root


# ---------------------------------------------------------------- download (needs internet)


def download_mnist(root: Path) -> Path:
    """Download the four real .gz IDX files into root and check their md5; return root.

    Never called by the tests or the grader (they run offline on generated data).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name, md5 in ARCHIVE_MD5.items():
        target = root / f"{name}.gz"
        if not target.is_file():
            urllib.request.urlretrieve(MIRROR_URL + target.name, target)
        digest = hashlib.md5(target.read_bytes()).hexdigest()
        if digest != md5:
            raise OSError(f"{target}: md5 {digest} is not the published {md5}")
    return root
