"""The student and the solution notebook of a homework, from its source and assignment.toml.

Each source cell becomes one notebook cell in both versions:
  * markdown: the same text, with the heading from assignment.toml on top of a `heading=` cell
    and Persian (`lang="fa"`) text set right to left; a written answer (`answer=`) is the model
    answer in the solution and an empty answer slot for students;
  * code: solution markers and reference lines resolved for each version.
Cell ids are stable (section and position), so rebuilding an unchanged source changes no byte.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import nbformat

from graders.build.inline import DirectiveError, borrowed_bodies, expand
from graders.build.markers import MarkerError, check_markers, solution_text, student_text
from graders.build.source import TITLE, Source, SourceCell
from graders.build.stubs import defined_names
from graders.spec import LANGUAGES, Assignment

ANSWER_HEADING = "**Your answer.**"
ANSWER_SLOT = f"{ANSWER_HEADING} _Write it here (Markdown and LaTeX)._"
RIGHT_TO_LEFT = ("fa",)
QUESTION_HEADING = {"en": "Question {number} — {title}", "fa": "سؤال {number}: {title}"}
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass(frozen=True)
class NotebookCell:
    """One cell in both versions."""

    kind: str  # "markdown" | "code"
    solution: str
    student: str
    cell_id: str
    answer: str = ""  # the question a written answer belongs to (kept in the cell's metadata)


def notebook_cells(source: Source, assignment: Assignment) -> tuple[NotebookCell, ...]:
    """Every cell of the source, resolved for both versions."""
    cells, bound = [], set()
    section, seen = "intro", Counter()
    for cell in source.cells:
        if cell.heading and cell.heading != TITLE:
            section = cell.heading
        cell_id = f"{section}-{seen[section]}"
        seen[section] += 1
        if cell.kind == "markdown":
            text = _markdown(cell, assignment)
            cells.append(NotebookCell("markdown", text, ANSWER_SLOT if cell.answer else text, cell_id, cell.answer))
        else:
            solution, student = _code(cell, source, bound)
            cells.append(NotebookCell("code", solution, student, cell_id))
    return tuple(cells)


def _markdown(cell: SourceCell, assignment: Assignment) -> str:
    text = cell.text
    if cell.heading:
        text = f"{heading(assignment, cell.heading)}\n\n{text}".rstrip("\n")
    if cell.answer:
        text = f"{ANSWER_HEADING}\n\n{text}"
    if cell.lang in RIGHT_TO_LEFT:
        text = f'<div dir="rtl" lang="{cell.lang}">\n\n{text}\n\n</div>'
    return text


def heading(assignment: Assignment, target: str) -> str:
    """`# title` of the assignment, or `## Question n — title` of a question, in every language."""
    if target == TITLE:
        return "# " + " · ".join(assignment.title[lang] for lang in LANGUAGES)
    title = assignment.question(target).title
    number = target[1:] if re.fullmatch(r"q\d+", target) else target
    parts = [QUESTION_HEADING[lang].format(number=_digits(number, lang), title=title[lang]) for lang in LANGUAGES]
    return "## " + " · ".join(parts)


def _digits(number: str, lang: str) -> str:
    return number.translate(_PERSIAN_DIGITS) if lang == "fa" else number


def _code(cell: SourceCell, source: Source, bound: set[str]) -> tuple[str, str]:
    """(solution, student) of a code cell; `bound` gathers the names the notebook defines so far."""
    try:
        check_markers(cell.text)
        bound |= defined_names(cell.text)
        bodies = borrowed_bodies(cell.text)
        for borrowed in bodies:
            missing = borrowed.needs - bound
            if missing:
                raise DirectiveError(borrowed.line, f"the body of {borrowed.qualified} needs {', '.join(sorted(missing))}, "
                                                    "which the notebook does not define before it")
        return (solution_text(expand(cell.text, bodies, "solution")),
                student_text(expand(cell.text, bodies, "student")))
    except (MarkerError, DirectiveError) as err:
        raise source.error(cell, str(err), err.line) from None
    except SyntaxError as err:
        raise source.error(cell, f"not valid Python: {err.msg}", err.lineno or 0) from None


def build_notebook(cells: tuple[NotebookCell, ...], version: str) -> nbformat.NotebookNode:
    """The "student" or "solution" notebook."""
    built = []
    for cell in cells:
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        made = make(cell.student if version == "student" else cell.solution, id=cell.cell_id)
        if cell.answer:
            made.metadata["grader"] = {"answer": cell.answer}
        built.append(made)
    return python_notebook(built)


def python_notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A valid notebook for a Python 3 kernel holding `cells`."""
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def notebook_bytes(notebook: nbformat.NotebookNode) -> bytes:
    """Exactly what `nbformat.write` puts in a file."""
    text = nbformat.writes(notebook)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")
