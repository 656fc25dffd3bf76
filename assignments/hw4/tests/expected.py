"""hw4's public checks: their inputs and expected outputs, computed from the reference.

`grade build` calls `values()` and freezes the result in tests/public/expected.json; the public
checks read it with the `expected` fixture, so they run where the reference is not installed (a
student's machine). Grader side only: this file is never shipped to students.
"""

import numpy as np

from reference.hw4.q1_equivariance import correlate2d, shift
from reference.hw4.q2_deconvnet import max_pool_with_switches, max_unpool, transposed_conv_output_size
from reference.hw4.q3_backprop import ConvNet1DConfig, gradients, init_params, parameter_count
from reference.hw4.q4_dilated import dilated_conv2d, dilated_output_size, receptive_field
from reference.hw4.q5_parameter_counts import VGG16_CONV_WIDTHS, lightweight_vgg_parameter_count

IMAGE = np.arange(20.0).reshape(4, 5)
FILTER = np.array([[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]])


def values() -> dict[str, object]:
    return {
        "q1.shift": [{"f": IMAGE, "t": t, "shifted": shift(IMAGE, t)} for t in [(1, 2), (-1, 0), (5, -7)]],
        "q1.correlate2d": {"f": IMAGE, "psi": FILTER, "correlated": correlate2d(IMAGE, FILTER, "circular")},
        "q2.max_unpool": max_unpool_case(),
        "q2.transposed_conv_output_size": [
            {"n": n, "kernel": k, "stride": s, "padding": p, "output_padding": op,
             "length": transposed_conv_output_size(n, k, s, p, op)}
            for n, k, s, p, op in [(4, 3, 1, 0, 0), (4, 3, 2, 1, 1), (7, 4, 2, 1, 0), (5, 5, 3, 2, 2)]
        ],
        "q3.parameter_count": parameter_count(),
        "q3.gradients": gradients_case(),
        "q4.receptive_field": [{"kernel": k, "width": receptive_field(k)} for k in (3, 5, 7)],
        "q4.receptive_field_extension": [
            {"kernel": k, "dilation": d, "layers": layers, "width": receptive_field(k, d, layers)}
            for k, d, layers in [(3, 2, 1), (5, 3, 1), (3, 1, 4), (3, 2, 3)]
        ],
        "q4.dilated_output_size": [
            {"M": M, "N": N, "F": F, "D": D, "size": dilated_output_size(M, N, F, D)}
            for M, N, F, D in [(7, 8, 3, 2), (10, 6, 2, 3), (5, 5, 1, 4)]
        ],
        "q4.kronecker": dilated_case(np.random.default_rng(0), (8, 9), 3, 2),
        "q4.dilated_conv2d": dilated_case(np.random.default_rng(1), (7, 9), 2, 3),
        "q5.lightweight_vgg_parameters": lightweight_vgg_parameter_count(8),
        "q5.vgg16_convolutions": vgg16_convolutions(),
    }


def max_unpool_case() -> dict[str, object]:
    x = np.array([[[[1.0, 5.0, 2.0, 0.0],
                    [3.0, 4.0, 8.0, 1.0],
                    [0.5, 0.0, 6.0, 7.0],
                    [2.5, 9.0, 1.0, 3.0]]]])
    pooled, switches = max_pool_with_switches(x, size=2, stride=2)  # switches [[1, 6], [13, 11]]
    return {"pooled": pooled, "switches": switches, "unpooled": max_unpool(pooled, switches, (4, 4))}


def gradients_case() -> dict[str, object]:
    rng = np.random.default_rng(0)
    # scalar biases as Python floats, the rest as arrays (what the notebook's text promises)
    params = {k: float(v) if np.ndim(v) == 0 else v for k, v in init_params(ConvNet1DConfig(), rng).items()}
    x, y = rng.standard_normal(785), 1
    return {"x": x, "y": y, "params": params, "gradients": gradients(x, y, params)}


def vgg16_convolutions() -> list[list[int]]:
    """VGG16's thirteen 3x3 convolutions as [in channels, out channels, height, width]."""
    widths = [width for block in VGG16_CONV_WIDTHS for width in block]
    return [[c_in, c_out, 3, 3] for c_in, c_out in zip([3, *widths], widths)]


def dilated_case(rng: np.random.Generator, image: tuple[int, int], size: int, dilation: int) -> dict[str, object]:
    I, K = rng.standard_normal(image), rng.standard_normal((size, size))
    return {"I": I, "K": K, "D": dilation, "dilated": dilated_conv2d(I, K, dilation)}
