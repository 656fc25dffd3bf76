"""Grade exports, one function per format, all from result records and their grades.

- `grades_csv`: ours. Columns: student, submission, status, one column per question (its
  automatic points, bonus questions included), auto, manual, bonus, total, possible, reason.
  `total` = auto + manual + bonus and may exceed `possible` (the maximum, bonus excluded).
- `canvas_csv`: Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section and
  one assignment column, with the "Points Possible" row first.
- `moodle_csv`: Moodle's grade import (CSV): ID number, Email address, Full name and one grade
  column; in Moodle, map "ID number" (or "Email address") to the user and the grade column to
  the grade item.
- `gradescope_results`: Gradescope autograder `results.json` for one submission: `score`,
  `tests[]` (`name`, `score`, `max_score`, `status`, `output`, `visibility`).

Every text cell is neutralised against spreadsheet formulas and put on one line; points have
at most two decimals.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence

from graders.gradebook import ManualScore
from graders.record import ResultRecord
from graders.roster import Student
from graders.scoring import Grade
from graders.spec import Assignment
from reports.escape import csv_cell, one_line, plain
from reports.i18n import WORDS
from reports.points import format_points
from reports.views import question_views

POINTS_POSSIBLE = "Points Possible"  # the first cell of Canvas's second row


def grades_csv(records: Sequence[ResultRecord], assignment: Assignment, grades: Mapping[str, Grade]) -> str:
    question_ids = [q.id for q in assignment.questions]
    rows = []
    for record in records:
        earned = {q.id: q.auto_earned for q in record.questions}
        grade = grades[record.submission]
        rows.append([record.student, record.submission, record.status,
                     *(format_points(earned.get(qid, 0.0)) for qid in question_ids),
                     *(format_points(x) for x in (grade.auto, grade.manual, grade.bonus, grade.total, grade.possible)),
                     record.reason])
    header = ["student", "submission", "status", *question_ids, "auto", "manual", "bonus", "total", "possible",
              "reason"]
    return _csv(header, rows)


def canvas_csv(records: Sequence[ResultRecord], grades: Mapping[str, Grade], roster: Mapping[str, Student],
               column: str) -> str:
    """`column`: the assignment's column, e.g. "Homework 4 (123456)" to update Canvas assignment 123456."""
    possible = next(iter(grades.values())).possible if grades else 0.0
    rows = [[POINTS_POSSIBLE, "", "", "", "", format_points(possible)]]
    for record in records:
        person = roster.get(record.student, Student(record.student))
        rows.append([person.name or person.id, "", person.id, person.login, person.section,
                     format_points(grades[record.submission].total)])
    return _csv(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column], rows)


def moodle_csv(records: Sequence[ResultRecord], grades: Mapping[str, Grade], roster: Mapping[str, Student],
               column: str) -> str:
    rows = []
    for record in records:
        person = roster.get(record.student, Student(record.student))
        rows.append([person.id, person.email, person.name, format_points(grades[record.submission].total)])
    return _csv(["ID number", "Email address", "Full name", column], rows)


def gradescope_results(record: ResultRecord, assignment: Assignment, grade: Grade,
                       manual: Mapping[tuple[str, str], ManualScore]) -> str:
    """Hidden checks are visible only once grades are published, and say only passed or failed;
    bonus points are tests with `max_score` 0 (Gradescope shows them as extra credit)."""
    words = WORDS["en"]
    tests = []
    questions = question_views(record, assignment, "en", manual, grade.awards)
    for question in questions:
        bonus = " (bonus)" if question.bonus else ""
        for check in question.checks:
            tests.append(_test(f"{question.id}{bonus} · {check.label}", check.earned,
                               0.0 if question.bonus else check.points, check.outcome, check.message,
                               "after_published" if check.hidden else "visible"))
        for item in question.rubric:
            earned = item.score.points if item.score else 0.0
            output = (item.score.comment if item.score else words["not_scored_yet"])
            tests.append(_test(f"{question.id}{bonus} · rubric · {item.id}", earned,
                               0.0 if question.bonus else item.points, "", output, "visible"))
        for award in question.awards:
            place = words["rank_award"].format(rank=award.rank, ranked=award.ranked, metric=award.metric,
                                               value=f"{award.value:.4g}")
            tests.append(_test(f"{question.id} · bonus · {place}", award.points, 0.0, "passed", "", "after_published"))
    results = {
        "score": round(grade.total, 2),
        "execution_time": round(record.timing.get("total_s", 0.0)),
        "output": plain(f"{words['failed']}: {record.reason}" if record.status == "failed" else
                        "\n".join(f"{question.id}: {note}" for question in questions for note in question.found)),
        "output_format": "text",
        "tests": tests,
    }
    return json.dumps(results, ensure_ascii=False, indent=1) + "\n"


def _test(name: str, score: float, max_score: float, outcome: str, output: str, visibility: str) -> dict:
    test = {"name": one_line(name), "score": round(score, 2), "max_score": round(max_score, 2),
            "output": plain(output), "output_format": "text", "visibility": visibility}
    if outcome in ("passed", "failed"):
        test["status"] = outcome
    return test


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()
