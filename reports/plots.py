"""The class summary's plots as SVG: score distributions per question and check pass rates.

Written element by element (bars, axes, text), without a plotting library: a figure costs
milliseconds instead of importing and running matplotlib (most of a second). The SVG is
deterministic, so an unchanged class gives a byte-identical file. Plot text is language-neutral
(question ids, check names, numbers) and escaped; captions come from the page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reports.class_summary import CheckStats, QuestionStats
from reports.points import format_points

_GOOD, _FAIR, _POOR = "#1a7f37", "#d4a72c", "#cf222e"
_BAR, _AXIS, _GRID, _INK = "#54aeff", "#57606a", "#d0d7de", "#1f2328"
DISTINCT_SCORES = 12  # up to this many different scores get a bar each; more are put in BINS bins
BINS = 10
FONT = 12  # px
CHAR_WIDTH = 0.6 * FONT  # a generous average width of a character, for the space labels need
PANEL_WIDTH, PANEL_HEIGHT = 330, 240  # one question's panel
PANEL_MARGIN = {"left": 52, "right": 14, "top": 30, "bottom": 44}
ROW_HEIGHT, RATES_WIDTH, RATE_TEXT = 26, 800, 110  # pass rates: a bar's row, the figure, the "83% (100/120)" margin


def score_distributions_svg(questions: Sequence[QuestionStats]) -> str:
    """One panel per question: how many submissions earned how many of its automatic points."""
    shown = [q for q in questions if q.question.auto_points > 0]
    columns = min(3, max(1, len(shown)))
    rows = max(1, math.ceil(len(shown) / columns))
    parts = []
    for index, stats in enumerate(shown):
        row, column = divmod(index, columns)
        parts.append(_distribution_panel(stats, column * PANEL_WIDTH, row * PANEL_HEIGHT))
    return _document(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, parts)


def pass_rates_svg(checks: Sequence[CheckStats]) -> str:
    """One horizontal bar per check, the first on top: the share of submissions that passed it, red to green."""
    labels = [f"{c.question} · {c.label}{' (hidden)' if c.hidden else ''}" for c in checks]
    left = min(RATES_WIDTH * 0.6, 16 + CHAR_WIDTH * max((len(label) for label in labels), default=0))
    top, bottom = 10, 46
    height = top + ROW_HEIGHT * max(1, len(checks)) + bottom
    plot = _Area(left, top, RATES_WIDTH - RATE_TEXT - left, ROW_HEIGHT * max(1, len(checks)))
    parts = [_comment("pass rates")]
    for percent in range(0, 101, 20):
        x = plot.left + plot.width * percent / 100
        parts.append(_line(x, plot.top, x, plot.bottom, _GRID))
        parts.append(_text(x, plot.bottom + FONT + 4, f"{percent}", "middle"))
    for y, (label, check) in enumerate(zip(labels, checks)):
        rate = 100 * check.pass_rate
        middle = plot.top + ROW_HEIGHT * (y + 0.5)
        parts.append(_comment(label))
        parts.append(_text(plot.left - 6, middle + FONT / 3, label, "end"))
        parts.append(_rect(plot.left, middle - ROW_HEIGHT * 0.4, plot.width * rate / 100, ROW_HEIGHT * 0.8,
                           _colour(rate)))
        parts.append(_text(plot.right + 6, middle + FONT / 3, f"{rate:.0f}% ({check.ran - check.failed}/{check.ran})",
                           size=FONT - 2))
    parts.append(_line(plot.left, plot.top, plot.left, plot.bottom, _AXIS))
    parts.append(_line(plot.left, plot.bottom, plot.right, plot.bottom, _AXIS))
    parts.append(_text(plot.left + plot.width / 2, height - 8, "% of submissions that passed", "middle"))
    return _document(RATES_WIDTH, height, parts)


@dataclass(frozen=True)
class _Area:
    """Where the data go, in the figure's pixels."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _distribution_panel(stats: QuestionStats, x0: float, y0: float) -> str:
    possible = stats.question.auto_points
    scores = [round(min(max(score, 0), possible), 2) for score in stats.scores]
    levels = Counter(scores)
    if len(levels) <= DISTINCT_SCORES:  # a bar at each score earned
        width = possible / 25
        bars = [(score - width / 2, width, count) for score, count in sorted(levels.items())]
    else:
        width = possible / BINS
        counts = Counter(min(int(score / width), BINS - 1) for score in scores)
        bars = [(i * width, width, counts[i]) for i in range(BINS)]
    plot = _Area(x0 + PANEL_MARGIN["left"], y0 + PANEL_MARGIN["top"],
                 PANEL_WIDTH - PANEL_MARGIN["left"] - PANEL_MARGIN["right"],
                 PANEL_HEIGHT - PANEL_MARGIN["top"] - PANEL_MARGIN["bottom"])
    low, high = -possible / 20, possible * 21 / 20
    top_count = _ticks(0, max(1, max(levels.values(), default=0)), integer=True)

    def x_of(points: float) -> float:
        return plot.left + plot.width * (points - low) / (high - low)

    def y_of(count: float) -> float:
        return plot.bottom - plot.height * count / top_count[-1]

    title = (f"{stats.question.id}{' (bonus)' if stats.question.bonus else ''}: "
             f"mean {format_points(stats.mean)} / {format_points(possible)}")
    parts = [_comment(title), _text(plot.left + plot.width / 2, y0 + FONT + 6, title, "middle")]
    for count in top_count:
        parts.append(_line(plot.left, y_of(count), plot.right, y_of(count), _GRID))
        parts.append(_text(plot.left - 6, y_of(count) + FONT / 3, f"{count:g}", "end"))
    for start, bar_width, count in bars:
        if count:
            parts.append(_rect(x_of(start), y_of(count), x_of(start + bar_width) - x_of(start), y_of(0) - y_of(count),
                               _BAR))
    for points in _ticks(0, possible):
        parts.append(_line(x_of(points), plot.bottom, x_of(points), plot.bottom + 4, _AXIS))
        parts.append(_text(x_of(points), plot.bottom + FONT + 6, format_points(points), "middle"))
    parts.append(_line(plot.left, plot.bottom, plot.right, plot.bottom, _AXIS))
    parts.append(_line(plot.left, plot.top, plot.left, plot.bottom, _AXIS))
    parts.append(_text(plot.left + plot.width / 2, y0 + PANEL_HEIGHT - 6, "points", "middle"))
    parts.append(_text(x0 + 14, plot.top + plot.height / 2, "submissions", "middle", upright=True))
    return "\n".join(parts)


