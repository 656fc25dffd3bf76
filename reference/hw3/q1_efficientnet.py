"""hw3.q1 — EfficientNet compound scaling (Tan & Le, 2019), in pure Python.

One coefficient φ scales all three dimensions of a baseline network together:

    depth  d = α^φ     width  w = β^φ     resolution  r = γ^φ
    subject to  α · β² · γ² ≈ 2,   α, β, γ ≥ 1.

A convolution's FLOPs grow linearly with depth, quadratically with width (input and output
channels both scale) and quadratically with resolution (height and width both scale), so
the whole network's FLOPs grow by (α β² γ²)^φ ≈ 2^φ: φ is "how many times the compute
doubles". Step 1 fixes φ = 1 and grid-searches α, β, γ under the constraint (the paper
found α = 1.2, β = 1.1, γ = 1.15 for B0); step 2 fixes them and raises φ (B1 … B7).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

PAPER_ALPHA = 1.2  # depth base found by the paper's grid search on EfficientNet-B0
PAPER_BETA = 1.1  # width base
PAPER_GAMMA = 1.15  # resolution base
FLOPS_TARGET = 2.0  # α β² γ² — compute doubles per unit of φ
CONSTRAINT_REL_TOL = 0.05  # the paper's constants give 1.920, 4 % under 2: "≈ 2" means within 5 %


def flops_multiplier(alpha: float, beta: float, gamma: float, phi: float) -> float:
    """Factor by which FLOPs grow: (α · β² · γ²)^φ."""
    return (alpha * beta**2 * gamma**2) ** phi


def compound_coefficients(alpha: float, beta: float, gamma: float, phi: float) -> tuple[float, float, float]:
    """(d, w, r) = (α^φ, β^φ, γ^φ): the real-valued depth, width and resolution multipliers."""
    return alpha**phi, beta**phi, gamma**phi


@dataclass(frozen=True)
class Coefficients:
    alpha: float
    beta: float
    gamma: float

    @property
    def constraint_value(self) -> float:
        """α · β² · γ² (the FLOPs multiplier at φ = 1)."""
        return flops_multiplier(self.alpha, self.beta, self.gamma, 1.0)


def satisfies_constraint(
    alpha: float, beta: float, gamma: float, target: float = FLOPS_TARGET, rel_tol: float = CONSTRAINT_REL_TOL
) -> bool:
    """α, β, γ ≥ 1 and |α β² γ² − target| ≤ rel_tol · target."""
    if min(alpha, beta, gamma) < 1.0:
        return False
    return abs(alpha * beta**2 * gamma**2 - target) <= rel_tol * target


def grid_values(step: float, upper: float) -> list[float]:
    """1, 1 + step, 1 + 2·step, … ≤ upper; rounded to 10 decimals so 1 + 4·0.05 is exactly 1.2."""
    count = int(math.floor((upper - 1.0) / step + 1e-9))
    return [round(1.0 + k * step, 10) for k in range(count + 1)]


def constrained_grid(
    step: float = 0.05, upper: float = 2.0, target: float = FLOPS_TARGET, rel_tol: float = CONSTRAINT_REL_TOL
) -> list[Coefficients]:
    """Every (α, β, γ) on the grid [1, upper]³ with spacing `step` that satisfies the constraint."""
    values = grid_values(step, upper)
    return [
        Coefficients(a, b, g)
        for a in values
        for b in values
        for g in values
        if satisfies_constraint(a, b, g, target, rel_tol)
    ]


def grid_search(
    score: Callable[[Coefficients], float],
    step: float = 0.05,
    upper: float = 2.0,
    target: float = FLOPS_TARGET,
    rel_tol: float = CONSTRAINT_REL_TOL,
) -> Coefficients:
    """Step 1 of the paper: the constrained grid point with the highest score.

    In the paper the score is the accuracy of B0 scaled by (α, β, γ) at φ = 1 — a training
    run per grid point; here it is any callable, so the search itself is testable.
    """
    candidates = constrained_grid(step, upper, target, rel_tol)
    if not candidates:
        raise ValueError("no grid point satisfies the constraint; use a finer step or a larger tolerance")
    return max(candidates, key=score)


@dataclass(frozen=True)
class ScaledNetwork:
    depth: int  # number of layers (or of repeats of a block)
    width: int  # channels
    resolution: int  # input side in pixels


def _round_half_up(x: float) -> int:
    # Python's round() rounds halves to even (round(2.5) == 2); scaling wants 2.5 → 3
    return int(math.floor(x + 0.5))


def scale_depth(depth: int, multiplier: float) -> int:
    """Layers after scaling: ceil(depth · multiplier), as EfficientNet's round_repeats.

    Rounding up means never fewer layers than asked; the 1e-9 slack keeps a product that is
    an integer up to float error (5 · 1.2 = 6.000000000000001) at that integer.
    """
    return int(math.ceil(depth * multiplier - 1e-9))


def scale_width(width: int, multiplier: float, divisor: int = 1) -> int:
    """Channels after scaling: nearest multiple of `divisor`, never below 90 % of the exact value.

    With divisor 8 this is EfficientNet's round_filters (channel counts friendly to hardware);
    with divisor 1 it is plain rounding to the nearest integer.
    """
    exact = width * multiplier
    rounded = max(divisor, _round_half_up(exact / divisor) * divisor)
    if rounded < 0.9 * exact:  # rounding down must not remove more than 10 % of the channels
        rounded += divisor
    return rounded


def scale_resolution(resolution: int, multiplier: float) -> int:
    """Input side after scaling: the nearest integer (halves round up)."""
    return _round_half_up(resolution * multiplier)


def scale_baseline(
    depth: int,
    width: int,
    resolution: int,
    alpha: float,
    beta: float,
    gamma: float,
    phi: float,
    width_divisor: int = 1,
) -> ScaledNetwork:
    """Step 2: the baseline's (depth, width, resolution) scaled by φ, as integers.

    The real multipliers are α^φ, β^φ, γ^φ; the rounding rules are those of
    scale_depth (ceil), scale_width (nearest multiple of width_divisor; 8 in EfficientNet,
    1 by default here) and scale_resolution (nearest integer).
    """
    d, w, r = compound_coefficients(alpha, beta, gamma, phi)
    return ScaledNetwork(
        depth=scale_depth(depth, d),
        width=scale_width(width, w, width_divisor),
        resolution=scale_resolution(resolution, r),
    )
