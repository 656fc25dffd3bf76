"""hw3.q1 public checks: the FLOPs multiplier and the scaled baseline for a few fixed cases."""

import pytest

pytestmark = pytest.mark.question("q1")


def test_flops_multiplier(kernel, expected):
    cases = expected("q1.flops_multiplier")
    first = cases[0]
    name = kernel.find_function("flops_multiplier", (first["alpha"], first["beta"], first["gamma"], first["phi"]),
                                returns=first["multiplier"])
    for case in cases:
        alpha, beta, gamma, phi, want = case["alpha"], case["beta"], case["gamma"], case["phi"], case["multiplier"]
        got = kernel.call(name, alpha, beta, gamma, phi)
        assert got == pytest.approx(want, rel=1e-9), (
            f"flops_multiplier(alpha={alpha}, beta={beta}, gamma={gamma}, phi={phi}) returned {got}, "
            f"expected (alpha * beta^2 * gamma^2)^phi = {want:.6g}"
        )


def test_scale_baseline(kernel, expected):
    cases = expected("q1.scale_baseline")
    first = cases[0]
    name = kernel.find_function("scale_baseline", (first["depth"], first["width"], first["resolution"],
                                                   *first["coefficients"], first["phi"]), returns=tuple(first["scaled"]))
    for case in cases:
        depth, width, resolution, phi = case["depth"], case["width"], case["resolution"], case["phi"]
        coefficients, want = tuple(case["coefficients"]), tuple(case["scaled"])
        got = kernel.call(name, depth, width, resolution, *coefficients, phi)
        assert got is not None and [int(v) for v in got] == list(want), (
            f"scale_baseline(depth={depth}, width={width}, resolution={resolution}, alpha, beta, gamma = {coefficients}, "
            f"phi={phi}) returned {got}, expected (ceil(depth * alpha^phi), nearest(width * beta^phi), "
            f"nearest(resolution * gamma^phi)) = {want}"
        )
