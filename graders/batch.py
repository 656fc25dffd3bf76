"""Grading many submissions on one machine: one worker process per submission, several at once.

Each submission is graded by `python -m graders.worker` in its own process (so a crash, hang
or memory bomb is that submission's alone), with one GPU per worker when there are GPUs.
Results come from the gradebook's cache when nothing they depend on has changed, and each
new result is committed as soon as it is ready: an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from graders.cache import cache_key, grading_inputs_hash
from graders.gradebook import Gradebook
from graders.record import ResultRecord
from graders.spec import Assignment
from graders.submission import file_sha256
from graders.worker import GraderTestsBroken, failed_record

TESTS_ALLOWANCE_S = 600  # on top of the notebook's own time limit


@dataclass(frozen=True)
class BatchOptions:
    mode: str = "grade"
    profile: str = "tiny"
    workers: int = 0  # 0: one per GPU if there are GPUs, else one per two cores
    sandbox: bool = True
    use_cache: bool = True
    hide: tuple[Path, ...] = ()  # more folders no kernel may see (the download of every student's files)


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


def grade_batch(assignment: Assignment, submissions: Sequence[Path], out_dir: Path, options: BatchOptions,
                on_result: Callable[[ResultRecord, bool], None] = lambda record, cached: None) -> list[ResultRecord]:
    """Grade every submission; `on_result(record, from_cache)` is called as each one finishes."""
    gpus = gpu_ids()
    workers, threads = plan_workers(options.workers, os.cpu_count() or 1, gpus)
    inputs_hash = grading_inputs_hash(assignment)
    results: dict[Path, ResultRecord] = {}
    lock = threading.Lock()
    free_gpus = list(gpus)

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
            with lock:
                gpu = free_gpus.pop(0) if free_gpus else ""
            try:
                return _run_worker(assignment, path, key, out_dir, options, threads, gpu)
            finally:
                if gpu:
                    with lock:
                        free_gpus.append(gpu)

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run, path, key): path for path, key in todo}
            for future in as_completed(futures):
                record = future.result()
                book.save(record)  # committed now: a later crash cannot lose it
                results[futures[future]] = record
                on_result(record, False)
    return [results[p] for p in submissions]


def _run_worker(assignment: Assignment, path: Path, key: str, out_dir: Path, options: BatchOptions,
                threads: int, gpu: str) -> ResultRecord:
    """Grade one submission in a child process; whatever happens, return a record."""
    record_path = out_dir / "records" / f"{path.stem}.json"
    log_path = out_dir / "logs" / f"{path.stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "graders.worker", str(assignment.root), str(path),
        "--out", str(record_path), "--mode", options.mode, "--profile", options.profile,
        "--cache-key", key, "--threads", str(threads), "--gpu", gpu,
        "--hide", str(out_dir), *(arg for folder in options.hide for arg in ("--hide", str(folder))),
    ] + ([] if options.sandbox else ["--no-sandbox"])
    limit = assignment.limits.notebook_timeout_s + TESTS_ALLOWANCE_S
    with log_path.open("w", encoding="utf-8") as log:
        try:
            code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=limit).returncode
        except subprocess.TimeoutExpired:
            return failed_record(assignment, path, options.mode, f"grading took longer than {limit:.0f} s and was stopped",
                                 cache_key=key)
    if code == 0 and record_path.is_file():
        return ResultRecord.from_json(record_path.read_text(encoding="utf-8"))
    if code == 3:
        raise GraderTestsBroken(log_path.read_text(encoding="utf-8").strip().splitlines()[-1])
    return failed_record(assignment, path, options.mode,
                         f"the grader process stopped unexpectedly (exit code {code}); see {log_path}", cache_key=key)


def _safe_sha(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return "unreadable"
