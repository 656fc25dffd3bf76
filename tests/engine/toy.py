"""The toy assignment and notebooks written for it, shared by the engine's tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from graders.kernel import StudentKernel
from graders.sandbox import SandboxPolicy, kernel_scratch
from graders.spec import Limits

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


@contextmanager
def live_kernel(memory_mb: int) -> Iterator[StudentKernel]:
    """A started kernel in its own scratch folder and control group (no batch, no worker)."""
    limits = Limits(memory_mb=memory_mb)
    with kernel_scratch(limits, cpus=1) as (scratch, group):
        policy = SandboxPolicy(scratch, limits, cgroup=group)
        with StudentKernel(policy, {"PATH": "/usr/bin:/bin", "HOME": policy.workdir}) as kernel:
            yield kernel
