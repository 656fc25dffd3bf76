"""The GPU path's plumbing on a machine without a GPU: what `nvidia-smi` lists becomes one worker
per GPU, each worker's kernels see their own GPU only, and a GPU kernel is sandboxed as any
other, with the driver's files added.

A fake `nvidia-smi` stands in for the driver; the device itself is exercised by test_gpu.py,
which runs only where there is one.
"""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from graders.batch import BatchOptions, gpu_ids, grade_batch
from graders.sandbox import bwrap_works, gpu_args
from tests.engine.toy import write_notebook

REPORT = ("import json, os, resource\n"
          "print(json.dumps({'visible': os.environ.get('CUDA_VISIBLE_DEVICES'),\n"
          "                  'address_space': resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY,\n"
          "                  'pci': os.path.isdir('/sys/bus/pci'), 'shadow': os.path.exists('/etc/shadow')}))")


@pytest.fixture
def two_fake_gpus(tmp_path, monkeypatch) -> list[str]:
    driver = tmp_path / "fake-driver"
    driver.mkdir()
    smi = driver / "nvidia-smi"
    smi.write_text("#!/bin/sh\n"
                   "echo 'GPU 0: NVIDIA Fake (UUID: GPU-00000000)'\n"
                   "echo 'GPU 1: NVIDIA Fake (UUID: GPU-11111111)'\n")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{driver}{os.pathsep}{os.environ['PATH']}")
    return ["0", "1"]


def test_each_worker_has_one_gpu_and_its_kernels_see_that_one_only(toy, two_fake_gpus, tmp_path):
    assert gpu_ids() == two_fake_gpus
    folder = tmp_path / "subs"
    folder.mkdir()
    for name in ("a.ipynb", "b.ipynb", "c.ipynb", "d.ipynb"):
        write_notebook(folder, name, REPORT)
    out = tmp_path / "out"
    records = grade_batch(toy, sorted(folder.iterdir()), out, BatchOptions(use_cache=False))

    used = set()
    for record in records:
        assert record.status == "graded", record.reason
        executed = nbformat.read(out / record.executed, as_version=4)
        seen = json.loads(executed.cells[0].outputs[0]["text"])
        assert seen["visible"] == record.environment["gpu"]  # its worker's GPU, and no other
        used.add(seen["visible"])
        # CUDA reserves far more address space than it uses: no address-space cap on a GPU kernel
        assert seen["address_space"], "a GPU kernel has an address-space limit"
        if bwrap_works():
            assert seen["pci"]  # CUDA reads the PCI tree
            assert not seen["shadow"]  # still the sandbox: no host secrets
    assert used == set(two_fake_gpus)  # one worker per GPU, both busy


def test_a_gpu_kernel_gets_the_driver_device_nodes(tmp_path):
    for name in ("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null", "sda"):
        (tmp_path / name).touch()
    args = gpu_args(tmp_path)
    bound = [args[i + 1] for i, arg in enumerate(args) if arg == "--dev-bind"]
    assert sorted(bound) == sorted(str(tmp_path / n) for n in ("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm"))
