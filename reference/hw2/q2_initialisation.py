"""hw2.q2 — symmetry breaking and weight initialisation, in NumPy.

Three experiments behind the question's prose answer:

(a) Xavier/Glorot uniform: W ~ U(-b, b) with b = sqrt(6 / (fan_in + fan_out)), so that
    Var(W) = b² / 3 = 2 / (fan_in + fan_out) — the compromise between keeping the forward
    variance (needs 1/fan_in) and the backward variance (needs 1/fan_out) constant per layer.
(b) Symmetry: a one-hidden-layer tanh MLP trained with full-batch SGD. With a constant
    initialisation every hidden unit computes the same function, receives the same gradient
    and therefore stays identical to the others after any number of steps; random
    initialisation breaks the tie.
(c) Activation variance per layer of a deep tanh MLP: too small weights make the signal
    vanish geometrically, too large weights saturate tanh at ±1 (whose derivative is ~0, so
    gradients vanish on the way back), Xavier keeps the variance in a usable range.
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np

SymmetryInit = Literal["constant", "zeros", "random"]
DeepInit = Literal["small", "large", "xavier"]


# ---------------------------------------------------------------- (a) Xavier uniform

def xavier_bound(fan_in: int, fan_out: int) -> float:
    """Half-width b of the Xavier uniform distribution U(-b, b)."""
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def xavier_variance(fan_in: int, fan_out: int) -> float:
    """Variance of U(-b, b) with the Xavier bound: b²/3 = 2 / (fan_in + fan_out)."""
    return 2.0 / (fan_in + fan_out)


def xavier_uniform(
    fan_in: int, fan_out: int, shape: tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    """Samples of the given shape from U(-b, b), b = sqrt(6 / (fan_in + fan_out))."""
    bound = xavier_bound(fan_in, fan_out)
    return rng.uniform(-bound, bound, size=shape)


# ---------------------------------------------------------------- (b) symmetry experiment

@dataclass(frozen=True)
class SymmetryConfig:
    """The small regression problem of the symmetry experiment."""

    n_samples: int = 32  # one full batch; SGD here is plain gradient descent on it
    n_inputs: int = 4
    n_hidden: int = 8  # the units whose (non-)identity we watch
    n_outputs: int = 2
    learning_rate: float = 0.1
    constant: float = 0.5  # the value of every weight under "constant" init


@dataclass(frozen=True)
class MLPParams:
    """One-hidden-layer MLP y = tanh(x W1 + b1) W2 + b2 (weights stored input-major)."""

    w1: np.ndarray  # [n_inputs, n_hidden]: column j is hidden unit j's incoming weights
    b1: np.ndarray  # [n_hidden]
    w2: np.ndarray  # [n_hidden, n_outputs]: row j is hidden unit j's outgoing weights
    b2: np.ndarray  # [n_outputs]


def init_mlp(init: SymmetryInit, config: SymmetryConfig, rng: np.random.Generator) -> MLPParams:
    """Initial parameters: every entry equal ("constant"/"zeros") or Xavier uniform ("random")."""
    shapes = {
        "w1": (config.n_inputs, config.n_hidden),
        "b1": (config.n_hidden,),
        "w2": (config.n_hidden, config.n_outputs),
        "b2": (config.n_outputs,),
    }
    if init == "constant":
        return MLPParams(**{k: np.full(s, config.constant) for k, s in shapes.items()})
    if init == "zeros":
        return MLPParams(**{k: np.zeros(s) for k, s in shapes.items()})
    if init == "random":
        return MLPParams(
            w1=xavier_uniform(config.n_inputs, config.n_hidden, shapes["w1"], rng),
            b1=np.zeros(config.n_hidden),  # biases may stay zero: the weights already differ
            w2=xavier_uniform(config.n_hidden, config.n_outputs, shapes["w2"], rng),
            b2=np.zeros(config.n_outputs),
        )
    raise ValueError(f"unknown init {init!r}; expected 'constant', 'zeros' or 'random'")


def mse_loss(params: MLPParams, x: np.ndarray, y: np.ndarray) -> float:
    """Mean over all entries of (ŷ − y)²."""
    hidden = np.tanh(x @ params.w1 + params.b1)
    return float(np.mean((hidden @ params.w2 + params.b2 - y) ** 2))


def sgd_step(params: MLPParams, x: np.ndarray, y: np.ndarray, lr: float) -> MLPParams:
    """One gradient-descent step on the mean squared error, backpropagated by hand."""
    pre = x @ params.w1 + params.b1
    hidden = np.tanh(pre)
    out = hidden @ params.w2 + params.b2
    d_out = 2.0 * (out - y) / y.size  # ∂ mean((ŷ−y)²) / ∂ŷ
    d_w2 = hidden.T @ d_out
    d_b2 = d_out.sum(axis=0)
    d_pre = (d_out @ params.w2.T) * (1.0 - hidden**2)  # tanh' = 1 − tanh²
    d_w1 = x.T @ d_pre
    d_b1 = d_pre.sum(axis=0)
    return MLPParams(
        w1=params.w1 - lr * d_w1,
        b1=params.b1 - lr * d_b1,
        w2=params.w2 - lr * d_w2,
        b2=params.b2 - lr * d_b2,
    )


def symmetry_data(config: SymmetryConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian inputs and targets: any non-degenerate data shows the effect."""
    x = rng.standard_normal((config.n_samples, config.n_inputs))
    y = rng.standard_normal((config.n_samples, config.n_outputs))
    return x, y


