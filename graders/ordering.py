"""The order a batch grades its submissions in: the longest first.

A submission started last holds the whole batch up by its own time, so the longest go first.
How long a submission takes is known best from this grader's last run of it. A submission it has
not graded before is judged by the notebook's own record of how long its cells ran where the
student ran them: Colab keeps a time per cell (`executionInfo.elapsed`, in milliseconds);
nbclient, Kaggle and JupyterLab (with "record cell timing" on) keep timestamps (`execution`: from
`iopub.execute_input` or `iopub.status.busy` to `shell.execute_reply` or `iopub.status.idle`);
papermill a duration (`papermill.duration`, in seconds). Each cell counts at most the cell time
limit and the whole at most the notebook's: grading stops there. A notebook without a record
counts 0 and keeps its place in the given order.

The record is the student's, and a student may write anything there; it decides only which
submission is graded first, never a score.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from graders.spec import Limits
from graders.submission import SubmissionError, read_regular_file

Item = TypeVar("Item", bound=tuple)  # (submission path, ...)

_STARTS = ("iopub.execute_input", "iopub.status.busy")
_ENDS = ("shell.execute_reply", "iopub.status.idle")


def longest_first(todo: Sequence[Item], last_run: Mapping[str, float], limits: Limits) -> list[Item]:
    """`todo` (items whose first element is the submission's path) sorted by expected grading
    time, longest first; `last_run` maps a submission's file name to its total time last run.
    The sort is stable: equal estimates keep the given order."""
    def expected(path: Path) -> float:
        return last_run[path.name] if path.name in last_run else recorded_seconds(path, limits)
    return sorted(todo, key=lambda item: -expected(item[0]))  # the key is computed once per item


def recorded_seconds(path: Path, limits: Limits) -> float:
    """How long the notebook's code cells ran where it was last run, by its own record, within
    the time limits; 0.0 when it keeps no record or cannot be read."""
    try:
        notebook = json.loads(read_regular_file(path))
    except (SubmissionError, ValueError, RecursionError):  # unreadable files get their reason when graded
        return 0.0
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return 0.0
    total = 0.0
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code" and isinstance(cell.get("metadata"), dict):
            total += min(_cell_seconds(cell["metadata"]), limits.cell_timeout_s)
    return min(total, limits.notebook_timeout_s)


def _cell_seconds(metadata: dict) -> float:
    colab = metadata.get("executionInfo")
    if isinstance(colab, dict) and _is_time(colab.get("elapsed")):
        return colab["elapsed"] / 1000
    timestamps = metadata.get("execution")
    if isinstance(timestamps, dict):
        start = _first_time(timestamps, _STARTS)
        end = _first_time(timestamps, _ENDS)
        comparable = start is not None and end is not None and (start.tzinfo is None) == (end.tzinfo is None)
        if comparable and end >= start:
            return (end - start).total_seconds()
    papermill = metadata.get("papermill")
    if isinstance(papermill, dict) and _is_time(papermill.get("duration")):
        return float(papermill["duration"])
    return 0.0


def _is_time(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _first_time(timestamps: dict, keys: Sequence[str]) -> datetime | None:
    for key in keys:
        value = timestamps.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                continue
    return None
