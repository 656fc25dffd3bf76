"""Rubric scores as a CSV sheet (`grade rubric --export/--import`), who and when, and old gradebooks."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from graders.cli import main
from graders.gradebook import Gradebook, ManualScore
from tests.reporting.records import record


@pytest.fixture
def reports(demo, tmp_path):
    """A reports folder whose gradebook holds three graded students (saved directly, no grading)."""
    folder = tmp_path / "reports"
    with Gradebook(folder / "gradebook.sqlite") as book:
        for student in ("ann", "bob", "cat"):
            book.save(record(demo, student))
        book.set_manual_scores(demo.id, [ManualScore("bob", "q1", "explain", 0.5, "ok", "ta0")])
    return folder


def rubric(demo, reports, *args):
    return main(["rubric", str(demo.root), *args, "--out", str(reports)])


def sheet_rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_export_writes_a_row_per_student_and_item_with_given_scores(demo, reports, tmp_path):
    sheet = tmp_path / "sheet.csv"
    assert rubric(demo, reports, "--export", str(sheet)) == 0
    rows = sheet_rows(sheet)
    assert list(rows[0]) == ["student", "question", "item", "max_points", "points", "comment", "rubric_text"]
    assert [(r["student"], r["question"], r["item"]) for r in rows] == [
        (s, q, i) for s in ("ann", "bob", "cat") for q, i in (("q1", "explain"), ("q3", "essay"))]
    bob = rows[2]
    assert (bob["points"], bob["comment"], bob["max_points"]) == ("0.5", "ok", "1")


def write_sheet(path, lines):
    path.write_text("student,question,item,points,comment\n" + "".join(f"{line}\n" for line in lines),
                    encoding="utf-8")
    return path


def scores(reports, demo):
    with Gradebook(reports / "gradebook.sqlite") as book:
        return {(s.student, s.question, s.item): s for s in book.all_manual_scores(demo.id)}


def test_import_records_every_row_with_who_and_when(demo, reports, tmp_path):
    sheet = write_sheet(tmp_path / "s.csv", ["ann,q1,explain,1,clear", "ann,q3,essay,\"1,5\",long", "cat,q1,explain,,",
                                             "bob,q1,explain,0.25,revised"])
    assert rubric(demo, reports, "--import", str(sheet), "--grader", "ta1") == 0
    stored = scores(reports, demo)
    assert stored["ann", "q3", "essay"].points == 1.5  # a decimal comma is read too
    assert stored["bob", "q1", "explain"].points == 0.25  # replaces the earlier score
    assert ("cat", "q1", "explain") not in stored  # an empty points cell is left as it is
    assert {s.grader for s in stored.values()} == {"ta1"}
    assert all(s.scored_at.startswith("20") for s in stored.values())


def test_a_bad_sheet_lists_every_problem_by_line_and_records_nothing(demo, reports, tmp_path, capsys):
    sheet = write_sheet(tmp_path / "s.csv", [
        "ann,q1,explain,1,fine",  # line 2: good, but must not be recorded either
        "zed,q1,explain,1,",  # 3: unknown student
        "ann,q9,explain,1,",  # 4: unknown question
        "ann,q1,nope,1,",  # 5: unknown item
        "bob,q1,explain,2,",  # 6: out of range
        "cat,q3,essay,lots,",  # 7: not a number
        "ann,q1,explain,0.5,",  # 8: given twice
    ])
    before = scores(reports, demo)
    assert rubric(demo, reports, "--import", str(sheet)) == 2
    err = capsys.readouterr().err
    assert "6 problem(s); nothing was recorded" in err and "Traceback" not in err
    for line, problem in [(3, "unknown student 'zed'"), (4, "unknown question 'q9'"),
                          (5, "question q1 has no rubric item 'nope'; it has explain"),
                          (6, "points '2' for q1/explain must be a number from 0 to 1"),
                          (7, "'lots' for q3/essay must be a number"), (8, "given again (first on line 2)")]:
        assert any(f.startswith(f"s.csv:{line}: ") and problem in f for f in err.splitlines()), problem
    assert scores(reports, demo) == before


@pytest.mark.parametrize("content, problem", [
    (b"name,points\nann,1\n", "lacks the column(s) student, question, item"),
    (b"\xff\xfe bad bytes", "not UTF-8 text"),
])
def test_an_unusable_file_is_one_clear_error(demo, reports, tmp_path, capsys, content, problem):
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(content)
    assert rubric(demo, reports, "--import", str(sheet)) == 2
    err = capsys.readouterr().err
    assert problem in err and "Traceback" not in err


def test_the_single_score_form_still_works_and_records_the_grader(demo, reports, capsys):
    assert rubric(demo, reports, "cat", "q3", "essay", "2", "--comment", "great", "--grader", "ta2") == 0
    assert scores(reports, demo)["cat", "q3", "essay"].grader == "ta2"
    assert rubric(demo, reports, "cat", "q3", "essay", "3") == 2
    assert "worth 0 to 2 points, not 3" in capsys.readouterr().err
    assert rubric(demo, reports, "cat", "q3") == 2
    assert "STUDENT QUESTION ITEM POINTS" in capsys.readouterr().err


def test_an_old_gradebook_gains_the_new_columns_and_keeps_its_rows(demo, tmp_path):
    path = tmp_path / "gradebook.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE manual_scores (assignment TEXT NOT NULL, student TEXT NOT NULL, question TEXT NOT NULL,"
                   " item TEXT NOT NULL, points REAL NOT NULL, comment TEXT NOT NULL DEFAULT '',"
                   " PRIMARY KEY (assignment, student, question, item))")
        db.execute("INSERT INTO manual_scores VALUES ('demo', 'ann', 'q1', 'explain', 1.0, 'kept')")
    with Gradebook(path) as book:
        assert book.all_manual_scores("demo") == [ManualScore("ann", "q1", "explain", 1.0, "kept", "", "")]
        book.set_manual_scores("demo", [ManualScore("bob", "q1", "explain", 0.5, "", "ta")])
    with Gradebook(path) as book:  # opening it again changes nothing
        assert len(book.all_manual_scores("demo")) == 2
