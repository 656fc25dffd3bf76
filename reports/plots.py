"""The class summary's plots as SVG: score distributions per question and check pass rates.

matplotlib is imported only here, when a summary is written. The SVG is deterministic (fixed
hash salt, no date, text as paths), so an unchanged class gives a byte-identical file. Plot
text is language-neutral (question ids, check names, numbers); captions come from the page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from reports.class_summary import CheckStats, QuestionStats
from reports.points import format_points

_STYLE = {"svg.hashsalt": "grader-summary", "svg.fonttype": "path", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False}
_GOOD, _FAIR, _POOR = "#1a7f37", "#d4a72c", "#cf222e"
DISTINCT_SCORES = 12  # up to this many different scores get a bar each; more are put in BINS bins
BINS = 10
LABEL_CHAR_INCHES = 0.075  # the width of a character of a tick label at 9 pt


def prepare() -> None:
    """Import matplotlib ahead of the first plot (half a second)."""
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def score_distributions_svg(questions: Sequence[QuestionStats]) -> str:
    """One panel per question: how many submissions earned how many of its automatic points."""
    import numpy as np
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    shown = [q for q in questions if q.question.auto_points > 0]
    columns = min(3, max(1, len(shown)))
    rows = max(1, math.ceil(len(shown) / columns))
    with rc_context(_STYLE):
        figure = Figure(figsize=(3.3 * columns, 2.4 * rows))
        figure.subplots_adjust(left=0.6 / (3.3 * columns), right=0.97, bottom=0.5 / (2.4 * rows), top=0.92,
                               wspace=0.35, hspace=0.7)  # fixed margins: constrained layout doubles the time
        axes = figure.subplots(rows, columns, squeeze=False).ravel()
        for ax, stats in zip(axes, shown):
            possible = stats.question.auto_points
            scores = np.round(np.clip(stats.scores, 0, possible), 2)
            levels, counts = np.unique(scores, return_counts=True)
            if len(levels) <= DISTINCT_SCORES:  # a bar at each score earned
                ax.bar(levels, counts, width=possible / 25, color="#54aeff")
            else:
                counts, edges = np.histogram(scores, bins=BINS, range=(0, possible))
                ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color="#54aeff", edgecolor="white")
            ax.set_title(f"{stats.question.id}{' (bonus)' if stats.question.bonus else ''}: "
                         f"mean {format_points(stats.mean)} / {format_points(possible)}")
            ax.set_xlim(-possible / 20, possible * 21 / 20)
            ax.set_xlabel("points")
            ax.set_ylabel("submissions")
            ax.yaxis.get_major_locator().set_params(integer=True)
        for ax in axes[len(shown):]:
            ax.set_visible(False)
        return _svg(figure)


def pass_rates_svg(checks: Sequence[CheckStats]) -> str:
    """One horizontal bar per check, the first on top: the share of submissions that passed it, red to green."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_STYLE):
        labels = [f"{c.question} · {c.label}{' (hidden)' if c.hidden else ''}" for c in checks]
        width, height = 8.0, 0.8 + 0.26 * max(1, len(checks))  # inches
        label_width = 0.15 + LABEL_CHAR_INCHES * max((len(label) for label in labels), default=0)
        figure = Figure(figsize=(width, height))
        figure.subplots_adjust(left=min(0.6, label_width / width), right=1 - 1.1 / width, bottom=0.55 / height,
                               top=1 - 0.15 / height)  # the right margin holds "83% (100/120)"
        ax = figure.subplots()
        rates = [100 * c.pass_rate for c in checks]
        positions = range(len(checks))
        ax.barh(positions, rates, color=[_colour(r) for r in rates])
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(checks) - 0.5, -0.5)  # the first check on top
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of submissions that passed")
        for y, (rate, check) in enumerate(zip(rates, checks)):
            ax.text(102, y, f"{rate:.0f}% ({check.ran - check.failed}/{check.ran})", va="center", fontsize=7,
                    clip_on=False)
        return _svg(figure)


def _colour(rate: float) -> str:
    return _GOOD if rate >= 80 else _FAIR if rate >= 50 else _POOR


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
