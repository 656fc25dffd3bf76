"""What the kernel's offline environment did while the notebook ran (graders/kernel_site:
a download served from the grader's copy, Drive mounted, an upload refused), read back by cell.

The kernel answers with plain data that the notebook could have changed: it is only shown in the
report, and is checked and capped here, never trusted for anything else.
"""

from __future__ import annotations

import nbformat

from graders.kernel import KernelError, StudentCodeError, StudentKernel
from graders.record import GradingNote

MAX_NOTES = 50
MAX_NOTE_CHARS = 300


def offline_notes(kernel: StudentKernel, notebook: nbformat.NotebookNode) -> tuple[GradingNote, ...]:
    """The kernel's notes, each attached to the cell (of the executed notebook) it happened in."""
    try:
        found = kernel.value("__import__('grader_offline').notes()", timeout=10)
    except (KernelError, StudentCodeError, TypeError, ValueError):  # a dead kernel, or a bad value on the wire
        return ()
    cells = {cell.get("execution_count"): index for index, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and cell.get("execution_count")}
    notes = [
        GradingNote(cells[count], text[:MAX_NOTE_CHARS])
        for count, text in (entry for entry in (found if isinstance(found, list) else ())
                            if isinstance(entry, list) and len(entry) == 2)
        if isinstance(count, int) and isinstance(text, str) and count in cells
    ]
    return tuple(notes[:MAX_NOTES])
