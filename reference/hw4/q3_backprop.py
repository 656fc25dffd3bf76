"""hw4.q3 — parameter count and closed-form backprop of the handout's 1-D conv net.

The network (one example; the 785×1 input read as a signal x), in the handout's names:

    x̃ = [0, x, 0]                                       zero padding 1 at both ends (787)
    c_m = ReLU(W^C_1 x̃_m + W^C_2 x̃_{m+1} + b^C)         CONV1: 1 filter 2×1, stride 1 (786)
    a_j = (c_{2j−1} + c_{2j}) / 2                         AVGPOOL1: extent 2, stride 2 (393)
    f_i = ReLU(Σ_j W^A_ji a_j + b^M_i)                    FC1: 20 units (the handout's figure)
    z   = σ(Σ_i W^F_i f_i + b^F)                          Z: 1 unit, sigmoid
    Cost = −y log z − (1 − y) log(1 − z)                  binary cross-entropy of one example

Indices: m runs over CONV1's outputs, j over AVGPOOL1's, i over FC1's; W^A_ji joins pooled
unit j to FC1 unit i (j first, as in the handout's ∂Cost/∂W^A_ji), so the array W_A has shape
(pooled, hidden) with W_A[j, i] = W^A_ji. Parameter keys are the handout's symbols: "W_C_1",
"W_C_2" (W^C = [W^C_1, W^C_2]; "W_C_k" for a wider filter), "b_C", "W_A", "b_M", "W_F", "b_F".

Parameter count (derivation; `parameter_count` computes it for any sizes):
    CONV1 output length = 785 + 2·1 − 2 + 1 = 786;  pooled length = ⌊(786 − 2)/2⌋ + 1 = 393
    CONV1:    2 weights + 1 bias                     =     3
    AVGPOOL1: nothing to learn                       =     0
    FC1:      393 · 20 weights + 20 biases           = 7,880
    Z:        20 weights + 1 bias                    =    21
    total                                            = 7,904
(The first version of this question, taken from a student's answer, had 100 FC1 units and
39,504 parameters; the handout's figure says 20 units.)

Backward pass (chain rule from the cost down; each δ is ∂Cost/∂(that pre-activation)):
    δ_z  = z − y                              (sigmoid + cross-entropy: σ' cancels)
    ∂/∂W^F_i = δ_z f_i,            ∂/∂b^F = δ_z
    δ_i  = δ_z W^F_i 1[f_i > 0]               (FC1's ReLU)
    ∂/∂W^A_ji = δ_i a_j,           ∂/∂b^M_i = δ_i                        ← asked
    ∂Cost/∂a_j = Σ_i W^A_ji δ_i
    ε_m  = ½ ∂Cost/∂a_{j(m)} · 1[c_m > 0]    (c_m feeds the one window j(m), weight ½)
    ∂/∂W^C_k = Σ_m ε_m x̃_{m+k−1},  ∂/∂b^C = Σ_m ε_m  (the filter is shared by all positions)
    so ∂/∂W^C_1 = Σ_m ε_m x̃_m                                           ← asked
ReLU'(0) is taken as 0, as in PyTorch.
"""

from dataclasses import dataclass

import numpy as np

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class ConvNet1DConfig:
    """Sizes of the network; the defaults are the handout's."""

    length: int = 785  # input samples (the 785×1 input)
    kernel: int = 2  # CONV1 filter width; one filter, stride 1
    padding: int = 1  # zeros added at each end before CONV1
    pool: int = 2  # AVGPOOL1 extent = stride
    hidden: int = 20  # FC1 units: "FV1 (20 units)" in the handout's figure

    @property
    def conv_length(self) -> int:
        """CONV1 output length: L + 2P − K + 1 (stride 1)."""
        return self.length + 2 * self.padding - self.kernel + 1

    @property
    def pooled_length(self) -> int:
        """AVGPOOL1 output length: ⌊(conv_length − pool)/pool⌋ + 1."""
        return (self.conv_length - self.pool) // self.pool + 1

    @property
    def filter_keys(self) -> tuple[str, ...]:
        """The handout's W^C_1, W^C_2, … as parameter keys."""
        return tuple(f"W_C_{k}" for k in range(1, self.kernel + 1))


def parameter_count(
    length: int = 785, kernel: int = 2, padding: int = 1, pool: int = 2, hidden: int = 20
) -> dict[str, int]:
    """Trainable parameters per layer (the handout's layer names) and in total."""
    config = ConvNet1DConfig(length, kernel, padding, pool, hidden)
    counts = {
        "conv1": kernel + 1,  # W^C (one filter of width K) + b^C
        "avgpool1": 0,  # an average has nothing to learn
        "fc1": config.pooled_length * hidden + hidden,  # W^A + b^M
        "z": hidden + 1,  # W^F + b^F
    }
    counts["total"] = sum(counts.values())
    return counts


