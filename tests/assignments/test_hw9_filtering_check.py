"""hw9.q2's filtering check (assignments/hw9/tests/conftest.py): every standard filtering is
accepted and named, whatever the border rule, and wrong or degenerate answers are refused with a
reason. The standard answers come from the reference and are checked against OpenCV and SciPy."""

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal

from reference.hw9.q2_kernels import HANDOUT_ORDER, KERNELS, VALID, standard_filterings
from tests.assignments.in_process import grader_module

SHARED = grader_module("hw9", "conftest.py")
IMAGE = np.random.default_rng(0).uniform(0, 1, (9, 12))


def check(answer: np.ndarray, image: np.ndarray, kernel: np.ndarray):
    return SHARED.filtering_check(answer, standard_filterings(image, kernel))


def test_opencvs_default_on_a_grayscale_jpeg_is_named(tmp_path):
    """The handout's pipeline: a colour JPEG read in grayscale, filter2D with its default border."""
    cv2.imwrite(str(tmp_path / "img1.jpg"), np.random.default_rng(1).integers(0, 256, (20, 24, 3), dtype=np.uint8))
    gray = cv2.imread(str(tmp_path / "img1.jpg"), cv2.IMREAD_GRAYSCALE)
    for k in KERNELS.values():
        assert check(cv2.filter2D(gray.astype(np.float64), -1, k), gray, k).border == "reflect_101"


@pytest.mark.parametrize("name", HANDOUT_ORDER)
def test_every_standard_answer_is_accepted_and_named(name):
    k = KERNELS[name]
    answers = {
        "reflect_101": cv2.filter2D(IMAGE, -1, k),  # OpenCV's default
        "zero": cv2.filter2D(IMAGE, -1, k, borderType=cv2.BORDER_CONSTANT),
        "reflect": cv2.filter2D(IMAGE, -1, k, borderType=cv2.BORDER_REFLECT),
        "replicate": cv2.filter2D(IMAGE, -1, k, borderType=cv2.BORDER_REPLICATE),
        "wrap": ndi.correlate(IMAGE, k, mode="wrap"),
        VALID: scipy.signal.correlate2d(IMAGE, k, mode="valid"),
    }
    standard = standard_filterings(IMAGE, k)
    assert set(answers) == set(standard)
    for border, answer in answers.items():
        # with a 3×3 kernel, reflecting with the edge pixel pads exactly like replicating it
        same = {name for name, want in standard.items() if want.shape == answer.shape and np.allclose(want, answer)}
        assert border in same and len(same) <= 2
        checked = check(answer, IMAGE, k)
        assert checked.passed and checked.border in same and checked.problem() == ""
        assert checked.interior_error == pytest.approx(0.0, abs=1e-12)
        assert check(answer.astype(np.float32), IMAGE, k).border in same  # float32 rounding is fine


def test_the_order_of_the_answers_does_not_matter():
    """The public check reads the answers back from a JSON file with sorted keys."""
    k = KERNELS["sobel_x"]
    standard = standard_filterings(IMAGE, k)
    for answer in standard.values():
        assert SHARED.filtering_check(answer, dict(sorted(standard.items()))).passed


@pytest.mark.parametrize("name", HANDOUT_ORDER)
def test_wrong_and_degenerate_answers_are_rejected(name):
    k = KERNELS[name]
    right = cv2.filter2D(IMAGE, -1, k)
    wrong = {
        "all zero": np.zeros_like(IMAGE),
        "constant": np.full_like(IMAGE, float(right.mean())),
        "the image itself": IMAGE.copy(),
        "one interior pixel off": right + np.where(np.arange(IMAGE.size).reshape(IMAGE.shape) == 30, 0.01, 0.0),
        "transposed shape": right.T.copy(),
        "a garbage border": np.pad(right[1:-1, 1:-1], 1, constant_values=7.0),
    }
    if name.startswith("sobel"):
        wrong["convolution instead of correlation"] = cv2.filter2D(IMAGE, -1, k[::-1, ::-1].copy())
    for what, answer in wrong.items():
        checked = check(answer, IMAGE, k)
        assert not checked.passed and checked.border is None and checked.problem(), what
    garbage_border = check(wrong["a garbage border"], IMAGE, k)
    assert garbage_border.interior_error == pytest.approx(0.0, abs=1e-12)  # only the border is off
    assert "border follows no standard rule" in garbage_border.problem()
    one_pixel = check(wrong["one interior pixel off"], IMAGE, k)
    assert one_pixel.interior_error == pytest.approx(0.01) and "off by up to 0.01" in one_pixel.problem()
    wrong_shape = check(np.zeros((3, 3)), IMAGE, k)
    assert wrong_shape.interior_error is None
    assert wrong_shape.problem() == "the result has shape (3, 3); expected (9, 12) or (7, 10)"


def test_colour_images_are_checked_per_channel():
    rgb = np.random.default_rng(2).uniform(size=(8, 9, 3))
    k = KERNELS["laplacian"]
    assert check(cv2.filter2D(rgb, cv2.CV_64F, k), rgb, k).border == "reflect_101"  # OpenCV filters per channel
    valid = np.stack([scipy.signal.correlate2d(rgb[..., c], k, mode="valid") for c in range(3)], axis=-1)
    assert check(valid, rgb, k).border == VALID
    garbage_border = check(np.pad(valid, ((1, 1), (1, 1), (0, 0)), constant_values=5.0), rgb, k)
    assert not garbage_border.passed and garbage_border.interior_right
