"""hw3.q2 hidden checks: ResNeXt — grouped convolution on random inputs, the block's count and its
three forms for other configurations, and each form computing a ResNeXt block with weights set by
the grader — and the Inception-ResNet output being affine in the scale on random inputs.

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
from reference.hw3.q2_resnext import (
    FORMS,
    block_convs,
    grouped_conv2d,
    grouped_weights,
    resnext_block_forward,
    resnext_block_parameters,
)

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


# ---------------------------------------------------------------- ResNeXt: other configurations, weights set here

# (channels, cardinality, width); the paths' width, C·d and the channels all differ, so a
# convolution's shape says which weight it holds
RESNEXT_CONFIGS = [(12, 3, 2), (16, 4, 3), (10, 1, 4), (24, 8, 1)]

# deterministic weights and inputs both sides compute: sin(0.7 k + sum of the shape) * 0.4, in float64
PROBE = "torch.sin(torch.arange({numel}, dtype=torch.float64) * 0.7 + {offset}).reshape({shape}) * 0.4"
# the block of one form, every convolution's weight set from its shape, run once on a probe input
FORM_RUN = (
    "(lambda block: ([m.weight.data.copy_(" + PROBE.format(numel="m.weight.numel()", offset="sum(m.weight.shape)",
                                                          shape="m.weight.shape") + ") "
    "for m in block.modules() if isinstance(m, torch.nn.Conv2d)], block(" + PROBE.format(numel="{numel}", offset="0",
                                                                                            shape="{shape}") + "))[1])"
    "(build_resnext_block({channels}, {cardinality}, {width}, {form!r}).double().cpu()).detach().numpy()"
)


def probe(shape: tuple[int, ...], offset: int | None = None) -> np.ndarray:
    """PROBE in NumPy; the offset defaults to the sum of the shape (as for the weights)."""
    offset = sum(shape) if offset is None else offset
    return np.sin(np.arange(int(np.prod(shape)), dtype=np.float64) * 0.7 + offset).reshape(shape) * 0.4


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
        resnext_forms(*config, parameters=want,
                      convs={form: [[*shape, count] for shape, count in block_convs(*config, form).items()] for form in FORMS})


def test_each_form_computes_a_resnext_block(kernel):
    """Weights set by the grader by their shape (every path alike), so the layout of a block's
    modules does not matter: each form must compute relu(x + sum of its paths)."""
    for channels, cardinality, width in RESNEXT_CONFIGS:
        x = probe((2, channels, 5, 6), offset=0)
        for form in FORMS:
            call = f"build_resnext_block({channels}, {cardinality}, {width}, {form!r})"
            got = np.asarray(kernel.value(FORM_RUN.format(numel=x.size, shape=x.shape, channels=channels,
                                                          cardinality=cardinality, width=width, form=form)), dtype=float)
            weights = grouped_weights(form, channels, cardinality, width, probe)
            want = resnext_block_forward(x, *weights, cardinality)
            assert got.shape == want.shape, f"{call} maps a {list(x.shape)} input to {list(got.shape)}; it must keep the shape"
            assert np.allclose(got, want, rtol=1e-6, atol=1e-8), (
                f"with every convolution's weight set by the grader (the same in every path), {call} does not compute "
                f"relu(x + sum over paths of 1x1 -> ReLU -> 3x3 -> ReLU -> 1x1): off by up to {np.abs(got - want).max():.3g}"
            )
