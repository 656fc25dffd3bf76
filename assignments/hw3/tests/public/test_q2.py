"""hw3.q2 public checks: ResNeXt (grouped convolution on a small example, the block's parameter
count, its three forms for the paper's 32×4d template) and the Inception-ResNet block at scale 0.

An optional extension worth no points: GoogLeNet's inception (3a) — output channels and
parameters of the module and its naive version, and the FLOP reduction ratio."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q2")


@pytest.mark.points(0)
def test_output_channels_3a(kernel, expected):
    case = expected("q2.inception_3a")
    for naive, channels in ((False, case["output_channels"]), (True, case["naive_output_channels"])):
        shape = kernel.value(f"tuple(build_inception({case['config']!r}, naive={naive})(torch.zeros(1, 192, 9, 9)).shape)")
        assert list(shape) == [1, channels, 9, 9], (
            f"build_inception(GOOGLENET_3A, naive={naive}) maps a [1, 192, 9, 9] input to {shape}, expected "
            f"[1, {channels}, 9, 9]" + (" (the pooling branch passes the 192 input channels through)" if naive else "")
        )


@pytest.mark.points(0)
def test_parameter_counts_3a(kernel, expected):
    case = expected("q2.inception_3a")
    for naive, want in ((False, case["parameters"]), (True, case["naive_parameters"])):
        counted = kernel.value(f"sum(p.numel() for p in build_inception({case['config']!r}, naive={naive}).parameters())")
        closed_form = kernel.call("inception_parameters", case["config"], naive=naive)
        assert counted == want, f"build_inception(GOOGLENET_3A, naive={naive}) has {counted:,} parameters, expected {want:,}"
        assert closed_form == want, f"inception_parameters(GOOGLENET_3A, naive={naive}) returned {closed_form}, expected {want:,}"


@pytest.mark.points(0)
def test_flop_reduction_ratio_3a(kernel, expected):
    case = expected("q2.inception_3a")
    got = kernel.call("flop_reduction_ratio", case["config"])
    want = case["flop_reduction_ratio"]
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
    # the identity passes the line above: at scale 1 the residual branch must show
    full = np.asarray(kernel.call("residual_block_output", x, 1.0), dtype=float)
    assert np.abs(full - x).max() > 1e-4, (
        "with scale 1 the block returns its input unchanged: x + 1 * residual(x) must add the output of its branches"
    )


# ---------------------------------------------------------------- ResNeXt (the handout's comparison)

def test_grouped_conv2d(kernel, expected):
    for case in expected("q2.grouped_conv2d"):
        x, w, groups, padding, want = case["x"], case["w"], case["groups"], case["padding"], case["output"]
        call = f"grouped_conv2d(x of shape {x.shape}, w of shape {w.shape}, groups={groups}, padding={padding})"
        got = np.asarray(kernel.call("grouped_conv2d", x, w, groups, padding=padding), dtype=float)
        assert got.shape == want.shape, f"{call} returned shape {got.shape}, expected {want.shape}"
        assert np.allclose(got, want), f"{call} is off by up to {np.abs(got - want).max():.3g}"


def test_resnext_parameters(kernel, expected):
    for case in expected("q2.resnext_parameters"):
        config, want = tuple(case["config"]), case["parameters"]
        got = kernel.call("resnext_parameters", *config)
        assert got == want, f"resnext_parameters{config} returned {got}, expected C·d·(2·channels + 9·d) = {want:,}"


def test_resnext_block_forms(resnext_forms, expected):
    resnext_forms(**expected("q2.resnext_forms"))
