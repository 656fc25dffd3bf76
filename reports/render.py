"""Render result records into per-student feedback and a class summary (HTML + Markdown, en/fa).

Reads only result records, the assignment spec and manual rubric scores: never a kernel,
never torch.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graders.record import ResultRecord
from graders.spec import Assignment
from reports.i18n import WORDS

TEMPLATES = Path(__file__).with_name("templates")

ManualScores = dict[tuple[str, str], tuple[float, str]]  # (question, item) -> (points, comment)


@dataclass(frozen=True)
class CheckView:
    label: str
    outcome: str
    message: str  # empty for hidden checks: students see pass/fail only
    points: float
    earned: float


@dataclass(frozen=True)
class RubricView:
    text: str
    points: float
    earned: float | None
    comment: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    title: str
    auto_earned: float
    auto_possible: float
    checks: tuple[CheckView, ...]
    rubric: tuple[RubricView, ...]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pts"] = lambda x: f"{x:g}" if x is not None else "–"
    return env


def check_label(test_name: str) -> str:
    """`test_receptive_field_dilated` -> `receptive field dilated`."""
    return re.sub(r"^test_", "", test_name).replace("_", " ").strip()


def question_views(record: ResultRecord, assignment: Assignment, lang: str, manual: ManualScores) -> list[QuestionView]:
    words = WORDS[lang]
    scores = {q.id: q for q in record.questions}
    views = []
    for question in assignment.questions:
        hidden_count = 0
        checks = []
        for test in (t for t in record.tests if t.question == question.id):
            if test.hidden:
                hidden_count += 1
                label, message = f"{words['hidden_check']} {hidden_count}", ""
            else:
                label, message = check_label(test.name), test.message
            checks.append(CheckView(label, test.outcome, message, test.points, test.earned))
        rubric = tuple(
            RubricView(item.text[lang], item.points, *manual.get((question.id, item.id), (None, "")))
            for item in question.rubric
        )
        score = scores.get(question.id)
        views.append(
            QuestionView(
                id=question.id,
                title=question.title[lang],
                auto_earned=score.auto_earned if score else 0.0,
                auto_possible=score.auto_possible if score else question.auto_points,
                checks=tuple(checks),
                rubric=rubric,
            )
        )
    return views


def render_student(record: ResultRecord, assignment: Assignment, lang: str, fmt: str,
                   manual: ManualScores | None = None) -> str:
    manual = manual or {}
    questions = question_views(record, assignment, lang, manual)
    manual_earned = [v.earned for q in questions for v in q.rubric]
    context = {
        "lang": lang,
        "w": WORDS[lang],
        "assignment_title": assignment.title[lang],
        "record": record,
        "questions": questions,
        "manual_earned": sum(e for e in manual_earned if e is not None) if any(e is not None for e in manual_earned) else None,
        "manual_possible": assignment.manual_points,
        "problems": [c for c in record.cells if c.status != "ok"],
    }
    return _environment().get_template(f"student.{fmt}.j2").render(**context)


def render_summary(records: list[ResultRecord], assignment: Assignment, lang: str, fmt: str) -> str:
    scores = [r.auto_earned for r in records]
    per_question = [
        (q.title[lang], q.auto_points,
         statistics.fmean([s.auto_earned for r in records for s in r.questions if s.id == q.id] or [0.0]))
        for q in assignment.questions
    ]
    context = {
        "lang": lang,
        "w": WORDS[lang],
        "assignment_title": assignment.title[lang],
        "records": records,
        "auto_possible": assignment.auto_points,
        "mean": statistics.fmean(scores) if scores else 0.0,
        "median": statistics.median(scores) if scores else 0.0,
        "per_question": per_question,
    }
    return _environment().get_template(f"summary.{fmt}.j2").render(**context)


def report_stem(student: str) -> str:
    """A file name for a student's report: letters (any script), digits, '-', '_' and '.'."""
    return re.sub(r"[^\w.-]", "_", student) or "unnamed"
