"""hw9 end to end: the demo submissions graded by the real batch (worker processes, sandbox,
tiny data) score exactly as designed (build_notebooks.py says how each demo is broken).

About 1-1.5 minutes on 2 cores: three notebooks run (~40 s each alone, with the torch +
TensorFlow imports; the solution trains the best q3 model for 8 epochs). That the committed
notebooks match their builder is test_notebooks_are_built.py's job.
"""

import pytest

from graders.record import ResultRecord
from tests.assignments.demo import failed_tests, grade_demos, scores

FULL = {"q1": 4.0, "q2": 3.0, "q3": 5.0, "q4": 4.0}

PARTLY_WRONG_FAILS = {
    # conv parameters without the biases: 2 of q1's 8 tests
    "test_conv2d_and_conv3d_parameter_counts",
    "test_conv_parameter_counts_random_settings",
    # the locally connected layer counted like a shared-weight conv: 2 of q4's 5 tests (the output
    # shapes and the tf-keras model still pass)
    "test_parameters_per_layer_and_total",
    "test_table_for_other_inputs",
}
RAISES_ERRORS_FAILS = {
    # apply_kernel raises NameError: the 3 filtering tests share q2's 2 points (the labels keep 1)
    "test_filtered_images",
    "test_four_kernels_on_hidden_images",
    "test_other_kernels_on_hidden_images",
    # build_best_model left a stub, so no `model` is trained: 3 of q3's 5 tests
    "test_best_model_has_951098_parameters",
    "test_model_predicts_class_probabilities",
    "test_accuracy_on_hidden_images",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    return grade_demos("hw9", tmp_path_factory.mktemp("hw9"))


def test_the_solution_earns_every_auto_point(records):
    solution = records["solution_demo"]
    assert solution.status == "graded", solution.reason
    assert failed_tests(solution) == set(), {t.name: t.message for t in solution.tests if t.outcome != "passed"}
    assert scores(solution) == FULL
    assert all(c.status == "ok" for c in solution.cells), [c for c in solution.cells if c.status != "ok"]
    assert {t.hidden for t in solution.tests} == {False, True}  # public and hidden tests both ran


def test_partly_wrong_loses_exactly_its_wrong_functions(records):
    record = records["partly_wrong"]
    assert failed_tests(record) == PARTLY_WRONG_FAILS
    assert scores(record) == pytest.approx({**FULL, "q1": 4 - 2 * 4 / 8, "q4": 4 - 2 * 4 / 5})
    assert all(c.status == "ok" for c in record.cells)


def test_raises_errors_loses_the_raising_functions_only(records):
    record = records["raises_errors"]
    assert failed_tests(record) == RAISES_ERRORS_FAILS
    assert scores(record) == pytest.approx({**FULL, "q2": 1.0, "q3": 5 - 3})
    errors = [c.error for c in record.cells if c.status == "error"]
    assert errors == ["NameError: name 'img' is not defined", "NotImplementedError: replace this line with your answer"]


def test_not_json_is_failed_with_a_reason(records):
    record = records["not_json"]
    assert record.status == "failed"
    assert "not valid notebook JSON" in record.reason
    assert scores(record) == {q: 0.0 for q in FULL}
