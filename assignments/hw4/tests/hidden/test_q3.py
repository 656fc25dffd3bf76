"""hw4.q3 hidden checks: parameter counts for other sizes, and the derivatives on random examples
(to 1e-6), one check per derivative the handout asks for (∂Cost/∂W^A_ji, ∂Cost/∂W^C_1), so a
right one earns its share even if the other is wrong; the other parameters' derivatives are an
optional extension worth no points."""

import numpy as np
import pytest

from reference.hw4.q3_backprop import ConvNet1DConfig, gradients, init_params, parameter_count

pytestmark = pytest.mark.question("q3")

TOLERANCE = 1e-6


@pytest.mark.points(1.5)
def test_parameter_count_for_other_sizes(kernel):
    rng = np.random.default_rng(301)
    for _ in range(6):
        sizes = dict(
            length=int(rng.integers(20, 1000)), kernel=int(rng.integers(1, 6)), padding=int(rng.integers(0, 3)),
            pool=int(rng.integers(1, 5)), hidden=int(rng.integers(1, 200)),
        )
        got = kernel.call("parameter_count", **sizes)
        want = parameter_count(**sizes)
        assert isinstance(got, dict) and all(got.get(k) == v for k, v in want.items()), (
            f"parameter_count({', '.join(f'{k}={v}' for k, v in sizes.items())}) returned {got}, expected {want}"
        )


def gradient_examples(kernel) -> list[tuple[object, dict]]:
    """Five random examples (both labels), each with the student's and the reference's derivatives."""
    rng = np.random.default_rng(302)
    out = []
    for index in range(5):
        params = {k: float(v) if np.ndim(v) == 0 else v for k, v in init_params(ConvNet1DConfig(), rng).items()}
        x, y = rng.standard_normal(785) * rng.uniform(0.5, 2), index % 2
        out.append((kernel.call("gradients", x, y, params), gradients(x, y, params)))
    return out


@pytest.fixture(scope="module")
def examples(kernel):
    return gradient_examples(kernel)


def check_derivatives(examples, names: tuple[str, ...]) -> None:
    for number, (got, want) in enumerate(examples, start=1):
        assert isinstance(got, dict), f"gradients returned {type(got).__name__}, expected a dict"
        for name in names:
            assert name in got, f"gradients(...) has no key {name!r}"
            derivative = np.asarray(got[name], dtype=float)
            assert derivative.shape == np.shape(want[name]), (
                f"the derivative {name!r} has shape {derivative.shape}, expected {np.shape(want[name])}"
            )
            assert np.allclose(derivative, want[name], rtol=TOLERANCE, atol=TOLERANCE), (
                f"random example {number}: the derivative {name!r} is off by up to {np.max(np.abs(derivative - want[name])):.3g}"
            )


@pytest.mark.points(2)
def test_gradient_of_W_A_on_random_examples(examples):
    check_derivatives(examples, ("W_A",))


@pytest.mark.points(2)
def test_gradient_of_W_C_1_on_random_examples(examples):
    check_derivatives(examples, ("W_C_1",))


@pytest.mark.points(0)
def test_other_gradients_on_random_examples(examples):
    check_derivatives(examples, ("W_C_2", "b_C", "b_M", "W_F", "b_F"))
