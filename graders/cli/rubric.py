"""`grade rubric`: TAs' scores for the rubric items, one at a time or as a CSV sheet of all of them."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from graders.cli.terminal import console, said
from graders.gradebook import Gradebook, ManualScore
from graders.record import write_atomically
from graders.spec import Assignment, SpecError
from reports.points import format_points

NAME = "rubric"


def add_parser(verbs: argparse._SubParsersAction) -> None:
    rubric = verbs.add_parser(NAME, help="TAs' scores for rubric items: one at a time, or a CSV sheet of all of them")
    rubric.add_argument("assignment", type=Path)
    rubric.add_argument("score", nargs="*", metavar="STUDENT QUESTION ITEM POINTS", help="one score")
    sheet = rubric.add_mutually_exclusive_group()
    sheet.add_argument("--export", type=Path, metavar="FILE",
                       help="write the sheet: every student and rubric item, scores given so far filled in")
    sheet.add_argument("--import", dest="import_", type=Path, metavar="FILE",
                       help="record a filled-in sheet (all rows or none)")
    rubric.add_argument("--comment", default="", help="with one score: the TA's comment")
    rubric.add_argument("--grader", default=_user(), help="who is scoring (default: the login name)")
    rubric.add_argument("--out", type=Path,
                        help="the reports folder holding gradebook.sqlite (default: reports/<assignment id>)")


def run(assignment: Assignment, args: argparse.Namespace) -> int:
    from reports.rubric_sheet import blank_sheet, read_sheet

    out_dir = args.out or Path("reports") / assignment.id
    sheet = args.export or args.import_
    if sheet and args.score or not sheet and len(args.score) != 4:
        raise SpecError("give either STUDENT QUESTION ITEM POINTS, or --export FILE, or --import FILE")
    with Gradebook(out_dir / "gradebook.sqlite") as book:
        students = sorted({r.student for r in book.records(assignment.id)})
        if args.export:
            write_atomically(args.export, blank_sheet(assignment, students, book.all_manual_scores(assignment.id)))
            console.print(f"{len(students)} students' rubric sheet written to {said(args.export)}", highlight=False)
            return 0
        scores = read_sheet(args.import_, assignment, students, args.grader) if args.import_ else \
            [_one_score(assignment, args)]
        book.set_manual_scores(assignment.id, scores)
    console.print(f"{len(scores)} rubric score(s) recorded; re-run `grade {said(args.assignment)}` to update the "
                  "reports", highlight=False)
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


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
