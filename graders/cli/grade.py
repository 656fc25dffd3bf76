"""`grade ASSIGNMENT`: grade every submission, then write the reports and grades.csv."""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from graders.batch import BACKENDS, BatchOptions, grade_batch
from graders.cli.options import intake_options, kernel_options, languages, positive_int
from graders.cli.terminal import console, out, said
from graders.gradebook import Gradebook
from graders.intake import Intake, summary_lines, take_in
from graders.ray_backend import ClusterError
from graders.record import ResultRecord
from graders.roster import load_roster
from graders.spec import Assignment
from graders.submission import same_student
from graders.text import plain
from reports.i18n import LANGUAGES
from reports.points import format_points

NAME = "grade"


def add_parser(verbs: argparse._SubParsersAction) -> None:
    grade = verbs.add_parser(NAME, help="grade every submission of an assignment (the default verb)")
    grade.add_argument("assignment", type=Path, help="assignment folder, e.g. assignments/hw4")
    grade.add_argument("--out", type=Path, help="where reports go (default: reports/<assignment id>)")
    grade.add_argument("-j", "--workers", type=positive_int, default=0,
                       help="submissions graded at once, on this machine or on the cluster (default: one per GPU, "
                       "else one per two cores)")
    grade.add_argument("--backend", choices=BACKENDS, default="local",
                       help="where to grade: this machine's worker processes, or tasks on a Ray cluster (needs the "
                       "[ray] extra)")
    grade.add_argument("--address", type=ray_address,
                       help="with --backend ray: the cluster, 'auto' (one started on this machine with `ray start`), "
                       "HOST:PORT or ray://HOST:PORT (default: auto)")
    grade.add_argument("--lang", type=languages, default=LANGUAGES,
                       help=f"report languages, comma-separated (default: {','.join(LANGUAGES)})")
    grade.add_argument("--no-cache", action="store_true", help="re-grade even unchanged submissions")
    intake_options(grade)
    kernel_options(grade)


def ray_address(text: str) -> str:
    """A Ray cluster's address: 'auto', HOST:PORT or ray://HOST:PORT."""
    host, colon, port = text.removeprefix("ray://").rpartition(":")
    if text == "auto" or (colon and host and port.isdigit() and 0 < int(port) < 65536):
        return text
    raise argparse.ArgumentTypeError("must be 'auto', HOST:PORT or ray://HOST:PORT")


def run(assignment: Assignment, args: argparse.Namespace) -> int:
    from reports.publish import publish
    from reports.render import prepare as compile_templates

    if args.address and args.backend != "ray":
        console.print("[red]grade: error:[/red] --address needs --backend ray", highlight=False)
        return 2
    out_dir = (args.out or Path("reports") / assignment.id).resolve()
    intake = take_in_submissions(assignment, args, out_dir / "intake")
    intake.save(out_dir / "intake.json")
    paths = intake.notebooks
    for student, files in same_student(paths).items():
        console.print(f"[yellow]note:[/yellow] {len(files)} submissions map to student {said(student)}: "
                      f"{said(', '.join(f.name for f in files))}; all are graded and kept, check which is theirs",
                      highlight=False)
    options = BatchOptions(mode="grade", profile=args.profile, workers=args.workers, sandbox=not args.no_sandbox,
                           use_cache=not args.no_cache, backend=args.backend, address=args.address or "auto")
    started = time.monotonic()
    threading.Thread(target=compile_templates, daemon=True).start()  # while the workers grade
    with _progress() as progress:
        task = progress.add_task(f"grading {assignment.id}", total=len(paths))

        def done(record: ResultRecord, cached: bool) -> None:
            note = " (cached)" if cached else ""
            progress.console.print(f"  {said(record.student)}: {format_points(record.auto_earned)} / "
                                   f"{format_points(record.auto_possible)}{note}", highlight=False)
            progress.advance(task)

        try:
            records = grade_batch(assignment, paths, out_dir, options, done)
        except ClusterError as err:  # what was graded before is in the gradebook: a rerun resumes
            console.print(f"[red]grade: error:[/red] {said(err)}", highlight=False)
            return 2
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        publish(records, assignment, out_dir, args.lang, book)
    out.print(_score_table(assignment, records))
    console.print(f"{len(records)} submissions in {time.monotonic() - started:.1f} s; reports in {out_dir}",
                  highlight=False)
    return 0


def take_in_submissions(assignment: Assignment, args: argparse.Namespace, staging: Path) -> Intake:
    """The download (or the demo submissions) read, one notebook per student staged; a summary printed."""
    source = (args.submissions or assignment.submissions_dir).resolve()
    roster = load_roster(args.roster) if args.roster else None
    intake = take_in(source, staging, layout=args.layout, roster=roster, deadline=assignment.deadline)
    for line in summary_lines(intake):
        console.print(line, markup=False, highlight=False)
    return intake


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
