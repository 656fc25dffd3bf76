"""`# SOLUTION FROM reference.<module>.<function>`: a solution body taken from the reference.

In the source, a function (or method) written for students — its signature and a docstring
that tells them what to return — may have this line as its whole body:

    def receptive_field(kernel, dilation=1, layers=1):
        \"\"\"Receptive-field width (pixels per axis) of `layers` stacked stride-1 convolutions.\"\"\"
        # SOLUTION FROM reference.hw4.q4_dilated.receptive_field

The solution notebook gets the reference function's body there (its docstring left out, its
comments kept); the student notebook gets the stub line. The build checks that both signatures
take the same parameters with the same defaults, and that the notebook defines every global
name the body reads before the cell. So a solution that is the reference's is never retyped,
and cannot drift from it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass

from graders.build.markers import STUB
from graders.build.stubs import body_region, has_docstring, needed_names, without_magics

DIRECTIVE = re.compile(r"^(?P<indent>\s*)# SOLUTION FROM (?P<name>\S+)\s*$")


class DirectiveError(ValueError):
    """A directive that cannot be served; `line` counts from 1 within the cell."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line


@dataclass(frozen=True)
class Borrowed:
    """A reference function's body, ready to stand in a notebook function."""

    qualified: str  # e.g. reference.hw4.q4_dilated.receptive_field
    body: str  # dedented, without the docstring
    needs: frozenset[str]  # global names the body reads
    line: int  # of the directive, within the cell
    indent: str  # of the directive


def borrowed_bodies(cell_text: str) -> list[Borrowed]:
    """Every directive of the cell, resolved and checked against the function it stands in."""
    lines = cell_text.splitlines()
    directives = [(n, m) for n, m in enumerate((DIRECTIVE.match(line) for line in lines), start=1) if m]
    if not directives:
        return []
    functions = {_line_after_docstring(lines, f): f for f in ast.walk(ast.parse(without_magics(cell_text)))
                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = []
    for number, match in directives:
        function = functions.get(number)
        if function is None:
            raise DirectiveError(number, "a `# SOLUTION FROM` line must be the whole body of a function, "
                                         "after its docstring")
        reference = _resolve(number, match["name"])
        _check_signature(number, function, reference, match["name"])
        body, needs = _body_of(reference)
        found.append(Borrowed(match["name"], body, needs, number, match["indent"]))
    return found


def expand(cell_text: str, bodies: list[Borrowed], version: str) -> str:
    """The cell's text for "solution" (the cell's borrowed bodies filled in) or "student" (stubs)."""
    borrowed = {b.line: b for b in bodies}
    lines = []
    for number, line in enumerate(cell_text.splitlines(), start=1):
        if number not in borrowed:
            lines.append(line)
        elif version == "solution":
            lines.append(textwrap.indent(borrowed[number].body, borrowed[number].indent))
        else:
            lines.append(borrowed[number].indent + STUB)
    return "\n".join(lines)


def _line_after_docstring(lines: list[str], function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The first non-blank line after the docstring of a function whose body is only a docstring
    (where its directive belongs), else -1."""
    if len(function.body) > 1 or not has_docstring(function):
        return -1
    number = function.body[0].end_lineno + 1
    while number <= len(lines) and not lines[number - 1].strip():
        number += 1
    return number


def _resolve(line: int, name: str):
    """The function `name` names: the longest importable module prefix, then attributes."""
    if not name.startswith("reference."):
        raise DirectiveError(line, f"{name}: a solution comes from the reference, e.g. reference.hw4.q1_module.function")
    parts = name.split(".")
    for split in range(len(parts) - 1, 1, -1):
        module = ".".join(parts[:split])
        try:
            obj = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name and (module == err.name or module.startswith(err.name + ".")):
                continue  # no such module: the name goes on with an attribute of a shorter one
            raise DirectiveError(line, f"cannot import {module}: {err}") from None
        except ImportError as err:
            raise DirectiveError(line, f"cannot import {module}: {err}") from None
        for attribute in parts[split:]:
            if not hasattr(obj, attribute):
                raise DirectiveError(line, f"{module} has no {'.'.join(parts[split:])}")
            obj = getattr(obj, attribute)
        if not inspect.isfunction(obj):
            raise DirectiveError(line, f"{name} is not a function")
        return obj
    raise DirectiveError(line, f"no module of {name} can be imported")


def _check_signature(line: int, function: ast.FunctionDef | ast.AsyncFunctionDef, reference, name: str) -> None:
    """Same parameters (names, kinds, order) and defaults in the notebook and the reference."""
    ours = _parameters(function)
    theirs = [(p.name, p.kind.name, None if p.default is p.empty else p.default)
              for p in inspect.signature(reference).parameters.values()]
    if ours != theirs:
        shown = ", ".join(f"{n}={d!r}" if d is not None else n for n, _, d in theirs)
        raise DirectiveError(line, f"{function.name}'s parameters differ from {name}'s ({shown})")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, str, object]]:
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    kinds = ["POSITIONAL_ONLY"] * len(args.posonlyargs) + ["POSITIONAL_OR_KEYWORD"] * len(args.args)
    params = [(a.arg, kind, _value(d)) for a, kind, d in zip(positional, kinds, defaults)]
    if args.vararg:
        params.append((args.vararg.arg, "VAR_POSITIONAL", None))
    params += [(a.arg, "KEYWORD_ONLY", _value(d)) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg:
        params.append((args.kwarg.arg, "VAR_KEYWORD", None))
    return params


def _value(default: ast.expr | None) -> object:
    if default is None:
        return None
    try:
        return ast.literal_eval(default)
    except ValueError:
        return ast.unparse(default)  # a name or call: equal only to a reference default written alike


def _body_of(reference) -> tuple[str, frozenset[str]]:
    """(the body's source without the docstring, dedented; the global names it reads)."""
    source = textwrap.dedent(inspect.getsource(reference))
    lines = source.splitlines()
    function = ast.parse(source).body[0]
    first, last, _ = body_region(lines, function)
    # what the body reads: the function without decorators, annotations and defaults (the
    # notebook's own signature stands in for those)
    function.decorator_list, function.returns, function.args = [], None, _plain_args(function.args)
    # a method's `super()` reads the class it is defined in (the implicit `__class__`); out of its
    # class it looks like a global, but the notebook's class, where the body goes, provides it
    needs = needed_names(ast.unparse(function)) - {"__class__"}
    return textwrap.dedent("\n".join(lines[first:last]).strip("\n")), frozenset(needs)


def _plain_args(args: ast.arguments) -> ast.arguments:
    def plain(a: ast.arg | None) -> ast.arg | None:
        return None if a is None else ast.arg(arg=a.arg)

    return ast.arguments(posonlyargs=[plain(a) for a in args.posonlyargs], args=[plain(a) for a in args.args],
                         vararg=plain(args.vararg), kwonlyargs=[plain(a) for a in args.kwonlyargs],
                         kw_defaults=[None] * len(args.kwonlyargs), kwarg=plain(args.kwarg), defaults=[])
