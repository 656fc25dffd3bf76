"""hw3.q1 hidden checks: the FLOPs multiplier and the scaled baseline for random coefficients.

Cases whose exact scaled size lies within 1e-6 of a rounding boundary (an integer for the
depth's ceiling, a half for the nearest width/resolution) are skipped: there float error, not
the rule, would decide the answer.
"""

import numpy as np
import pytest

from reference.hw3.q1_efficientnet import PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, flops_multiplier, scale_baseline

pytestmark = pytest.mark.question("q1")

PUBLIC = (PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, 1)  # the public checks' first example: answers are found on it
SCALED = scale_baseline(6, 32, 224, *PUBLIC)


def test_flops_multiplier_random(kernel):
    name = kernel.find_function("flops_multiplier", PUBLIC, returns=flops_multiplier(*PUBLIC))
    rng = np.random.default_rng(101)
    for _ in range(12):
        alpha, beta, gamma = (float(v) for v in rng.uniform(1.0, 2.0, size=3))
        phi = float(rng.uniform(0.0, 6.0))
        got = kernel.call(name, alpha, beta, gamma, phi)
        want = flops_multiplier(alpha, beta, gamma, phi)
        assert got == pytest.approx(want, rel=1e-9), (
            f"flops_multiplier({alpha:.4f}, {beta:.4f}, {gamma:.4f}, phi={phi:.3f}) returned {got}, expected {want:.6g}"
        )


def near_boundary(depth: float, width: float, resolution: float) -> bool:
    def distance(x: float, offset: float) -> float:
        return abs((x - offset) - round(x - offset))

    return distance(depth, 0.0) < 1e-6 or distance(width, 0.5) < 1e-6 or distance(resolution, 0.5) < 1e-6


def test_scale_baseline_random(kernel):
    name = kernel.find_function("scale_baseline", (6, 32, 224, *PUBLIC), returns=(SCALED.depth, SCALED.width, SCALED.resolution))
    rng = np.random.default_rng(102)
    checked = 0
    while checked < 12:
        depth, width, resolution = int(rng.integers(1, 20)), int(rng.integers(8, 200)), int(rng.integers(32, 300))
        alpha, beta, gamma = (float(v) for v in np.round(rng.uniform(1.0, 1.5, size=3), 2))
        phi = int(rng.integers(0, 6))
        if near_boundary(depth * alpha**phi, width * beta**phi, resolution * gamma**phi):
            continue
        got = kernel.call(name, depth, width, resolution, alpha, beta, gamma, phi)
        want = scale_baseline(depth, width, resolution, alpha, beta, gamma, phi)
        assert got is not None and [int(v) for v in got] == [want.depth, want.width, want.resolution], (
            f"scale_baseline({depth}, {width}, {resolution}, alpha={alpha}, beta={beta}, gamma={gamma}, phi={phi}) "
            f"returned {got}, expected {(want.depth, want.width, want.resolution)} "
            f"(exact: {depth * alpha**phi:.3f}, {width * beta**phi:.3f}, {resolution * gamma**phi:.3f})"
        )
        checked += 1
