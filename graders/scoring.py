"""Points: how a question's points are shared among its tests, what a submission earned, and
the class-ranking bonuses of a batch."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from graders.gradebook import ManualScore
from graders.record import CheckOutcome, QuestionScore, ResultRecord
from graders.spec import Assignment, Question


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
                bonus=question.bonus,
            )
        )
    return tuple(scores)


@dataclass(frozen=True)
class RankAward:
    """One submission's place in a class ranking, and the bonus points it won there (hw3.q3: +20
    for the best test accuracy)."""

    question: str
    metric: str
    student: str
    submission: str
    value: float
    rank: int  # 1 is the best; tied submissions share a rank
    ranked: int  # submissions in the ranking
    points: float  # 0 below the ranks that win points


@dataclass(frozen=True)
class Grade:
    """One submission's points, all parts together: the numbers every report and export shows."""

    auto: float  # automatic points of the regular questions
    manual: float  # rubric points of the regular questions scored so far
    bonus: float  # bonus questions (automatic and rubric) plus class-ranking awards
    possible: float  # the maximum: automatic and rubric points of the regular questions
    unscored_items: int  # rubric items no TA has scored yet
    awards: tuple[RankAward, ...] = ()

    @property
    def total(self) -> float:
        """May exceed `possible`: bonus points are extra."""
        return self.auto + self.manual + self.bonus


def class_ranking(records: Iterable[ResultRecord], question: Question) -> tuple[RankAward, ...]:
    """Every submission's place in a question's `rank_bonus` ranking, best first.

    The graded submissions whose grader test recorded the metric are ranked, highest value first
    (a submission that recorded it several times counts its highest). Ties: submissions with
    equal values share the better rank and each gets its points; the next one down skips the
    ranks they took (20, 20, then 5 for points [20, 10, 5]). Submissions that could not be
    graded, or recorded no finite value, are not ranked and get nothing.
    """
    bonus = question.rank_bonus
    if bonus is None:
        return ()
    values = [(r, v) for r in records if (v := _metric(r, question.id, bonus.metric)) is not None]
    ranking = []
    for record, value in values:
        rank = 1 + sum(other > value for _, other in values)
        points = bonus.points[rank - 1] if rank <= len(bonus.points) else 0.0
        ranking.append(RankAward(question.id, bonus.metric, record.student, record.submission, value, rank,
                                 len(values), points))
    return tuple(sorted(ranking, key=lambda a: (a.rank, a.student, a.submission)))


def rank_awards(records: Iterable[ResultRecord], assignment: Assignment) -> dict[str, tuple[RankAward, ...]]:
    """The class-ranking bonuses a batch won (points > 0 only), by submission file name."""
    records = list(records)
    awards: dict[str, list[RankAward]] = {}
    for question in assignment.questions:
        for award in class_ranking(records, question):
            if award.points:
                awards.setdefault(award.submission, []).append(award)
    return {submission: tuple(won) for submission, won in awards.items()}


def _metric(record: ResultRecord, question: str, metric: str) -> float | None:
    if record.status != "graded":
        return None
    values = [t.metrics[metric] for t in record.tests
              if t.question == question and metric in t.metrics and math.isfinite(t.metrics[metric])]
    return round(max(values), 9) if values else None


def grade(record: ResultRecord, assignment: Assignment, manual: Mapping[tuple[str, str], ManualScore],
          awards: tuple[RankAward, ...] = ()) -> Grade:
    """What a submission earned: its automatic points, the TAs' rubric scores (by question and
    item) and its class-ranking awards, with the bonus parts kept apart."""
    auto_by_question = {q.id: q.auto_earned for q in record.questions}
    auto = rubric = bonus = 0.0
    unscored = 0
    for question in assignment.questions:
        scored = [manual[(question.id, item.id)].points for item in question.rubric if (question.id, item.id) in manual]
        unscored += len(question.rubric) - len(scored)
        if question.bonus:
            bonus += auto_by_question.get(question.id, 0.0) + sum(scored)
        else:
            auto += auto_by_question.get(question.id, 0.0)
            rubric += sum(scored)
    return Grade(
        auto=round(auto, 6),
        manual=round(rubric, 6),
        bonus=round(bonus + sum(a.points for a in awards), 6),
        possible=record.auto_possible + assignment.manual_points,  # the public share only in a self-check
        unscored_items=unscored,
        awards=awards,
    )


def batch_grades(records: Sequence[ResultRecord], assignment: Assignment,
                 manual: Iterable[ManualScore]) -> dict[str, Grade]:
    """Every submission's grade, by submission file name; class rankings over these records."""
    by_student = manual_by_student(manual)
    awards = rank_awards(records, assignment)
    return {r.submission: grade(r, assignment, by_student.get(r.student, {}), awards.get(r.submission, ()))
            for r in records}


def manual_by_student(manual: Iterable[ManualScore]) -> dict[str, dict[tuple[str, str], ManualScore]]:
    """Manual scores by student, then by (question, item)."""
    by_student: dict[str, dict[tuple[str, str], ManualScore]] = {}
    for score in manual:
        by_student.setdefault(score.student, {})[(score.question, score.item)] = score
    return by_student
