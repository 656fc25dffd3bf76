"""The expected values of an assignment's public checks, frozen when the assignment is built.

`grade build` runs the assignment's producer (`tests/expected.py`, which may import the
reference) and writes what it returns to `tests/public/expected.json`; the public checks read
it back through the `expected` fixture. The student's kit and the instructor's grading read
the same file, so both reach the same verdicts without the reference. Values are plain data
(numbers, strings, lists, dicts, NumPy arrays) in the oracle protocol's codec (`graders.wire`);
keys are sorted, so the same values always give the same bytes. A 0-d array is kept as its
number (the wire codec would make it 1-d).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from graders import wire

EXPECTED_FILE = "expected.json"  # in the public tests' folder


def dumps(values: Mapping[str, object]) -> bytes:
    """The file's bytes for `values` (raises wire.WireError for anything but plain data)."""
    encoded = wire.encode(_scalars_for_0d(dict(values)))
    return (json.dumps(encoded, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _scalars_for_0d(value: object) -> object:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, dict):
        return {k: _scalars_for_0d(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scalars_for_0d(v) for v in value]
    return value


def load(path: Path) -> dict[str, object]:
    """The values frozen in `path`."""
    return wire.decode(json.loads(path.read_text(encoding="utf-8")))
