"""The one error a build reports: a problem in a homework's source files, with its place."""

from __future__ import annotations

from pathlib import Path

from graders.spec import SpecError


class BuildError(SpecError):
    """A homework source that cannot be built; the message starts with `file:line:`."""

    def __init__(self, path: Path, line: int | None, problem: str):
        self.path = path
        self.line = line
        where = f"{_shown(path)}:{line}" if line else _shown(path)
        super().__init__(f"{where}: {problem}")


def _shown(path: Path) -> str:
    """The path relative to the working directory when it lies below it (shorter to read)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
