"""Hostile and broken submissions, graded through the real worker processes and sandbox.

Every case must end with the batch finished, the right score for that submission, a clear
reason in its record, and the well-behaved submission graded as usual beside it.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from graders import cgroup, sandbox
from graders.batch import BatchOptions, grade_batch
from graders.gradebook import Gradebook
from graders.paths import REPO_ROOT
from graders.sandbox import bwrap_works
from graders.submission import file_stem, find_submissions, same_student
from tests.engine.toy import RIGHT_ADD, RIGHT_SCALE, TOY, write_notebook
from tests.vocabulary import problems

needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")


needs_cgroups = pytest.mark.skipif(not cgroup.available(), reason="no permission to create cgroups here")

RIGHT = (RIGHT_ADD, RIGHT_SCALE)

# name -> cells; each notebook defines the right answers around its misbehaviour
CASES = {
    "infinite_loop": (RIGHT_ADD, "while True:\n    pass", RIGHT_SCALE),
    "sleep_forever": (RIGHT_ADD, "import time\ntime.sleep(10**6)", RIGHT_SCALE),
    "exit_midway": (RIGHT_ADD, "import os\nos._exit(0)", RIGHT_SCALE),
    "segfault": (RIGHT_ADD, "import ctypes\nctypes.string_at(0)", RIGHT_SCALE),
    "huge_output": (*RIGHT, "print('spam ' * 10_000_000)"),
    "network": (*RIGHT, "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=5).read()"),
    "reads_reference": (*RIGHT, f"print(open({str(REPO_ROOT / 'reference' / 'hw4' / 'q4_dilated.py')!r}).read())"),
    "reads_hidden_tests": (*RIGHT, f"print(open({str(TOY / 'tests' / 'hidden' / 'test_q1_hidden.py')!r}).read())"),
    "writes_outside": (*RIGHT, f"open({str(Path(sys.prefix) / 'pwned.txt')!r}, 'w').write('x')"),
    "lying_eq": (
        "class AlwaysEqual:\n    def __eq__(self, other):\n        return True\n"
        "    def __float__(self):\n        return 5.0\n"
        "def add(a, b):\n    return AlwaysEqual()",
        "import numpy as np\n" + RIGHT_SCALE,
    ),
    "lying_array": (
        RIGHT_ADD,
        "class Fake:\n    def __array__(self, dtype=None, copy=None):\n        return np.zeros((2, 3))\n"
        "    def __eq__(self, other):\n        return True\n"
        "def scale(x, k):\n    if isinstance(x, str):\n        raise TypeError('no')\n    return Fake()",
    ),
    "patches_numpy": (
        "import numpy as np\ndef add(a, b):\n    return a - b",
        "np.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.array_equal = lambda *a, **k: True\n"
        "def scale(x, k):\n    if isinstance(x, str):\n        raise TypeError('no')\n    return np.asarray(x) * 0",
    ),
    "fake_accuracy": ("print('accuracy: 0.99')\nprint('All tests passed! 5/5')",),
    "dies_during_test": ("import os\ndef add(a, b):\n    os._exit(1)", "import numpy as np\n" + RIGHT_SCALE),
}

# name -> (auto points expected of 5, what the record must say)
EXPECTED = {
    "infinite_loop": (5, "timeout"),
    "sleep_forever": (5, "timeout"),
    "exit_midway": (0, "dead"),
    "segfault": (0, "dead"),
    "huge_output": (5, ""),
    "network": (5, "URLError"),
    "reads_reference": (5, "FileNotFoundError"),
    "reads_hidden_tests": (5, "FileNotFoundError"),
    "writes_outside": (5, "Read-only file system"),
    "lying_eq": (3, "cannot send a value of type AlwaysEqual"),
    "lying_array": (3, "scale(x, 3) is not 3·x"),
    "patches_numpy": (1, "add(2, 3) returned -1"),
    "fake_accuracy": (0, "your notebook does not define `add`"),
    "dies_during_test": (0, "your notebook stopped while answering"),
}


def _record_text(record) -> str:
    return " ".join([record.reason, *(c.status + " " + c.error for c in record.cells), *(t.message for t in record.tests)])


@needs_bwrap
def test_hostile_submissions_score_exactly_and_leave_the_others_alone(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "honest.ipynb", *RIGHT)
    for name, cells in CASES.items():
        write_notebook(folder, f"{name}.ipynb", *cells)
    started = time.monotonic()
    records = {r.student: r for r in grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions(workers=2))}
    assert time.monotonic() - started < 600
    assert records["honest"].auto_earned == 5 and not [c for c in records["honest"].cells if c.status != "ok"]
    for name, (points, evidence) in EXPECTED.items():
        record = records[name]
        assert record.auto_earned == points, f"{name}: {record.auto_earned} points; {_record_text(record)}"
        assert evidence in _record_text(record), f"{name}: {_record_text(record)}"
    assert not (Path(sys.prefix) / "pwned.txt").exists()
    huge = next(c for c in records["huge_output"].cells if c.index == 2)
    assert huge.status == "ok"
    # the hidden tests' path is the student's own text, quoted back in their error
    assert problems(list(records.values()), toy, written_by_students=(str(TOY),)) == {}, \
        "every message speaks the student's language"


@needs_cgroups
def test_memory_bomb_is_stopped_with_a_reason(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "bomb.ipynb", RIGHT_ADD, "hog = bytearray(8 * 2**30)", RIGHT_SCALE)
    (record,) = grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions())
    assert record.auto_earned == 0
    assert "more than its memory limit of 2048 MB" in _record_text(record)


@needs_cgroups
def test_fork_bomb_is_capped(toy, tmp_path):
    bomb = (
        "import os, time\n"
        "children = 0\n"
        "for _ in range(5000):\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
        "        children += 1\n"
        "    except OSError:\n"
        "        break\n"
    )
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "forks.ipynb", RIGHT_ADD, bomb, RIGHT_SCALE)
    (record,) = grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions())
    # the cap stopped the loop; the kernel still answers, though its sleeping children use up
    # the process budget, so the next cell cannot even start a thread
    assert record.status == "graded"
    assert [q.auto_earned for q in record.questions] == [2, 0], _record_text(record)


def test_unusable_files_fail_alone(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "honest.ipynb", *RIGHT)
    write_notebook(folder, "دانشجو_فارسی.ipynb", *RIGHT)
    (folder / "not_json.ipynb").write_text("{oops")
    (folder / "empty.ipynb").write_bytes(b"")
    with (folder / "huge.ipynb").open("wb") as stream:  # sparse: 200 MB on paper, nothing on disk
        stream.truncate(200 * 2**20)
    r_kernel = write_notebook(folder, "r_kernel.ipynb", "print(1)")
    r_kernel.write_text(r_kernel.read_text().replace('"language": "python"', '"language": "R"'))
    records = {r.submission: r for r in grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions(workers=2))}
    assert records["honest.ipynb"].auto_earned == 5
    assert records["دانشجو_فارسی.ipynb"].auto_earned == 5
    assert records["دانشجو_فارسی.ipynb"].student == "دانشجو_فارسی"
    for name, reason in [("not_json.ipynb", "not valid notebook JSON"), ("empty.ipynb", "the file is empty"),
                         ("huge.ipynb", "the limit is 50 MB"), ("r_kernel.ipynb", "the notebook is written in R, not Python")]:
        assert records[name].status == "failed" and reason in records[name].reason, records[name].reason
        assert records[name].auto_possible == 5


def test_two_submissions_of_one_student_are_kept_apart(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "sara.ipynb", *RIGHT)
    write_notebook(folder, "sara (1).ipynb", "import numpy as np\ndef add(a, b):\n    return 0", RIGHT_SCALE)
    out = tmp_path / "out"
    records = {r.submission: r.auto_earned for r in grade_batch(toy, find_submissions(folder), out, BatchOptions())}
    assert records == {"sara.ipynb": 5, "sara (1).ipynb": 3}
    with Gradebook(out / "gradebook.sqlite") as book:
        assert len(book.records("toy")) == 2


def test_sigkill_midway_then_rerun_finishes_without_regrading_or_duplicates(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    for i in range(4):
        write_notebook(folder, f"s{i}.ipynb", *RIGHT, "import time\ntime.sleep(2)")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "graders.cli", str(TOY), "--submissions", str(folder), "--out", str(out), "-j", "1"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                           cwd=REPO_ROOT)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _graded(out) < 1:
        time.sleep(0.5)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    done_before = _graded(out)
    assert 1 <= done_before < 4, "the kill must land midway"
    left_by_the_killed_batch = f"{sandbox.SCRATCH_PREFIX}{run.pid}-"  # its kernels' scratch folders

    seen = {}
    records = grade_batch(toy, find_submissions(folder), out, BatchOptions(workers=2),
                          lambda record, cached: seen.update({record.submission: cached}))
    assert sum(seen.values()) == done_before, "what was committed is not graded again"
    assert [r.auto_earned for r in records] == [5, 5, 5, 5]
    with Gradebook(out / "gradebook.sqlite") as book:
        assert sorted(r.submission for r in book.records("toy")) == [f"s{i}.ipynb" for i in range(4)]
    # its workers died with it, and the next batch removed what it had left behind
    assert not list(Path(tempfile.gettempdir()).glob(f"{left_by_the_killed_batch}*"))
    assert not [p for p in Path("/proc").iterdir() if p.name.isdigit()
                and left_by_the_killed_batch.encode() in _cmdline(p)]


def _graded(out: Path) -> int:
    if not (out / "gradebook.sqlite").exists():
        return 0
    with Gradebook(out / "gradebook.sqlite") as book:
        return len(book.records("toy"))


def test_only_regular_files_are_graded(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    honest = write_notebook(folder, "honest.ipynb", *RIGHT)
    (folder / "neighbour.ipynb").symlink_to(honest)  # one student running another's notebook
    (folder / "zero.ipynb").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.ipynb")
    (folder / "folder.ipynb").mkdir()
    records = {r.submission: r for r in grade_batch(toy, find_submissions(folder), tmp_path / "out",
                                                     BatchOptions(workers=2))}
    assert records["honest.ipynb"].auto_earned == 5
    for name, kind in [("neighbour.ipynb", "a symbolic link"), ("zero.ipynb", "a symbolic link"),
                       ("fifo.ipynb", "a named pipe (FIFO)"), ("folder.ipynb", "a folder")]:
        assert records[name].status == "failed", name
        assert records[name].reason == f"the submission is {kind}, not a notebook file"


def test_names_that_look_alike_never_share_a_report(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    names = ["a b.ipynb", "a_b.ipynb", "علی‌رضا.ipynb", "علی رضا.ipynb", "علیرضا.ipynb"]  # ZWNJ, space, neither
    for name in names:
        write_notebook(folder, name, *RIGHT)
    out = tmp_path / "out"
    paths = find_submissions(folder)
    records = grade_batch(toy, paths, out, BatchOptions(workers=2))
    assert sorted(r.submission for r in records) == sorted(names)
    assert len({file_stem(p) for p in paths}) == len(names)
    assert len(list((out / "records").glob("*.json"))) == len(names)
    assert len(list((out / "executed").glob("*.ipynb"))) == len(names)
    # 'a b' and 'a_b' are one student id: both graded and kept, and flagged for a person to check;
    # a zero-width non-joiner is part of a Persian name, so those three names stay three students
    assert same_student(paths) == {"a_b": [folder / "a b.ipynb", folder / "a_b.ipynb"]}
    assert {r.student for r in records} == {"a_b", "علی‌رضا", "علی_رضا", "علیرضا"}


@needs_cgroups
def test_a_worker_killed_on_timeout_leaves_nothing_behind(toy, tmp_path, monkeypatch):
    from graders import batch

    scratch_parent = tmp_path / "scratch"
    scratch_parent.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_parent))
    monkeypatch.setattr(batch, "TESTS_ALLOWANCE_S", 5 - toy.limits.notebook_timeout_s)  # the batch's limit: 5 s
    made = []
    create = cgroup.create
    monkeypatch.setattr(cgroup, "create", lambda *args, **kwargs: made.append(create(*args, **kwargs)) or made[-1])
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "slow.ipynb", RIGHT_ADD, "import subprocess, time\n"
                   "subprocess.Popen(['sleep', '617'], start_new_session=True)\ntime.sleep(9)")
    (record,) = grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions())
    assert record.status == "failed" and record.reason == "grading took longer than 5 s and was stopped"
    assert list(scratch_parent.iterdir()) == []
    assert made and not [folder for group in made if group for folder in group.folders if folder.exists()]
    leftovers = [p for p in Path("/proc").iterdir() if p.name.isdigit() and b"sleep\x00617" in _cmdline(p)]
    assert leftovers == []


def _cmdline(process: Path) -> bytes:
    try:
        return (process / "cmdline").read_bytes()
    except OSError:
        return b""


def test_a_worker_that_dies_is_not_said_to_have_run_out_of_time(toy, tmp_path, monkeypatch):
    """A worker that dies under a submission closes its replies a moment before it has exited;
    the record says it stopped, not that grading took too long (it took a second)."""
    from graders import batch

    def dies_while_answering(worker, job, limit):
        threading.Timer(0.5, os.killpg, (worker.process.pid, signal.SIGKILL)).start()
        return None  # its replies closed: no answer

    monkeypatch.setattr(batch.Worker, "_ask", dies_while_answering)
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "s.ipynb", *RIGHT)
    (record,) = grade_batch(toy, find_submissions(folder), tmp_path / "out", BatchOptions(workers=1))
    assert record.status == "failed"
    assert record.reason.startswith("the grader process stopped unexpectedly (exit code -9)")
