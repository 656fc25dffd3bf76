"""hw2.q4 hidden checks: the two logit gradients on random 2-D logits, saturated ones included."""

import numpy as np
import pytest

from reference.hw2.q4_losses import ce_sigmoid_logit_grad, mse_sigmoid_logit_grad

pytestmark = pytest.mark.question("q4")

rng = np.random.default_rng(400)
Z = np.concatenate([rng.uniform(-40, 40, size=(3, 8)), rng.standard_normal((3, 8))])  # |z| up to 40
Y = rng.integers(0, 2, size=Z.shape).astype(float)


REFERENCES = {"mse_sigmoid_logit_grad": mse_sigmoid_logit_grad, "ce_sigmoid_logit_grad": ce_sigmoid_logit_grad}
PUBLIC_Z, PUBLIC_Y = np.linspace(-8.0, 8.0, 9), (np.arange(9.0) + 1) % 2  # the public checks' example: answers are found on it


@pytest.mark.parametrize("name", REFERENCES)
def test_logit_gradient_on_random_logits(kernel, name):
    function = kernel.find_function(name, (PUBLIC_Z, PUBLIC_Y), returns=REFERENCES[name](PUBLIC_Z, PUBLIC_Y))
    got = np.asarray(kernel.call(function, Z, Y), dtype=float)
    want = REFERENCES[name](Z, Y)
    assert got.shape == want.shape, f"{name} on a {Z.shape} array returned shape {got.shape}"
    assert np.all(np.isfinite(got)), f"{name} returned non-finite values for logits up to |z| = 40 (overflow?)"
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (
        f"{name} is off by up to {np.max(np.abs(got - want)):.3g} on random logits with |z| up to 40"
    )
