"""hw5.q4 public checks: the VGG16 table at 224x224 with 1000 classes, the 138,357,544 parameters
of the notebook's torchvision VGG16, and the shapes of layers 3 and 13 at 224x224 (either
reading: conv layers 3 and 13, or Keras' model.layers[3] and [13], the same for both layers)."""

import pytest

from reference.hw5.q4_vgg16 import LAYER_READINGS, VGG16_TOTAL_PARAMS, keras_vgg16_table, reading_of, total_params

pytestmark = pytest.mark.question("q4")


def check_table(got, input_hw: tuple[int, int], num_classes: int) -> None:
    want = keras_vgg16_table(input_hw, num_classes=num_classes)
    call = f"vgg16_table(input_hw={input_hw}, num_classes={num_classes})"
    assert isinstance(got, list) and len(got) == len(want), (
        f"{call} returned {len(got) if isinstance(got, list) else type(got).__name__} rows; Keras' VGG16 has "
        f"{len(want)} layers after the input (13 conv, 5 pool, flatten, 3 dense)"
    )
    for row, expected in zip(got, want):
        assert isinstance(row, list) and len(row) == 3, f"{call}: each row must be [name, output_shape, parameters], got {row!r}"
        name, shape, params = row
        assert name == expected.name, f"{call}: row {name!r} where Keras has {expected.name!r}"
        assert tuple(shape) == expected.output_shape, f"{call}: {name} has output shape {tuple(shape)}, expected {expected.output_shape}"
        assert params == expected.params, f"{call}: {name} has {params!r} parameters, expected {expected.params:,}"


def test_vgg16_table_at_224(kernel):
    check_table(kernel.call("vgg16_table"), (224, 224), 1000)


def test_vgg_has_138357544_parameters(kernel):
    got = kernel.value("sum(p.numel() for p in vgg.parameters())")
    assert got == VGG16_TOTAL_PARAMS, f"`vgg` has {got:,} parameters; torchvision's VGG16 has {VGG16_TOTAL_PARAMS:,}"
    table_total = sum(row[2] for row in kernel.call("vgg16_table"))
    want = total_params(keras_vgg16_table())
    assert table_total == want, f"the rows of vgg16_table() add up to {table_total:,}, expected {want:,}"


def test_feature_map_shapes_at_224(kernel):
    answers = {(layer, (224, 224)): kernel.call("feature_map_shape", layer, (224, 224)) for layer in (3, 13)}
    assert reading_of(answers) is not None, (
        f"feature_map_shape(3, (224, 224)) returned {answers[3, (224, 224)]} and feature_map_shape(13, (224, 224)) "
        f"returned {answers[13, (224, 224)]}; expected (C, H, W) of layers 3 and 13 read one way for both: "
        + " or ".join(
            f"{shape_of(3, (224, 224))} and {shape_of(13, (224, 224))} ({reading})" for reading, shape_of in LAYER_READINGS.items()
        )
    )
