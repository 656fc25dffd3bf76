"""Grading an assignment's bundled demo submissions, shared by the per-homework demo tests."""

from pathlib import Path

from graders.batch import BatchOptions, grade_batch
from graders.record import ResultRecord
from graders.spec import load_assignment
from graders.submission import find_submissions

ASSIGNMENTS = Path(__file__).resolve().parents[2] / "assignments"


def grade_demos(homework: str, out: Path) -> dict[str, ResultRecord]:
    """Every demo submission of `assignments/<homework>`, graded by the real batch (student -> record)."""
    assignment = load_assignment(ASSIGNMENTS / homework)
    graded = grade_batch(assignment, find_submissions(assignment.submissions_dir), out, BatchOptions(workers=2))
    return {record.student: record for record in graded}


def scores(record: ResultRecord) -> dict[str, float]:
    return {q.id: q.auto_earned for q in record.questions}


def failed_tests(record: ResultRecord) -> set[str]:
    return {t.name for t in record.tests if t.outcome != "passed"}
