"""`grade similarity`: compare the code of the submissions (copy detection)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from graders.cli.grade import take_in_submissions
from graders.cli.options import intake_options
from graders.cli.terminal import console, out
from graders.similarity import SIMILARITY_THRESHOLD
from graders.spec import Assignment
from graders.text import plain

NAME = "similarity"


def add_parser(verbs: argparse._SubParsersAction) -> None:
    similarity = verbs.add_parser(NAME, help="compare the code of the submissions (copy detection)")
    similarity.add_argument("assignment", type=Path)
    similarity.add_argument("--out", type=Path, help="where similarity.csv and .html go (default: reports/<assignment id>)")
    similarity.add_argument("--threshold", type=float, default=SIMILARITY_THRESHOLD,
                            help=f"pairs at or above this score are listed and shown (default: {SIMILARITY_THRESHOLD})")
    intake_options(similarity)


def run(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.similarity import compare_submissions
    from reports.similarity import write_similarity

    out_dir = (args.out or Path("reports") / assignment.id).resolve()
    with tempfile.TemporaryDirectory(prefix="grade-similarity-") as scratch:
        intake = take_in_submissions(assignment, args, Path(scratch))
        with console.status(f"comparing the code of {len(intake.notebooks)} submissions…"):
            comparison = compare_submissions(intake.notebooks, assignment.student_notebook)
    csv_path, html_path = write_similarity(comparison, assignment, out_dir, args.threshold)
    flagged = [pair for pair in comparison.pairs if pair.score >= args.threshold]
    for pair in flagged[:20]:
        out.print(plain(f"{pair.score:.2f}  {pair.a}  {pair.b}"), markup=False, highlight=False)
    for skipped in comparison.skipped:
        console.print(plain(f"not compared: {skipped}"), markup=False, highlight=False)
    console.print(f"{len(flagged)} of {len(comparison.pairs)} pairs at or above {args.threshold:.2f}; "
                  f"{csv_path}, {html_path}", markup=False, highlight=False)
    return 0
