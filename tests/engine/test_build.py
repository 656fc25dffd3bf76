"""`grade build` on a small homework source (tests/fixtures/toy_source): the notebooks, the demos,
the student kit (nothing of the solution in it), the autograder, same bytes every time, and a
one-line error naming the file and line for each kind of bad source."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from graders import cli
from graders import expected as frozen
from graders.build.errors import BuildError
from graders.build.markers import STUB
from graders.build.notebooks import ANSWER_SLOT
from graders.build.release import build_release, write_release
from graders.spec import load_assignment

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy_source"


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A copy of the toy homework (a build writes into its folder)."""
    return Path(shutil.copytree(TOY, tmp_path / "toy_source"))


def build(folder: Path):
    return build_release(load_assignment(folder))


def cells(content: bytes) -> list[nbformat.NotebookNode]:
    return nbformat.reads(content.decode("utf-8"), as_version=4).cells


def test_the_notebooks_have_the_spec_headings_stubs_and_answer_slots(toy):
    release = build(toy)
    student, solution = cells(release.generated["student.ipynb"]), cells(release.generated["solution.ipynb"])
    assert [c.cell_type for c in student] == [c.cell_type for c in solution]
    assert student[0].source.startswith("# Toy homework · تمرین نمونه\n\nTwo small questions.")
    assert student[1].source == '<div dir="rtl" lang="fa">\n\nدو پرسش کوچک.\n\n</div>'
    assert student[3].source.startswith("## Question 1 — Receptive fields · سؤال ۱: میدان پذیرش")
    assert student[6].source.startswith("## Question 12 — Doubling · سؤال ۱۲: دو برابر")
    assert STUB in student[4].source and "return 1 + layers" in solution[4].source
    assert student[7].source.endswith(f"    {STUB}\n\n\nFACTOR = None") and "FACTOR = 2" in solution[7].source
    assert student[5].source == ANSWER_SLOT and "first pixel" in solution[5].source
    assert student[5].metadata["grader"] == {"answer": "q1"}
    assert [c.id for c in student] == ["intro-0", "intro-1", "intro-2", "q1-0", "q1-1", "q1-2", "q12-0", "q12-1"]


def test_demos_are_the_solution_with_their_edits(toy):
    generated = build(toy).generated
    solution = cells(generated["submissions/solution_demo.ipynb"])
    off_by_one, unanswered = cells(generated["submissions/off_by_one.ipynb"]), cells(generated["submissions/unanswered.ipynb"])
    assert "return layers * dilation * (kernel - 1)" in off_by_one[4].source
    assert [c.source for i, c in enumerate(off_by_one) if i != 4] == [c.source for i, c in enumerate(solution) if i != 4]
    assert STUB in unanswered[7].source and "FACTOR = 2" in unanswered[7].source
    assert generated["solution.ipynb"] == generated["submissions/solution_demo.ipynb"]
    with pytest.raises(json.JSONDecodeError):
        json.loads(generated["submissions/not_json.ipynb"])


def test_the_student_kit_holds_the_public_checks_and_nothing_of_the_solution(toy):
    release = build(toy)
    kit = release.student_kit
    assert sorted(kit) == ["README.md", "assignment.toml", "student.ipynb", "tests/public/expected.json",
                           "tests/public/test_q1.py"]
    everything = "\n".join(content.decode("utf-8") for content in kit.values())
    for secret in ("return 1 + layers * dilation", "multiplying by two", "twice = 2 * np.asarray(x)", "FACTOR = 2",
                   "first pixel", "derivation", "1 + L·D·(K − 1)", "test_receptive_field_three_layers",
                   "hidden secret", "reference"):
        assert secret not in everything, secret
    spec = load_assignment(_written(kit, toy.parent / "kit"))
    assert spec.manual_points == 0 and [q.auto_points for q in spec.questions] == [2, 1]
    assert frozen.load(toy.parent / "kit" / "tests/public/expected.json")["q1.widths"][1]["width"] == 5


def test_fixtures_that_public_and_hidden_checks_share_ship_with_the_kit_without_the_reference(toy):
    shared = toy / "tests" / "conftest.py"
    shared.write_text("import pytest\n\n\n@pytest.fixture\ndef side():\n    return 3\n", encoding="utf-8")
    release = build(toy)
    assert release.student_kit["tests/conftest.py"] == release.autograder["tests/conftest.py"] == shared.read_bytes()
    shared.write_text("from reference.hw4 import q4_dilated\n", encoding="utf-8")
    with pytest.raises(BuildError, match=re.escape(f"{shared}:1: a public check imports the reference")):
        build(toy)


def test_the_autograder_holds_everything_grading_needs(toy):
    release = build(toy)
    assert sorted(release.autograder) == [
        "assignment.toml", "solution.ipynb", "student.ipynb", "submissions/not_json.ipynb",
        "submissions/off_by_one.ipynb", "submissions/solution_demo.ipynb", "submissions/unanswered.ipynb",
        "tests/hidden/test_q1_hidden.py", "tests/public/expected.json", "tests/public/test_q1.py",
    ]
    assert release.autograder["assignment.toml"] == (toy / "assignment.toml").read_bytes()


