"""Which data a kernel sees (read-only) under a data profile, and where the hidden splits are."""

from __future__ import annotations

from pathlib import Path

from graders.paths import data_root, hidden_root
from graders.spec import Assignment, SpecError

PROFILES = ("tiny", "real")
# Datasets that libraries download (keras.datasets, torchvision.datasets): every kernel gets the
# grader's copy of each, declared by its assignment or not, so that a notebook's own
# `load_data()` / `download=True` works offline. The kernel side serves the same names
# (graders/kernel_site/grader_offline/catalogue.py).
DOWNLOADABLE = ("mnist", "fashion_mnist", "cifar10", "cifar100")


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


def kernel_dataset_dirs(assignment: Assignment, profile: str) -> dict[str, Path]:
    """Every dataset a kernel sees: the assignment's own (dataset_dirs) and the DOWNLOADABLE ones.

    A downloadable dataset the assignment does not declare comes from the same place (the
    generated tiny set, or `$GRADER_DATA/<name>`); under "real" its folder may be missing, and
    then a notebook that loads it is told where the instructor puts it.
    """
    from graders.data.bundled import ensure_dataset

    extra = {
        name: ensure_dataset(f"{name}-tiny") if profile == "tiny" else data_root() / name
        for name in DOWNLOADABLE if name not in assignment.datasets
    }
    return {**dataset_dirs(assignment, profile), **extra}


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
