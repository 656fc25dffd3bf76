"""hw9.q2: the four kernels vs scipy.ndimage / scipy.signal / torch, and their edge properties."""

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
import torch
import torch.nn.functional as F

from reference.hw9.q2_kernels import (
    BOX_BLUR,
    KERNELS,
    LAPLACIAN,
    SEED_ORDER,
    SOBEL_X,
    SOBEL_Y,
    apply_kernel,
    kernel_sums,
)

IMAGE = np.random.default_rng(0).uniform(0, 1, (9, 12))


def _vertical_edge(h: int = 10, w: int = 12) -> np.ndarray:
    """Dark left half, bright right half: one vertical edge between columns w/2 − 1 and w/2."""
    img = np.zeros((h, w))
    img[:, w // 2 :] = 1.0
    return img


@pytest.mark.parametrize("name", SEED_ORDER)
def test_correlation_and_convolution_match_scipy_and_torch(name):
    k = KERNELS[name]
    np.testing.assert_allclose(apply_kernel(IMAGE, k), ndi.correlate(IMAGE, k, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(apply_kernel(IMAGE, k, flip=True), ndi.convolve(IMAGE, k, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(
        apply_kernel(IMAGE, k, padding="valid"), scipy.signal.correlate2d(IMAGE, k, mode="valid"), atol=1e-12
    )
    torch_out = F.conv2d(torch.from_numpy(IMAGE)[None, None], torch.from_numpy(k)[None, None], padding=1)
    np.testing.assert_allclose(apply_kernel(IMAGE, k), torch_out[0, 0].numpy(), atol=1e-12)


def test_kernels_are_the_named_scipy_operators():
    """scipy's own Laplacian and Sobel filters (built from 1-D difference/smoothing passes)."""
    np.testing.assert_allclose(apply_kernel(IMAGE, LAPLACIAN), ndi.laplace(IMAGE, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(apply_kernel(IMAGE, SOBEL_Y), ndi.sobel(IMAGE, axis=0, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(apply_kernel(IMAGE, SOBEL_X), ndi.sobel(IMAGE, axis=1, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(apply_kernel(IMAGE, BOX_BLUR), ndi.uniform_filter(IMAGE, 3, mode="constant"), atol=1e-12)


def test_sums_blur_one_edge_detectors_zero():
    sums = kernel_sums()
    assert sums["box_blur"] == pytest.approx(1.0)
    assert all(sums[name] == 0.0 for name in ("laplacian", "sobel_y", "sobel_x"))
    flat = np.full((6, 7), 0.4)
    np.testing.assert_allclose(apply_kernel(flat, BOX_BLUR, padding="valid"), 0.4)
    for name in ("laplacian", "sobel_y", "sobel_x"):
        np.testing.assert_allclose(apply_kernel(flat, KERNELS[name], padding="valid"), 0.0, atol=1e-15)


def test_sobel_x_sees_vertical_edges_only_and_sobel_y_horizontal_only():
    vertical = _vertical_edge()
    horizontal = vertical.T.copy()
    gx_v = apply_kernel(vertical, SOBEL_X, padding="valid")
    gy_v = apply_kernel(vertical, SOBEL_Y, padding="valid")
    np.testing.assert_array_equal(gy_v, 0.0)  # no change down the rows
    # response 4 (= 1 + 2 + 1) exactly in the two output columns whose window straddles the edge
    responding = np.flatnonzero(np.abs(gx_v).max(axis=0))
    np.testing.assert_array_equal(responding, [4, 5])  # valid-mode columns of image columns 5 and 6
    np.testing.assert_allclose(gx_v[:, responding], 4.0)
    # transposed image, transposed roles
    np.testing.assert_array_equal(apply_kernel(horizontal, SOBEL_X, padding="valid"), 0.0)
    np.testing.assert_allclose(apply_kernel(horizontal, SOBEL_Y, padding="valid"), gx_v.T)
    # a true convolution flips the sign of the antisymmetric Sobel response, not of the symmetric ones
    np.testing.assert_allclose(apply_kernel(vertical, SOBEL_X, padding="valid", flip=True), -gx_v)
    np.testing.assert_allclose(apply_kernel(IMAGE, LAPLACIAN, flip=True), apply_kernel(IMAGE, LAPLACIAN))


def test_laplacian_is_zero_on_ramps_and_marks_the_edge():
    ramp = np.add.outer(np.arange(8.0), 2 * np.arange(9.0))  # linear in x and y
    np.testing.assert_allclose(apply_kernel(ramp, LAPLACIAN, padding="valid"), 0.0, atol=1e-12)
    lap = apply_kernel(_vertical_edge(), LAPLACIAN, padding="valid")
    np.testing.assert_array_equal(np.flatnonzero(np.abs(lap).max(axis=0)), [4, 5])
    np.testing.assert_allclose(lap[:, 4], 1.0)  # dark side of the edge: below its neighbours' mean
    np.testing.assert_allclose(lap[:, 5], -1.0)


def test_colour_images_are_filtered_per_channel_and_bad_shapes_rejected():
    rgb = np.random.default_rng(1).uniform(size=(6, 7, 3))
    out = apply_kernel(rgb, SOBEL_X)
    assert out.shape == rgb.shape
    np.testing.assert_allclose(out[..., 2], ndi.correlate(rgb[..., 2], SOBEL_X, mode="constant"), atol=1e-12)
    with pytest.raises(ValueError):
        apply_kernel(rgb[None], BOX_BLUR)
    with pytest.raises(ValueError):
        apply_kernel(IMAGE, np.ones((2, 2)))
