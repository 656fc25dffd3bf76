"""Timing contenders against each other: interleaved (A B A B …), repeated, a warm-up round
discarded, each run from a state of its own, and every run's scores checked."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.timing import Command, Measurement, run

Scores = dict[str, dict[str, float]]  # student -> question -> points


@dataclass(frozen=True)
class Contender:
    """One way of doing the work, timed as one command.

    `prepare(folder)` builds a fresh state in an empty folder (nothing cached) and returns the
    command to time; `scores(folder)` reads what that run gave each student, which must equal
    `expected`. With a `rerun_label`, the same command is timed once more right after, on the
    state the first run left (a re-run that may reuse earlier results).
    """

    label: str
    prepare: Callable[[Path], Command]
    scores: Callable[[Path], Scores] | None = None
    expected: Scores | None = None
    per: int = 1  # the time is divided by this (say, per submission)
    rerun_label: str = ""


@dataclass
class Outcome:
    """What the runs measured, and every score that differed from the expected one."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)

    def measurements(self) -> dict[str, Measurement]:
        return {label: Measurement(label, tuple(times)) for label, times in self.seconds.items()}


def measure(contenders: Sequence[Contender], warm_up: Sequence[Contender], repeats: int, folder: Path,
            say: Callable[[str], None] = print) -> Outcome:
    """Run `warm_up` once (discarded), then `repeats` rounds of every contender in turn."""
    outcome = Outcome()
    rounds = [("warm-up", list(warm_up))] + [(f"{r + 1}/{repeats}", list(contenders)) for r in range(repeats)]
    for index, (name, members) in enumerate(rounds):
        for contender in members:
            state = folder / f"{_slug(contender.label)}-{index}"
            shutil.rmtree(state, ignore_errors=True)
            state.mkdir(parents=True)
            command = contender.prepare(state)
            labels = [contender.label] + ([contender.rerun_label] if contender.rerun_label else [])
            for label in labels:
                seconds = run(command, folder / "logs" / f"{_slug(label)}-{index}.log") / contender.per
                say(f"  [{name}] {label}: {seconds:.1f} s")
                _check(contender, label, name, state, outcome.mismatches)
                if index > 0:
                    outcome.seconds.setdefault(label, []).append(seconds)
    return outcome


def _check(contender: Contender, label: str, round_name: str, state: Path, mismatches: list[str]) -> None:
    if contender.scores is None or contender.expected is None:
        return
    got = contender.scores(state)
    for student, expected in sorted(contender.expected.items()):
        mine = got.get(student)
        if mine is None:
            mismatches.append(f"{label} [{round_name}]: {student} has no score (not graded; see the logs)")
            continue
        for question, points in sorted(expected.items()):
            given = mine.get(question)
            if given is None or round(given, 2) != round(points, 2):
                mismatches.append(f"{label} [{round_name}]: {student} {question} got {given} points, expected {points:g}")
    for student in sorted(set(got) - set(contender.expected)):
        mismatches.append(f"{label} [{round_name}]: a score for an unknown student {student}")


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
