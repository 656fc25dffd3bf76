"""Which data a kernel sees (read-only), and which grader files it must never see."""

from __future__ import annotations

from pathlib import Path

from graders.paths import REPO_ROOT, data_root, hidden_root
from graders.spec import Assignment, SpecError

PROFILES = ("tiny", "real")


def dataset_dirs(assignment: Assignment, profile: str) -> dict[str, Path]:
    """Dataset name -> folder for the assignment's datasets under a data profile.

    "tiny" serves the small generated sets (made on first use); "real" expects the real data
    under the data root (`$GRADER_DATA`).
    """
    from graders.data.bundled import ensure_dataset

    if profile not in PROFILES:
        raise SpecError(f"unknown data profile {profile!r}; known: {list(PROFILES)}")
    dirs = {}
    for name in assignment.datasets:
        if profile == "tiny":
            dirs[name] = ensure_dataset(f"{name}-tiny")
        else:
            folder = data_root() / name
            if not folder.is_dir():
                raise SpecError(f"{folder}: the real {name} data is not there (set GRADER_DATA)")
            dirs[name] = folder
    return dirs


def hidden_dataset_dir(name: str, profile: str) -> Path:
    """The hidden evaluation split of a dataset under a data profile (grader side only).

    "tiny" generates it (once) beside the other hidden data; "real" expects the instructor's copy,
    in the dataset's own layout, under the hidden root (`$GRADER_HIDDEN/<name>`).
    """
    from graders.data.bundled import ensure_hidden_split

    if profile == "tiny":
        return ensure_hidden_split(f"{name}-tiny")
    folder = hidden_root() / name
    if not folder.is_dir():
        raise SpecError(f"{folder}: the hidden {name} split is not there (set GRADER_HIDDEN)")
    return folder


def grader_private_paths(assignment: Assignment, submission: Path, extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """Folders hidden from the kernel: the grader's code and reference, tests, hidden data,
    results and other students' submissions."""

    candidates = {REPO_ROOT, assignment.root, submission.resolve().parent, hidden_root(), *extra}
    ordered = sorted(p.resolve() for p in candidates)
    # a folder inside another hidden folder is hidden already
    return tuple(p for p in ordered if not any(p != q and p.is_relative_to(q) for q in ordered))
