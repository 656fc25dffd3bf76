"""Submissions: a student's notebook file, validated, with its id and content hash."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class SubmissionError(Exception):
    """A submission that cannot be graded; `reason` is one line for the student's report."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Submission:
    path: Path
    student: str
    sha256: str
    notebook: nbformat.NotebookNode


def student_id(path: Path) -> str:
    """The student a file belongs to: its name without extension, in Unicode NFC, each run of
    spaces one underscore ('Sara  Ahmadi' and 'Sara_Ahmadi' are one student). A zero-width
    non-joiner (U+200C) is part of Persian spelling and is kept."""
    name = unicodedata.normalize("NFC", path.name.removesuffix(".ipynb")).strip()
    return re.sub(r"\s+", "_", name) or "unnamed"


def file_stem(path: Path) -> str:
    """The name of every file written about this submission (record, report, executed
    notebook): letters of any script, digits, '-', '_', '.' and U+200C, and unique per
    submission file: a name that needed changing gets a short hash of the original."""
    raw = path.name.removesuffix(".ipynb")
    safe = re.sub(r"[^\w.\u200c-]", "_", unicodedata.normalize("NFC", raw)).lstrip(".") or "unnamed"
    if safe != raw:
        safe += "-" + hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return safe


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_submission(path: str | Path) -> Submission:
    """Read and validate a notebook; raise SubmissionError with a one-line reason if unusable.

    Only a regular file is read: a symbolic link (which could point at another student's
    notebook or the solution), a folder, a FIFO or a device gets a reason instead."""
    import nbformat  # here: with jsonschema it is a tenth of a second of every `grade` command's start

    path = Path(path)
    raw = read_regular_file(path)
    try:
        content = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(path, "not a notebook: the file is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise SubmissionError(path, f"not valid notebook JSON (line {err.lineno}: {err.msg})") from None
    except RecursionError:  # brackets nested thousands deep
        raise SubmissionError(path, "not valid notebook JSON (nested too deeply to read)") from None
    if not isinstance(content, dict) or "cells" not in content:
        raise SubmissionError(path, "not a Jupyter notebook: no 'cells' list")
    try:
        notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as err:  # nbformat raises several unrelated types for bad input
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise SubmissionError(path, f"not a valid Jupyter notebook: {first_line}") from None
    _check_python(path, notebook)
    if not any(c.cell_type == "code" and c.source.strip() for c in notebook.cells):
        raise SubmissionError(path, "the notebook has no code cells")
    return Submission(path=path, student=student_id(path), sha256=hashlib.sha256(raw).hexdigest(), notebook=notebook)


def _check_python(path: Path, notebook: nbformat.NotebookNode) -> None:
    language = notebook.metadata.get("kernelspec", {}).get("language") or notebook.metadata.get(
        "language_info", {}
    ).get("name", "python")
    if str(language).lower() != "python":
        raise SubmissionError(path, f"the notebook is written in {language}, not Python (its language setting)")


def read_regular_file(path: Path) -> bytes:
    """A submission file's bytes; SubmissionError for anything but a regular file within the size
    limit (never follows a link, never blocks on a FIFO)."""
    try:
        kind = _kind(os.lstat(path).st_mode)
    except FileNotFoundError:
        raise SubmissionError(path, "file not found") from None
    if kind != "file":
        raise SubmissionError(path, f"the submission is {kind}, not a notebook file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        raise SubmissionError(path, f"cannot read the file ({err.strerror})") from None
    with os.fdopen(fd, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):  # swapped after the check above
            raise SubmissionError(path, f"the submission is {_kind(status.st_mode)}, not a notebook file")
        if status.st_size == 0:
            raise SubmissionError(path, "the file is empty")
        if status.st_size > MAX_NOTEBOOK_BYTES:
            raise SubmissionError(
                path, f"the notebook is {status.st_size / 2**20:.0f} MB; the limit is "
                f"{MAX_NOTEBOOK_BYTES / 2**20:.0f} MB (clear large outputs before submitting)")
        return stream.read(MAX_NOTEBOOK_BYTES + 1)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def find_submissions(folder: Path) -> list[Path]:
    """Every entry of a submissions folder named like a notebook, sorted by name. Entries that
    are not regular files are listed too: each gets a record saying why it was not graded."""
    return sorted(p for p in folder.iterdir() if p.name.endswith(".ipynb") and p.name != ".ipynb")


def same_student(paths: list[Path]) -> dict[str, list[Path]]:
    """Student ids that two or more of these files map to (all are graded and kept; a person
    should check which is whose)."""
    by_student: dict[str, list[Path]] = {}
    for path in paths:
        by_student.setdefault(student_id(path), []).append(path)
    return {student: files for student, files in by_student.items() if len(files) > 1}
