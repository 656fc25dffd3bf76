"""A homework's notebook source: a jupytext percent-format file read into typed cells.

    # %% [markdown] heading="q1"        a markdown cell; the build writes q1's heading on top
    # %% [markdown] answer="q1"         a written answer: the model answer here, a slot for students
    # %% [markdown] lang="fa"           Persian text, shown right to left
    # %%                                a code cell (solution markers, `# SOLUTION FROM reference…`)

Every cell starts at a `# %%` line; the line numbers of those lines travel with the cells, so
a later problem can name the line it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graders.build.errors import BuildError
from graders.spec import LANGUAGES, Assignment

CELL_START = re.compile(r"^#\s*%%")
OPTIONS = ("heading", "answer", "lang")
JUPYTEXT_BOOKKEEPING = ("lines_to_next_cell", "cell_marker")  # jupytext's own, not the author's
TITLE = "title"  # heading="title": the assignment's title


@dataclass(frozen=True)
class SourceCell:
    kind: str  # "markdown" | "code"
    text: str
    line: int  # of its `# %%` line in the source file
    heading: str = ""  # "title" or a question id: that heading (from assignment.toml) goes on top
    answer: str = ""  # a question id: a written answer to it
    lang: str = LANGUAGES[0]


@dataclass(frozen=True)
class Source:
    path: Path
    cells: tuple[SourceCell, ...]

    def error(self, cell: SourceCell, problem: str, line_in_cell: int = 0) -> BuildError:
        """A BuildError at a cell (and a line of its text, counted from 1)."""
        return BuildError(self.path, cell.line + line_in_cell, problem)


def read_source(path: Path, assignment: Assignment) -> Source:
    """Read and validate the source of `assignment`'s notebooks."""
    import jupytext  # only a build reads sources: the CLI does not pay for it at start

    try:
        text = path.read_text(encoding="utf-8")
        notebook = jupytext.reads(text, fmt="py:percent")
    except (OSError, UnicodeDecodeError) as err:
        raise BuildError(path, None, f"cannot read the notebook source: {err}") from None
    except Exception as err:  # jupytext raises assorted types for malformed headers and metadata
        raise BuildError(path, None, f"not a jupytext percent-format notebook: {err}") from None
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if CELL_START.match(line)]
    if len(starts) != len(notebook.cells):
        raise BuildError(path, 1, "every cell must start with a `# %%` line (is there text before the first "
                                  "one, other than the `# ---` header?)")
    cells = tuple(_cell(path, line, cell) for line, cell in zip(starts, notebook.cells))
    source = Source(path, cells)
    _check_headings(source, assignment)
    return source


def _cell(path: Path, line: int, cell) -> SourceCell:
    options = {k: v for k, v in cell.metadata.items() if k not in JUPYTEXT_BOOKKEEPING}
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise BuildError(path, line, f"unknown cell option {unknown[0]!r}; the options are {', '.join(OPTIONS)}")
    if any(not isinstance(v, str) or not v for v in options.values()):
        raise BuildError(path, line, 'cell options take a non-empty text, e.g. heading="q1"')
    if cell.cell_type == "code" and options:
        raise BuildError(path, line, f"option {next(iter(options))!r} is for markdown cells, not code cells")
    if options.get("lang", LANGUAGES[0]) not in LANGUAGES:
        raise BuildError(path, line, f"lang={options['lang']!r}; the languages are {', '.join(LANGUAGES)}")
    if cell.cell_type not in ("markdown", "code"):
        raise BuildError(path, line, f"a {cell.cell_type} cell; use `# %%` (code) or `# %% [markdown]`")
    return SourceCell(kind=cell.cell_type, text=cell.source, line=line, **options)


def _check_headings(source: Source, assignment: Assignment) -> None:
    """The title and every question of assignment.toml get exactly one heading cell; answers
    belong to known questions."""
    questions = [q.id for q in assignment.questions]
    seen: dict[str, SourceCell] = {}
    for cell in source.cells:
        for target, kind in ((cell.heading, "heading"), (cell.answer, "answer")):
            if target and target not in questions and not (kind == "heading" and target == TITLE):
                known = ([TITLE] if kind == "heading" else []) + questions
                raise source.error(cell, f'{kind}="{target}": assignment.toml has no such question '
                                         f"(known: {', '.join(known)})")
        if cell.heading:
            if cell.heading in seen:
                raise source.error(cell, f'a second heading="{cell.heading}" (the first is on line '
                                         f"{seen[cell.heading].line})")
            seen[cell.heading] = cell
    missing = [target for target in (TITLE, *questions) if target not in seen]
    if missing:
        raise BuildError(source.path, None, f'no cell with heading="{missing[0]}": every question of '
                                            "assignment.toml (and the title) needs its heading cell")
