"""Copy detection: a disguised copy scores high, independent solutions and starter code low,
and the outputs (CSV, HTML) are safe with hostile ids and code."""

from __future__ import annotations

import contextlib
import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from graders.paths import REPO_ROOT
from graders.similarity import SIMILARITY_THRESHOLD, compare_submissions, notebook_code
from graders.spec import load_assignment
from reports.similarity import similarity_csv, similarity_html
from tests.engine.similarity_cases import (
    DISGUISED,
    HOSTILE,
    LOOPS,
    LOOPS2,
    STARTER,
    VECTORISED,
    code_notebook,
)
from tests.engine.toy import TOY


def write(folder: Path, **notebooks: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for student, cells in notebooks.items():
        nbformat.write(code_notebook(cells), folder / f"{student}.ipynb")
    return sorted(folder / f"{student}.ipynb" for student in notebooks)


@pytest.fixture
def starter(tmp_path) -> Path:
    (path,) = write(tmp_path / "handout", student=STARTER)
    return path


def scores(comparison) -> dict[frozenset[str], float]:
    return {frozenset((pair.a, pair.b)): pair.score for pair in comparison.pairs}


def solution(cells: list[str]) -> dict:
    """Run a notebook's code (magics blanked, as compared) and return its functions."""
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(notebook_code(code_notebook(cells)).text, namespace)  # noqa: S102 - our own fixture code
    return namespace


@pytest.mark.parametrize("cells", [LOOPS, VECTORISED, LOOPS2, DISGUISED], ids=["loops", "vectorised", "loops2", "copy"])
def test_the_fixture_solutions_are_correct(cells):
    """The 'independent solutions' really solve the questions: checked against PyTorch."""
    functions = solution(cells)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(9, 11))
    t = torch.tensor(x)[None, None]
    expected = {"max": F.max_pool2d(t, 3, 2), "min": -F.max_pool2d(-t, 3, 2), "avg": F.avg_pool2d(t, 3, 2),
                "l2": F.lp_pool2d(t, 2, 3, 2)}
    for kind, oracle in expected.items():
        np.testing.assert_allclose(functions["pool2d"](x, kind, 3, 2), oracle[0, 0].numpy(), atol=1e-12)
    kernel = rng.normal(size=(3, 3))
    oracle = F.conv2d(t, torch.tensor(kernel)[None, None], dilation=2)[0, 0].numpy()
    np.testing.assert_allclose(functions["dilated_conv2d"](x, kernel, 2), oracle, atol=1e-12)
    features, labels = rng.normal(size=(40, 3)), (rng.random(40) > 0.5).astype(float)
    w, b = torch.zeros(3, dtype=torch.float64, requires_grad=True), torch.zeros((), dtype=torch.float64,
                                                                                requires_grad=True)
    for _ in range(30):  # plain gradient descent on the mean binary cross-entropy, by autograd
        loss = F.binary_cross_entropy_with_logits(torch.tensor(features) @ w + b, torch.tensor(labels))
        loss.backward()
        with torch.no_grad():
            w -= 0.5 * w.grad
            b -= 0.5 * b.grad
            w.grad.zero_()
            b.grad.zero_()
    got_w, got_b = functions["train_logistic"](features, labels, 0.5, 30)
    np.testing.assert_allclose(got_w, w.detach().numpy(), atol=1e-9)
    assert got_b == pytest.approx(b.item(), abs=1e-9)


def test_a_copy_with_renamed_variables_and_reordered_cells_scores_high(tmp_path, starter):
    paths = write(tmp_path / "subs", loops=LOOPS, copy=DISGUISED, vectorised=VECTORISED, loops2=LOOPS2)

    comparison = compare_submissions(paths, starter)

    top = comparison.pairs[0]
    assert (top.a, top.b) == ("copy", "loops") and top.score >= 0.9 and min(top.share_a, top.share_b) >= 0.9
    # the three answers are found in their (reordered) cells on both sides
    assert {r.cell for r in top.regions_a} >= {3, 4, 5} and {r.cell for r in top.regions_b} >= {3, 4, 5}
    pool_in_copy = next(r for r in top.regions_a if r.cell == 5 and r.last_line - r.first_line >= 10)
    assert "pooled" in comparison.code("copy").text[pool_in_copy.start:pool_in_copy.end]


