"""The old way to author a homework, kept while hw2, hw3, hw5 and hw9 still use it: a
`build_notebooks.py` holds the cells as Python strings; one list of cells gives the student
notebook, the solution notebook and the demo submissions (each demo = the solution with named
cells rewritten). Homeworks move to a notebook source and `grade build` (graders.build,
assignments/AUTHORING.md); delete this module with the last build_notebooks.py.

Solution markers: graders.build.markers. Markdown answer cells carry their own student text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.build.markers import solution_text, student_text
from graders.build.notebooks import ANSWER_SLOT, python_notebook  # noqa: F401  (the builders import ANSWER_SLOT from here)

Edit = Callable[[str], str]


@dataclass(frozen=True)
class Cell:
    key: str  # names the cell, so a demo variant can rewrite it
    kind: str  # "markdown" | "code"
    source: str  # the solution's text (code cells: with BEGIN/END SOLUTION markers)
    student: str | None = None  # markdown answer cells: what the student sees instead


def markdown(key: str, source: str, student: str | None = None) -> Cell:
    return Cell(key, "markdown", source.strip("\n"), None if student is None else student.strip("\n"))


def code(key: str, source: str) -> Cell:
    return Cell(key, "code", source.strip("\n"))


def build(cells: Sequence[Cell], version: str, edits: Mapping[str, Edit] | None = None) -> nbformat.NotebookNode:
    """The notebook for version "student" or "solution"; edits rewrite given cells' final text."""
    edits = edits or {}
    unknown = set(edits) - {cell.key for cell in cells}
    if unknown:
        raise KeyError(f"edits name unknown cells: {sorted(unknown)}")
    built = []
    for cell in cells:
        if cell.kind == "markdown":
            text = cell.student if version == "student" and cell.student is not None else cell.source
        else:
            text = student_text(cell.source) if version == "student" else solution_text(cell.source)
        text = edits[cell.key](text) if cell.key in edits else text
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        # a stable id per cell (nbformat's default is random): rebuilding changes nothing
        built.append(make(text, id=cell.key.replace(".", "-")))
    return python_notebook(built)


def replace(old: str, new: str) -> Edit:
    """An edit replacing one exact piece of a cell (it must be there: the builder fails loudly if
    the solution changed under it)."""

    def edit(text: str) -> str:
        if old not in text:
            raise ValueError(f"cannot apply a demo edit: {old!r} is not in the cell")
        return text.replace(old, new)

    return edit


def stub_of(cell: Cell) -> Edit:
    """Leave a cell as the student template has it (an unanswered question)."""
    return lambda _text: student_text(cell.source)


def write(notebook: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))


def write_assignment(folder: Path, cells: Sequence[Cell], demos: Mapping[str, Mapping[str, Edit]]) -> None:
    """student.ipynb, solution.ipynb and submissions/: solution_demo, one file per demo variant,
    and not_json (the solution cut in half, as after an interrupted upload)."""
    solution = build(cells, "solution")
    write(build(cells, "student"), folder / "student.ipynb")
    write(solution, folder / "solution.ipynb")
    submissions = folder / "submissions"
    write(solution, submissions / "solution_demo.ipynb")
    for name, edits in demos.items():
        write(build(cells, "solution", edits), submissions / f"{name}.ipynb")
    text = nbformat.writes(solution)
    (submissions / "not_json.ipynb").write_text(text[: len(text) // 2], encoding="utf-8")
