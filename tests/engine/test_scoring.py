import pytest

from graders.record import CheckOutcome
from graders.scoring import PointsError, resolve_points, score_questions


def test_points_are_shared_equally_unless_set():
    points = resolve_points({"q1": 4, "q2": 3}, [("a", "q1", None), ("b", "q1", None), ("c", "q2", 2.0), ("d", "q2", None)])
    assert points == {"a": 2.0, "b": 2.0, "c": 2.0, "d": 1.0}


def test_more_explicit_points_than_the_question_has():
    with pytest.raises(PointsError, match="ask for 5 points; it has 3"):
        resolve_points({"q1": 3}, [("a", "q1", 5.0)])


def test_question_scores_sum_passed_tests(toy):
    outcomes = [
        CheckOutcome("t1", "q1", False, 1.0, "passed"),
        CheckOutcome("t2", "q1", True, 1.0, "failed"),
        CheckOutcome("t3", "q2", False, 3.0, "passed"),
    ]
    q1, q2 = score_questions(toy, outcomes)
    assert (q1.auto_earned, q1.auto_possible) == (1.0, 2.0)
    assert (q2.auto_earned, q2.auto_possible, q2.manual_possible) == (3.0, 3.0, 1.0)
