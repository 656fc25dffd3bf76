"""Text from a student's kernel made safe to show: no terminal escape codes, no control characters."""

from __future__ import annotations

import re

# ESC followed by: a CSI sequence (colours, cursor moves), an OSC (window titles, hyperlinks),
# DCS/SOS/PM/APC strings, or a two-byte escape.
_TERMINAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -~]?)"
)
# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), bidi overrides
# and isolates (they reorder what a reader sees), lone surrogates and XML's non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def plain(text: object) -> str:
    """Text without terminal escapes or control characters; newlines and tabs kept, CR made a newline."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _TERMINAL_ESCAPE.sub("", text))
