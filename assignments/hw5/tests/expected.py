"""hw5's public checks: their inputs and expected outputs, computed from the reference.

`grade build` calls `values()` and freezes the result in tests/public/expected.json; the public
checks read it with the `expected` fixture, so they run where the reference is not installed (a
student's machine). Grader side only: this file is never shipped to students.
"""

import numpy as np

from reference.hw5.q1_batchnorm import BatchNormState, batchnorm_forward, batchnorm_param_count
from reference.hw5.q2_dropout import dropout_classic, dropout_inverted
from reference.hw5.q4_vgg16 import LAYER_READINGS, VGG16_TOTAL_PARAMS, keras_vgg16_table
from reference.hw5.q5_deconvnet import deconvnet_param_count
from reference.hw5.q5_transposed_conv import conv2d, conv_transpose2d, conv_transpose_output_size

DROPOUT_INPUT = np.arange(12.0).reshape(3, 4) - 5.5
VGG_INPUT_HW = (224, 224)


def values() -> dict[str, object]:
    count = deconvnet_param_count()
    return {
        "q1.dense_training": batchnorm_case(np.random.default_rng(0), (8, 5), training=True),
        "q1.conv_test": batchnorm_case(np.random.default_rng(1), (4, 3, 5, 6), training=False),
        "q1.running_statistics": batchnorm_case(np.random.default_rng(2), (8, 5), training=True),
        "q1.parameter_count": {"num_features": 64, **vars(batchnorm_param_count(64))},
        "q2.test_mode": {
            "x": DROPOUT_INPUT,
            "keep_prob": 0.8,
            "classic": dropout_classic(DROPOUT_INPUT, 0.8, training=False),
            "inverted": dropout_inverted(DROPOUT_INPUT, 0.8, training=False),
        },
        "q4.vgg16_table_224": [[row.name, row.output_shape, row.params] for row in keras_vgg16_table(VGG_INPUT_HW)],
        "q4.vgg_parameters": VGG16_TOTAL_PARAMS,
        "q4.layer_readings_224": [
            {"reading": reading, "layer3": shape_of(3, VGG_INPUT_HW), "layer13": shape_of(13, VGG_INPUT_HW)}
            for reading, shape_of in LAYER_READINGS.items()
        ],
        "q5.transposed_conv_output_size": [
            {"n": n, "kernel": k, "stride": s, "padding": p, "output_padding": op,
             "length": conv_transpose_output_size(n, k, s, p, op)}
            for n, k, s, p, op in [(4, 3, 1, 0, 0), (5, 3, 2, 1, 1), (7, 4, 2, 1, 0), (5, 5, 3, 2, 2)]
        ],
        "q5.conv_pair": conv_pair_case(),
        "q5.deconvnet_parameters": {"encoder": count.encoder, "decoder": count.decoder, "total": count.total},
    }


def batchnorm_case(rng: np.random.Generator, shape: tuple[int, ...], training: bool) -> dict[str, object]:
    """x of the given shape, γ, β and running statistics for its axis-1 features, and what the
    layer returns for them (momentum 0.1, eps 1e-5)."""
    c = shape[1]
    x = rng.normal(1.5, 2.0, shape)
    gamma, beta, mean, var = rng.uniform(0.5, 2.0, c), rng.normal(0, 1, c), rng.normal(0, 0.5, c), rng.uniform(0.5, 2.0, c)
    y, state, _ = batchnorm_forward(x, BatchNormState(gamma, beta, mean, var), training=training)
    return {"x": x, "gamma": gamma, "beta": beta, "running_mean": mean, "running_var": var,
            "y": y, "new_running_mean": state.running_mean, "new_running_var": state.running_var}


def conv_pair_case() -> dict[str, object]:
    """x and weight for conv2d (stride 2, padding 1: 10 -> 5), y for the transpose (5 -> back to
    10 with output padding 1, 9 without), and both outputs."""
    rng = np.random.default_rng(0)
    x, weight = rng.standard_normal((2, 3, 10, 10)), rng.standard_normal((4, 3, 3, 3))
    y = rng.standard_normal((2, 4, 5, 5))
    stride, padding = 2, 1
    return {"x": x, "weight": weight, "y": y, "stride": stride, "padding": padding, "output_padding": 1,
            "conv2d": conv2d(x, weight, stride, padding),
            "conv_transpose2d": conv_transpose2d(y, weight, (10, 10), stride, padding)}
