"""hw2 end to end: the demo submissions graded by the real batch (worker processes, sandbox,
tiny data)."""

import pytest

from graders.record import ResultRecord
from tests.assignments.demo import failed_tests, grade_demos, scores

FULL = {"q2": 3.0, "q3": 3.0, "q4": 2.0, "q5": 4.0, "q6": 8.0}

# The tests each broken demo must fail, and nothing else (see build_notebooks.py).
PARTLY_WRONG_FAILS = {
    # xavier_uniform's bound is the standard deviation: the 4 statistics tests of q2's 7 fail
    "test_xavier_uniform_statistics",
    "test_xavier_uniform_other_fans[dense-1000-10]",
    "test_xavier_uniform_other_fans[conv-64-128-3x3]",
    "test_xavier_uniform_other_fans[dense-20-700]",
    # L2 pooling as a root-mean-square: the l2 tests of q3's 8
    "test_pool2d_small_example[l2]",
    "test_pool2d_random_shapes[l2]",
    # a transposed confusion matrix: both confusion tests (q6: accuracy is worth 2 points, 9 tests share 6)
    "test_confusion_matrix_small_example",
    "test_confusion_matrix_of_your_predictions",
}
RAISES_ERRORS_FAILS = {
    "test_ce_sigmoid_logit_grad",  # NameError
    "test_logit_gradient_on_random_logits[ce_sigmoid_logit_grad]",
    "test_leaky_relu_derivative",  # left a NotImplementedError stub
    "test_leaky_relu_derivative_random",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    return grade_demos("hw2", tmp_path_factory.mktemp("hw2"))


def test_the_solution_earns_every_auto_point(records):
    solution = records["solution_demo"]
    assert solution.status == "graded"
    assert failed_tests(solution) == set()
    assert scores(solution) == FULL
    assert all(c.status == "ok" for c in solution.cells), [c for c in solution.cells if c.status != "ok"]
    assert {t.hidden for t in solution.tests} == {False, True}  # public and hidden tests both ran


def test_partly_wrong_loses_exactly_its_wrong_functions(records):
    record = records["partly_wrong"]
    assert failed_tests(record) == PARTLY_WRONG_FAILS
    assert scores(record) == pytest.approx({**FULL, "q2": 3 * 3 / 7, "q3": 3 * 6 / 8, "q6": 8 - 2 * 6 / 9})


def test_raises_errors_loses_the_raising_functions_only(records):
    record = records["raises_errors"]
    assert failed_tests(record) == RAISES_ERRORS_FAILS
    assert scores(record) == pytest.approx({**FULL, "q4": 1.0, "q5": 4 - 2 * 2.5 / 5})
    errors = {c.error for c in record.cells if c.status == "error"}
    assert errors == {"NameError: name 'sigmod' is not defined", "NotImplementedError: replace this line with your answer"}
    messages = {t.message for t in record.tests if t.outcome == "failed"}
    assert all(m.startswith("your code raised") for m in messages), messages


def test_not_json_is_failed_with_a_reason(records):
    record = records["not_json"]
    assert record.status == "failed"
    assert "not valid notebook JSON" in record.reason
    assert scores(record) == {q: 0.0 for q in FULL}
