"""hw2.q4 — why cross-entropy, not MSE, for a sigmoid classifier: the gradient at the logit.

With p = σ(z) and a target y ∈ {0, 1}:

    MSE  L = ½ (p − y)²                      ∂L/∂z = (p − y) · p (1 − p)
    CE   L = −[y log p + (1 − y) log(1 − p)] ∂L/∂z = p − y

The factor σ'(z) = p(1 − p) → 0 when the sigmoid saturates, so with MSE a confidently
*wrong* output (y = 1, z ≪ 0) receives almost no gradient and learns slowly; CE cancels
that factor and its gradient magnitude tends to 1 exactly when the output is most wrong.
"""

from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # ≤ 1, never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def mse_sigmoid_loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """½ (σ(z) − y)² per element."""
    return 0.5 * (sigmoid(z) - y) ** 2


def ce_sigmoid_loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy of σ(z) per element, in the stable form max(z,0) − z·y + log(1 + e^(−|z|))."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def mse_sigmoid_logit_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂/∂z of ½(σ(z) − y)²: (σ − y) σ (1 − σ)."""
    p = sigmoid(z)
    return (p - y) * p * (1.0 - p)


def ce_sigmoid_logit_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂/∂z of the binary cross-entropy of σ(z): σ − y."""
    return sigmoid(z) - y


@dataclass(frozen=True)
class SaturationRow:
    """Gradient magnitudes at one confidently wrong logit (target y = 1)."""

    logit: float
    probability: float  # σ(z): how much the model believes the true class
    mse_grad: float  # |∂L_MSE/∂z|
    ce_grad: float  # |∂L_CE/∂z|


def saturation_table(logits: tuple[float, ...] = (0.0, -2.0, -5.0, -10.0, -20.0)) -> list[SaturationRow]:
    """|gradient| of MSE and CE for y = 1 and increasingly wrong (negative) logits.

    MSE's gradient shrinks like e^z while CE's approaches 1: the demonstration that MSE
    stalls exactly on the examples that most need correcting.
    """
    z = np.asarray(logits, dtype=np.float64)
    y = np.ones_like(z)
    mse = np.abs(mse_sigmoid_logit_grad(z, y))
    ce = np.abs(ce_sigmoid_logit_grad(z, y))
    p = sigmoid(z)
    return [SaturationRow(float(a), float(b), float(c), float(d)) for a, b, c, d in zip(z, p, mse, ce)]
