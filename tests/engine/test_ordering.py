"""Which submission a batch grades first: the longest, by the last run or the notebook's own record."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graders.batch import BatchOptions, grade_batch
from graders.ordering import longest_first, recorded_seconds
from graders.spec import Limits
from graders.submission import find_submissions
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, notebook, write_notebook

LIMITS = Limits(cell_timeout_s=120, notebook_timeout_s=900)


def colab_cell(source: str, elapsed_ms: object) -> nbformat.NotebookNode:
    """A code cell as Colab saves it after running it."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata = {"colab": {"base_uri": "https://localhost:8080/"}, "id": "x1", "outputId": "y2",
                     "executionInfo": {"status": "ok", "timestamp": 1700000000000, "user_tz": -210,
                                       "elapsed": elapsed_ms, "user": {"displayName": "Sara", "userId": "1"}}}
    return cell


def save(tmp_path: Path, name: str, cells: list) -> Path:
    book = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / name
    nbformat.write(book, path)
    return path


def test_colab_times_are_summed_over_code_cells(tmp_path):
    text = nbformat.v4.new_markdown_cell("notes")
    text.metadata = {"executionInfo": {"elapsed": 999_000}}  # not a code cell: never counted
    path = save(tmp_path, "a.ipynb", [colab_cell("train()", 42_500), text, colab_cell("test()", 1_500)])
    assert recorded_seconds(path, LIMITS) == pytest.approx(44.0)


def test_times_nbclient_records_are_read(tmp_path):
    """nbclient (as JupyterLab and Kaggle do) keeps each cell's start and end; the record it
    writes itself is read back."""
    book = notebook("import time\ntime.sleep(0.6)", "x = 1")
    NotebookClient(book, timeout=60, kernel_name="python3", record_timing=True).execute()
    path = tmp_path / "ran.ipynb"
    nbformat.write(book, path)
    assert 0.6 <= recorded_seconds(path, LIMITS) < 5


def test_jupyter_timestamps_and_papermill_durations(tmp_path):
    lab = nbformat.v4.new_code_cell("a")
    lab.metadata = {"execution": {"iopub.execute_input": "2026-03-01T10:00:00.250Z",
                                  "iopub.status.busy": "2026-03-01T10:00:00.200Z",
                                  "shell.execute_reply": "2026-03-01T10:01:30.250Z"}}
    busy_only = nbformat.v4.new_code_cell("b")
    busy_only.metadata = {"execution": {"iopub.status.busy": "2026-03-01T10:02:00+03:30",
                                        "iopub.status.idle": "2026-03-01T10:02:10+03:30"}}
    papermill = nbformat.v4.new_code_cell("c")
    papermill.metadata = {"papermill": {"duration": 2.5, "status": "completed"}}
    path = save(tmp_path, "a.ipynb", [lab, busy_only, papermill])
    assert recorded_seconds(path, LIMITS) == pytest.approx(90 + 10 + 2.5)


def test_a_cell_counts_at_most_the_cell_limit_and_a_notebook_at_most_its_limit(tmp_path):
    one_long = save(tmp_path, "a.ipynb", [colab_cell("loop()", 3_600_000), colab_cell("x", 1_000)])
    assert recorded_seconds(one_long, LIMITS) == 121
    many = save(tmp_path, "b.ipynb", [colab_cell(f"epoch({i})", 100_000) for i in range(20)])
    assert recorded_seconds(many, LIMITS) == 900


@pytest.mark.parametrize("elapsed", [float("nan"), float("inf"), -5_000, True, "9000", None, [1], {"ms": 1}])
def test_a_record_that_is_not_a_time_counts_nothing(tmp_path, elapsed):
    path = save(tmp_path, "a.ipynb", [colab_cell("x", elapsed), colab_cell("y", 2_000)])
    assert recorded_seconds(path, LIMITS) == pytest.approx(2.0)


def test_unreadable_or_strange_notebooks_count_nothing(tmp_path):
    odd = {
        "broken.ipynb": b'{"cells": [',
        "deep.ipynb": b'{"cells": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
        "latin1.ipynb": '{"cells": []} \xe9'.encode("latin-1"),
        "list.ipynb": b"[1, 2]",
        "cells-not-list.ipynb": b'{"cells": {"a": 1}}',
        "metadata-not-dict.ipynb": b'{"cells": [{"cell_type": "code", "metadata": [1]}, 5]}',
        "info-not-dict.ipynb": b'{"cells": [{"cell_type": "code", "metadata": {"executionInfo": 3, '
                               b'"execution": "now", "papermill": null}}]}',
        "bad-stamps.ipynb": b'{"cells": [{"cell_type": "code", "metadata": {"execution": '
                            b'{"iopub.execute_input": "yesterday", "shell.execute_reply": "2026-03-01T10:00:00Z"}}}]}',
        "mixed-zones.ipynb": b'{"cells": [{"cell_type": "code", "metadata": {"execution": '
                             b'{"iopub.execute_input": "2026-03-01T10:00:00", "shell.execute_reply": "2026-03-01T10:00:09Z"}}}]}',
        "backwards.ipynb": b'{"cells": [{"cell_type": "code", "metadata": {"execution": '
                           b'{"iopub.execute_input": "2026-03-01T10:00:09Z", "shell.execute_reply": "2026-03-01T10:00:00Z"}}}]}',
    }
    for name, content in odd.items():
        (tmp_path / name).write_bytes(content)
        assert recorded_seconds(tmp_path / name, LIMITS) == 0.0, name
    assert recorded_seconds(tmp_path / "missing.ipynb", LIMITS) == 0.0


def test_a_link_or_a_fifo_is_not_read(tmp_path):
    """A FIFO would block the batch before it starts; a link may point at another student's
    notebook. Neither is opened (each gets its reason when graded)."""
    slow = save(tmp_path, "slow.ipynb", [colab_cell("x", 60_000)])
    (tmp_path / "link.ipynb").symlink_to(slow)
    os.mkfifo(tmp_path / "fifo.ipynb")
    assert recorded_seconds(tmp_path / "link.ipynb", LIMITS) == 0.0
    assert recorded_seconds(tmp_path / "fifo.ipynb", LIMITS) == 0.0


def test_the_last_run_comes_before_the_record_and_ties_keep_their_order(tmp_path):
    paths = {name: save(tmp_path, f"{name}.ipynb", [colab_cell("x", seconds * 1000)])
             for name, seconds in [("a", 0), ("b", 5), ("c", 50), ("d", 0), ("e", 5)]}
    todo = [(paths[name], f"key-{name}") for name in "abcde"]
    assert [p.stem for p, _ in longest_first(todo, {}, LIMITS)] == ["c", "b", "e", "a", "d"]
    # graded before: c took 1 s here (whatever its record says), a took 7 s
    assert [p.stem for p, _ in longest_first(todo, {"c.ipynb": 1.0, "a.ipynb": 7.0}, LIMITS)] == \
        ["a", "b", "e", "c", "d"]
    assert longest_first(todo, {}, LIMITS)[0] == (paths["c"], "key-c")


def test_a_first_run_grades_the_notebook_recorded_as_longest_first(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a", "b"):
        write_notebook(folder, f"{name}.ipynb", RIGHT_ADD, RIGHT_SCALE)
    long = notebook(RIGHT_ADD, RIGHT_SCALE)
    long.cells[0].metadata["executionInfo"] = {"status": "ok", "elapsed": 30_000}
    nbformat.write(long, folder / "c.ipynb")
    order = []
    grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions(workers=1),
                lambda record, cached: order.append(record.student))
    assert order == ["c", "a", "b"]
