"""hw4.q3 — parameter count and closed-form backprop of the seed's 1-D conv net.

The network (one example, input 1×785×1 read as a length-785 signal x):

    x̃ = [0, x, 0]                                     zero padding 1 at both ends (787)
    a_m = W^C_0 x̃_m + W^C_1 x̃_{m+1} + b^C,  c = ReLU(a)  Conv1: 1 filter, kernel 2, stride 1 (786)
    p_j = (c_{2j} + c_{2j+1}) / 2                       AvgPool1: size 2, stride 2 (393)
    h = ReLU(W^F p + b^F)                               FC1: 100 units, W^F_ij joins p_j to h_i
    z = σ(W^Z · h + b^Z)                                output: 1 unit, sigmoid
    Cost = −y log z − (1 − y) log(1 − z)                binary cross-entropy

Parameter count (derivation; `parameter_count` computes it for any sizes):
    conv output length  = 785 + 2·1 − 2 + 1 = 786;  pooled length = ⌊(786 − 2)/2⌋ + 1 = 393
    Conv1:  2 weights + 1 bias                      =      3
    FC1:    393 · 100 weights + 100 biases          = 39,400
    output: 100 weights + 1 bias                    =    101
    total                                           = 39,504
(Pooling has no parameters.) The seed states no count of its own — its answers to q3 are
missing — so there is no seed number to reconcile.

Backward pass (chain rule from the cost down; each δ is ∂Cost/∂(that quantity)):
    δ_s   = z − y                                  (sigmoid + cross-entropy: s = W^Z·h + b^Z)
    ∂/∂W^Z_i = δ_s h_i,         ∂/∂b^Z = δ_s
    δ_hpre_i = δ_s W^Z_i 1[hpre_i > 0]
    ∂/∂W^F_ij = δ_hpre_i p_j,   ∂/∂b^F_i = δ_hpre_i
    δ_p_j = Σ_i W^F_ij δ_hpre_i
    δ_a_m = δ_p_{⌊m/2⌋} / 2 · 1[a_m > 0]           (each c_m feeds one pool window, weight 1/2)
    ∂/∂W^C_k = Σ_m δ_a_m x̃_{m+k},  ∂/∂b^C = Σ_m δ_a_m   (the filter is shared by all positions)
ReLU'(0) is taken as 0, as in PyTorch.
"""

from dataclasses import dataclass

import numpy as np

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class ConvNet1DConfig:
    """Sizes of the seed's network (all defaults are the seed's values)."""

    length: int = 785  # input samples (the 1×785×1 input)
    kernel: int = 2  # Conv1 kernel width; one filter, stride 1
    padding: int = 1  # zeros added at each end before Conv1
    pool: int = 2  # AvgPool1 window = stride
    hidden: int = 100  # FC1 units

    @property
    def conv_length(self) -> int:
        """Conv1 output length: L + 2P − K + 1 (stride 1)."""
        return self.length + 2 * self.padding - self.kernel + 1

    @property
    def pooled_length(self) -> int:
        """AvgPool1 output length: ⌊(conv_length − pool)/pool⌋ + 1."""
        return (self.conv_length - self.pool) // self.pool + 1


def parameter_count(
    length: int = 785, kernel: int = 2, padding: int = 1, pool: int = 2, hidden: int = 100
) -> dict[str, int]:
    """Trainable parameters per layer and in total (pooling has none)."""
    config = ConvNet1DConfig(length, kernel, padding, pool, hidden)
    counts = {
        "conv1": kernel + 1,  # W^C (one filter of width K) + b^C
        "fc1": config.pooled_length * hidden + hidden,  # W^F + b^F
        "output": hidden + 1,  # W^Z + b^Z
    }
    counts["total"] = sum(counts.values())
    return counts


def init_params(config: ConvNet1DConfig, rng: np.random.Generator) -> Params:
    """Random parameters with the shapes the functions below expect (W_F is hidden × pooled)."""
    return {
        "W_C": rng.standard_normal(config.kernel),
        "b_C": 0.1 * rng.standard_normal(()),
        "W_F": rng.standard_normal((config.hidden, config.pooled_length))
        / np.sqrt(config.pooled_length),
        "b_F": 0.1 * rng.standard_normal(config.hidden),
        "W_Z": rng.standard_normal(config.hidden) / np.sqrt(config.hidden),
        "b_Z": 0.1 * rng.standard_normal(()),
    }


