"""hw3.q2 reference ResNeXt: the three forms' parameter counts and convolutions vs torch, the forms
computing the same function with shared weights, grouped conv vs torch's `groups=`."""

from collections import Counter

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from reference.hw3.q2_resnext import (
    FORMS,
    PAPER_TEMPLATE,
    GroupedBlock,
    block_convs,
    grouped_conv2d,
    grouped_conv_parameters,
    grouped_weights,
    resnext_block,
    resnext_block_forward,
    resnext_block_parameters,
    share_weights,
)

CONFIGS = [PAPER_TEMPLATE, (16, 4, 2), (12, 3, 5), (8, 1, 4)]  # (channels, cardinality, width); C = 1 is ResNet's bottleneck


def _numel(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("config", CONFIGS)
def test_parameter_counts_and_convolutions_match_torch(config: tuple[int, int, int], form: str) -> None:
    block = resnext_block(*config, form)
    assert _numel(block) == resnext_block_parameters(*config)
    convs = Counter((m.in_channels, m.out_channels, m.kernel_size[0], m.groups) for m in block.modules()
                    if isinstance(m, torch.nn.Conv2d))
    assert convs == block_convs(*config, form)
    assert sum(grouped_conv_parameters(a, b, k, g) for (a, b, k, g), n in convs.items() for _ in range(n)) == _numel(block)


def test_the_papers_numbers() -> None:
    # Xie et al., Fig. 1 and Table 2: 32 paths of width 4 cost about what ResNet's 64-wide bottleneck costs (~70k)
    assert resnext_block_parameters(*PAPER_TEMPLATE) == 70_144 == 32 * (256 * 4 + 3 * 3 * 4 * 4 + 4 * 256)
    assert resnext_block_parameters(256, 1, 64) == 69_632 == 256 * 64 + 3 * 3 * 64 * 64 + 64 * 256
    for cardinality, width in ((2, 40), (4, 24), (8, 14)):  # the paper's other ~70k settings
        assert abs(resnext_block_parameters(256, cardinality, width) - 70_000) < 1_500
    assert grouped_conv_parameters(128, 128, 3, 32) == _numel(torch.nn.Conv2d(128, 128, 3, groups=32, bias=False))
    assert grouped_conv_parameters(128, 256, 3, 4, bias=True) == _numel(torch.nn.Conv2d(128, 256, 3, groups=4))


@pytest.mark.parametrize("config", CONFIGS[1:])
def test_the_three_forms_compute_the_same_function_with_shared_weights(config: tuple[int, int, int]) -> None:
    torch.manual_seed(0)
    grouped = GroupedBlock(*config).double()
    x = torch.randn(2, config[0], 6, 5, dtype=torch.float64)
    with torch.no_grad():
        want = grouped(x)
        assert (want - torch.relu(x)).abs().max() > 1e-3  # the transform matters, not only the shortcut
        for form in ("branches", "concatenate"):
            other = resnext_block(*config, form).double()
            share_weights(grouped, other)
            torch.testing.assert_close(other(x), want, rtol=1e-12, atol=1e-12)
        # and the NumPy forward on the same weights
        ours = resnext_block_forward(x.numpy(), grouped.reduce.weight.numpy(), grouped.transform.weight.numpy(),
                                     grouped.expand.weight.numpy(), config[1])
        np.testing.assert_allclose(ours, want.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("form", FORMS)
def test_a_block_with_weights_set_by_shape_computes_the_grouped_forward(form: str) -> None:
    """What the grader does with a student's block: every conv of shape s gets weight_of(s); the
    block's output must equal the NumPy forward on grouped_weights(...)."""
    channels, cardinality, width = 12, 3, 2

    def weight_of(shape: tuple[int, ...]) -> np.ndarray:
        return np.random.default_rng(sum(shape) * 31 + len(shape)).standard_normal(shape) * 0.4

    block = resnext_block(channels, cardinality, width, form).double()
    with torch.no_grad():
        for m in block.modules():
            if isinstance(m, torch.nn.Conv2d):
                m.weight.copy_(torch.tensor(weight_of(tuple(m.weight.shape))))
    x = np.random.default_rng(5).standard_normal((2, channels, 5, 6))
    with torch.no_grad():
        theirs = block(torch.tensor(x)).numpy()
    ours = resnext_block_forward(x, *grouped_weights(form, channels, cardinality, width, weight_of), cardinality)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    assert np.abs(ours - np.maximum(x, 0)).max() > 1e-2  # the paths contribute


@pytest.mark.parametrize(("c_in", "c_out", "groups", "kernel", "stride", "padding"),
                         [(8, 8, 4, 3, 1, 1), (6, 9, 3, 2, 2, 0), (4, 4, 4, 3, 1, 0), (5, 10, 1, 3, 2, 1), (12, 6, 6, 1, 1, 0)])
def test_grouped_conv2d_matches_torch_groups(c_in: int, c_out: int, groups: int, kernel: int, stride: int, padding: int) -> None:
    rng = np.random.default_rng(c_in + c_out + groups)
    x = rng.standard_normal((2, c_in, 7, 6))
    w = rng.standard_normal((c_out, c_in // groups, kernel, kernel))
    theirs = F.conv2d(torch.tensor(x), torch.tensor(w), stride=stride, padding=padding, groups=groups).numpy()
    np.testing.assert_allclose(grouped_conv2d(x, w, groups, stride, padding), theirs, rtol=1e-10, atol=1e-12)


def test_grouped_conv2d_and_forms_reject_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="groups"):
        grouped_conv2d(np.zeros((1, 6, 4, 4)), np.zeros((4, 3, 3, 3)), 4)
    with pytest.raises(ValueError, match="groups must divide"):
        grouped_conv_parameters(6, 8, 3, 4)
    with pytest.raises(ValueError, match="unknown form"):
        resnext_block(8, 2, 2, "stacked")
