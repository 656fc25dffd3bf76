"""Closed-form parameter counts (pure Python) against the built PyTorch models."""

import pytest
import torch
from torch import nn

from reference.hw4.q5_models import LightweightVGG, count_parameters, vgg16_transfer
from reference.hw4.q5_parameter_counts import (
    ParameterSplit,
    lightweight_vgg_layers,
    lightweight_vgg_parameter_count,
    vgg16_conv_parameter_count,
    vgg16_parameter_count,
    vgg16_transfer_parameter_split,
)


def numel(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("n_classes", [8, 2])
def test_lightweight_vgg_count_matches_torch(n_classes: int):
    model = LightweightVGG(n_classes)
    assert lightweight_vgg_parameter_count(n_classes) == numel(model)
    assert count_parameters(model) == (numel(model), 0)


def test_lightweight_vgg_layer_table_matches_torch_shapes_and_counts():
    """Every row of the seed's table: output shape and parameters of the matching torch layer."""
    model = LightweightVGG(8)
    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.MaxPool2d, nn.Flatten, nn.Linear))]
    # the model reuses one pooling module after each block: record outputs in call order
    outputs: list[tuple[nn.Module, tuple[int, ...]]] = []
    hooks = [m.register_forward_hook(lambda m, i, o: outputs.append((m, tuple(o.shape[1:])))) for m in set(layers)]
    with torch.no_grad():
        model(torch.zeros(1, 3, 128, 128))
    for hook in hooks:
        hook.remove()
    rows = lightweight_vgg_layers(8)
    assert len(rows) == len(outputs) == 19  # 10 conv, 5 pool, flatten, 3 dense
    for row, (module, shape) in zip(rows, outputs):
        torch_shape = (shape[1], shape[2], shape[0]) if len(shape) == 3 else shape  # CHW -> HWC
        assert row.output_shape == torch_shape
        assert row.parameters == sum(p.numel() for p in module.parameters())
    assert rows[-5].output_shape == (4, 4, 128)  # the seed's last "MaxPool 4 × 4 × 128"
    assert rows[-4].output_shape == (2048,)  # the seed's "Flatten 2048"
    assert rows[-1].output_shape == (8,)


def test_vgg16_imagenet_count_matches_torchvision_and_the_seed():
    from torchvision.models import vgg16

    model = vgg16(weights=None)
    assert numel(model) == vgg16_parameter_count() == 138_357_544  # hw5 seed's VGG16 table
    assert numel(model.features) == vgg16_conv_parameter_count()


def test_vgg16_transfer_counts():
    model = vgg16_transfer(8, pretrained=False)
    trainable, frozen = count_parameters(model)
    expected = vgg16_transfer_parameter_split(8)
    assert ParameterSplit(trainable, frozen) == expected
    assert expected.total == numel(model) == 138_357_544 - 4096 * 1000 - 1000 + 4096 * 8 + 8
    assert all(not p.requires_grad for p in model.vgg.features.parameters())
    assert model.vgg.classifier[-1].out_features == 8
    with torch.no_grad():
        logits = model.eval()(torch.rand(1, 3, 128, 128))  # 128×128 input works through adaptive pooling
    assert logits.shape == (1, 8)
    # the lightweight model is about 36× smaller (the comparison the homework asks for)
    assert expected.total / lightweight_vgg_parameter_count(8) > 35


def test_pretrained_flag_requests_imagenet_weights(monkeypatch: pytest.MonkeyPatch):
    """pretrained=True asks torchvision for IMAGENET1K_V1 (a stand-in model: no download)."""
    import torchvision.models
    from torchvision.models import VGG16_Weights

    requested = []

    class StandIn(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 2, 3))
            self.classifier = nn.Sequential(nn.Linear(4, 5))

    def fake_vgg16(weights=None):
        requested.append(weights)
        return StandIn()

    monkeypatch.setattr(torchvision.models, "vgg16", fake_vgg16)
    model = vgg16_transfer(3, pretrained=True)
    model_without = vgg16_transfer(3, pretrained=False)
    assert requested == [VGG16_Weights.IMAGENET1K_V1, None]
    assert model.vgg.classifier[-1].out_features == 3
    assert count_parameters(model_without) == (4 * 3 + 3, 3 * 2 * 9 + 2)
