"""hw4.q5 public checks: the lightweight VGG's size, and the formats of predict_proba and grad_cam.

Images go into the kernel; the checks run here. Accuracy and AUC are measured by hidden tests.
"""

import numpy as np
import pytest

from graders.data.image_folder import load_image_folder

pytestmark = pytest.mark.question("q5")

N_CLASSES = 8
SIZE = (128, 128)


@pytest.fixture(scope="module")
def validation_images(dataset_dir) -> np.ndarray:
    """A few visible Validation images, two per class (float32 NHWC in [0, 1])."""
    images, labels, _ = load_image_folder(dataset_dir("affectnet") / "Validation", SIZE)
    chosen = np.concatenate([np.flatnonzero(labels == k)[:2] for k in range(N_CLASSES)])
    return images[chosen]


def is_normalised(cam: np.ndarray, atol: float = 1e-4) -> bool:
    """Finite, within [0, 1], with maximum 1 (or all zeros: no evidence anywhere)."""
    if not np.isfinite(cam).all() or cam.min() < -atol or cam.max() > 1 + atol:
        return False
    return bool(abs(cam.max() - 1) <= atol or np.all(np.abs(cam) <= atol))


def test_model_is_the_lightweight_vgg(kernel, expected):
    got = kernel.value("sum(p.numel() for p in model.parameters())")
    want = expected("q5.lightweight_vgg_parameters")
    assert got == want, (
        f"`model` has {got:,} parameters; the paper's lightweight VGG with 8 outputs has {want:,} "
        "(five blocks of two 3x3 convs 16/32/64/128/128 with 2x2 max-pooling, dense 2048->1024->1024->8)"
    )


def test_predict_proba_returns_probabilities(kernel, validation_images):
    got = np.asarray(kernel.call("predict_proba", validation_images), dtype=float)
    want_shape = (len(validation_images), N_CLASSES)
    assert got.shape == want_shape, f"predict_proba on {len(validation_images)} images returned shape {got.shape}, expected {want_shape}"
    assert np.all(np.isfinite(got)) and got.min() >= 0, "predict_proba returned negative or non-finite values; return softmax probabilities"
    assert np.allclose(got.sum(axis=1), 1, atol=1e-4), (
        f"rows of predict_proba sum to {got.sum(axis=1).round(4).tolist()}; each row must be a probability distribution (softmax)"
    )


def test_grad_cam_is_a_normalised_map(kernel, validation_images):
    image = validation_images[0]
    predicted = int(np.argmax(kernel.call("predict_proba", image[None])))
    cam = np.asarray(kernel.call("grad_cam", image, predicted), dtype=float)
    assert cam.shape == SIZE, f"grad_cam(image, {predicted}) returned shape {cam.shape}, expected {SIZE}"
    assert is_normalised(cam), (
        f"grad_cam values lie in [{np.nanmin(cam):.3g}, {np.nanmax(cam):.3g}]; scale the upsampled map to [0, 1] "
        "with maximum 1 (divide by its maximum, or min-max scale)"
    )
    assert cam.max() > cam.min(), "grad_cam returned a constant map for the predicted class of a validation image"
