"""Stubs: the student's view of a definition, and the names a piece of code binds or needs.

`stub_definitions` keeps what a student needs to answer (each function's signature, decorators
and docstring; a class's docstring, attributes and method signatures) and replaces every
function body, comments included, by the one line `markers.STUB`.
"""

from __future__ import annotations

import ast
import builtins
import symtable

from graders.build.markers import STUB

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def stub_definitions(source: str, names: set[str] | None = None) -> str:
    """`source` with the bodies of its top-level functions and of its classes' methods stubbed
    (all of them, or only the definitions called `names`)."""
    lines = source.splitlines()
    regions = []
    for node in ast.parse(without_magics(source)).body:
        if names is not None and getattr(node, "name", None) not in names:
            continue
        if isinstance(node, _FUNCTIONS):
            regions.append(body_region(lines, node))
        elif isinstance(node, ast.ClassDef):
            regions += [body_region(lines, method) for method in node.body if isinstance(method, _FUNCTIONS)]
    for first, last, indent in sorted(regions, reverse=True):  # bottom up: earlier line numbers stay valid
        lines[first:last] = [indent + STUB]
    return "\n".join(lines)


def has_docstring(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = function.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)


def body_region(lines: list[str], function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int, str]:
    """(first, last) 0-based line slice of the body after the docstring, and its indentation."""
    body = function.body
    indent = lines[body[0].lineno - 1][: body[0].col_offset]
    if has_docstring(function):
        first = body[0].end_lineno  # the line after the docstring (0-based index = 1-based number)
    else:
        first = body[0].lineno - 1
        # comments and blank lines just above the first statement belong to the body
        while first > function.lineno and (not lines[first - 1].strip() or lines[first - 1].strip().startswith("#")):
            first -= 1
    return first, function.end_lineno, indent


def defined_names(source: str) -> set[str]:
    """Names a piece of notebook code binds at its top level (assignments, imports, defs)."""
    table = symtable.symtable(without_magics(source), "<cell>", "exec")
    return {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}


IMPLICIT_NAMES = {"__class__"}  # the cell Python gives a method that calls super(): its class provides it


def needed_names(source: str) -> set[str]:
    """Global names a definition reads but does not bind itself (builtins excluded): what the
    notebook must define before it."""
    table = symtable.symtable(source, "<definition>", "exec")
    own = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    needed = {s.get_name() for s in table.get_symbols() if s.is_referenced()} - own
    pending = list(table.get_children())
    while pending:
        scope = pending.pop()
        needed |= {s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()} - own
        pending += scope.get_children()
    return needed - set(dir(builtins)) - IMPLICIT_NAMES


def without_magics(source: str) -> str:
    """IPython's `%magic` and `!shell` lines blanked, so the rest parses as Python."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
