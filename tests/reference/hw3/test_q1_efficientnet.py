"""hw3.q1 reference: multiplier and grid search, rounding vs torchvision's EfficientNets,
and the FLOPs growth measured with torch's FlopCounterMode."""

import itertools
import math

import numpy as np
import pytest
import torch
import torchvision

from reference.hw3.q1_efficientnet import (
    PAPER_ALPHA,
    PAPER_BETA,
    PAPER_GAMMA,
    Coefficients,
    compound_coefficients,
    constrained_grid,
    flops_multiplier,
    grid_search,
    grid_values,
    satisfies_constraint,
    scale_baseline,
    scale_depth,
    scale_resolution,
    scale_width,
)
from reference.hw3.q1_scaled_cnn import (
    PlainCNN,
    measure_flops,
    measured_flops_growth,
    plain_cnn_flops,
)

PAPER = (PAPER_ALPHA, PAPER_BETA, PAPER_GAMMA)


def test_paper_constants_satisfy_the_constraint() -> None:
    value = PAPER_ALPHA * PAPER_BETA**2 * PAPER_GAMMA**2
    assert value == pytest.approx(1.92027, abs=1e-5)  # 4 % under 2: inside the 5 % tolerance
    assert satisfies_constraint(*PAPER)
    assert not satisfies_constraint(*PAPER, rel_tol=0.03)
    assert not satisfies_constraint(0.9, 1.3, 1.2)  # a coefficient below 1 is not allowed
    assert flops_multiplier(*PAPER, phi=3) == pytest.approx(value**3)
    d, w, r = compound_coefficients(*PAPER, phi=2)
    assert d * w**2 * r**2 == pytest.approx(flops_multiplier(*PAPER, phi=2))


def test_constrained_grid_equals_vectorised_enumeration() -> None:
    step, upper = 0.05, 2.0
    assert len(grid_values(step, upper)) == 21 and grid_values(step, upper)[4] == 1.2
    ours = {(c.alpha, c.beta, c.gamma) for c in constrained_grid(step, upper)}
    values = np.round(np.arange(21) * step + 1.0, 10)
    a, b, g = np.meshgrid(values, values, values, indexing="ij")
    keep = np.abs(a * b**2 * g**2 - 2.0) <= 0.1
    theirs = set(zip(a[keep].tolist(), b[keep].tolist(), g[keep].tolist()))
    assert ours == theirs
    assert (1.2, 1.1, 1.15) in ours  # the paper's point lies on this grid and passes
    assert all(abs(c.constraint_value - 2.0) <= 0.1 for c in constrained_grid(step, upper))


def test_grid_search_returns_the_best_scored_candidate() -> None:
    # a stand-in accuracy that peaks at the paper's constants
    def score(c: Coefficients) -> float:
        return -((c.alpha - 1.2) ** 2 + (c.beta - 1.1) ** 2 + (c.gamma - 1.15) ** 2)

    assert grid_search(score) == Coefficients(1.2, 1.1, 1.15)
    best_constraint = grid_search(lambda c: -abs(c.constraint_value - 2.0), step=0.1)
    brute = min(
        (c for c in itertools.product(np.round(np.arange(11) * 0.1 + 1, 10), repeat=3)),
        key=lambda c: abs(c[0] * c[1] ** 2 * c[2] ** 2 - 2.0),
    )
    assert best_constraint.constraint_value == pytest.approx(brute[0] * brute[1] ** 2 * brute[2] ** 2)
    with pytest.raises(ValueError):
        grid_search(score, step=0.5, upper=1.2)  # only (1, 1, 1): multiplier 1, far from 2


# (width_mult, depth_mult) of B0..B7 as torchvision builds them (the paper's table)
EFFICIENTNETS = {
    "efficientnet_b0": (1.0, 1.0), "efficientnet_b1": (1.0, 1.1), "efficientnet_b2": (1.1, 1.2),
    "efficientnet_b3": (1.2, 1.4), "efficientnet_b4": (1.4, 1.8), "efficientnet_b5": (1.6, 2.2),
    "efficientnet_b6": (1.8, 2.6), "efficientnet_b7": (2.0, 3.1),
}
B0_STAGE_CHANNELS = (16, 24, 40, 80, 112, 192, 320)
B0_STAGE_LAYERS = (1, 2, 2, 3, 3, 4, 1)


