"""Intake: an LMS download in, one notebook per student out, ready for the batch.

    take_in(download, staging, roster=…, deadline=…) -> Intake

reads a plain folder, a Moodle or Canvas download (folder or zip; see graders/layouts.py),
works out whose each file is (from the roster when there is one, else from the LMS's id and
name), keeps each student's latest notebook, flags late ones, and copies the chosen notebooks
to `staging/<student id>.ipynb` as regular files: the batch grades that folder as it always
has. Every file of the download is accounted for in `Intake.items` (chosen, superseded,
unmatched, not a notebook, refused, each with its reason), saved beside the reports as
`intake.json`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graders.archive import ArchiveError, DownloadFile, open_download
from graders.layouts import (
    LAYOUTS,
    Claim,
    claim,
    detect_layout,
    is_system_file,
    wrapper_folder,
)
from graders.record import write_atomically
from graders.roster import Roster
from graders.submission import student_id
from graders.text import plain

MANIFEST_VERSION = 1
STATUSES = ("chosen", "superseded", "unmatched", "not_notebook", "refused")
NOTEBOOK_SUFFIX = ".ipynb"


class IntakeError(Exception):
    """A download that gives nothing to grade; the message names it and the problem."""


@dataclass(frozen=True)
class IntakeItem:
    """One file of the download and what became of it."""

    file: str  # where it is in the download
    status: str  # one of STATUSES
    student: str = ""  # the student id it belongs to, when known
    name: str = ""  # the student's name as the LMS wrote it
    lms_id: str = ""  # Moodle participant id / Canvas user id
    time: str = ""  # ISO 8601 time stamp, when known
    late: bool = False
    reason: str = ""  # why it is not graded (unmatched, not a notebook, refused, superseded)
    staged: str = ""  # the staged file's name, for the chosen notebook


@dataclass(frozen=True)
class Intake:
    source: str
    layout: str
    deadline: str  # ISO 8601, or "" when the spec has none
    roster: str  # the roster file, or ""
    items: tuple[IntakeItem, ...]
    missing: tuple[str, ...]  # roster students with no notebook
    staging: str  # the folder of chosen notebooks
    notes: tuple[str, ...] = ()  # what the TA should know about the whole download

    def with_status(self, status: str) -> list[IntakeItem]:
        return [item for item in self.items if item.status == status]

    @property
    def notebooks(self) -> list[Path]:
        """The chosen notebooks, one per student, in the staging folder (what the batch grades)."""
        return sorted(Path(self.staging) / item.staged for item in self.with_status("chosen"))

    def to_json(self) -> str:
        return json.dumps({"version": MANIFEST_VERSION, **dataclasses.asdict(self)}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Intake:
        raw = json.loads(text)
        if raw.pop("version", None) != MANIFEST_VERSION:
            raise ValueError(f"not an intake manifest of version {MANIFEST_VERSION}")
        raw["items"] = tuple(IntakeItem(**item) for item in raw["items"])
        raw["missing"] = tuple(raw["missing"])
        raw["notes"] = tuple(raw["notes"])
        return cls(**raw)

    def save(self, path: Path) -> None:
        write_atomically(path, self.to_json() + "\n")


@dataclass(frozen=True)
class _Candidate:
    file: DownloadFile
    claim: Claim
    student: str


def take_in(source: Path, staging: Path, *, layout: str | None = None, roster: Roster | None = None,
            deadline: dt.datetime | None = None) -> Intake:
    """Read the download, choose each student's latest notebook and copy it to `staging/<id>.ipynb`."""
    if layout is not None and layout not in LAYOUTS:
        raise IntakeError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    zone = deadline.tzinfo if deadline else dt.datetime.now().astimezone().tzinfo
    staging.mkdir(parents=True, exist_ok=True)
    for old in staging.glob(f"*{NOTEBOOK_SUFFIX}"):
        old.unlink()
    try:
        with open_download(source, zone) as download:
            items = [IntakeItem(r.origin, "refused", reason=r.reason) for r in download.refused]
            files = _without_wrapper([f for f in download.files if not is_system_file(f.parts)])
            items += [IntakeItem(f.origin, "not_notebook", reason="operating-system file, not a submission")
                      for f in download.files if is_system_file(f.parts)]
            layout = layout or detect_layout(sorted({f.parts[0] for f in files}))
            candidates, sorted_out = _sort_out(files, layout, roster)
            items += sorted_out
            notes = _untrusted_times(candidates)
            for group in _by_student(candidates).values():
                items += _choose(group, staging, None if notes else deadline)
    except ArchiveError as err:
        raise IntakeError(str(err)) from None
    chosen = {item.student for item in items if item.status == "chosen"}
    if not chosen:
        raise IntakeError(f"{source}: no .ipynb submissions in it" + _why_none(items))
    missing = tuple(s.id for s in roster.students if s.id not in chosen) if roster else ()
    return Intake(source=str(source), layout=layout, deadline=deadline.isoformat() if deadline else "",
                  roster=str(roster.path) if roster else "", items=tuple(sorted(items, key=_item_order)),
                  missing=missing, staging=str(staging), notes=notes)


def _without_wrapper(files: list[DownloadFile]) -> list[DownloadFile]:
    """Files with the one folder everything sits in removed (a download unzipped and zipped again)."""
    if files and wrapper_folder([f.parts for f in files]):
        return [dataclasses.replace(f, parts=f.parts[1:]) for f in files]
    return files


