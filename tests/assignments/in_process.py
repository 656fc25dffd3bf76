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
    path = ASSIGNMENTS / homework / "tests" / visibility / f"test_{question}.py"
    spec = importlib.util.spec_from_file_location(f"grader_{homework}_{visibility}_{question}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
