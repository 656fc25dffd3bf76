"""hw3.q1 public checks: the FLOPs multiplier and the scaled baseline for a few fixed cases."""

import pytest

pytestmark = pytest.mark.question("q1")


def test_flops_multiplier(kernel, expected):
    for case in expected("q1.flops_multiplier"):
        alpha, beta, gamma, phi, want = case["alpha"], case["beta"], case["gamma"], case["phi"], case["multiplier"]
        got = kernel.call("flops_multiplier", alpha, beta, gamma, phi)
        assert got == pytest.approx(want, rel=1e-9), (
            f"flops_multiplier(alpha={alpha}, beta={beta}, gamma={gamma}, phi={phi}) returned {got}, "
            f"expected (alpha * beta^2 * gamma^2)^phi = {want:.6g}"
        )


def test_scale_baseline(kernel, expected):
    for case in expected("q1.scale_baseline"):
        depth, width, resolution, phi = case["depth"], case["width"], case["resolution"], case["phi"]
        coefficients, want = tuple(case["coefficients"]), tuple(case["scaled"])
        got = kernel.call("scale_baseline", depth, width, resolution, *coefficients, phi)
        assert got is not None and [int(v) for v in got] == list(want), (
            f"scale_baseline(depth={depth}, width={width}, resolution={resolution}, alpha, beta, gamma = {coefficients}, "
            f"phi={phi}) returned {got}, expected (ceil(depth * alpha^phi), nearest(width * beta^phi), "
            f"nearest(resolution * gamma^phi)) = {want}"
        )
