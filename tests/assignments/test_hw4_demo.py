"""hw4 end to end: the demo submissions graded by the real batch (worker processes, sandbox,
tiny AffectNet)."""

import pytest

from graders.record import ResultRecord
from tests.assignments.demo import failed_tests, grade_demos, scores

FULL = {"q1": 3.0, "q2": 3.0, "q3": 4.0, "q4": 5.0, "q5": 5.0}
Q4_TESTS, Q3_TESTS = 8, 6  # q4's 5 points and q3's 4 points are shared equally among these

# The tests each broken demo must fail, and nothing else (see assignments/hw4/build_notebooks.py).
PARTLY_WRONG_FAILS = {  # receptive field as D·K·L, output size of the undilated Kronecker kernel
    "test_receptive_field", "test_receptive_field_many_settings",
    "test_dilated_output_size", "test_dilated_output_size_many_settings",
}
RAISES_ERRORS_FAILS = {  # `sigmod` typo in q3's forward pass; q4's dilated_conv2d left as a stub
    "test_gradients_of_one_example", "test_conv1_gradients", "test_fc1_gradients", "test_output_layer_gradients",
    "test_dilated_conv2d", "test_dilated_conv2d_on_random_cases",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    return grade_demos("hw4", tmp_path_factory.mktemp("hw4"))


def test_the_solution_earns_every_auto_point(records):
    solution = records["solution_demo"]
    assert failed_tests(solution) == set()
    assert scores(solution) == pytest.approx(FULL)
    assert all(c.status == "ok" for c in solution.cells)
    assert {t.hidden for t in solution.tests} == {False, True}


def test_partly_wrong_loses_exactly_its_wrong_functions(records):
    record = records["partly_wrong"]
    assert failed_tests(record) == PARTLY_WRONG_FAILS
    assert scores(record) == pytest.approx({**FULL, "q4": 5 * (Q4_TESTS - 4) / Q4_TESTS})


def test_raises_errors_loses_the_raising_functions_only(records):
    record = records["raises_errors"]
    assert failed_tests(record) == RAISES_ERRORS_FAILS
    assert scores(record) == pytest.approx({**FULL, "q3": 4 * (Q3_TESTS - 4) / Q3_TESTS, "q4": 5 * (Q4_TESTS - 2) / Q4_TESTS})
    assert {c.error for c in record.cells if c.status == "error"} == {
        "NameError: name 'sigmod' is not defined", "NotImplementedError: replace this line with your answer"}


def test_not_json_is_failed_with_a_reason(records):
    record = records["not_json"]
    assert record.status == "failed" and "not valid notebook JSON" in record.reason
    assert scores(record) == {q: 0.0 for q in FULL}
