"""Offline downloads, library by library: the libraries' own loaders (Keras 3, tf-keras,
torchvision), called as a notebook calls them, read the grader's copy of each dataset, with the
kernel's environment (graders/kernel_site on the PYTHONPATH, the worker's variables)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from graders.data.cifar10 import load_cifar10, load_cifar10_label_names
from graders.data.cifar100 import FINE_LABEL_NAMES, load_cifar100
from graders.data.mnist import load_mnist
from graders.data.profiles import DOWNLOADABLE, kernel_dataset_dirs
from graders.paths import KERNEL_SITE
from graders.sandbox import SandboxPolicy
from graders.spec import load_assignment
from graders.worker import kernel_env
from tests.engine.toy import TOY

# Runs in a fresh Python with the kernel's environment; prints one JSON object.
SCRIPT = r'''
import hashlib, json, os, sys
import numpy as np
import torchvision  # before TensorFlow: torchvision loads triton, which crashes after TensorFlow
from torchvision import datasets

def summary(x, y):
    x, y = np.ascontiguousarray(np.asarray(x)), np.asarray(y)
    return {"x": [list(x.shape), x.dtype.name, hashlib.sha256(x.tobytes()).hexdigest()],
            "y": [list(y.shape), y.dtype.name, y.ravel().tolist()]}

def error(call):
    try:
        call()
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    return "no error"

out = {}
for name, cls in (("mnist", datasets.MNIST), ("fashion_mnist", datasets.FashionMNIST),
                  ("cifar10", datasets.CIFAR10), ("cifar100", datasets.CIFAR100)):
    root = f"torchvision-{name}"  # any folder the notebook likes
    train, test = cls(root, train=True, download=True), cls(root, train=False, download=True)
    out[f"torchvision/{name}"] = [summary(train.data, train.targets), summary(test.data, test.targets), train.classes]

import keras, tf_keras
for library in (keras, tf_keras):
    for name in ("mnist", "fashion_mnist", "cifar10", "cifar100"):
        (x, y), (xt, yt) = getattr(library.datasets, name).load_data()
        out[f"{library.__name__}/{name}"] = [summary(x, y), summary(xt, yt)]

os.makedirs("own/cifar-10-batches-py")
with open("own/cifar-10-batches-py/data_batch_1", "wb") as f:
    f.write(b"not the real file")
out["errors"] = {
    "corrupt own copy": error(lambda: datasets.CIFAR10("own", train=True, download=False)),
    "torchvision unknown url": error(lambda: datasets.utils.download_url("https://example.com/x.zip", "x")),
    "keras archive not unpacked": error(lambda: keras.utils.get_file(origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz")),
}
os.environ["MNIST_DIR"] = os.path.join(os.getcwd(), "no-mnist-here")
out["errors"]["missing copy"] = error(lambda: tf_keras.datasets.mnist.load_data())
import grader_offline
out["notes"] = [text for _, text in grader_offline.notes()]
print(json.dumps(out))
'''


def summary(x: np.ndarray, y: np.ndarray, label_shape: tuple[int, ...] | None = None, label_dtype: str = "int64") -> dict:
    """What SCRIPT's summary() gives for these arrays, with the label layout a library uses."""
    x = np.ascontiguousarray(x)
    shape = list(label_shape or y.shape)
    return {"x": [list(x.shape), x.dtype.name, hashlib.sha256(x.tobytes()).hexdigest()],
            "y": [shape, label_dtype, y.tolist()]}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    toy = load_assignment(TOY)  # Keras 3 (the default): `import keras` is Keras 3, tf_keras is Keras 2
    policy = SandboxPolicy(tmp_path_factory.mktemp("scratch"), toy.limits, use_bwrap=False)  # paths as on the host
    workdir = Path(policy.workdir)
    workdir.mkdir()
    env = kernel_env(toy, policy, kernel_dataset_dirs(toy, "tiny"), 1, "")
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=workdir, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def grader_copy(name: str):
    folder = kernel_dataset_dirs(load_assignment(TOY), "tiny")[name]
    return {"mnist": load_mnist, "fashion_mnist": load_mnist, "cifar10": load_cifar10, "cifar100": load_cifar100}[name](folder)


