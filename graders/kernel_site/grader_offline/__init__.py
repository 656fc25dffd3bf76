"""The offline environment of a student kernel: what a Colab notebook expects, without a network.

* No network: looking up any host but this machine raises `OfflineError`, whose message says that
  grading runs offline and which variable (e.g. `CIFAR10_DIR`) names the data (network.py).
* Downloads served from the grader's data: `keras.datasets.*.load_data()` and `get_file` (Keras 3
  and tf-keras), torchvision's `download=True` datasets (keras_hooks.py, torch_hooks.py), and
  pretrained weights from the instructor's weights folder (weights.py).
* `import keras` is tf-keras (Keras 2) when the assignment asks for Keras 2, as `tf.keras` is then
  (TF_USE_LEGACY_KERAS=1): Keras Tuner and `LocallyConnected2D` work as on Colab in 2021.
* `google.colab` (drive, files, patches) is the package beside this one.

What the kernel reads, all set by the grader: `<NAME>_DIR` for each dataset served (the
assignment's own and every dataset a library can download), `GRADER_DATASETS` (the assignment's
own, comma-separated), `GRADER_WEIGHTS` (the weights folder), `GRADER_DRIVE` (the files MyDrive
shows) and `TF_USE_LEGACY_KERAS`.

Standard library only at import time: each framework is patched right after the notebook
imports it (after_import.py).
"""

import os

from grader_offline import after_import, keras_hooks, network, torch_hooks
from grader_offline.offline import OfflineError, notes

__all__ = ["OfflineError", "install", "notes"]


def install() -> None:
    """Cut the network and serve downloads; called once, at interpreter start."""
    network.block_remote_hosts()
    if os.environ.get("TF_USE_LEGACY_KERAS") in ("1", "true", "True"):  # TensorFlow's own test
        after_import.alias_package("keras", "tf_keras")
    after_import.patch_after_import({**keras_hooks.PATCHES, **torch_hooks.PATCHES})
