"""`grade export`: the gradebook's grades for Canvas, Moodle, Gradescope, or as our own CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from graders.cli.terminal import console, said
from graders.gradebook import Gradebook
from graders.record import write_atomically
from graders.roster import load_roster
from graders.spec import Assignment, SpecError

NAME = "export"
FORMATS = ("canvas", "moodle", "gradescope", "csv")


def add_parser(verbs: argparse._SubParsersAction) -> None:
    export = verbs.add_parser(NAME, help="write the grades of the gradebook for Canvas, Moodle, Gradescope or as CSV")
    export.add_argument("assignment", type=Path)
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", type=Path, required=True, help="the file to write (gradescope: a folder, one <student>/results.json each)")
    export.add_argument("--roster", type=Path, help="CSV with id,name,email (optional: login,section) to name the students")
    export.add_argument("--column", help="the grade column's name (default: the assignment id); for Canvas, "
                                         "'Name (assignment number)' updates that assignment")
    export.add_argument("--reports", type=Path, help="the reports folder holding gradebook.sqlite (default: reports/<assignment id>)")


def run(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.scoring import batch_grades, manual_by_student
    from reports import export as formats
    from reports.render import submission_stem

    reports_dir = args.reports or Path("reports") / assignment.id
    if not (reports_dir / "gradebook.sqlite").is_file():
        raise SpecError(f"{reports_dir}: no gradebook.sqlite here; grade the assignment first (or give --reports)")
    with Gradebook(reports_dir / "gradebook.sqlite") as book:
        records, manual = book.records(assignment.id), book.all_manual_scores(assignment.id)
    grades = batch_grades(records, assignment, manual)
    roster = load_roster(args.roster).by_id() if args.roster else {}
    unlisted = sorted({r.student for r in records} - set(roster)) if roster else []
    if unlisted:
        console.print(f"[yellow]warning:[/yellow] not in the roster, exported by student id: {said(', '.join(unlisted))}",
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
    console.print(f"{len(records)} submissions exported for {args.format} to {said(args.out)}", highlight=False)
    return 0
