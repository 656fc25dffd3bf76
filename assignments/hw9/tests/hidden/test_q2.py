"""hw9.q2 hidden checks: random grey and colour images through the four kernels, and other
odd-sized kernels (asymmetric ones tell a correlation from a convolution); any standard border
rule is accepted, and the images are large enough to have an inside away from the border."""

import numpy as np
import pytest

from reference.hw9.q2_kernels import HANDOUT_ORDER, KERNELS, standard_filterings

pytestmark = pytest.mark.question("q2")


def random_image(rng: np.random.Generator) -> np.ndarray:
    shape = tuple(int(n) for n in rng.integers(7, 20, size=2))
    return rng.uniform(0, 1, shape + ((3,) if rng.random() < 0.5 else ()))


def test_four_kernels_on_hidden_images(kernel, helpers, apply_kernel_name):
    rng = np.random.default_rng(201)
    for _ in range(4):
        image = random_image(rng)
        for number, name in enumerate(HANDOUT_ORDER, start=1):
            got = np.asarray(kernel.call(apply_kernel_name, image, KERNELS[name]), dtype=float)
            check = helpers.filtering_check(got, standard_filterings(image, KERNELS[name]))
            assert check.passed, f"apply_kernel with kernel{number} on an image of shape {image.shape}: {check.problem()}"


def test_other_kernels_on_hidden_images(kernel, helpers, apply_kernel_name):
    rng = np.random.default_rng(202)
    for _ in range(6):
        image = random_image(rng)
        size = int(rng.choice([1, 3, 5]))
        matrix = rng.standard_normal((size, size))
        got = np.asarray(kernel.call(apply_kernel_name, image, matrix), dtype=float)
        check = helpers.filtering_check(got, standard_filterings(image, matrix))
        assert check.passed, f"apply_kernel with a random {size}x{size} kernel on an image of shape {image.shape}: {check.problem()}"