def sigmoid(s: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-s))


@dataclass(frozen=True)
class ForwardPass:
    """Every intermediate quantity the backward pass reads."""

    padded: np.ndarray  # x̃
    conv_pre: np.ndarray  # a
    conv_out: np.ndarray  # c = ReLU(a)
    pooled: np.ndarray  # p
    hidden_pre: np.ndarray  # W^F p + b^F
    hidden: np.ndarray  # h
    z: float  # σ(W^Z·h + b^Z)


def forward(
    x: np.ndarray, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()
) -> ForwardPass:
    """Forward pass for one example x: `length` samples, e.g. shape (785,) or the seed's 1×785×1."""
    signal = np.asarray(x, dtype=float).reshape(-1)
    if signal.size != config.length:
        raise ValueError(f"expected {config.length} input samples, got {signal.size}")
    padded = np.pad(signal, config.padding)
    # a_m = Σ_k W^C_k x̃_{m+k} + b^C for m = 0 … conv_length − 1
    windows = np.lib.stride_tricks.sliding_window_view(padded, config.kernel)
    conv_pre = windows @ params["W_C"] + params["b_C"]
    conv_out = np.maximum(conv_pre, 0.0)
    covered = config.pooled_length * config.pool  # a trailing remainder is dropped (floor)
    pooled = conv_out[:covered].reshape(config.pooled_length, config.pool).mean(axis=1)
    hidden_pre = params["W_F"] @ pooled + params["b_F"]
    hidden = np.maximum(hidden_pre, 0.0)
    z = float(sigmoid(params["W_Z"] @ hidden + params["b_Z"]))
    return ForwardPass(padded, conv_pre, conv_out, pooled, hidden_pre, hidden, z)


def cost(
    x: np.ndarray, y: float, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()
) -> float:
    """Binary cross-entropy −y log z − (1 − y) log(1 − z) of one example."""
    z = forward(x, params, config).z
    return float(-y * np.log(z) - (1 - y) * np.log(1 - z))


def gradients(
    x: np.ndarray, y: float, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()
) -> Params:
    """∂Cost/∂θ for every parameter θ of one example (keys as in `params`), in closed form."""
    fwd = forward(x, params, config)
    # Output unit: for sigmoid + cross-entropy, ∂Cost/∂s = z − y (the σ' cancels).
    d_s = fwd.z - y
    d_W_Z = d_s * fwd.hidden
    d_b_Z = np.asarray(d_s)
    # FC1: back through W^Z, then ReLU passes the gradient only where the unit was active.
    d_hidden_pre = d_s * params["W_Z"] * (fwd.hidden_pre > 0)
    d_W_F = np.outer(d_hidden_pre, fwd.pooled)  # ∂/∂W^F_ij = δ_i p_j
    d_b_F = d_hidden_pre
    # AvgPool1: p_j averages `pool` conv outputs, so each gets δ_p_j / pool.
    d_pooled = params["W_F"].T @ d_hidden_pre
    d_conv_out = np.zeros(config.conv_length)
    covered = config.pooled_length * config.pool
    d_conv_out[:covered] = np.repeat(d_pooled / config.pool, config.pool)
    d_conv_pre = d_conv_out * (fwd.conv_pre > 0)
    # Conv1: the one filter is shared by every position m, so its gradient sums over m.
    windows = np.lib.stride_tricks.sliding_window_view(fwd.padded, config.kernel)
    d_W_C = d_conv_pre @ windows  # ∂/∂W^C_k = Σ_m δ_a_m x̃_{m+k}
    d_b_C = np.asarray(d_conv_pre.sum())
    return {"W_C": d_W_C, "b_C": d_b_C, "W_F": d_W_F, "b_F": d_b_F, "W_Z": d_W_Z, "b_Z": d_b_Z}
