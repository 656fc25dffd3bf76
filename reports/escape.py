"""Untrusted text made safe for each place a person reads it: terminal, HTML, Markdown, CSV, XML.

Student code, what it prints, its errors and its file names are hostile; so is anything typed
into a CSV. Every string that leaves the grader goes through one of these functions (HTML also
through Jinja's autoescape). None of them raises: whatever comes in, something readable goes out.
"""

from __future__ import annotations

import re

from graders.csv_input import FORMULA_START
from graders.text import plain

_WHITESPACE = re.compile(r"\s+")
# Markdown punctuation that can start markup anywhere in a line ($ is math on GitHub).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|!&~$])")
# ...and what starts a block only at the beginning of a line (headings, lists, quotes, rules).
_MARKDOWN_LINE_START = re.compile(r"^([#+=>-]|\d+[.)](?=\s|$))")


def one_line(text: object) -> str:
    """`plain` text on one line: every run of whitespace (newlines included) becomes one space."""
    return _WHITESPACE.sub(" ", plain(text)).strip()


def markdown_text(text: object) -> str:
    """Text that Markdown shows literally, on one line: no heading, link, image, HTML or table cell."""
    line = _MARKDOWN_INLINE.sub(r"\\\1", one_line(text))
    return _MARKDOWN_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line)


def markdown_code(text: object, *, in_table: bool = False) -> str:
    """A Markdown code span showing `text` literally (nothing inside a code span is markup,
    not even a bare URL); `in_table`: also escape `|`, which GFM tables split on first."""
    line = one_line(text)
    if not line:
        return ""
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", line)), default=0))
    if line[0] in "` " or line[-1] in "` ":
        line = f" {line} "
    if in_table:
        line = line.replace("|", "\\|")
    return f"{fence}{line}{fence}"


def csv_cell(value: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: text is put on one line (which removes tabs and
    CRs) and gets a leading apostrophe if it then starts with = + - @. Numbers stay numbers."""
    if isinstance(value, (int, float)):
        return value
    line = one_line(value)
    return "'" + line if line.startswith(FORMULA_START) else line
