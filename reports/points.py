"""Points as people write them."""

from __future__ import annotations


def format_points(value: float | None) -> str:
    """At most two decimals, no trailing zeros: 0.67, 16.08, 5; "–" for no value."""
    if value is None:
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
