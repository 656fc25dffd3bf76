"""Hostile student strings through every output: nothing is injected, nothing breaks a parser.

A student id, submission name, cell error, check message, failure reason, rubric comment, roster
name and notebook answer each carry HTML, Markdown, terminal escapes, control characters and
spreadsheet formulas (records.HOSTILE). The outputs are parsed the way their readers parse them.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from markdown_it import MarkdownIt

from graders.cli.check import _print_checks
from graders.cli.grade import _score_table
from graders.cli.terminal import out
from graders.csv_input import FORMULA_START
from graders.gradebook import Gradebook, ManualScore
from graders.roster import Student
from graders.scoring import batch_grades
from reports.escape import one_line
from reports.export import canvas_csv, gradescope_results, moodle_csv
from reports.junit import junit_xml
from reports.publish import FIGURES, publish
from reports.rubric_sheet import blank_sheet, read_sheet
from tests.reporting.records import HOSTILE, executed_notebook, record

HOSTILE_ID = "=1+1<script>alert(1)</script>|`x`[bold]b[/bold]\x1b[31m# id"
BENIGN = "plain words"
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "b", "i", "em", "strong",
             "small", "bdi", "span", "div", "ul", "li", "table", "tr", "th", "td", "hr", "figure", "figcaption",
             "img", "a", "nav", "details", "summary", "pre", "code", "thead", "tbody"}


def batch(demo, out: Path, text: str, ids: tuple[str, str]):
    """Publish two submissions whose every student-written string is `text`; return the records."""
    graded = record(demo, ids[0], passed={"test_q1_public": False}, message=text, cell_error=text,
                    executed="executed/a.ipynb", found=text)
    failed = record(demo, ids[1], status="failed", reason=text)
    executed_notebook(out / graded.executed, answer=text)
    with Gradebook(out / "gradebook.sqlite") as book:
        book.set_manual_scores(demo.id, [ManualScore(ids[0], "q1", "explain", 0.5, text, text)])
        publish([graded, failed], demo, out, ("en", "fa"), book)
    return graded, failed


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory):
    hostile_dir, benign_dir = tmp_path_factory.mktemp("hostile"), tmp_path_factory.mktemp("benign")
    hostile = batch(demo, hostile_dir, HOSTILE, (HOSTILE_ID, HOSTILE_ID + "2"))
    benign = batch(demo, benign_dir, BENIGN, ("alice", "bob"))
    return hostile_dir, benign_dir, hostile, benign


class Elements(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.data: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.data.append(data)


def test_html_has_no_injected_element_or_attribute(published):
    hostile_dir, *_ = published
    pages = sorted(hostile_dir.rglob("*.html"))
    assert len(pages) == 10  # 2 students x 2 languages x (report + review) + 2 summaries
    for page in pages:
        parsed = Elements(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            assert tag in HTML_TAGS, (page.name, tag)
            assert not [a for a in attrs if a.startswith("on") or a in ("srcdoc", "formaction")], (page.name, attrs)
            if tag == "img":
                assert attrs["src"].startswith("data:image/png;base64,") or attrs["src"] in FIGURES.values()
            if tag == "a":
                href = attrs.get("href", "")
                assert not href.lower().startswith(("javascript:", "data:", "vbscript:")), (page.name, href)
                assert ":" not in href.split("/")[0] or (href.startswith(("http://", "https://"))
                                                         and "noopener" in attrs.get("rel", "")), (page.name, href)
        text = "".join(parsed.data)
        assert "<script>alert(1)</script>" in text, page.name  # shown to the reader as text
        assert "onerror" not in str(parsed.tags)


def markdown_shape(text: str) -> list[str]:
    """Every token and inline token type (what the document is made of), not the text in it."""
    shape = []
    for token in MarkdownIt("gfm-like").parse(text):
        shape.append(token.type)
        shape += [f"  {child.type}" for child in token.children or ()]
    return shape


@pytest.mark.parametrize("name", ["{}.en.md", "{}.fa.md", "summary.en.md", "summary.fa.md"])
def test_markdown_has_the_shape_of_a_benign_report(published, name):
    """Same headings, links, images, tables and cells as with harmless strings: nothing was injected."""
    hostile_dir, benign_dir, hostile, benign = published
    stems = [p.stem.split(".")[0] for p in sorted(hostile_dir.glob("*.en.md")) if not p.name.startswith("summary")]
    hostile_md = (hostile_dir / name.format(stems[0])).read_text(encoding="utf-8")
    benign_md = (benign_dir / name.format("alice")).read_text(encoding="utf-8")
    assert markdown_shape(hostile_md) == markdown_shape(benign_md)
    kinds = set(markdown_shape(hostile_md))
    assert not kinds & {"  link_open", "  html_inline"}
    assert "  image" not in kinds or name.startswith("summary")  # the summary's own two plots
    blocks = {t.content.strip() for t in MarkdownIt("gfm-like").parse(hostile_md) if t.type == "html_block"}
    assert blocks <= {'<div dir="rtl">', "</div>"}  # the Persian reports' own wrapper


def test_ci_summary_markdown_has_the_benign_shape(demo):
    from graders.scoring import grade
    from reports.render import render_student

    def summary(text, student):
        one = record(demo, student, passed={"test_q1_public": False}, message=text, cell_error=text, found=text)
        return render_student(one, demo, "en", "md", grade(one, demo, {}))

    assert markdown_shape(summary(HOSTILE, HOSTILE_ID)) == markdown_shape(summary(BENIGN, "alice"))


def no_control_characters(data: bytes, where: str) -> None:
    text = data.decode("utf-8").replace("\r\n", "\n")
    bad = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f]
    assert not bad, (where, bad)


def test_no_escape_or_control_character_in_any_file_written(published):
    hostile_dir, *_ = published
    files = [p for p in hostile_dir.rglob("*") if p.is_file() and p.suffix in (".html", ".md", ".csv", ".svg")]
    assert len(files) > 10
    for path in files:
        no_control_characters(path.read_bytes(), path.name)


def spreadsheet_cells(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    no_control_characters(text.encode("utf-8"), "csv")
    return rows


def test_csv_exports_are_spreadsheet_safe(published, demo):
    hostile_dir, _, (graded, failed), _ = published
    rows = spreadsheet_cells((hostile_dir / "grades.csv").read_text(encoding="utf-8"))
    assert rows[1][0] == "'" + one_line(HOSTILE_ID)
    assert rows[2][-1] == "'" + one_line(HOSTILE)  # the failure reason, on one line, neutralised
    grades = batch_grades([graded, failed], demo, [])
    roster = {graded.student: Student(graded.student, name="=HYPERLINK(\"http://evil\")", email="@evil", section="+1")}
    for text in (canvas_csv([graded, failed], grades, roster, "-hw"),
                 moodle_csv([graded, failed], grades, roster, "=hw")):
        assert spreadsheet_cells(text)[1][:1] != ["=HYPERLINK"]


def test_rubric_sheet_round_trips_hostile_ids_and_comments(demo, tmp_path):
    existing = [ManualScore(HOSTILE_ID, "q1", "explain", 0.5, HOSTILE)]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(blank_sheet(demo, [HOSTILE_ID], existing), encoding="utf-8")
    spreadsheet_cells(sheet.read_text(encoding="utf-8"))
    (score,) = read_sheet(sheet, demo, [HOSTILE_ID], "ta")
    assert (score.student, score.comment) == (HOSTILE_ID, one_line(HOSTILE))


def test_junit_xml_parses_and_keeps_the_text(demo):
    suite = ET.fromstring(junit_xml(record(demo, HOSTILE_ID, passed={"test_q1_public": False}, message=HOSTILE,
                                           found=HOSTILE)))
    (failure,) = suite.iter("failure")
    assert "<script>alert(1)</script>" in failure.get("message") and "\x1b" not in failure.get("message")
    assert all("<script>alert(1)</script>" in out.text and "\x1b" not in out.text for out in suite.iter("system-out"))
    assert "\x1b" not in suite.get("name")
    failed = ET.fromstring(junit_xml(record(demo, HOSTILE_ID, status="failed", reason=HOSTILE)))
    assert failed.find("testcase/failure") is not None


def test_gradescope_json_strings_are_clean(demo):
    graded = record(demo, HOSTILE_ID, passed={"test_q1_public": False}, message=HOSTILE, found=HOSTILE)
    manual = {("q1", "explain"): ManualScore(HOSTILE_ID, "q1", "explain", 1, HOSTILE)}
    results = json.loads(gradescope_results(graded, demo, batch_grades([graded], demo, [])[graded.submission], manual))

    def strings(value):
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    for text in strings(results):
        no_control_characters(text.encode("utf-8"), "results.json")


def test_terminal_output_shows_student_text_literally(demo, capsys):
    hostile = record(demo, HOSTILE_ID, passed={"test_q1_public": False}, message=HOSTILE, cell_error=HOSTILE,
                     found=HOSTILE)
    _print_checks(hostile)
    _print_checks(record(demo, HOSTILE_ID, status="failed", reason=HOSTILE))

    out.print(_score_table(demo, [hostile]))
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed
    assert "[bold]rich[/bold]" in printed  # rich markup in a student string is not interpreted
