"""Grading many submissions on one machine: one worker process per submission, several at once.

Each submission is graded by `python -m graders.worker` in its own process (so a crash, hang
or memory bomb is that submission's alone), with one GPU per worker when there are GPUs.
The batch owns what each worker uses: its scratch folder, its kernel's control group (memory,
processes, a CPU share) and a control group capping the worker's own memory. It runs the
worker in a session of its own, and when the worker is done or has to be killed (the whole
process group), it removes all of it.

Results come from the gradebook's cache when nothing they depend on has changed, and each new
result is committed as soon as it is ready: an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import stat
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from graders import cgroup as cgroups
from graders.cache import cache_key, grading_inputs_hash
from graders.gradebook import Gradebook
from graders.record import ResultRecord
from graders.sandbox import LAUNCHER, kernel_scratch
from graders.spec import Assignment
from graders.submission import file_sha256, file_stem
from graders.worker import GraderTestsBroken, failed_record

TESTS_ALLOWANCE_S = 600  # on top of the notebook's own time limit
WORKER_PROCESSES = 4096  # the worker's threads (torch, TensorFlow) count as processes in a cgroup


@dataclass(frozen=True)
class BatchOptions:
    mode: str = "grade"
    profile: str = "tiny"
    workers: int = 0  # 0: one per GPU if there are GPUs, else one per two cores
    sandbox: bool = True
    use_cache: bool = True


def gpu_ids() -> list[str]:
    """The GPUs `nvidia-smi` sees, without importing a framework."""
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [str(i) for i, line in enumerate(listing.splitlines()) if line.startswith("GPU ")]


def plan_workers(requested: int, cores: int, gpus: Sequence[str]) -> tuple[int, int]:
    """(number of workers, threads per worker)."""
    workers = requested or (len(gpus) if gpus else max(1, cores // 2))
    return workers, max(1, cores // workers)


class _Slots:
    """Which worker slots (and GPUs) are free; a slot gives its kernel a uid of its own."""

    def __init__(self, count: int, gpus: Sequence[str]):
        self._lock = threading.Lock()
        self._free = list(range(count))
        self._gpus = list(gpus)

    def take(self) -> tuple[int, str]:
        with self._lock:
            return self._free.pop(0), (self._gpus.pop(0) if self._gpus else "")

    def give_back(self, slot: int, gpu: str) -> None:
        with self._lock:
            self._free.append(slot)
            if gpu:
                self._gpus.append(gpu)


def grade_batch(assignment: Assignment, submissions: Sequence[Path], out_dir: Path, options: BatchOptions,
                on_result: Callable[[ResultRecord, bool], None] = lambda record, cached: None) -> list[ResultRecord]:
    """Grade every submission; `on_result(record, from_cache)` is called as each one finishes."""
    gpus = gpu_ids()
    workers, threads = plan_workers(options.workers, os.cpu_count() or 1, gpus)
    inputs_hash = grading_inputs_hash(assignment)
    results: dict[Path, ResultRecord] = {}
    slots = _Slots(workers, gpus)

    with Gradebook(out_dir / "gradebook.sqlite") as book:
        todo = []
        for path in submissions:
            key = cache_key(_safe_sha(path), inputs_hash, options.mode, options.profile)
            stored = book.cached(assignment.id, path.name, options.mode, key) if options.use_cache else None
            if stored is not None:
                results[path] = stored
                on_result(stored, True)
            else:
                todo.append((path, key))

        def run(path: Path, key: str) -> ResultRecord:
            slot, gpu = slots.take()
            try:
                return _run_worker(assignment, path, key, out_dir, options, threads, gpu, slot)
            finally:
                slots.give_back(slot, gpu)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run, path, key): path for path, key in todo}
            for future in as_completed(futures):
                record = future.result()
                book.save(record)  # committed now: a later crash cannot lose it
                results[futures[future]] = record
                on_result(record, False)
    return [results[p] for p in submissions]


def _run_worker(assignment: Assignment, path: Path, key: str, out_dir: Path, options: BatchOptions,
                threads: int, gpu: str, slot: int) -> ResultRecord:
    """Grade one submission in a child process; whatever happens, return a record."""
    stem = file_stem(path)
    record_path = out_dir / "records" / f"{stem}.json"
    executed = out_dir / "executed" / f"{stem}.ipynb"
    log_path = out_dir / "logs" / f"{stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.unlink(missing_ok=True)
    limits = assignment.limits
    limit = limits.notebook_timeout_s + TESTS_ALLOWANCE_S
    with kernel_scratch(limits, threads) as (scratch, kernel_group):
        command = [
            sys.executable, "-m", "graders.worker", str(assignment.root), str(path),
            "--out", str(record_path), "--executed", str(executed), "--mode", options.mode,
            "--profile", options.profile, "--cache-key", key, "--threads", str(threads), "--gpu", gpu,
            "--slot", str(slot), "--scratch", str(scratch),
        ] + (["--cgroup", kernel_group.to_json()] if kernel_group else []) + ([] if options.sandbox else ["--no-sandbox"])
        worker_group = cgroups.create(limits.worker_memory_mb * 2**20, WORKER_PROCESSES)
        try:
            code = _run_in_group(command, worker_group, scratch, log_path, limit)
        finally:
            if worker_group is not None:
                worker_group.remove()
    if code is None:
        return failed_record(assignment, path, options.mode, f"grading took longer than {limit:.0f} s and was stopped",
                             cache_key=key)
    if code == 0 and record_path.is_file():
        record = ResultRecord.from_json(record_path.read_text(encoding="utf-8"))
        if record.executed:
            record = dataclasses.replace(record, executed=str(Path(record.executed).relative_to(out_dir)))
        return record
    if code == 3:
        raise GraderTestsBroken(log_path.read_text(encoding="utf-8").strip().splitlines()[-1])
    return failed_record(assignment, path, options.mode,
                         f"the grader process stopped unexpectedly (exit code {code}); see {log_path}", cache_key=key)


def _run_in_group(command: list[str], group: cgroups.Cgroup | None, scratch: Path, log_path: Path,
                  limit: float) -> int | None:
    """Run `command` in its own session (and `group`); its exit code, or None if it ran past
    `limit` seconds, in which case its whole process group is killed."""
    if group is not None:  # the launcher joins the group, then becomes the command
        plan = scratch / "worker-launch.json"
        plan.write_text(json.dumps({"cgroups": [str(p) for p in group.procs_files], "bwrap_args": None,
                                    "command": command}), encoding="utf-8")
        command = [sys.executable, str(LAUNCHER), str(plan)]
    with log_path.open("w", encoding="utf-8") as log:
        worker = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return worker.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            return None


def _safe_sha(path: Path) -> str:
    """The file's hash for the cache key; never opens what is not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return "not a regular file"
        return file_sha256(path)
    except OSError:
        return "unreadable"
