"""hw5.q1 — batch normalisation, forward and backward, in NumPy.

Batch norm standardises each feature with statistics of the current mini-batch and then lets
the network undo the standardisation if that helps, through a learned scale γ and shift β:

    μ = mean(x),  σ² = mean((x − μ)²)        over every axis except the feature axis
    x̂ = (x − μ) / √(σ² + ε)
    y = γ · x̂ + β

Which axes are "every axis except the feature axis" is the only difference between the two
places the question asks about (layout follows PyTorch, features on axis 1):
  * after a dense layer, x is [N, F]: one (μ, σ²) per feature, over the N samples;
  * after a conv layer, x is [N, C, H, W]: one (μ, σ²) per channel, over N·H·W values — a
    channel is one feature detector applied at every position, so all positions share γ, β.

Train mode normalises with the batch statistics and updates running averages (PyTorch's rule):
    running ← (1 − momentum) · running + momentum · batch_statistic
where the running variance receives the *unbiased* batch variance (÷ (m − 1)) although the
normalisation itself used the biased one (÷ m). Eval mode normalises with the running averages,
so a test prediction does not depend on which other samples share its batch.

Parameters added per layer: γ and β for each feature/channel (2·C, trained by gradient descent)
plus the running mean and variance (2·C buffers, updated by averaging, never by gradients).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BatchNormState:
    """Learned parameters and running statistics of one batch-norm layer, each of shape [C]."""

    gamma: np.ndarray  # scale, trained
    beta: np.ndarray  # shift, trained
    running_mean: np.ndarray  # buffer, exponential moving average of batch means
    running_var: np.ndarray  # buffer, exponential moving average of unbiased batch variances

    @staticmethod
    def initial(num_features: int) -> "BatchNormState":
        """The state PyTorch starts from: γ = 1, β = 0, running mean 0, running variance 1."""
        return BatchNormState(
            gamma=np.ones(num_features),
            beta=np.zeros(num_features),
            running_mean=np.zeros(num_features),
            running_var=np.ones(num_features),
        )


@dataclass(frozen=True)
class BatchNormCache:
    """What the backward pass needs from the forward pass."""

    x_hat: np.ndarray  # the normalised input
    inv_std: np.ndarray  # 1/√(σ² + ε) per feature, shape [C]
    gamma: np.ndarray
    training: bool  # in train mode μ and σ² depend on x, which adds two terms to dx


@dataclass(frozen=True)
class BatchNormParamCount:
    trainable: int  # γ and β
    buffers: int  # running mean and running variance (not trained)


def reduction_axes(x: np.ndarray) -> tuple[int, ...]:
    """Axes the statistics are taken over: all but the feature axis 1 ([N,F] → (0,), [N,C,H,W] → (0,2,3))."""
    if x.ndim < 2:
        raise ValueError(f"expected [N, C, ...], got shape {x.shape}")
    return (0, *range(2, x.ndim))


def _per_feature(v: np.ndarray, ndim: int) -> np.ndarray:
    """Reshape a [C] vector so it broadcasts along axis 1 of an ndim-dimensional tensor."""
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def batchnorm_forward(
    x: np.ndarray,
    state: BatchNormState,
    *,
    training: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[np.ndarray, BatchNormState, BatchNormCache]:
    """Batch norm over x of shape [N, C] (after dense) or [N, C, H, W] (after conv).

    Returns the output, the state after this step (running statistics updated in train mode,
    unchanged in eval mode) and the cache for `batchnorm_backward`.
    """
    axes = reduction_axes(x)
    if training:
        m = x.size // x.shape[1]  # values per feature that the statistics average over
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased: this is the variance of the values being normalised
        new_state = BatchNormState(
            gamma=state.gamma,
            beta=state.beta,
            running_mean=(1 - momentum) * state.running_mean + momentum * mean,
            # the running estimate is of the population variance, hence the unbiased m/(m−1)
            running_var=(1 - momentum) * state.running_var + momentum * var * m / (m - 1),
        )
    else:
        mean, var, new_state = state.running_mean, state.running_var, state

    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - _per_feature(mean, x.ndim)) * _per_feature(inv_std, x.ndim)
    y = _per_feature(state.gamma, x.ndim) * x_hat + _per_feature(state.beta, x.ndim)
    return y, new_state, BatchNormCache(x_hat=x_hat, inv_std=inv_std, gamma=state.gamma, training=training)


def batchnorm_backward(dy: np.ndarray, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dx, dγ, dβ) of a scalar loss given dy = ∂loss/∂y.

    dβ = Σ dy and dγ = Σ dy·x̂ (sums over the reduction axes). In eval mode μ, σ² are constants,
    so dx = γ/σ · dy. In train mode every x also moves μ and σ², and differentiating through
    them gives the compact form
        dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)).
    """
    ndim = dy.ndim
    axes = reduction_axes(dy)
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * cache.x_hat).sum(axis=axes)
    scale = _per_feature(cache.gamma * cache.inv_std, ndim)
    if not cache.training:
        return scale * dy, dgamma, dbeta
    mean_dy = _per_feature(dy.mean(axis=axes), ndim)
    mean_dy_xhat = _per_feature((dy * cache.x_hat).mean(axis=axes), ndim)
    dx = scale * (dy - mean_dy - cache.x_hat * mean_dy_xhat)
    return dx, dgamma, dbeta


def batchnorm_param_count(num_features: int) -> BatchNormParamCount:
    """Parameters one batch-norm layer adds over `num_features` neurons (dense) or channels (conv)."""
    return BatchNormParamCount(trainable=2 * num_features, buffers=2 * num_features)
