"""hw9.q2 — four classic 3×3 kernels and how they act on an image, in NumPy.

Axes: rows are y (downwards), columns are x (rightwards).

  box blur   every weight 1/9: each pixel becomes the mean of its 3×3 neighbourhood
             (weights sum to 1, so flat regions keep their brightness);
  Laplacian  the 4-neighbour discrete ∂²/∂x² + ∂²/∂y² (the sum of two [1, −2, 1] second
             differences): zero on flat regions and linear ramps, large where the intensity
             changes rapidly — an edge detector (weights sum to 0);
  Sobel-y    ∂/∂y ([−1, 0, 1] down the rows) smoothed by [1, 2, 1] along x: responds to
             intensity changes from one row to the next, i.e. *horizontal* edges;
  Sobel-x    its transpose, ∂/∂x smoothed along y: responds to *vertical* edges.
Derivative kernels sum to 0: a constant image gives no response.

Correlation vs convolution. Deep-learning "convolution" layers (and `apply_kernel` by default)
compute a cross-correlation, out[i, j] = Σ_uv K[u, v] · img[i + u − 1, j + v − 1], with the
kernel as written. A true convolution flips the kernel in both axes first. For the symmetric
blur and Laplacian kernels the two agree; for the antisymmetric Sobel kernels convolution flips
the sign of the response (a dark→bright edge gives a positive Sobel-x correlation and a
negative Sobel-x convolution). `flip=True` computes the true convolution.
"""

from typing import Literal

import numpy as np

BOX_BLUR = np.full((3, 3), 1.0 / 9.0)
LAPLACIAN = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])  # horizontal edges
SOBEL_X = SOBEL_Y.T.copy()  # vertical edges

KERNELS: dict[str, np.ndarray] = {
    "box_blur": BOX_BLUR,
    "laplacian": LAPLACIAN,
    "sobel_y": SOBEL_Y,
    "sobel_x": SOBEL_X,
}
SEED_ORDER = ("box_blur", "laplacian", "sobel_y", "sobel_x")  # the seed's kernel1..kernel4, left to right

Padding = Literal["same", "valid"]


def _correlate2d(image: np.ndarray, kernel: np.ndarray, padding: Padding) -> np.ndarray:
    kh, kw = kernel.shape
    if padding == "same":  # zero padding that keeps H × W (torch conv2d with padding=k//2)
        image = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    h, w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((h, w))
    for u in range(kh):  # a sum of shifted, weighted copies of the image: one per kernel tap
        for v in range(kw):
            out += kernel[u, v] * image[u : u + h, v : v + w]
    return out


def apply_kernel(image: np.ndarray, kernel: np.ndarray, *, padding: Padding = "same", flip: bool = False) -> np.ndarray:
    """Filter a [H, W] or [H, W, C] image with a 2-D kernel (each channel on its own).

    Cross-correlation by default, as CNN layers compute it; flip=True rotates the kernel by 180°
    first, which is the mathematical convolution. padding "same" zero-pads to keep H × W;
    "valid" keeps only positions where the kernel fits inside the image.
    """
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError(f"kernel sides must be odd to have a centre, got {kernel.shape}")
    k = kernel[::-1, ::-1] if flip else kernel
    x = np.asarray(image, dtype=np.float64)
    if x.ndim == 2:
        return _correlate2d(x, k, padding)
    if x.ndim == 3:
        return np.stack([_correlate2d(x[..., c], k, padding) for c in range(x.shape[-1])], axis=-1)
    raise ValueError(f"expected [H, W] or [H, W, C], got shape {x.shape}")


def kernel_sums() -> dict[str, float]:
    """Σ weights of each kernel: 1 for the blur (brightness kept), 0 for the edge detectors."""
    return {name: float(k.sum()) for name, k in KERNELS.items()}
