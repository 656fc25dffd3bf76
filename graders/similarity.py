"""Copy detection: how much code two submissions share beyond the starter code.

The code cells of each notebook (IPython magics and shell lines blanked, and starter cells left
as handed out) are tokenised and fingerprinted by copydetect, the winnowing method of MOSS.
Before fingerprinting, copydetect replaces every variable, function and class name by a
placeholder and drops comments, so renaming and re-commenting do not hide a copy; fingerprints
form a set, so reordering cells does not either. The starter notebook's code is copydetect's
boilerplate: its fingerprints never count, so two students who only ran the starter code share
nothing.

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
from typing import TYPE_CHECKING

from graders.submission import SubmissionError, load_submission

if TYPE_CHECKING:
    import nbformat

# Pairs at or above this score are listed and shown side by side. Measured on the tests' notebooks
# (tests/engine/similarity_cases.py): a copy with every name changed, comments rewritten and cells
# reordered scores 1.0; three students' independent solutions of the same three questions score
# 0-0.16 against each other (0.16 for two loop-based ones); the starter code alone scores 0.
# 0.5 sits in the wide gap between: above it, a TA should read both notebooks.
SIMILARITY_THRESHOLD = 0.5
# copydetect's noise threshold: matches shorter than this many characters of the filtered code
# (names already replaced by one letter) are ignored. The guarantee threshold is set equal, so
# every k-gram is a fingerprint (winnowing window 1): results do not depend on hash values.
NOISE_CHARS = 25
# Pairs sharing fewer fingerprints than this fraction of the smaller notebook's are not compared
# in full (nor listed), which spares a class n²/2 full comparisons. Measured on the same notebooks:
# the renamed copy shares 0.94 of them (score 1.0), the independent solutions 0-0.036 (scores
# 0-0.16), about a fifth of the score; 0.02 keeps every pair that could come near the threshold.
SHARED_FINGERPRINTS_FLOOR = 0.02

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
    pairs: tuple[Pair, ...]  # every pair compared in full that shares code, highest score first
    skipped: tuple[str, ...]  # "<file>: <reason>" for submissions that could not be read

    def code(self, student: str) -> NotebookCode:
        return dict(self.codes)[student]


def notebook_code(notebook: nbformat.NotebookNode, unchanged: frozenset[str] = frozenset()) -> NotebookCode:
    """The code cells, with magics and shell lines blanked, and whole cells blanked that are one of
    `unchanged` (the starter's cells, left as handed out). Line numbers stay those of the notebook."""
    parts, cells, offset = [], [], 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = "\n" * cell.source.count("\n") if cell.source.strip() in unchanged else _python_only(cell.source)
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
    handout = load_submission(starter).notebook if starter is not None and starter.is_file() else None
    unchanged = frozenset(c.source.strip() for c in handout.cells if c.cell_type == "code") if handout else frozenset()
    codes, skipped = [], []
    for path in paths:
        try:
            codes.append((path.stem, notebook_code(load_submission(path).notebook, unchanged)))
        except SubmissionError as err:
            skipped.append(f"{path.name}: {err.reason}")
    boilerplate = notebook_code(handout).text if handout else ""
    return Comparison(tuple(codes), tuple(_pairs(codes, boilerplate)), tuple(skipped))


def _pairs(codes: Sequence[tuple[str, NotebookCode]], boilerplate: str) -> Iterable[Pair]:
    import numpy as np
    from copydetect import (  # imports matplotlib: only when comparing
        CodeFingerprint,
        compare_files,
    )

    def fingerprint(text: str, boilerplate_hashes=None) -> CodeFingerprint:
        return CodeFingerprint("notebook.py", NOISE_CHARS, 1, boilerplate_hashes, language="python",
                               fp=io.StringIO(text))

    starter_hashes = np.array(sorted(fingerprint(boilerplate).hashes)) if boilerplate.strip() else None
    prints = [fingerprint(code.text, starter_hashes) for _, code in codes]
    pairs = []
    for i, j in _overlapping([p.hashes for p in prints], SHARED_FINGERPRINTS_FLOOR):
        overlap, shares, slices = compare_files(prints[i], prints[j])
        if overlap == 0:
            continue
        (a, share_a, slices_a, code_a), (b, share_b, slices_b, code_b) = sorted(
            (codes[k][0], float(shares[side]), slices[side], codes[k][1]) for side, k in enumerate((i, j)))
        pairs.append(Pair(a, b, round(max(share_a, share_b), 4), round(share_a, 4), round(share_b, 4),
                          _regions(code_a, slices_a), _regions(code_b, slices_b)))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.a, pair.b))


def _overlapping(fingerprints: Sequence[set[int]], floor: float) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose fingerprint sets share at least `floor` of the smaller set: all pairs'
    shared counts at once, as a product of the sparse notebook-by-fingerprint matrix with itself."""
    import numpy as np
    from scipy import sparse

    sizes = np.array([len(f) for f in fingerprints], dtype=np.int64)
    values = np.fromiter((h for f in fingerprints for h in f), dtype=np.int64, count=int(sizes.sum()))
    if not values.size:
        return []
    _, columns = np.unique(values, return_inverse=True)
    rows = np.repeat(np.arange(len(fingerprints)), sizes)
    member = sparse.csr_matrix((np.ones(values.size, dtype=np.int64), (rows, columns)))
    shared = (member @ member.T).toarray()
    enough = shared >= np.maximum(floor * np.minimum.outer(sizes, sizes), 1)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(enough, k=1)))]


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
