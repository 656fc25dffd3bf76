"""hw5.q4 hidden checks: the VGG16 table for other input sizes and class counts, and the shapes
of layers 3 and 13 for hidden input sizes, following one reading of "layer 3 and 13" throughout."""

import numpy as np
import pytest

from reference.hw5.q4_vgg16 import LAYER_READINGS, keras_vgg16_table, reading_of

pytestmark = pytest.mark.question("q4")


def test_vgg16_table_for_other_inputs_and_classes(kernel):
    for input_hw, num_classes in (((64, 64), 10), ((96, 160), 7), ((33, 50), 2), ((250, 200), 1000)):
        call = f"vgg16_table(input_hw={input_hw}, num_classes={num_classes})"
        got = kernel.call("vgg16_table", input_hw, num_classes)
        want = keras_vgg16_table(input_hw, num_classes=num_classes)
        assert isinstance(got, list) and len(got) == len(want), f"{call} returned {type(got).__name__} of the wrong length"
        for row, expected in zip(got, want):
            assert isinstance(row, list) and len(row) == 3, f"{call}: each row must be [name, output_shape, parameters]"
            assert (row[0], tuple(row[1]), row[2]) == (expected.name, expected.output_shape, expected.params), (
                f"{call}: row {row} differs from {[expected.name, expected.output_shape, expected.params]}"
            )


def test_feature_map_shapes_for_hidden_sizes(kernel):
    rng = np.random.default_rng(401)
    sizes = [(224, 224)] + [tuple(int(n) for n in rng.integers(32, 161, size=2)) for _ in range(4)]
    answers = {(layer, hw): kernel.call("feature_map_shape", layer, hw) for hw in sizes for layer in (3, 13)}
    if reading_of(answers) is None:
        shown = "; ".join(f"feature_map_shape({layer}, {hw}) = {shape}" for (layer, hw), shape in answers.items())
        pytest.fail(
            f"{shown}: these shapes do not follow one reading of layers 3 and 13 for every input size "
            f"({' or '.join(LAYER_READINGS)})",
            pytrace=False,
        )
