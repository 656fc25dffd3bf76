"""The benchmark's instrument: both formats of the tiny assignment describe the same questions,
points and student code; its checks are right; our grader scores as designed. No timing."""

import io
import json
import re
import sys

import nbformat
import numpy as np
import pytest
from rich.console import Console
from scipy.signal import convolve
from scipy.spatial.distance import cdist
from scipy.special import softmax
from sklearn.preprocessing import OneHotEncoder, normalize

from bench import nbgrader_course, ours, tiny
from bench.cases import our_scores, tiny_expected
from bench.measure import Contender, measure
from bench.report import print_report, to_json
from bench.results import CaseResult, Target, compared
from bench.timing import Command, Measurement
from graders.cli import main as grade
from graders.spec import load_assignment

FEW = 3
QUESTION_MARK = re.compile(r'pytest\.mark\.question\("(\w+)"\)')
ORACLES = {  # an independent library's answer to each question
    "q1": lambda v: normalize(v.reshape(1, -1))[0],
    "q2": lambda z: softmax(z, axis=-1),
    "q3": lambda x, k: convolve(x, np.full(k, 1 / k), mode="valid"),
    "q4": lambda a, b: cdist(a, b),
    "q5": lambda labels, n: OneHotEncoder(categories=[list(range(n))], sparse_output=False).fit_transform(
        labels.reshape(-1, 1)),
}


@pytest.fixture(scope="module")
def formats(tmp_path_factory):
    """Our assignment and submissions, and nbgrader's course with the same submissions (the
    instructor's notebook stands in for the one nbgrader hands out: the answer cells are what
    matters, and autograde restores the test cells from the source)."""
    root = tmp_path_factory.mktemp("tiny")
    assignment = ours.write_assignment(root / "ours")
    submissions = ours.write_submissions(root / "submissions", tiny.students(FEW))
    course = nbgrader_course.write_course(root / "course")
    source = nbformat.read(course / "source" / tiny.ASSIGNMENT_ID / f"{tiny.ASSIGNMENT_ID}.ipynb", as_version=4)
    nbgrader_course.write_submissions(course, source, tiny.students(FEW))
    return assignment, submissions, course, source


def test_both_formats_have_the_same_questions_points_and_hidden_checks(formats):
    assignment, _, _, source = formats
    nbgrader_side = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            nbgrader_side[meta["grade_id"]] = (meta["points"], "### BEGIN HIDDEN TESTS" in cell.source)
    hidden_files = {m for f in (assignment / "tests" / "hidden").glob("test_*.py") for m in QUESTION_MARK.findall(f.read_text())}
    ours_side = {q.id: (q.auto_points, q.id in hidden_files) for q in load_assignment(assignment).questions}
    assert ours_side == nbgrader_side == {q.id: (1, q.hidden) for q in tiny.QUESTIONS}
    # one check per question on both sides, so a question scores all or nothing in both graders
    test_functions = [line for f in sorted((assignment / "tests").rglob("test_*.py"))
                      for line in f.read_text().splitlines() if line.startswith("def test_")]
    assert len(test_functions) == len(tiny.QUESTIONS)
    assert load_assignment(assignment).limits.cell_timeout_s == tiny.CELL_TIMEOUT_S
    assert f"c.Execute.timeout = {tiny.CELL_TIMEOUT_S}" in (formats[2] / "nbgrader_config.py").read_text()


def test_both_formats_carry_the_same_student_code(formats):
    _, submissions, course, _ = formats
    for student in tiny.students(FEW):
        mine = nbformat.read(submissions / f"{student.id}.ipynb", as_version=4)
        theirs = nbformat.read(course / "submitted" / student.id / tiny.ASSIGNMENT_ID / f"{tiny.ASSIGNMENT_ID}.ipynb",
                               as_version=4)
        their_code = [c.source for c in theirs.cells
                      if c.cell_type == "code" and not c.metadata["nbgrader"]["grade"]]  # setup and answer cells
        assert [c.source for c in mine.cells if c.cell_type == "code"] == their_code
        assert their_code == [tiny.SETUP_CODE, *student.answers().values()]


def test_the_loop_free_set_is_the_first_19_and_the_last_student_loops():
    assert all("loop" not in s.variants for s in tiny.students(tiny.LOOP_FREE))
    assert tiny.ENDLESS_LOOP in tiny.students()[-1].answers()["q3"]
    assert len({s.id for s in tiny.students()}) == len(tiny.ROSTER) == 20


@pytest.mark.parametrize("question", tiny.QUESTIONS, ids=lambda q: q.id)
def test_each_check_expects_what_an_independent_library_computes(question):
    namespace = {"np": np}
    exec(question.expected_function("expected"), namespace)
    for args in eval(question.cases, {"np": np}):
        np.testing.assert_allclose(namespace["expected"](*args), ORACLES[question.id](*args))


