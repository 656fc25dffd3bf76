"""The result record: one versioned JSON document per graded submission.

Reports and exports read only this record (and the gradebook); nothing else travels between
the grading step and the reporting step.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class CheckOutcome:
    """One grader test run against one submission."""

    name: str  # the test function, e.g. "test_receptive_field"
    question: str
    hidden: bool
    points: float
    outcome: str  # "passed" | "failed" | "skipped"
    message: str = ""  # one or a few lines; hidden tests' messages are shown to instructors only
    seconds: float = 0.0
    metrics: dict[str, float] = field(default_factory=dict)  # numbers the check measured, by name
    found: tuple[str, ...] = ()  # what it used in place of names the notebook lacks, one note each (discovery.Found)

    @property
    def earned(self) -> float:
        return self.points if self.outcome == "passed" else 0.0


@dataclass(frozen=True)
class QuestionScore:
    id: str
    auto_earned: float
    auto_possible: float
    manual_possible: float
    manual_earned: float | None = None  # None until a TA scores the rubric
    bonus: bool = False  # a bonus question: its points are extra, not part of the maximum


@dataclass(frozen=True)
class CellRun:
    """What happened to one code cell of the notebook."""

    index: int
    status: str  # "ok" | "error" | "timeout" | "dead" | "skipped"
    seconds: float
    error: str = ""  # one line, e.g. "NameError: name 'x' is not defined"


@dataclass(frozen=True)
class GradingNote:
    """Something the grader did differently from Colab to run the notebook offline, e.g. a
    `!pip install` line not run, or CIFAR-10 read from the grader's copy instead of downloaded."""

    cell: int  # the code cell's index in the notebook, as CellRun.index
    text: str  # one line


@dataclass(frozen=True)
class ResultRecord:
    assignment: str
    student: str
    submission: str  # file name
    mode: str  # "grade" (public + hidden tests) | "check" (public only)
    status: str  # "graded" | "failed" (could not be graded at all; see reason)
    reason: str = ""
    notebook_sha256: str = ""
    cache_key: str = ""
    tests: tuple[CheckOutcome, ...] = ()
    questions: tuple[QuestionScore, ...] = ()
    cells: tuple[CellRun, ...] = ()
    notes: tuple[GradingNote, ...] = ()
    timing: dict[str, float] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    graded_at: str = ""
    executed: str = ""  # the executed notebook, relative to the reports folder (empty: none)
    schema: int = SCHEMA_VERSION

    @property
    def auto_earned(self) -> float:
        """Automatic points earned, bonus questions included (so it may exceed `auto_possible`)."""
        return round(sum(q.auto_earned for q in self.questions), 6)

    @property
    def auto_possible(self) -> float:
        """The maximum automatic points: bonus questions are not part of it."""
        return round(sum(q.auto_possible for q in self.questions if not q.bonus), 6)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ResultRecord:
        raw = json.loads(text)
        if raw.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"result record schema {raw.get('schema')} is not {SCHEMA_VERSION}")
        raw["tests"] = tuple(CheckOutcome(**{**t, "found": tuple(t.get("found", ()))}) for t in raw["tests"])
        raw["questions"] = tuple(QuestionScore(**q) for q in raw["questions"])
        raw["cells"] = tuple(CellRun(**c) for c in raw["cells"])
        raw["notes"] = tuple(GradingNote(**n) for n in raw.get("notes", ()))  # absent in older records
        return cls(**raw)


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` atomically unless the file already holds exactly it; True if written."""
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return False
    except OSError:
        pass
    write_atomically(path, text)
    return True


def write_atomically(path: Path, text: str) -> None:
    """Write `text` so that readers see either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
