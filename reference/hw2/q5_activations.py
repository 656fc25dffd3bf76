"""hw2.q5 — ReLU and LeakyReLU and their derivatives, in NumPy.

    relu(x)        = max(0, x)                  relu'(x)        = 1 if x > 0 else 0
    leaky_relu(x)  = x if x > 0 else slope · x   leaky_relu'(x)  = 1 if x > 0 else slope

At x = 0 both functions are continuous but not differentiable; we use the value torch's
autograd uses there (the left slope: 0 for ReLU, `slope` for LeakyReLU) so that a
gradient computed with these functions equals the one torch computes. The non-zero slope
keeps a gradient flowing through negative inputs, so a unit cannot "die" (stay at 0
for every input and never update), which is the argument for LeakyReLU in the question.
"""

import numpy as np

DEFAULT_SLOPE = 0.01  # torch.nn.LeakyReLU's default negative slope


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x) elementwise."""
    return np.maximum(x, 0.0)


def relu_derivative(x: np.ndarray) -> np.ndarray:
    """1 where x > 0, else 0 (0 at x = 0, as torch)."""
    return (np.asarray(x) > 0).astype(np.float64)


def leaky_relu(x: np.ndarray, slope: float = DEFAULT_SLOPE) -> np.ndarray:
    """x where x > 0, else slope · x."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, slope * x)


def leaky_relu_derivative(x: np.ndarray, slope: float = DEFAULT_SLOPE) -> np.ndarray:
    """1 where x > 0, else slope (slope at x = 0, as torch)."""
    return np.where(np.asarray(x) > 0, 1.0, slope)
