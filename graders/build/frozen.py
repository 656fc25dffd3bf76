"""Run an assignment's expected-values producer and freeze what it returns.

The producer, `tests/expected.py` in the assignment folder, is grader-side code (it may import
the reference; it is never shipped to students). It defines `values()`, returning a dict from a
name ("q1.shift") to plain data: a public check's inputs and expected outputs. See
`graders.expected` for the frozen file and the fixture that reads it.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

from graders import wire
from graders.build.errors import BuildError
from graders.expected import dumps

PRODUCER = Path("tests") / "expected.py"


def freeze_expected(producer: Path) -> bytes:
    """The frozen file's bytes for the values `producer` computes."""
    name = f"_expected_values_{producer.parent.parent.name}"
    spec = importlib.util.spec_from_file_location(name, producer)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look their module up there
    try:
        spec.loader.exec_module(module)
        if not callable(getattr(module, "values", None)):
            raise BuildError(producer, None, "defines no values() function returning the expected values")
        values = module.values()
    except BuildError:
        raise
    except Exception as err:
        raise BuildError(producer, _line_in(producer, err), f"computing the expected values raised "
                                                            f"{type(err).__name__}: {err}") from None
    finally:
        sys.modules.pop(name, None)
    if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
        raise BuildError(producer, None, "values() must return a dict from names (str) to plain data")
    try:
        return dumps(values)
    except wire.WireError as err:
        raise BuildError(producer, None, f"values() returned something that is not plain data: {err}") from None


def _line_in(path: Path, err: Exception) -> int | None:
    """The line of `path` in the error's traceback nearest to where it was raised."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename) == path]
    return frames[-1].lineno if frames else None
