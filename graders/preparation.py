"""Getting a real (messy) notebook ready to run offline, reproducibly.

Before the first student cell the kernel is seeded from the assignment's seed (`setup_code`).
The notebook itself is prepared (`prepare_notebook`): what cannot run offline is not run, and
each such line or cell becomes a note for the report:
  * shell lines (`!pip install`, `!wget`, `!unzip`, `%pip`, `%conda`, `%sx`, `%system`) and shell
    cells (`%%bash`, `%%sh`, `%%shell`, `%%script`);
  * Colab-only magics (`%tensorflow_version 2.x`): the grader runs TensorFlow 2 anyway.
Paths under `/content` (Colab's working folder) name the kernel's working folder. Everything
else Colab offers (`google.colab`, downloads) is the kernel's offline environment
(graders/kernel_site).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.paths import COLAB_CONTENT
from graders.record import GradingNote

_SHELL_LINE = re.compile(r"^(\s*)(!|%(pip|conda|sx|system)\b)")
_SHELL_CELL = re.compile(r"^\s*%%(bash|sh|shell|script|system)\b")
_COLAB_ONLY_MAGIC = re.compile(r"^(\s*)%tensorflow_version\b")
_CONTENT_PATH = re.compile(r"(?<![\w./-])/content(?![\w.-])")

NOT_RUN = "not run (grading is offline, without a shell)"
NOT_NEEDED = "not needed (the grader runs TensorFlow 2)"


@dataclass(frozen=True)
class PreparedNotebook:
    notebook: nbformat.NotebookNode  # a copy, outputs cleared, ready to execute
    notes: tuple[GradingNote, ...]  # what is not run, one note per line or cell


# Libraries a handed-out notebook imports that take a while to import and start no thread when
# imported (a thread would not survive the fork): the fork server imports those the assignment's
# notebook imports, so that no submission's kernel imports them again.
PRELOADABLE = ("matplotlib", "sklearn", "scipy", "pandas", "PIL", "keras", "tf_keras", "keras_tuner")
_MODULE = r"[A-Za-z_][\w.]*"
_IMPORT = re.compile(rf"^\s*import\s+({_MODULE}(?:\s+as\s+\w+)?(?:\s*,\s*{_MODULE}(?:\s+as\s+\w+)?)*)\s*(?:#.*)?$")
_FROM_IMPORT = re.compile(rf"^\s*from\s+({_MODULE})\s+import\b")  # not a relative import


def preload_modules(frameworks: tuple[str, ...], notebook_imports: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What a kernel for these frameworks imports while it boots, in a safe order, and then the
    PRELOADABLE modules of `notebook_imports` (what the handed-out notebook imports)."""
    modules = ["numpy"]
    if "torch" in frameworks:
        # torchvision loads triton, which crashes the process if TensorFlow was loaded first
        modules += ["torch", "torchvision"]
    if "tensorflow" in frameworks:
        modules += ["tensorflow"]
    modules += [name for name in dict.fromkeys(notebook_imports)
                if name.split(".")[0] in PRELOADABLE and name not in modules]
    return tuple(modules)


def imported_modules(notebook_path: Path) -> tuple[str, ...]:
    """The modules the code cells of a notebook import (`import a.b as c, d`, `from a.b import c`),
    in order; none if there is no such notebook or it cannot be read."""
    try:
        notebook = nbformat.read(notebook_path, as_version=4)
    except (OSError, ValueError):  # missing, or not a notebook (nbformat's NotJSONError is a ValueError)
        return ()
    names = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if match := _IMPORT.match(line):
                names += [part.split()[0] for part in match.group(1).split(",")]
            elif match := _FROM_IMPORT.match(line):
                names.append(match.group(1))
    return tuple(dict.fromkeys(names))


def setup_code(seed: int, frameworks: tuple[str, ...]) -> str:
    """Python run in the kernel just before the notebook: seed every random generator it may use.
    It binds no name the notebook could see: a fresh kernel has none."""
    body = ["import random", "import numpy", f"random.seed({seed})", f"numpy.random.seed({seed})"]
    if "torch" in frameworks:
        body += ["import torch", f"torch.manual_seed({seed})"]
    if "tensorflow" in frameworks:
        # torchvision (preloaded at boot, before TensorFlow) loads triton, which crashes the process
        # if TensorFlow was loaded first
        body += ["import tensorflow", f"tensorflow.random.set_seed({seed})"]
    lines = ["def __grader_seed():", *(f"    {line}" for line in body), "__grader_seed()", "del __grader_seed"]
    return "\n".join(lines) + "\n"


def prepare_notebook(notebook: nbformat.NotebookNode, content_dir: str = COLAB_CONTENT) -> PreparedNotebook:
    """A copy of the notebook with outputs cleared, shell commands and Colab-only magics turned
    into comments, and `/content` paths pointing at `content_dir` (where Colab's /content is)."""
    prepared = copy.deepcopy(notebook)
    notes: list[GradingNote] = []
    for index, cell in enumerate(prepared.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        shell_cell = _SHELL_CELL.match(cell.source)
        if shell_cell:
            notes.append(GradingNote(index, f"{NOT_RUN}: the %%{shell_cell.group(1)} cell"))
            cell.source = "\n".join(f"# [grader] {NOT_RUN}: {line}" for line in cell.source.splitlines())
            continue
        cell.source, skipped = _prepare_lines(cell.source, content_dir)
        notes += (GradingNote(index, text) for text in skipped)
    return PreparedNotebook(prepared, tuple(notes))


def _prepare_lines(source: str, content_dir: str) -> tuple[str, list[str]]:
    """The cell's source with shell lines and Colab-only magics commented out, and a note for each."""
    lines, notes = [], []
    continued = False  # a shell line that ends in a backslash goes on in the next line
    for line in source.splitlines():
        kind = NOT_RUN if _SHELL_LINE.match(line) else NOT_NEEDED if _COLAB_ONLY_MAGIC.match(line) else ""
        if continued:
            continued = line.rstrip().endswith("\\")
            line = f"# [grader] {NOT_RUN}: {line.strip()}"
        elif kind:
            notes.append(f"{kind}: {line.strip()}")
            continued = kind == NOT_RUN and line.rstrip().endswith("\\")
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{indent}pass  # [grader] {kind}: {line.strip()}"
        elif content_dir != COLAB_CONTENT:
            line = _CONTENT_PATH.sub(lambda _: content_dir, line)
        lines.append(line)
    return "\n".join(lines), notes
