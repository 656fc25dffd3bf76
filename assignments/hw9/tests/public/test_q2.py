"""hw9.q2 public checks: the image read in grayscale, the labels of the four kernels, and a small
image filtered with each (any standard border rule is accepted)."""

import cv2
import numpy as np
import pytest

pytestmark = pytest.mark.question("q2")

GRAY_LEVELS_OFF = 2  # another JPEG decoder or RGB-to-gray rounding may move a pixel by a level or two


def test_img1_is_read_in_grayscale(kernel, dataset_dir):
    want = cv2.imread(str(dataset_dir("hw9-images") / "img1.jpg"), cv2.IMREAD_GRAYSCALE).astype(float)
    got = np.asarray(kernel.value("img1"), dtype=float)
    assert got.shape == want.shape, (
        f"`img1` has shape {got.shape}; img1.jpg read in grayscale has shape {want.shape} (one channel: "
        "cv2.imread(path, cv2.IMREAD_GRAYSCALE))"
    )
    if got.max(initial=0) <= 1.0:  # scaled to [0, 1] is fine too
        got = got * 255
    off = np.max(np.abs(got - want), initial=0)
    assert off <= GRAY_LEVELS_OFF, f"`img1` differs from img1.jpg read in grayscale by up to {off:.0f} gray levels"


@pytest.mark.points(1)
def test_kernel_labels(kernel, expected):
    got = kernel.call("kernel_labels")
    assert isinstance(got, dict), f"kernel_labels() returned {type(got).__name__}; return a dict kernel1..kernel4 -> label"
    for key, label in expected("q2.kernel_labels").items():
        assert got.get(key) == label, f"kernel_labels()[{key!r}] is {got.get(key)!r}; that kernel is not a {got.get(key)!r} filter"


def test_filtered_images(kernel, expected, helpers, apply_kernel_name):
    filtered = expected("q2.filtered")
    for number, case in enumerate(filtered["kernels"], start=1):
        got = np.asarray(kernel.call(apply_kernel_name, filtered["image"], case["kernel"]), dtype=float)
        check = helpers.filtering_check(got, case["answers"])
        assert check.passed, f"apply_kernel on a 6x8 image with kernel{number}: {check.problem()}"