def _sort_out(files: Sequence[DownloadFile], layout: str,
              roster: Roster | None) -> tuple[list[_Candidate], list[IntakeItem]]:
    """Notebooks with a known student, and items for everything else."""
    candidates, items = [], []
    for file in files:
        said = claim(layout, file.parts)
        is_notebook = file.name.lower().endswith(NOTEBOOK_SUFFIX)
        if isinstance(said, str):
            status = "unmatched" if is_notebook else "not_notebook"
            items.append(IntakeItem(file.origin, status, time=_iso(file.time), reason=said))
            continue
        student, problem = _owner(said, layout, roster)
        known = IntakeItem(file.origin, "", student=student, name=said.name, lms_id=said.lms_id, time=_iso(file.time))
        if not is_notebook:
            items.append(dataclasses.replace(known, status="not_notebook", reason="not a Jupyter notebook (.ipynb)"))
        elif problem:
            items.append(dataclasses.replace(known, status="unmatched", reason=problem))
        else:
            candidates.append(_Candidate(file, said, student))
    return candidates, items


def _owner(said: Claim, layout: str, roster: Roster | None) -> tuple[str, str]:
    """(student id, problem): from the roster when there is one, else from the LMS's id and name."""
    if roster is not None:
        match = roster.match(said.lms_id, said.name)
        return (match.student.id, "") if match.student else ("", match.problem)
    if layout == "plain":
        return student_id(Path(said.lms_id + NOTEBOOK_SUFFIX)), ""
    return "_".join(part for part in (readable_id(said.name), said.lms_id) if part), ""


def readable_id(name: str) -> str:
    """A name made safe as (part of) a file name: letters, digits and dashes, NFC, no ZWNJ."""
    text = unicodedata.normalize("NFC", name).replace("\u200c", "")
    return re.sub(r"[\W_]+", "-", text).strip("-")[:60]


def _untrusted_times(candidates: Sequence[_Candidate]) -> tuple[str, ...]:
    """A note when every notebook has one and the same time stamp: the time the zip was made, not
    the uploads' (the LMS's own late flag still counts)."""
    times = {candidate.file.time for candidate in candidates}
    if len(candidates) < 3 or len(times) != 1 or any(c.claim.late is not None for c in candidates):
        return ()
    (time,) = times
    return (f"every notebook has the same time stamp ({_iso(time) or 'none'}), probably the time the zip was made: "
            "lateness is not judged from it, and a student's latest notebook is picked by name",)


def _by_student(candidates: Sequence[_Candidate]) -> dict[str, list[_Candidate]]:
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[candidate.student].append(candidate)
    return groups


def _choose(group: list[_Candidate], staging: Path, deadline: dt.datetime | None) -> list[IntakeItem]:
    """The latest readable notebook is chosen and staged; the others are superseded (or refused)."""
    items, staged = [], ""
    for candidate in sorted(group, key=_recency, reverse=True):
        file, said = candidate.file, candidate.claim
        late = said.late if said.late is not None else bool(deadline and file.time and file.time > deadline)
        item = IntakeItem(file.origin, "superseded", student=candidate.student, name=said.name, lms_id=said.lms_id,
                          time=_iso(file.time), late=late)
        if staged:
            items.append(dataclasses.replace(item, reason=f"a later notebook was chosen: {staged}"))
            continue
        target = staging / f"{candidate.student}{NOTEBOOK_SUFFIX}"
        try:
            target.write_bytes(file.read())
        except ArchiveError as err:
            items.append(dataclasses.replace(item, status="refused", reason=str(err)))
            continue
        except OSError as err:
            items.append(dataclasses.replace(item, status="refused", reason=f"cannot be copied ({err.strerror})"))
            continue
        staged = file.origin
        items.append(dataclasses.replace(item, status="chosen", staged=target.name))
    return items


def _recency(candidate: _Candidate) -> tuple:
    time = candidate.file.time or dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return candidate.claim.sequence, time, candidate.file.origin


def _item_order(item: IntakeItem) -> tuple:
    return STATUSES.index(item.status), item.student, item.file


def _iso(time: dt.datetime | None) -> str:
    return time.isoformat() if time else ""


def _why_none(items: Sequence[IntakeItem]) -> str:
    unmatched = [item for item in items if item.status == "unmatched"]
    if unmatched:
        return f" that match a student ({len(unmatched)} unmatched, e.g. {unmatched[0].file}: {unmatched[0].reason})"
    return ""


def summary_lines(intake: Intake, shown: int = 5) -> list[str]:
    """A one-screen account of the intake for the terminal; LMS names are stripped of control characters."""
    chosen, late = intake.with_status("chosen"), [i for i in intake.with_status("chosen") if i.late]
    lines = [f"intake: {intake.layout} download {intake.source}"
             + (f", roster {Path(intake.roster).name}" if intake.roster else "")
             + (f", deadline {intake.deadline}" if intake.deadline else ""),
             f"  {_count(len(chosen), 'student')} with a notebook: {len(late)} late, "
             f"{_count(len(intake.with_status('superseded')), 'earlier notebook')} superseded",
             *(f"  note: {note}" for note in intake.notes)]
    groups = [
        ("late", "submission", [f"{i.student} ({i.time or 'time unknown'})" for i in late]),
        ("unmatched, not graded", "notebook", [f"{i.file} — {i.reason}" for i in intake.with_status("unmatched")]),
        ("refused, not graded", "file", [f"{i.file} — {i.reason}" for i in intake.with_status("refused")]),
        ("not a notebook", "other file", [i.file for i in intake.with_status("not_notebook")]),
        ("no notebook", "roster student", list(intake.missing)),
    ]
    for title, noun, entries in groups:
        if entries:
            lines.append(f"  {title}: {_count(len(entries), noun)}")
            lines += [f"    {entry}" for entry in entries[:shown]]
            if len(entries) > shown:
                lines.append(f"    … and {len(entries) - shown} more")
    return [plain(line).replace("\n", " ") for line in lines]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
