"""hw4.q5 (4) — class activation maps: Grad-CAM (Selvaraju et al. 2017) for the lightweight VGG.

For a class c and a convolutional layer with activation maps A_k (k = channel):
    α_k = mean over (i, j) of ∂y_c / ∂A_k(i, j)         (how much channel k matters to c)
    L_c = ReLU( Σ_k α_k A_k )                            (where the evidence for c lies)
then L_c is upsampled bilinearly to the input size and scaled to [0, 1].

When the layer is followed by global average pooling and one dense layer (the original CAM
network of Zhou et al. 2016), ∂y_c/∂A_k(i, j) = w_ck / (H·W), so Grad-CAM is the original
CAM Σ_k w_ck A_k up to a positive factor — Grad-CAM is its generalisation to any head, such as
the lightweight VGG's three dense layers. For the lightweight VGG the layer is model.blocks[-1]
(8×8×128 at 128×128 input).

The map checks and the sample selection are NumPy (the grader uses them); grad_cam imports
torch when called.
"""

from dataclasses import dataclass

import numpy as np


def normalise_cam(cam: np.ndarray) -> np.ndarray:
    """Min–max scale one map to [0, 1]; a constant map (no evidence anywhere) becomes all zeros."""
    low, high = float(cam.min()), float(cam.max())
    if high - low <= 1e-12 * max(1.0, abs(high)):
        return np.zeros_like(cam, dtype=np.float32)
    return ((cam - low) / (high - low)).astype(np.float32)


def cam_is_normalised(cam: np.ndarray, shape: tuple[int, int] | None = None, atol: float = 1e-4) -> bool:
    """A 2-D finite map (of the given H×W) with values in [0, 1] and maximum 1, or all zeros.

    The minimum need not be 0: dividing a ReLU'd map by its maximum is also accepted.
    """
    cam = np.asarray(cam, dtype=np.float64)
    if cam.ndim != 2 or (shape is not None and cam.shape != tuple(shape)) or not np.isfinite(cam).all():
        return False
    if cam.min() < -atol or cam.max() > 1 + atol:
        return False
    return bool(abs(cam.max() - 1) <= atol or np.all(np.abs(cam) <= atol))


def grad_cam(model, layer, images: np.ndarray, classes: np.ndarray | None = None, device=None) -> np.ndarray:
    """Grad-CAM maps float32 [N, H, W] in [0, 1] for images float32 [N, H, W, 3].

    model: a torch.nn.Module returning class scores (logits); layer: the module whose output
    activations are explained (model.blocks[-1] for LightweightVGG); classes: the class per image
    to explain (default: the predicted one). The model runs in eval mode (no dropout) and its
    mode is restored afterwards.
    """
    import torch
    import torch.nn.functional as F

    device = device or next(model.parameters()).device
    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32)).permute(0, 3, 1, 2).to(device)
    captured = {}

    def keep_activations(_module, _inputs, output):
        # Detached and re-attached as a leaf so gradients reach it even when everything before
        # it is frozen (VGG16 transfer); the forward pass continues from this tensor.
        captured["A"] = output.detach().requires_grad_(True)
        return captured["A"]

    was_training = model.training
    model.eval()
    handle = layer.register_forward_hook(keep_activations)
    try:
        with torch.enable_grad():
            scores = model(x)
            chosen = scores.argmax(1) if classes is None else torch.as_tensor(classes, device=device)
            # each image's score depends only on its own activations, so one backward pass of
            # the sum gives every image's gradient
            (gradients,) = torch.autograd.grad(scores.gather(1, chosen.view(-1, 1)).sum(), captured["A"])
    finally:
        handle.remove()
        model.train(was_training)
    activations = captured["A"].detach()
    weights = gradients.mean(dim=(2, 3), keepdim=True)  # α_k per image
    cams = F.relu((weights * activations).sum(dim=1, keepdim=True))
    cams = F.interpolate(cams, size=x.shape[2:], mode="bilinear", align_corners=False)[:, 0]
    return np.stack([normalise_cam(cam) for cam in cams.cpu().numpy()])


@dataclass(frozen=True)
class CamSamples:
    correct: np.ndarray  # indices of correctly classified images of the class
    misclassified: np.ndarray  # indices of images of the class predicted as another class


def select_cam_samples(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int, per_kind: int = 2
) -> dict[int, CamSamples]:
    """For every true class, the first per_kind correct and per_kind misclassified images
    (fewer where a class has fewer): the homework's "2 wrong and 2 right per class"."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return {
        k: CamSamples(
            correct=np.flatnonzero((y_true == k) & (y_pred == k))[:per_kind],
            misclassified=np.flatnonzero((y_true == k) & (y_pred != k))[:per_kind],
        )
        for k in range(n_classes)
    }
