"""The fixtures grader tests use; each reads the session's GradingPlugin from the pytest config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graders import expected as frozen
from graders.data.profiles import hidden_dataset_dir as hidden_split_of
from graders.discovery import GradedNotebook
from graders.plugin import GRADING
from graders.spec import SpecError


@pytest.fixture(scope="session")
def kernel(pytestconfig: pytest.Config) -> GradedNotebook:
    """The student's notebook after it ran, live in its kernel (see graders.discovery.GradedNotebook)."""
    grading = pytestconfig.stash[GRADING]
    notebook = grading.notebook
    if notebook is None or not notebook.kernel.alive:
        pytest.fail(grading.kernel_problem or "your notebook is not running (it stopped earlier)", pytrace=False)
    return notebook


@pytest.fixture
def threshold(request: pytest.FixtureRequest) -> Callable[[str], float]:
    """`threshold("accuracy")`: the test's question's minimum under the active data profile."""
    grading = request.config.stash[GRADING]
    question = grading.assignment.question(request.node.get_closest_marker("question").args[0])
    return lambda metric: question.threshold(grading.profile, metric)


@pytest.fixture
def record_metric(request: pytest.FixtureRequest) -> Callable[[str, float], None]:
    """`record_metric("accuracy", 0.91)`: keep a number this check measured in the result record
    (a class ranking, e.g. a bonus for the best accuracy, reads it from there)."""
    metrics = request.config.stash[GRADING].metrics.setdefault(request.node.nodeid, {})
    return lambda name, value: metrics.__setitem__(name, float(value))


@pytest.fixture(scope="session")
def dataset_dir(pytestconfig: pytest.Config) -> Callable[[str], Path]:
    """`dataset_dir("affectnet")`: the grader-side folder of a dataset of the active profile."""
    return pytestconfig.stash[GRADING].dataset_dirs.__getitem__


@pytest.fixture(scope="session")
def hidden_dataset_dir(pytestconfig: pytest.Config) -> Callable[[str], Path]:
    """`hidden_dataset_dir("cifar10")`: the hidden evaluation split (never visible to the kernel)."""
    profile = pytestconfig.stash[GRADING].profile

    def folder(name: str) -> Path:
        try:
            return hidden_split_of(name, profile)
        except SpecError as err:
            pytest.fail(str(err), pytrace=False)

    return folder


@pytest.fixture(scope="session")
def expected(pytestconfig: pytest.Config) -> Callable[[str], object]:
    """`expected("q1.shift")`: a public check's inputs and expected outputs, computed from the
    reference when the assignment was built (tests/public/expected.json; see graders.expected)."""
    path = pytestconfig.stash[GRADING].assignment.public_tests / frozen.EXPECTED_FILE
    values = frozen.load(path) if path.is_file() else {}

    def value(name: str) -> object:
        if name not in values:
            pytest.fail(f"this check has no expected value {name!r}: the homework's files are incomplete "
                        "(tell your instructor)", pytrace=False)
        return values[name]

    return value
