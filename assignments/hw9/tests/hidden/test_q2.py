"""hw9.q2 hidden checks: random grey and colour images through the four kernels, and other
odd-sized kernels (asymmetric ones tell a correlation from a convolution)."""

import numpy as np
import pytest

from reference.hw9.q2_kernels import KERNELS, apply_kernel

pytestmark = pytest.mark.question("q2")


def random_image(rng: np.random.Generator) -> np.ndarray:
    shape = tuple(int(n) for n in rng.integers(3, 20, size=2))
    return rng.uniform(0, 1, shape + ((3,) if rng.random() < 0.5 else ()))


def test_four_kernels_on_hidden_images(kernel):
    rng = np.random.default_rng(201)
    for _ in range(4):
        image = random_image(rng)
        for name, matrix in KERNELS.items():
            got = np.asarray(kernel.call("apply_kernel", image, matrix), dtype=float)
            want = apply_kernel(image, matrix)
            assert got.shape == want.shape and np.allclose(got, want), (
                f"apply_kernel differs for the {name} kernel on an image of shape {image.shape} (got shape {got.shape})"
            )


def test_other_kernels_on_hidden_images(kernel):
    rng = np.random.default_rng(202)
    for _ in range(6):
        image = random_image(rng)
        size = int(rng.choice([1, 3, 5]))
        matrix = rng.standard_normal((size, size))
        got = np.asarray(kernel.call("apply_kernel", image, matrix), dtype=float)
        want = apply_kernel(image, matrix)
        assert got.shape == want.shape and np.allclose(got, want), (
            f"apply_kernel differs for a random {size}x{size} kernel on an image of shape {image.shape}"
        )
