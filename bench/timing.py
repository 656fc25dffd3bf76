"""Running a command the way the benchmark times it: a clean environment, output to a log,
wall time by `time.perf_counter`, and the median of repeats."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

RUN_TIMEOUT_S = 3600  # one grading run; far above any case here


class BenchError(Exception):
    """The benchmark cannot go on; the message is one line that says why."""


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]


def clean_env(path: Sequence[Path], home: Path, **extra: str) -> dict[str, str]:
    """A minimal environment: `path` before the system's, a home folder of the benchmark's own
    (no user configuration leaks in), UTF-8, and `extra`."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": ":".join([*map(str, path), "/usr/local/bin", "/usr/bin", "/bin"]), "HOME": str(home),
            "LANG": "C.UTF-8", **extra}


def run(command: Command, log: Path) -> float:
    """Run `command` to its end with its output in `log`; its wall time in seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as stream:
        started = time.perf_counter()
        try:
            code = subprocess.run(command.argv, cwd=command.cwd, env=dict(command.env), stdout=stream,
                                  stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT_S).returncode
        except subprocess.TimeoutExpired:
            raise BenchError(f"{' '.join(command.argv)} ran past {RUN_TIMEOUT_S} s; see {log}") from None
        seconds = time.perf_counter() - started
    if code != 0:
        raise BenchError(f"{' '.join(command.argv)} failed with exit code {code}; see {log}")
    return seconds


@dataclass(frozen=True)
class Measurement:
    """The wall times of one contender's repeats (warm-up excluded), in seconds."""

    label: str
    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)
