"""hw9.q2 — the handout's four 3×3 kernels, and filtering an image with every standard border, in NumPy.

Axes: rows are y (downwards), columns are x (rightwards). The kernels, in the handout's order:

  kernel1  box blur: every weight 1/9, each pixel becomes the mean of its 3×3 neighbourhood
           (weights sum to 1, so flat regions keep their brightness);
  kernel2  [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]] = 9·(centre − mean of the 3×3 neighbourhood):
           the 8-neighbour Laplacian with the sign that makes a bright pixel on a dark
           surround positive (−∇² up to scale). Zero on flat regions and linear ramps, large
           where the intensity changes rapidly, in every direction, diagonals included — an
           edge detector (weights sum to 0);
  kernel3  Sobel-y: ∂/∂y ([−1, 0, 1] down the rows) smoothed by [1, 2, 1] along x; responds to
           intensity changes from one row to the next, i.e. *horizontal* edges;
  kernel4  Sobel-x: its transpose, ∂/∂x smoothed along y: *vertical* edges.

Correlation vs convolution. CNN layers and OpenCV's `cv2.filter2D` compute a cross-correlation,
out[i, j] = Σ_uv K[u, v] · img[i + u − r, j + v − r] (r = half the kernel side), with the kernel
as written; a true convolution flips the kernel first. The blur and the Laplacian are symmetric,
so the two agree; the Sobel kernels are antisymmetric and change sign. `flip=True` convolves.

Borders. Near the border the window leaves the image, and every library fills it its own way:
OpenCV's default (BORDER_REFLECT_101) mirrors without repeating the edge pixel (d c b | a b c d),
BORDER_REFLECT mirrors with it (c b a | a b c d), zero padding (torch, BORDER_CONSTANT), edge
replication (BORDER_REPLICATE) or wrapping around (scipy's "wrap"); or the output keeps only the
positions where the kernel fits ("valid", (H − k + 1) × (W − k + 1)). The handout fixes none, so
a student's result is graded against all of them (`standard_filterings`; the comparison is the
checks' own, `filtering_check` in assignments/hw9/tests/conftest.py).
"""

from typing import Literal

import numpy as np

BOX_BLUR = np.full((3, 3), 1.0 / 9.0)
LAPLACIAN = np.array([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]])  # the handout's kernel2
SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])  # horizontal edges
SOBEL_X = SOBEL_Y.T.copy()  # vertical edges

KERNELS: dict[str, np.ndarray] = {
    "box_blur": BOX_BLUR,
    "laplacian": LAPLACIAN,
    "sobel_y": SOBEL_Y,
    "sobel_x": SOBEL_X,
}
HANDOUT_ORDER = ("box_blur", "laplacian", "sobel_y", "sobel_x")  # the handout's kernel1..kernel4, left to right

Border = Literal["reflect_101", "zero", "reflect", "replicate", "wrap"]
BORDERS: tuple[Border, ...] = ("reflect_101", "zero", "reflect", "replicate", "wrap")
NUMPY_PAD_MODE: dict[str, str] = {  # the same border rules in np.pad's words
    "reflect_101": "reflect",
    "zero": "constant",
    "reflect": "symmetric",
    "replicate": "edge",
    "wrap": "wrap",
}
VALID = "valid"  # no border: only the positions where the kernel fits inside the image


def _correlate2d(image: np.ndarray, kernel: np.ndarray, border: Border | None) -> np.ndarray:
    kh, kw = kernel.shape
    if border is not None:  # pad so that the output keeps H × W
        image = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=NUMPY_PAD_MODE[border])
    h, w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((h, w))
    for u in range(kh):  # a sum of shifted, weighted copies of the image: one per kernel tap
        for v in range(kw):
            out += kernel[u, v] * image[u : u + h, v : v + w]
    return out


def apply_kernel(
    image: np.ndarray, kernel: np.ndarray, *, border: Border | None = "reflect_101", flip: bool = False
) -> np.ndarray:
    """Filter a [H, W] or [H, W, C] image with an odd-sized 2-D kernel (each channel on its own).

    Cross-correlation by default, as cv2.filter2D and CNN layers compute it; flip=True rotates
    the kernel by 180° first (the mathematical convolution). `border` fills the pixels outside
    the image (OpenCV's default reflect-101 unless told); None keeps only the "valid" positions.
    """
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError(f"kernel sides must be odd to have a centre, got {kernel.shape}")
    k = kernel[::-1, ::-1] if flip else kernel
    x = np.asarray(image, dtype=np.float64)
    if x.ndim == 2:
        return _correlate2d(x, k, border)
    if x.ndim == 3:
        return np.stack([_correlate2d(x[..., c], k, border) for c in range(x.shape[-1])], axis=-1)
    raise ValueError(f"expected [H, W] or [H, W, C], got shape {x.shape}")


def standard_filterings(image: np.ndarray, kernel: np.ndarray) -> dict[str, np.ndarray]:
    """Every standard answer of filtering image with kernel: one per border rule, and "valid"."""
    answers = {border: apply_kernel(image, kernel, border=border) for border in BORDERS}
    answers[VALID] = apply_kernel(image, kernel, border=None)
    return answers


def kernel_sums() -> dict[str, float]:
    """Σ weights of each kernel: 1 for the blur (brightness kept), 0 for the edge detectors."""
    return {name: float(k.sum()) for name, k in KERNELS.items()}
