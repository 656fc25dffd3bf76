"""hw3.q2 hidden checks: output channels, parameter counts and FLOP ratios of other Inception
configurations, and the Inception-ResNet output being affine in the scale on random inputs."""

from dataclasses import asdict

import numpy as np
import pytest

from reference.hw3.q2_inception_costs import (
    InceptionConfig,
    flop_reduction_ratio,
    inception_output_channels,
    inception_parameters,
    naive_inception_parameters,
    naive_output_channels,
)

pytestmark = pytest.mark.question("q2")


def random_configs(count: int, seed: int) -> list[InceptionConfig]:
    rng = np.random.default_rng(seed)
    return [InceptionConfig(*(int(v) for v in rng.integers(1, 40, size=7))) for _ in range(count)]


CONFIGS = random_configs(4, 201) + [InceptionConfig(256, 128, 128, 192, 32, 96, 64)]  # GoogLeNet's (3b)


def test_output_channels_other_configs(kernel):
    for cfg in CONFIGS:
        for naive, channels in ((False, inception_output_channels(cfg)), (True, naive_output_channels(cfg))):
            shape = kernel.value(f"tuple(build_inception({asdict(cfg)!r}, naive={naive})(torch.zeros(1, {cfg.in_channels}, 7, 7)).shape)")
            assert list(shape) == [1, channels, 7, 7], (
                f"build_inception({asdict(cfg)}, naive={naive}) maps a [1, {cfg.in_channels}, 7, 7] input to {shape}, "
                f"expected [1, {channels}, 7, 7]"
            )


def test_parameter_counts_other_configs(kernel):
    for cfg in CONFIGS:
        for naive, want in ((False, inception_parameters(cfg)), (True, naive_inception_parameters(cfg))):
            counted = kernel.value(f"sum(p.numel() for p in build_inception({asdict(cfg)!r}, naive={naive}).parameters())")
            closed_form = kernel.call("inception_parameters", asdict(cfg), naive=naive)
            assert counted == want and closed_form == want, (
                f"for {asdict(cfg)}, naive={naive}: the module has {counted} parameters and inception_parameters "
                f"returned {closed_form}; expected {want}"
            )


def test_flop_reduction_ratio_other_configs(kernel):
    for cfg in CONFIGS:
        got = kernel.call("flop_reduction_ratio", asdict(cfg))
        assert got == pytest.approx(flop_reduction_ratio(cfg), rel=1e-9), (
            f"flop_reduction_ratio({asdict(cfg)}) returned {got}, expected {flop_reduction_ratio(cfg):.6f}"
        )


def test_residual_output_is_affine_in_scale(kernel):
    rng = np.random.default_rng(202)
    for _ in range(3):
        n, h, w = int(rng.integers(1, 4)), int(rng.integers(4, 10)), int(rng.integers(4, 10))
        x = (rng.standard_normal((n, 32, h, w)) * rng.uniform(0.5, 2)).astype(np.float32)
        identity = np.asarray(kernel.call("residual_block_output", x, 0.0), dtype=float)
        assert np.allclose(identity, x, atol=1e-6), f"scale 0 does not return the input for x of shape {x.shape}"
        full = np.asarray(kernel.call("residual_block_output", x, 1.0), dtype=float) - x
        assert np.abs(full).max() > 1e-4, "the residual branch outputs (almost) zero at scale 1: the test cannot see the scaling"
        for scale in (0.1, 0.3, 2.0):
            got = np.asarray(kernel.call("residual_block_output", x, scale), dtype=float) - x
            assert np.allclose(got, scale * full, rtol=1e-4, atol=1e-5 * max(1.0, scale)), (
                f"output - x at scale {scale} is not {scale} times output - x at scale 1 (x of shape {x.shape}): "
                "the block must be x + scale * residual(x)"
            )
