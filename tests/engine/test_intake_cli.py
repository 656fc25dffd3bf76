"""`grade` from an LMS download and a roster, end to end on the toy assignment; `grade similarity`."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat

from graders.cli import main
from graders.intake import Intake
from tests.engine.downloads import ROSTER, notebook_bytes, write_zip
from tests.engine.similarity_cases import (
    DISGUISED,
    LOOPS,
    STARTER,
    VECTORISED,
    code_notebook,
)
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, TOY

WRONG_ADD = "import numpy as np\ndef add(a, b):\n    return a - b"


def toy_with(tmp_path: Path, first_lines: str = "") -> Path:
    """A copy of the toy assignment with extra top-level keys (a deadline)."""
    folder = tmp_path / "toy"
    shutil.copytree(TOY, folder)
    spec = folder / "assignment.toml"
    spec.write_text(first_lines + spec.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def moodle(name: str, when: tuple[int, ...]) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(f"{name}_assignsubmission_file_/hw.ipynb", when)


def test_grade_a_moodle_zip_with_a_roster(tmp_path, capsys):
    toy = toy_with(tmp_path, "deadline = '2024-11-20T23:59:00+03:30'\n")
    download = write_zip(tmp_path / "hw-download.zip", [
        (moodle("Ali Rezaei_501", (2024, 11, 20, 22, 0, 0)), notebook_bytes(RIGHT_ADD, RIGHT_SCALE)),
        (zipfile.ZipInfo("Ali Rezaei_501_assignsubmission_file_/draft.ipynb", (2024, 11, 19, 9, 0, 0)),
         notebook_bytes(WRONG_ADD, RIGHT_SCALE)),
        (moodle("زهرا نیک‌پور_502", (2024, 11, 21, 1, 0, 0)), notebook_bytes(WRONG_ADD, RIGHT_SCALE)),
        (moodle("Mallory Evil_504", (2024, 11, 20, 9, 0, 0)), notebook_bytes(RIGHT_ADD, RIGHT_SCALE)),
        ("../../evil.ipynb", notebook_bytes(RIGHT_ADD)),
    ])
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "reports"

    code = main([str(toy), "--submissions", str(download), "--roster", str(roster), "--out", str(out),
                 "--lang", "en", "-j", "2"])

    assert code == 0
    err = capsys.readouterr().err
    for line in ["  2 students with a notebook: 1 late, 1 earlier notebook superseded",
                 "  unmatched, not graded: 1 notebook",
                 "    hw-download.zip: Mallory Evil_504_assignsubmission_file_/hw.ipynb — 'Mallory Evil' (id 504) "
                 "is not in the roster roster.csv",
                 "  refused, not graded: 1 file",
                 "  no notebook: 2 roster students"]:
        assert line in err.splitlines(), line
    grades = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    # student, submission, status, q1, q2, auto, manual, bonus, total, possible (5 auto + 1 rubric), reason
    assert grades[1:] == ["98001,98001.ipynb,graded,2,3,5,0,0,5,6,", "98002,98002.ipynb,graded,0,3,3,0,0,3,6,"]
    assert (out / "98001.en.html").is_file() and (out / "98002.en.md").is_file()
    intake = Intake.from_json((out / "intake.json").read_text(encoding="utf-8"))
    assert {i.student: i.late for i in intake.with_status("chosen")} == {"98001": False, "98002": True}
    assert intake.missing == ("98003", "98004")
    assert sorted(p.name for p in (out / "intake").iterdir()) == ["98001.ipynb", "98002.ipynb"]


def test_similarity_verb_writes_the_table_and_the_page(tmp_path, capsys):
    toy = toy_with(tmp_path)
    nbformat.write(code_notebook(STARTER), toy / "student.ipynb")
    download = tmp_path / "subs"
    download.mkdir()
    for student, cells in {"loops": LOOPS, "copy": DISGUISED, "vectorised": VECTORISED}.items():
        nbformat.write(code_notebook(cells), download / f"{student}.ipynb")
    out = tmp_path / "reports"

    assert main(["similarity", str(toy), "--submissions", str(download), "--out", str(out)]) == 0

    captured = capsys.readouterr()
    listed = [line.split() for line in captured.out.splitlines()]
    assert listed == [["1.00", "copy", "loops"]]
    assert "1 of 1 pairs at or above 0.50" in captured.err  # the other pairs share nothing beyond the starter
    assert (out / "similarity.csv").read_text(encoding="utf-8").splitlines()[1].startswith("copy,loops,1.00,")
    assert "<mark>" in (out / "similarity.html").read_text(encoding="utf-8")


def test_intake_problems_are_one_line_errors(tmp_path, capsys):
    bad_roster = tmp_path / "roster.csv"
    bad_roster.write_text("name\nAli\n", encoding="utf-8")
    assert main([str(TOY), "--submissions", str(tmp_path), "--roster", str(bad_roster)]) == 2
    err = capsys.readouterr().err
    assert "roster.csv:1: the header lacks the column(s) id" in err and "Traceback" not in err
    garbage = tmp_path / "download.zip"
    garbage.write_bytes(b"PK but not really")
    assert main(["similarity", str(TOY), "--submissions", str(garbage)]) == 2
    err = capsys.readouterr().err
    assert "download.zip: not a readable zip file" in err and len(err.strip().splitlines()) == 1
