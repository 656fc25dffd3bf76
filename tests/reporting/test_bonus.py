"""Bonus questions and class-ranking bonuses: the spec, the scoring, and where they show."""

from __future__ import annotations

import pytest

from graders.gradebook import ManualScore
from graders.scoring import batch_grades, class_ranking, grade, rank_awards
from graders.spec import SpecError, load_assignment
from tests.reporting.records import record


def test_spec_reads_bonus_question_and_rank_bonus(demo):
    q2, q3 = demo.question("q2"), demo.question("q3")
    assert q3.bonus and not q2.bonus
    assert q2.rank_bonus.metric == "accuracy" and q2.rank_bonus.points == (20.0, 10.0, 5.0)
    # the maximum leaves the bonus question out: 2 + 3 automatic, 1 rubric point
    assert (demo.auto_points, demo.manual_points) == (5, 1)


@pytest.mark.parametrize("table, problem", [
    ("bonus = 'yes'", "bonus must be true or false"),
    ("[questions.rank_bonus]\nmetric = 'accuracy'\npoints = []", "must be a list of positive numbers"),
    ("[questions.rank_bonus]\nmetric = 'accuracy'\npoints = [5, 10]", "must not increase"),
    ("[questions.rank_bonus]\nmetric = 'accuracy'\npoints = [20, -1]", "must be a list of positive numbers"),
    ("[questions.rank_bonus]\npoints = [20]", "rank_bonus.metric must be a non-empty string"),
    ("[questions.rank_bonus]\nmetric = 'accuracy'\npoints = [20]\nbest = 'lowest'", "unknown keys ['best']"),
])
def test_bad_bonus_specs_name_the_problem(tmp_path, table, problem):
    (tmp_path / "assignment.toml").write_text(
        f"id = 'x'\ntitle = 'T'\n[[questions]]\nid = 'q1'\ntitle = 'a'\n{table}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_assignment(tmp_path)


def test_bonus_question_points_are_extra_and_the_total_may_exceed_the_maximum(demo):
    full = record(demo, "ann")
    manual = {("q1", "explain"): ManualScore("ann", "q1", "explain", 1.0),
              ("q3", "essay"): ManualScore("ann", "q3", "essay", 1.5)}
    result = grade(full, demo, manual)
    assert full.auto_possible == 5  # q3 is not part of the maximum
    assert (result.auto, result.manual, result.bonus, result.possible) == (5, 1, 2.5, 6)
    assert result.total == 8.5 > result.possible
    assert result.unscored_items == 0
    assert grade(full, demo, {}).unscored_items == 2


def accuracy(demo, student, value, status="graded"):
    return record(demo, student, metrics={"test_q2_hidden": {"accuracy": value}}, status=status,
                  reason="" if status == "graded" else "not a notebook")


def test_rank_bonus_goes_to_the_best_ties_share_the_better_rank_and_failed_submissions_get_none(demo):
    records = [accuracy(demo, "ann", 0.91), accuracy(demo, "bob", 0.95), accuracy(demo, "cat", 0.95),
               accuracy(demo, "dan", 0.80), accuracy(demo, "eve", 0.70), accuracy(demo, "fay", 0.99, status="failed"),
               record(demo, "gus")]  # gus recorded no accuracy
    ranking = class_ranking(records, demo.question("q2"))
    assert [(a.student, a.rank, a.points) for a in ranking] == [
        ("bob", 1, 20), ("cat", 1, 20), ("ann", 3, 5), ("dan", 4, 0), ("eve", 5, 0)]
    assert {a.ranked for a in ranking} == {5}
    awards = rank_awards(records, demo)
    assert sorted(awards) == ["ann.ipynb", "bob.ipynb", "cat.ipynb"]
    grades = batch_grades(records, demo, [])
    # bob: 5 automatic points, 1 from passing the bonus question q3, 20 for the best accuracy
    assert (grades["bob.ipynb"].bonus, grades["bob.ipynb"].total) == (21, 26)
    assert grades["fay.ipynb"].awards == grades["gus.ipynb"].awards == ()
    assert (grades["fay.ipynb"].bonus, grades["gus.ipynb"].bonus) == (0, 1)  # gus: the bonus question only


def test_rank_bonus_counts_a_submissions_highest_value_and_ignores_non_finite_ones(demo):
    twice = record(demo, "ann", metrics={"test_q2_public": {"accuracy": 0.5}, "test_q2_hidden": {"accuracy": 0.9}})
    nan = accuracy(demo, "bob", float("nan"))
    (only,) = class_ranking([twice, nan], demo.question("q2"))
    assert (only.student, only.value, only.points) == ("ann", 0.9, 20)
