"""hw9.q2 public checks: the labels of the four kernels, and a small image filtered with each."""

import numpy as np
import pytest

from reference.hw9.q2_kernels import KERNELS, SEED_ORDER, apply_kernel

pytestmark = pytest.mark.question("q2")

# What each reference kernel responds to, in the vocabulary of the question.
EFFECT = {"box_blur": "blur", "laplacian": "edges", "sobel_y": "horizontal_edges", "sobel_x": "vertical_edges"}
IMAGE = np.add.outer(np.arange(6.0), np.arange(8.0) ** 2) % 7  # 6x8, edges in both directions


@pytest.mark.points(1)
def test_kernel_labels(kernel):
    got = kernel.call("kernel_labels")
    assert isinstance(got, dict), f"kernel_labels() returned {type(got).__name__}; return a dict kernel1..kernel4 -> label"
    for number, name in enumerate(SEED_ORDER, start=1):
        key = f"kernel{number}"
        assert got.get(key) == EFFECT[name], f"kernel_labels()[{key!r}] is {got.get(key)!r}; that kernel is not a {got.get(key)!r} filter"


def test_filtered_images(kernel):
    for number, name in enumerate(SEED_ORDER, start=1):
        got = np.asarray(kernel.call("apply_kernel", IMAGE, KERNELS[name]), dtype=float)
        want = apply_kernel(IMAGE, KERNELS[name])
        assert got.shape == want.shape, f"apply_kernel on a 6x8 image with kernel{number} returned shape {got.shape}, expected {want.shape} (zero padding keeps the size)"
        assert np.allclose(got, want), (
            f"apply_kernel with kernel{number} is off by up to {np.max(np.abs(got - want)):.3g}; "
            "compute a cross-correlation (no kernel flip) with zero padding"
        )
