"""The class roster: who the students are (a CSV with a header: `id` required; `name`, `email`,
`login`, `section` optional), which of them an LMS file name points to, and who a student id is
in the grade exports.

Names arrive spelled many ways: Moodle writes "Ali Rezaei", Canvas "rezaeiali" (its sortable
name "Rezaei, Ali" with everything but letters and digits removed), Persian names with or
without the zero-width non-joiner and with Arabic or Persian forms of ی and ک. `name_key`
reduces all of these to one comparable key.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from graders.csv_input import CsvInputError, from_csv_cell, read_rows

COLUMNS = ("id", "name", "email", "login", "section")
_ID = re.compile(r"\w[\w.@+-]{0,63}")  # a student id names files: no separators or spaces, 64 at most
# Arabic letters that Persian keyboards and old systems write for the Persian ones
_PERSIAN_FORMS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


class RosterError(CsvInputError):
    """A roster that cannot be used; the message names the file (and line) and the problem."""


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""
    login: str = ""  # the LMS login (Canvas's SIS login), if the roster has one
    section: str = ""

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        """Every key an LMS may derive from this student: the name in any first/last order,
        the id and the email's local part (Canvas uses the login)."""
        tokens = unicodedata.normalize("NFKC", self.name).split()
        orders = {" ".join(tokens[k:] + tokens[:k]) for k in range(len(tokens))}
        logins = (self.login, self.email.split("@", 1)[0])
        return frozenset(key for key in (*map(name_key, orders), name_key(self.id), *map(name_key, logins)) if key)


@dataclass(frozen=True)
class Match:
    """What a roster says about one LMS file: the student, or why there is none."""

    student: Student | None
    problem: str = ""


@dataclass(frozen=True)
class Roster:
    path: Path
    students: tuple[Student, ...]

    def by_id(self) -> dict[str, Student]:
        return {student.id: student for student in self.students}

    def match(self, lms_id: str, name: str) -> Match:
        """The one student this LMS id or name points to (roster id equal to the LMS id, or a name key)."""
        key = name_key(name)
        found = [s for s in self.students if (lms_id and s.id == lms_id) or (key and key in s.keys)]
        if len(found) == 1:
            return Match(found[0])
        shown = f"{name!r}" + (f" (id {lms_id})" if lms_id else "")
        if not found:
            return Match(None, f"{shown} is not in the roster {self.path.name}")
        return Match(None, f"{shown} matches several students in {self.path.name}: {', '.join(s.id for s in found)}")


def name_key(text: str) -> str:
    """Lower-case letters and digits only (ASCII digits), Persian letter forms unified."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PERSIAN_FORMS)
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text if c.isalnum())


def load_roster(path: Path) -> Roster:
    """Read a roster CSV (UTF-8, a byte-order mark tolerated; a header naming at least `id`)."""
    try:
        rows = read_rows(path, ("id",))
    except CsvInputError as err:
        raise RosterError(str(err)) from None
    students: dict[str, Student] = {}
    for row in rows:
        student = Student(**{column: unicodedata.normalize("NFC", from_csv_cell(row.cells.get(column, "")))
                             for column in COLUMNS})
        if not _ID.fullmatch(student.id):
            raise RosterError(f"{path}:{row.line}: student id {student.id!r} must be up to 64 letters, digits and "
                              ". _ - + @ (no spaces), since it names the student's files")
        if student.id in students:
            raise RosterError(f"{path}:{row.line}: student id {student.id!r} appears twice")
        students[student.id] = student
    if not students:
        raise RosterError(f"{path}: no students in it")
    return Roster(path, tuple(students.values()))
