"""Grad-CAM: equal to the original CAM where that is known in closed form, plus shape/range."""

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from reference.hw4.q5_cam import (
    cam_is_normalised,
    grad_cam,
    normalise_cam,
    select_cam_samples,
)
from reference.hw4.q5_models import LightweightVGG


class GapNet(nn.Module):
    """Zhou et al.'s CAM network: conv features -> global average pooling -> one dense layer.
    For it, Grad-CAM of class c equals ReLU(Σ_k w_ck A_k) up to the positive factor 1/(H·W)."""

    def __init__(self, stride: int):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 6, 3, stride=stride, padding=1), nn.ReLU())
        self.head = nn.Linear(6, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(2, 3)))


def original_cam(model: GapNet, image: np.ndarray, c: int) -> np.ndarray:
    """Σ_k w_ck A_k with ReLU, from the activations and dense weights directly (no gradients)."""
    with torch.no_grad():
        activations = model.features(torch.from_numpy(image).permute(2, 0, 1)[None])[0].numpy()
    return np.maximum(np.einsum("k,kij->ij", model.head.weight[c].detach().numpy(), activations), 0)


@pytest.fixture
def images() -> np.ndarray:
    return np.random.default_rng(0).random((3, 12, 12, 3), dtype=np.float32)


def test_grad_cam_equals_original_cam_on_a_gap_network(images):
    torch.manual_seed(0)
    model = GapNet(stride=1)  # activations at input resolution: no upsampling involved
    classes = np.array([0, 3, 1])
    cams = grad_cam(model, model.features, images, classes)
    for image, c, cam in zip(images, classes, cams):
        np.testing.assert_allclose(cam, normalise_cam(original_cam(model, image, c)), atol=1e-5)


def test_upsampling_is_bilinear_like_pil(images):
    torch.manual_seed(1)
    model = GapNet(stride=2)  # 6×6 maps upsampled to 12×12
    cams = grad_cam(model, model.features, images, np.array([2, 2, 2]))
    for image, cam in zip(images, cams):
        small = original_cam(model, image, 2).astype(np.float32)
        upsampled = np.asarray(Image.fromarray(small).resize((12, 12), Image.Resampling.BILINEAR))
        np.testing.assert_allclose(cam, normalise_cam(upsampled), atol=1e-5)


def test_default_class_is_the_prediction(images):
    torch.manual_seed(2)
    model = GapNet(stride=1)
    with torch.no_grad():
        predicted = model(torch.from_numpy(images).permute(0, 3, 1, 2)).argmax(1).numpy()
    explained_default = grad_cam(model, model.features, images)
    np.testing.assert_allclose(explained_default, grad_cam(model, model.features, images, predicted))


def test_lightweight_vgg_maps_are_normalised_and_the_model_is_left_as_found():
    torch.manual_seed(3)
    model = LightweightVGG(8, dropout=0.5).train()
    model.blocks[:3].requires_grad_(False)  # frozen early layers must not stop the gradient
    images = np.random.default_rng(4).random((2, 128, 128, 3), dtype=np.float32)
    cams = grad_cam(model, model.blocks[-1], images, np.array([0, 5]))
    assert cams.shape == (2, 128, 128) and cams.dtype == np.float32
    assert all(cam_is_normalised(cam, (128, 128)) for cam in cams)
    np.testing.assert_allclose(cams.max(axis=(1, 2)), 1.0)  # some evidence somewhere, scaled to 1
    assert model.training  # mode restored
    assert all(p.grad is None for p in model.parameters())  # no gradients left behind


def test_cam_is_normalised():
    ramp = np.linspace(0, 1, 16, dtype=np.float32).reshape(4, 4)
    assert cam_is_normalised(ramp, (4, 4))
    assert cam_is_normalised(0.2 + 0.8 * ramp)  # divided by its max only: accepted
    assert cam_is_normalised(np.zeros((4, 4)))  # no evidence anywhere
    assert not cam_is_normalised(ramp, (8, 8))  # wrong size
    assert not cam_is_normalised(2 * ramp)  # above 1
    assert not cam_is_normalised(ramp - 0.5)  # negative
    assert not cam_is_normalised(0.5 * ramp)  # not scaled up to 1
    assert not cam_is_normalised(np.full((4, 4), np.nan))
    assert not cam_is_normalised(ramp[None])  # not 2-D
    assert cam_is_normalised(normalise_cam(np.random.default_rng(5).normal(size=(7, 5))))


def test_select_cam_samples():
    y_true = np.array([0, 0, 0, 1, 1, 0, 2, 0])
    y_pred = np.array([0, 1, 0, 1, 0, 2, 2, 0])
    picked = select_cam_samples(y_true, y_pred, 3)
    np.testing.assert_array_equal(picked[0].correct, [0, 2])
    np.testing.assert_array_equal(picked[0].misclassified, [1, 5])
    np.testing.assert_array_equal(picked[1].misclassified, [4])
    assert len(picked[2].misclassified) == 0
