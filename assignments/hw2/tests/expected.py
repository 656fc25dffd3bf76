"""hw2's public checks: their inputs and expected outputs, computed from the reference.

`grade build` calls `values()` and freezes the result in tests/public/expected.json; the public
checks read it with the `expected` fixture, so they run where the reference is not installed (a
student's machine). Grader side only: this file is never shipped to students.
"""

import numpy as np

from reference.hw2.q1_conv_backward import conv2d_backward, conv2d_forward
from reference.hw2.q2_initialisation import is_symmetric_after_training, xavier_bound, xavier_variance
from reference.hw2.q3_pooling import POOL_KINDS, pool2d
from reference.hw2.q4_losses import ce_sigmoid_logit_grad, mse_sigmoid_logit_grad
from reference.hw2.q5_activations import leaky_relu, leaky_relu_derivative

# q1's layers: (N, C_in, H, W, C_out, k, stride, padding): stride 1 without padding, stride 2 with
# padding 1, a 1x1 kernel with stride 2
CONV_LAYERS = [(1, 1, 4, 4, 1, 3, 1, 0), (2, 2, 5, 5, 3, 3, 2, 1), (1, 3, 4, 4, 2, 1, 2, 0)]
POOLED = ((np.arange(40) * 5) % 11 - 5.0).reshape(2, 4, 5)  # two channels of 4x5, negative values too
LOGITS = np.linspace(-8.0, 8.0, 9)
TARGETS = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
ACTIVATED = np.array([-3.0, -0.5, 0.0, 0.25, 2.0])


def values() -> dict[str, object]:
    return {
        "q1.conv2d": [conv_case(layer) for layer in CONV_LAYERS],
        "q2.xavier_uniform": {"fan_in": 300, "fan_out": 100, "shape": (100, 300), "seed": 0,
                              "bound": xavier_bound(300, 100), "variance": xavier_variance(300, 100)},
        "q2.symmetry": [{"init": init, "steps": 10, "seed": 0, "symmetric": is_symmetric_after_training(init, 10, 0)}
                        for init in ("constant", "random")],
        "q3.pool2d": {
            "x": POOLED,
            "pooled": {kind: [{"args": list(args), "pooled": pool2d(POOLED, kind, *args)} for args in ((2,), (3, 1))]
                       for kind in POOL_KINDS},
        },
        "q4.logit_gradients": {"z": LOGITS, "y": TARGETS, "mse": mse_sigmoid_logit_grad(LOGITS, TARGETS),
                               "ce": ce_sigmoid_logit_grad(LOGITS, TARGETS)},
        "q5.leaky_relu": [{"x": ACTIVATED, "kwargs": kwargs, "value": leaky_relu(ACTIVATED, **kwargs),
                           "derivative": leaky_relu_derivative(ACTIVATED, **kwargs)} for kwargs in ({}, {"slope": 0.2})],
    }


def conv_case(layer: tuple[int, ...]) -> dict[str, object]:
    """Small integer-valued arrays, so a student can check a case by hand; the forward pass and,
    for an output gradient dy of the same kind, the three gradients."""
    n, c_in, h, w, c_out, k, stride, padding = layer
    x = (np.arange(n * c_in * h * w) % 7 - 3.0).reshape(n, c_in, h, w)
    weight = (np.arange(c_out * c_in * k * k) % 5 - 2.0).reshape(c_out, c_in, k, k)
    bias = np.arange(c_out) - 1.0
    y = conv2d_forward(x, weight, bias, stride, padding)
    dy = (np.arange(y.size) % 3 - 1.0).reshape(y.shape) + 0.5
    gradients = conv2d_backward(x, weight, dy, stride, padding)
    return {"x": x, "w": weight, "b": bias, "stride": stride, "padding": padding, "y": y, "dy": dy,
            "dx": gradients.dx, "dw": gradients.dw, "db": gradients.db}
