"""Keras downloads, served offline: `get_file` (Keras 3 and tf-keras) and the CIFAR-10 loader.

Every Keras download goes through `get_file(fname, origin, ...)`, which the dataset loaders
(`keras.datasets.mnist/fashion_mnist/cifar10/cifar100.load_data`) and `keras.applications`
call. Here it returns the grader's copy in the form the caller reads (served.for_keras), a
pretrained weights file from the weights folder, or raises OfflineError; a local (file://)
origin goes to the real `get_file`. Keras's hashes are of the downloaded archives, which the
grader does not have (its copy is unpacked, or a small stand-in), so they are not checked on
data; a weights file is the downloaded file itself, so its hash is checked when Keras gives one.

`cifar10.load_data` itself is replaced too: both Keras versions fill fixed arrays of the real
set's 50,000 training images, which a smaller copy cannot fill. The replacement reads the same
files with the library's own `load_batch` and returns what it would: uint8 images in the
backend's layout, uint8 labels of shape (N, 1).
"""

from __future__ import annotations

import functools
import os
from types import ModuleType
from urllib.parse import urlsplit

from grader_offline import catalogue, served, weights
from grader_offline.after_import import bound
from grader_offline.offline import OfflineError, blocked

_NETWORK_SCHEMES = ("http", "https", "ftp")


def _serve_get_file(module: ModuleType, extracts_into_fname: bool) -> None:
    original = module.get_file

    @functools.wraps(original)
    def get_file(*args, **kwargs):
        call = bound(original, args, kwargs)
        given = call.arguments
        origin = str(given["origin"] or "")
        if urlsplit(origin).scheme.lower() not in _NETWORK_SCHEMES:
            return original(*call.args, **call.kwargs)
        fname = os.fspath(given["fname"]) if given["fname"] else os.path.basename(urlsplit(origin).path)
        download = catalogue.find(origin)
        if download is not None:
            extract = bool(given["extract"] or given["untar"])
            return str(served.for_keras(download, fname, extract, extracts_into_fname))
        if given["cache_subdir"] != "models" and weights.path(fname) is None:
            raise blocked(origin)
        path = weights.find(fname, origin)
        file_hash, algorithm = given["file_hash"], given["hash_algorithm"]
        if file_hash is None and given["md5_hash"] is not None:
            file_hash, algorithm = given["md5_hash"], "md5"
        if file_hash is not None and not module.validate_file(str(path), file_hash, algorithm=algorithm):
            raise OfflineError(f"the weights file {path} in the grader's weights folder is not the one Keras "
                               f"expects (its hash differs): the instructor replaces it with the file from {origin}.")
        return str(path)

    module.get_file = get_file


def _any_size_cifar10(module: ModuleType) -> None:
    folder_name = catalogue.ARCHIVES["cifar-10-python.tar.gz"][1]

    def load_data(cache_dir=None):
        """CIFAR-10 as `keras.datasets.cifar10.load_data()` returns it, from the grader's copy:
        ((x_train, y_train), (x_test, y_test)), uint8, labels of shape (N, 1)."""
        import numpy as np

        folder = served.archive_folder("cifar10", folder_name)
        train = [module.load_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
        x_test, y_test = module.load_batch(os.path.join(folder, "test_batch"))
        x_train = np.concatenate([images for images, _ in train]).astype("uint8")
        y_train = np.concatenate([np.asarray(labels) for _, labels in train]).astype("uint8").reshape(-1, 1)
        x_test, y_test = x_test.astype("uint8"), np.asarray(y_test).astype("uint8").reshape(-1, 1)
        if module.backend.image_data_format() == "channels_last":
            x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
        return (x_train, y_train), (x_test, y_test)

    load_data.__module__ = module.__name__
    module.load_data = load_data


PATCHES = {
    "keras.src.utils.file_utils": functools.partial(_serve_get_file, extracts_into_fname=True),
    "tf_keras.src.utils.data_utils": functools.partial(_serve_get_file, extracts_into_fname=False),
    "keras.src.datasets.cifar10": _any_size_cifar10,
    "tf_keras.src.datasets.cifar10": _any_size_cifar10,
}
