"""hw4.q3 hidden checks: parameter counts for other sizes, and each layer's gradients on random
examples (to 1e-6), so a right output layer earns its share even if the conv layer is wrong."""

import numpy as np
import pytest

from reference.hw4.q3_backprop import ConvNet1DConfig, gradients, init_params, parameter_count

pytestmark = pytest.mark.question("q3")

TOLERANCE = 1e-6


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


@pytest.fixture(scope="module")
def examples(kernel):
    """Five random examples (both labels), each with the student's and the reference's gradients."""
    rng = np.random.default_rng(302)
    out = []
    for index in range(5):
        params = {k: float(v) if np.ndim(v) == 0 else v for k, v in init_params(ConvNet1DConfig(), rng).items()}
        x, y = rng.standard_normal(785) * rng.uniform(0.5, 2), index % 2
        out.append((kernel.call("gradients", x, y, params), gradients(x, y, params)))
    return out


def check_layer(examples, names: tuple[str, ...]) -> None:
    for number, (got, want) in enumerate(examples, start=1):
        assert isinstance(got, dict), f"gradients returned {type(got).__name__}, expected a dict"
        for name in names:
            assert name in got, f"gradients(...) has no key {name!r}"
            value = np.asarray(got[name], dtype=float)
            assert value.shape == np.shape(want[name]), (
                f"gradient {name!r} has shape {value.shape}, expected {np.shape(want[name])}"
            )
            assert np.allclose(value, want[name], rtol=TOLERANCE, atol=TOLERANCE), (
                f"random example {number}: gradient {name!r} is off by up to {np.max(np.abs(value - want[name])):.3g}"
            )


def test_output_layer_gradients(examples):
    check_layer(examples, ("W_Z", "b_Z"))


def test_fc1_gradients(examples):
    check_layer(examples, ("W_F", "b_F"))


def test_conv1_gradients(examples):
    check_layer(examples, ("W_C", "b_C"))
