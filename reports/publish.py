"""Write a batch's reports to disk: per-student feedback, the class summary, the grades CSV."""

from __future__ import annotations

from pathlib import Path

from graders.gradebook import Gradebook
from graders.record import ResultRecord, write_atomically
from graders.spec import Assignment
from reports.export import grades_csv
from reports.render import render_student, render_summary, report_stem

FORMATS = ("html", "md")


def publish(records: list[ResultRecord], assignment: Assignment, out_dir: Path, langs: tuple[str, ...],
            gradebook: Gradebook | None = None) -> list[Path]:
    """Write every report; return the paths written."""
    written = []
    for record in records:
        manual = gradebook.manual_scores(assignment.id, record.student) if gradebook else {}
        for lang in langs:
            for fmt in FORMATS:
                path = out_dir / f"{report_stem(record.submission.removesuffix('.ipynb'))}.{lang}.{fmt}"
                write_atomically(path, render_student(record, assignment, lang, fmt, manual))
                written.append(path)
    for lang in langs:
        for fmt in FORMATS:
            path = out_dir / f"summary.{lang}.{fmt}"
            write_atomically(path, render_summary(records, assignment, lang, fmt))
            written.append(path)
    csv_path = out_dir / "grades.csv"
    write_atomically(csv_path, grades_csv(records, assignment))
    written.append(csv_path)
    return written
