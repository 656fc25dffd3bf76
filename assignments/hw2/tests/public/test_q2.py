"""hw2.q2 public checks: Xavier uniform samples (bound, variance, mean, seeding) and the symmetry
experiment for one constant and one random initialisation."""

import numpy as np
import pytest

from reference.hw2.q2_initialisation import is_symmetric_after_training, xavier_bound, xavier_variance

pytestmark = pytest.mark.question("q2")


def check_xavier_samples(w: np.ndarray, fan_in: int, fan_out: int, shape: tuple[int, ...]) -> None:
    """Statistical checks of U(-b, b) samples; with n >= 10,000 samples each bound is >= 5 standard
    errors away from what a correct sampler gives, so a correct answer fails with negligible probability."""
    call = f"xavier_uniform({fan_in}, {fan_out}, {shape}, seed)"
    bound, variance = xavier_bound(fan_in, fan_out), xavier_variance(fan_in, fan_out)
    assert w.shape == shape, f"{call} returned shape {w.shape}, expected {shape}"
    assert np.abs(w).max() <= bound * (1 + 1e-9), (
        f"{call} has a sample {np.abs(w).max():.4g} outside [-b, b], b = sqrt(6 / (fan_in + fan_out)) = {bound:.4g}"
    )
    assert np.abs(w).max() >= 0.98 * bound, (
        f"{call}: the largest |sample| is {np.abs(w).max():.4g}, but {w.size} draws from U(-b, b) reach b = {bound:.4g}"
    )
    assert abs(w.var() / variance - 1) <= 0.05, (
        f"{call}: the samples' variance is {w.var():.4g}, expected 2 / (fan_in + fan_out) = {variance:.4g}"
    )
    assert abs(w.mean()) <= 0.05 * bound, f"{call}: the samples' mean is {w.mean():.4g}, expected about 0"


def test_xavier_uniform_statistics(kernel):
    fan_in, fan_out, shape = 300, 100, (100, 300)
    w = np.asarray(kernel.call("xavier_uniform", fan_in, fan_out, shape, 0), dtype=float)
    check_xavier_samples(w, fan_in, fan_out, shape)


def test_xavier_uniform_is_seeded(kernel):
    first = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 7))
    again = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 7))
    other = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 8))
    assert np.array_equal(first, again), "xavier_uniform with the same seed returned different arrays; use np.random.default_rng(seed)"
    assert not np.array_equal(first, other), "xavier_uniform with seeds 7 and 8 returned the same array"


def test_symmetry_experiment(kernel):
    for init in ("constant", "random"):
        got = kernel.call("is_symmetric_after_training", init, 10, 0)
        want = is_symmetric_after_training(init, 10, 0)
        assert got is want, (
            f"is_symmetric_after_training({init!r}, steps=10, seed=0) returned {got!r}, expected {want} "
            "(a bool: are all hidden units still identical?)"
        )