@pytest.mark.parametrize("name", list(EFFICIENTNETS))
def test_rounding_rules_reproduce_torchvision_efficientnets(name: str) -> None:
    width_mult, depth_mult = EFFICIENTNETS[name]
    with torch.device("meta"):  # shapes only: no memory, no initialisation cost
        model = getattr(torchvision.models, name)()
    stem = model.features[0][0]
    assert stem.out_channels == scale_width(32, width_mult, divisor=8)
    for stage, channels, layers in zip(model.features[1:8], B0_STAGE_CHANNELS, B0_STAGE_LAYERS):
        assert len(stage) == scale_depth(layers, depth_mult)
        last_conv = [m for m in stage.modules() if isinstance(m, torch.nn.Conv2d)][-1]
        assert last_conv.out_channels == scale_width(channels, width_mult, divisor=8)


def test_scale_baseline_rounding() -> None:
    assert scale_depth(5, 1.2) == 6  # 6.000000000000001 is 6, not 7
    assert scale_resolution(224, 1.15**2) == round(224 * 1.3225)  # 296.24 → 296
    assert scale_resolution(10, 1.25) == 13  # 12.5 rounds up, not to even
    scaled = scale_baseline(8, 32, 32, *PAPER, phi=1)
    assert (scaled.depth, scaled.width, scaled.resolution) == (
        math.ceil(8 * 1.2), round(32 * 1.1), round(32 * 1.15),
    )
    assert scale_baseline(8, 32, 32, *PAPER, phi=0) == scale_baseline(8, 32, 32, 1.0, 1.0, 1.0, phi=5)


@pytest.mark.parametrize(("depth", "width", "resolution"), [(3, 8, 16), (8, 32, 32)])
def test_flop_counter_matches_closed_form(depth: int, width: int, resolution: int) -> None:
    assert measure_flops(PlainCNN(depth, width), resolution) == plain_cnn_flops(depth, width, resolution)
    # and on real tensors (not the meta device) the counter reports the same number
    model = PlainCNN(depth, width)
    with torch.utils.flop_counter.FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, 3, resolution, resolution))
    assert counter.get_total_flops() == plain_cnn_flops(depth, width, resolution)


@pytest.mark.parametrize("phi", [1, 2, 3, 4])
def test_measured_flops_grow_by_the_compound_multiplier(phi: int) -> None:
    """Tolerances, and why:
    * vs (α β² γ²)^φ: within 6 % — the integer rounding of depth (ceil: up to one extra layer),
      width and resolution (±0.5 each) and the stem conv, whose cost is linear, not quadratic,
      in width, move the measured ratio a few per cent off the ideal;
    * vs 2^φ: additionally the paper's α β² γ² is 1.92, not 2, so the ideal itself is
      0.96^φ · 2^φ; within 6 % + (1 − 0.96^φ).
    """
    growth = measured_flops_growth(8, 32, 32, *PAPER, phi=phi)
    ideal = flops_multiplier(*PAPER, phi=phi)
    assert growth == pytest.approx(ideal, rel=0.06)
    assert growth == pytest.approx(2.0**phi, rel=0.06 + (1 - 0.96**phi))
    assert growth > measured_flops_growth(8, 32, 32, *PAPER, phi=phi - 1)


def test_grid_point_closest_to_two_doubles_flops() -> None:
    """The grid point nearest α β² γ² = 2 that scales all three dimensions: FLOPs ≈ 2^φ."""

    def closeness(c: Coefficients) -> float:
        return -abs(c.constraint_value - 2.0) if min(c.alpha, c.beta, c.gamma) > 1.0 else -math.inf

    best = grid_search(closeness)
    assert abs(best.constraint_value - 2.0) < 0.001
    for phi in (1, 2, 3):
        growth = measured_flops_growth(8, 32, 32, best.alpha, best.beta, best.gamma, phi)
        assert growth == pytest.approx(2.0**phi, rel=0.06)  # only rounding and the stem remain
