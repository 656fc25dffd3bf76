"""hw3.q2's Inception-ResNet checks judge the solution's block and a block that returns its input
whatever the scale (which scale 0 alone cannot tell from a residual block), in an in-process kernel."""

import pytest

from tests.assignments.in_process import InProcessKernel, grader_tests, solution_code

PUBLIC, HIDDEN = grader_tests("hw3", "public", "q2"), grader_tests("hw3", "hidden", "q2")
SOLUTION = solution_code("hw3", "q2-4", "q2-5")  # the Inception cell (conv_relu, Concatenate) and the block's
IDENTITY = "import numpy as np\n\ndef residual_block_output(x, scale):\n    return np.asarray(x)\n"


def test_the_solutions_block_passes():
    kernel = InProcessKernel(SOLUTION)
    PUBLIC.test_residual_block_scale_zero_is_identity(kernel)
    HIDDEN.test_residual_output_is_affine_in_scale(kernel)


@pytest.mark.parametrize("check", [PUBLIC.test_residual_block_scale_zero_is_identity,
                                   HIDDEN.test_residual_output_is_affine_in_scale], ids=["public", "hidden"])
def test_a_block_that_returns_its_input_fails(check):
    with pytest.raises(AssertionError, match="scale 1"):
        check(InProcessKernel(IDENTITY))
