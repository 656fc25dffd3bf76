"""What every verb prints with: the two consoles, and student text made safe for them."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from graders.text import plain

console = Console(stderr=True, soft_wrap=True)  # progress, warnings, errors
out = Console(soft_wrap=True)  # results


def said(text: object) -> str:
    """Text from a student or a file, safe to embed in rich markup: no markup, no terminal escapes."""
    return escape(plain(text))
