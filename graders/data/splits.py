"""The four-array split returned by the loaders of the classic benchmark formats."""

from typing import NamedTuple

import numpy as np


class Split4(NamedTuple):
    """Train and test images and labels, in the order keras.datasets.*.load_data() returns them.

    Images are uint8 (CIFAR-10: [N, 32, 32, 3] HWC; MNIST: [N, 28, 28]); labels are int64 [N].
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
