"""Intake of generated downloads in each layout: plain, Moodle (folder and zip), Canvas; no kernels."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest

from graders.intake import Intake, IntakeError, summary_lines, take_in
from graders.roster import load_roster
from graders.submission import student_id
from tests.engine.downloads import (
    DEADLINE,
    ROSTER,
    TEHRAN,
    entry,
    moodle_folder,
    notebook_bytes,
    write_zip,
    zip_bytes,
    zip_folder,
)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return load_roster(path)


def by_status(intake: Intake) -> dict[str, set[str]]:
    """status -> the students (or, without one, the files) with that status."""
    found: dict[str, set[str]] = {}
    for item in intake.items:
        found.setdefault(item.status, set()).add(item.student or item.file)
    return found


def chosen(intake: Intake) -> dict[str, Path]:
    return {item.student: Path(intake.staging) / item.staged for item in intake.with_status("chosen")}


def test_plain_folder_is_graded_as_before_and_only_regular_files_pass(tmp_path):
    folder = tmp_path / "submissions"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / "alice.ipynb").write_bytes(notebook_bytes("a = 1"))
    (folder / "bob smith.ipynb").write_bytes(notebook_bytes("b = 1"))
    (folder / "notes.txt").write_text("hi")
    (folder / ".ipynb_checkpoints" / "alice-checkpoint.ipynb").write_bytes(notebook_bytes("old"))
    (folder / "evil.ipynb").symlink_to("/etc/passwd")
    os.mkfifo(folder / "pipe.ipynb")
    (folder / "extra").mkdir()
    (folder / "extra" / "carol.ipynb").write_bytes(notebook_bytes("c = 1"))

    intake = take_in(folder, tmp_path / "staged")

    assert intake.layout == "plain"
    staged = chosen(intake)
    assert set(staged) == {"alice", "bob_smith"}  # today's ids: the file name, spaces collapsed
    for student, path in staged.items():
        assert path.is_file() and not path.is_symlink() and path.name == f"{student}.ipynb"
    assert staged["alice"].read_bytes() == (folder / "alice.ipynb").read_bytes()
    refused = {item.file: item.reason for item in intake.with_status("refused")}
    assert refused == {"evil.ipynb": "a symbolic link, not a file", "pipe.ipynb": "not a regular file"}
    others = {item.file for item in intake.with_status("not_notebook")}
    assert others == {"notes.txt", ".ipynb_checkpoints/alice-checkpoint.ipynb"}
    (unmatched,) = intake.with_status("unmatched")
    assert unmatched.file == "extra/carol.ipynb" and "subfolder" in unmatched.reason


def test_moodle_folder_with_roster_keeps_the_latest_and_flags_late(tmp_path, roster):
    download = moodle_folder(tmp_path / "download")

    intake = take_in(download, tmp_path / "staged", roster=roster, deadline=DEADLINE)

    assert intake.layout == "moodle"
    staged = chosen(intake)
    assert set(staged) == {"98001", "98002"}
    assert staged["98001"].read_bytes() == notebook_bytes("x = 2")  # hw4.ipynb, newer than draft.ipynb
    assert staged["98002"].read_bytes() == notebook_bytes("x = 3")  # from the student's zip
    items = {(item.student, Path(item.file).name): item for item in intake.items if item.student}
    assert items[("98001", "hw4.ipynb")].late is False
    assert items[("98002", "hw4.ipynb")].late is True  # 01:00 the next day
    # a notebook from a student's zip has the zip's (upload) time, not the time the student saved it
    assert items[("98002", "hw4.ipynb")].time == "2024-11-20T21:30:00+00:00"
    assert items[("98001", "draft.ipynb")].status == "superseded"
    assert "hw4.ipynb" in items[("98001", "draft.ipynb")].reason
    assert items[("98003", "answers.pdf")].status == "not_notebook"
    (mallory,) = intake.with_status("unmatched")
    assert "'Mallory Evil' (id 504) is not in the roster roster.csv" in mallory.reason
    assert intake.missing == ("98003", "98004")
    assert any("onlinetext.html" in item.file for item in intake.with_status("not_notebook"))


def test_moodle_zip_reads_like_the_folder(tmp_path, roster):
    download = zip_folder(moodle_folder(tmp_path / "download"), tmp_path / "hw4.zip")

    from_zip = take_in(download, tmp_path / "staged", roster=roster, deadline=DEADLINE)
    from_folder = take_in(tmp_path / "download", tmp_path / "staged2", roster=roster, deadline=DEADLINE)

    def summary(intake):
        return sorted((i.student, i.status, i.late, dt.datetime.fromisoformat(i.time)) for i in intake.items
                      if i.student)

    assert from_zip.layout == "moodle"
    assert summary(from_zip) == summary(from_folder)  # DOS times are read in the deadline's zone
    assert all(item.file.startswith("hw4.zip: ") for item in from_zip.items)
    assert chosen(from_zip)["98002"].read_bytes() == notebook_bytes("x = 3")


def test_moodle_without_roster_names_students_by_lms_id_and_name(tmp_path):
    intake = take_in(moodle_folder(tmp_path / "download"), tmp_path / "staged")

    ids = set(chosen(intake))
    assert ids == {"Ali-Rezaei_501", "زهرا-نیکپور_502", "Mallory-Evil_504"}
    for student in ids:  # the batch derives the id from the file name: it must come back unchanged
        assert student_id(Path(f"{student}.ipynb")) == student
    assert intake.missing == ()


def test_canvas_zip_with_late_and_resubmitted_files(tmp_path, roster):
    made = (2024, 11, 25, 9, 0, 0)  # Canvas stamps every entry with the time the zip was made
    download = write_zip(tmp_path / "submissions.zip", [
        (entry("rezaeiali_LATE_101_9001_hw4.ipynb", made), notebook_bytes("ali = 1")),
        (entry("smithjohn_102_9002_hw4.ipynb", made), notebook_bytes("john = 'first'")),
        (entry("smithjohn_102_9010_hw4-1.ipynb", made), notebook_bytes("john = 'again'")),
        (entry("smithjohn_102_9003_notes.pdf", made), b"%PDF"),
        (entry("jonescaroline_late_98004_9004_Homework 4.ipynb", made), notebook_bytes("carol = 1")),
        (entry("nobodyhere_105_9005_hw4.ipynb", made), notebook_bytes("who = 1")),
    ])

    intake = take_in(download, tmp_path / "staged", roster=roster, deadline=DEADLINE)

    assert intake.layout == "canvas"
    staged = chosen(intake)
    assert set(staged) == {"98001", "98003", "98004"}  # sortable name "Rezaei, Ali"; Carol by her Canvas id
    assert staged["98003"].read_bytes() == notebook_bytes("john = 'again'")  # the later attachment
    late = {item.student: item.late for item in intake.with_status("chosen")}
    assert late == {"98001": True, "98003": False, "98004": True}  # Canvas's verdict, not the zip's time
    (superseded,) = intake.with_status("superseded")
    assert superseded.file.endswith("smithjohn_102_9002_hw4.ipynb")
    (unmatched,) = intake.with_status("unmatched")
    assert "'nobodyhere' (id 105)" in unmatched.reason
    assert intake.missing == ("98002",)


def test_canvas_anonymous_grading_without_roster(tmp_path):
    download = write_zip(tmp_path / "submissions.zip", [
        ("LATE_anon_x7Q_9006_hw4.ipynb", notebook_bytes("a = 1")),
        ("anon_y8R_9007_hw4.ipynb", notebook_bytes("b = 1")),
        ("anon_y8R_9008_extra.ipynb", notebook_bytes("b = 2")),
    ])

    intake = take_in(download, tmp_path / "staged", layout="canvas")

    assert {i.student: i.late for i in intake.with_status("chosen")} == {"anon_x7Q": True, "anon_y8R": False}
    assert chosen(intake)["anon_y8R"].read_bytes() == notebook_bytes("b = 2")


def test_a_rezipped_download_in_one_folder_is_still_recognised(tmp_path):
    download = write_zip(tmp_path / "all.zip", [
        ("hw4 submissions/Ali Rezaei_501_assignsubmission_file_/hw4.ipynb", notebook_bytes("a = 1")),
        ("hw4 submissions/Sara Ahmadi_502_assignsubmission_file_/hw4.ipynb", notebook_bytes("b = 1")),
        ("__MACOSX/hw4 submissions/._hw4.ipynb", b"\x00\x05\x16\x07"),
    ])

    intake = take_in(download, tmp_path / "staged")

    assert intake.layout == "moodle"
    assert set(chosen(intake)) == {"Ali-Rezaei_501", "Sara-Ahmadi_502"}
    (system,) = intake.with_status("not_notebook")
    assert "__MACOSX" in system.file


def test_a_name_matching_two_roster_students_is_not_guessed(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email\n1,Ali Rezaei,a@x\n2,Ali Rezaei,b@x\n", encoding="utf-8")
    folder = tmp_path / "download" / "Ali Rezaei_501_assignsubmission_file_"
    folder.mkdir(parents=True)
    (folder / "hw4.ipynb").write_bytes(notebook_bytes("a = 1"))

    with pytest.raises(IntakeError) as err:
        take_in(tmp_path / "download", tmp_path / "staged", roster=load_roster(path))
    assert "no .ipynb submissions in it that match a student" in str(err.value)
    assert "'Ali Rezaei' (id 501) matches several students in roster.csv: 1, 2" in str(err.value)


def test_extended_time_stamps_are_exact_and_dos_times_use_the_deadline_zone(tmp_path):
    after = int(dt.datetime(2024, 11, 21, 0, 30, tzinfo=TEHRAN).timestamp())
    download = write_zip(tmp_path / "d.zip", [
        # DOS time says 23:00 (before the deadline); the UTC field says 00:30 the next day
        (entry("Ali Rezaei_501_assignsubmission_file_/hw4.ipynb", (2024, 11, 20, 23, 0, 0), after),
         notebook_bytes("a = 1")),
        (entry("Sara Ahmadi_502_assignsubmission_file_/hw4.ipynb", (2024, 11, 20, 23, 58, 0)), notebook_bytes("b")),
    ])

    intake = take_in(download, tmp_path / "staged", deadline=DEADLINE)

    times = {i.student: (i.time, i.late) for i in intake.with_status("chosen")}
    assert times["Ali-Rezaei_501"] == ("2024-11-20T21:00:00+00:00", True)
    assert times["Sara-Ahmadi_502"] == ("2024-11-20T23:58:00+03:30", False)


def test_one_time_stamp_for_every_file_is_not_taken_for_lateness(tmp_path):
    made = (2024, 11, 25, 9, 0, 0)  # after the deadline: the zip was made then, not the uploads
    download = write_zip(tmp_path / "d.zip", [(entry(f"Student {n}_50{n}_assignsubmission_file_/hw4.ipynb", made),
                                               notebook_bytes(f"n = {n}")) for n in range(3)])

    intake = take_in(download, tmp_path / "staged", deadline=DEADLINE)

    assert [item.late for item in intake.with_status("chosen")] == [False, False, False]
    assert intake.notes and "probably the time the zip was made" in intake.notes[0]
    assert f"  note: {intake.notes[0]}" in summary_lines(intake)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_damaged_latest_notebook_falls_back_to_the_earlier_one(tmp_path, compression):
    path = tmp_path / "d.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("Ali_501_assignsubmission_file_/old.ipynb", (2024, 11, 19, 9, 0, 0)),
                         notebook_bytes("marker = 'OLDER'"), compress_type=compression)
        archive.writestr(zipfile.ZipInfo("Ali_501_assignsubmission_file_/new.ipynb", (2024, 11, 20, 9, 0, 0)),
                         notebook_bytes("marker = 'NEWER'"), compress_type=compression)
        newer = archive.getinfo("Ali_501_assignsubmission_file_/new.ipynb")
    data = bytearray(path.read_bytes())
    start = newer.header_offset + 30 + len(newer.filename)
    data[start:start + 4] = b"\xff" * 4  # a bad CRC (stored), an invalid deflate block type (deflated)
    path.write_bytes(bytes(data))

    intake = take_in(path, tmp_path / "staged")

    assert chosen(intake)["Ali_501"].read_bytes() == notebook_bytes("marker = 'OLDER'")
    (refused,) = intake.with_status("refused")
    assert refused.file.endswith("new.ipynb") and "damaged entry" in refused.reason


def test_the_manifest_round_trips_and_stale_staged_notebooks_go(tmp_path, roster):
    staging = tmp_path / "staged"
    staging.mkdir()
    (staging / "gone.ipynb").write_bytes(b"{}")

    intake = take_in(moodle_folder(tmp_path / "download"), staging, roster=roster, deadline=DEADLINE)
    intake.save(tmp_path / "intake.json")

    assert Intake.from_json((tmp_path / "intake.json").read_text(encoding="utf-8")) == intake
    assert sorted(p.name for p in staging.iterdir()) == ["98001.ipynb", "98002.ipynb"]
    assert intake.notebooks == [staging / "98001.ipynb", staging / "98002.ipynb"]


def test_summary_fits_a_screen_and_strips_terminal_tricks(tmp_path):
    download = write_zip(tmp_path / "d.zip", [
        ("Ali Rezaei_501_assignsubmission_file_/hw4.ipynb", notebook_bytes("a = 1")),
        *((f"Evil\u202e{n}_50{n}_assignsubmission_file_/hw4.ipynb", notebook_bytes("x")) for n in range(2, 10)),
    ])
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email\n1,Ali Rezaei,a@x\n", encoding="utf-8")

    lines = summary_lines(take_in(download, tmp_path / "staged", roster=load_roster(path)))

    assert lines[1] == "  1 student with a notebook: 0 late, 0 earlier notebooks superseded"
    assert "  unmatched, not graded: 8 notebooks" in lines
    assert "    … and 3 more" in lines
    assert len(lines) < 15
    assert not any("\u202e" in line or "\x1b" in line for line in lines)


def test_a_notebook_that_cannot_be_staged_is_refused_not_fatal(tmp_path):
    long_name = "a" * 250  # fits as <name>.zip, not as <name>.ipynb (255 bytes at most)
    download = write_zip(tmp_path / "d.zip", [(f"{long_name}.zip", zip_bytes([("hw.ipynb", notebook_bytes("a"))])),
                                              ("bob.ipynb", notebook_bytes("b"))])

    intake = take_in(download, tmp_path / "staged")

    assert [item.student for item in intake.with_status("chosen")] == ["bob"]
    (refused,) = intake.with_status("refused")
    assert refused.reason == "cannot be copied (File name too long)"
