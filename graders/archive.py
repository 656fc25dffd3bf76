"""Reading a download of submissions safely: a folder, or a zip with student zips inside it.

Every file comes out as a `DownloadFile` (its path inside the download, its time stamp, a way
to read it); everything that cannot be read safely comes out as a `Refused` with a one-line
reason naming the archive and the entry. Zips are hostile input: nothing is ever extracted to
disk by name, so a `../` or absolute entry name cannot write anywhere (it is refused); symbolic
links, devices and encrypted entries are refused; the number of entries and the uncompressed
size are capped before anything is decompressed (zip bombs); a zip inside the download is
opened, a zip inside that one is not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class ArchiveLimits:
    files: int  # entries, folders included
    total_bytes: int  # uncompressed, all entries together
    file_bytes: int  # uncompressed, one entry


DOWNLOAD_LIMITS = ArchiveLimits(files=20_000, total_bytes=4 * 2**30, file_bytes=256 * 2**20)
STUDENT_ZIP_LIMITS = ArchiveLimits(files=2_000, total_bytes=512 * 2**20, file_bytes=256 * 2**20)

_UNIX = 3  # ZipInfo.create_system of zips made on Unix: the high 16 bits of external_attr are st_mode
_EXTENDED_TIMESTAMP = 0x5455  # "UT" extra field: modification time as UTC seconds
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# what reading a damaged (or unsupported: deflate64, lzma without the module) entry raises
_DAMAGE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError)
_SPOOLED_IN_MEMORY = 16 * 2**20  # a larger student zip is copied to a temporary file while it is read


class ArchiveError(Exception):
    """A download that cannot be read at all; the message names it and the problem."""


@dataclass(frozen=True)
class DownloadFile:
    parts: tuple[str, ...]  # path inside the download, one item per folder level
    origin: str  # where it came from, for messages: "hw4.zip: Ali_1_assignsubmission_file_/hw4.ipynb"
    time: dt.datetime | None  # zone-aware modification time, when known
    size: int
    read: Callable[[], bytes]

    @property
    def name(self) -> str:
        return self.parts[-1]


@dataclass(frozen=True)
class Refused:
    origin: str
    reason: str


@dataclass(frozen=True)
class Download:
    files: tuple[DownloadFile, ...]
    refused: tuple[Refused, ...]


@contextlib.contextmanager
def open_download(source: Path, zone: dt.tzinfo, limits: ArchiveLimits = DOWNLOAD_LIMITS,
                  student_zip_limits: ArchiveLimits = STUDENT_ZIP_LIMITS) -> Iterator[Download]:
    """The files of a folder or zip; readable until the context ends. `zone` is the time zone of
    zip time stamps that carry none (those made on Windows or by PHP)."""
    with contextlib.ExitStack() as stack:
        reader = _Reader(stack, zone, limits, student_zip_limits)
        if source.is_dir():
            reader.walk_folder(source)
        elif source.is_file():
            try:
                download = _open_zip(source)
            except ArchiveError as err:
                raise ArchiveError(f"{source.name}: {err}") from None
            reader.read_zip(download, source.name, (), limits)
        else:
            raise ArchiveError(f"{source}: no such folder or zip file")
        yield Download(tuple(reader.files), tuple(reader.refused))


class _Reader:
    def __init__(self, stack: contextlib.ExitStack, zone: dt.tzinfo, limits: ArchiveLimits,
                 student_zip_limits: ArchiveLimits):
        self.stack = stack
        self.zone = zone
        self.limits = limits
        self.student_zip_limits = student_zip_limits
        self.files: list[DownloadFile] = []
        self.refused: list[Refused] = []

    def walk_folder(self, root: Path) -> None:
        for folder, subfolders, names in os.walk(root):
            here = Path(folder)
            for name in sorted(subfolders + names):
                path = here / name
                parts = path.relative_to(root).parts
                origin = "/".join(parts).encode("utf-8", "backslashreplace").decode("utf-8")
                mode = path.lstat().st_mode
                if origin != "/".join(parts) or _CONTROL.search(origin):
                    self.refused.append(Refused(origin, "the name is not valid text (undecodable or control "
                                                        "characters)"))
                    subfolders[:] = [s for s in subfolders if s != name]
                elif stat.S_ISLNK(mode):
                    self.refused.append(Refused(origin, "a symbolic link, not a file"))
                elif stat.S_ISDIR(mode):
                    continue  # os.walk goes into it
                elif not stat.S_ISREG(mode):
                    self.refused.append(Refused(origin, "not a regular file"))
                else:
                    self._add_folder_file(path, parts, origin)

    def _add_folder_file(self, path: Path, parts: tuple[str, ...], origin: str) -> None:
        info = path.lstat()
        time = dt.datetime.fromtimestamp(info.st_mtime, dt.timezone.utc)
        if _is_zip(path.name):
            try:
                archive = _open_zip(path)
            except ArchiveError as err:
                self.refused.append(Refused(origin, str(err)))
                return
            self.read_zip(archive, origin, parts, self.student_zip_limits, student_zip_time=time)
            return
        if info.st_size > self.limits.file_bytes:
            self.refused.append(Refused(origin, _too_large(info.st_size, self.limits.file_bytes)))
            return
        self.files.append(DownloadFile(parts, origin, time, info.st_size, path.read_bytes))

    def read_zip(self, archive: zipfile.ZipFile, label: str, prefix: tuple[str, ...], limits: ArchiveLimits,
                 student_zip_time: dt.datetime | None = None) -> None:
        """Add the zip's files under `prefix`. A student zip (one inside the download) is refused whole
        when over its limits, and its files get its own time: the upload's, not the student's saves."""
        nested = prefix != ()
        self.stack.enter_context(archive)
        entries = archive.infolist()
        declared = sum(info.file_size for info in entries)
        problem = ""
        if len(entries) > limits.files:
            problem = f"{len(entries)} entries; the limit is {limits.files}"
        elif declared > limits.total_bytes:
            problem = f"{_mb(declared)} uncompressed; the limit is {_mb(limits.total_bytes)}"
        if problem and not nested:
            raise ArchiveError(f"{label}: refused: {problem} (a zip bomb? else split the download)")
        if problem:
            self.refused.append(Refused(label, f"a student zip of {problem}"))
            return
        for info in entries:
            self._add_entry(archive, info, label, prefix, limits, student_zip_time)

    def _add_entry(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, prefix: tuple[str, ...],
                   limits: ArchiveLimits, student_zip_time: dt.datetime | None) -> None:
        name = _entry_name(info)
        origin = f"{label}: {name}"
        parts, problem = _safe_parts(name)
        if not problem:
            problem = _entry_problem(info, limits)
        if problem:
            self.refused.append(Refused(origin, problem))
            return
        if info.is_dir():
            return
        nested = prefix != ()
        parts = prefix + parts
        time = student_zip_time if nested else _zip_time(info, self.zone)
        if _is_zip(name):
            if nested:
                self.refused.append(Refused(origin, "a zip inside a zip inside the download: not opened "
                                                    "(one level of zips at most)"))
                return
            try:
                inner = _open_zip(self._spool(archive, info))
            except ArchiveError as err:
                self.refused.append(Refused(origin, str(err)))
                return
            self.read_zip(inner, origin, parts, self.student_zip_limits, student_zip_time=time)
            return
        self.files.append(DownloadFile(parts, origin, time, info.file_size,
                                       lambda: _read_entry(archive, info)))


    def _spool(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
        """A student zip copied out of the download (to disk when large), open until the context ends."""
        spool = self.stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOLED_IN_MEMORY))
        try:
            with archive.open(info) as stream:
                shutil.copyfileobj(stream, spool)
        except _DAMAGE as err:
            raise ArchiveError(f"damaged entry ({_first_line(err)})") from None
        spool.seek(0)
        return spool


def _open_zip(file: Path | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
        raise ArchiveError(f"not a readable zip file ({_first_line(err)})") from None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The entry's bytes, never more than it declares (zipfile stops there); damage raises ArchiveError."""
    try:
        with archive.open(info) as stream:
            return stream.read(info.file_size + 1)
    except _DAMAGE as err:
        raise ArchiveError(f"damaged entry ({_first_line(err)})") from None


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; names stored in UTF-8 without the UTF-8 flag (Windows, Persian names) are repaired."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("utf-8")
    return name


