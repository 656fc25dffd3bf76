"""hw2.q2 public checks: Xavier uniform samples (bound, variance, mean, seeding), the symmetry
experiment for one constant and one random initialisation, and the experiment's trained
parameters (so that the verdict cannot be a hard-coded answer)."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q2")

# The experiment's MLP y = tanh(x W1 + b1) W2 + b2 as trained_parameters returns it: w1 [n_in, n_hidden]
# (column j: hidden unit j's incoming weights), b1 [n_hidden], w2 [n_hidden, n_out] (row j: its outgoing
# weights), b2 [n_out]
Params = dict[str, np.ndarray]


def hidden_units_identical(p: Params, atol: float) -> bool:
    """Does every hidden unit have the first one's incoming weights, bias and outgoing weights (to atol)?"""
    return bool(np.all(np.abs(p["w1"] - p["w1"][:, [0]]) <= atol) and np.all(np.abs(p["b1"] - p["b1"][0]) <= atol)
                and np.all(np.abs(p["w2"] - p["w2"][[0], :]) <= atol))


def check_xavier_samples(w: np.ndarray, fan_in: int, fan_out: int, shape: tuple[int, ...], bound: float, variance: float) -> None:
    """Statistical checks of U(-b, b) samples; with n >= 10,000 samples each bound is >= 5 standard
    errors away from what a correct sampler gives, so a correct answer fails with negligible probability."""
    call = f"xavier_uniform({fan_in}, {fan_out}, {shape}, seed)"
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


def test_xavier_uniform_statistics(kernel, expected):
    case = expected("q2.xavier_uniform")
    fan_in, fan_out, shape = case["fan_in"], case["fan_out"], tuple(case["shape"])
    w = np.asarray(kernel.call("xavier_uniform", fan_in, fan_out, shape, case["seed"]), dtype=float)
    check_xavier_samples(w, fan_in, fan_out, shape, case["bound"], case["variance"])


def test_xavier_uniform_is_seeded(kernel):
    first = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 7))
    again = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 7))
    other = np.asarray(kernel.call("xavier_uniform", 50, 30, (30, 50), 8))
    assert np.array_equal(first, again), "xavier_uniform with the same seed returned different arrays; use np.random.default_rng(seed)"
    assert not np.array_equal(first, other), "xavier_uniform with seeds 7 and 8 returned the same array"


def test_symmetry_experiment(kernel, expected):
    for case in expected("q2.symmetry"):
        init, steps, seed, want = case["init"], case["steps"], case["seed"], case["symmetric"]
        got = kernel.call("is_symmetric_after_training", init, steps, seed)
        assert got is want, (
            f"is_symmetric_after_training({init!r}, steps={steps}, seed={seed}) returned {got!r}, expected {want} "
            "(a bool: are all hidden units still identical?)"
        )


def trained_parameters(kernel, init: str, steps: int, seed: int) -> Params:
    """The student's trained_parameters(...), checked for the four arrays of consistent shapes."""
    call = f"trained_parameters({init!r}, steps={steps}, seed={seed})"
    raw = kernel.call("trained_parameters", init, steps, seed)
    if not isinstance(raw, dict) or set(raw) != {"w1", "b1", "w2", "b2"}:
        pytest.fail(f"{call} returned {type(raw).__name__}; expected a dict with the keys w1, b1, w2, b2", pytrace=False)
    p = {name: np.asarray(value, dtype=float) for name, value in raw.items()}
    w1, b1, w2, b2 = p["w1"], p["b1"], p["w2"], p["b2"]
    n_in, n_hidden = w1.shape if w1.ndim == 2 else (0, 0)
    assert n_hidden >= 2 and b1.shape == (n_hidden,) and w2.ndim == 2 and w2.shape[0] == n_hidden \
        and b2.shape == (w2.shape[1],), (
        f"{call} returned w1 {w1.shape}, b1 {b1.shape}, w2 {w2.shape}, b2 {b2.shape}; expected "
        "[n_in, n_hidden], [n_hidden], [n_hidden, n_out], [n_out] with several hidden units"
    )
    assert all(np.all(np.isfinite(a)) for a in p.values()), f"{call} returned non-finite values"
    return p


def test_trained_parameters_show_the_experiment(kernel):
    for seed in (0, 5):
        for init in ("constant", "zeros", "random"):
            start, trained = trained_parameters(kernel, init, 0, seed), trained_parameters(kernel, init, 30, seed)
            call = f"trained_parameters({init!r}, steps=30, seed={seed})"
            identical = hidden_units_identical(trained, atol=1e-10)
            assert identical == (init != "random"), (
                f"after {call} the hidden units are {'' if identical else 'not '}identical; "
                + ("a constant start keeps them identical" if init != "random" else "a random start makes them differ")
            )
            verdict = kernel.call("is_symmetric_after_training", init, 30, seed)
            assert verdict is identical, (
                f"is_symmetric_after_training({init!r}, 30, {seed}) returned {verdict!r}, but {call} says {identical}"
            )
            values = np.concatenate([start[name].ravel() for name in ("w1", "b1", "w2", "b2")])
            if init == "constant":
                assert np.all(values == values[0]) and values[0] != 0, "at step 0 a constant start has one non-zero value everywhere"
            if init == "zeros":
                assert not values.any(), "at step 0 a zero start is all zeros"
                assert not (trained["w1"].any() or trained["b1"].any() or trained["w2"].any()) and not np.allclose(trained["b2"], 0), (
                    f"from zeros only the output bias can learn (tanh(0) = 0 blocks every other gradient); {call} says otherwise"
                )
            else:
                assert not np.allclose(trained["w1"], start["w1"]), f"{call} did not change w1: no training happened"
