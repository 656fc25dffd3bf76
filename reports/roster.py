"""The class roster: who a student id is (name, email, login, section), for grade exports.

A CSV with a header; `id` (the student id the grader uses: the submission's file name without
.ipynb) is required, `name`, `email`, `login` and `section` are optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reports.csv_input import CsvInputError, read_rows
from reports.escape import from_csv_cell


@dataclass(frozen=True)
class Person:
    id: str
    name: str = ""
    email: str = ""
    login: str = ""
    section: str = ""


def read_roster(path: Path) -> dict[str, Person]:
    """People by student id; raises CsvInputError for a missing id column, an empty or a repeated id."""
    people: dict[str, Person] = {}
    for row in read_rows(path, ("id",)):
        cells = {name: from_csv_cell(row.cells.get(name, "")) for name in ("id", "name", "email", "login", "section")}
        if not cells["id"]:
            raise CsvInputError(f"{path}:{row.line}: the id is empty")
        if cells["id"] in people:
            raise CsvInputError(f"{path}:{row.line}: the id {cells['id']!r} is given twice")
        people[cells["id"]] = Person(**cells)
    return people
