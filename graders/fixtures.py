"""The fixtures grader tests use; each reads the session's GradingPlugin from the pytest config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graders.kernel import StudentKernel
from graders.plugin import GRADING


@pytest.fixture(scope="session")
def kernel(pytestconfig: pytest.Config) -> StudentKernel:
    """The live student kernel, after the notebook ran."""
    grading = pytestconfig.stash[GRADING]
    live = grading.kernel
    if live is None or not live.alive:
        pytest.fail(grading.kernel_problem or "the notebook's kernel is not running (it died earlier)", pytrace=False)
    return live


@pytest.fixture
def threshold(request: pytest.FixtureRequest) -> Callable[[str], float]:
    """`threshold("accuracy")`: the test's question's minimum under the active data profile."""
    grading = request.config.stash[GRADING]
    question = grading.assignment.question(request.node.get_closest_marker("question").args[0])
    return lambda metric: question.threshold(grading.profile, metric)


@pytest.fixture(scope="session")
def dataset_dir(pytestconfig: pytest.Config) -> Callable[[str], Path]:
    """`dataset_dir("affectnet")`: the grader-side folder of a dataset of the active profile."""
    return pytestconfig.stash[GRADING].dataset_dirs.__getitem__