def _ticks(low: float, high: float, integer: bool = False, most: int = 6) -> list[float]:
    """Round tick values from `low` up to at least `high`: steps of 1, 2, 2.5 or 5 times a power of
    ten (whole numbers only, for counts)."""
    span = max(high - low, 1e-9)
    power = 10.0 ** math.floor(math.log10(span / most))
    if integer:
        power = max(power, 1.0)
    steps = [power * m for m in (1, 2, 2.5, 5) if not (integer and (power * m) % 1)]
    step = next((s for s in steps if span / s <= most), power * 10)
    return [round(low + i * step, 10) for i in range(math.ceil(span / step - 1e-9) + 1)]


def _colour(rate: float) -> str:
    return _GOOD if rate >= 80 else _FAIR if rate >= 50 else _POOR


def _document(width: float, height: float, parts: list[str]) -> str:
    body = "\n".join(parts)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n')


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = FONT, upright: bool = False) -> str:
    """Text at (x, y); `upright` turns it to read bottom to top, as a vertical axis's label."""
    turn = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if upright else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{_INK}" text-anchor="{anchor}"{turn}>'
            f"{escape(text)}</text>")


def _comment(text: str) -> str:
    """What the next elements show, for a reader of the file (`--` cannot be inside a comment)."""
    return f"<!-- {escape(text).replace('--', '- -')} -->"


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{max(height, 0):.1f}" fill="{colour}"/>'


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="1"/>'