def _safe_parts(name: str) -> tuple[tuple[str, ...], str]:
    """The entry's path as parts, or why it is refused (absolute, leaving the archive, control characters)."""
    if _CONTROL.search(name):
        return (), "control characters in the name"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"[A-Za-z]:", unified):
        return (), "an absolute path"
    parts = tuple(part for part in unified.split("/") if part not in ("", "."))
    if ".." in parts:
        return (), "the path leads outside the archive (..)"
    if not parts:
        return (), "an empty name"
    return parts, ""


def _entry_problem(info: zipfile.ZipInfo, limits: ArchiveLimits) -> str:
    mode = info.external_attr >> 16
    if info.create_system == _UNIX and stat.S_IFMT(mode):
        if stat.S_ISLNK(mode):
            return "a symbolic link, not a file"
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            return "not a regular file"
    if info.flag_bits & 0x1:
        return "encrypted: cannot be read"
    if info.file_size > limits.file_bytes:
        return _too_large(info.file_size, limits.file_bytes)
    return ""


def _zip_time(info: zipfile.ZipInfo, zone: dt.tzinfo) -> dt.datetime | None:
    """The UTC time of the extended-timestamp field when there is one, else the DOS time read in `zone`."""
    extra = info.extra
    while len(extra) >= 4:
        kind, size = struct.unpack("<HH", extra[:4])
        body = extra[4:4 + size]
        if kind == _EXTENDED_TIMESTAMP and len(body) >= 5 and body[0] & 1:
            return dt.datetime.fromtimestamp(struct.unpack("<I", body[1:5])[0], dt.timezone.utc)
        extra = extra[4 + size:]
    try:
        return dt.datetime(*info.date_time, tzinfo=zone)
    except ValueError:  # a zeroed DOS date
        return None


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def _too_large(size: int, limit: int) -> str:
    return f"{_mb(size)} uncompressed; the limit for one file is {_mb(limit)}"


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
