"""CIFAR-10 in its real on-disk format: the python-pickle batches of cifar-10-batches-py/.

The format (https://www.cs.toronto.edu/~kriz/cifar.html): each of data_batch_1..5 and
test_batch is a pickled dict, written by Python 2, with
  * b'data'   — a uint8 array of shape [N, 3072]; a row is one 32×32 image stored as its red,
                green and blue planes one after another, each plane row-major;
  * b'labels' — a list of N ints in 0..9;
  * b'batch_label', b'filenames' — a description and one file name per image.
batches.meta holds b'label_names' (10 names), b'num_cases_per_batch' and b'num_vis' (3072).

The keys are Python-2 ``str``: ``pickle.load(f, encoding='bytes')`` (the documented way, also
Keras's loader) sees ``b'data'`` while ``encoding='latin1'`` (torchvision's loader) sees
``'data'``. ``write_cifar10`` writes them the same way so that every reader of the real files
reads ours.
"""

import hashlib
import pickle
import struct
import tarfile
import urllib.request
from pathlib import Path

import numpy as np

from graders.data.splits import Split4

BATCHES_FOLDER = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
META_FILE = "batches.meta"
LABEL_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)
IMAGE_SHAPE = (32, 32, 3)  # H, W, C as returned by the loader
ROW_LENGTH = 32 * 32 * 3

ARCHIVE_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
ARCHIVE_MD5 = "c58f30108f718f92721af3b95e74349a"


# ---------------------------------------------------------------- image <-> row layout


def images_to_rows(images: np.ndarray) -> np.ndarray:
    """uint8 [N, 32, 32, 3] (HWC) -> uint8 [N, 3072]: R plane, G plane, B plane, each row-major."""
    if images.dtype != np.uint8 or images.shape[1:] != IMAGE_SHAPE:
        raise ValueError(f"expected uint8 images of shape [N, 32, 32, 3], got {images.dtype} {images.shape}")
    return np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(len(images), ROW_LENGTH)


def rows_to_images(rows: np.ndarray) -> np.ndarray:
    """The inverse of images_to_rows."""
    return np.ascontiguousarray(rows.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))


# ---------------------------------------------------------------- reading


def unpickle(path: Path) -> dict:
    """One CIFAR pickle, read the documented way (keys come back as bytes)."""
    with open(path, "rb") as file:
        return pickle.load(file, encoding="bytes")


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    batch = unpickle(path)
    rows = np.asarray(batch[b"data"], dtype=np.uint8)
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    return rows_to_images(rows), labels


def load_cifar10(root: Path) -> Split4:
    """Read root/cifar-10-batches-py/: data_batch_1..5 (those present, in order) and test_batch.

    Images come back uint8 [N, 32, 32, 3] (HWC, like keras.datasets.cifar10), labels int64.
    """
    folder = Path(root) / BATCHES_FOLDER
    train = [_read_batch(folder / name) for name in TRAIN_BATCHES if (folder / name).is_file()]
    if not train:
        raise FileNotFoundError(f"no data_batch_* files in {folder}")
    x_test, y_test = _read_batch(folder / TEST_BATCH)
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return Split4(x_train, y_train, x_test, y_test)


def load_cifar10_label_names(root: Path) -> list[str]:
    """The class names stored in batches.meta, in label order."""
    meta = unpickle(Path(root) / BATCHES_FOLDER / META_FILE)
    return [name.decode("ascii") for name in meta[b"label_names"]]


# ---------------------------------------------------------------- writing


class _Python2StrPickler(pickle._Pickler):
    """A protocol-2 pickler that stores ``bytes`` as Python-2 ``str`` (opcodes U / T).

    Python 3 pickles bytes as a call to _codecs.encode (protocol 2), which always loads as
    bytes; the real CIFAR files instead hold Python-2 strings, which load as bytes or str
    depending on the reader's ``encoding`` argument. Only this opcode choice differs.
    """

    dispatch = dict(pickle._Pickler.dispatch)

    def _save_python2_str(self, obj: bytes) -> None:
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = _save_python2_str


def write_python2_pickle(path: Path, obj: dict) -> None:
    """Pickle obj as the CIFAR files are: protocol 2, bytes stored as Python-2 strings."""
    with open(path, "wb") as file:
        _Python2StrPickler(file, protocol=2).dump(obj)


def _batch_dict(batch_label: str, images: np.ndarray, labels: np.ndarray, first_index: int) -> dict:
    return {
        b"batch_label": batch_label.encode("ascii"),
        b"labels": [int(label) for label in labels],
        b"data": images_to_rows(images),
        b"filenames": [f"synthetic_{first_index + i:06d}.png".encode("ascii") for i in range(len(images))],
    }


def write_cifar10(
    root: Path,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    label_names: tuple[str, ...] = LABEL_NAMES,
) -> Path:
    """Write root/cifar-10-batches-py/ in the real layout and return that folder.

    The training images are split over the five data_batch files as evenly as possible, so
    every file name a reader of the real dataset expects is present.
    """
    folder = Path(root) / BATCHES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    starts = np.cumsum([0] + [len(part) for part in np.array_split(np.arange(len(x_train)), len(TRAIN_BATCHES))])
    for number, name in enumerate(TRAIN_BATCHES):
        lo, hi = starts[number], starts[number + 1]
        label = f"training batch {number + 1} of {len(TRAIN_BATCHES)}"
        write_python2_pickle(folder / name, _batch_dict(label, x_train[lo:hi], y_train[lo:hi], int(lo)))
    test = _batch_dict("testing batch 1 of 1", x_test, y_test, len(x_train))
    write_python2_pickle(folder / TEST_BATCH, test)
    meta = {
        b"num_cases_per_batch": int(starts[1] - starts[0]),
        b"label_names": [name.encode("ascii") for name in label_names],
        b"num_vis": ROW_LENGTH,
    }
    write_python2_pickle(folder / META_FILE, meta)
    return folder


# ---------------------------------------------------------------- download (needs internet)


def download_cifar10(root: Path) -> Path:
    """Download and unpack the real CIFAR-10 (163 MB) into root; return root/cifar-10-batches-py.

    Never called by the tests or the grader (they run offline on generated data).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    archive = root / "cifar-10-python.tar.gz"
    if not archive.is_file():
        urllib.request.urlretrieve(ARCHIVE_URL, archive)
    digest = hashlib.md5(archive.read_bytes()).hexdigest()
    if digest != ARCHIVE_MD5:
        raise OSError(f"{archive}: md5 {digest} is not the published {ARCHIVE_MD5}")
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(root, filter="data")
    return root / BATCHES_FOLDER
