"""The TA review page of one submission: per question, the student's answers, code and outputs
from the executed notebook, every automatic check (hidden ones included), class-ranking
awards and the rubric items with their scores (who gave them, when)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graders.gradebook import ManualScore
from graders.record import ResultRecord
from graders.scoring import Grade
from graders.spec import Assignment
from reports.notebook_view import (
    CellView,
    NotebookSections,
    NotebookUnreadable,
    read_sections,
)
from reports.render import render, submission_context, submission_stem
from reports.views import QuestionView, question_views

REVIEW_DIR = "review"  # in the reports folder: review/<stem>.<lang>.html


@dataclass(frozen=True)
class ReviewSection:
    question: QuestionView
    cells: tuple[CellView, ...]


def review_sections(out_dir: Path, record: ResultRecord, assignment: Assignment
                    ) -> tuple[NotebookSections | None, str]:
    """The executed notebook's cells by question, or None and why there are none."""
    if not record.executed:
        return None, ""
    path = (out_dir / record.executed).resolve()
    if not path.is_relative_to(out_dir.resolve()):
        return None, f"{record.executed}: not inside the reports folder"
    try:
        return read_sections(path, [q.id for q in assignment.questions]), ""
    except NotebookUnreadable as err:
        return None, str(err)


def render_review(record: ResultRecord, assignment: Assignment, lang: str, grade: Grade,
                  manual: Mapping[tuple[str, str], ManualScore], notebook: NotebookSections | None,
                  notebook_problem: str = "") -> str:
    questions = question_views(record, assignment, lang, manual, grade.awards, for_staff=True)
    sections = tuple(ReviewSection(q, notebook.by_question.get(q.id, ()) if notebook else ()) for q in questions)
    stem = submission_stem(record)
    return render("review", "html", lang, assignment, **submission_context(record, grade),
                  sections=sections, notebook=notebook, notebook_problem=notebook_problem,
                  report_link=f"../{stem}.{lang}.html",
                  executed_link=f"../{record.executed}" if record.executed else "")
