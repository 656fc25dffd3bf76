"""Submissions in our format: the tiny assignment (an assignment folder with assignment.toml,
tests/public and tests/hidden, and a folder of submitted notebooks), and pass-only notebooks
for a homework of the repository."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from bench.tiny import ASSIGNMENT_ID, CELL_TIMEOUT_S, QUESTIONS, SETUP_CODE, Question, Student

NOTEBOOK_TIMEOUT_S = 600  # nbgrader has no limit for the whole notebook; ours must not bind first


def write_assignment(folder: Path) -> Path:
    """Write the assignment folder; return it."""
    for part in ("public", "hidden"):
        (folder / "tests" / part).mkdir(parents=True, exist_ok=True)
    questions = "".join(
        f'\n[[questions]]\nid = "{q.id}"\nauto_points = 1\ntitle = "{q.title}"\n' for q in QUESTIONS
    )
    (folder / "assignment.toml").write_text(
        f"# Written by bench/ours.py: the benchmark's tiny NumPy assignment.\n"
        f'id = "{ASSIGNMENT_ID}"\ntitle = "Tiny NumPy homework"\n\n'
        f"[limits]\ncell_timeout_s = {CELL_TIMEOUT_S}\nnotebook_timeout_s = {NOTEBOOK_TIMEOUT_S}\n{questions}",
        encoding="utf-8",
    )
    for question in QUESTIONS:
        part = "hidden" if question.hidden else "public"
        (folder / "tests" / part / f"test_{question.id}.py").write_text(_test_module(question), encoding="utf-8")
    return folder


def _test_module(question: Question) -> str:
    check = question.check(f'kernel.call("{question.function}", *args)', "expected")
    return (
        f'"""{question.id}: {question.title} (written by bench/ours.py)."""\n\n'
        "import numpy as np\nimport pytest\n\n"
        f'pytestmark = pytest.mark.question("{question.id}")\n\n\n'
        f"{question.expected_function('expected')}\n\n"
        f"def test_{question.function}(kernel):\n"
        + "".join(f"    {line}\n" for line in check.splitlines())
    )


def python_notebook() -> nbformat.NotebookNode:
    """An empty notebook for a Python 3 kernel."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    return nb


def notebook(student: Student) -> nbformat.NotebookNode:
    """The student's notebook: the setup cell, then each question's text and answer cell."""
    nb = python_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny NumPy homework"), nbformat.v4.new_code_cell(SETUP_CODE)]
    answers = student.answers()
    for question in QUESTIONS:
        nb.cells += [nbformat.v4.new_markdown_cell(f"## {question.id}: {question.title}"),
                     nbformat.v4.new_code_cell(answers[question.id])]
    return nb


def write_submissions(folder: Path, students: tuple[Student, ...]) -> Path:
    """One `<student id>.ipynb` per student in `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for student in students:
        nbformat.write(notebook(student), folder / f"{student.id}.ipynb")
    return folder


def pass_only_notebook(student_notebook: Path) -> nbformat.NotebookNode:
    """One cell with the top-level imports of a homework's student notebook and nothing else: the
    kernel imports what the homework needs, defines nothing, and every check fails at once."""
    imports: list[str] = []
    for cell in nbformat.read(student_notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        python = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("!", "%")))
        try:
            tree = ast.parse(python)
        except SyntaxError:
            continue
        imports += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    nb = python_notebook()
    nb.cells = [nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)))]
    return nb
