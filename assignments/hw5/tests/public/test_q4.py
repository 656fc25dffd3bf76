"""hw5.q4 public checks: the VGG16 table at 224x224 with 1000 classes, the 138,357,544 parameters
of the notebook's torchvision VGG16, and the shapes of layers 3 and 13 at 224x224 (either
reading: conv layers 3 and 13, or Keras' model.layers[3] and [13], the same for both layers)."""

import pytest

pytestmark = pytest.mark.question("q4")

INPUT_HW = (224, 224)


def check_table(got, want: list, input_hw: tuple[int, int], num_classes: int) -> None:
    call = f"vgg16_table(input_hw={input_hw}, num_classes={num_classes})"
    assert isinstance(got, list) and len(got) == len(want), (
        f"{call} returned {len(got) if isinstance(got, list) else type(got).__name__} rows; Keras' VGG16 has "
        f"{len(want)} layers after the input (13 conv, 5 pool, flatten, 3 dense)"
    )
    for row, (want_name, want_shape, want_params) in zip(got, want):
        assert isinstance(row, list) and len(row) == 3, f"{call}: each row must be [name, output_shape, parameters], got {row!r}"
        name, shape, params = row
        assert name == want_name, f"{call}: row {name!r} where Keras has {want_name!r}"
        assert tuple(shape) == tuple(want_shape), f"{call}: {name} has output shape {tuple(shape)}, expected {tuple(want_shape)}"
        assert params == want_params, f"{call}: {name} has {params!r} parameters, expected {want_params:,}"


def test_vgg16_table_at_224(kernel, expected):
    check_table(kernel.call("vgg16_table"), expected("q4.vgg16_table_224"), INPUT_HW, 1000)


def test_vgg_has_138357544_parameters(kernel, expected):
    got = kernel.value("sum(p.numel() for p in vgg.parameters())")
    want = expected("q4.vgg_parameters")
    assert got == want, f"`vgg` has {got:,} parameters; torchvision's VGG16 has {want:,}"
    table_total = sum(row[2] for row in kernel.call("vgg16_table"))
    want = sum(params for _, _, params in expected("q4.vgg16_table_224"))
    assert table_total == want, f"the rows of vgg16_table() add up to {table_total:,}, expected {want:,}"


def test_feature_map_shapes_at_224(kernel, expected):
    readings = expected("q4.layer_readings_224")
    answers = {layer: kernel.call("feature_map_shape", layer, INPUT_HW) for layer in (3, 13)}
    followed = [r for r in readings if all(_same(answers[layer], r[f"layer{layer}"]) for layer in (3, 13))]
    assert followed, (
        f"feature_map_shape(3, {INPUT_HW}) returned {answers[3]} and feature_map_shape(13, {INPUT_HW}) "
        f"returned {answers[13]}; expected (C, H, W) of layers 3 and 13 read one way for both: "
        + " or ".join(f"{tuple(r['layer3'])} and {tuple(r['layer13'])} ({r['reading']})" for r in readings)
    )


def _same(got: object, want: list) -> bool:
    return isinstance(got, (list, tuple)) and tuple(got) == tuple(want)
