"""hw9.q4 hidden checks: the table for other input shapes, and the student's tf-keras builder
for those shapes."""

import pytest

from reference.hw9.q4_param_count import param_table

pytestmark = pytest.mark.question("q4")

INPUT_SHAPES = ((32, 32, 3), (40, 36, 2), (29, 45, 1))


def test_table_for_other_inputs(kernel):
    for shape in INPUT_SHAPES:
        got = kernel.call("param_table", shape)
        want = param_table(shape)
        assert isinstance(got, list) and len(got) == len(want), f"param_table({shape}) must return {len(want)} rows"
        for row, expected in zip(got, want):
            assert isinstance(row, dict) and (tuple(row.get("output_shape", ())), row.get("params")) == (
                expected.output_shape, expected.params
            ), f"param_table({shape}): row {row} differs from output shape {expected.output_shape}, {expected.params:,} parameters"


def test_tf_keras_model_for_other_inputs(kernel):
    for shape in INPUT_SHAPES:
        got = kernel.value(f"[layer.count_params() for layer in build_lc_model({shape}).layers]")
        want = [row.params for row in param_table(shape)]
        assert got == want, f"build_lc_model({shape}) has per-layer counts {got}, expected {want}"
