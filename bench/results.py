"""What a case hands the report: its timed rows, each against its baseline, and its targets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.timing import Measurement


@dataclass(frozen=True)
class Row:
    measurement: Measurement
    baseline: str = ""  # the label of the row this one is compared with; empty for a baseline
    speedup: float | None = None  # the baseline's median / this median: how many times faster


@dataclass(frozen=True)
class Target:
    """A goal from the issue: `value` (a ratio of medians) at least (or at most) `bound`."""

    text: str
    value: float
    bound: float
    at_most: bool = False

    @property
    def met(self) -> bool:
        return self.value <= self.bound if self.at_most else self.value >= self.bound


@dataclass(frozen=True)
class CaseResult:
    name: str
    rows: tuple[Row, ...] = ()
    targets: tuple[Target, ...] = ()
    mismatches: tuple[str, ...] = ()  # scores that differed from the expected ones; must stay empty
    note: str = ""  # e.g. why the case was skipped


def compared(measurements: Mapping[str, Measurement], plan: Sequence[tuple[str, str]]) -> tuple[Row, ...]:
    """Rows in `plan`'s order: (label, baseline label or "")."""
    return tuple(
        Row(measurements[label], baseline, speedup(measurements, baseline, label) if baseline else None)
        for label, baseline in plan
    )


def speedup(measurements: Mapping[str, Measurement], baseline: str, label: str) -> float:
    return measurements[baseline].median / measurements[label].median
