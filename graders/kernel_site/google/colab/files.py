"""`files.upload` and `files.download`: nobody is at the browser while a notebook is graded."""

from __future__ import annotations

from grader_offline.offline import note


def upload() -> dict[str, bytes]:
    """No file can be chosen while grading: returns no files, as a cancelled upload does."""
    note("files.upload(): nothing can be uploaded while grading, so the notebook got no files")
    return {}


def download(filename: str) -> None:
    """The file stays in the notebook's working folder."""
    print(f"files.download({filename!r}): nothing to download to while grading; the file stays where it is.")
