"""The datasets a library can download, where from, and what the grader's copy of each holds.

| dataset       | grader's folder (`<NAME>_DIR`) holds           | downloaded by                                        |
|---------------|------------------------------------------------|------------------------------------------------------|
| mnist         | the four IDX files (plain or .gz); mnist.npz   | keras (mnist.npz), torchvision, TensorFlow tutorials |
| fashion_mnist | the four IDX files (plain or .gz)              | keras (the .gz files), torchvision                   |
| cifar10       | cifar-10-batches-py/                           | keras and torchvision (cifar-10-python.tar.gz)       |
| cifar100      | cifar-100-python/                              | keras and torchvision (cifar-100-python.tar.gz)      |

The grader side (graders/data/profiles.py, DOWNLOADABLE) serves exactly these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

TITLES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST", "cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}

IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
MNIST_NPZ = "mnist.npz"  # Keras's MNIST: x_train, y_train, x_test, y_test in one file

# archive file name -> (dataset, the folder it unpacks to)
ARCHIVES = {
    "cifar-10-python.tar.gz": ("cifar10", "cifar-10-batches-py"),
    "cifar-100-python.tar.gz": ("cifar100", "cifar-100-python"),
}
_ARCHIVE_HOST = "www.cs.toronto.edu/~kriz/"

_KERAS_FOLDER = "storage.googleapis.com/tensorflow/tf-keras-datasets/"
# folders (without the scheme) that publish the IDX files, per dataset
_IDX_MIRRORS = {
    "mnist": ("ossci-datasets.s3.amazonaws.com/mnist/", "yann.lecun.com/exdb/mnist/",
              "storage.googleapis.com/cvdf-datasets/mnist/"),
    "fashion_mnist": ("fashion-mnist.s3-website.eu-central-1.amazonaws.com/", _KERAS_FOLDER),
}


@dataclass(frozen=True)
class Download:
    """One file a library downloads, in terms of the grader's copy."""

    dataset: str
    file: str  # the downloaded file's name: an archive, an IDX file (.gz) or mnist.npz

    @property
    def unpacks_to(self) -> str | None:
        """The folder the archive holds (None for a single file)."""
        return ARCHIVES[self.file][1] if self.file in ARCHIVES else None


def _known() -> dict[str, Download]:
    known = {_ARCHIVE_HOST + name: Download(dataset, name) for name, (dataset, _) in ARCHIVES.items()}
    known[_KERAS_FOLDER + MNIST_NPZ] = Download("mnist", MNIST_NPZ)
    for dataset, mirrors in _IDX_MIRRORS.items():
        known.update({mirror + name + ".gz": Download(dataset, name + ".gz") for mirror in mirrors for name in IDX_FILES})
    return known


_KNOWN = _known()


def find(url: str) -> Download | None:
    """The served download at this URL (http or https alike), or None."""
    parts = urlsplit(str(url))
    return _KNOWN.get(parts.netloc.lower() + parts.path)
