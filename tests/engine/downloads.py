"""LMS downloads generated for the intake tests: Moodle folders and zips, Canvas zips, hostile zips."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

import nbformat

from tests.engine.toy import notebook

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
DEADLINE = dt.datetime(2024, 11, 20, 23, 59, tzinfo=TEHRAN)
ROSTER = (
    "\ufeffid,name,email\n"  # Excel writes a byte-order mark
    "98001,Ali Rezaei,ali.rezaei@uni.ac.ir\n"
    "98002,زهرا نيك‌پور,zahra@uni.ac.ir\n"  # Arabic ي and ك, a ZWNJ: Moodle has the Persian forms
    "98003,John Smith,jsmith@uni.edu\n"
    "98004,Carol Jones,carol@uni.edu\n"
)


def notebook_bytes(*sources: str) -> bytes:
    """A notebook's file content; the same sources give the same bytes (cell ids are fixed)."""
    nb = notebook(*sources)
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"
    return nbformat.writes(nb).encode("utf-8")


def write_zip(path: Path, entries: Iterable[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, (2024, 11, 20, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return path


def entry(name: str, date_time: tuple[int, ...], utc_seconds: int | None = None, mode: int | None = None) -> zipfile.ZipInfo:
    """A zip entry with a DOS time, optionally an extended (UTC) time stamp and a Unix file mode."""
    info = zipfile.ZipInfo(name, date_time)
    if utc_seconds is not None:
        info.extra = struct.pack("<HHBI", 0x5455, 5, 1, utc_seconds)
    if mode is not None:
        info.create_system = 3
        info.external_attr = mode << 16
    return info


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def moodle_folder(root: Path) -> Path:
    """A Moodle "download all submissions" folder, as unzipped:
    Ali: two notebooks (the newer is hw4), on time; Zahra: a notebook in a zip, late;
    John: only a PDF; Mallory: not in the roster; Bob: online text only."""
    files = {
        "Ali Rezaei_501_assignsubmission_file_/draft.ipynb": (notebook_bytes("x = 1"), "2024-11-19T10:00:00+03:30"),
        "Ali Rezaei_501_assignsubmission_file_/hw4.ipynb": (notebook_bytes("x = 2"), "2024-11-20T22:00:00+03:30"),
        "زهرا نیک‌پور_502_assignsubmission_file_/work.zip": (zip_bytes([("hw4/hw4.ipynb", notebook_bytes("x = 3"))]),
                                                             "2024-11-21T01:00:00+03:30"),
        "John Smith_503_assignsubmission_file_/answers.pdf": (b"%PDF-1.4", "2024-11-20T10:00:00+03:30"),
        "Mallory Evil_504_assignsubmission_file_/hw4.ipynb": (notebook_bytes("x = 4"), "2024-11-20T10:00:00+03:30"),
        "Bob Brown_505_assignsubmission_onlinetext_/onlinetext.html": (b"<p>hi</p>", "2024-11-20T10:00:00+03:30"),
    }
    for name, (content, time) in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        stamp = dt.datetime.fromisoformat(time).timestamp()
        os.utime(path, (stamp, stamp))
    return root


def zip_folder(folder: Path, path: Path) -> Path:
    """Zip a folder the way Moodle does: entries with DOS times (local time, no zone)."""
    entries = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        local = dt.datetime.fromtimestamp(file.stat().st_mtime, TEHRAN)
        info = zipfile.ZipInfo(file.relative_to(folder).as_posix(), local.timetuple()[:6])
        entries.append((info, file.read_bytes()))
    return write_zip(path, entries)


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    return entry(name, (2024, 11, 20, 12, 0, 0), mode=stat.S_IFLNK | 0o777), target.encode()


def patch_flags(path: Path, name: str, set_bits: int = 0, clear_bits: int = 0) -> None:
    """Change an entry's general-purpose flags in both its headers (zipfile itself would not write these)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode("utf-8")
    for signature, flags_at, name_length_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            length = int.from_bytes(data[at + name_length_at:at + name_length_at + 2], "little")
            if data[at + name_at:at + name_at + length] == encoded:
                flags = int.from_bytes(data[at + flags_at:at + flags_at + 2], "little")
                data[at + flags_at:at + flags_at + 2] = ((flags | set_bits) & ~clear_bits).to_bytes(2, "little")
            at += 4
    path.write_bytes(bytes(data))
