"""hw5.q1 public checks: batch norm after a dense and a conv layer in both modes, the running
statistics of one training step, and the parameters one layer adds."""

import numpy as np
import pytest

from reference.hw5.q1_batchnorm import BatchNormState, batchnorm_forward, batchnorm_param_count

pytestmark = pytest.mark.question("q1")

TOLERANCE = 1e-5  # float32 arithmetic in the notebook is fine


def reference(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """(y, new running mean, new running var) of the reference, in the student function's form."""
    state = BatchNormState(gamma, beta, running_mean, running_var)
    y, new_state, _ = batchnorm_forward(x, state, training=training, momentum=momentum, eps=eps)
    return y, new_state.running_mean, new_state.running_var


def student(kernel, *args, **kwargs) -> list[np.ndarray]:
    got = kernel.call("batchnorm_forward", *args, **kwargs)
    assert isinstance(got, list) and len(got) == 3, (
        f"batchnorm_forward returned {type(got).__name__}; return the tuple (y, new_running_mean, new_running_var)"
    )
    return [np.asarray(v, dtype=float) for v in got]


def layer(rng: np.random.Generator, shape: tuple[int, ...]):
    """x of the given shape and γ, β, running mean and variance for its axis-1 features."""
    c = shape[1]
    x = rng.normal(1.5, 2.0, shape)
    return x, rng.uniform(0.5, 2.0, c), rng.normal(0, 1, c), rng.normal(0, 0.5, c), rng.uniform(0.5, 2.0, c)


def test_dense_layer_training_mode_output(kernel):
    x, gamma, beta, mean, var = layer(np.random.default_rng(0), (8, 5))
    y, *_ = student(kernel, x, gamma, beta, mean, var, True)
    want, *_ = reference(x, gamma, beta, mean, var, True)
    assert y.shape == want.shape, f"y has shape {y.shape} for x of shape [8, 5], expected {want.shape}"
    assert np.allclose(y, want, rtol=TOLERANCE, atol=TOLERANCE), (
        f"training mode on x [8, 5] (after a dense layer): y is off by up to {np.max(np.abs(y - want)):.3g}; "
        "normalise each feature with the mean and the biased variance of its 8 values, then apply γ and β"
    )


def test_conv_layer_test_mode_output(kernel):
    x, gamma, beta, mean, var = layer(np.random.default_rng(1), (4, 3, 5, 6))
    y, new_mean, new_var = student(kernel, x, gamma, beta, mean, var, False)
    want, *_ = reference(x, gamma, beta, mean, var, False)
    assert y.shape == want.shape, f"y has shape {y.shape} for x of shape [4, 3, 5, 6], expected {want.shape}"
    assert np.allclose(y, want, rtol=TOLERANCE, atol=TOLERANCE), (
        f"test mode on x [4, 3, 5, 6] (after a conv layer): y is off by up to {np.max(np.abs(y - want)):.3g}; "
        "normalise every channel with running_mean and running_var, not with the batch statistics"
    )
    assert np.allclose(new_mean, mean) and np.allclose(new_var, var), "test mode must return the running statistics unchanged"


def test_running_statistics_after_one_training_step(kernel):
    x, gamma, beta, mean, var = layer(np.random.default_rng(2), (8, 5))
    _, got_mean, got_var = student(kernel, x, gamma, beta, mean, var, True, momentum=0.1)
    _, want_mean, want_var = reference(x, gamma, beta, mean, var, True, momentum=0.1)
    assert np.allclose(got_mean, want_mean, rtol=TOLERANCE, atol=TOLERANCE), (
        f"new running mean {np.round(got_mean, 4).tolist()}, expected {np.round(want_mean, 4).tolist()}: "
        "(1 - momentum) * running_mean + momentum * batch mean"
    )
    assert np.allclose(got_var, want_var, rtol=TOLERANCE, atol=TOLERANCE), (
        f"new running variance {np.round(got_var, 4).tolist()}, expected {np.round(want_var, 4).tolist()}: "
        "the running variance receives the unbiased batch variance (÷ (m − 1)), as in PyTorch"
    )


def test_parameter_count_of_one_layer(kernel):
    got = kernel.call("batchnorm_parameter_count", 64)
    want = batchnorm_param_count(64)
    assert isinstance(got, dict), f"batchnorm_parameter_count(64) returned {got!r}; return a dict with 'trainable' and 'buffers'"
    assert got.get("trainable") == want.trainable, (
        f"batchnorm_parameter_count(64)['trainable'] is {got.get('trainable')!r}, expected {want.trainable} (γ and β per channel)"
    )
    assert got.get("buffers") == want.buffers, (
        f"batchnorm_parameter_count(64)['buffers'] is {got.get('buffers')!r}, expected {want.buffers} (running mean and variance)"
    )
