"""hw5.q4: the closed-form VGG16 table vs the real Keras and torchvision models (weights=None)."""

import numpy as np
import pytest
import torch
import torchvision  # before TensorFlow: triton (pulled in by torchvision) segfaults when loaded after TF

from reference.hw5.q4_vgg16 import (
    LAYER_READINGS,
    VGG16_TOTAL_PARAMS,
    conv_feature_maps,
    conv_feature_shape,
    filter_grid,
    keras_layer_feature_shape,
    keras_vgg16_table,
    oihw_to_hwio,
    reading_of,
    torch_vgg16_table,
    total_params,
    unit_range,
)


@pytest.fixture(scope="module")
def torch_vgg16() -> torch.nn.Module:
    torch.manual_seed(0)
    return torchvision.models.vgg16(weights=None).eval()


@pytest.fixture(scope="module")
def keras_vgg16():
    import keras

    return keras.applications.VGG16(weights=None)


def test_closed_form_total_is_the_seeds_total_in_both_layouts():
    assert total_params(keras_vgg16_table()) == VGG16_TOTAL_PARAMS
    assert total_params(torch_vgg16_table()) == VGG16_TOTAL_PARAMS


def test_keras_model_matches_table_layer_by_layer(keras_vgg16):
    layers = [layer for layer in keras_vgg16.layers if type(layer).__name__ != "InputLayer"]
    table = keras_vgg16_table()
    assert [layer.name for layer in layers] == [row.name for row in table]
    for layer, row in zip(layers, table, strict=True):
        assert layer.count_params() == row.params, layer.name
        assert tuple(layer.output.shape[1:]) == row.output_shape, layer.name
        if row.weight_shape is not None:
            assert tuple(layer.kernel.shape) == row.weight_shape, layer.name
    assert keras_vgg16.count_params() == VGG16_TOTAL_PARAMS


def test_torch_model_matches_table_module_by_module(torch_vgg16):
    leaves = [(n, m) for n, m in torch_vgg16.named_modules() if not list(m.children())]
    table = torch_vgg16_table()
    assert [n for n, _ in leaves] == [row.name for row in table]
    for (name, module), row in zip(leaves, table, strict=True):
        assert sum(p.numel() for p in module.parameters()) == row.params, name
        if row.weight_shape is not None:
            assert tuple(module.weight.shape) == row.weight_shape, name
    assert sum(p.numel() for p in torch_vgg16.parameters()) == VGG16_TOTAL_PARAMS


def test_torch_output_shapes_match_table(torch_vgg16):
    """Shapes of every leaf for a 64×64 input, traced with forward hooks on a real forward pass
    (torch's adaptive average pool brings any input to 7×7 before the classifier)."""
    table = {row.name: row.output_shape for row in torch_vgg16_table((64, 64))}
    seen: dict[str, tuple[int, ...]] = {}
    hooks = [
        m.register_forward_hook(lambda _m, _i, out, name=n: seen.__setitem__(name, tuple(out.shape[1:])))
        for n, m in torch_vgg16.named_modules()
        if not list(m.children())
    ]
    with torch.no_grad():
        torch_vgg16(torch.zeros(1, 3, 64, 64))
    for h in hooks:
        h.remove()
    assert seen == table


@pytest.mark.parametrize("input_hw", [(32, 32), (64, 48), (75, 61)])
def test_feature_maps_of_conv_3_and_13_have_the_closed_form_shape(torch_vgg16, input_hw):
    images = torch.randn(2, 3, *input_hw)
    maps = conv_feature_maps(torch_vgg16.features, images, (3, 13))
    for conv_number in (3, 13):
        assert tuple(maps[conv_number].shape) == (2, *conv_feature_shape(conv_number, input_hw))
        assert (maps[conv_number] >= 0).all()  # post-ReLU, as Keras' conv layers output them


def test_feature_shape_agrees_with_keras_table_for_every_conv():
    convs = [row for row in keras_vgg16_table((96, 80)) if row.kind == "conv"]
    for number, row in enumerate(convs, start=1):
        c, h, w = conv_feature_shape(number, (96, 80))
        assert (h, w, c) == row.output_shape
    with pytest.raises(ValueError):
        conv_feature_shape(14, (224, 224))


