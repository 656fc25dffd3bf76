"""hw3.q1 public checks: the FLOPs multiplier and the scaled baseline for a few fixed cases."""

import pytest

from reference.hw3.q1_efficientnet import PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA, flops_multiplier, scale_baseline

pytestmark = pytest.mark.question("q1")

PAPER = (PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA)
SCALED = scale_baseline(6, 32, 224, *PAPER, 1)  # the first example: depth, width and resolution of B1


def test_flops_multiplier(kernel):
    name = kernel.find_function("flops_multiplier", (*PAPER, 1), returns=flops_multiplier(*PAPER, 1))
    for alpha, beta, gamma, phi in [(*PAPER, 1), (*PAPER, 3), (1.0, 1.0, 1.0, 5), (2.0, 1.0, 1.0, 1), (1.0, 1.2, 1.3, 0.5)]:
        got = kernel.call(name, alpha, beta, gamma, phi)
        want = flops_multiplier(alpha, beta, gamma, phi)
        assert got == pytest.approx(want, rel=1e-9), (
            f"flops_multiplier(alpha={alpha}, beta={beta}, gamma={gamma}, phi={phi}) returned {got}, "
            f"expected (alpha * beta^2 * gamma^2)^phi = {want:.6g}"
        )


def test_scale_baseline(kernel):
    # depth 6 * 1.2 = 7.2 layers: 8 (never fewer than asked); widths and resolutions to the nearest
    name = kernel.find_function("scale_baseline", (6, 32, 224, *PAPER, 1), returns=(SCALED.depth, SCALED.width, SCALED.resolution))
    for depth, width, resolution, phi in [(6, 32, 224, 1), (4, 16, 240, 2), (10, 40, 128, 3)]:
        got = kernel.call(name, depth, width, resolution, *PAPER, phi)
        want = scale_baseline(depth, width, resolution, *PAPER, phi)
        assert got is not None and [int(v) for v in got] == [want.depth, want.width, want.resolution], (
            f"scale_baseline(depth={depth}, width={width}, resolution={resolution}, alpha, beta, gamma = {PAPER}, phi={phi}) "
            f"returned {got}, expected (ceil(depth * alpha^phi), nearest(width * beta^phi), nearest(resolution * gamma^phi)) = "
            f"{(want.depth, want.width, want.resolution)}"
        )
