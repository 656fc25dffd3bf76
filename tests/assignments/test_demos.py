"""Every homework end to end: its demo submissions graded by the real batch (worker processes,
sandbox, tiny data). The solution earns every auto point; each demo fails exactly the checks it
declares and scores what follows from them; the file that is not JSON fails alone with a reason.

For a homework built from a notebook source, the same notebooks are also checked with its
student kit by `grade check`, run where `reference` cannot be imported: the kit's verdicts are
the instructor's public verdicts, check for check. Every notebook runs once per way of grading.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from graders.build.demos import NOT_JSON, SOLUTION_DEMO
from graders.build.release import build_release, write_release
from graders.paths import REPO_ROOT
from graders.record import ResultRecord
from graders.spec import load_assignment
from tests.assignments.demo import (
    ASSIGNMENTS,
    HOMEWORKS,
    Expectation,
    expectations,
    failed_tests,
    grade_demos,
    public_checks,
    scores,
)
from tests.vocabulary import problems

STUDENT_MACHINE = Path(__file__).with_name("student_machine")  # its sitecustomize blocks `reference`
VERDICT = re.compile(r"^([✓✗]) (\S+) (\S+)$")


@dataclass(frozen=True)
class KitCheck:
    """`grade check` with the student kit on one notebook."""

    exit_code: int
    verdicts: dict[str, bool]  # check name -> passed
    output: str


def _cached(compute: Callable[[str], object]) -> Callable[[str], object]:
    cache: dict[str, object] = {}
    return lambda homework: cache[homework] if homework in cache else cache.setdefault(homework, compute(homework))


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> Callable[[str], dict[str, ResultRecord]]:
    """homework -> its demos graded by the instructor's batch (each homework graded once)."""
    return _cached(lambda homework: grade_demos(homework, tmp_path_factory.mktemp(homework)))


@pytest.fixture(scope="session")
def expected() -> Callable[[str], dict[str, Expectation]]:
    return _cached(expectations)


def student_environment() -> dict[str, str]:
    """The environment of a student's machine: the engine importable, `reference` not."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join((str(STUDENT_MACHINE), str(REPO_ROOT)))}


def kit_check(kit: Path, notebook: Path, cwd: Path) -> KitCheck:
    grade = Path(sys.executable).with_name("grade")
    command = [str(grade)] if grade.is_file() else [sys.executable, "-m", "graders.cli"]
    done = subprocess.run([*command, "check", str(kit), str(notebook)], cwd=cwd, env=student_environment(),
                          capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    verdicts = {m[3]: m[1] == "✓" for m in (VERDICT.match(line) for line in done.stdout.splitlines()) if m}
    return KitCheck(done.returncode, verdicts, output)


@pytest.fixture(scope="session")
def kit_checked(tmp_path_factory) -> Callable[[str], dict[str, KitCheck]]:
    """homework -> its demo notebooks checked with its student kit, outside the repository."""

    def check_all(homework: str) -> dict[str, KitCheck]:
        outside = tmp_path_factory.mktemp(f"{homework}-student")
        release = build_release(load_assignment(ASSIGNMENTS / homework))
        write_release(release, outside / "dist")
        kit = outside / "dist" / homework / "student"
        mine = outside / "mine"
        mine.mkdir()
        notebooks = [shutil.copy(p, mine) for p in sorted(release.assignment.submissions_dir.glob("*.ipynb"))]
        with ThreadPoolExecutor(max_workers=2) as pool:
            checked = pool.map(lambda notebook: kit_check(kit, Path(notebook), outside), notebooks)
            return {Path(notebook).stem: result for notebook, result in zip(notebooks, checked)}

    return _cached(check_all)


# ---------------------------------------------------------------- the instructor's grading


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_the_solution_earns_every_auto_point(homework, graded, expected):
    solution = graded(homework)[SOLUTION_DEMO]
    assert solution.status == "graded", solution.reason
    assert failed_tests(solution) == set(), {t.name: t.message for t in solution.tests if t.outcome != "passed"}
    spec = load_assignment(ASSIGNMENTS / homework)
    assert scores(solution) == pytest.approx({q.id: q.auto_points for q in spec.questions})
    assert scores(solution) == pytest.approx(expected(homework)[SOLUTION_DEMO].scores)
    assert all(c.status == "ok" for c in solution.cells), [c for c in solution.cells if c.status != "ok"]
    assert {t.hidden for t in solution.tests} == {False, True}, "public and hidden tests both ran"


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_each_demo_fails_exactly_its_declared_checks(homework, graded, expected):
    demos = {name: e for name, e in expected(homework).items() if name != SOLUTION_DEMO}
    assert demos, f"{homework} has no demo that fails anything"
    records = graded(homework)
    for name, expectation in demos.items():
        record = records[name]
        assert failed_tests(record) == expectation.fails, name
        assert scores(record) == pytest.approx(expectation.scores), name
        assert {c.error for c in record.cells if c.status == "error"} == expectation.cell_errors, name
        assert all(c.status in ("ok", "error") for c in record.cells), name
        messages = [t.message for t in record.tests if t.outcome == "failed"]
        assert all(messages), f"{name}: every failed check tells the student why"
        if expectation.cell_errors:
            assert any(m.startswith("your code raised") for m in messages), messages


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_every_message_speaks_the_students_language(homework, graded):
    """What the solution and the demos (wrong answers, errors, a file that is not a notebook) make the
    grader say, in records and reports: none of its internal words, one wording per problem."""
    assert problems(list(graded(homework).values()), load_assignment(ASSIGNMENTS / homework)) == {}


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_not_json_is_failed_with_a_reason(homework, graded):
    record = graded(homework)[NOT_JSON]
    assert record.status == "failed" and "not valid notebook JSON" in record.reason
    assert set(scores(record).values()) == {0.0}


# ---------------------------------------------------------------- the student's kit, without the reference


def test_the_student_machine_cannot_import_the_reference(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import graders.cli, reference"], cwd=tmp_path,
                          env=student_environment(), capture_output=True, text=True)
    assert done.returncode == 1 and "No module named 'reference'" in done.stderr, done.stderr


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_with_the_kit_the_solution_passes_every_public_check(homework, kit_checked):
    solution = kit_checked(homework)[SOLUTION_DEMO]
    assert solution.exit_code == 0, solution.output
    assert solution.verdicts == dict.fromkeys(public_checks(homework), True), solution.output


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_with_the_kit_each_demo_fails_exactly_its_declared_public_checks(homework, kit_checked, expected):
    public = public_checks(homework)
    for name, expectation in expected(homework).items():
        checked = kit_checked(homework)[name]
        failing = {check for check, passed in checked.verdicts.items() if not passed}
        assert set(checked.verdicts) == public, checked.output
        assert failing == expectation.fails & public, checked.output
        assert checked.exit_code == (1 if failing else 0), checked.output


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_the_kits_verdicts_are_the_instructors_public_verdicts(homework, kit_checked, graded):
    for name, record in graded(homework).items():
        instructor = {t.name: t.outcome == "passed" for t in record.tests if not t.hidden}
        assert kit_checked(homework)[name].verdicts == instructor, name


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_with_the_kit_not_json_is_refused_with_a_reason(homework, kit_checked):
    checked = kit_checked(homework)[NOT_JSON]
    assert checked.exit_code == 1 and "not valid notebook JSON" in checked.output, checked.output
