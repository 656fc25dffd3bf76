"""What the kernel knows of the grader's data, the error a blocked download raises, and the notes
the grader's report shows ("CIFAR-10 read from the grader's copy", "drive.mount: ...")."""

from __future__ import annotations

import os


class OfflineError(ConnectionError):
    """A download or connection that grading cannot make; the message says where the data is."""


def variable(dataset: str) -> str:
    """The environment variable that names a dataset's folder: cifar10 -> CIFAR10_DIR."""
    return dataset.upper().replace("-", "_") + "_DIR"


def assignment_datasets() -> list[str]:
    """The datasets the assignment itself declares (others may be served too)."""
    return [name for name in os.environ.get("GRADER_DATASETS", "").split(",") if name]


def data_hint() -> str:
    """One sentence: where this assignment's data is."""
    names = assignment_datasets()
    if not names:
        return "This assignment gives no dataset; everything the notebook needs must be in it."
    variables = ", ".join(variable(name) for name in names)
    return (f"The data of this assignment is in the folder that {variables} names: "
            f"read it from os.environ[{variable(names[0])!r}].")


def blocked(what: str) -> OfflineError:
    """The error for a download the grader does not serve (what: a URL, or a description)."""
    return OfflineError(f"grading runs offline, so {what} cannot be downloaded. {data_hint()}")


def no_network(host: str) -> OfflineError:
    return OfflineError(f"grading runs offline: there is no network, so {host} cannot be reached. {data_hint()}")


# ---------------------------------------------------------------- notes for the report

_notes: list[tuple[int, str]] = []


def _current_cell() -> int:
    """The execution count of the cell running now (0 outside IPython). IPython counts the cell
    before running it, so, as in the kernel's reply, it is one less than the counter."""
    try:
        from IPython import get_ipython
    except ImportError:
        return 0
    shell = get_ipython()
    return int(shell.execution_count) - 1 if shell is not None else 0


def note(text: str) -> None:
    """Tell the notebook's reader, and the report, what was done instead of a download (once per cell)."""
    entry = (_current_cell(), text)
    if entry in _notes:
        return
    _notes.append(entry)
    print(f"Offline grading: {text}")


def notes() -> list[list]:
    """[[execution count, text], ...] in the order they happened: plain data for the grader."""
    return [[count, text] for count, text in _notes]