@pytest.mark.parametrize("question", tiny.QUESTIONS, ids=lambda q: q.id)
def test_each_check_passes_the_right_answer_only(question):
    def passes(variant: str) -> bool:
        namespace = {"np": np}
        check = question.expected_function("expected") + question.check(f"{question.function}(*args)", "expected")
        try:
            exec(question.answer(variant), namespace)
            exec(check, namespace)
        except Exception:
            return False
        return True

    assert passes("right") and not passes("wrong") and not passes("blank")


def test_our_grader_gives_the_first_three_the_designed_scores(formats, tmp_path):
    assignment, submissions, _, _ = formats
    out = tmp_path / "reports"
    assert grade(["grade", str(assignment), "--submissions", str(submissions), "--out", str(out), "-j", "2",
                  "--lang", "en"]) == 0
    assert our_scores(out) == tiny_expected(FEW)
    assert our_scores(out)["student02"] == {"q1": 1.0, "q2": 0.0, "q3": 0.0, "q4": 1.0, "q5": 0.0}


def test_a_pass_only_notebook_keeps_the_imports_and_nothing_else(tmp_path):
    homework = tmp_path / "student.ipynb"
    nb = ours.python_notebook()
    nb.cells = [nbformat.v4.new_code_cell("!pip install keras-tuner\nimport numpy as np\n%matplotlib inline\nx = 1"),
                nbformat.v4.new_markdown_cell("import nothing"),
                nbformat.v4.new_code_cell("from torch import nn\nimport numpy as np\n\ndef f():\n    import os")]
    nbformat.write(nb, homework)
    (cell,) = ours.pass_only_notebook(homework).cells
    assert cell.source == "import numpy as np\nfrom torch import nn"


def test_measure_discards_the_warm_up_times_reruns_and_reports_every_wrong_score(tmp_path):
    said = []
    contender = Contender(
        "fake grader", prepare=lambda state: Command((sys.executable, "-c", "pass"), state, {}),
        scores=lambda state: {"ann": {"q1": 1.0}, "bob": {"q1": 0.0}},
        expected={"ann": {"q1": 1.0}, "bob": {"q1": 1.0}, "cy": {"q1": 0.0}}, rerun_label="fake re-run",
    )
    outcome = measure([contender], [contender], 2, tmp_path, said.append)
    times = outcome.measurements()
    assert sorted(times) == ["fake grader", "fake re-run"]
    assert all(len(m.seconds) == 2 for m in times.values())  # the warm-up round is not among them
    assert len(said) == 6  # warm-up, two rounds; each with its re-run
    assert "fake grader [1/2]: bob q1 got 0.0 points, expected 1" in outcome.mismatches
    assert "fake re-run [warm-up]: cy has no score (not graded; see the logs)" in outcome.mismatches
    assert len(outcome.mismatches) == 12  # two in each of six runs


def test_the_report_prints_and_serialises_rows_targets_and_mismatches():
    times = {"slow": Measurement("slow", (4.0, 6.0, 5.0)), "fast": Measurement("fast", (1.0, 3.0, 2.0))}
    result = CaseResult("tiny", compared(times, [("slow", ""), ("fast", "slow")]),
                        (Target("fast at least 3× faster", 2.5, 3.0), Target("cost at most 0.6×", 0.4, 0.6, at_most=True)),
                        ("fast [1/3]: bob q1 got 0.0 points, expected 1",))
    about = {"repeats": 3, "machine": {"cpus": 2, "cpu": "x"}, "load_before": (1.0, 1, 1), "load_after": (2.0, 2, 2),
             "commit": "abc"}
    stream = io.StringIO()
    print_report([result], about, Console(file=stream, width=200))
    text = stream.getvalue()
    assert "2.50×" in text and "not met: fast at least 3× faster" in text and "met: cost at most 0.6×" in text
    assert "SCORES DIFFER" in text and "bob q1 got 0.0 points" in text
    data = json.loads(to_json([result], about))
    (case,) = data["cases"]
    assert case["rows"][1] == {"label": "fast", "median_s": 2.0, "min_s": 1.0, "max_s": 3.0, "runs_s": [1.0, 3.0, 2.0],
                               "baseline": "slow", "speedup": 2.5}
    assert [t["met"] for t in case["targets"]] == [False, True]


@pytest.mark.slow
def test_nbgrader_gives_the_first_three_the_designed_scores(tmp_path):
    """Installs nbgrader into the benchmark's cached venv (minutes, the first time)."""
    from bench.cases import nbgrader_contender, write_tiny
    from bench.nbgrader_env import install
    from graders.paths import REPO_ROOT

    nbgrader = install(REPO_ROOT / ".bench" / "nbgrader-venv", tmp_path / "home")
    files = write_tiny(tmp_path, nbgrader, (FEW,))
    contender = nbgrader_contender(nbgrader, "nbgrader", files.courses[FEW], tiny_expected(FEW))
    outcome = measure([contender], [], 1, tmp_path / "runs", lambda line: None)
    assert outcome.mismatches == []
