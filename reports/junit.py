"""One submission's checks as JUnit XML, for CI (a testsuite per submission, a testcase per check)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from graders.record import ResultRecord
from reports.escape import plain


def junit_xml(record: ResultRecord) -> str:
    """Parsable whatever the student's strings hold: control characters and terminal escapes are removed."""
    failures = sum(t.outcome == "failed" for t in record.tests) + (record.status == "failed")
    suite = ET.Element("testsuite", name=plain(f"{record.assignment}:{record.student}"),
                       tests=str(len(record.tests) or 1), failures=str(failures),
                       skipped=str(sum(t.outcome == "skipped" for t in record.tests)),
                       time=f"{record.timing.get('total_s', 0.0):.3f}")
    if record.status == "failed":
        case = ET.SubElement(suite, "testcase", classname=record.assignment, name="notebook")
        ET.SubElement(case, "failure", message=plain(record.reason))
    for test in record.tests:
        case = ET.SubElement(suite, "testcase", classname=plain(f"{record.assignment}.{test.question}"),
                             name=plain(test.name), time=f"{test.seconds:.3f}")
        if test.outcome == "failed":
            ET.SubElement(case, "failure", message=plain(test.message))
        elif test.outcome == "skipped":
            ET.SubElement(case, "skipped", message=plain(test.message))
        if test.found:  # what the check used in place of names the notebook lacks
            ET.SubElement(case, "system-out").text = plain("\n".join(test.found))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