def test_filter_grids_of_first_and_last_conv(torch_vgg16):
    first = oihw_to_hwio(torch_vgg16.features[0].weight.detach().numpy())
    last = oihw_to_hwio(torch_vgg16.features[28].weight.detach().numpy())
    assert first.shape == (3, 3, 3, 64) and last.shape == (3, 3, 512, 512)

    grid = filter_grid(first)  # 64 RGB tiles, 8×8 with 1-pixel gaps
    assert grid.shape == (8 * 4 - 1, 8 * 4 - 1, 3)
    assert grid.min() == 0.0 and grid.max() == 1.0
    # tile of filter 10 (row 1, column 2) is that filter min–max scaled with the layer's range (torch ops)
    w = torch_vgg16.features[0].weight.detach()[:64]
    expected = ((w[10] - w.min()) / (w.max() - w.min())).permute(1, 2, 0).numpy()
    np.testing.assert_allclose(grid[4:7, 8:11], expected, rtol=1e-6)

    grey = filter_grid(last, input_channel=5, max_filters=16, columns=4)
    assert grey.shape == (15, 15, 1)
    w5 = torch_vgg16.features[28].weight.detach()[:16, 5]
    np.testing.assert_allclose(grey[12:15, 12:15, 0], ((w5[15] - w5.min()) / (w5.max() - w5.min())).numpy(), rtol=1e-5)
    with pytest.raises(ValueError):
        filter_grid(last)  # 512 input channels cannot be shown as colour


def test_unit_range_of_a_constant_is_zero():
    np.testing.assert_array_equal(unit_range(np.full((2, 2), 3.0)), np.zeros((2, 2)))


@pytest.mark.parametrize("input_hw", [(224, 224), (64, 48), (75, 61)])
def test_keras_layers_3_and_13_are_block1_pool_and_block4_conv3(keras_vgg16, input_hw):
    import keras

    model = keras_vgg16 if input_hw == (224, 224) else keras.applications.VGG16(weights=None, input_shape=(*input_hw, 3))
    assert [model.layers[i].name for i in (3, 13)] == ["block1_pool", "block4_conv3"]
    for index in (3, 13):
        h, w, c = model.layers[index].output.shape[1:]
        assert keras_layer_feature_shape(index, input_hw) == (c, h, w)


def test_both_readings_are_recognised_and_a_mixed_one_is_not(torch_vgg16):
    sizes = [(224, 224), (64, 48), (75, 61)]
    conv_reading, keras_reading = LAYER_READINGS
    # shapes measured on torchvision's VGG16: conv outputs (ReLU after the conv) and pool outputs
    by_torch: dict[tuple[int, tuple[int, int]], tuple[int, ...]] = {}
    for input_hw in sizes:
        with torch.no_grad():
            features = [tuple(torch_vgg16.features[: i + 1](torch.zeros(1, 3, *input_hw)).shape[1:]) for i in (4, 5, 21, 28)]
        block1_pool, block2_conv1, block4_conv3, block5_conv3 = features
        by_torch |= {(3, input_hw, "conv"): block2_conv1, (13, input_hw, "conv"): block5_conv3,
                     (3, input_hw, "keras"): block1_pool, (13, input_hw, "keras"): block4_conv3}
    answers = {
        reading: {(layer, hw): shape for (layer, hw, kind), shape in by_torch.items() if kind == tag}
        for reading, tag in ((conv_reading, "conv"), (keras_reading, "keras"))
    }
    assert reading_of(answers[conv_reading]) == conv_reading
    assert reading_of(answers[keras_reading]) == keras_reading
    mixed = {**answers[conv_reading], (13, (224, 224)): answers[keras_reading][13, (224, 224)]}
    assert reading_of(mixed) is None
    relus_counted = {(3, hw): conv_feature_shape(2, hw) for hw in sizes} | {(13, hw): conv_feature_shape(7, hw) for hw in sizes}
    assert reading_of(relus_counted) is None
    assert reading_of({(3, (224, 224)): None, (13, (224, 224)): (512, 14, 14)}) is None
    assert reading_of({}) is None
