import nbformat
import pytest

from graders import submission as submission_module
from graders.submission import SubmissionError, load_submission
from tests.engine.toy import RIGHT_ADD, notebook, write_notebook


def test_valid_notebook(tmp_path):
    path = write_notebook(tmp_path, "Ali Rezaei.ipynb", RIGHT_ADD)
    sub = load_submission(path)
    assert sub.student == "Ali_Rezaei"
    assert len(sub.sha256) == 64
    assert sub.notebook.cells[0].source == RIGHT_ADD


def test_persian_file_name(tmp_path):
    path = write_notebook(tmp_path, "رضا_آدینه‌پور.ipynb", RIGHT_ADD)
    assert load_submission(path).student == "رضا_آدینه‌پور"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "the file is empty"),
        (b"{not json", "not valid notebook JSON"),
        (b'{"cells": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "nested too deeply"),
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (b"[1, 2]", "no 'cells' list"),
        (b'{"cells": "nope", "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "not a valid Jupyter notebook"),
    ],
)
def test_unusable_files_get_one_line_reasons(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(SubmissionError) as err:
        load_submission(path)
    assert reason in err.value.reason
    assert "\n" not in err.value.reason
    assert str(err.value).startswith("x.ipynb: ")


def test_r_kernel_is_refused(tmp_path):
    path = tmp_path / "r.ipynb"
    nbformat.write(notebook("print(1)", language="R"), path)
    with pytest.raises(SubmissionError, match="the notebook is written in R, not Python"):
        load_submission(path)


def test_no_code_cells(tmp_path):
    nb = notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("only prose")]
    path = tmp_path / "prose.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(SubmissionError, match="no code cells"):
        load_submission(path)


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(submission_module, "MAX_NOTEBOOK_BYTES", 100)
    path = write_notebook(tmp_path, "big.ipynb", "x = '" + "a" * 500 + "'")
    with pytest.raises(SubmissionError, match="the limit is"):
        load_submission(path)


def test_missing_file(tmp_path):
    with pytest.raises(SubmissionError, match="file not found"):
        load_submission(tmp_path / "nope.ipynb")
