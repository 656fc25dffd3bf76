"""hw2.q5 reference activations vs torch, and the ReLU/LeakyReLU training comparison."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

from graders.data.bundled import ensure_dataset
from graders.data.mnist import load_mnist
from reference.hw2.q5_activations import (
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
)
from reference.hw2.q5_training import (
    MLPTrainingConfig,
    compare_activations,
    flatten_images,
    format_comparison_table,
    train_mlp,
)


def _inputs() -> np.ndarray:
    # random values plus exact zeros: the kink is where implementations disagree
    x = np.random.default_rng(0).normal(0.0, 2.0, size=300)
    x[::25] = 0.0
    return x


@pytest.mark.parametrize("slope", [0.01, 0.1, 0.3])
def test_leaky_relu_and_derivative_match_torch(slope: float) -> None:
    x = _inputs()
    xt = torch.tensor(x, requires_grad=True)
    y = F.leaky_relu(xt, negative_slope=slope)
    (grad,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_allclose(leaky_relu(x, slope), y.detach().numpy(), rtol=0, atol=0)
    np.testing.assert_allclose(leaky_relu_derivative(x, slope), grad.numpy(), rtol=0, atol=0)


def test_relu_and_derivative_match_torch() -> None:
    x = _inputs()
    xt = torch.tensor(x, requires_grad=True)
    y = torch.relu(xt)
    (grad,) = torch.autograd.grad(y.sum(), xt)
    np.testing.assert_array_equal(relu(x), y.detach().numpy())
    np.testing.assert_array_equal(relu_derivative(x), grad.numpy())


def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """sklearn's 8×8 digits (1797 images, bundled with sklearn), rescaled to uint8 like MNIST."""
    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)
    labels = digits.target.astype(np.int64)
    perm = np.random.default_rng(0).permutation(len(images))
    train, test = perm[:1300], perm[1300:]
    return images[train], labels[train], images[test], labels[test]


def test_flatten_images_scales_uint8_to_unit_interval() -> None:
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    np.testing.assert_allclose(flatten_images(images), [[0.0, 1.0, 0.2, 0.4]], rtol=1e-6)


def test_both_activations_learn_digits_and_table_reports_epoch_1_and_last() -> None:
    x_train, y_train, x_test, y_test = _digits()
    config = MLPTrainingConfig(hidden=(64,), epochs=4, batch_size=32)
    rows = compare_activations(x_train, y_train, x_test, y_test, config, device=torch.device("cpu"))
    assert [(r.activation, r.metrics.epoch) for r in rows] == [
        ("relu", 1), ("relu", 4), ("leaky_relu", 1), ("leaky_relu", 4),
    ]
    for row in rows:
        if row.metrics.epoch == 4:
            assert row.metrics.test_accuracy > 0.85  # chance is 0.1
    for first, last in (rows[0:2], rows[2:4]):
        assert last.metrics.train_loss < first.metrics.train_loss
    table = format_comparison_table(rows)
    assert len(table.splitlines()) == 5 and "leaky_relu" in table


def test_zero_slope_leaky_relu_trains_exactly_like_relu() -> None:
    """Same seed, same batches: LeakyReLU(0) must reproduce ReLU's history — fairness check."""
    x_train, y_train, x_test, y_test = _digits()
    relu_history = train_mlp(x_train, y_train, x_test, y_test, "relu",
                             MLPTrainingConfig(hidden=(32,), epochs=2), torch.device("cpu"))
    leaky_history = train_mlp(x_train, y_train, x_test, y_test, "leaky_relu",
                              MLPTrainingConfig(hidden=(32,), epochs=2, slope=0.0), torch.device("cpu"))
    assert relu_history == leaky_history


def test_comparison_on_mnist_tiny_idx_files() -> None:
    """The comparison on real MNIST-format files (IDX, 28×28 uint8): both MLPs far above chance."""
    data = load_mnist(ensure_dataset("mnist-tiny"))
    rows = compare_activations(*data, MLPTrainingConfig(epochs=25), device=torch.device("cpu"))
    last = {r.activation: r.metrics for r in rows if r.metrics.epoch == 25}
    assert set(last) == {"relu", "leaky_relu"}
    for metrics in last.values():
        assert metrics.test_accuracy > 0.6  # 500 training digits (measured 0.74); chance is 0.1
        assert metrics.train_accuracy > 0.85
