"""The old builders' module (graders.authoring), kept until hw2, hw3, hw5 and hw9 move to notebook sources."""

import nbformat
import pytest

from graders.authoring import build, code, markdown, replace, stub_of
from graders.build.markers import STUB, solution_text, student_text
from tests.engine.test_build_parts import MARKED as SOURCE

CELLS = (markdown("intro", "# Title"), code("q1", SOURCE), markdown("q1.answer", "the proof", student="your answer"))


def test_build_versions_and_stable_ids():
    student, solution = build(CELLS, "student"), build(CELLS, "solution")
    assert [c.source for c in student.cells] == ["# Title", student_text(SOURCE), "your answer"]
    assert [c.source for c in solution.cells] == ["# Title", solution_text(SOURCE), "the proof"]
    assert [c.id for c in student.cells] == ["intro", "q1", "q1-answer"]
    assert nbformat.writes(build(CELLS, "solution")) == nbformat.writes(solution)


def test_demo_edits():
    wrong = build(CELLS, "solution", {"q1": replace("2 * x", "3 * x")})
    assert "return 3 * x" in wrong.cells[1].source
    assert STUB in build(CELLS, "solution", {"q1": stub_of(CELLS[1])}).cells[1].source
    with pytest.raises(ValueError, match="cannot apply a demo edit"):
        build(CELLS, "solution", {"q1": replace("4 * x", "5 * x")})
    with pytest.raises(KeyError, match="unknown cells"):
        build(CELLS, "solution", {"q9": replace("a", "b")})
