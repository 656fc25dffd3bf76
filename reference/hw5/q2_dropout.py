"""hw5.q2 — dropout forward pass, in both conventions, in NumPy.

`keep_prob` is the seed's p: each unit is *kept* with probability p (the mask is Bernoulli(p)).
At test time every unit is present, so the layer must make a unit's expected output at train
time equal to its output at test time. The two conventions put the correction on either side:

  * classic (Srivastava et al., as in the seed): train y = m ⊙ x, test y = p · x
    (E[m ⊙ x] = p · x, so the test output is the train-time expectation);
  * inverted (what PyTorch and Keras do): train y = m ⊙ x / p, test y = x
    (E[m ⊙ x / p] = x, so nothing has to change at test time).

Note PyTorch's argument is the *drop* probability: torch.nn.functional.dropout(x, p=1 − keep_prob).
"""

import numpy as np


def _check_keep_prob(keep_prob: float) -> None:
    if not 0.0 < keep_prob <= 1.0:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")


def dropout_mask(shape: tuple[int, ...], keep_prob: float, rng: np.random.Generator) -> np.ndarray:
    """Bernoulli(keep_prob) keep-mask as floats (1 = kept, 0 = dropped); same rng state → same mask."""
    _check_keep_prob(keep_prob)
    return (rng.random(shape) < keep_prob).astype(np.float64)


def dropout_classic(
    x: np.ndarray, keep_prob: float, *, training: bool, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Classic dropout: drop units at train time, scale every unit by keep_prob at test time."""
    _check_keep_prob(keep_prob)
    if not training:
        return keep_prob * x
    if rng is None:
        raise ValueError("train-mode dropout needs an rng")
    return x * dropout_mask(x.shape, keep_prob, rng)


def dropout_inverted(
    x: np.ndarray, keep_prob: float, *, training: bool, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Inverted dropout: drop units and scale the survivors by 1/keep_prob at train time; identity at test time."""
    _check_keep_prob(keep_prob)
    if not training:
        return x
    if rng is None:
        raise ValueError("train-mode dropout needs an rng")
    return x * dropout_mask(x.shape, keep_prob, rng) / keep_prob
