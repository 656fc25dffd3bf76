"""Words a student must never read: the grader's internal vocabulary, its own class names, a
second wording of a problem that has one, terminal escape codes, points with more than two
decimals. Used on every student-facing string of graded records and on their rendered reports."""

from __future__ import annotations

import re

from graders.record import ResultRecord
from graders.scoring import grade
from graders.spec import Assignment
from reports.render import render_student
from reports.views import check_label

INTERNAL = {
    "the seed (a student's answer the course was built from)":
        r"\bthe seed'?s\b|\bseed (?:students?|networks?|models?|notebooks?|answers?|reports?)\b",
    "oracle": r"\boracles?\b",
    "wire": r"\bwire\b",
    "fixture": r"\bfixtures?\b",
    "kernel, for the notebook": r"\bkernel(?:'s answer| died| could not| sent| is not running)|\bnotebook's kernel\b",
    "the reference solution": r"\breference(?:'s| solution)",
    "the grader's own names": r"__grader|grader_wire|GradedNotebook|KernelError|StudentCodeError|AnswerRefused"
                              r"|AnswerMissing|AnswerNotFound|NotDefined|CallTimeout|GradingPlugin|pytest",
    "a second wording of a missing name": r"\bthe notebook does not define\b|\bdoes not define '",
    "a terminal escape code": r"\x1b|\[[0-9;]*[0-9]m(?![a-z])",
    "points with more than two decimals": r"\b\d+\.\d{3,} / \d",
}
_PATTERNS = {what: re.compile(pattern, re.IGNORECASE) for what, pattern in INTERNAL.items()}


def internal_words(text: str) -> list[str]:
    """What in `text` a student must not read, each as 'kind: the words found'."""
    return [f"{what}: {match.group(0)!r}" for what, pattern in _PATTERNS.items() for match in pattern.finditer(text)]


def student_text(record: ResultRecord) -> list[str]:
    """Every string of a record that its student reads: the reason, cell errors, notes, check labels,
    messages and what the checks used."""
    return [record.reason, *(cell.error for cell in record.cells), *(note.text for note in record.notes),
            *(text for test in record.tests for text in (check_label(test.name), test.message, *test.found))]


def reports(record: ResultRecord, assignment: Assignment) -> list[str]:
    """The record's feedback reports, in every language and format."""
    graded = grade(record, assignment, {})
    return [render_student(record, assignment, lang, fmt, graded) for lang in ("en", "fa") for fmt in ("md", "html")]


def problems(records: list[ResultRecord], assignment: Assignment, written_by_students: tuple[str, ...] = ()
             ) -> dict[str, list[str]]:
    """student -> what of the internal vocabulary their records and reports show (only those with any).
    Strings the students wrote themselves (a path in their code, quoted back in an error) are theirs
    to word: they are left out of the scan."""
    found = {}
    for record in records:
        texts = (*student_text(record), *reports(record, assignment))
        for own in written_by_students:
            texts = tuple(text.replace(own, "") for text in texts)
        words = [word for text in texts for word in internal_words(text)]
        if words:
            found[record.student] = words
    return found
