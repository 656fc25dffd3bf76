"""hw5.q2 public checks: dropout's test mode in both conventions, what training mode does to each
unit, and that a seed reproduces its mask."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q2")


def output(kernel, x, keep_prob, training, inverted, seed=None) -> np.ndarray:
    got = np.asarray(kernel.call("dropout_forward", x, keep_prob, training, inverted=inverted, seed=seed), dtype=float)
    assert got.shape == np.shape(x), f"dropout_forward returned shape {got.shape} for an input of shape {np.shape(x)}"
    return got


def test_classic_test_mode_scales_by_keep_prob(kernel, expected):
    case = expected("q2.test_mode")
    got = output(kernel, case["x"], case["keep_prob"], False, inverted=False)
    want = case["classic"]
    assert np.allclose(got, want), (
        f"classic dropout at test time with keep_prob {case['keep_prob']} returned\n{got}\nexpected p·x:\n{want}"
    )


def test_inverted_test_mode_is_the_identity(kernel, expected):
    case = expected("q2.test_mode")
    got = output(kernel, case["x"], case["keep_prob"], False, inverted=True)
    want = case["inverted"]
    assert np.allclose(got, want), f"inverted dropout at test time returned\n{got}\nexpected x unchanged:\n{want}"


def test_training_mode_keeps_or_drops_every_unit(kernel):
    x = np.random.default_rng(0).uniform(0.5, 2.0, (50, 40))  # no zeros: 0 in the output means dropped
    for inverted, survivor, rule in ((False, x, "x"), (True, x / 0.6, "x / keep_prob")):
        got = output(kernel, x, 0.6, True, inverted=inverted, seed=0)
        kept = got != 0
        assert 0 < kept.sum() < x.size, f"inverted={inverted}, keep_prob 0.6: kept {kept.sum()} of {x.size} units"
        assert np.allclose(got[kept], survivor[kept]), (
            f"inverted={inverted}: a kept unit must equal {rule}; "
            f"got values off by up to {np.max(np.abs(got[kept] - survivor[kept])):.3g}"
        )


def test_a_seed_reproduces_its_mask(kernel):
    x = np.ones((30, 30))
    first = output(kernel, x, 0.5, True, inverted=True, seed=7)
    again = output(kernel, x, 0.5, True, inverted=True, seed=7)
    other = output(kernel, x, 0.5, True, inverted=True, seed=8)
    assert np.array_equal(first, again), "two calls with seed=7 gave different masks; draw the mask from np.random.default_rng(seed)"
    assert not np.array_equal(first, other), "seed=7 and seed=8 gave the same mask; the seed must choose the mask"
