"""The toy assignment and notebooks written for it, shared by the engine's tests."""

from __future__ import annotations

from pathlib import Path

import nbformat

TOY = Path(__file__).resolve().parent.parent / "fixtures" / "toy"

RIGHT_ADD = "import numpy as np\ndef add(a, b):\n    return a + b"
RIGHT_SCALE = (
    "def scale(x, k):\n"
    "    if isinstance(x, str):\n"
    "        raise TypeError('x must be an array')\n"
    "    return np.asarray(x) * k"
)


def notebook(*sources: str, language: str = "python") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": language, "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def write_notebook(folder: Path, name: str, *sources: str) -> Path:
    path = folder / name
    nbformat.write(notebook(*sources), path)
    return path
