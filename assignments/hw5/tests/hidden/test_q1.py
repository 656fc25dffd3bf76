"""hw5.q1 hidden checks: batch norm on random dense and conv tensors (both modes, other momenta
and eps), the running statistics, and the parameter count for other widths."""

import numpy as np
import pytest

from reference.hw5.q1_batchnorm import BatchNormState, batchnorm_forward, batchnorm_param_count

pytestmark = pytest.mark.question("q1")

TOLERANCE = 1e-5


def reference(x, gamma, beta, running_mean, running_var, training, momentum, eps):
    state = BatchNormState(gamma, beta, running_mean, running_var)
    y, new_state, _ = batchnorm_forward(x, state, training=training, momentum=momentum, eps=eps)
    return y, new_state.running_mean, new_state.running_var


def random_cases(count: int, seed: int):
    """(x, γ, β, running mean, running var, momentum, eps), alternating dense [N, F] and conv [N, C, H, W]."""
    rng = np.random.default_rng(seed)
    cases = []
    for index in range(count):
        c = int(rng.integers(1, 7))
        n = int(rng.integers(2, 10))
        shape = (n, c) if index % 2 == 0 else (n, c, int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        x = rng.normal(rng.uniform(-3, 3), rng.uniform(0.1, 4), shape)
        stats = (rng.uniform(0.3, 3, c), rng.normal(0, 2, c), rng.normal(0, 1, c), rng.uniform(0.2, 3, c))
        cases.append((x, *stats, float(rng.uniform(0.01, 0.9)), float(10.0 ** rng.uniform(-6, -2))))
    return cases


def check_case(kernel, case, training: bool, parts: slice) -> None:
    x, gamma, beta, mean, var, momentum, eps = case
    got = kernel.call("batchnorm_forward", x, gamma, beta, mean, var, training, momentum=momentum, eps=eps)
    assert isinstance(got, list) and len(got) == 3, "batchnorm_forward must return (y, new_running_mean, new_running_var)"
    want = reference(x, gamma, beta, mean, var, training, momentum, eps)
    names = ("y", "new_running_mean", "new_running_var")
    for name, value, expected in list(zip(names, got, want))[parts]:
        value = np.asarray(value, dtype=float)
        assert value.shape == expected.shape and np.allclose(value, expected, rtol=TOLERANCE, atol=TOLERANCE), (
            f"{'training' if training else 'test'} mode, x {x.shape}, momentum {momentum:.3f}, eps {eps:.1e}: "
            f"{name} differs (shape {value.shape}, expected {expected.shape})"
        )


def test_training_mode_outputs_on_random_tensors(kernel):
    for case in random_cases(8, seed=501):
        check_case(kernel, case, True, slice(0, 1))


def test_test_mode_on_random_tensors(kernel):
    for case in random_cases(8, seed=502):
        check_case(kernel, case, False, slice(0, 3))  # y, and the running statistics unchanged


def test_running_statistics_on_random_tensors(kernel):
    for case in random_cases(8, seed=503):
        check_case(kernel, case, True, slice(1, 3))


def test_parameter_count_for_other_widths(kernel):
    for width in (1, 3, 100, 512):
        got = kernel.call("batchnorm_parameter_count", width)
        want = batchnorm_param_count(width)
        assert isinstance(got, dict) and got.get("trainable") == want.trainable and got.get("buffers") == want.buffers, (
            f"batchnorm_parameter_count({width}) returned {got}, expected "
            f"{{'trainable': {want.trainable}, 'buffers': {want.buffers}}}"
        )
