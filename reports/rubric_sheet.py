"""Manual rubric scores as a CSV sheet: one row per student and rubric item.

`grade rubric ASSIGNMENT --export FILE` writes the sheet (scores already given filled in);
TAs fill in `points` (and `comment`); `grade rubric ASSIGNMENT --import FILE` reads it back.
An import is all or nothing: every row is checked first and any problem (an unknown student,
question or item, points that are not a number or out of range, a row given twice) stops it,
listing each problem as FILE:LINE. A row with an empty `points` cell is left as it is.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from graders.csv_input import CsvInputError, from_csv_cell, read_rows
from graders.gradebook import ManualScore
from graders.spec import Assignment
from reports.escape import csv_cell, one_line
from reports.points import format_points

COLUMNS = ("student", "question", "item", "max_points", "points", "comment", "rubric_text")
REQUIRED = ("student", "question", "item", "points")
SHOWN_PROBLEMS = 30


class SheetError(CsvInputError):
    """A rubric sheet with problems; nothing of it was recorded."""


def blank_sheet(assignment: Assignment, students: Iterable[str], existing: Iterable[ManualScore]) -> str:
    """The sheet for every student and rubric item, pre-filled with the scores already given."""
    given = {(s.student, s.question, s.item): s for s in existing}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for student in sorted(set(students)):
        for question in assignment.questions:
            for item in question.rubric:
                score = given.get((student, question.id, item.id))
                cells = (student, question.id, item.id, format_points(item.points),
                         format_points(score.points) if score else "", score.comment if score else "", item.text.en)
                writer.writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()


def read_sheet(path: Path, assignment: Assignment, students: Iterable[str], grader: str) -> list[ManualScore]:
    """The scores a filled-in sheet gives, all checked; raises SheetError listing every problem."""
    try:
        rows = read_rows(path, REQUIRED)
    except CsvInputError as err:
        raise SheetError(str(err)) from None
    known = {one_line(s): s for s in students}  # as the sheet shows them (csv_cell puts ids on one line)
    items = {(q.id, i.id): i.points for q in assignment.questions for i in q.rubric}
    problems: list[str] = []
    scores: list[ManualScore] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        shown, question, item = (from_csv_cell(row.cells[c]) for c in ("student", "question", "item"))
        where = f"{path.name}:{row.line}"
        problem = _row_problem(shown, question, item, known, items, assignment)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        student = known[shown]
        if (student, question, item) in seen:
            problems.append(f"{where}: {shown} {question}/{item} is given again (first on line {seen[student, question, item]})")
            continue
        seen[student, question, item] = row.line
        if not row.cells["points"]:
            continue
        points = _points(row.cells["points"])
        if points is None or not 0 <= points <= items[question, item]:
            problems.append(f"{where}: points {one_line(row.cells['points'])!r} for {question}/{item} must be a number "
                            f"from 0 to {format_points(items[question, item])}")
            continue
        scores.append(ManualScore(student, question, item, points, from_csv_cell(row.cells.get("comment", "")), grader))
    if problems:
        raise SheetError(_listed(path, problems))
    return scores


def _row_problem(student: str, question: str, item: str, known: Mapping[str, str],
                 items: dict[tuple[str, str], float], assignment: Assignment) -> str:
    if student not in known:
        return f"unknown student {one_line(student)!r} (not in the gradebook of {assignment.id})"
    question_ids = [q.id for q in assignment.questions]
    if question not in question_ids:
        return f"unknown question {one_line(question)!r}; {assignment.id} has {', '.join(question_ids)}"
    if (question, item) not in items:
        rubric = [i for q, i in items if q == question]
        return (f"question {question} has no rubric item {one_line(item)!r}; "
                f"it has {', '.join(rubric) if rubric else 'none'}")
    return ""


def _points(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace("٫", "."))  # a decimal comma, the Persian one too
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _listed(path: Path, problems: Sequence[str]) -> str:
    head = f"{path}: {len(problems)} problem(s); nothing was recorded"
    more = [f"... and {len(problems) - SHOWN_PROBLEMS} more"] if len(problems) > SHOWN_PROBLEMS else []
    return "\n".join([head, *problems[:SHOWN_PROBLEMS], *more])