def init_params(config: ConvNet1DConfig, rng: np.random.Generator) -> Params:
    """Random parameters under the handout's names (W_A is pooled × hidden, scalars 0-d)."""
    filter_taps = rng.standard_normal(config.kernel)
    return {
        **{key: filter_taps[k] for k, key in enumerate(config.filter_keys)},
        "b_C": 0.1 * rng.standard_normal(()),
        "W_A": rng.standard_normal((config.pooled_length, config.hidden)) / np.sqrt(config.pooled_length),
        "b_M": 0.1 * rng.standard_normal(config.hidden),
        "W_F": rng.standard_normal(config.hidden) / np.sqrt(config.hidden),
        "b_F": 0.1 * rng.standard_normal(()),
    }


def sigmoid(s: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-s))


@dataclass(frozen=True)
class ForwardPass:
    """Every intermediate quantity the backward pass reads (the handout's c, a, f, z)."""

    padded: np.ndarray  # x̃
    conv_pre: np.ndarray  # W^C · window + b^C, before CONV1's ReLU
    c: np.ndarray  # CONV1's output
    a: np.ndarray  # AVGPOOL1's output
    fc1_pre: np.ndarray  # Σ_j W^A_ji a_j + b^M_i, before FC1's ReLU
    f: np.ndarray  # FC1's output
    z: float  # the network's output


def forward(x: np.ndarray, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()) -> ForwardPass:
    """Forward pass for one example x: `length` samples, e.g. shape (785,) or the handout's 785×1."""
    signal = np.asarray(x, dtype=float).reshape(-1)
    if signal.size != config.length:
        raise ValueError(f"expected {config.length} input samples, got {signal.size}")
    padded = np.pad(signal, config.padding)
    taps = np.array([params[key] for key in config.filter_keys], dtype=float)
    # conv_pre_m = Σ_k W^C_k x̃_{m+k−1} + b^C for every window m
    windows = np.lib.stride_tricks.sliding_window_view(padded, config.kernel)
    conv_pre = windows @ taps + params["b_C"]
    c = np.maximum(conv_pre, 0.0)
    covered = config.pooled_length * config.pool  # a trailing remainder is dropped (floor)
    a = c[:covered].reshape(config.pooled_length, config.pool).mean(axis=1)
    fc1_pre = a @ params["W_A"] + params["b_M"]  # Σ_j a_j W^A_ji: j is W_A's first index
    f = np.maximum(fc1_pre, 0.0)
    z = float(sigmoid(params["W_F"] @ f + params["b_F"]))
    return ForwardPass(padded, conv_pre, c, a, fc1_pre, f, z)


def cost(x: np.ndarray, y: float, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()) -> float:
    """Binary cross-entropy −y log z − (1 − y) log(1 − z) of one example."""
    z = forward(x, params, config).z
    return float(-y * np.log(z) - (1 - y) * np.log(1 - z))


def gradients(x: np.ndarray, y: float, params: Params, config: ConvNet1DConfig = ConvNet1DConfig()) -> Params:
    """∂Cost/∂θ of one example for every parameter θ (keys as in `params`), in closed form."""
    fwd = forward(x, params, config)
    # Z: for sigmoid + cross-entropy, ∂Cost/∂(pre-activation) = z − y.
    d_z = fwd.z - y
    # FC1: back through W^F, then the ReLU passes the gradient only where the unit was active.
    d_fc1 = d_z * params["W_F"] * (fwd.fc1_pre > 0)  # δ_i
    # AVGPOOL1: a_j averages `pool` CONV1 outputs, so each gets ∂Cost/∂a_j / pool.
    d_a = params["W_A"] @ d_fc1  # Σ_i W^A_ji δ_i
    d_c = np.zeros(config.conv_length)
    covered = config.pooled_length * config.pool
    d_c[:covered] = np.repeat(d_a / config.pool, config.pool)
    d_conv_pre = d_c * (fwd.conv_pre > 0)  # ε_m, through CONV1's ReLU
    # CONV1: the one filter is shared by every position m, so each tap's gradient sums over m.
    windows = np.lib.stride_tricks.sliding_window_view(fwd.padded, config.kernel)
    d_taps = d_conv_pre @ windows  # ∂/∂W^C_k = Σ_m ε_m x̃_{m+k−1}
    return {
        **{key: np.asarray(d_taps[k]) for k, key in enumerate(config.filter_keys)},
        "b_C": np.asarray(d_conv_pre.sum()),
        "W_A": np.outer(fwd.a, d_fc1),  # ∂/∂W^A_ji = a_j δ_i
        "b_M": d_fc1,
        "W_F": d_z * fwd.f,
        "b_F": np.asarray(d_z),
    }