def test_what_public_and_hidden_checks_share_ships_with_the_kit(toy):
    shared = '"""Shared by the public and the hidden checks."""\n\nimport pytest\n\n\n@pytest.fixture\ndef widths():\n    return [1, 3]\n'
    (toy / "tests" / "conftest.py").write_text(shared, encoding="utf-8")
    release = build(toy)
    assert release.student_kit["tests/conftest.py"] == release.autograder["tests/conftest.py"] == shared.encode()
    _edit(toy / "tests" / "conftest.py", "import pytest", "import pytest\n\nfrom reference.hw4 import q4_dilated")
    with pytest.raises(BuildError, match="imports the reference") as refused:
        build(toy)
    assert refused.value.path == toy / "tests" / "conftest.py"


def test_a_build_writes_the_same_bytes_every_time(toy, tmp_path):
    first, second = build(toy), build(toy)
    assert first.generated == second.generated and first.student_kit == second.student_kit
    write_release(first, tmp_path / "one")
    write_release(second, tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) == 15
    assert all((tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes() for f in files)


def test_grade_build_writes_the_release_and_removes_stale_demos(toy, tmp_path, capsys):
    (toy / "submissions").mkdir()
    (toy / "submissions" / "dropped_demo.ipynb").write_text("{}", encoding="utf-8")
    assert cli.main(["build", str(toy), "--out", str(tmp_path / "dist")]) == 0
    assert "toy_source built in" in capsys.readouterr().err
    assert not (toy / "submissions" / "dropped_demo.ipynb").exists()
    assert (toy / "student.ipynb").read_bytes() == build(toy).generated["student.ipynb"]
    kit = tmp_path / "dist" / "toy_source" / "student"
    assert (kit / "tests" / "public" / "expected.json").is_file() and not (kit / "tests" / "hidden").exists()


def _written(files: dict[str, bytes], folder: Path) -> Path:
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


BAD_SOURCES = {
    "unclosed marker": ("notebook.py", "FACTOR = 2\n# END SOLUTION\n", "FACTOR = 2\n", "# BEGIN SOLUTION: FACTOR",
                        "is never closed"),
    "unknown reference name": ("notebook.py", "q4_dilated.receptive_field", "q4_dilated.receptive_feld",
                               "# SOLUTION FROM", "reference.hw4.q4_dilated has no receptive_feld"),
    "a body needing an undefined name": ("notebook.py", "import numpy as np", "import math",
                                         "# SOLUTION FROM", None),
    "unknown question": ("notebook.py", 'answer="q1"', 'answer="q7"', 'answer="q7"', "no such question"),
    "unknown cell option": ("notebook.py", 'lang="fa"', 'langue="fa"', 'langue="fa"', "unknown cell option 'langue'"),
    "edit no longer applies": ("demos.toml", "return 1 + layers", "return 2 + layers", "return 2 + layers",
                               "is not in the solution's code"),
    "stub of nothing": ("demos.toml", 'stub = "double"', 'stub = "triple"', 'stub = "triple"',
                        "a definition of triple is not in the solution's code"),
    "public check importing the reference": ("tests/public/test_q1.py", "import numpy as np",
                                             "import numpy as np\nfrom reference.hw4 import q4_dilated",
                                             "from reference", "imports the reference"),
    "solution line in a public check": ("tests/public/test_q1.py", "import pytest",
                                        "import pytest\n\n# twice = 2 * np.asarray(x)  # multiplying by two doubles it",
                                        None, "holds a line of the solution"),
    "producer raising": ("tests/expected.py", "receptive_field(k, d)", "receptive_field(k, d) / 0",
                         "/ 0", "raised ZeroDivisionError"),
}


@pytest.mark.parametrize("case", list(BAD_SOURCES), ids=list(BAD_SOURCES))
def test_a_bad_source_is_one_line_naming_its_file_and_line(toy, case, capsys):
    name, old, new, line_text, problem = BAD_SOURCES[case]
    _edit(toy / name, old, new)
    if case == "a body needing an undefined name":  # the reference's dilation_matrix reads np
        _edit(toy / "notebook.py", "def receptive_field(kernel, dilation=1, layers=1):", "def dilation_matrix(D):")
        _edit(toy / "notebook.py", "q4_dilated.receptive_field", "q4_dilated.dilation_matrix")
        _edit(toy / "notebook.py", "print(receptive_field(3))", "")
        problem = "the body of reference.hw4.q4_dilated.dilation_matrix needs np, which the notebook does not define"
    before = sorted(p.relative_to(toy) for p in toy.rglob("*"))
    assert cli.main(["build", str(toy), "--out", str(toy.parent / "dist")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("grade: error:") and "Traceback" not in err and len(err.splitlines()) == 1, err
    where = f"{toy / name}:{_line(toy / name, line_text)}: " if line_text else f"{toy / name}: "
    assert where in err and problem in err, err
    assert sorted(p.relative_to(toy) for p in toy.rglob("*")) == before, "nothing written"
    assert not (toy.parent / "dist").exists()


def test_a_homework_without_a_source_says_so(tmp_path, capsys):
    shutil.copytree(TOY, tmp_path / "old", ignore=shutil.ignore_patterns("notebook.py"))
    with pytest.raises(BuildError, match="no notebook source"):
        build(tmp_path / "old")
