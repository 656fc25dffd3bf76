"""Every homework's demo submissions: grading them, and what each must score.

Homeworks are discovered (every folder under assignments/ with an assignment.toml). Each homework
declares its demos in demos.toml; what each must score follows from assignment.toml, the
grader tests' points and the declared failures.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graders.batch import BatchOptions, grade_batch
from graders.build.demos import SOLUTION_DEMO, read_demos
from graders.build.release import DEMOS
from graders.paths import REPO_ROOT
from graders.record import ResultRecord
from graders.scoring import resolve_points
from graders.spec import Assignment, load_assignment
from graders.submission import find_submissions
from graders.worker import PYTEST_INI

ASSIGNMENTS = REPO_ROOT / "assignments"
HOMEWORKS = sorted(p.name for p in ASSIGNMENTS.iterdir() if (p / "assignment.toml").is_file())


@dataclass(frozen=True)
class Check:
    """A grader test as pytest collects it."""

    nodeid: str
    name: str
    question: str
    points: float | None  # its own @pytest.mark.points, if any
    hidden: bool


@dataclass(frozen=True)
class Expectation:
    """What one demo submission must come out as."""

    fails: frozenset[str]  # names of the checks it fails, public and hidden
    scores: dict[str, float]  # auto points per question
    cell_errors: frozenset[str]  # "ErrorName: message" of the cells that raise


class _Collector:
    def __init__(self):
        self.checks: list[Check] = []

    def pytest_configure(self, config: pytest.Config) -> None:
        for marker in ("question(id): its question", "points(n): its points"):
            config.addinivalue_line("markers", marker)

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            points = item.get_closest_marker("points")
            self.checks.append(Check(item.nodeid, item.name, item.get_closest_marker("question").args[0],
                                     float(points.args[0]) if points else None,
                                     "hidden" in Path(str(item.path)).parts))


def collect_checks(assignment: Assignment) -> list[Check]:
    """The assignment's public and hidden grader tests, collected (not run) by pytest."""
    collector = _Collector()
    folders = [str(f) for f in (assignment.public_tests, assignment.hidden_tests) if f.is_dir()]
    try:
        code = pytest.main([*folders, "-c", str(PYTEST_INI), "--rootdir", str(assignment.tests_dir), "--collect-only",
                            "-q", "-p", "no:cacheprovider", "--import-mode=importlib", "--no-header"], plugins=[collector])
    finally:
        _forget_modules_under(assignment.tests_dir)
    assert code == pytest.ExitCode.OK, f"collecting the grader tests of {assignment.id} failed ({code})"
    return collector.checks


def _forget_modules_under(folder: Path) -> None:
    """Drop the modules pytest imported from `folder`. It names them by their path below the tests
    folder (`public.test_q1`, `conftest`), alike in every homework, and serves a name it already
    has from sys.modules: without this, the next homework collected in this process would get these."""
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", None) or []), None)
        if where and Path(where).is_relative_to(folder):
            del sys.modules[name]


def expectations(homework: str) -> dict[str, Expectation]:
    """solution_demo and every demo of the homework, each with what it must score."""
    assignment = load_assignment(ASSIGNMENTS / homework)
    checks = collect_checks(assignment)
    points = resolve_points({q.id: q.auto_points for q in assignment.questions},
                            [(c.nodeid, c.question, c.points) for c in checks])

    def scores(fails: frozenset[str]) -> dict[str, float]:
        return {q.id: sum(points[c.nodeid] for c in checks if c.question == q.id and c.name not in fails)
                for q in assignment.questions}

    demos = read_demos(assignment.root / DEMOS)
    names = {c.name for c in checks}
    for demo in demos:
        assert demo.fails <= names, f"{homework} demo {demo.name} names checks that do not exist: {sorted(demo.fails - names)}"
    return {SOLUTION_DEMO: Expectation(frozenset(), scores(frozenset()), frozenset())} | {
        demo.name: Expectation(demo.fails, scores(demo.fails), demo.cell_errors) for demo in demos}


def public_checks(homework: str) -> set[str]:
    """Names of the homework's public checks."""
    return {c.name for c in collect_checks(load_assignment(ASSIGNMENTS / homework)) if not c.hidden}


def grade_demos(homework: str, out: Path) -> dict[str, ResultRecord]:
    """Every demo submission of `assignments/<homework>`, graded by the real batch (student -> record)."""
    assignment = load_assignment(ASSIGNMENTS / homework)
    graded = grade_batch(assignment, find_submissions(assignment.submissions_dir), out, BatchOptions(workers=2))
    return {record.student: record for record in graded}


def scores(record: ResultRecord) -> dict[str, float]:
    return {q.id: q.auto_earned for q in record.questions}


def failed_tests(record: ResultRecord) -> set[str]:
    return {t.name for t in record.tests if t.outcome != "passed"}
