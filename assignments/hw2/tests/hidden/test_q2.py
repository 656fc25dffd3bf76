"""hw2.q2 hidden checks: Xavier uniform for other fans and shapes (conv kernels too), and the
symmetry experiment over every initialisation, several step counts and seeds."""

import numpy as np
import pytest

from reference.hw2.q2_initialisation import is_symmetric_after_training, xavier_bound, xavier_variance

pytestmark = pytest.mark.question("q2")


def check_xavier_samples(w: np.ndarray, fan_in: int, fan_out: int, shape: tuple[int, ...]) -> None:
    """As in the public check: bound, reach of the bound, variance and mean (n >= 10,000 samples)."""
    call = f"xavier_uniform({fan_in}, {fan_out}, {shape}, seed)"
    bound, variance = xavier_bound(fan_in, fan_out), xavier_variance(fan_in, fan_out)
    assert w.shape == shape, f"{call} returned shape {w.shape}, expected {shape}"
    assert np.abs(w).max() <= bound * (1 + 1e-9), f"{call} has a sample outside [-b, b], b = {bound:.4g}"
    assert np.abs(w).max() >= 0.98 * bound, f"{call}: the largest |sample| {np.abs(w).max():.4g} never nears b = {bound:.4g}"
    assert abs(w.var() / variance - 1) <= 0.05, f"{call}: variance {w.var():.4g}, expected {variance:.4g}"
    assert abs(w.mean()) <= 0.05 * bound, f"{call}: mean {w.mean():.4g}, expected about 0"


OTHER_FANS = [
    pytest.param(1000, 10, (1000, 10), id="dense-1000-10"),
    pytest.param(576, 1152, (128, 64, 3, 3), id="conv-64-128-3x3"),  # fan_in 64*9, fan_out 128*9
    pytest.param(20, 700, (700, 20), id="dense-20-700"),
]


@pytest.mark.parametrize(("fan_in", "fan_out", "shape"), OTHER_FANS)
def test_xavier_uniform_other_fans(kernel, fan_in, fan_out, shape):
    w = np.asarray(kernel.call("xavier_uniform", fan_in, fan_out, shape, 123), dtype=float)
    check_xavier_samples(w, fan_in, fan_out, shape)


def test_symmetry_experiment_all_cases(kernel):
    for init in ("constant", "zeros", "random"):
        for steps in (0, 1, 40):
            for seed in (3, 11):
                got = kernel.call("is_symmetric_after_training", init, steps, seed)
                want = is_symmetric_after_training(init, steps, seed)
                assert got is want, f"is_symmetric_after_training({init!r}, steps={steps}, seed={seed}) returned {got!r}, expected {want}"
