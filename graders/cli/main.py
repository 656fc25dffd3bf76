"""Parse the command line and run the verb (`grade ASSIGNMENT` means `grade grade ASSIGNMENT`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from graders.cli import build, check, export, grade, rubric, similarity
from graders.cli.terminal import console, said
from graders.csv_input import CsvInputError
from graders.intake import IntakeError
from graders.jobs import GraderTestsBroken
from graders.roster import RosterError
from graders.sandbox import missing_protections
from graders.spec import Assignment, SpecError, load_assignment


@dataclass(frozen=True)
class Verb:
    name: str
    add_parser: Callable[[argparse._SubParsersAction], None]
    run: Callable[[Assignment, argparse.Namespace], int]
    runs_kernels: bool


VERBS = {verb.name: verb for verb in (
    Verb("grade", grade.add_parser, grade.run, runs_kernels=True),
    Verb("check", check.add_check_parser, check.run_check, runs_kernels=True),
    Verb("ci", check.add_ci_parser, check.run_ci, runs_kernels=True),
    Verb("rubric", rubric.add_parser, rubric.run, runs_kernels=False),
    Verb("export", export.add_parser, export.run, runs_kernels=False),
    Verb("similarity", similarity.add_parser, similarity.run, runs_kernels=False),
    Verb("build", build.add_parser, build.run, runs_kernels=False),
)}
# what a user may get wrong: one line, no traceback
USER_ERRORS = (SpecError, GraderTestsBroken, CsvInputError, IntakeError, RosterError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grade", description="Grade deep-learning homework notebooks.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb in VERBS.values():
        verb.add_parser(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in VERBS and not argv[0].startswith("-"):
        argv.insert(0, "grade")
    args = build_parser().parse_args(argv)
    verb = VERBS[args.verb]
    try:
        assignment = load_assignment(args.assignment)
        if verb.runs_kernels:
            for problem in missing_protections(use_bwrap=not args.no_sandbox):
                console.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)
        return verb.run(assignment, args)
    except USER_ERRORS as err:
        console.print(f"[red]grade: error:[/red] {said(err)}", highlight=False)
        return 2
