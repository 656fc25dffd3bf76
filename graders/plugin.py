"""The pytest plugin that turns grader tests into scored outcomes.

A grader test is an ordinary pytest test in `assignments/<hw>/tests/public` or `.../hidden`,
marked with its question (`@pytest.mark.question("q4")`) and optionally its points
(`@pytest.mark.points(2)`). Its fixtures:

- `kernel`: the notebook after it ran, live (`call`, `value`, `predict`), and answers under the
  student's own names where a declared one is missing (`find_function`, `find_model`, `find_value`;
  graders.discovery): the outcome of each check notes what it used;
- `threshold(metric)`: the question's minimum for a metric under the active data profile;
- `dataset_dir(name)`: where a dataset of the active profile lives (grader side);
- `hidden_dataset_dir(name)`: its hidden evaluation split, which the kernel never sees;
- `record_metric(name, value)`: keep a measured number (an accuracy) in the result record;
- `expected(name)`: a public check's inputs and expected outputs, frozen at build time (public
  checks never import the reference: students run them without it).

The fixtures live in `graders.fixtures`; register both: `plugins=[GradingPlugin(...), fixtures]`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.discovery import AnswerNotFound, GradedNotebook
from graders.kernel import AnswerMissing, AnswerRefused, KernelError, StudentCodeError, StudentKernel
from graders.record import CheckOutcome
from graders.scoring import PointsError, resolve_points
from graders.spec import Assignment

MESSAGE_LIMIT = 600


class GradingPlugin:
    """Collects, points and records the grader tests of one submission (register with `fixtures`)."""

    def __init__(self, assignment: Assignment, kernel: StudentKernel | None, *, public_only: bool,
                 profile: str, dataset_dirs: dict[str, Path], kernel_problem: str = ""):
        self.assignment = assignment
        self.notebook = GradedNotebook(kernel) if kernel is not None else None
        self.kernel_problem = kernel_problem
        self.public_only = public_only
        self.profile = profile
        self.dataset_dirs = dataset_dirs
        self.outcomes: list[CheckOutcome] = []
        self.collection_errors: list[str] = []
        self.metrics: dict[str, dict[str, float]] = {}  # test node id -> what `record_metric` kept
        self._points: dict[str, float] = {}

    # ---- configuration and collection ----

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[GRADING] = self
        config.addinivalue_line("markers", "question(id): the question this grader test belongs to")
        config.addinivalue_line("markers", "points(n): points this test is worth (default: an equal share)")

    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
        known = {q.id for q in self.assignment.questions}
        described = []
        for item in items:
            marker = item.get_closest_marker("question")
            if marker is None or not marker.args or marker.args[0] not in known:
                self._refuse(f"{item.nodeid}: every grader test needs @pytest.mark.question(id) with an id of "
                             f"assignment.toml ({sorted(known)})")
            points = item.get_closest_marker("points")
            described.append((item.nodeid, marker.args[0], float(points.args[0]) if points else None))
        try:
            self._points = resolve_points({q.id: q.auto_points for q in self.assignment.questions}, described)
        except PointsError as err:
            self._refuse(str(err))
        tested = {qid for _, qid, _ in described}
        untested = [q.id for q in self.assignment.questions if q.auto_points > 0 and q.id not in tested]
        if untested and not self.public_only:
            self._refuse(f"questions with auto points but no grader test: {untested}")
        if self.public_only:
            hidden = [item for item in items if _is_hidden(item)]
            if hidden:
                config.hook.pytest_deselected(items=hidden)
                items[:] = [item for item in items if not _is_hidden(item)]

    def _refuse(self, problem: str) -> None:
        self.collection_errors.append(problem)
        raise pytest.UsageError(problem)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {str(report.longrepr).strip().splitlines()[-1]}")

    # ---- outcomes ----

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        failed_setup = report.when == "setup" and not report.passed
        if report.when == "teardown":
            self._take_found()  # what a fixture's clean-up looked for belongs to no check
        elif report.when == "call" or failed_setup:
            message = _message(call.excinfo) if call.excinfo is not None else ""
            outcome = "skipped" if report.skipped else ("passed" if report.passed else "failed")
            self.outcomes.append(
                CheckOutcome(
                    name=item.name,
                    question=item.get_closest_marker("question").args[0],
                    hidden=_is_hidden(item),
                    points=self._points.get(item.nodeid, 0.0),
                    outcome=outcome,
                    message=message,
                    seconds=round(call.duration, 3),
                    metrics=self.metrics.get(item.nodeid, {}),
                    found=self._take_found(),  # a module fixture's search counts for the check it was set up for
                )
            )
        return report

    def _take_found(self) -> tuple[str, ...]:
        return tuple(found.note for found in self.notebook.take_found()) if self.notebook else ()


GRADING = pytest.StashKey[GradingPlugin]()


def _is_hidden(item: pytest.Item) -> bool:
    return "hidden" in Path(str(item.path)).parts


def _message(excinfo: pytest.ExceptionInfo) -> str:
    """The reason a test failed, in a few lines a student can act on."""
    error = excinfo.value
    if isinstance(error, StudentCodeError):
        text = f"your code raised {error.ename}: {error.evalue}"
    elif isinstance(error, AnswerRefused):
        text = f"your answer could not be checked: {error}"
    elif isinstance(error, (AnswerMissing, AnswerNotFound, KernelError)):  # already said to the student
        text = str(error)
    elif excinfo.errisinstance(pytest.fail.Exception) or excinfo.errisinstance(pytest.skip.Exception):
        text = str(error)
    elif isinstance(error, AssertionError):
        text = str(error).split("\nassert ")[0].strip() or "assertion failed"
    else:
        text = excinfo.exconly()
    text = text.strip()
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"
