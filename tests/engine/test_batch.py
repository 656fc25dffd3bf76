"""A whole batch through the real worker processes and (where bwrap works) the real sandbox."""

import shutil

from graders.batch import BatchOptions, grade_batch, plan_workers
from graders.gradebook import Gradebook
from graders.spec import load_assignment
from graders.submission import find_submissions

from tests.engine.toy import write_notebook


def test_batch_scores_each_submission_on_its_own(toy, toy_submissions, tmp_path):
    out = tmp_path / "out"
    seen = []
    records = grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2),
                          lambda record, cached: seen.append((record.student, cached)))
    by_student = {r.student: r for r in records}
    assert {s: r.auto_earned for s, r in by_student.items()} == {"alice": 5, "bob": 3, "carol": 2, "dave": 0}
    assert all(r.auto_possible == 5 for r in records)
    assert by_student["dave"].status == "failed"
    assert "not valid notebook JSON" in by_student["dave"].reason
    carol = by_student["carol"]
    assert [c.error for c in carol.cells if c.status == "error"] == ["NameError: name 'undefined_name' is not defined"]
    failed = [t for t in carol.tests if t.outcome == "failed"]
    assert {t.question for t in failed} == {"q2"}
    assert all("does not define 'scale'" in t.message for t in failed)
    metrics = {r.student: [t.metrics for t in r.tests if t.name == "test_add_small"] for r in records}
    assert metrics == {"alice": [{"add_2_3": 5.0}], "bob": [{"add_2_3": -1.0}], "carol": [{"add_2_3": 5.0}], "dave": []}
    bob_hidden = [t for t in by_student["bob"].tests if t.hidden]
    assert bob_hidden and "add(" in bob_hidden[0].message
    assert sorted(cached for _, cached in seen) == [False] * 4

    with Gradebook(out / "gradebook.sqlite") as book:
        assert sorted(r.student for r in book.records("toy")) == ["alice", "bob", "carol", "dave"]


def test_rerun_is_served_from_the_cache_and_a_changed_notebook_is_regraded(toy, toy_submissions, tmp_path):
    out = tmp_path / "out"
    grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2))
    write_notebook(toy_submissions, "bob.ipynb", "import numpy as np\ndef add(a, b):\n    return a + b",
                   "def scale(x, k):\n    return np.asarray(x) * k")
    seen = {}
    records = grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2),
                          lambda record, cached: seen.update({record.student: cached}))
    assert seen == {"alice": True, "bob": False, "carol": True, "dave": True}
    bob = next(r for r in records if r.student == "bob")
    assert bob.auto_earned == 4  # add fixed; scale no longer raises TypeError on strings


def test_worker_plan():
    assert plan_workers(0, cores=2, gpus=[]) == (1, 2)
    assert plan_workers(0, cores=16, gpus=["0", "1"]) == (2, 8)
    assert plan_workers(3, cores=2, gpus=[]) == (3, 1)


def test_changing_a_grader_test_regrades_every_submission(toy, toy_submissions, tmp_path):
    copy = tmp_path / "toy"
    shutil.copytree(toy.root, copy)
    assignment = load_assignment(copy)
    out = tmp_path / "out"
    grade_batch(assignment, find_submissions(toy_submissions), out, BatchOptions(workers=2))
    test_file = copy / "tests" / "public" / "test_q1.py"
    test_file.write_text(test_file.read_text().replace("add(2, 3)", "add(2,  3)"))
    seen = {}
    grade_batch(load_assignment(copy), find_submissions(toy_submissions), out, BatchOptions(workers=2),
                lambda record, cached: seen.update({record.student: cached}))
    assert seen == {"alice": False, "bob": False, "carol": False, "dave": False}
