"""What the batch and a worker say to each other, and the records of submissions that could not
be graded: light enough for the CLI and the batch, which never run a kernel or pytest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import platform
from pathlib import Path

from graders import __version__
from graders import cgroup as cgroups
from graders.record import QuestionScore, ResultRecord
from graders.spec import Assignment
from graders.submission import Submission, student_id


class GraderTestsBroken(RuntimeError):
    """The assignment's own tests cannot run: an instructor's problem, not a student's; the batch stops."""


@dataclasses.dataclass(frozen=True)
class Resources:
    """Where one kernel runs: a scratch folder and a control group, both owned by the caller."""

    scratch: Path
    cgroup: cgroups.Cgroup | None = None

    def to_dict(self) -> dict:
        return {"scratch": str(self.scratch), "cgroup": json.loads(self.cgroup.to_json()) if self.cgroup else None}

    @classmethod
    def from_dict(cls, raw: dict | None) -> Resources | None:
        if raw is None:
            return None
        return cls(Path(raw["scratch"]), cgroups.Cgroup.from_json(raw["cgroup"]) if raw["cgroup"] else None)


@dataclasses.dataclass(frozen=True)
class Job:
    """One submission for a worker, as the batch sends it."""

    submission: Path
    out: Path  # the result record
    executed: Path | None  # the executed notebook
    cache_key: str
    kernel: Resources  # for this submission's kernel, unless the worker has a spare ready
    next: Resources | None = None  # for the spare kernel to launch for the worker's next job

    def to_json(self) -> str:
        return json.dumps({"submission": str(self.submission), "out": str(self.out),
                           "executed": str(self.executed) if self.executed else None, "cache_key": self.cache_key,
                           "kernel": self.kernel.to_dict(), "next": self.next.to_dict() if self.next else None})

    @classmethod
    def from_json(cls, text: str) -> Job:
        raw = json.loads(text)
        return cls(Path(raw["submission"]), Path(raw["out"]), Path(raw["executed"]) if raw["executed"] else None,
                   raw["cache_key"], Resources.from_dict(raw["kernel"]), Resources.from_dict(raw["next"]))


def failed_record(assignment: Assignment, path: Path, mode: str, reason: str, submission: Submission | None = None,
                  cache_key: str = "") -> ResultRecord:
    """A record for a submission that could not be graded at all: zero auto points, one reason."""
    return ResultRecord(
        assignment=assignment.id,
        student=submission.student if submission else student_id(path),
        submission=path.name,
        mode=mode,
        status="failed",
        reason=reason,
        notebook_sha256=submission.sha256 if submission else "",
        cache_key=cache_key,
        questions=tuple(
            QuestionScore(q.id, 0.0, q.auto_points, q.manual_points, bonus=q.bonus) for q in assignment.questions
        ),
        environment=environment(""),
        graded_at=now(),
    )


def environment(gpu: str) -> dict[str, str]:
    return {
        "grader": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "gpu": gpu or "none",
    }


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
