"""hw3.q2 hidden checks: ResNeXt — grouped convolution on random inputs, the block's count and its
three forms for other configurations, and the grouped block computing a ResNeXt block with weights
set by the grader — and the Inception-ResNet output being affine in the scale on random inputs.

An optional extension worth no points: output channels, parameter counts and FLOP ratios of
other Inception configurations."""

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
from reference.hw3.q2_resnext import grouped_conv2d, resnext_block_forward, resnext_block_parameters

pytestmark = pytest.mark.question("q2")


def random_configs(count: int, seed: int) -> list[InceptionConfig]:
    rng = np.random.default_rng(seed)
    return [InceptionConfig(*(int(v) for v in rng.integers(1, 40, size=7))) for _ in range(count)]


CONFIGS = random_configs(4, 201) + [InceptionConfig(256, 128, 128, 192, 32, 96, 64)]  # GoogLeNet's (3b)


@pytest.mark.points(0)
def test_output_channels_other_configs(kernel):
    for cfg in CONFIGS:
        for naive, channels in ((False, inception_output_channels(cfg)), (True, naive_output_channels(cfg))):
            shape = kernel.value(f"tuple(build_inception({asdict(cfg)!r}, naive={naive})(torch.zeros(1, {cfg.in_channels}, 7, 7)).shape)")
            assert list(shape) == [1, channels, 7, 7], (
                f"build_inception({asdict(cfg)}, naive={naive}) maps a [1, {cfg.in_channels}, 7, 7] input to {shape}, "
                f"expected [1, {channels}, 7, 7]"
            )


@pytest.mark.points(0)
def test_parameter_counts_other_configs(kernel):
    for cfg in CONFIGS:
        for naive, want in ((False, inception_parameters(cfg)), (True, naive_inception_parameters(cfg))):
            counted = kernel.value(f"sum(p.numel() for p in build_inception({asdict(cfg)!r}, naive={naive}).parameters())")
            closed_form = kernel.call("inception_parameters", asdict(cfg), naive=naive)
            assert counted == want and closed_form == want, (
                f"for {asdict(cfg)}, naive={naive}: the module has {counted} parameters and inception_parameters "
                f"returned {closed_form}; expected {want}"
            )


@pytest.mark.points(0)
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


# ---------------------------------------------------------------- ResNeXt

# (channels, cardinality, width); C·d differs from the channels, so each weight's role shows in its shape
RESNEXT_CONFIGS = [(12, 3, 2), (16, 4, 3), (10, 1, 4), (24, 8, 1)]

# every conv of the grouped block re-initialised by the grader's seed, then one forward pass in float64:
# ([weights in module order], the input, the output)
GROUPED_BLOCK_RUN = (
    "(lambda block, x: (torch.manual_seed({seed}), [torch.nn.init.normal_(m.weight, std=0.4) for m in block.modules() "
    "if isinstance(m, torch.nn.Conv2d)], ([m.weight.detach().cpu().numpy() for m in block.modules() "
    "if isinstance(m, torch.nn.Conv2d)], x.numpy(), block(x).detach().cpu().numpy()))[2])"
    "(build_resnext_block({channels}, {cardinality}, {width}, 'grouped').double().cpu(), "
    "torch.randn(2, {channels}, 5, 6, dtype=torch.float64))"
)


def test_grouped_conv2d_random(kernel):
    rng = np.random.default_rng(203)
    for _ in range(6):
        groups = int(rng.integers(1, 5))
        c_in, c_out = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
        k, padding = int(rng.integers(1, 4)), int(rng.integers(0, 2))
        x = rng.standard_normal((int(rng.integers(1, 3)), c_in, int(rng.integers(k, 8)), int(rng.integers(k, 8))))
        w = rng.standard_normal((c_out, c_in // groups, k, k))
        got = np.asarray(kernel.call("grouped_conv2d", x, w, groups, padding=padding), dtype=float)
        want = grouped_conv2d(x, w, groups, padding=padding)
        call = f"grouped_conv2d(x of shape {x.shape}, w of shape {w.shape}, groups={groups}, padding={padding})"
        assert got.shape == want.shape, f"{call} returned shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"{call} is off by up to {np.abs(got - want).max():.3g}"


def test_resnext_forms_other_configs(kernel, resnext_forms):
    for config in RESNEXT_CONFIGS:
        got = kernel.call("resnext_parameters", *config)
        want = resnext_block_parameters(*config)
        assert got == want, f"resnext_parameters{config} returned {got}, expected {want:,}"
        resnext_forms(*config)


def test_grouped_block_computes_a_resnext_block(kernel):
    for seed, (channels, cardinality, width) in enumerate(RESNEXT_CONFIGS):
        call = f"build_resnext_block({channels}, {cardinality}, {width}, 'grouped')"
        weights, x, y = kernel.value(GROUPED_BLOCK_RUN.format(seed=seed, channels=channels, cardinality=cardinality, width=width))
        inner = cardinality * width
        roles = {(inner, channels, 1, 1): "reduce", (inner, width, 3, 3): "transform", (channels, inner, 1, 1): "expand"}
        shapes = [tuple(np.shape(w)) for w in weights]
        assert sorted(shapes) == sorted(roles), f"the convolution weights of {call} have the shapes {shapes}, expected {sorted(roles)}"
        named = {roles[tuple(np.shape(w))]: np.asarray(w, dtype=float) for w in weights}
        x = np.asarray(x, dtype=float)
        assert x.shape == (2, channels, 5, 6) and x.std() > 0.5, "the random input did not arrive; the check cannot run"
        want = resnext_block_forward(x, named["reduce"], named["transform"], named["expand"], cardinality)
        assert np.abs(want - np.maximum(x, 0)).max() > 1e-3, "with these weights the transform is invisible; the check cannot run"
        got = np.asarray(y, dtype=float)
        assert got.shape == want.shape and np.allclose(got, want, rtol=1e-6, atol=1e-8), (
            f"with its own weights, {call} does not compute relu(x + expand(relu(grouped 3x3(relu(reduce(x)))))) "
            f"(output shape {got.shape}, expected {want.shape})"
        )
