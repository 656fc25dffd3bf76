"""The sanitisers, one by one; tests/reporting/test_hostile.py runs them through every output."""

from __future__ import annotations

import html

import pytest
from markdown_it import MarkdownIt

from graders.csv_input import from_csv_cell
from reports.escape import (
    csv_cell,
    markdown_code,
    markdown_text,
    one_line,
    plain,
)


def test_plain_strips_terminal_escapes_and_control_characters_but_keeps_lines():
    assert plain("\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x1b]0;t\x07ok") == "red link ok"
    assert plain("a\x00b\x07c\x08d\x7fe\x9bf\u202eg") == "abcdefg"
    assert plain("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"
    assert plain("lone \ud800 surrogate") == "lone  surrogate"
    assert plain("فارسی\u200cنیم‌فاصله") == "فارسی\u200cنیم‌فاصله"  # the zero-width non-joiner Persian needs stays


def test_one_line():
    assert one_line("  a\n\n b\t\rc  ") == "a b c"


@pytest.mark.parametrize("text", ["# h", "1. item", "- item", "+ item", "> quote", "[a](http://x)", "![i](x.png)",
                                  "<b>x</b>", "*em* _u_", "`code`", "a | b", "&amp;", "$x$", "~~s~~", "x\r# y",
                                  "x\n---\ny", "4.67"])
def test_markdown_text_renders_as_the_same_literal_text(text):
    rendered = MarkdownIt("commonmark").enable("table").render(markdown_text(text))
    assert rendered.count("<") == 2, rendered  # <p>…</p> and nothing inside
    assert html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n")) == one_line(text)


@pytest.mark.parametrize("text", ["plain", "`one` and ``two``", "`", " lead", "trail `", "a | b", "<script>",
                                  "https://evil.example"])
def test_markdown_code_is_one_literal_code_span(text):
    md = MarkdownIt("gfm-like")
    (paragraph,) = [t for t in md.parse(markdown_code(text)) if t.type == "inline"]
    assert [c.type for c in paragraph.children] == ["code_inline"]
    assert paragraph.children[0].content.strip() == text.strip()
    row = md.parse(f"| h |\n|---|\n| {markdown_code(text, in_table=True)} |\n")
    cells = [t for t in row if t.type == "td_open"]
    codes = [c.content for t in row if t.type == "inline" for c in t.children or () if c.type == "code_inline"]
    assert len(cells) == 1 and [c.strip() for c in codes] == [text.strip()]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n@x"])
def test_csv_cell_neutralises_formulas_and_from_csv_cell_undoes_it(text):
    cell = csv_cell(text)
    assert cell.startswith("'") and from_csv_cell(cell) == one_line(text)
    assert csv_cell(-1.5) == -1.5 and csv_cell("plain") == "plain" and from_csv_cell("'quoted") == "'quoted"
