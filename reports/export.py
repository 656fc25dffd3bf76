"""Grade exports: a CSV with one row per submission."""

from __future__ import annotations

import csv
import io

from graders.record import ResultRecord
from graders.spec import Assignment


def grades_csv(records: list[ResultRecord], assignment: Assignment) -> str:
    """student, submission, status, one column per question (auto points), total, possible, reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    question_ids = [q.id for q in assignment.questions]
    writer.writerow(["student", "submission", "status", *question_ids, "auto_total", "auto_possible", "reason"])
    for record in records:
        earned = {q.id: q.auto_earned for q in record.questions}
        writer.writerow([
            record.student, record.submission, record.status,
            *(f"{earned.get(qid, 0.0):g}" for qid in question_ids),
            f"{record.auto_earned:g}", f"{record.auto_possible:g}", record.reason,
        ])
    return buffer.getvalue()
