"""hw5.q1 public checks: batch norm after a dense and a conv layer in both modes, the running
statistics of one training step, and the parameters one layer adds."""

import numpy as np
import pytest

pytestmark = pytest.mark.question("q1")

TOLERANCE = 1e-5  # float32 arithmetic in the notebook is fine
LAYER = ("x", "gamma", "beta", "running_mean", "running_var")


def student(kernel, case, *args, **kwargs) -> list[np.ndarray]:
    got = kernel.call("batchnorm_forward", *(case[key] for key in LAYER), *args, **kwargs)
    assert isinstance(got, list) and len(got) == 3, (
        f"batchnorm_forward returned {type(got).__name__}; return the tuple (y, new_running_mean, new_running_var)"
    )
    return [np.asarray(v, dtype=float) for v in got]


def test_dense_layer_training_mode_output(kernel, expected):
    case = expected("q1.dense_training")
    y, *_ = student(kernel, case, True)
    want = case["y"]
    assert y.shape == want.shape, f"y has shape {y.shape} for x of shape [8, 5], expected {want.shape}"
    assert np.allclose(y, want, rtol=TOLERANCE, atol=TOLERANCE), (
        f"training mode on x [8, 5] (after a dense layer): y is off by up to {np.max(np.abs(y - want)):.3g}; "
        "normalise each feature with the mean and the biased variance of its 8 values, then apply γ and β"
    )


def test_conv_layer_test_mode_output(kernel, expected):
    case = expected("q1.conv_test")
    y, new_mean, new_var = student(kernel, case, False)
    want = case["y"]
    assert y.shape == want.shape, f"y has shape {y.shape} for x of shape [4, 3, 5, 6], expected {want.shape}"
    assert np.allclose(y, want, rtol=TOLERANCE, atol=TOLERANCE), (
        f"test mode on x [4, 3, 5, 6] (after a conv layer): y is off by up to {np.max(np.abs(y - want)):.3g}; "
        "normalise every channel with running_mean and running_var, not with the batch statistics"
    )
    assert np.allclose(new_mean, case["running_mean"]) and np.allclose(new_var, case["running_var"]), (
        "test mode must return the running statistics unchanged"
    )


def test_running_statistics_after_one_training_step(kernel, expected):
    case = expected("q1.running_statistics")
    _, got_mean, got_var = student(kernel, case, True, momentum=0.1)
    want_mean, want_var = case["new_running_mean"], case["new_running_var"]
    assert np.allclose(got_mean, want_mean, rtol=TOLERANCE, atol=TOLERANCE), (
        f"new running mean {np.round(got_mean, 4).tolist()}, expected {np.round(want_mean, 4).tolist()}: "
        "(1 - momentum) * running_mean + momentum * batch mean"
    )
    assert np.allclose(got_var, want_var, rtol=TOLERANCE, atol=TOLERANCE), (
        f"new running variance {np.round(got_var, 4).tolist()}, expected {np.round(want_var, 4).tolist()}: "
        "the running variance receives the unbiased batch variance (÷ (m − 1)), as in PyTorch"
    )


def test_parameter_count_of_one_layer(kernel, expected):
    want = expected("q1.parameter_count")
    got = kernel.call("batchnorm_parameter_count", want["num_features"])
    call = f"batchnorm_parameter_count({want['num_features']})"
    assert isinstance(got, dict), f"{call} returned {got!r}; return a dict with 'trainable' and 'buffers'"
    assert got.get("trainable") == want["trainable"], (
        f"{call}['trainable'] is {got.get('trainable')!r}, expected {want['trainable']} (γ and β per channel)"
    )
    assert got.get("buffers") == want["buffers"], (
        f"{call}['buffers'] is {got.get('buffers')!r}, expected {want['buffers']} (running mean and variance)"
    )