def test_independent_solutions_of_the_same_questions_score_low(tmp_path, starter):
    paths = write(tmp_path / "subs", loops=LOOPS, copy=DISGUISED, vectorised=VECTORISED, loops2=LOOPS2)

    found = scores(compare_submissions(paths, starter))

    independent = [frozenset(p) for p in [("loops", "vectorised"), ("loops", "loops2"), ("vectorised", "loops2"),
                                          ("copy", "vectorised"), ("copy", "loops2")]]
    assert all(found.get(pair, 0.0) < SIMILARITY_THRESHOLD - 0.1 for pair in independent), found
    assert found.get(frozenset(("loops", "vectorised")), 0.0) < 0.2


def test_starter_code_alone_scores_nothing(tmp_path, starter):
    paths = write(tmp_path / "subs", untouched=STARTER, untouched_too=STARTER, loops=LOOPS)

    with_starter = scores(compare_submissions(paths, starter))
    without_starter = scores(compare_submissions(paths, None))

    assert with_starter.get(frozenset(("untouched", "untouched_too")), 0.0) == 0.0
    assert with_starter.get(frozenset(("loops", "untouched")), 0.0) < 0.05
    assert without_starter[frozenset(("untouched", "untouched_too"))] == 1.0  # why the starter must be excluded


def test_magics_and_shell_lines_are_blanked_and_line_numbers_kept():
    cells = ["%matplotlib inline\nimport numpy as np\n!pip install torch\nfiles = !ls\nnp.mean?\nx = 1",
             "%%bash\nrm -rf /\necho hi", "%%time\ny = 2"]
    code = notebook_code(code_notebook(cells))
    assert code.text == "\nimport numpy as np\n\n\n\nx = 1\n\n\n\n\ny = 2"
    assert code.cells == ((2, 0), (3, 29), (4, 32))
    assert code.locate(code.text.index("x = 1")) == (2, 6)
    assert code.locate(code.text.index("y = 2")) == (4, 2)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_hostile_code_and_ids_are_escaped_in_the_page_and_the_csv(tmp_path, starter):
    evil_id = "<img src=x onerror=alert(1)>"
    paths = write(tmp_path / "subs", **{evil_id: HOSTILE, "=HYPERLINK(1)": HOSTILE, "loops": LOOPS})
    comparison = compare_submissions(paths, starter)
    toy = load_assignment(TOY)

    page = _Elements()
    page.feed(similarity_html(comparison, toy, SIMILARITY_THRESHOLD))

    assert comparison.pairs[0].score == 1.0
    assert "script" not in page.tags and "img" not in page.tags
    text = "".join(page.text)
    assert "</pre><script>alert(1)</script>" in text and evil_id in text
    assert "mark" in page.tags
    rows = list(csv.reader(io.StringIO(similarity_csv(comparison))))
    assert rows[0] == ["a", "b", "score", "share_a", "share_b", "regions_a", "regions_b"]
    assert rows[1][:3] == [evil_id, "'=HYPERLINK(1)", "1.00"]
    assert "cell 3 lines 1-" in rows[1][5]


def test_unreadable_submissions_are_listed_not_compared(tmp_path, starter):
    paths = write(tmp_path / "subs", loops=LOOPS, copy=DISGUISED)
    broken = tmp_path / "subs" / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")

    comparison = compare_submissions([*paths, broken], starter)

    assert comparison.skipped == ("broken.ipynb: not valid notebook JSON (line 1: Expecting property name enclosed "
                                  "in double quotes)",)
    assert [(p.a, p.b) for p in comparison.pairs] == [("copy", "loops")]


def test_scores_do_not_depend_on_the_hash_seed(tmp_path, starter):
    """copydetect hashes k-grams with Python's hash(), which differs between processes; with every
    k-gram kept (window 1) the results must not."""
    import os
    import subprocess
    import sys

    paths = write(tmp_path / "subs", loops=LOOPS, copy=DISGUISED, loops2=LOOPS2, vectorised=VECTORISED)
    script = ("import sys; from pathlib import Path; from graders.similarity import compare_submissions; "
              "from reports.similarity import similarity_csv; "
              "print(similarity_csv(compare_submissions([Path(p) for p in sys.argv[2:]], Path(sys.argv[1]))))")
    outputs = {
        subprocess.run([sys.executable, "-c", script, str(starter), *map(str, paths)], capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1 and "copy,loops,1.00" in outputs.pop()
