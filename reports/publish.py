"""Write a batch's reports to disk: per-student feedback, TA review pages, the class summary
with its plots, and grades.csv. Class rankings are computed over the batch being published."""

from __future__ import annotations

from pathlib import Path

from graders.gradebook import Gradebook
from graders.record import ResultRecord, write_if_changed
from graders.scoring import batch_grades, manual_by_student
from graders.spec import Assignment
from reports.class_summary import summarise
from reports.export import grades_csv
from reports.plots import pass_rates_svg, score_distributions_svg
from reports.render import render_student, render_summary, submission_stem
from reports.review import REVIEW_DIR, render_review, review_sections

FORMATS = ("html", "md")
FIGURES = {"distributions": "summary-distributions.svg", "pass_rates": "summary-pass-rates.svg"}


def publish(records: list[ResultRecord], assignment: Assignment, out_dir: Path, langs: tuple[str, ...],
            gradebook: Gradebook | None = None) -> list[Path]:
    """Write every report whose content changed (an unchanged re-run rewrites nothing); return
    the paths written."""
    manual = gradebook.all_manual_scores(assignment.id) if gradebook else []
    grades = batch_grades(records, assignment, manual)
    manual_of = manual_by_student(manual)
    written = []

    def write(relative: str, text: str) -> None:
        if write_if_changed(out_dir / relative, text):
            written.append(out_dir / relative)

    for record in records:
        stem, graded = submission_stem(record), grades[record.submission]
        mine = manual_of.get(record.student, {})
        notebook, problem = review_sections(out_dir, record, assignment)
        for lang in langs:
            for fmt in FORMATS:
                write(f"{stem}.{lang}.{fmt}", render_student(record, assignment, lang, fmt, graded, mine))
            write(f"{REVIEW_DIR}/{stem}.{lang}.html",
                  render_review(record, assignment, lang, graded, mine, notebook, problem))
    summary = summarise(records, assignment, grades)
    write(FIGURES["distributions"], score_distributions_svg(summary.questions))
    write(FIGURES["pass_rates"], pass_rates_svg(summary.checks))
    for lang in langs:
        for fmt in FORMATS:
            write(f"summary.{lang}.{fmt}", render_summary(summary, assignment, lang, fmt, FIGURES))
    write("grades.csv", grades_csv(records, assignment, grades))
    return written
