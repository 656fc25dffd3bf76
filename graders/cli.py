"""The `grade` command.

    grade ASSIGNMENT                  grade every submission, write reports, grades.csv
    grade check ASSIGNMENT NOTEBOOK   a student's self-check: public checks only
    grade ci ASSIGNMENT NOTEBOOK      CI on a submission: public checks, JUnit XML, Markdown summary
    grade rubric ASSIGNMENT STUDENT QUESTION ITEM POINTS   a TA's score for a manual rubric item
    grade rubric ASSIGNMENT --export FILE | --import FILE   every rubric score as one CSV sheet
    grade export ASSIGNMENT --format canvas|moodle|gradescope|csv --out PATH   grades for another system

Starts fast: nothing here imports torch or TensorFlow (only the kernels and the reference do).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from graders.batch import BatchOptions, grade_batch
from graders.data.profiles import PROFILES
from graders.gradebook import Gradebook, ManualScore
from graders.record import ResultRecord, write_atomically
from graders.sandbox import missing_protections
from graders.spec import Assignment, SpecError, load_assignment
from graders.submission import find_submissions
from graders.worker import GraderTestsBroken
from reports.csv_input import CsvInputError
from reports.escape import plain
from reports.i18n import LANGUAGES
from reports.points import format_points

VERBS = ("grade", "check", "ci", "rubric", "export")
EXPORT_FORMATS = ("canvas", "moodle", "gradescope", "csv")
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grade", description="Grade deep-learning homework notebooks.")
    verbs = parser.add_subparsers(dest="verb", required=True)

    grade = verbs.add_parser("grade", help="grade every submission of an assignment (the default verb)")
    grade.add_argument("assignment", type=Path, help="assignment folder, e.g. assignments/hw4")
    grade.add_argument("--submissions", type=Path, help="folder of .ipynb files (default: the assignment's demo submissions)")
    grade.add_argument("--out", type=Path, help="where reports go (default: reports/<assignment id>)")
    grade.add_argument("-j", "--workers", type=_positive_int, default=0, help="submissions graded at once (default: one per GPU, else one per two cores)")
    grade.add_argument("--lang", type=_languages, default=LANGUAGES, help=f"report languages, comma-separated (default: {','.join(LANGUAGES)})")
    grade.add_argument("--no-cache", action="store_true", help="re-grade even unchanged submissions")
    _common(grade)

    check = verbs.add_parser("check", help="run the public checks on one notebook (for students)")
    check.add_argument("assignment", type=Path)
    check.add_argument("notebook", type=Path)
    _common(check)

    ci = verbs.add_parser("ci", help="grade one submission in CI: exit 1 unless every public check passes")
    ci.add_argument("assignment", type=Path)
    ci.add_argument("notebook", type=Path)
    ci.add_argument("--junit", type=Path, help="write JUnit XML here")
    ci.add_argument("--summary", type=Path, help="write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)")
    _common(ci)

    _rubric_parser(verbs)
    _export_parser(verbs)
    return parser


def _rubric_parser(verbs: argparse._SubParsersAction) -> None:
    rubric = verbs.add_parser("rubric", help="TAs' scores for rubric items: one at a time, or a CSV sheet of all of them")
    rubric.add_argument("assignment", type=Path)
    rubric.add_argument("score", nargs="*", metavar="STUDENT QUESTION ITEM POINTS", help="one score")
    sheet = rubric.add_mutually_exclusive_group()
    sheet.add_argument("--export", type=Path, metavar="FILE", help="write the sheet: every student and rubric item, scores given so far filled in")
    sheet.add_argument("--import", dest="import_", type=Path, metavar="FILE", help="record a filled-in sheet (all rows or none)")
    rubric.add_argument("--comment", default="", help="with one score: the TA's comment")
    rubric.add_argument("--grader", default=_user(), help="who is scoring (default: the login name)")
    rubric.add_argument("--out", type=Path, help="the reports folder holding gradebook.sqlite (default: reports/<assignment id>)")


def _export_parser(verbs: argparse._SubParsersAction) -> None:
    export = verbs.add_parser("export", help="write the grades of the gradebook for Canvas, Moodle, Gradescope or as CSV")
    export.add_argument("assignment", type=Path)
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", type=Path, required=True, help="the file to write (gradescope: a folder, one <student>/results.json each)")
    export.add_argument("--roster", type=Path, help="CSV with id,name,email (optional: login,section) to name the students")
    export.add_argument("--column", help="the grade column's name (default: the assignment id); for Canvas, "
                                         "'Name (assignment number)' updates that assignment")
    export.add_argument("--reports", type=Path, help="the reports folder holding gradebook.sqlite (default: reports/<assignment id>)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=PROFILES, default="tiny", help="data profile: bundled tiny data or the real data under $GRADER_DATA")
    parser.add_argument("--no-sandbox", action="store_true", help="run kernels without bubblewrap (resource limits only)")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _languages(text: str) -> tuple[str, ...]:
    langs = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown or not langs:
        raise argparse.ArgumentTypeError(f"languages must be among {','.join(LANGUAGES)}")
    return langs


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in VERBS and not argv[0].startswith("-"):
        argv.insert(0, "grade")
    args = build_parser().parse_args(argv)
    try:
        assignment = load_assignment(args.assignment)
        if args.verb not in ("rubric", "export"):
            for problem in missing_protections(use_bwrap=not args.no_sandbox):
                console.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)
        verb = {"check": check, "ci": ci, "rubric": rubric, "grade": grade, "export": export}[args.verb]
        return verb(assignment, args)
    except (SpecError, GraderTestsBroken, CsvInputError) as err:
        console.print(f"[red]grade: error:[/red] {_said(err)}", highlight=False)
        return 2


def grade(assignment: Assignment, args: argparse.Namespace) -> int:
    from reports.publish import publish

    folder = args.submissions or assignment.submissions_dir
    if not folder.is_dir():
        raise SpecError(f"{folder}: no such submissions folder")
    paths = find_submissions(folder)
    if not paths:
        raise SpecError(f"{folder}: no .ipynb submissions in it")
    out_dir = (args.out or Path("reports") / assignment.id).resolve()
    options = BatchOptions(mode="grade", profile=args.profile, workers=args.workers,
                           sandbox=not args.no_sandbox, use_cache=not args.no_cache)
    started = time.monotonic()
    with _progress() as progress:
        task = progress.add_task(f"grading {assignment.id}", total=len(paths))

        def done(record: ResultRecord, cached: bool) -> None:
            note = " (cached)" if cached else ""
            progress.console.print(f"  {_said(record.student)}: {format_points(record.auto_earned)} / "
                                   f"{format_points(record.auto_possible)}{note}", highlight=False)
            progress.advance(task)

        records = grade_batch(assignment, paths, out_dir, options, done)
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        publish(records, assignment, out_dir, args.lang, book)
    out.print(_score_table(assignment, records))
    console.print(f"{len(records)} submissions in {time.monotonic() - started:.1f} s; reports in {out_dir}", highlight=False)
    return 0


def check(assignment: Assignment, args: argparse.Namespace) -> int:
    if not args.notebook.is_file():
        raise SpecError(f"{args.notebook}: no such notebook")
    options = BatchOptions(mode="check", profile=args.profile, workers=1, sandbox=not args.no_sandbox, use_cache=False)
    with tempfile.TemporaryDirectory(prefix="grade-check-") as scratch:
        with console.status(f"running {args.notebook.name} and the public checks of {assignment.id}…"):
            (record,) = grade_batch(assignment, [args.notebook.resolve()], Path(scratch), options)
    _print_check(record)
    return 0 if record.status == "graded" and all(t.outcome == "passed" for t in record.tests) else 1


def ci(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.scoring import grade as grade_of
    from reports.junit import junit_xml
    from reports.render import render_student

    if not args.notebook.is_file():
        raise SpecError(f"{args.notebook}: no such notebook")
    options = BatchOptions(mode="check", profile=args.profile, workers=1, sandbox=not args.no_sandbox, use_cache=False)
    with tempfile.TemporaryDirectory(prefix="grade-ci-") as scratch:
        (record,) = grade_batch(assignment, [args.notebook.resolve()], Path(scratch), options)
    if args.junit:
        args.junit.write_text(junit_xml(record), encoding="utf-8")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as stream:
            stream.write(render_student(record, assignment, "en", "md", grade_of(record, assignment, {})))
    _print_check(record)
    return 0 if record.status == "graded" and all(t.outcome == "passed" for t in record.tests) else 1


def rubric(assignment: Assignment, args: argparse.Namespace) -> int:
    from reports.rubric_sheet import blank_sheet, read_sheet

    out_dir = args.out or Path("reports") / assignment.id
    sheet = args.export or args.import_
    if sheet and args.score or not sheet and len(args.score) != 4:
        raise SpecError("give either STUDENT QUESTION ITEM POINTS, or --export FILE, or --import FILE")
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        students = sorted({r.student for r in book.records(assignment.id)})
        if args.export:
            write_atomically(args.export, blank_sheet(assignment, students, book.all_manual_scores(assignment.id)))
            console.print(f"{len(students)} students' rubric sheet written to {_said(args.export)}", highlight=False)
            return 0
        scores = read_sheet(args.import_, assignment, students, args.grader) if args.import_ else \
            [_one_score(assignment, args)]
        book.set_manual_scores(assignment.id, scores)
    console.print(f"{len(scores)} rubric score(s) recorded; re-run `grade {_said(args.assignment)}` to update the reports",
                  highlight=False)
    return 0


def _one_score(assignment: Assignment, args: argparse.Namespace) -> ManualScore:
    student, question_id, item_id, points_text = args.score
    question = next((q for q in assignment.questions if q.id == question_id), None)
    if question is None:
        raise SpecError(f"{assignment.id} has no question {question_id!r}")
    item = next((i for i in question.rubric if i.id == item_id), None)
    if item is None:
        raise SpecError(f"question {question.id} has no rubric item {item_id!r}; it has {[i.id for i in question.rubric]}")
    try:
        points = float(points_text)
    except ValueError:
        raise SpecError(f"points must be a number, not {points_text!r}") from None
    if not 0 <= points <= item.points:
        raise SpecError(f"rubric item {question.id}/{item.id} is worth 0 to {format_points(item.points)} points, "
                        f"not {points_text}")
    return ManualScore(student, question.id, item.id, points, args.comment, args.grader)


def export(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.scoring import batch_grades, manual_by_student
    from reports import export as formats
    from reports.render import submission_stem
    from reports.roster import read_roster

    reports_dir = args.reports or Path("reports") / assignment.id
    if not (reports_dir / "gradebook.sqlite").is_file():
        raise SpecError(f"{reports_dir}: no gradebook.sqlite here; grade the assignment first (or give --reports)")
    with Gradebook(reports_dir / "gradebook.sqlite") as book:
        records, manual = book.records(assignment.id), book.all_manual_scores(assignment.id)
    grades = batch_grades(records, assignment, manual)
    roster = read_roster(args.roster) if args.roster else {}
    unlisted = sorted({r.student for r in records} - set(roster)) if roster else []
    if unlisted:
        console.print(f"[yellow]warning:[/yellow] not in the roster, exported by student id: {_said(', '.join(unlisted))}",
                      highlight=False)
    column = args.column or assignment.id
    if args.format == "gradescope":
        manual_of = manual_by_student(manual)
        for record in records:
            text = formats.gradescope_results(record, assignment, grades[record.submission],
                                              manual_of.get(record.student, {}))
            write_atomically(args.out / submission_stem(record) / "results.json", text)
    else:
        text = {"canvas": lambda: formats.canvas_csv(records, grades, roster, column),
                "moodle": lambda: formats.moodle_csv(records, grades, roster, column),
                "csv": lambda: formats.grades_csv(records, assignment, grades)}[args.format]()
        write_atomically(args.out, text)
    console.print(f"{len(records)} submissions exported for {args.format} to {_said(args.out)}", highlight=False)
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _said(text: object) -> str:
    """Text from a student or a file, safe to embed in rich markup: no markup, no terminal escapes."""
    return escape(plain(text))


def _print_check(record: ResultRecord) -> None:
    if record.status == "failed":
        out.print(f"[red]✗ could not check {_said(record.submission)}:[/red] {_said(record.reason)}", highlight=False)
        return
    for cell in record.cells:
        if cell.status != "ok":
            out.print(f"[yellow]! cell {cell.index + 1}:[/yellow] {_said(cell.error)}", highlight=False)
    for test in record.tests:
        mark = "[green]✓[/green]" if test.outcome == "passed" else "[red]✗[/red]"
        out.print(f"{mark} {_said(test.question)} {_said(test.name)}", highlight=False)
        if test.outcome != "passed" and test.message:
            out.print(f"    {_said(test.message)}", highlight=False)
    passed = sum(t.outcome == "passed" for t in record.tests)
    out.print(f"{passed} of {len(record.tests)} public checks pass "
              f"({record.timing.get('total_s', 0):.1f} s)", highlight=False)


def _score_table(assignment: Assignment, records: list[ResultRecord]) -> Table:
    table = Table(title=f"{assignment.id}: automatic scores")
    table.add_column("student", no_wrap=True)
    for question in assignment.questions:
        table.add_column(f"{question.id}{' (bonus)' if question.bonus else ''} /{format_points(question.auto_points)}",
                         justify="right")
    table.add_column(f"total /{format_points(assignment.auto_points)}", justify="right")
    table.add_column("note")
    for record in records:
        earned = {q.id: q.auto_earned for q in record.questions}
        table.add_row(Text(plain(record.student)), *(format_points(earned.get(q.id, 0)) for q in assignment.questions),
                      format_points(record.auto_earned), Text(plain(record.reason)))
    return table


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)


if __name__ == "__main__":
    sys.exit(main())
