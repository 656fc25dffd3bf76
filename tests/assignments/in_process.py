"""A stand-in for the live student kernel that runs a notebook's code in this process.

Grader tests talk to a kernel through `call` and `value` only. This class answers both from a
namespace filled by executing source text (a design a student might write), and sends every
argument and result through the wire codec, as the real kernel does. It lets the grader's own
test functions judge several designs in a second, without starting a sandboxed kernel; the real
path is covered by the demo batches.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import nbformat

from graders import wire

ASSIGNMENTS = Path(__file__).resolve().parents[2] / "assignments"


class InProcessKernel:
    def __init__(self, source: str):
        self.namespace: dict = {}
        exec(compile(source, "<design>", "exec"), self.namespace)

    def call(self, name: str, *args, **kwargs):
        args, kwargs = wire.loads(wire.dumps(args)), wire.loads(wire.dumps(kwargs))
        return wire.loads(wire.dumps(self.namespace[name](*args, **kwargs)))

    def value(self, expression: str):
        return wire.loads(wire.dumps(eval(expression, self.namespace)))


def grader_tests(homework: str, visibility: str, question: str) -> ModuleType:
    """The module assignments/<homework>/tests/<visibility>/test_<question>.py."""
    return grader_module(homework, f"{visibility}/test_{question}.py")


def grader_module(homework: str, relative: str) -> ModuleType:
    """A module of assignments/<homework>/tests/, loaded from its file (they are not a package)."""
    path = ASSIGNMENTS / homework / "tests" / relative
    name = f"grader_{homework}_" + relative.removesuffix(".py").replace("/", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solution_code(homework: str, *cells: str) -> str:
    """The source of the named code cells of assignments/<homework>/solution.ipynb (ids as the
    builder names them, e.g. "q2-resnext"), in notebook order, after the usual imports."""
    notebook = nbformat.read(ASSIGNMENTS / homework / "solution.ipynb", as_version=4)
    found = [cell.source for cell in notebook.cells if cell.id in cells]
    if len(found) != len(cells):
        raise KeyError(f"{homework}'s solution has no cell among {cells}")
    return "\n".join(["import numpy as np", "import torch", "import torch.nn as nn", "import torch.nn.functional as F", *found])
