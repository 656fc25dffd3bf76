"""Hostile zips: path traversal, links, devices, nesting, bombs. Each problem is refused with a
one-line reason naming the zip and the entry; nothing is written outside the staging folder and
the other students' notebooks are still taken in."""

from __future__ import annotations

import datetime as dt
import stat
import zipfile

import pytest

from graders.archive import ArchiveLimits, open_download
from graders.intake import IntakeError, take_in
from tests.engine.downloads import (
    entry,
    notebook_bytes,
    patch_flags,
    symlink_entry,
    write_zip,
    zip_bytes,
)

GOOD = ("Ali Rezaei_501_assignsubmission_file_/hw4.ipynb", notebook_bytes("a = 1"))


def test_hostile_entries_are_refused_one_by_one(tmp_path):
    sneaky = notebook_bytes("import os")
    student_zip = zip_bytes([("hw4.ipynb", notebook_bytes("b = 1")), ("deeper.zip", zip_bytes([("x.ipynb", sneaky)]))])
    download = write_zip(tmp_path / "hw4.zip", [
        GOOD,
        ("../../escaped.ipynb", sneaky),
        ("/etc/cron.d/evil.ipynb", sneaky),
        ("C:/Windows/evil.ipynb", sneaky),
        ("Eve_502_assignsubmission_file_/..\\..\\..\\escaped2.ipynb", sneaky),
        symlink_entry("Eve_502_assignsubmission_file_/link.ipynb", "/etc/passwd"),
        (entry("Eve_502_assignsubmission_file_/fifo.ipynb", (2024, 11, 20, 12, 0, 0), mode=stat.S_IFIFO | 0o644), b""),
        ("Eve_502_assignsubmission_file_/secret.ipynb", sneaky),
        ("Eve_502_assignsubmission_file_/bell\x07.ipynb", sneaky),
        ("Sara Ahmadi_503_assignsubmission_file_/work.zip", student_zip),
    ])
    patch_flags(download, "Eve_502_assignsubmission_file_/secret.ipynb", set_bits=0x1)  # encrypted
    staging = tmp_path / "out" / "staged"

    intake = take_in(download, staging)

    refused = {item.file: item.reason for item in intake.with_status("refused")}
    assert refused == {
        "hw4.zip: ../../escaped.ipynb": "the path leads outside the archive (..)",
        "hw4.zip: /etc/cron.d/evil.ipynb": "an absolute path",
        "hw4.zip: C:/Windows/evil.ipynb": "an absolute path",
        "hw4.zip: Eve_502_assignsubmission_file_/..\\..\\..\\escaped2.ipynb": "the path leads outside the archive (..)",
        "hw4.zip: Eve_502_assignsubmission_file_/link.ipynb": "a symbolic link, not a file",
        "hw4.zip: Eve_502_assignsubmission_file_/fifo.ipynb": "not a regular file",
        "hw4.zip: Eve_502_assignsubmission_file_/secret.ipynb": "encrypted: cannot be read",
        "hw4.zip: Eve_502_assignsubmission_file_/bell\x07.ipynb": "control characters in the name",
        "hw4.zip: Sara Ahmadi_503_assignsubmission_file_/work.zip: deeper.zip":
            "a zip inside a zip inside the download: not opened (one level of zips at most)",
    }
    assert sorted(p.name for p in staging.iterdir()) == ["Ali-Rezaei_501.ipynb", "Sara-Ahmadi_503.ipynb"]
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert written == {"hw4.zip", "out", "out/staged", "out/staged/Ali-Rezaei_501.ipynb",
                       "out/staged/Sara-Ahmadi_503.ipynb"}


def test_a_download_declaring_too_many_bytes_is_refused_before_decompressing(tmp_path):
    path = write_zip(tmp_path / "bomb.zip", [("a.ipynb", b"{}"), ("b.ipynb", b"{}")])
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # central directory: declare 4 GB each
        data[at + 24:at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        at += 4
    path.write_bytes(bytes(data))

    with pytest.raises(IntakeError) as err:
        take_in(path, tmp_path / "staged")
    assert str(err.value).startswith("bomb.zip: refused: 8,192 MB uncompressed; the limit is 4,096 MB")


def test_a_student_zip_over_its_limits_is_refused_whole(tmp_path):
    many = zip_bytes([(f"f{n}.py", b"") for n in range(2_001)])
    download = write_zip(tmp_path / "hw4.zip", [GOOD, ("Eve_502_assignsubmission_file_/many.zip", many)])

    intake = take_in(download, tmp_path / "staged")

    (refused,) = intake.with_status("refused")
    assert refused.file == "hw4.zip: Eve_502_assignsubmission_file_/many.zip"
    assert refused.reason == "a student zip of 2001 entries; the limit is 2000"
    assert [item.student for item in intake.with_status("chosen")] == ["Ali-Rezaei_501"]


def test_decompressed_bytes_never_exceed_the_caps(tmp_path):
    zeros = b"\0" * (3 * 2**20)  # compresses to a few kilobytes
    download = write_zip(tmp_path / "d.zip", [("big.ipynb", zeros), ("small.ipynb", b"{}"),
                                              ("s.zip", zip_bytes([("inner.ipynb", zeros)]))])
    tight = ArchiveLimits(files=10, total_bytes=8 * 2**20, file_bytes=2**20)

    with open_download(download, dt.timezone.utc, tight, tight) as found:
        assert [f.origin for f in found.files] == ["d.zip: small.ipynb"]
        assert {r.origin: r.reason for r in found.refused} == {
            "d.zip: big.ipynb": "3 MB uncompressed; the limit for one file is 1 MB",
            "d.zip: s.zip: inner.ipynb": "3 MB uncompressed; the limit for one file is 1 MB",
        }


def test_not_a_zip_is_one_clear_error(tmp_path):
    path = tmp_path / "download.zip"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(IntakeError, match=r"^download.zip: not a readable zip file \(File is not a zip file\)$"):
        take_in(path, tmp_path / "staged")
    with pytest.raises(IntakeError, match="no such folder or zip file"):
        take_in(tmp_path / "missing.zip", tmp_path / "staged")


def test_persian_names_stored_without_the_utf8_flag_are_repaired(tmp_path):
    download = write_zip(tmp_path / "d.zip", [("زهرا نیک‌پور_502_assignsubmission_file_/hw4.ipynb",
                                               notebook_bytes("a = 1"))])
    patch_flags(download, "زهرا نیک‌پور_502_assignsubmission_file_/hw4.ipynb", clear_bits=0x800)  # as Windows writes
    assert "زهرا" not in zipfile.ZipFile(download).namelist()[0]  # zipfile alone reads it as cp437

    intake = take_in(download, tmp_path / "staged")

    assert [item.student for item in intake.with_status("chosen")] == ["زهرا-نیکپور_502"]
