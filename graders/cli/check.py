"""`grade check` (a student's self-check) and `grade ci` (CI on a submission): the public checks only."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from graders.batch import BatchOptions, grade_batch
from graders.cli.options import kernel_options
from graders.cli.terminal import console, out, said
from graders.record import ResultRecord
from graders.spec import Assignment, SpecError


def add_check_parser(verbs: argparse._SubParsersAction) -> None:
    check = verbs.add_parser("check", help="run the public checks on one notebook (for students)")
    check.add_argument("assignment", type=Path)
    check.add_argument("notebook", type=Path)
    kernel_options(check)


def add_ci_parser(verbs: argparse._SubParsersAction) -> None:
    ci = verbs.add_parser("ci", help="grade one submission in CI: exit 1 unless every public check passes")
    ci.add_argument("assignment", type=Path)
    ci.add_argument("notebook", type=Path)
    ci.add_argument("--junit", type=Path, help="write JUnit XML here")
    ci.add_argument("--summary", type=Path, help="write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)")
    kernel_options(ci)


def run_check(assignment: Assignment, args: argparse.Namespace) -> int:
    with console.status(f"running {said(args.notebook.name)} and the public checks of {assignment.id}…"):
        record = public_checks(assignment, args)
    _print_checks(record)
    return 0 if passed(record) else 1


def run_ci(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.scoring import grade as grade_of
    from reports.junit import junit_xml
    from reports.render import render_student

    record = public_checks(assignment, args)
    if args.junit:
        args.junit.write_text(junit_xml(record), encoding="utf-8")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as stream:
            stream.write(render_student(record, assignment, "en", "md", grade_of(record, assignment, {})))
    _print_checks(record)
    return 0 if passed(record) else 1


def public_checks(assignment: Assignment, args: argparse.Namespace) -> ResultRecord:
    if not args.notebook.is_file():
        raise SpecError(f"{args.notebook}: no such notebook")
    options = BatchOptions(mode="check", profile=args.profile, workers=1, sandbox=not args.no_sandbox, use_cache=False)
    with tempfile.TemporaryDirectory(prefix="grade-check-") as scratch:
        (record,) = grade_batch(assignment, [args.notebook.resolve()], Path(scratch), options)
    return record


def passed(record: ResultRecord) -> bool:
    return record.status == "graded" and all(t.outcome == "passed" for t in record.tests)


def _print_checks(record: ResultRecord) -> None:
    if record.status == "failed":
        out.print(f"[red]✗ could not check {said(record.submission)}:[/red] {said(record.reason)}", highlight=False)
        return
    for cell in record.cells:
        if cell.status != "ok":
            out.print(f"[yellow]! cell {cell.index + 1}:[/yellow] {said(cell.error)}", highlight=False)
    for note in record.notes:
        out.print(f"· cell {note.cell + 1}: {said(note.text)}", highlight=False)
    for test in record.tests:
        mark = "[green]✓[/green]" if test.outcome == "passed" else "[red]✗[/red]"
        out.print(f"{mark} {said(test.question)} {said(test.name)}", highlight=False)
        if test.outcome != "passed" and test.message:
            out.print(f"    {said(test.message)}", highlight=False)
        for note in test.found:
            out.print(f"    · {said(note)}", highlight=False)
    count = sum(t.outcome == "passed" for t in record.tests)
    out.print(f"{count} of {len(record.tests)} public checks pass ({record.timing.get('total_s', 0):.1f} s)",
              highlight=False)
