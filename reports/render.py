"""Render reports with Jinja: per-student feedback and the class summary (HTML + Markdown, en/fa).

Every value a template prints is made safe for its format at output, whatever the template
does: HTML templates are autoescaped and lose terminal escapes and control characters;
Markdown templates print every value as literal text unless a filter (`code`, `cell`) has
already made it Markdown. Reads only result records, the spec and the gradebook: never a
kernel, never torch.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from graders.gradebook import ManualScore
from graders.record import ResultRecord
from graders.scoring import Grade
from graders.spec import Assignment
from graders.submission import file_stem
from reports.class_summary import ClassSummary
from reports.escape import markdown_code, markdown_text, plain
from reports.i18n import WORDS
from reports.points import format_points
from reports.views import question_views

TEMPLATES = Path(__file__).with_name("templates")


class MarkdownMarkup(str):
    """Text that is already Markdown (a code span); printed as it is."""


def _finalize_html(value: object) -> object:
    return plain(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _fill_html(sentence: str, **values: object) -> Markup:
    """A sentence of the reports with its {placeholders} filled in, each value isolated (<bdi>) so
    that a number or a date keeps its order inside a right-to-left sentence."""
    isolated = {name: Markup("<bdi>{}</bdi>").format(plain(value)) for name, value in values.items()}
    return Markup(escape(sentence)).format(**isolated)


def _finalize_markdown(value: object) -> object:
    if isinstance(value, MarkdownMarkup) or isinstance(value, (int, float)) or value is None:
        return value
    return markdown_text(value)


@functools.cache
def environment(fmt: str) -> Environment:
    """The Jinja environment of a format ("html" or "md")."""
    html = fmt == "html"
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        finalize=_finalize_html if html else _finalize_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pts"] = format_points
    env.filters["fill"] = _fill_html if html else lambda sentence, **values: sentence.format(**values)
    env.filters["code"] = lambda text: MarkdownMarkup(markdown_code(text))
    env.filters["cell"] = lambda text: MarkdownMarkup(markdown_code(text, in_table=True))
    env.filters["stem"] = submission_stem
    return env


def prepare() -> None:
    """Compile every template ahead of the first report (a tenth of a second): the CLI does it
    while the batch grades."""
    for fmt in ("html", "md"):
        env = environment(fmt)
        for name in env.list_templates(filter_func=lambda name, fmt=fmt: name.endswith(f".{fmt}.j2")):
            env.get_template(name)


def render(template: str, fmt: str, lang: str, assignment: Assignment, **context: object) -> str:
    """`template` is a name without its format: "student" renders student.html.j2 or student.md.j2."""
    return environment(fmt).get_template(f"{template}.{fmt}.j2").render(
        lang=lang, w=WORDS[lang], assignment=assignment, assignment_title=assignment.title[lang], **context)


def submission_context(record: ResultRecord, grade: Grade) -> dict[str, object]:
    """What every page about one submission shows: its record, its grade, the cells that went wrong."""
    return {"record": record, "grade": grade, "problems": [c for c in record.cells if c.status != "ok"]}


def render_student(record: ResultRecord, assignment: Assignment, lang: str, fmt: str, grade: Grade,
                   manual: Mapping[tuple[str, str], ManualScore] | None = None) -> str:
    """One student's feedback: scores, checks (hidden ones as pass/fail only), rubric, bonuses."""
    return render("student", fmt, lang, assignment, **submission_context(record, grade),
                  questions=question_views(record, assignment, lang, manual or {}, grade.awards))


def render_summary(summary: ClassSummary, assignment: Assignment, lang: str, fmt: str,
                   figures: Mapping[str, str]) -> str:
    """The class summary; `figures` names the plot files next to it ("distributions", "pass_rates")."""
    return render("summary", fmt, lang, assignment, summary=summary, figures=figures)


def submission_stem(record: ResultRecord) -> str:
    """The file name stem of a submission's reports, review page and executed notebook."""
    return file_stem(Path(record.submission))
