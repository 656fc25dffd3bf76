"""What a report shows of one submission, per question: checks, rubric items, class-ranking awards.

Built from the result record, the spec and the gradebook's manual scores; the templates only lay
it out. Students see a hidden check's result but not its name or message; TAs see everything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from graders.gradebook import ManualScore
from graders.record import ResultRecord
from graders.scoring import RankAward
from graders.spec import Assignment
from reports.i18n import WORDS


@dataclass(frozen=True)
class CheckView:
    label: str
    outcome: str  # "passed" | "failed" | "skipped"
    message: str  # empty for a hidden check shown to a student
    points: float
    earned: float
    hidden: bool


@dataclass(frozen=True)
class RubricView:
    id: str
    text: str
    points: float
    score: ManualScore | None  # None until a TA scores it


@dataclass(frozen=True)
class QuestionView:
    id: str
    title: str
    bonus: bool  # a bonus question: its points are extra
    auto_earned: float
    auto_possible: float
    checks: tuple[CheckView, ...]
    rubric: tuple[RubricView, ...]
    awards: tuple[RankAward, ...]
    found: tuple[str, ...]  # what the checks used in place of names the notebook lacks, each note once


def check_label(test_name: str) -> str:
    """`test_receptive_field_dilated` -> `receptive field dilated`."""
    return re.sub(r"^test_", "", test_name).replace("_", " ").strip()


def question_views(record: ResultRecord, assignment: Assignment, lang: str,
                   manual: Mapping[tuple[str, str], ManualScore], awards: tuple[RankAward, ...] = (),
                   *, for_staff: bool = False) -> tuple[QuestionView, ...]:
    """One view per question of the spec; `for_staff` shows hidden checks' names and messages."""
    words = WORDS[lang]
    scores = {q.id: q for q in record.questions}
    views = []
    for question in assignment.questions:
        hidden_count = 0
        checks = []
        tests = [t for t in record.tests if t.question == question.id]
        for test in tests:
            label, message = check_label(test.name), test.message
            if test.hidden and not for_staff:
                hidden_count += 1
                label, message = f"{words['hidden_check']} {hidden_count}", ""
            checks.append(CheckView(label, test.outcome, message, test.points, test.earned, test.hidden))
        score = scores.get(question.id)
        views.append(QuestionView(
            id=question.id,
            title=question.title[lang],
            bonus=question.bonus,
            auto_earned=score.auto_earned if score else 0.0,
            auto_possible=score.auto_possible if score else question.auto_points,
            checks=tuple(checks),
            rubric=tuple(RubricView(item.id, item.text[lang], item.points, manual.get((question.id, item.id)))
                         for item in question.rubric),
            awards=tuple(a for a in awards if a.question == question.id),
            # a hidden check's note names the student's own answer, nothing of the hidden inputs
            found=tuple(dict.fromkeys(note for test in tests for note in test.found)),
        ))
    return tuple(views)
