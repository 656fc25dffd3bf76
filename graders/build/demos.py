"""Demo submissions, declared in `demos.toml` beside the source: each is the solution notebook
with edits, and names the checks it must fail and the errors its cells must raise.

    [partly_wrong]
    about = "q4: receptive field taken as D·K·L"
    edits = [
        { replace = "return 1 + layers * dilation * (kernel - 1)", with = "return layers * dilation * kernel" },
        { stub = "dilated_conv2d" },        # the function left as students get it
    ]
    fails = ["test_receptive_field", "test_receptive_field_many_settings"]
    cell_errors = []                        # e.g. "NameError: name 'sigmod' is not defined"

A `replace` text must occur exactly once in the solution's code; a `stub` names one function or
class the solution defines. The solution itself (`solution_demo`) and the solution cut in half
(`not_json`) are always built too.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from graders.build.errors import BuildError
from graders.build.notebooks import NotebookCell
from graders.build.stubs import stub_definitions, without_magics

SOLUTION_DEMO, NOT_JSON = "solution_demo", "not_json"
NAME = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Edit:
    line: int  # in demos.toml
    replace: str = ""
    by: str = ""
    stub: str = ""


@dataclass(frozen=True)
class Demo:
    name: str
    about: str
    edits: tuple[Edit, ...]
    fails: frozenset[str]  # names of the checks (grader tests) it must fail, public and hidden
    cell_errors: frozenset[str]  # "ErrorName: message" of each cell that must raise
    line: int  # of its table in demos.toml


def read_demos(path: Path) -> tuple[Demo, ...]:
    """The demos declared in `path` (none when there is no such file)."""
    if not path.is_file():
        return ()
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BuildError(path, None, f"not valid TOML: {err}") from None
    lines = text.splitlines()
    return tuple(_demo(path, lines, name, table) for name, table in raw.items())


def _demo(path: Path, lines: list[str], name: str, table: object) -> Demo:
    header = _line_of(lines, f"[{name}]", 0)
    if not isinstance(table, dict):
        raise BuildError(path, header, f"{name} must be a table: [{name}] with about, edits, fails, cell_errors")
    if not NAME.fullmatch(name) or name in (SOLUTION_DEMO, NOT_JSON):
        raise BuildError(path, header, f"{name!r} cannot name a demo (letters, digits, _ and -; "
                                       f"not {SOLUTION_DEMO} or {NOT_JSON}, which are always built)")
    unknown = sorted(set(table) - {"about", "edits", "fails", "cell_errors"})
    if unknown:
        raise BuildError(path, header, f"demo {name}: unknown key {unknown[0]!r} (about, edits, fails, cell_errors)")
    edits = table.get("edits", [])
    if not edits or not isinstance(edits, list):
        raise BuildError(path, header, f"demo {name} has no edits: it would be the solution")
    return Demo(
        name=name,
        about=str(table.get("about", "")),
        edits=tuple(_edit(path, lines, header, name, edit) for edit in edits),
        fails=frozenset(_strings(path, header, name, table, "fails")),
        cell_errors=frozenset(_strings(path, header, name, table, "cell_errors")),
        line=header,
    )


def _edit(path: Path, lines: list[str], header: int, demo: str, edit: object) -> Edit:
    if isinstance(edit, dict) and set(edit) == {"replace", "with"} and all(isinstance(v, str) for v in edit.values()):
        return Edit(_line_of(lines, edit["replace"], header), replace=edit["replace"], by=edit["with"])
    if isinstance(edit, dict) and set(edit) == {"stub"} and isinstance(edit["stub"], str):
        return Edit(_line_of(lines, edit["stub"], header), stub=edit["stub"])
    raise BuildError(path, header, f'demo {demo}: an edit is {{ replace = "…", with = "…" }} or {{ stub = "name" }}, '
                                   f"not {edit!r}")


def _strings(path: Path, header: int, demo: str, table: dict, key: str) -> list[str]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BuildError(path, header, f"demo {demo}: {key} must be a list of strings")
    return values


def _line_of(lines: list[str], needle: str, start: int) -> int:
    """The first line at or after line `start` (1-based) holding `needle` as written in TOML."""
    forms = (needle, json.dumps(needle, ensure_ascii=False)[1:-1])
    for number in range(max(start, 1), len(lines) + 1):
        if any(form in lines[number - 1] for form in forms):
            return number
    return start


def apply_edits(demo: Demo, cells: tuple[NotebookCell, ...], path: Path) -> tuple[NotebookCell, ...]:
    """The solution's cells with the demo's edits made (students' text is left alone)."""
    cells = list(cells)
    for edit in demo.edits:
        index = _only_cell(demo, edit, cells, path)
        cell = cells[index]
        edited = cell.solution.replace(edit.replace, edit.by) if edit.replace else \
            stub_definitions(cell.solution, {edit.stub})
        cells[index] = replace(cell, solution=edited)
    return tuple(cells)


def _only_cell(demo: Demo, edit: Edit, cells: list[NotebookCell], path: Path) -> int:
    """The index of the one code cell the edit applies to."""
    code = [(i, c.solution) for i, c in enumerate(cells) if c.kind == "code"]
    if edit.replace:
        places = [i for i, text in code for _ in range(text.count(edit.replace))]
        what = repr(edit.replace)
    else:
        places = [i for i, text in code if edit.stub in _top_level_definitions(text)]
        what = f"a definition of {edit.stub}"
    if not places:
        raise BuildError(path, edit.line, f"demo {demo.name}: {what} is not in the solution's code "
                                          "(the edit no longer applies)")
    if len(places) > 1:
        raise BuildError(path, edit.line, f"demo {demo.name}: {what} is in the solution's code {len(places)} times; "
                                          "quote more so that the edit names one place")
    return places[0]


def _top_level_definitions(code: str) -> set[str]:
    try:
        tree = ast.parse(without_magics(code))
    except SyntaxError:
        return set()
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
