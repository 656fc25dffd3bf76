"""A whole batch through the real worker processes and (where bwrap works) the real sandbox."""

import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from graders.batch import BatchOptions, grade_batch, plan_workers
from graders.gradebook import Gradebook
from graders.sandbox import SCRATCH_PREFIX
from graders.spec import load_assignment
from graders.submission import find_submissions
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, write_notebook


def test_batch_scores_each_submission_on_its_own(toy, toy_submissions, tmp_path):
    out = tmp_path / "out"
    seen = []
    records = grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2),
                          lambda record, cached: seen.append((record.student, cached)))
    by_student = {r.student: r for r in records}
    assert {s: r.auto_earned for s, r in by_student.items()} == {"alice": 5, "bob": 3, "carol": 2, "dave": 0}
    assert all(r.auto_possible == 5 for r in records)
    assert by_student["dave"].status == "failed"
    assert "not valid notebook JSON" in by_student["dave"].reason
    carol = by_student["carol"]
    assert [c.error for c in carol.cells if c.status == "error"] == ["NameError: name 'undefined_name' is not defined"]
    failed = [t for t in carol.tests if t.outcome == "failed"]
    assert {t.question for t in failed} == {"q2"}
    assert all(t.message == "your notebook does not define `scale`" for t in failed)
    metrics = {r.student: [t.metrics for t in r.tests if t.name == "test_add_small"] for r in records}
    assert metrics == {"alice": [{"add_2_3": 5.0}], "bob": [{"add_2_3": -1.0}], "carol": [{"add_2_3": 5.0}], "dave": []}
    bob_hidden = [t for t in by_student["bob"].tests if t.hidden]
    assert bob_hidden and "add(" in bob_hidden[0].message
    assert sorted(cached for _, cached in seen) == [False] * 4

    with Gradebook(out / "gradebook.sqlite") as book:
        assert sorted(r.student for r in book.records("toy")) == ["alice", "bob", "carol", "dave"]


def test_rerun_is_served_from_the_cache_and_a_changed_notebook_is_regraded(toy, toy_submissions, tmp_path):
    out = tmp_path / "out"
    grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2))
    write_notebook(toy_submissions, "bob.ipynb", "import numpy as np\ndef add(a, b):\n    return a + b",
                   "def scale(x, k):\n    return np.asarray(x) * k")
    seen = {}
    records = grade_batch(toy, find_submissions(toy_submissions), out, BatchOptions(workers=2),
                          lambda record, cached: seen.update({record.student: cached}))
    assert seen == {"alice": True, "bob": False, "carol": True, "dave": True}
    bob = next(r for r in records if r.student == "bob")
    assert bob.auto_earned == 4  # add fixed; scale no longer raises TypeError on strings


def test_a_batch_leaves_no_folder_behind(toy, toy_submissions, tmp_path):
    """The workers are killed when the batch ends; the folders they and their fork servers made
    go with them, not at the next batch."""
    def scratch_folders() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"))
    before = scratch_folders()
    grade_batch(toy, find_submissions(toy_submissions), tmp_path / "out", BatchOptions(workers=2))
    assert scratch_folders() - before == set()


def test_worker_plan():
    assert plan_workers(0, cores=2, gpus=[]) == (1, 2)
    assert plan_workers(0, cores=16, gpus=["0", "1"]) == (2, 8)
    assert plan_workers(3, cores=2, gpus=[]) == (3, 1)


def test_changing_a_grader_test_regrades_every_submission(toy, toy_submissions, tmp_path):
    copy = tmp_path / "toy"
    shutil.copytree(toy.root, copy)
    assignment = load_assignment(copy)
    out = tmp_path / "out"
    grade_batch(assignment, find_submissions(toy_submissions), out, BatchOptions(workers=2))
    test_file = copy / "tests" / "public" / "test_q1.py"
    test_file.write_text(test_file.read_text().replace("add(2, 3)", "add(2,  3)"))
    seen = {}
    grade_batch(load_assignment(copy), find_submissions(toy_submissions), out, BatchOptions(workers=2),
                lambda record, cached: seen.update({record.student: cached}))
    assert seen == {"alice": False, "bob": False, "carol": False, "dave": False}


OBSERVE = r'''
import json, os, random, sys
import numpy as np
seen = {
    "names": sorted(name for name in globals() if not name.startswith("_")),
    "random": random.random(), "numpy": float(np.random.rand()),
    "cwd": os.getcwd(), "files": sorted(os.listdir(".")), "tmp": sorted(os.listdir(os.environ["TMPDIR"])),
    "planted": [os.environ.get("PLANTED"), getattr(np, "planted", None), os.path.exists("/tmp/planted")],
    "modules": "torch" in sys.modules,
}
print(json.dumps(seen))
'''
PLANT = ("import os, numpy as np\nos.environ['PLANTED'] = '1'\nnp.planted = 1\n"
         "open('/tmp/planted', 'w').write('x')\nopen('left-behind', 'w').write('x')\n"
         "open(os.path.join(os.environ['TMPDIR'], 'left'), 'w').write('x')")


def test_a_kernel_started_ahead_is_exactly_a_fresh_one(toy, tmp_path):
    """With one worker, the first submission gets a kernel started on demand and the others get
    spare kernels that booted while the previous one was graded; each notebook sees the same:
    the same names, the same seeded random numbers, an empty working folder, nothing another
    submission planted."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("s1", "s2", "s3"):
        write_notebook(folder, f"{name}.ipynb", OBSERVE, PLANT, RIGHT_ADD, RIGHT_SCALE)
    out = tmp_path / "out"
    records = grade_batch(toy, find_submissions(folder), out, BatchOptions(workers=1))
    assert [r.auto_earned for r in records] == [5, 5, 5]
    seen = [nbformat.read(out / r.executed, as_version=4).cells[0].outputs[0]["text"] for r in records]
    assert seen[0] == seen[1] == seen[2]
    first = json.loads(seen[0])
    assert first["files"] == [".ipython", ".tmp"] and first["tmp"] == [] and first["planted"] == [None, None, False]
    # IPython's own names and the cell's imports; nothing of the grader's
    assert first["names"] == ["In", "Out", "exit", "get_ipython", "json", "np", "open", "os", "quit", "random", "sys"]


def test_the_submissions_that_took_longest_last_time_are_graded_first(toy, tmp_path):
    """A slow notebook started last holds up the batch: a re-grade starts with the slowest of the
    last run, and keeps the given order for the rest and for submissions it has not seen."""
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a", "b", "c"):
        write_notebook(folder, f"{name}.ipynb", "import time\ntime.sleep(2)" if name == "b" else "pass",
                       RIGHT_ADD, RIGHT_SCALE)
    out = tmp_path / "out"
    order = []
    options = BatchOptions(workers=1, use_cache=False)
    grade_batch(toy, find_submissions(folder), out, options, lambda record, cached: order.append(record.student))
    assert order == ["a", "b", "c"]
    write_notebook(folder, "d.ipynb", "pass")
    order.clear()
    grade_batch(toy, find_submissions(folder), out, options, lambda record, cached: order.append(record.student))
    assert order[0] == "b" and order[1:] in (["a", "c", "d"], ["c", "a", "d"])
