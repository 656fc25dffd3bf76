"""Reading a CSV file a person edited (a rubric sheet, a roster) with problems a person can fix.

UTF-8, with or without the byte-order mark spreadsheets add; a header row naming the columns
(any order, any case, surrounding spaces ignored); each row comes back with its line number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet runs as a formula; written with a ' before it


class CsvInputError(ValueError):
    """A CSV file that cannot be used; the message names the file (and line) and the problem."""


@dataclass(frozen=True)
class Row:
    line: int  # in the file, 1-based (the header is line 1)
    cells: dict[str, str]  # by lower-case column name; missing cells are ""


def read_rows(path: Path, required: Sequence[str]) -> list[Row]:
    """The data rows of `path`; raises CsvInputError if it cannot be read or lacks a required column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CsvInputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CsvInputError(f"{path}: not UTF-8 text (save it as \"CSV UTF-8\")") from None
    except OSError as err:
        raise CsvInputError(f"{path}: cannot be read ({err.strerror})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in required if name not in header]
        if missing:
            raise CsvInputError(f"{path}:1: the header lacks the column(s) {', '.join(missing)} "
                                f"(it needs {', '.join(required)})")
        rows = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
                rows.append(Row(reader.line_num, values))
        return rows
    except csv.Error as err:
        raise CsvInputError(f"{path}:{reader.line_num}: not valid CSV ({err})") from None


def from_csv_cell(text: str) -> str:
    """A cell as the grader wrote it: the apostrophe put before a formula character removed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
