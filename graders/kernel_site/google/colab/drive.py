"""`drive.mount`: MyDrive holds the files the course provides instead of a student's Drive.

MyDrive is a folder of the kernel's own (writable, as on Colab) holding links to the course's
files, read-only: the assignment's Drive folder (`GRADER_DRIVE`) and each of its datasets under
its name (`cifar10` -> the folder CIFAR10_DIR names).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from grader_offline.offline import assignment_datasets, note, variable


def _course_files() -> Iterator[tuple[str, Path]]:
    drive = os.environ.get("GRADER_DRIVE", "")
    if drive and os.path.isdir(drive):
        yield from ((entry.name, entry) for entry in sorted(Path(drive).iterdir()))
    for dataset in assignment_datasets():
        folder = os.environ.get(variable(dataset), "")
        if folder and os.path.isdir(folder):
            yield dataset, Path(folder)


def mount(mountpoint: str = "/content/drive", force_remount: bool = False, timeout_ms: int = 120000,
          readonly: bool = False) -> None:
    """Make <mountpoint>/MyDrive the course's files (Colab asks for a Google sign-in here)."""
    my_drive = Path(mountpoint).expanduser() / "MyDrive"
    try:
        my_drive.mkdir(parents=True, exist_ok=True)
        for name, source in _course_files():
            link = my_drive / name
            if not link.exists() and not link.is_symlink():
                link.symlink_to(source, target_is_directory=source.is_dir())
    except OSError as err:
        note(f"drive.mount: there is no Google Drive while grading, and {mountpoint} cannot hold the course's "
             f"files instead ({err.strerror or err})")
        return
    listed = ", ".join(sorted(entry.name for entry in my_drive.iterdir())) or "nothing"
    note(f"drive.mount: there is no Google Drive while grading; MyDrive holds the course's files ({listed})")


def flush_and_unmount(timeout_ms: int = 86400000) -> None:
    print("Drive unmounted (nothing to save while grading).")
