"""Write a copy-detection comparison: similarity.csv (every pair found sharing code) and similarity.html
(the pairs at or above the threshold, matched code side by side).

Student ids and code are hostile: the page is rendered with autoescaping on and receives plain
text only (code split into matched and unmatched segments; the template adds the markup); CSV
cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from graders.record import write_atomically
from graders.similarity import NOISE_CHARS, Comparison, NotebookCode, Pair, Region
from graders.spec import Assignment
from reports.escape import csv_cell

TEMPLATES = Path(__file__).with_name("templates")
MAX_PAIRS_SHOWN = 100  # the page stays usable; the CSV has every pair


@dataclass(frozen=True)
class CellView:
    number: int
    segments: tuple[tuple[str, bool], ...]  # (text, matched)


@dataclass(frozen=True)
class PairView:
    pair: Pair
    cells_a: tuple[CellView, ...]
    cells_b: tuple[CellView, ...]


def write_similarity(comparison: Comparison, assignment: Assignment, out_dir: Path,
                     threshold: float) -> tuple[Path, Path]:
    """Write both files; return their paths."""
    csv_path, html_path = out_dir / "similarity.csv", out_dir / "similarity.html"
    write_atomically(csv_path, similarity_csv(comparison))
    write_atomically(html_path, similarity_html(comparison, assignment, threshold))
    return csv_path, html_path


def similarity_csv(comparison: Comparison) -> str:
    """a, b, score, each side's share and its matched regions ("cell 3 lines 2-9; cell 5 line 1")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "score", "share_a", "share_b", "regions_a", "regions_b"])
    for pair in comparison.pairs:
        writer.writerow([csv_cell(pair.a), csv_cell(pair.b), f"{pair.score:.2f}",
                         f"{pair.share_a:.2f}", f"{pair.share_b:.2f}",
                         "; ".join(map(str, pair.regions_a)), "; ".join(map(str, pair.regions_b))])
    return buffer.getvalue()


def similarity_html(comparison: Comparison, assignment: Assignment, threshold: float) -> str:
    flagged = [pair for pair in comparison.pairs if pair.score >= threshold]
    views = [PairView(pair, cell_views(comparison.code(pair.a), pair.regions_a),
                      cell_views(comparison.code(pair.b), pair.regions_b))
             for pair in flagged[:MAX_PAIRS_SHOWN]]
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)
    return environment.get_template("similarity.html.j2").render(
        title=assignment.title.en, threshold=threshold, views=views, flagged=len(flagged),
        compared=len(comparison.codes), pairs=len(comparison.pairs), skipped=comparison.skipped,
        noise_chars=NOISE_CHARS, has_starter=assignment.student_notebook.is_file())


def cell_views(code: NotebookCode, regions: tuple[Region, ...]) -> tuple[CellView, ...]:
    """The cells holding matched code, each split into matched and unmatched text."""
    views = []
    for number in sorted({region.cell for region in regions}):
        start, source = code.cell_text(number)
        segments, position = [], 0
        for region in (r for r in regions if r.cell == number):
            begin, end = region.start - start, region.end - start
            if begin > position:
                segments.append((source[position:begin], False))
            segments.append((source[max(begin, position):end], True))
            position = max(position, end)
        if position < len(source):
            segments.append((source[position:], False))
        views.append(CellView(number, tuple(segments)))
    return tuple(views)
