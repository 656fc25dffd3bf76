"""An executed notebook split by question, as views for the TA review page.

A cell belongs to the question whose heading comes last before it ("## Question 4",
"### Q4", "## سوال ۴", or the question id as a word); a cell whose metadata names a question
(`"question": "q4"`) belongs to that one. Cells before the first such heading are shown apart;
a notebook without any is shown whole. Outputs: text, errors, and PNG/JPEG/GIF images checked
and re-encoded as data: URIs. Nothing from the notebook reaches the page as HTML except
Markdown rendered by `safe_markdown`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from reports.escape import plain
from reports.safe_markdown import render_markdown

TEXT_LIMIT = 20_000  # characters of one output shown; the rest is cut
IMAGE_LIMIT = 8 * 2**20  # bytes of one image
# the formats an image may have, with the bytes each must start with
IMAGE_SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/gif": b"GIF8"}
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+)$", re.MULTILINE)
_NUMBERED = re.compile(r"(?:question|سؤال|سوال|(?<![^\W\d_])q)\s*\.?\s*(\d+)", re.IGNORECASE)
_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@dataclass(frozen=True)
class OutputView:
    kind: str  # "text" | "image" | "error"
    text: str = ""
    image: str = ""  # a data: URI
    trimmed: bool = False


@dataclass(frozen=True)
class CellView:
    number: int  # 1-based position in the notebook
    kind: str  # "markdown" | "code" | "raw"
    source: str
    html: Markup  # a markdown cell rendered safely; empty otherwise
    outputs: tuple[OutputView, ...]


@dataclass(frozen=True)
class NotebookSections:
    by_question: dict[str, tuple[CellView, ...]]
    outside: tuple[CellView, ...]  # before the first question heading; every cell if none was found
    headings_found: bool


class NotebookUnreadable(ValueError):
    """The executed notebook is missing or not a notebook; the message says which."""


def read_sections(path: Path, question_ids: Sequence[str]) -> NotebookSections:
    """The executed notebook at `path`, split by question (read as plain JSON: nothing in it runs)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise NotebookUnreadable(f"{path.name}: cannot be read as a notebook ({type(err).__name__})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookUnreadable(f"{path.name}: has no list of cells")
    return split_by_question([c for c in cells if isinstance(c, dict)], question_ids)


def split_by_question(cells: Sequence[dict], question_ids: Sequence[str]) -> NotebookSections:
    by_question: dict[str, list[CellView]] = {qid: [] for qid in question_ids}
    outside: list[CellView] = []
    current = None
    for number, cell in enumerate(cells, start=1):
        started = _heading_question(cell, question_ids)
        current = started or current
        owner = _metadata_question(cell, question_ids) or current
        (by_question[owner] if owner else outside).append(cell_view(number, cell))
    found = any(by_question.values())
    return NotebookSections({q: tuple(v) for q, v in by_question.items()}, tuple(outside), found)


def _metadata_question(cell: dict, question_ids: Sequence[str]) -> str | None:
    metadata = cell.get("metadata")
    named = metadata.get("question") if isinstance(metadata, dict) else None
    return named if isinstance(named, str) and named in question_ids else None


def _heading_question(cell: dict, question_ids: Sequence[str]) -> str | None:
    """The question a markdown cell's headings name: the earliest mention in the first heading that has one."""
    if cell.get("cell_type") != "markdown":
        return None
    for heading in _HEADING.findall(_source(cell)):
        heading = heading.translate(_PERSIAN_DIGITS)
        mentions = [(m.start(), qid) for qid in question_ids
                    if (m := re.search(rf"(?<!\w){re.escape(qid)}(?!\w)", heading, re.IGNORECASE))]
        numbered = _NUMBERED.search(heading)
        if numbered and f"q{int(numbered.group(1))}" in question_ids:
            mentions.append((numbered.start(), f"q{int(numbered.group(1))}"))
        if mentions:
            return min(mentions)[1]
    return None


def cell_view(number: int, cell: dict) -> CellView:
    kind = cell.get("cell_type", "raw")
    source = _source(cell)
    if kind == "markdown":
        images = {str(name): uri for name, bundle in _mapping(cell.get("attachments")).items()
                  if (uri := _image_uri(bundle))}
        return CellView(number, kind, source, render_markdown(source, images), ())
    outputs = cell.get("outputs")
    outputs = tuple(view for output in (outputs if isinstance(outputs, list) else ())
                    if isinstance(output, dict) and (view := _output_view(output)))
    return CellView(number, "code" if kind == "code" else "raw", plain(source), Markup(""), outputs)


def _output_view(output: dict) -> OutputView | None:
    kind = output.get("output_type")
    if kind == "stream":
        return _text_view("text", _joined(output.get("text", "")))
    if kind == "error":
        traceback = "\n".join(_lines(output.get("traceback"))) or f"{output.get('ename', '')}: {output.get('evalue', '')}"
        return _text_view("error", traceback)
    if kind in ("execute_result", "display_data"):
        bundle = _mapping(output.get("data"))
        image = _image_uri(bundle)
        if image:
            return OutputView("image", image=image)
        if "text/plain" in bundle:
            return _text_view("text", _joined(bundle["text/plain"]))
    return None


def _text_view(kind: str, text: str) -> OutputView:
    text = plain(text)
    return OutputView(kind, text[:TEXT_LIMIT], trimmed=len(text) > TEXT_LIMIT)


def _image_uri(bundle: dict) -> str:
    """A data: URI for the first PNG/JPEG/GIF in a MIME bundle whose bytes really are that format."""
    for mime, signature in IMAGE_SIGNATURES.items():
        encoded = _mapping(bundle).get(mime)
        if not isinstance(encoded, (str, list)):
            continue
        try:
            data = base64.b64decode("".join(_joined(encoded).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if data.startswith(signature) and len(data) <= IMAGE_LIMIT:
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return ""


def _source(cell: dict) -> str:
    return _joined(cell.get("source", ""))


def _joined(text: object) -> str:
    """Notebook text: a string, or a list of strings to join."""
    return "".join(_lines(text)) if isinstance(text, list) else str(text)


def _lines(value: object) -> list[str]:
    return [str(line) for line in value] if isinstance(value, list) else []


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}
