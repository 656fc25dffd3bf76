"""hw2.q5 hidden checks: LeakyReLU and its derivative on random arrays and slopes, and the trained
MLP's accuracy on hidden digits (images go into the kernel, labels stay here)."""


import numpy as np
import pytest

from graders.data.mnist import load_mnist
from reference.hw2.q5_activations import leaky_relu, leaky_relu_derivative

pytestmark = pytest.mark.question("q5")

BATCH = 100  # digits per kernel call


def random_inputs(seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(4):
        x = rng.standard_normal((int(rng.integers(1, 5)), int(rng.integers(1, 7)))) * 3
        x[0, 0] = 0.0  # the kink
        yield x, float(rng.uniform(0.001, 0.5))


def test_leaky_relu_random(kernel):
    for x, slope in random_inputs(501):
        got = np.asarray(kernel.call("leaky_relu", x, slope=slope), dtype=float)
        assert got.shape == x.shape and np.allclose(got, leaky_relu(x, slope)), f"leaky_relu differs on a {x.shape} array, slope={slope:.3g}"


def test_leaky_relu_derivative_random(kernel):
    for x, slope in random_inputs(502):
        got = np.asarray(kernel.call("leaky_relu_derivative", x, slope=slope), dtype=float)
        assert got.shape == x.shape and np.allclose(got, leaky_relu_derivative(x, slope)), (
            f"leaky_relu_derivative differs on a {x.shape} array, slope={slope:.3g}"
        )


@pytest.mark.points(1.5)
def test_accuracy_on_hidden_digits(kernel, hidden_dataset_dir, threshold):
    split = load_mnist(hidden_dataset_dir("mnist"))
    images, labels = split.x_test, split.y_test
    predicted = np.concatenate([np.asarray(kernel.call("predict_digits", images[s : s + BATCH])).ravel()
                                for s in range(0, len(images), BATCH)])
    assert predicted.shape == labels.shape, f"predict_digits returned {predicted.shape[0]} digits for {len(labels)} images"
    got = float(np.mean(predicted == labels))
    assert got >= threshold("accuracy"), (
        f"accuracy on {len(labels)} hidden digits is {got:.3f}; at least {threshold('accuracy')} is needed (chance is 0.1)"
    )
