"""The layouts of a download of submissions, and what a file's path in one says about it.

plain    `<student>.ipynb` (or `<student>.zip`) at the top: the name is the student.
moodle   "Download all submissions": a folder per student and plugin,
         `<Full Name>_<participant id>_assignsubmission_file_/<the student's files>`, or, with
         "download submissions in folders" off, files `<Full Name>_<id>_assignsubmission_file_<name>`.
         Moodle writes underscores in names as spaces; blind marking writes "Participant".
canvas   "Download Submissions": flat files `<name>[_LATE]_<user id>_<attachment id>_<file name>`,
         the name being the sortable name ("Last, First") lower-cased with everything but
         letters and digits removed, LATE when Canvas counts the submission late (lower case in
         older versions), `anon_<id>` in place of the user id under anonymous grading, and `-1`,
         `-2`… before the extension when a student uploaded the same file name again. Attachment
         ids grow with time, so the largest is the latest upload.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

LAYOUTS = ("plain", "moodle", "canvas")

_MOODLE = re.compile(r"(?P<name>.*)_(?P<id>\d+)_assignsubmission_[a-z]+_.*", re.S)  # [a-z]+: the plugin
_CANVAS = re.compile(
    r"(?:(?P<name>.+?)_)?(?:(?P<late>(?i:late))_)?(?P<id>\d+|anon_[A-Za-z0-9]+)_(?P<attachment>\d+)_.+",
    re.S,
)
_SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}


@dataclass(frozen=True)
class Claim:
    """Whose a file is and how recent, as far as its path in the download says."""

    lms_id: str  # Moodle participant id, Canvas user id (or anon_…); the name in the plain layout
    name: str  # the student's name as the LMS wrote it
    late: bool | None = None  # the LMS's own verdict where it gives one (Canvas)
    sequence: int = 0  # orders uploads where time stamps cannot (Canvas attachment ids)


def detect_layout(tops: Sequence[str]) -> str:
    """The layout most top-level names follow; plain unless Moodle's or Canvas's names are the majority."""
    counts = {layout: sum(1 for top in tops if _pattern(layout).fullmatch(top)) for layout in ("moodle", "canvas")}
    layout, count = max(counts.items(), key=lambda item: item[1])
    return layout if count * 2 > len(tops) else "plain"


def is_system_file(parts: Sequence[str]) -> bool:
    """Folders and files an operating system adds (macOS `__MACOSX/`, `._x`, `.DS_Store`, hidden files)."""
    return any(part.startswith(".") or part.lower() in _SYSTEM_FILES for part in parts)


def wrapper_folder(paths: Sequence[Sequence[str]]) -> bool:
    """True when everything sits in one folder that is not itself a student's (a re-zipped download)."""
    tops = {parts[0] for parts in paths}
    if len(tops) != 1 or any(len(parts) < 2 for parts in paths):
        return False
    (top,) = tops
    return not (_MOODLE.fullmatch(top) or _CANVAS.fullmatch(top))


def claim(layout: str, parts: Sequence[str]) -> Claim | str:
    """What the path says, or why it does not fit the layout."""
    return {"plain": _plain, "moodle": _moodle, "canvas": _canvas}[layout](parts)


def _plain(parts: Sequence[str]) -> Claim | str:
    top = parts[0]
    student_zip = top.lower().endswith(".zip")
    if len(parts) > 1 and not student_zip:
        return "in a subfolder: the plain layout expects <student>.ipynb (or <student>.zip) at the top"
    stem = re.sub(r"\.(ipynb|zip)$", "", top, flags=re.I)
    return Claim(lms_id=stem, name=stem)


def _moodle(parts: Sequence[str]) -> Claim | str:
    match = _MOODLE.fullmatch(parts[0])
    if not match:
        return "the name does not follow Moodle's <Full Name>_<id>_assignsubmission_<plugin>_ pattern"
    return Claim(lms_id=match["id"], name=match["name"].strip())


def _canvas(parts: Sequence[str]) -> Claim | str:
    match = _CANVAS.fullmatch(parts[0])
    if not match:
        return "the name does not follow Canvas's <name>_<user id>_<attachment id>_<file> pattern"
    name, late = match["name"] or "", match["late"] is not None
    if name.lower() == "late" and not late:  # anonymous and late: "LATE_anon_x_…"
        name, late = "", True
    return Claim(lms_id=match["id"], name=name, late=late, sequence=int(match["attachment"]))


def _pattern(layout: str) -> re.Pattern[str]:
    return _MOODLE if layout == "moodle" else _CANVAS
