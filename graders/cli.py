"""The `grade` command.

    grade ASSIGNMENT                  grade every submission, write reports, grades.csv
    grade check ASSIGNMENT NOTEBOOK   a student's self-check: public checks only
    grade ci ASSIGNMENT NOTEBOOK      CI on a submission: public checks, JUnit XML, Markdown summary
    grade build ASSIGNMENT            the notebooks, demos, student kit and autograder from the source
    grade rubric ASSIGNMENT STUDENT QUESTION ITEM POINTS   a TA's score for a manual rubric item

Starts fast: nothing here imports torch or TensorFlow (only the kernels and the reference do;
`build` imports the reference modules its homework's source names).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graders.batch import BatchOptions, grade_batch
from graders.data.profiles import PROFILES
from graders.gradebook import Gradebook
from graders.record import ResultRecord
from graders.sandbox import bwrap_works
from graders.spec import Assignment, SpecError, load_assignment
from graders.submission import find_submissions
from graders.worker import GraderTestsBroken
from reports.i18n import LANGUAGES

VERBS = ("grade", "check", "ci", "rubric", "build")
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

    rubric = verbs.add_parser("rubric", help="record a TA's score for a rubric item (shown in the next reports)")
    rubric.add_argument("assignment", type=Path)
    rubric.add_argument("student")
    rubric.add_argument("question")
    rubric.add_argument("item")
    rubric.add_argument("points", type=float)
    rubric.add_argument("--comment", default="")
    rubric.add_argument("--out", type=Path, help="the reports folder holding gradebook.sqlite (default: reports/<assignment id>)")

    build = verbs.add_parser("build", help="build a homework from its source: notebooks, demos, student kit, autograder")
    build.add_argument("assignment", type=Path)
    build.add_argument("--out", type=Path, default=Path("dist"), help="where <id>/student and <id>/autograder go (default: dist)")
    return parser


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
    if args.verb == "build":
        return build(args)
    try:
        assignment = load_assignment(args.assignment)
        if args.verb != "rubric" and not args.no_sandbox and not bwrap_works():
            console.print("[yellow]warning:[/yellow] bubblewrap (bwrap) is not available: notebooks run WITHOUT "
                          "the sandbox (no network or file isolation; time and resource limits still apply). "
                          "Install it with `apt-get install bubblewrap`.", highlight=False)
        verb = {"check": check, "ci": ci, "rubric": rubric, "grade": grade}[args.verb]
        return verb(assignment, args)
    except (SpecError, GraderTestsBroken) as err:
        console.print(f"[red]grade: error:[/red] {err}", highlight=False)
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
            progress.console.print(f"  {record.student}: {record.auto_earned:g} / {record.auto_possible:g}{note}", highlight=False)
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
    from reports.export import junit_xml
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
            stream.write(render_student(record, assignment, "en", "md"))
    _print_check(record)
    return 0 if record.status == "graded" and all(t.outcome == "passed" for t in record.tests) else 1


def rubric(assignment: Assignment, args: argparse.Namespace) -> int:
    question = next((q for q in assignment.questions if q.id == args.question), None)
    if question is None:
        raise SpecError(f"{assignment.id} has no question {args.question!r}")
    item = next((i for i in question.rubric if i.id == args.item), None)
    if item is None:
        raise SpecError(f"question {question.id} has no rubric item {args.item!r}; "
                        f"it has {[i.id for i in question.rubric]}")
    if not 0 <= args.points <= item.points:
        raise SpecError(f"rubric item {question.id}/{item.id} is worth 0 to {item.points:g} points, not {args.points:g}")
    out_dir = args.out or Path("reports") / assignment.id
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        book.set_manual_score(assignment.id, args.student, question.id, item.id, args.points, args.comment)
    console.print(f"{args.student} {question.id}/{item.id}: {args.points:g} / {item.points:g} recorded; "
                  f"re-run `grade {args.assignment}` to update the reports", highlight=False)
    return 0


def build(args: argparse.Namespace) -> int:
    from graders.build.release import build_release, write_release

    started = time.monotonic()
    try:
        assignment = load_assignment(args.assignment)
        with console.status(f"building {assignment.id}…"):
            release = build_release(assignment)
            changed = write_release(release, args.out)
    except SpecError as err:  # a build error names a file and line; its text may hold [brackets]
        console.print(f"[red]grade: error:[/red] {escape(str(err))}", highlight=False)
        return 2
    kits = args.out / assignment.id
    console.print(f"{assignment.id} built in {time.monotonic() - started:.1f} s: {kits / 'student'} "
                  f"({len(release.student_kit)} files), {kits / 'autograder'} ({len(release.autograder)} files); "
                  f"{len(changed)} of {len(release.generated)} files in {args.assignment} changed", highlight=False)
    return 0


def _print_check(record: ResultRecord) -> None:
    if record.status == "failed":
        out.print(f"[red]✗ could not check {record.submission}:[/red] {record.reason}", highlight=False)
        return
    for cell in record.cells:
        if cell.status != "ok":
            out.print(f"[yellow]! cell {cell.index + 1}:[/yellow] {cell.error}", highlight=False)
    for test in record.tests:
        mark = "[green]✓[/green]" if test.outcome == "passed" else "[red]✗[/red]"
        out.print(f"{mark} {test.question} {test.name}", highlight=False)
        if test.outcome != "passed" and test.message:
            out.print(f"    {test.message}", highlight=False, markup=False)
    passed = sum(t.outcome == "passed" for t in record.tests)
    out.print(f"{passed} of {len(record.tests)} public checks pass "
              f"({record.timing.get('total_s', 0):.1f} s)", highlight=False)


def _score_table(assignment: Assignment, records: list[ResultRecord]) -> Table:
    table = Table(title=f"{assignment.id}: automatic scores")
    table.add_column("student", no_wrap=True)
    for question in assignment.questions:
        table.add_column(f"{question.id} /{question.auto_points:g}", justify="right")
    table.add_column(f"total /{assignment.auto_points:g}", justify="right")
    table.add_column("note")
    for record in records:
        earned = {q.id: q.auto_earned for q in record.questions}
        table.add_row(record.student, *(f"{earned.get(q.id, 0):g}" for q in assignment.questions),
                      f"{record.auto_earned:g}", record.reason)
    return table


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)


if __name__ == "__main__":
    sys.exit(main())
