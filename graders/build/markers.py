"""Solution markers inside a code cell, and the two texts they give.

A solution lies between a line `# BEGIN SOLUTION` and a line `# END SOLUTION`. The solution
notebook keeps it (without the marker lines); the student notebook replaces it by one line at
the marker's indentation: `raise NotImplementedError(...)`, or the text after
`# BEGIN SOLUTION:` (e.g. `# BEGIN SOLUTION: model = None`).
"""

from __future__ import annotations

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
STUB = 'raise NotImplementedError("replace this line with your answer")'


class MarkerError(ValueError):
    """Markers that do not pair up; `line` counts from 1 within the cell."""

    def __init__(self, line: int, problem: str):
        super().__init__(problem)
        self.line = line


def _is_begin(line: str) -> bool:
    return line.strip().startswith(BEGIN)


def _is_end(line: str) -> bool:
    return line.strip() == END


def check_markers(source: str) -> None:
    """Raise MarkerError at the first marker that does not pair up."""
    opened = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if _is_begin(line):
            if opened:
                above = number - opened
                raise MarkerError(number, f"a second {BEGIN} before the {END} of the one {above} "
                                          f"line{'s' if above > 1 else ''} above")
            opened = number
        elif _is_end(line):
            if not opened:
                raise MarkerError(number, f"{END} without a {BEGIN} before it")
            opened = 0
    if opened:
        raise MarkerError(opened, f"{BEGIN} is never closed by {END}")


def solution_text(source: str) -> str:
    """The code with the marker lines removed."""
    check_markers(source)
    return "\n".join(line for line in source.splitlines() if not _is_begin(line) and not _is_end(line))


def student_text(source: str) -> str:
    """The code with every marked solution replaced by its stub, at the marker's indentation."""
    check_markers(source)
    lines, inside = [], False
    for line in source.splitlines():
        if _is_begin(line):
            indent = line[: len(line) - len(line.lstrip())]
            replacement = line.strip()[len(BEGIN) :].lstrip(":").strip() or STUB
            lines.append(indent + replacement)
            inside = True
        elif _is_end(line):
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)
