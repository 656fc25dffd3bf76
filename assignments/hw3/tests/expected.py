"""hw3's public checks: their inputs and expected outputs, computed from the reference.

`grade build` calls `values()` and freezes the result in tests/public/expected.json; the public
checks read it with the `expected` fixture, so they run where the reference is not installed (a
student's machine). Grader side only: this file is never shipped to students.
"""

from dataclasses import asdict

import numpy as np

from reference.hw3.q1_efficientnet import PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, flops_multiplier, scale_baseline
from reference.hw3.q2_inception_costs import (
    GOOGLENET_3A,
    flop_reduction_ratio,
    inception_output_channels,
    inception_parameters,
    naive_inception_parameters,
    naive_output_channels,
)
from reference.hw3.q2_resnext import FORMS, PAPER_TEMPLATE, block_convs, grouped_conv2d, resnext_block_parameters

PAPER = (PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA)


def values() -> dict[str, object]:
    return {
        "q1.flops_multiplier": [
            {"alpha": a, "beta": b, "gamma": g, "phi": phi, "multiplier": flops_multiplier(a, b, g, phi)}
            for a, b, g, phi in [(*PAPER, 1), (*PAPER, 3), (1.0, 1.0, 1.0, 5), (2.0, 1.0, 1.0, 1), (1.0, 1.2, 1.3, 0.5)]
        ],
        # depth 6 * 1.2 = 7.2 layers: 8 (never fewer than asked); widths and resolutions to the nearest
        "q1.scale_baseline": [scale_baseline_case(depth, width, resolution, phi)
                              for depth, width, resolution, phi in [(6, 32, 224, 1), (4, 16, 240, 2), (10, 40, 128, 3)]],
        "q2.inception_3a": {
            "config": asdict(GOOGLENET_3A),
            "output_channels": inception_output_channels(), "naive_output_channels": naive_output_channels(),
            "parameters": inception_parameters(), "naive_parameters": naive_inception_parameters(),
            "flop_reduction_ratio": flop_reduction_ratio(),
        },
        "q2.grouped_conv2d": grouped_conv2d_cases(),
        # ResNeXt's 32x4d and ResNet's 64-wide bottleneck: about 70k weights each
        "q2.resnext_parameters": [{"config": list(config), "parameters": resnext_block_parameters(*config)}
                                  for config in (PAPER_TEMPLATE, (256, 1, 64))],
        "q2.resnext_forms": resnext_forms_case(*PAPER_TEMPLATE),
    }


def scale_baseline_case(depth: int, width: int, resolution: int, phi: int) -> dict[str, object]:
    scaled = scale_baseline(depth, width, resolution, *PAPER, phi)
    return {"depth": depth, "width": width, "resolution": resolution, "coefficients": list(PAPER), "phi": phi,
            "scaled": [scaled.depth, scaled.width, scaled.resolution]}


def grouped_conv2d_cases() -> list[dict[str, object]]:
    """Small integer-valued inputs: two groups with padding, depthwise, and an ordinary convolution."""
    x = ((np.arange(2 * 4 * 5 * 5) * 7) % 11 - 5.0).reshape(2, 4, 5, 5)
    cases = []
    for groups, c_out, padding in ((2, 6, 1), (4, 4, 0), (1, 3, 0)):
        w = ((np.arange(c_out * 4 // groups * 9) * 5) % 7 - 3.0).reshape(c_out, 4 // groups, 3, 3)
        cases.append({"x": x, "w": w, "groups": groups, "padding": padding,
                      "output": grouped_conv2d(x, w, groups, padding=padding)})
    return cases


def resnext_forms_case(channels: int, cardinality: int, width: int) -> dict[str, object]:
    """The block's parameter count and, per form, its convolutions as [in, out, kernel, groups, how many]."""
    return {"channels": channels, "cardinality": cardinality, "width": width,
            "parameters": resnext_block_parameters(channels, cardinality, width),
            "convs": {form: [[*shape, count] for shape, count in sorted(block_convs(channels, cardinality, width, form).items())]
                      for form in FORMS}}
