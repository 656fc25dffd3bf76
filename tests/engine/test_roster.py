"""The roster: reading the CSV (header, BOM, Persian), matching LMS names and ids, clear errors."""

from __future__ import annotations

import pytest

from graders.roster import RosterError, load_roster, name_key
from tests.engine.downloads import ROSTER


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return load_roster(path)


def test_reads_ids_names_and_emails_with_a_byte_order_mark(roster):
    assert [s.id for s in roster.students] == ["98001", "98002", "98003", "98004"]
    assert roster.students[1].name == "زهرا نيك‌پور"


@pytest.mark.parametrize("lms_id, name, student", [
    ("501", "Ali Rezaei", "98001"),  # Moodle: the full name
    ("101", "rezaeiali", "98001"),  # Canvas: "Rezaei, Ali" with spaces and punctuation removed
    ("502", "زهرا نیک‌پور", "98002"),  # Persian ی and ک where the roster has Arabic ي and ك
    ("502", "زهرا نیکپور", "98002"),  # without the zero-width non-joiner
    ("7", "jsmith", "98003"),  # the login: the email's local part
    ("98004", "someone else", "98004"),  # the LMS id is the roster id (a Canvas roster export)
    ("9", "ALI  REZAEI", "98001"),
])
def test_lms_names_and_ids_find_the_student(roster, lms_id, name, student):
    match = roster.match(lms_id, name)
    assert match.student is not None and match.student.id == student, match.problem


def test_an_unknown_name_is_not_guessed(roster):
    match = roster.match("12", "Ali Rezai")
    assert match.student is None and match.problem == "'Ali Rezai' (id 12) is not in the roster roster.csv"


def test_name_key_folds_case_digits_and_letter_forms():
    assert name_key("Ali_Rezaei-2") == name_key("ali rezaei ۲") == "alirezaei2"
    assert name_key("كريم") == name_key("کریم")


@pytest.mark.parametrize("text, problem", [
    ("name,email\nAli,a@x\n", "roster.csv:1: the header lacks the column(s) id"),
    ("id,name,email\n1,Ali,a@x\n1,Sara,s@x\n", "roster.csv:3: student id '1' appears twice"),
    ("id,name,email\n../x,Ali,a@x\n", "roster.csv:2: student id '../x' must be up to 64 letters, digits"),
    ("id,name,email\n" + "9" * 65 + ",Ali,a@x\n", "roster.csv:2: student id '999"),
    ("id,name,email\nali rezaei,Ali,a@x\n", "roster.csv:2: student id 'ali rezaei' must be"),
    ("id,name,email\n,Ali,a@x\n", "roster.csv:2: student id '' must be"),
    ("id,name,email\n\n", "roster.csv: no students in it"),
])
def test_bad_rosters_name_the_file_line_and_problem(tmp_path, text, problem):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError) as err:
        load_roster(path)
    assert problem in str(err.value) and str(tmp_path) in str(err.value)


def test_a_roster_that_is_not_utf8_or_missing(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("id,name,email\n1,علي,a@x\n".encode("cp1256"))  # an Arabic-Windows spreadsheet
    with pytest.raises(RosterError, match=r"not UTF-8 text \(save it as \"CSV UTF-8\"\)"):
        load_roster(path)
    with pytest.raises(RosterError, match="no such file"):
        load_roster(tmp_path / "missing.csv")
