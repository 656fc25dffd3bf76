"""hw5.q2 hidden checks: test mode on random inputs, and on large inputs in training mode the
drop rate and the expectation within a 5-sigma bound, the kept values, and seeded masks."""

import numpy as np
import pytest

from reference.hw5.q2_dropout import dropout_classic, dropout_inverted

pytestmark = pytest.mark.question("q2")

KEEP_PROBS = (0.25, 0.5, 0.9)
UNITS = 100_000  # per call: the drop rate's standard deviation is at most 0.0016
SIGMAS = 5.0  # a correct implementation fails a check with probability ~6e-7


@pytest.fixture(scope="module")
def large_input() -> np.ndarray:
    return np.random.default_rng(601).uniform(0.5, 1.5, (UNITS // 100, 100))  # no zeros


@pytest.fixture(scope="module")
def training_outputs(kernel, large_input) -> dict[tuple[float, bool], np.ndarray]:
    """The student's training-mode output for every keep_prob and convention (hidden seeds)."""
    outputs = {}
    for index, keep_prob in enumerate(KEEP_PROBS):
        for inverted in (False, True):
            got = kernel.call("dropout_forward", large_input, keep_prob, True, inverted=inverted, seed=9000 + index)
            got = np.asarray(got, dtype=float)
            if got.shape != large_input.shape:
                pytest.fail(f"dropout_forward returned shape {got.shape} for an input of shape {large_input.shape}", pytrace=False)
            outputs[keep_prob, inverted] = got
    return outputs


def test_test_mode_on_random_inputs(kernel):
    rng = np.random.default_rng(602)
    for _ in range(6):
        x = rng.standard_normal(tuple(int(n) for n in rng.integers(1, 8, size=int(rng.integers(1, 4)))))
        keep_prob = float(rng.uniform(0.05, 1.0))
        for inverted, reference in ((False, dropout_classic), (True, dropout_inverted)):
            got = np.asarray(kernel.call("dropout_forward", x, keep_prob, False, inverted=inverted, seed=None), dtype=float)
            want = reference(x, keep_prob, training=False)
            assert got.shape == want.shape and np.allclose(got, want), (
                f"test mode, inverted={inverted}, keep_prob {keep_prob:.3f}, input {x.shape}: "
                f"expected {'x' if inverted else 'keep_prob · x'}"
            )


def test_drop_rate_and_kept_values(training_outputs, large_input):
    for (keep_prob, inverted), got in training_outputs.items():
        dropped = np.mean(got == 0)
        bound = SIGMAS * np.sqrt(keep_prob * (1 - keep_prob) / got.size)
        assert abs(dropped - (1 - keep_prob)) <= bound, (
            f"inverted={inverted}, keep_prob {keep_prob}: {dropped:.4f} of {got.size:,} units dropped, "
            f"expected {1 - keep_prob:.4f} ± {bound:.4f}"
        )
        kept = got != 0
        scale = 1 / keep_prob if inverted else 1.0
        assert np.allclose(got[kept], large_input[kept] * scale), (
            f"inverted={inverted}, keep_prob {keep_prob}: kept units must equal x{' / keep_prob' if inverted else ''}"
        )


def test_expectation_is_preserved(training_outputs, large_input):
    for (keep_prob, inverted), got in training_outputs.items():
        # E[y] of a unit is x·p (classic) or x (inverted); the test-mode output is that expectation
        scale = 1 / keep_prob if inverted else 1.0
        expected = np.mean(dropout_inverted(large_input, keep_prob, training=False) if inverted
                           else dropout_classic(large_input, keep_prob, training=False))
        sigma = scale * np.sqrt(np.sum(large_input**2) * keep_prob * (1 - keep_prob)) / large_input.size
        assert abs(got.mean() - expected) <= SIGMAS * sigma, (
            f"inverted={inverted}, keep_prob {keep_prob}: the training-mode mean is {got.mean():.4f}, but the test-mode "
            f"output's mean is {expected:.4f} (± {SIGMAS * sigma:.4f}); training and test must agree in expectation"
        )


def test_seeds_reproduce_their_masks(kernel):
    x = np.ones((40, 25))
    for seed in (11, 2024, 31337):
        for inverted in (False, True):
            first = np.asarray(kernel.call("dropout_forward", x, 0.5, True, inverted=inverted, seed=seed))
            again = np.asarray(kernel.call("dropout_forward", x, 0.5, True, inverted=inverted, seed=seed))
            other = np.asarray(kernel.call("dropout_forward", x, 0.5, True, inverted=inverted, seed=seed + 1))
            assert np.array_equal(first, again), f"seed={seed}, inverted={inverted}: the same seed gave two different masks"
            assert not np.array_equal(first, other), f"seeds {seed} and {seed + 1} gave the same mask"
