"""`grade build`: a homework's notebooks, demos, student kit and autograder, from its source."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from graders.cli.terminal import console, said
from graders.spec import Assignment

NAME = "build"


def add_parser(verbs: argparse._SubParsersAction) -> None:
    build = verbs.add_parser(NAME, help="build a homework from its source: notebooks, demos, student kit, autograder")
    build.add_argument("assignment", type=Path)
    build.add_argument("--out", type=Path, default=Path("dist"),
                       help="where <id>/student and <id>/autograder go (default: dist)")


def run(assignment: Assignment, args: argparse.Namespace) -> int:
    from graders.build.release import build_release, write_release

    started = time.monotonic()
    with console.status(f"building {assignment.id}…"):
        release = build_release(assignment)
        changed = write_release(release, args.out)
    kits = args.out / assignment.id
    console.print(f"{assignment.id} built in {time.monotonic() - started:.1f} s: {said(kits / 'student')} "
                  f"({len(release.student_kit)} files), {said(kits / 'autograder')} ({len(release.autograder)} files); "
                  f"{len(changed)} of {len(release.generated)} files in {said(args.assignment)} changed", highlight=False)
    return 0
