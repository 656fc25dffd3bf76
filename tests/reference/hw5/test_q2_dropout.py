"""hw5.q2: dropout in both conventions — exact test-mode behaviour, statistical train-mode checks.

Statistical bounds (Z = 5 standard errors, a false alarm about once in 1.7 million runs; the
runs here are seeded, so the bound is also a property of a correct answer, not luck):
  * the number of dropped units K of n is Binomial(n, 1 − p): |K − n(1 − p)| ≤ Z·√(n p (1 − p));
  * the batch mean of the train output, for a fixed x: each unit is x_i·B_i·s with B_i ~ Bernoulli(p)
    (s = 1/p inverted, s = 1 classic), so Var(mean) = s² p (1 − p) Σ x_i² / n².
"""

import numpy as np
import pytest
import torch

from reference.hw5.q2_dropout import dropout_classic, dropout_inverted, dropout_mask

Z = 5.0
N = 20_000
KEEP_PROBS = [0.2, 0.5, 0.8]


def _x(n: int = N) -> np.ndarray:
    # strictly positive, so a zero in the output can only mean "dropped"
    return np.random.default_rng(123).uniform(1.0, 2.0, n)


def _drop_bound(n: int, p: float) -> float:
    return Z * np.sqrt(n * p * (1 - p))


@pytest.mark.parametrize("p", KEEP_PROBS)
def test_test_mode_is_scaling_or_identity(p):
    x = _x(1000)
    np.testing.assert_array_equal(dropout_inverted(x, p, training=False), x)
    np.testing.assert_array_equal(dropout_classic(x, p, training=False), p * x)
    # torch's eval-mode dropout is the identity too
    np.testing.assert_array_equal(
        dropout_inverted(x, p, training=False),
        torch.nn.functional.dropout(torch.from_numpy(x), p=1 - p, training=False).numpy(),
    )


@pytest.mark.parametrize("p", KEEP_PROBS)
@pytest.mark.parametrize(("dropout", "scale"), [(dropout_inverted, "inverted"), (dropout_classic, "classic")])
def test_drop_rate_survivor_values_and_expectation(p, dropout, scale):
    x = _x()
    y = dropout(x, p, training=True, rng=np.random.default_rng(7))
    s = 1.0 / p if scale == "inverted" else 1.0

    dropped = y == 0
    assert abs(dropped.sum() - N * (1 - p)) <= _drop_bound(N, p)
    np.testing.assert_allclose(y[~dropped], s * x[~dropped], rtol=1e-15)

    # the train-time expectation equals the test-time output
    test_out = dropout(x, p, training=False)
    se = s * np.sqrt(p * (1 - p) * np.sum(x**2)) / N
    assert abs(y.mean() - test_out.mean()) <= Z * se


def test_same_seed_same_mask_other_seed_other_mask():
    x = _x(500)
    for dropout in (dropout_inverted, dropout_classic):
        a = dropout(x, 0.5, training=True, rng=np.random.default_rng(42))
        b = dropout(x, 0.5, training=True, rng=np.random.default_rng(42))
        c = dropout(x, 0.5, training=True, rng=np.random.default_rng(43))
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
    np.testing.assert_array_equal(
        dropout_mask((3, 4), 0.3, np.random.default_rng(1)), dropout_mask((3, 4), 0.3, np.random.default_rng(1))
    )


def test_bad_keep_prob_and_missing_rng_are_rejected():
    with pytest.raises(ValueError):
        dropout_inverted(_x(3), 0.0, training=True, rng=np.random.default_rng(0))
    with pytest.raises(ValueError):
        dropout_classic(_x(3), 1.5, training=False)
    with pytest.raises(ValueError):
        dropout_inverted(_x(3), 0.5, training=True)


@pytest.mark.parametrize("p", KEEP_PROBS)
def test_inverted_dropout_has_torch_statistics(p):
    """torch's dropout takes the drop probability 1 − p and scales survivors by 1/p, like ours."""
    x = _x()
    torch.manual_seed(0)
    y_torch = torch.nn.functional.dropout(torch.from_numpy(x), p=1 - p, training=True).numpy()
    y_ours = dropout_inverted(x, p, training=True, rng=np.random.default_rng(0))

    k_torch, k_ours = int((y_torch == 0).sum()), int((y_ours == 0).sum())
    assert abs(k_torch - N * (1 - p)) <= _drop_bound(N, p)
    assert abs(k_ours - N * (1 - p)) <= _drop_bound(N, p)
    # difference of two independent binomials: variance adds
    assert abs(k_ours - k_torch) <= Z * np.sqrt(2 * N * p * (1 - p))

    # the same survivor scaling
    np.testing.assert_allclose(y_torch[y_torch != 0], x[y_torch != 0] / p, rtol=1e-12)
    np.testing.assert_allclose(y_ours[y_ours != 0], x[y_ours != 0] / p, rtol=1e-12)
    se = np.sqrt(p * (1 - p) * np.sum(x**2)) / (p * N)
    assert abs(y_ours.mean() - y_torch.mean()) <= Z * np.sqrt(2) * se
