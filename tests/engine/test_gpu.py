"""The GPU path: one GPU per worker, the device inside the sandbox, seeded training reproducible.

Runs only where `nvidia-smi` lists a GPU (skipped elsewhere, e.g. in CI): `pytest -m gpu`.
"""

from __future__ import annotations

import pytest

from graders.batch import BatchOptions, gpu_ids, grade_batch
from graders.paths import REPO_ROOT
from graders.spec import load_assignment
from tests.engine.toy import write_notebook

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not gpu_ids(), reason="no GPU on this machine")]

SEES_THE_GPU = (
    "import torch\n"
    "assert torch.cuda.is_available(), 'no CUDA device in the sandbox'\n"
    "x = torch.randn(256, 256, device='cuda')\n"
    "print(torch.cuda.get_device_name(0), float((x @ x).sum()))"
)


def test_a_sandboxed_kernel_uses_its_gpu(toy, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    write_notebook(folder, "gpu.ipynb", SEES_THE_GPU)
    (record,) = grade_batch(toy, sorted(folder.iterdir()), tmp_path / "out", BatchOptions())
    assert record.cells[0].status == "ok", record.cells[0].error
    assert record.environment["gpu"] != "none"


@pytest.mark.parametrize("homework", ["hw4", "hw5"])
def test_seeded_training_on_the_gpu_is_reproducible(homework, tmp_path):
    """The solution graded twice on the GPU: the same checks pass, with the same measured numbers."""
    assignment = load_assignment(REPO_ROOT / "assignments" / homework)
    solution = assignment.submissions_dir / "solution_demo.ipynb"
    runs = [grade_batch(assignment, [solution], tmp_path / f"out{i}", BatchOptions(use_cache=False))[0]
            for i in range(2)]
    for record in runs:
        assert record.status == "graded" and record.auto_earned == record.auto_possible, record.reason
    first, second = ([(t.name, t.outcome, t.metrics) for t in record.tests] for record in runs)
    assert first == second
