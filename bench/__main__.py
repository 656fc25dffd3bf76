"""`python -m bench`: time `grade` against nbgrader and against bare imports; see bench/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console

from bench.cases import Settings, hw9_case, ray_case, tiny_case
from bench.nbgrader_env import install
from bench.report import commit, machine, print_report, to_json
from bench.results import CaseResult
from bench.timing import BenchError
from graders.paths import REPO_ROOT

CASES = ("tiny", "hw9", "ray")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repeats", type=_positive_int, default=3, help="timed runs of each contender (default 3)")
    parser.add_argument("--only", choices=CASES, action="append", help="run only this case (may be repeated)")
    parser.add_argument("--hw9-submissions", type=_positive_int, default=4, help="pass-only hw9 notebooks (default 4)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".bench",
                        help="work folder; nbgrader's venv is kept here between runs (default .bench/)")
    parser.add_argument("--keep", action="store_true", help="keep this run's folder (notebooks, logs, reports)")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _load() -> tuple[float, ...]:
    """The load averages (1, 5, 15 min): how busy the machine was while it was measured."""
    return tuple(round(value, 2) for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    work = args.work.resolve()
    started = dt.datetime.now(dt.timezone.utc)
    folder = work / f"run-{started:%Y%m%d-%H%M%S}"
    home = folder / "home"
    console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 120)  # a file gets whole lines

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    about = {"date": started.isoformat(timespec="seconds"), "machine": machine(), "commit": commit(),
             "repeats": args.repeats, "load_before": _load(), "nbgrader": None}
    results: list[CaseResult] = []
    try:
        for case in args.only or CASES:
            say(f"case {case}")
            settings = Settings(folder / case, home, args.repeats, say)
            if case == "tiny":
                nbgrader = install(work / "nbgrader-venv", home, say)
                about["nbgrader"] = nbgrader.version
                results.append(tiny_case(settings, nbgrader))
            elif case == "hw9":
                results.append(hw9_case(settings, args.hw9_submissions))
            else:
                results.append(ray_case(settings))
    except BenchError as err:
        console.print(f"bench: error: {err}", highlight=False, markup=False)
        return 2
    finally:
        if args.keep:
            say(f"this run's files are in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    about["load_after"] = _load()
    print_report(results, about, console)
    if args.json:
        args.json.write_text(to_json(results, about), encoding="utf-8")
    return 1 if any(result.mismatches for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
