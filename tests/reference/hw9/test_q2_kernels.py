"""hw9.q2: the four kernels and every border rule vs OpenCV (cv2.filter2D), scipy.ndimage and torch,
and their edge properties. (The check that grades a filtered image with these answers:
tests/assignments/test_hw9_filtering_check.py.)"""

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
import torch
import torch.nn.functional as F

from reference.hw9.q2_kernels import (
    BORDERS,
    BOX_BLUR,
    HANDOUT_ORDER,
    KERNELS,
    LAPLACIAN,
    SOBEL_X,
    SOBEL_Y,
    apply_kernel,
    kernel_sums,
)

IMAGE = np.random.default_rng(0).uniform(0, 1, (9, 12))
OPENCV_BORDER = {
    "reflect_101": cv2.BORDER_REFLECT_101,
    "zero": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT,
    "replicate": cv2.BORDER_REPLICATE,
}  # cv2.filter2D does not take BORDER_WRAP
SCIPY_MODE = {"reflect_101": "mirror", "zero": "constant", "reflect": "reflect", "replicate": "nearest", "wrap": "wrap"}


def _vertical_edge(h: int = 10, w: int = 12) -> np.ndarray:
    """Dark left half, bright right half: one vertical edge between columns w/2 − 1 and w/2."""
    img = np.zeros((h, w))
    img[:, w // 2 :] = 1.0
    return img


def test_the_handouts_kernels():
    assert [KERNELS[name].tolist() for name in HANDOUT_ORDER] == [
        [[1 / 9] * 3] * 3,
        [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    ]


@pytest.mark.parametrize("name", HANDOUT_ORDER)
@pytest.mark.parametrize("border", sorted(OPENCV_BORDER))
def test_every_border_matches_opencv_filter2d(name, border):
    k = KERNELS[name]
    by_opencv = cv2.filter2D(IMAGE, cv2.CV_64F, k, borderType=OPENCV_BORDER[border])
    np.testing.assert_allclose(apply_kernel(IMAGE, k, border=border), by_opencv, atol=1e-12)


def test_the_default_border_is_opencvs_default_on_a_grayscale_jpeg(tmp_path):
    """The handout's pipeline: a colour JPEG read in grayscale, filter2D with its default border."""
    rng = np.random.default_rng(1)
    cv2.imwrite(str(tmp_path / "img1.jpg"), rng.integers(0, 256, (20, 24, 3), dtype=np.uint8))
    gray = cv2.imread(str(tmp_path / "img1.jpg"), cv2.IMREAD_GRAYSCALE)
    assert gray.shape == (20, 24) and gray.dtype == np.uint8
    for k in KERNELS.values():
        by_opencv = cv2.filter2D(gray.astype(np.float64), -1, k)
        np.testing.assert_allclose(apply_kernel(gray, k), by_opencv, atol=1e-9)


@pytest.mark.parametrize("name", HANDOUT_ORDER)
@pytest.mark.parametrize("border", BORDERS)
def test_correlation_and_convolution_match_scipy(name, border):
    k = KERNELS[name]
    mode = SCIPY_MODE[border]
    np.testing.assert_allclose(apply_kernel(IMAGE, k, border=border), ndi.correlate(IMAGE, k, mode=mode), atol=1e-12)
    np.testing.assert_allclose(
        apply_kernel(IMAGE, k, border=border, flip=True), ndi.convolve(IMAGE, k, mode=mode), atol=1e-12
    )


@pytest.mark.parametrize("name", HANDOUT_ORDER)
def test_valid_and_zero_padding_match_scipy_signal_and_torch(name):
    k = KERNELS[name]
    np.testing.assert_allclose(
        apply_kernel(IMAGE, k, border=None), scipy.signal.correlate2d(IMAGE, k, mode="valid"), atol=1e-12
    )
    torch_out = F.conv2d(torch.from_numpy(IMAGE)[None, None], torch.from_numpy(k)[None, None], padding=1)
    np.testing.assert_allclose(apply_kernel(IMAGE, k, border="zero"), torch_out[0, 0].numpy(), atol=1e-12)


def test_kernels_are_the_named_scipy_operators():
    """kernel2 is 9·(identity − box mean); scipy's Sobel filters are built from 1-D passes."""
    for border in BORDERS:
        mode = SCIPY_MODE[border]
        np.testing.assert_allclose(
            apply_kernel(IMAGE, LAPLACIAN, border=border), 9 * (IMAGE - ndi.uniform_filter(IMAGE, 3, mode=mode)),
            atol=1e-12,
        )
        np.testing.assert_allclose(apply_kernel(IMAGE, SOBEL_Y, border=border), ndi.sobel(IMAGE, 0, mode=mode), atol=1e-12)
        np.testing.assert_allclose(apply_kernel(IMAGE, SOBEL_X, border=border), ndi.sobel(IMAGE, 1, mode=mode), atol=1e-12)
        np.testing.assert_allclose(
            apply_kernel(IMAGE, BOX_BLUR, border=border), ndi.uniform_filter(IMAGE, 3, mode=mode), atol=1e-12
        )


def test_sums_blur_one_edge_detectors_zero():
    sums = kernel_sums()
    assert sums["box_blur"] == pytest.approx(1.0)
    assert all(sums[name] == 0.0 for name in ("laplacian", "sobel_y", "sobel_x"))
    flat = np.full((6, 7), 0.4)
    for border in (*(b for b in BORDERS if b != "zero"), None):  # every rule but zero padding keeps it constant
        np.testing.assert_allclose(apply_kernel(flat, BOX_BLUR, border=border), 0.4)
        for name in ("laplacian", "sobel_y", "sobel_x"):
            np.testing.assert_allclose(apply_kernel(flat, KERNELS[name], border=border), 0.0, atol=1e-15)


def test_sobel_x_sees_vertical_edges_only_and_sobel_y_horizontal_only():
    vertical = _vertical_edge()
    horizontal = vertical.T.copy()
    gx_v = apply_kernel(vertical, SOBEL_X, border=None)
    gy_v = apply_kernel(vertical, SOBEL_Y, border=None)
    np.testing.assert_array_equal(gy_v, 0.0)  # no change down the rows
    # response 4 (= 1 + 2 + 1) exactly in the two output columns whose window straddles the edge
    responding = np.flatnonzero(np.abs(gx_v).max(axis=0))
    np.testing.assert_array_equal(responding, [4, 5])  # valid-mode columns of image columns 5 and 6
    np.testing.assert_allclose(gx_v[:, responding], 4.0)
    # transposed image, transposed roles
    np.testing.assert_array_equal(apply_kernel(horizontal, SOBEL_X, border=None), 0.0)
    np.testing.assert_allclose(apply_kernel(horizontal, SOBEL_Y, border=None), gx_v.T)
    # a true convolution flips the sign of the antisymmetric Sobel response, not of the symmetric ones
    np.testing.assert_allclose(apply_kernel(vertical, SOBEL_X, border=None, flip=True), -gx_v)
    np.testing.assert_allclose(apply_kernel(IMAGE, LAPLACIAN, flip=True), apply_kernel(IMAGE, LAPLACIAN))


def test_laplacian_is_zero_on_ramps_and_marks_edges_in_every_direction():
    ramp = np.add.outer(np.arange(8.0), 2 * np.arange(9.0))  # linear in x and y
    np.testing.assert_allclose(apply_kernel(ramp, LAPLACIAN, border=None), 0.0, atol=1e-12)
    lap = apply_kernel(_vertical_edge(), LAPLACIAN, border=None)
    np.testing.assert_array_equal(np.flatnonzero(np.abs(lap).max(axis=0)), [4, 5])
    np.testing.assert_allclose(lap[:, 4], -3.0)  # dark side: three bright neighbours, 8·0 − 3
    np.testing.assert_allclose(lap[:, 5], 3.0)  # bright side: 8·1 − five bright neighbours
    # a single bright diagonal pixel line: the 8-neighbour kernel sees it where the 4-neighbour
    # one's diagonal taps are zero
    diagonal = np.eye(7)
    lap = apply_kernel(diagonal, LAPLACIAN, border=None)
    np.testing.assert_allclose(np.diag(lap), 8 - 2)  # on the line: two diagonal neighbours are bright
    four_neighbour = np.array([[0.0, 1, 0], [1, -4, 1], [0, 1, 0]])
    np.testing.assert_allclose(np.diag(apply_kernel(diagonal, four_neighbour, border=None)), -4)
    assert not np.allclose(lap, -apply_kernel(diagonal, four_neighbour, border=None))


def test_colour_images_are_filtered_per_channel_and_bad_shapes_rejected():
    rgb = np.random.default_rng(1).uniform(size=(6, 7, 3))
    out = apply_kernel(rgb, SOBEL_X)
    assert out.shape == rgb.shape
    np.testing.assert_allclose(out, cv2.filter2D(rgb, cv2.CV_64F, SOBEL_X), atol=1e-12)  # OpenCV filters per channel
    with pytest.raises(ValueError):
        apply_kernel(rgb[None], BOX_BLUR)
    with pytest.raises(ValueError):
        apply_kernel(IMAGE, np.ones((2, 2)))

