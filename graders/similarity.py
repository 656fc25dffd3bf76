"""Copy detection: how much code two submissions share beyond the starter code.

The code cells of each notebook (IPython magics and shell lines blanked) are tokenised and
fingerprinted by copydetect, the winnowing method of MOSS. Before fingerprinting, copydetect
replaces every variable, function and class name by a placeholder and drops comments, so
renaming and re-commenting do not hide a copy; fingerprints form a set, so reordering cells
does not either. The starter notebook's code is copydetect's boilerplate: its fingerprints
never count, so two students who only ran the starter code share nothing.

A pair's score is the larger of the two shares: of the code a student wrote (starter code
excluded), the fraction also found in the other's notebook. The larger share catches a student
who copied a whole notebook and added to it.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.submission import SubmissionError, load_submission

# Pairs at or above this score are listed and shown side by side. Measured on the tests' pairs
# (tests/engine/test_similarity.py): copies with renamed variables and reordered cells score
# 0.9-1.0, two students' independent solutions of the same questions 0.1-0.2, and
# a submission of the starter code alone 0. 0.5 sits in the wide gap between.
SIMILARITY_THRESHOLD = 0.5
# copydetect's noise threshold: matches shorter than this many characters of the filtered code
# (names already replaced by one letter) are ignored. The guarantee threshold is set equal, so
# every k-gram is a fingerprint (winnowing window 1): results do not depend on hash values.
NOISE_CHARS = 25

_PYTHON_CELL_MAGICS = ("time", "timeit", "capture", "prun")  # their body is Python
_IPYTHON_LINE = re.compile(r"^\s*([!%?]|[\w.,\s\[\]]*=\s*[!%])|\?\s*$")


@dataclass(frozen=True)
class NotebookCode:
    """A notebook's code cells as one text, and where each cell is in it."""

    text: str
    cells: tuple[tuple[int, int], ...]  # (cell number in the notebook, 1-based; offset where it starts)

    def locate(self, offset: int) -> tuple[int, int]:
        """(cell number, line within the cell, 1-based) of a character offset."""
        i = bisect.bisect_right([start for _, start in self.cells], offset) - 1
        number, start = self.cells[i]
        return number, self.text.count("\n", start, offset) + 1

    def cell_text(self, number: int) -> tuple[int, str]:
        """(start offset, source) of one cell."""
        i = [n for n, _ in self.cells].index(number)
        start = self.cells[i][1]
        end = self.cells[i + 1][1] - 1 if i + 1 < len(self.cells) else len(self.text)
        return start, self.text[start:end]


@dataclass(frozen=True)
class Region:
    """A stretch of matched code: offsets in NotebookCode.text, and where that is in the notebook."""

    start: int
    end: int
    cell: int
    first_line: int
    last_line: int

    def __str__(self) -> str:
        lines = f"line {self.first_line}" if self.first_line == self.last_line else \
            f"lines {self.first_line}-{self.last_line}"
        return f"cell {self.cell} {lines}"


@dataclass(frozen=True)
class Pair:
    a: str  # student ids, a < b
    b: str
    score: float  # max(share_a, share_b)
    share_a: float  # the fraction of a's own code (starter excluded) also in b
    share_b: float
    regions_a: tuple[Region, ...]
    regions_b: tuple[Region, ...]


@dataclass(frozen=True)
class Comparison:
    codes: tuple[tuple[str, NotebookCode], ...]  # (student, code) of every notebook compared
    pairs: tuple[Pair, ...]  # every pair sharing any code, highest score first
    skipped: tuple[str, ...]  # "<file>: <reason>" for submissions that could not be read

    def code(self, student: str) -> NotebookCode:
        return dict(self.codes)[student]


def notebook_code(notebook: nbformat.NotebookNode) -> NotebookCode:
    """The code cells, magics and shell lines blanked (line numbers stay those of the notebook)."""
    parts, cells, offset = [], [], 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = _python_only(cell.source)
        cells.append((number, offset))
        parts.append(source)
        offset += len(source) + 1
    return NotebookCode("\n".join(parts), tuple(cells))


def _python_only(source: str) -> str:
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in _PYTHON_CELL_MAGICS:
            return "\n" * (len(lines) - 1)  # %%bash, %%html, %%writefile …: not Python
        lines[0] = ""
    return "\n".join("" if _IPYTHON_LINE.search(line) else line for line in lines)


def compare_submissions(paths: Sequence[Path], starter: Path | None) -> Comparison:
    """Compare every pair of notebooks (student id = file stem); `starter` is the starter notebook."""
    codes, skipped = [], []
    for path in paths:
        try:
            codes.append((path.stem, notebook_code(load_submission(path).notebook)))
        except SubmissionError as err:
            skipped.append(f"{path.name}: {err.reason}")
    boilerplate = _starter_code(starter)
    return Comparison(tuple(codes), tuple(_pairs(codes, boilerplate)), tuple(skipped))


def _starter_code(starter: Path | None) -> str:
    if starter is None or not starter.is_file():
        return ""
    return notebook_code(load_submission(starter).notebook).text


def _pairs(codes: Sequence[tuple[str, NotebookCode]], boilerplate: str) -> Iterable[Pair]:
    from copydetect import CodeFingerprint, compare_files  # imports matplotlib: only when comparing
    import numpy as np

    def fingerprint(text: str, boilerplate_hashes=None) -> CodeFingerprint:
        return CodeFingerprint("notebook.py", NOISE_CHARS, 1, boilerplate_hashes, language="python",
                               fp=io.StringIO(text))

    starter_hashes = np.array(sorted(fingerprint(boilerplate).hashes)) if boilerplate.strip() else None
    prints = [(student, code, fingerprint(code.text, starter_hashes)) for student, code in codes]
    pairs = []
    for i, (a, code_a, print_a) in enumerate(prints):
        for b, code_b, print_b in prints[i + 1:]:
            overlap, (share_a, share_b), (slices_a, slices_b) = compare_files(print_a, print_b)
            if overlap == 0:
                continue
            first, second = sorted([(a, code_a, share_a, slices_a), (b, code_b, share_b, slices_b)])
            pairs.append(Pair(first[0], second[0], round(float(max(share_a, share_b)), 4),
                              round(float(first[2]), 4), round(float(second[2]), 4),
                              _regions(first[1], first[3]), _regions(second[1], second[3])))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.a, pair.b))


def _regions(code: NotebookCode, slices) -> tuple[Region, ...]:
    """copydetect's slices (starts row, ends row) as regions, split where a cell ends."""
    regions = []
    for start, end in zip(*(map(int, row) for row in slices)):
        while start < end:
            cell, first_line = code.locate(start)
            cell_start, cell_source = code.cell_text(cell)
            stop = min(end, cell_start + len(cell_source))
            if code.text[start:stop].strip():
                regions.append(Region(start, stop, cell, first_line, code.locate(max(start, stop - 1))[1]))
            start = stop + 1
    return tuple(regions)