def train_mlp(
    params: MLPParams, x: np.ndarray, y: np.ndarray, steps: int, lr: float
) -> MLPParams:
    """`steps` full-batch SGD steps."""
    for _ in range(steps):
        params = sgd_step(params, x, y, lr)
    return params


def hidden_units_identical(params: MLPParams, atol: float = 1e-12) -> bool:
    """True when all hidden units have the same incoming weights, bias and outgoing weights."""
    return bool(
        np.allclose(params.w1, params.w1[:, :1], rtol=0.0, atol=atol)
        and np.allclose(params.b1, params.b1[0], rtol=0.0, atol=atol)
        and np.allclose(params.w2, params.w2[:1, :], rtol=0.0, atol=atol)
    )


def is_symmetric_after_training(
    init: SymmetryInit, steps: int, seed: int, config: SymmetryConfig = SymmetryConfig()
) -> bool:
    """Train the MLP from `init` for `steps` SGD steps; are the hidden units still identical?"""
    rng = np.random.default_rng(seed)
    x, y = symmetry_data(config, rng)
    params = train_mlp(init_mlp(init, config, rng), x, y, steps, config.learning_rate)
    return hidden_units_identical(params)


# ---------------------------------------------------------------- (c) deep tanh MLP

@dataclass(frozen=True)
class DeepTanhConfig:
    """A deep, square tanh MLP probed with Gaussian inputs."""

    depth: int = 10  # number of Linear+tanh layers
    width: int = 256  # fan_in = fan_out = width for every layer
    n_samples: int = 512
    small_std: float = 0.01  # "too small": each layer multiplies the variance by ~width·0.01²
    large_std: float = 1.0  # "too large": pre-activations of std ~sqrt(width) saturate tanh


def deep_tanh_weights(init: DeepInit, config: DeepTanhConfig, rng: np.random.Generator) -> list[np.ndarray]:
    """One [width, width] weight matrix per layer (biases are zero)."""
    shape = (config.width, config.width)
    if init == "small":
        return [config.small_std * rng.standard_normal(shape) for _ in range(config.depth)]
    if init == "large":
        return [config.large_std * rng.standard_normal(shape) for _ in range(config.depth)]
    if init == "xavier":
        return [xavier_uniform(config.width, config.width, shape, rng) for _ in range(config.depth)]
    raise ValueError(f"unknown init {init!r}; expected 'small', 'large' or 'xavier'")


def layer_activations(x: np.ndarray, weights: list[np.ndarray]) -> list[np.ndarray]:
    """tanh(h W) layer after layer; returns the activation of every layer."""
    activations = []
    for w in weights:
        x = np.tanh(x @ w)
        activations.append(x)
    return activations


def activation_variances(
    init: DeepInit, seed: int, config: DeepTanhConfig = DeepTanhConfig()
) -> np.ndarray:
    """Variance of each layer's activations (over samples and units), shape [depth]."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((config.n_samples, config.width))
    weights = deep_tanh_weights(init, config, rng)
    return np.array([a.var() for a in layer_activations(x, weights)])
