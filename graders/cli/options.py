"""Options several verbs share, with their checks."""

from __future__ import annotations

import argparse
from pathlib import Path

from graders.data.profiles import PROFILES
from graders.layouts import LAYOUTS
from reports.i18n import LANGUAGES


def kernel_options(parser: argparse.ArgumentParser) -> None:
    """For verbs that run notebooks."""
    parser.add_argument("--profile", choices=PROFILES, default="tiny",
                        help="data profile: bundled tiny data or the real data under $GRADER_DATA")
    parser.add_argument("--no-sandbox", action="store_true", help="run kernels without bubblewrap (resource limits only)")


def intake_options(parser: argparse.ArgumentParser) -> None:
    """For verbs that read a set of submissions."""
    parser.add_argument("--submissions", type=Path, help="a folder of <student>.ipynb files, or a Moodle or Canvas "
                        "download (folder or zip) (default: the assignment's demo submissions)")
    parser.add_argument("--roster", type=Path, help="CSV with the columns id, name, email: maps LMS names and ids "
                        "to student ids")
    parser.add_argument("--layout", choices=LAYOUTS, help="the download's layout (default: detected)")


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def languages(text: str) -> tuple[str, ...]:
    langs = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown or not langs:
        raise argparse.ArgumentTypeError(f"languages must be among {','.join(LANGUAGES)}")
    return langs
