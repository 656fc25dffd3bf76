"""hw3 end to end: the demo submissions graded by the real batch (worker processes, sandbox,
tiny data)."""

import pytest

from graders.record import ResultRecord
from tests.assignments.demo import failed_tests, grade_demos, scores

FULL = {"q1": 3.0, "q2": 4.0, "q3": 5.0}

# The tests each broken demo must fail, and nothing else (see build_notebooks.py).
PARTLY_WRONG_FAILS = {
    # depth rounded to the nearest integer instead of up: both scale_baseline tests of q1's 4
    "test_scale_baseline",
    "test_scale_baseline_random",
    # the naive module without its pooling branch: the output-channel tests of q2's 8 (its
    # parameters and FLOPs are unchanged: the pool has neither)
    "test_output_channels_3a",
    "test_output_channels_other_configs",
}
RAISES_ERRORS_FAILS = {
    "test_flops_multiplier",  # NameError
    "test_flops_multiplier_random",
    # the ResNet's forward raises, so it never trains: everything that runs it fails, while its
    # parameter count and layer structure (no forward pass) still earn their points
    "test_predict_scenes_format",
    "test_output_shape_for_other_input_sizes",
    "test_accuracy_on_hidden_images",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    return grade_demos("hw3", tmp_path_factory.mktemp("hw3"))


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
    assert scores(record) == pytest.approx({**FULL, "q1": 1.5, "q2": 3.0})


def test_raises_errors_loses_the_raising_functions_only(records):
    record = records["raises_errors"]
    assert failed_tests(record) == RAISES_ERRORS_FAILS
    # q3: the accuracy test is worth 2 points, the other five share 3
    assert scores(record) == pytest.approx({**FULL, "q1": 1.5, "q3": 5 - 2 - 2 * 3 / 5})
    errors = {c.error for c in record.cells if c.status == "error"}
    assert errors == {"NameError: name 'gama' is not defined", "AttributeError: 'ResNet9' object has no attribute 'residual'"}
    messages = {t.message for t in record.tests if t.outcome == "failed"}
    assert all(m.startswith("your code raised") for m in messages), messages


def test_not_json_is_failed_with_a_reason(records):
    record = records["not_json"]
    assert record.status == "failed"
    assert "not valid notebook JSON" in record.reason
    assert scores(record) == {q: 0.0 for q in FULL}
