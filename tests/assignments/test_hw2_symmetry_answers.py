"""hw2.q2's symmetry checks cannot be passed by a hard-coded verdict: the grader's own test
functions judge the solution's experiment and two made-up answers, in an in-process kernel."""

import pytest

from graders import expected as frozen
from tests.assignments.in_process import ASSIGNMENTS, InProcessKernel, grader_tests, solution_code

CHECKS = grader_tests("hw2", "public", "q2")
EXPECTED = frozen.load(ASSIGNMENTS / "hw2" / "tests" / "public" / frozen.EXPECTED_FILE).__getitem__
FAILED = (AssertionError, pytest.fail.Exception)
SOLUTION = solution_code("hw2", "q2-2", "q2-3")  # xavier_uniform; the experiment


def test_the_solutions_experiment_passes():
    kernel = InProcessKernel(SOLUTION)
    CHECKS.test_symmetry_experiment(kernel, EXPECTED)
    CHECKS.test_trained_parameters_show_the_experiment(kernel)


def test_parameters_that_never_train_are_caught():
    # the verdict hard-coded from the init, and parameters that only look like the experiment's
    kernel = InProcessKernel(SOLUTION + '''
def is_symmetric_after_training(init, steps, seed):
    return init != "random"

def trained_parameters(init, steps, seed):
    value = {"constant": 0.5, "zeros": 0.0}.get(init)
    rng = np.random.default_rng(seed)
    make = (lambda *shape: np.full(shape, value)) if value is not None else (lambda *shape: rng.standard_normal(shape))
    return {"w1": make(4, 8), "b1": make(8), "w2": make(8, 2), "b2": make(2)}
''')
    CHECKS.test_symmetry_experiment(kernel, EXPECTED)  # the verdicts alone look right
    with pytest.raises(FAILED, match="no training happened|only the output bias can learn"):
        CHECKS.test_trained_parameters_show_the_experiment(kernel)


def test_a_verdict_that_disagrees_with_the_parameters_is_caught():
    kernel = InProcessKernel(SOLUTION + "\ndef is_symmetric_after_training(init, steps, seed):\n    return True\n")
    with pytest.raises(FAILED, match="is_symmetric_after_training"):
        CHECKS.test_trained_parameters_show_the_experiment(kernel)
