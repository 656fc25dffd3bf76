"""How the class did: score distributions, check pass rates, the most failed checks, leaderboards.

The class summary and its plots are made from this; it is computed from the batch's result
records and grades only.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graders.record import CheckOutcome, ResultRecord
from graders.scoring import Grade, RankAward, class_ranking
from graders.spec import Assignment, Question
from reports.escape import one_line
from reports.views import check_label

MOST_FAILED = 10  # rows of the "checks most students failed" table
MESSAGE_CHARS = 160  # of a check's most common failure message
LEADERBOARD = 10  # rows of a class-ranking leaderboard


@dataclass(frozen=True)
class StudentRow:
    record: ResultRecord
    grade: Grade
    auto_by_question: tuple[float, ...]  # in the order of the spec's questions


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    scores: tuple[float, ...]  # automatic points of every submission

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0


@dataclass(frozen=True)
class CheckStats:
    question: str
    name: str
    hidden: bool
    ran: int  # submissions the check ran on
    failed: int
    common_message: str  # the most frequent failure message ("" if it never failed)

    @property
    def label(self) -> str:
        return check_label(self.name)

    @property
    def pass_rate(self) -> float:
        return (self.ran - self.failed) / self.ran if self.ran else 0.0


@dataclass(frozen=True)
class Leaderboard:
    question: Question
    rows: tuple[RankAward, ...]  # the best LEADERBOARD places (more on a tie), best first


@dataclass(frozen=True)
class ClassSummary:
    rows: tuple[StudentRow, ...]
    questions: tuple[QuestionStats, ...]
    checks: tuple[CheckStats, ...]  # question by question (the spec's order), each in the order they ran
    leaderboards: tuple[Leaderboard, ...]
    possible: float

    @property
    def totals(self) -> list[float]:
        return [row.grade.total for row in self.rows]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.rows else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.totals) if self.rows else 0.0

    @property
    def most_failed(self) -> tuple[CheckStats, ...]:
        """The checks that failed most often (by count, then by rate), those that never failed left out."""
        failing = [c for c in self.checks if c.failed]
        return tuple(sorted(failing, key=lambda c: (-c.failed, c.pass_rate))[:MOST_FAILED])


def summarise(records: Sequence[ResultRecord], assignment: Assignment, grades: Mapping[str, Grade]) -> ClassSummary:
    """`grades` by submission file name, as `publish` computes them."""
    rows = []
    for record in records:
        earned = {q.id: q.auto_earned for q in record.questions}
        rows.append(StudentRow(record, grades[record.submission],
                               tuple(earned.get(q.id, 0.0) for q in assignment.questions)))
    questions = tuple(
        QuestionStats(q, tuple(row.auto_by_question[i] for row in rows)) for i, q in enumerate(assignment.questions)
    )
    leaderboards = tuple(Leaderboard(q, _top(class_ranking(records, q))) for q in assignment.questions
                         if q.rank_bonus is not None)
    return ClassSummary(tuple(rows), questions, _check_stats(records, assignment), leaderboards,
                        assignment.auto_points + assignment.manual_points)


def _check_stats(records: Sequence[ResultRecord], assignment: Assignment) -> tuple[CheckStats, ...]:
    outcomes: dict[tuple[str, str], list[CheckOutcome]] = {}
    for record in records:
        for test in record.tests:
            outcomes.setdefault((test.question, test.name), []).append(test)
    stats = []
    for (question, name), tests in outcomes.items():
        failures = [t for t in tests if t.outcome == "failed"]
        messages = Counter(one_line(t.message)[:MESSAGE_CHARS] for t in failures if t.message)
        stats.append(CheckStats(question, name, tests[0].hidden, len(tests), len(failures),
                                messages.most_common(1)[0][0] if messages else ""))
    order = {q.id: i for i, q in enumerate(assignment.questions)}
    return tuple(sorted(stats, key=lambda c: order.get(c.question, len(order))))


def _top(ranking: tuple[RankAward, ...]) -> tuple[RankAward, ...]:
    return tuple(a for a in ranking if a.rank <= LEADERBOARD)
