"""Result records, executed notebooks and gradebooks built directly (no kernel), for the reporting tests."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import nbformat

from graders.record import CellRun, CheckOutcome, QuestionScore, ResultRecord
from graders.spec import Assignment

# Every trick a student string might try, in one: HTML, Markdown (headings, links, images, tables, CR),
# terminal escapes, control characters and spreadsheet formulas.
HOSTILE = ("=1+1<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=//evil></iframe>"
           "[click](javascript:alert(3)) ![img](http://evil/x.png) <http://evil> https://evil.example "
           "\n# heading\r# cr heading\n| a | b |\n`tick` ``double`` $x$ *em* _u_ &amp; \x1b[31mred\x1b[0m"
           "\x1b]0;title\x07 " + "".join(map(chr, range(32))) + "\x7f\x9b [bold]rich[/bold] \u202eevil\u202c end")
FORMULA_STARTS = ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1")


def record(assignment: Assignment, student: str, *, passed: dict[str, bool] | None = None,
           message: str = "wrong", metrics: dict[str, dict[str, float]] | None = None, status: str = "graded",
           reason: str = "", cell_error: str = "", executed: str = "", found: str = "") -> ResultRecord:
    """A graded record with one public and one hidden check per question with automatic points.

    `passed`: check name -> passed (default: all pass); `metrics`: check name -> recorded metrics;
    `found`: a note of what every check used in place of a declared name.
    """
    passed, metrics = passed or {}, metrics or {}
    tests, questions = [], []
    for question in assignment.questions:
        names = [f"test_{question.id}_public", f"test_{question.id}_hidden"] if question.auto_points else []
        outcomes = [CheckOutcome(name, question.id, name.endswith("hidden"), question.auto_points / len(names),
                                 "passed" if passed.get(name, True) else "failed",
                                 "" if passed.get(name, True) else message, 0.01, metrics.get(name, {}),
                                 (found,) if found else ())
                    for name in names]
        tests += outcomes if status == "graded" else []
        earned = sum(o.earned for o in outcomes) if status == "graded" else 0.0
        questions.append(QuestionScore(question.id, earned, question.auto_points, question.manual_points,
                                       bonus=question.bonus))
    cells = (CellRun(0, "ok", 0.1), CellRun(1, "error", 0.1, cell_error)) if cell_error else (CellRun(0, "ok", 0.1),)
    return ResultRecord(assignment.id, student, f"{student}.ipynb", "grade", status, reason=reason,
                        tests=tuple(tests), questions=tuple(questions), cells=cells, timing={"total_s": 2.5},
                        environment={"sandbox": "bubblewrap"}, graded_at="2025-03-01T10:00:00+00:00",
                        executed=executed)


def png_bytes() -> bytes:
    """A small real PNG figure drawn with matplotlib."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1.5))
    figure.subplots().plot([0, 1, 2], [0, 1, 4])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def executed_notebook(path: Path, answer: str = "My answer with **bold** text.") -> Path:
    """An executed notebook as the worker keeps it: markdown, code, stream text, a figure and an error."""
    png = base64.b64encode(png_bytes()).decode("ascii")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Homework\nIntro text."),
        nbformat.v4.new_markdown_cell(f"## Question 1 — Add\n{answer}"),
        nbformat.v4.new_code_cell("def add(a, b):\n    return a + b\nprint('sum', add(2, 3))", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="sum 5\n"),
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
        ]),
        nbformat.v4.new_markdown_cell("## سوال ۲ — مقیاس\nپاسخ من دربارهٔ **پخش** است."),
        nbformat.v4.new_code_cell("scale(1, 2)", outputs=[
            nbformat.v4.new_output("error", ename="NameError", evalue="name 'scale' is not defined",
                                   traceback=["\x1b[0;31mNameError\x1b[0m: name 'scale' is not defined"]),
        ]),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path
