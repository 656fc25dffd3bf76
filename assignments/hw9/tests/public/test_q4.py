"""hw9.q4 public checks: the per-layer counts 1000, 0, 5010, 4550, 0, 510 (total 11,070), the
output shapes, and the notebook's tf-keras model."""

import pytest

pytestmark = pytest.mark.question("q4")


def table(kernel, *args) -> list[dict]:
    got = kernel.call("param_table", *args)
    assert isinstance(got, list) and len(got) == 6 and all(isinstance(row, dict) for row in got), (
        f"param_table{tuple(args) if args else '()'} must return six dicts {{'layer', 'output_shape', 'params'}}, got {got!r}"[:400]
    )
    return got


def test_parameters_per_layer_and_total(kernel, expected):
    rows, want = table(kernel), expected("q4.table")
    for row, layer in zip(rows, want):
        assert row.get("params") == layer["params"], (
            f"{row.get('layer')}: {row.get('params')!r} parameters, expected {layer['params']:,}"
            + (" (a locally connected layer has its own filters and biases at every output position)"
               if layer["name"] == "locally_connected2d" else "")
        )
    total, want_total = sum(row["params"] for row in rows), sum(layer["params"] for layer in want)
    assert total == want_total, f"the layers add up to {total:,}, expected {want_total:,}"


def test_output_shapes(kernel, expected):
    for row, layer in zip(table(kernel), expected("q4.table")):
        shape, want = row.get("output_shape"), tuple(layer["output_shape"])
        assert shape is not None and tuple(shape) == want, (
            f"{row.get('layer')}: output shape {shape}, expected {want} (H, W, C), no padding"
        )


def test_tf_keras_model(kernel, expected):
    lc_model = kernel.find_model("lc_model", (28, 28, 1), (10,))  # students called it `model` too
    got = kernel.value(f"[layer.count_params() for layer in {lc_model}.layers]")
    want = [layer["params"] for layer in expected("q4.table")]
    assert list(got) == want, f"the layers of `lc_model` have {got} parameters, expected {want}"
    kinds = kernel.value(f"[type(layer).__name__ for layer in {lc_model}.layers]")
    assert kinds[3] == "LocallyConnected2D", f"the fourth layer of `lc_model` is a {kinds[3]}; use tf_keras.layers.LocallyConnected2D"
