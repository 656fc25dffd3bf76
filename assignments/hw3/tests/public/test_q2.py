"""hw3.q2 public checks: ResNeXt (grouped convolution on a small example, the block's parameter
count, its three forms for the paper's 32×4d template) and the Inception-ResNet block at scale 0.

An optional extension worth no points: GoogLeNet's inception (3a) — output channels and
parameters of the module and its naive version, and the FLOP reduction ratio."""

import numpy as np
import pytest

from reference.hw3.q2_inception_costs import (
    GOOGLENET_3A,
    flop_reduction_ratio,
    inception_output_channels,
    inception_parameters,
    naive_inception_parameters,
    naive_output_channels,
)
from reference.hw3.q2_resnext import PAPER_TEMPLATE, grouped_conv2d, resnext_block_parameters

pytestmark = pytest.mark.question("q2")

CONFIG_3A = {
    "in_channels": GOOGLENET_3A.in_channels, "n1x1": GOOGLENET_3A.n1x1, "n3x3_reduce": GOOGLENET_3A.n3x3_reduce,
    "n3x3": GOOGLENET_3A.n3x3, "n5x5_reduce": GOOGLENET_3A.n5x5_reduce, "n5x5": GOOGLENET_3A.n5x5,
    "pool_proj": GOOGLENET_3A.pool_proj,
}


@pytest.mark.points(0)
def test_output_channels_3a(kernel):
    for naive, channels in ((False, inception_output_channels()), (True, naive_output_channels())):
        shape = kernel.value(f"tuple(build_inception({CONFIG_3A!r}, naive={naive})(torch.zeros(1, 192, 9, 9)).shape)")
        assert list(shape) == [1, channels, 9, 9], (
            f"build_inception(GOOGLENET_3A, naive={naive}) maps a [1, 192, 9, 9] input to {shape}, expected "
            f"[1, {channels}, 9, 9]" + (" (the pooling branch passes the 192 input channels through)" if naive else "")
        )


@pytest.mark.points(0)
def test_parameter_counts_3a(kernel):
    for naive, want in ((False, inception_parameters()), (True, naive_inception_parameters())):
        counted = kernel.value(f"sum(p.numel() for p in build_inception({CONFIG_3A!r}, naive={naive}).parameters())")
        closed_form = kernel.call("inception_parameters", CONFIG_3A, naive=naive)
        assert counted == want, f"build_inception(GOOGLENET_3A, naive={naive}) has {counted:,} parameters, expected {want:,}"
        assert closed_form == want, f"inception_parameters(GOOGLENET_3A, naive={naive}) returned {closed_form}, expected {want:,}"


@pytest.mark.points(0)
def test_flop_reduction_ratio_3a(kernel):
    got = kernel.call("flop_reduction_ratio", CONFIG_3A)
    want = flop_reduction_ratio()
    assert got == pytest.approx(want, rel=1e-9), (
        f"flop_reduction_ratio(GOOGLENET_3A) returned {got}, expected {want:.6f} (2 H W C_out C_in k^2 per convolution, "
        "reduced module over naive module)"
    )


def test_residual_block_scale_zero_is_identity(kernel):
    x = np.random.default_rng(0).standard_normal((2, 32, 6, 6)).astype(np.float32)
    got = np.asarray(kernel.call("residual_block_output", x, 0.0), dtype=float)
    assert got.shape == x.shape, f"residual_block_output on a {x.shape} input returned shape {got.shape}; the block keeps the shape"
    assert np.allclose(got, x, atol=1e-6), (
        f"with scale 0 the block must return its input (x + 0 * residual), but it differs by up to {np.max(np.abs(got - x)):.3g}"
        " (no ReLU after the sum)"
    )


# ---------------------------------------------------------------- ResNeXt (the handout's comparison)

def test_grouped_conv2d(kernel):
    x = ((np.arange(2 * 4 * 5 * 5) * 7) % 11 - 5.0).reshape(2, 4, 5, 5)
    for groups, c_out, padding in ((2, 6, 1), (4, 4, 0), (1, 3, 0)):  # two groups, depthwise, an ordinary convolution
        w = ((np.arange(c_out * 4 // groups * 9) * 5) % 7 - 3.0).reshape(c_out, 4 // groups, 3, 3)
        call = f"grouped_conv2d(x of shape {x.shape}, w of shape {w.shape}, groups={groups}, padding={padding})"
        got = np.asarray(kernel.call("grouped_conv2d", x, w, groups, padding=padding), dtype=float)
        want = grouped_conv2d(x, w, groups, padding=padding)
        assert got.shape == want.shape, f"{call} returned shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"{call} is off by up to {np.abs(got - want).max():.3g}"


def test_resnext_parameters(kernel):
    for config in (PAPER_TEMPLATE, (256, 1, 64)):  # ResNeXt's 32x4d and ResNet's 64-wide bottleneck: about 70k each
        got = kernel.call("resnext_parameters", *config)
        want = resnext_block_parameters(*config)
        assert got == want, f"resnext_parameters{config} returned {got}, expected C·d·(2·channels + 9·d) = {want:,}"


def test_resnext_block_forms(resnext_forms):
    resnext_forms(*PAPER_TEMPLATE)
