"""Points: how a question's points are shared among its tests, and what a submission earned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graders.record import QuestionScore, CheckOutcome
from graders.spec import Assignment


class PointsError(ValueError):
    """Tests of a question ask for more points than the question has."""


def resolve_points(question_points: Mapping[str, float], tests: Iterable[tuple[str, str, float | None]]) -> dict[str, float]:
    """Points per test id, from (test id, question id, explicit points or None).

    A test that sets its own points keeps them; the rest of its question's auto points are
    shared equally among the question's tests that set none.
    """
    tests = list(tests)
    resolved: dict[str, float] = {}
    for qid, possible in question_points.items():
        mine = [(tid, pts) for tid, q, pts in tests if q == qid]
        explicit = sum(pts for _, pts in mine if pts is not None)
        if explicit > possible + 1e-9:
            raise PointsError(f"tests of question {qid} ask for {explicit:g} points; it has {possible:g}")
        shared = [tid for tid, pts in mine if pts is None]
        share = (possible - explicit) / len(shared) if shared else 0.0
        for tid, pts in mine:
            resolved[tid] = float(pts) if pts is not None else share
    return resolved


def score_questions(assignment: Assignment, outcomes: Iterable[CheckOutcome]) -> tuple[QuestionScore, ...]:
    """Earned and possible auto points per question, from the tests that ran."""
    outcomes = list(outcomes)
    scores = []
    for question in assignment.questions:
        mine = [o for o in outcomes if o.question == question.id]
        scores.append(
            QuestionScore(
                id=question.id,
                auto_earned=round(sum(o.earned for o in mine), 6),
                auto_possible=round(sum(o.points for o in mine), 6),
                manual_possible=question.manual_points,
            )
        )
    return tuple(scores)
