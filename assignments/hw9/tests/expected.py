"""hw9's public checks: their inputs and expected outputs, computed from the reference.

`grade build` calls `values()` and freezes the result in tests/public/expected.json; the public
checks read it with the `expected` fixture, so they run where the reference is not installed (a
student's machine). Grader side only: this file is never shipped to students. q3's public checks
need no frozen value: they judge the student's own search space and models (tests/conftest.py).
"""

import numpy as np

from reference.hw9.q1_conv_pooling import adaptive_pool2d, conv_output_shape, conv_param_count, global_pool
from reference.hw9.q2_kernels import HANDOUT_ORDER, KERNELS, apply_kernel, standard_filterings
from reference.hw9.q4_param_count import param_table

POOLED = np.random.default_rng(0).standard_normal((2, 3, 5, 7))  # [N, C, H, W]
FILTERED = np.add.outer(np.arange(6.0), np.arange(8.0) ** 2) % 7  # 6x8, edges in both directions


def values() -> dict[str, object]:
    return {
        "q1.conv_output_shape": [
            {"in_shape": shape, "out_channels": c_out, "kernel": k, "stride": s, "padding": p,
             "output_shape": conv_output_shape(shape, c_out, k, s, p)}
            for shape, c_out, k, s, p in [
                ((3, 32, 32), 16, 3, 1, 0),  # 2-D: one filter position per valid 3x3 window
                ((3, 32, 32), 8, 5, 2, 1),
                ((3, 16, 32, 32), 8, (3, 5, 5), 1, (1, 0, 0)),  # 3-D: the filter also slides along depth
                ((1, 10, 28, 28), 4, 3, (1, 2, 2), 1),
            ]
        ],
        "q1.conv_param_count": [
            {"in_channels": c_in, "out_channels": c_out, "kernel": k, "count": conv_param_count(c_in, c_out, k)}
            for c_in, c_out, k in [(3, 16, (3, 3)), (1, 20, (7, 7)), (3, 8, (3, 5, 5)), (16, 32, (3, 3, 3))]
        ],
        "q1.pooling": {
            "x": POOLED,
            "adaptive": [{"kind": kind, "size": size, "pooled": adaptive_pool2d(POOLED, size, kind)}
                         for kind in ("max", "avg") for size in ((2, 3), (5, 4), (1, 1))],
            "global": [{"kind": kind, "pooled": global_pool(POOLED, kind)} for kind in ("max", "avg")],
        },
        "q2.kernel_labels": {f"kernel{number}": effect(KERNELS[name]) for number, name in enumerate(HANDOUT_ORDER, start=1)},
        "q2.filtered": {
            "image": FILTERED,
            # every standard filtering of the image by each kernel: one per border rule, and "valid"
            "kernels": [{"kernel": KERNELS[name], "answers": standard_filterings(FILTERED, KERNELS[name])}
                        for name in HANDOUT_ORDER],
        },
        "q4.table": [{"name": row.name, "output_shape": row.output_shape, "params": row.params} for row in param_table()],
    }


def effect(kernel: np.ndarray) -> str:
    """What a kernel extracts, in the question's words, read off its responses: a flat image kept as
    it is ("blur"), or a response to a vertical edge, a horizontal one, or both ("edges")."""
    if np.allclose(apply_kernel(np.ones((5, 5)), kernel, border=None), 1.0):
        return "blur"
    vertical = np.repeat([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]], 6, axis=0)  # dark left, bright right
    sees = {"vertical_edges": np.abs(apply_kernel(vertical, kernel, border=None)).max() > 0,
            "horizontal_edges": np.abs(apply_kernel(vertical.T, kernel, border=None)).max() > 0}
    return "edges" if all(sees.values()) else next(name for name, seen in sees.items() if seen)
