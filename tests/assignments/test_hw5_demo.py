"""hw5 end to end: the demo submissions graded by the real batch (worker processes, sandbox,
tiny data) score exactly as designed (build_notebooks.py says how each demo is broken).

About 1-1.5 minutes on 2 cores: three notebooks run (~20 s each alone; the four q3 variants
train 5 epochs each). That the committed notebooks match their builder is
test_notebooks_are_built.py's job.
"""

import pytest

from graders.record import ResultRecord
from tests.assignments.demo import failed_tests, grade_demos, scores

FULL = {"q1": 4.0, "q2": 3.0, "q3": 4.0, "q4": 4.0, "q5": 5.0}

PARTLY_WRONG_FAILS = {
    # the running variance fed with the biased batch variance: 2 of q1's 8 tests
    "test_running_statistics_after_one_training_step",
    "test_running_statistics_on_random_tensors",
    # ReLUs counted as conv layers: 2 of q4's 5 tests
    "test_feature_map_shapes_at_224",
    "test_feature_map_shapes_for_hidden_sizes",
}
RAISES_ERRORS_FAILS = {
    # build_model raises NameError for the batch-norm variants: every q3 test (no `models`, no `best_model`)
    "test_four_variants_with_their_regularisers",
    "test_batchnorm_adds_two_parameters_per_channel_and_dropout_none",
    "test_every_variant_is_trained",
    "test_best_model_accuracy_on_hidden_images",
    # conv_transpose2d left a stub: 4 of q5's 11 tests (the output size, conv2d and DeconvNet pass)
    "test_conv_transpose2d",
    "test_adjoint_identity_with_your_functions",
    "test_conv_transpose2d_on_random_tensors",
    "test_adjoint_identity_on_random_tensors",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResultRecord]:
    return grade_demos("hw5", tmp_path_factory.mktemp("hw5"))


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
    assert scores(record) == pytest.approx({**FULL, "q3": 0.0, "q5": 5 - 4 * 5 / 11})
    errors = [c.error for c in record.cells if c.status == "error"]
    assert errors == ["NameError: name 'BatchNorm2d' is not defined", "NotImplementedError: replace this line with your answer"]


def test_not_json_is_failed_with_a_reason(records):
    record = records["not_json"]
    assert record.status == "failed"
    assert "not valid notebook JSON" in record.reason
    assert scores(record) == {q: 0.0 for q in FULL}
