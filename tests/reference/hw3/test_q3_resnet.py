"""hw3.q3 reference: ResNet9 size and structure vs torch, one-cycle recipe, smoke on intel-tiny."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from graders.data.bundled import ensure_dataset
from graders.data.image_folder import load_image_folder
from reference.hw3.q3_parameter_count import (
    conv_block_parameters,
    resnet9_parameter_count,
)
from reference.hw3.q3_resnet import INTEL_CLASSES, ResNet9, final_map_size
from reference.hw3.q3_training import OneCycleConfig, fit_one_cycle, predict


def _numel(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_parameter_count_matches_torch() -> None:
    assert resnet9_parameter_count() == _numel(ResNet9()) == 6_573_318
    assert resnet9_parameter_count(10) == _numel(ResNet9(n_classes=10))
    for width in (8, 16, 32):  # narrower versions, for small data on a CPU
        assert resnet9_parameter_count(6, width) == _numel(ResNet9(width=width))
    # the pools carry no parameters: the count is the same for every input size
    assert _numel(ResNet9(input_size=32)) == _numel(ResNet9(input_size=150))
    block = nn.Sequential(nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128))
    assert conv_block_parameters(64, 128) == _numel(block)


def test_block_structure_of_the_seed() -> None:
    model = ResNet9(input_size=32)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [
        (3, 64), (64, 128), (128, 128), (128, 128), (128, 256), (256, 512), (512, 512), (512, 512),
    ]
    assert all(c.kernel_size == (3, 3) and c.padding == (1, 1) for c in convs)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in model.modules()) == 8
    assert [m.out_features for m in model.modules() if isinstance(m, nn.Linear)] == [len(INTEL_CLASSES)]

    # shapes entering each stage; the residual stages keep their input's shape (needed for x + f(x))
    shapes = {}
    for name in ("prep", "layer1", "residual1", "layer2", "layer3", "residual2"):
        getattr(model, name).register_forward_hook(lambda m, i, o, name=name: shapes.__setitem__(name, (i[0].shape, o.shape)))
    model(torch.zeros(2, 3, 32, 32))
    assert shapes["layer1"][1] == (2, 128, 16, 16)
    assert shapes["residual1"][0] == shapes["residual1"][1] == (2, 128, 16, 16)
    assert shapes["layer3"][1] == (2, 512, 4, 4)
    assert shapes["residual2"][0] == shapes["residual2"][1] == (2, 512, 4, 4)


@pytest.mark.parametrize(("size", "kernel"), [(32, 4), (64, 8), (150, 18), (16, 2)])
def test_classifier_pool_makes_the_flatten_512(size: int, kernel: int) -> None:
    assert final_map_size(size) == kernel
    model = ResNet9(input_size=size).eval()
    features = {}
    model.classifier[1].register_forward_hook(lambda m, i, o: features.__setitem__("flat", o.shape))
    out = model(torch.zeros(1, 3, size, size))
    assert features["flat"] == (1, 512) and out.shape == (1, 6)


def test_forward_adds_identity_skips_around_both_residual_stages() -> None:
    """Zero the last BatchNorm of a residual branch: the branch then outputs ReLU(0) = 0, so the
    network must equal the same layers composed with that stage replaced by the identity."""
    x = torch.randn(2, 3, 16, 16)
    for silenced in ("residual1", "residual2"):
        torch.manual_seed(0)
        model = ResNet9(input_size=16).eval()
        with torch.no_grad():
            last_norm = getattr(model, silenced)[1][1]
            last_norm.weight.zero_()
            last_norm.bias.zero_()
            h = model.layer1(model.prep(x))
            if silenced == "residual2":
                h = h + model.residual1(h)
            h = model.layer3(model.layer2(h))
            if silenced == "residual1":
                h = h + model.residual2(h)
            torch.testing.assert_close(model(x), model.classifier(h))


def _one_cycle_rate(step: int, total: int, max_lr: float) -> float:
    """torch's OneCycleLR defaults written out: cosine up for 30 % of the steps, then cosine down."""
    initial, final = max_lr / 25.0, max_lr / 25.0 / 1e4
    peak_step = 0.3 * total - 1
    if step <= peak_step:
        start, end, pct = initial, max_lr, step / peak_step
    else:
        start, end, pct = max_lr, final, (step - peak_step) / (total - 1 - peak_step)
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1.0)


def _tiny_intel(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    root = ensure_dataset("intel-tiny")
    x_train, y_train, names = load_image_folder(root / "seg_train", (size, size))
    x_test, y_test, _ = load_image_folder(root / "seg_test", (size, size))
    assert tuple(names) == INTEL_CLASSES
    return x_train, y_train, x_test, y_test


def test_one_cycle_recipe_schedule_and_learning_with_a_small_cnn() -> None:
    """The recipe on intel-tiny (180 train / 60 test, resized 16×16) with a small CNN: fast."""
    x_train, y_train, x_test, y_test = _tiny_intel(16)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(32, 6),
    )
    config = OneCycleConfig(epochs=12, batch_size=32, max_lr=0.01)
    history = fit_one_cycle(model, x_train, y_train, x_test, y_test, config, torch.device("cpu"))
    rates = [lr for epoch in history for lr in epoch.learning_rates]
    steps_per_epoch = math.ceil(len(x_train) / config.batch_size)
    assert len(rates) == config.epochs * steps_per_epoch  # stepped once per mini-batch
    expected = [_one_cycle_rate(s, len(rates), config.max_lr) for s in range(len(rates))]
    np.testing.assert_allclose(rates, expected, rtol=1e-9)
    assert max(rates) == pytest.approx(config.max_lr, rel=1e-3)  # the peak falls between two steps
    accuracy = float(np.mean(predict(model, x_test, torch.device("cpu")) == y_test))
    assert accuracy == pytest.approx(history[-1].val_accuracy)
    assert accuracy > 0.5  # chance is 1/6


@pytest.mark.slow
def test_resnet9_smoke_on_intel_tiny_32x32() -> None:
    """The seed's network and recipe at smoke size: 32×32 inputs (classifier max-pool 4 → flatten
    512), 6 epochs instead of 18, on intel-tiny."""
    x_train, y_train, x_test, y_test = _tiny_intel(32)
    torch.manual_seed(0)
    model = ResNet9(input_size=32)
    history = fit_one_cycle(model, x_train, y_train, x_test, y_test,
                            OneCycleConfig(epochs=6, batch_size=32), torch.device("cpu"))
    assert history[-1].train_loss < history[0].train_loss
    assert history[-1].val_accuracy > 0.6  # chance is 1/6