@pytest.mark.parametrize("name", DOWNLOADABLE)
def test_torchvision_download_true_reads_the_grader_copy(loaded, name):
    want = grader_copy(name)
    train, test, classes = loaded[f"torchvision/{name}"]
    assert train == summary(want.x_train, want.y_train)
    assert test == summary(want.x_test, want.y_test)
    if name == "cifar10":
        assert classes == load_cifar10_label_names(kernel_dataset_dirs(load_assignment(TOY), "tiny")["cifar10"])
    if name == "cifar100":
        assert classes == list(FINE_LABEL_NAMES)


@pytest.mark.parametrize("library", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", DOWNLOADABLE)
def test_keras_load_data_reads_the_grader_copy(loaded, library, name):
    want = grader_copy(name)
    train, test = loaded[f"{library}/{name}"]
    # Keras's own layouts: CIFAR labels (N, 1), uint8 except CIFAR-100's (its loader keeps int64)
    column = name.startswith("cifar")
    dtype = "int64" if name == "cifar100" else "uint8"
    assert train == summary(want.x_train, want.y_train, (len(want.y_train), 1) if column else None, dtype)
    assert test == summary(want.x_test, want.y_test, (len(want.y_test), 1) if column else None, dtype)


def test_what_is_not_served_fails_with_a_reason(loaded, tmp_path):
    errors = loaded["errors"]
    assert errors["corrupt own copy"].startswith("RuntimeError: Dataset not found or corrupted"), \
        "a file that is not the grader's is still checked"
    assert errors["torchvision unknown url"].startswith(
        "OfflineError: grading runs offline, so https://example.com/x.zip cannot be downloaded.")
    assert errors["keras archive not unpacked"].startswith(
        "OfflineError: grading runs offline, and the grader keeps CIFAR-10 unpacked, not as cifar-10-python.tar.gz")
    assert errors["missing copy"].startswith("OfflineError: grading runs offline, and the grader has no copy of MNIST: "
                                             "the instructor puts it in the folder MNIST_DIR names (")
    assert errors["missing copy"].endswith("no-mnist-here).")


def test_each_served_dataset_is_noted(loaded):
    assert loaded["notes"] == [f"{title} read from the grader's copy in {variable}, not downloaded" for title, variable in (
        ("MNIST", "MNIST_DIR"), ("Fashion-MNIST", "FASHION_MNIST_DIR"), ("CIFAR-10", "CIFAR10_DIR"),
        ("CIFAR-100", "CIFAR100_DIR"))]


# ---------------------------------------------------------------- the kernel site's own parts


@pytest.fixture
def kernel_site(monkeypatch: pytest.MonkeyPatch):
    """The kernel site's modules, imported here without installing anything."""
    monkeypatch.syspath_prepend(str(KERNEL_SITE))
    import grader_offline.catalogue
    import grader_offline.network

    return grader_offline


def test_catalogue_knows_the_libraries_urls(kernel_site):
    find = kernel_site.catalogue.find
    assert set(kernel_site.catalogue.TITLES) == set(DOWNLOADABLE), "the grader serves what the kernel knows"
    assert find("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz").unpacks_to == "cifar-10-batches-py"
    assert find("http://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz").dataset == "cifar100"
    assert find("https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz").dataset == "mnist"
    keras_fashion = find("https://storage.googleapis.com/tensorflow/tf-keras-datasets/t10k-labels-idx1-ubyte.gz")
    assert (keras_fashion.dataset, keras_fashion.file) == ("fashion_mnist", "t10k-labels-idx1-ubyte.gz")
    assert find("http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz").dataset == "mnist"
    assert find("https://example.com/cifar-10-python.tar.gz") is None
    assert find("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz.md5") is None


def test_only_this_machine_is_reachable(kernel_site):
    is_local = kernel_site.network.is_local
    assert all(is_local(host) for host in (None, "", "localhost", "127.0.0.1", "127.8.0.1", "::1", b"localhost", "[::1]"))
    assert not any(is_local(host) for host in ("example.com", "1.1.1.1", "10.0.0.1", "::ffff:8.8.8.8", "localhost.evil.org"))


def test_the_kernel_site_imports_only_the_standard_library():
    """Everything in graders/kernel_site must import without the frameworks (they load lazily)."""
    code = ("import sys, grader_offline, google.colab\n"
            "heavy = {'numpy', 'torch', 'tensorflow', 'keras', 'tf_keras', 'IPython', 'cv2', 'PIL'} & set(sys.modules)\n"
            "print(sorted(heavy))")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(KERNEL_SITE), "HOME": str(Path.home())}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
