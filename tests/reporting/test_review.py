"""The TA review page: the executed notebook split by question, rendered safely, with checks and rubric."""

from __future__ import annotations

import base64

import nbformat
import pytest

from graders.gradebook import Gradebook, ManualScore
from reports.notebook_view import cell_view, split_by_question
from reports.publish import publish
from reports.safe_markdown import render_markdown
from tests.reporting.records import executed_notebook, png_bytes, record

IDS = ("q1", "q2", "q3")


def markdown(source, **metadata):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(metadata)
    return cell


@pytest.mark.parametrize("heading, question", [
    ("## Question 2 — Scale", "q2"), ("### Q3", "q3"), ("# hw4.q1: add", "q1"), ("## سوال ۲ — مقیاس", "q2"),
    ("## سؤال 3", "q3"), ("## Question 2 (uses the answer of q1)", "q2"), ("## Question 9", None),
    ("## Homework 2 technique", None),
])
def test_headings_name_their_question(heading, question):
    cells = [markdown(heading), nbformat.v4.new_code_cell("x = 1")]
    sections = split_by_question(cells, IDS)
    owners = [q for q in IDS if sections.by_question[q]]
    assert owners == ([question] if question else [])
    assert len(sections.outside) == (0 if question else 2)


def test_cells_follow_the_last_heading_metadata_wins_and_cells_before_stay_apart():
    cells = [markdown("# Title"), markdown("## Question 1"), nbformat.v4.new_code_cell("a"),
             markdown("### Part (b)"), nbformat.v4.new_code_cell("b", metadata={"question": "q3"}),
             markdown("## Question 2"), nbformat.v4.new_code_cell("c")]
    sections = split_by_question(cells, IDS)
    assert sections.headings_found
    assert [c.number for c in sections.outside] == [1]
    assert [c.number for c in sections.by_question["q1"]] == [2, 3, 4]
    assert [c.number for c in sections.by_question["q3"]] == [5]
    assert [c.number for c in sections.by_question["q2"]] == [6, 7]


def test_a_notebook_without_question_headings_is_shown_whole():
    sections = split_by_question([markdown("# Notes"), nbformat.v4.new_code_cell("x")], IDS)
    assert not sections.headings_found and len(sections.outside) == 2


def test_student_markdown_is_rendered_without_html_scripts_or_outside_resources():
    png = base64.b64encode(png_bytes()).decode()
    html = render_markdown(
        "**bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [ok](https://example.com) "
        "[js](javascript:alert(3)) [data](data:text/html,x) ![tracker](http://evil/x.png) ![fig](attachment:f.png) "
        "[rel](other.html)\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        {"f.png": f"data:image/png;base64,{png}"})
    assert "<strong>bold</strong>" in html and "<table>" in html
    assert "<script" not in html and "<img src=\"x\"" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in html
    assert '<a href="other.html"' in html
    assert 'href="javascript' not in html and 'href="data' not in html  # shown as text, not links
    assert "[tracker]" in html and 'src="http' not in html  # a remote image is its alt text
    assert f'<img src="data:image/png;base64,{png}" alt="fig">' in html


def test_outputs_keep_text_errors_and_real_images_only():
    real = base64.b64encode(png_bytes()).decode()
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    cell = nbformat.v4.new_code_cell("plot()", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="\x1b[32mok\x1b[0m\n"),
        nbformat.v4.new_output("display_data", data={"image/png": real}),
        nbformat.v4.new_output("display_data", data={"image/png": fake, "text/plain": "<fake>"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<script>x</script>"}),
        nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["\x1b[31mE\x1b[0m: v"]),
    ])
    outputs = cell_view(1, cell).outputs
    assert [(o.kind, o.text) for o in outputs] == [("text", "ok\n"), ("image", ""), ("text", "<fake>"), ("error", "E: v")]
    assert outputs[1].image == f"data:image/png;base64,{real}"


def test_an_unreadable_or_outside_executed_notebook_is_a_note_not_a_crash(demo, tmp_path):
    (tmp_path / "executed").mkdir()
    (tmp_path / "executed" / "bad.ipynb").write_text("{not json", encoding="utf-8")
    records = [record(demo, "bad", executed="executed/bad.ipynb"), record(demo, "away", executed="../secret.ipynb"),
               record(demo, "none")]
    (tmp_path.parent / "secret.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": "SECRET"}]}')
    publish(records, demo, tmp_path, ("en",))
    bad = (tmp_path / "review" / "bad.en.html").read_text(encoding="utf-8")
    assert "bad.ipynb: cannot be read as a notebook" in bad
    away = (tmp_path / "review" / "away.en.html").read_text(encoding="utf-8")
    assert "SECRET" not in away and "not inside the reports folder" in away
    assert "No executed notebook was kept" in (tmp_path / "review" / "none.en.html").read_text(encoding="utf-8")


def test_review_page_shows_answers_outputs_all_checks_and_rubric_with_who_and_when(demo, tmp_path):
    one = record(demo, "ann", passed={"test_q1_hidden": False}, message="add(7, 8) returned 0",
                 executed="executed/ann.ipynb")
    executed_notebook(tmp_path / one.executed)
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.set_manual_scores(demo.id, [ManualScore("ann", "q1", "explain", 0.5, "half right", "ta1",
                                                     "2025-03-02T09:00:00+00:00")])
        publish([one], demo, tmp_path, ("en", "fa"), book)
    page = (tmp_path / "review" / "ann.en.html").read_text(encoding="utf-8")
    q1, q2 = page.split("<h2>q1")[1].split("<h2>q2")
    assert "My answer with <strong>bold</strong> text." in q1 and "sum 5" in q1
    assert '<img src="data:image/png;base64,' in q1
    assert "q1 hidden" in q1 and "add(7, 8) returned 0" in q1  # TAs see hidden checks and their messages
    assert "half right" in q1 and "scored by <bdi>ta1</bdi> at <bdi>2025-03-02T09:00:00+00:00</bdi>" in q1
    assert "NameError" in q2 and "<strong>پخش</strong>" in q2
    assert 'href="../ann.en.html"' in page and 'href="../executed/ann.ipynb"' in page
    student = (tmp_path / "ann.en.html").read_text(encoding="utf-8")
    assert "add(7, 8) returned 0" not in student  # ...students do not
    fa = (tmp_path / "review" / "ann.fa.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in fa and "بازبینی" in fa
    assert 'href="review/ann.en.html"' in (tmp_path / "summary.en.html").read_text(encoding="utf-8")
