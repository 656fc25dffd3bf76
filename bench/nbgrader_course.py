"""The tiny assignment in nbgrader's format: a course directory.

    nbgrader_config.py                      the course id and the 30 s cell timeout
    source/tiny/tiny.ipynb                  the instructor's notebook: cell metadata marks the
                                            setup cell (read-only), the autograded answers and
                                            the autograder tests with their points
    submitted/<student>/tiny/tiny.ipynb     one per student: the handed-out notebook with the
                                            student's answer cells

nbgrader's cell metadata (schema 3): `solution` marks an answer cell, `grade` with `points` an
autograder test, `locked` a read-only cell, `grade_id` names each; hidden tests sit between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS` and are stripped from the handed-out
notebook by `nbgrader generate_assignment`.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from bench.ours import python_notebook
from bench.tiny import ASSIGNMENT_ID, CELL_TIMEOUT_S, QUESTIONS, SETUP_CODE, Question, Student

SCHEMA_VERSION = 3
COURSE_ID = "bench"


def _cell_metadata(grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
                   points: float | None = None) -> dict:
    metadata = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
                "solution": solution, "task": False}
    if points is not None:
        metadata["points"] = points
    return {"nbgrader": metadata}


def answer_cell_id(question: Question) -> str:
    return f"{question.id}_answer"


def _test_source(question: Question) -> str:
    expected = f"_expected_{question.id}"
    check = question.expected_function(expected) + question.check(f"{question.function}(*args)", expected)
    if question.hidden:
        return f"# {question.id} is checked when the assignment is graded\n### BEGIN HIDDEN TESTS\n{check}### END HIDDEN TESTS"
    return check.rstrip("\n")


def source_notebook() -> nbformat.NotebookNode:
    """The instructor's notebook, with the right answers between solution markers."""
    nb = python_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny NumPy homework"),
        nbformat.v4.new_code_cell(SETUP_CODE, metadata=_cell_metadata("setup", locked=True)),
    ]
    for question in QUESTIONS:
        nb.cells += [
            nbformat.v4.new_markdown_cell(f"## {question.id}: {question.title}"),
            nbformat.v4.new_code_cell(question.solution(),
                                      metadata=_cell_metadata(answer_cell_id(question), solution=True)),
            nbformat.v4.new_code_cell(_test_source(question),
                                      metadata=_cell_metadata(question.id, grade=True, locked=True, points=1)),
        ]
    return nb


def write_course(course: Path) -> Path:
    """The course directory with its config and source notebook; return it."""
    source = course / "source" / ASSIGNMENT_ID
    source.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        "# Written by bench/nbgrader_course.py.\n"
        "c = get_config()  # noqa: F821 (nbgrader defines it)\n"
        f'c.CourseDirectory.course_id = "{COURSE_ID}"\n'
        f"c.Execute.timeout = {CELL_TIMEOUT_S}  # seconds per cell, as in ours\n",
        encoding="utf-8",
    )
    nbformat.write(source_notebook(), source / f"{ASSIGNMENT_ID}.ipynb")
    return course


def student_notebook(handed_out: nbformat.NotebookNode, student: Student) -> nbformat.NotebookNode:
    """The handed-out notebook with the student's code in its answer cells."""
    nb = copy.deepcopy(handed_out)
    code = student.answers()
    answers = {answer_cell_id(q): code[q.id] for q in QUESTIONS}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers.pop(grade_id)
    if answers:
        raise ValueError(f"the handed-out notebook has no answer cells {sorted(answers)}")
    return nb


def write_submissions(course: Path, handed_out: nbformat.NotebookNode, students: tuple[Student, ...]) -> None:
    """`submitted/<student>/<assignment>/<assignment>.ipynb` for each student."""
    for student in students:
        folder = course / "submitted" / student.id / ASSIGNMENT_ID
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_notebook(handed_out, student), folder / f"{ASSIGNMENT_ID}.ipynb")
