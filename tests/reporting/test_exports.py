"""Grade exports against each format's documented columns or schema, through `grade export`."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from graders.cli import main
from graders.gradebook import Gradebook, ManualScore
from tests.reporting.records import record

# Gradescope's autograder results.json, as its documentation specifies it ("Autograder
# Specifications": top-level score / execution_time / output / tests[], and per test score,
# max_score, status, name, output, output_format, visibility).
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["score", "tests"],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "score", "max_score"],
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"}, "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"}, "number": {"type": "string"}, "output": {"type": "string"},
                "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                "tags": {"type": "array", "items": {"type": "string"}}, "visibility": VISIBILITY,
                "extra_data": {"type": "object"},
            },
        }},
    },
}


@pytest.fixture
def reports(demo, tmp_path):
    """ann: everything right, rubric scored, best accuracy; bob: q1's public check wrong; cal: not a notebook."""
    folder = tmp_path / "reports"
    with Gradebook(folder / "gradebook.sqlite") as book:
        book.save(record(demo, "ann", metrics={"test_q2_hidden": {"accuracy": 0.9}}))
        book.save(record(demo, "bob", passed={"test_q1_public": False, "test_q3_public": False},
                         metrics={"test_q2_hidden": {"accuracy": 0.8}}))
        book.save(record(demo, "cal", status="failed", reason="not valid notebook JSON"))
        book.set_manual_scores(demo.id, [ManualScore("ann", "q1", "explain", 1, "clear"),
                                         ManualScore("ann", "q3", "essay", 2, "")])
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,section\nann,\"Doe, Ann\",ann@uni.example,A\nbob,Bob Roe,bob@uni.example,B\n",
                      encoding="utf-8")
    return folder, roster


def export(demo, reports, fmt, out, *extra):
    folder, roster = reports
    return main(["export", str(demo.root), "--format", fmt, "--out", str(out), "--reports", str(folder),
                 "--roster", str(roster), *extra])


def rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


# ann: 5 auto + 1 manual + bonus (1 auto and 2 rubric on bonus question q3, 20 for the best accuracy) = 29
# bob: 1 (q1 hidden) + 3 (q2) + bonus 0.5 (q3 hidden) + 10 (second best accuracy) = 14.5; cal: 0
EXPECTED = {"ann": "29", "bob": "14.5", "cal": "0"}


def test_canvas_csv_has_its_columns_and_the_points_possible_row(demo, reports, tmp_path, capsys):
    out = tmp_path / "canvas.csv"
    assert export(demo, reports, "canvas", out, "--column", "Homework 4 (1234)") == 0
    header, possible, *students = rows(out)
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 4 (1234)"]
    assert possible == ["Points Possible", "", "", "", "", "6"]
    assert [(r[0], r[2], r[4], r[5]) for r in students] == [
        ("Doe, Ann", "ann", "A", EXPECTED["ann"]), ("Bob Roe", "bob", "B", EXPECTED["bob"]), ("cal", "cal", "", "0")]
    assert "not in the roster, exported by student id: cal" in capsys.readouterr().err


def test_moodle_csv_has_an_identifier_and_a_grade_column(demo, reports, tmp_path):
    out = tmp_path / "moodle.csv"
    assert export(demo, reports, "moodle", out) == 0
    header, *students = rows(out)
    assert header == ["ID number", "Email address", "Full name", "demo"]
    assert students[0] == ["ann", "ann@uni.example", "Doe, Ann", EXPECTED["ann"]]
    assert {r[0]: r[3] for r in students} == EXPECTED


def test_our_csv_has_every_part_of_the_grade(demo, reports, tmp_path):
    out = tmp_path / "grades.csv"
    assert export(demo, reports, "csv", out) == 0
    table = [dict(zip(rows(out)[0], r)) for r in rows(out)[1:]]
    assert list(table[0]) == ["student", "submission", "status", "q1", "q2", "q3", "auto", "manual", "bonus",
                              "total", "possible", "reason"]
    ann, bob, cal = table
    assert (ann["auto"], ann["manual"], ann["bonus"], ann["total"], ann["possible"]) == ("5", "1", "23", "29", "6")
    assert (bob["q1"], bob["q3"], bob["total"]) == ("1", "0.5", EXPECTED["bob"])
    assert (cal["status"], cal["reason"], cal["total"]) == ("failed", "not valid notebook JSON", "0")


def test_gradescope_results_follow_the_documented_schema(demo, reports, tmp_path):
    out = tmp_path / "gradescope"
    assert export(demo, reports, "gradescope", out) == 0
    results = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/results.json")}
    assert sorted(results) == ["ann", "bob", "cal"]
    for result in results.values():
        jsonschema.validate(result, GRADESCOPE_SCHEMA)
    assert {name: r["score"] for name, r in results.items()} == {"ann": 29, "bob": 14.5, "cal": 0}
    bob = {t["name"]: t for t in results["bob"]["tests"]}
    assert bob["q1 · q1 public"] == {"name": "q1 · q1 public", "score": 0, "max_score": 1, "status": "failed",
                                     "output": "wrong", "output_format": "text", "visibility": "visible"}
    hidden = bob["q1 · hidden check 1"]
    assert (hidden["visibility"], hidden["output"], hidden["status"]) == ("after_published", "", "passed")
    # the regular checks and rubric items add up to the maximum; bonus tests count 0 towards it
    assert sum(t["max_score"] for t in results["bob"]["tests"]) == 6
    ann = {t["name"]: t for t in results["ann"]["tests"]}
    assert ann["q3 (bonus) · rubric · essay"]["score"] == 2 and ann["q3 (bonus) · rubric · essay"]["max_score"] == 0
    award = next(t for t in results["ann"]["tests"] if "class ranking" in t["name"])
    assert award["score"] == 20 and "place 1 of 2 by accuracy" in award["name"]
    assert results["cal"]["output"] == "could not be graded: not valid notebook JSON"


@pytest.mark.parametrize("roster, problem", [
    ("name,email\nAnn,a@x\n", "lacks the column(s) id"),
    ("id,name\nann,A\nann,B\n", "roster.csv:3: student id 'ann' appears twice"),
])
def test_a_bad_roster_is_one_clear_error(demo, reports, tmp_path, capsys, roster, problem):
    reports[1].write_text(roster, encoding="utf-8")
    assert export(demo, reports, "canvas", tmp_path / "x.csv") == 2
    err = capsys.readouterr().err
    assert problem in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_export_without_a_gradebook_says_what_to_do(demo, tmp_path, capsys):
    assert main(["export", str(demo.root), "--format", "csv", "--out", str(tmp_path / "x.csv"),
                 "--reports", str(tmp_path / "none")]) == 2
    assert "no gradebook.sqlite here; grade the assignment first" in capsys.readouterr().err
