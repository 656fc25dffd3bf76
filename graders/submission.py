"""Submissions: a student's notebook file, validated, with its id and content hash."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

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
    """The student a file belongs to: its name without extension, spaces collapsed."""
    return re.sub(r"\s+", "_", path.stem.strip()) or "unnamed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_submission(path: str | Path) -> Submission:
    """Read and validate a notebook; raise SubmissionError with a one-line reason if unusable."""
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(path, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise SubmissionError(path, "the file is empty")
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(
            path, f"the notebook is {size / 2**20:.0f} MB; the limit is {MAX_NOTEBOOK_BYTES / 2**20:.0f} MB"
            " (clear large outputs before submitting)"
        )
    raw = path.read_bytes()
    try:
        content = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(path, "not a notebook: the file is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise SubmissionError(path, f"not valid notebook JSON (line {err.lineno}: {err.msg})") from None
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
        raise SubmissionError(path, f"the notebook's kernel is {language}, not Python")


def find_submissions(folder: Path) -> list[Path]:
    """Every file in a submissions folder that claims to be a notebook, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".ipynb")
