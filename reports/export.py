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


def junit_xml(record: ResultRecord) -> str:
    """One submission's checks as JUnit XML (a testsuite per assignment, a testcase per check)."""
    from xml.etree import ElementTree as ET

    failures = sum(t.outcome == "failed" for t in record.tests) + (record.status == "failed")
    suite = ET.Element("testsuite", name=f"{record.assignment}:{record.student}", tests=str(len(record.tests) or 1),
                       failures=str(failures), skipped=str(sum(t.outcome == "skipped" for t in record.tests)),
                       time=f"{record.timing.get('total_s', 0.0):.3f}")
    if record.status == "failed":
        case = ET.SubElement(suite, "testcase", classname=record.assignment, name="notebook")
        ET.SubElement(case, "failure", message=record.reason)
    for test in record.tests:
        case = ET.SubElement(suite, "testcase", classname=f"{record.assignment}.{test.question}", name=test.name,
                             time=f"{test.seconds:.3f}")
        if test.outcome == "failed":
            ET.SubElement(case, "failure", message=test.message)
        elif test.outcome == "skipped":
            ET.SubElement(case, "skipped", message=test.message)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
