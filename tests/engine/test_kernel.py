"""The kernel's limits and the sandbox, on notebooks written to misbehave."""

import sys
from pathlib import Path

import pytest

from graders.kernel import AnswerMissing, CallTimeout
from graders.paths import REPO_ROOT
from graders.sandbox import bwrap_works
from tests.engine.toy import live_kernel, notebook

needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")


@pytest.fixture
def kernel():
    with live_kernel(memory_mb=2048) as live:
        yield live


def run(kernel, *sources, cell_timeout=5, total=60):
    return kernel.run_notebook(notebook(*sources), cell_timeout, total, output_limit_bytes=2000)


def test_runaway_cell_is_interrupted_and_the_rest_runs(kernel):
    result = run(kernel, "import time\ntime.sleep(600)", "x = 41 + 1", cell_timeout=2)
    assert [c.status for c in result.cells] == ["timeout", "ok"]
    assert kernel.value("x") == 42


def test_errors_are_recorded_and_execution_goes_on(kernel):
    result = run(kernel, "1/0", "y = 3")
    assert result.cells[0].error == "ZeroDivisionError: division by zero"
    assert kernel.value("y") == 3


def test_kernel_death_skips_the_rest(kernel):
    result = run(kernel, "import os\nos._exit(0)", "z = 1")
    assert [c.status for c in result.cells] == ["dead", "skipped"]
    assert not result.kernel_alive


def test_huge_output_is_capped(kernel):
    nb = notebook("print('x' * 5_000_000)", "for _ in range(200_000):\n    print('y' * 50)")
    kernel.run_notebook(nb, 30, 60, output_limit_bytes=2000)
    for cell, printed in zip(nb.cells, (5_000_001, 200_000 * 51)):
        kept, marker = (output["text"] for output in cell.outputs)
        assert len(kept) <= 2000 and kept.strip("xy\n") == ""
        assert marker == f"[{printed - len(kept):,} more characters of output were not kept]\n"


def test_student_exceptions_keep_their_type(kernel):
    run(kernel, "def f(x):\n    raise ValueError(f'bad {x}')")
    with pytest.raises(ValueError, match="bad 3"):
        kernel.call("f", 3)


@needs_bwrap
def test_sandbox_hides_the_grader_and_cuts_the_network(kernel):
    run(kernel, (
        "import os, socket\n"
        "try:\n"
        f"    visible = sorted(os.listdir({str(REPO_ROOT)!r}))\n"
        "except FileNotFoundError:  # not even the folder: the venv the kernel runs lies elsewhere\n"
        "    visible = []\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=3)\n"
        "    network = True\n"
        "except OSError:\n"
        "    network = False\n"
    ))
    assert kernel.value("network") is False
    assert "reference" not in kernel.value("visible") and "graders" not in kernel.value("visible")


@needs_bwrap
def test_sandbox_cannot_write_outside_its_workdir(kernel):
    result = run(kernel, f"open({str(Path(sys.prefix) / 'evil.txt')!r}, 'w').write('x')")
    assert "Read-only file system" in result.cells[0].error or "Permission denied" in result.cells[0].error
    assert not (Path(sys.prefix) / "evil.txt").exists()


def test_predict_runs_a_model_batch_by_batch(kernel):
    import numpy as np

    run(kernel, "import numpy as np\ncalls = []\n"
                "def model(x):\n    calls.append(len(x))\n    return np.asarray(x).sum(axis=1)\n"
                "models = {'sum': model}")
    inputs = np.arange(20.0).reshape(10, 2)
    np.testing.assert_array_equal(kernel.predict("model", inputs, batch_size=4), inputs.sum(axis=1))
    assert kernel.value("calls") == [4, 4, 2]
    np.testing.assert_array_equal(kernel.predict("models['sum']", inputs), inputs.sum(axis=1))


def test_a_call_past_its_limit_is_stopped_and_the_next_one_answers(kernel):
    run(kernel, "import time\ndef slow():\n    time.sleep(600)\ndef fast():\n    return 1")
    with pytest.raises(CallTimeout, match="^your code gave no answer within 2 s and was stopped$"):
        kernel.call("slow", timeout=2)
    assert kernel.call("fast", timeout=10) == 1


def test_a_missing_name_says_so_in_the_students_words(kernel):
    with pytest.raises(NameError, match="^your notebook does not define `absent`$") as missing:
        kernel.call("absent")
    assert isinstance(missing.value, AnswerMissing)
