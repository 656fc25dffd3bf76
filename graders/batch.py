"""Grading many submissions on one machine: long-lived worker processes, several at once.

Each worker (`python -m graders.worker --serve`, one per slot, one GPU each when there are GPUs)
grades one submission at a time in a fresh sandboxed kernel, so a crash, hang or memory bomb is
that submission's alone; it is restarted after a crash, a timeout, or every
`JOBS_PER_WORKER` submissions. The batch owns what the workers use: each kernel's scratch
folder and control group (memory, processes, a CPU share), and a control group capping each
worker's own memory. Workers run in sessions of their own; when one must be killed, its whole
process group goes, and the batch removes everything it had.

Results come from the gradebook's cache when nothing they depend on has changed, and each new
result is committed as soon as it is ready: an interrupted batch resumes where it stopped. The
cache and the commits are the same when the submissions are graded on a Ray cluster instead
(`BatchOptions.backend = "ray"`, graders/ray_backend.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from graders import cgroup as cgroups
from graders.cache import cache_key, grading_inputs_hash
from graders.gradebook import Gradebook
from graders.jobs import GraderTestsBroken, Job, Resources, failed_record
from graders.ordering import longest_first
from graders.record import ResultRecord
from graders.sandbox import LAUNCHER, new_scratch, remove_orphans, remove_scratch, remove_scratch_of
from graders.spec import Assignment
from graders.submission import file_sha256, file_stem

TESTS_ALLOWANCE_S = 600  # on top of the notebook's own time limit
WORKER_PROCESSES = 4096  # the worker's threads (torch, TensorFlow) count as processes in a cgroup
JOBS_PER_WORKER = 50  # then a fresh worker process: whatever a long run accumulates is let go


@dataclass(frozen=True)
class BatchOptions:
    mode: str = "grade"
    profile: str = "tiny"
    workers: int = 0  # 0: one per GPU if there are GPUs, else one per two cores
    sandbox: bool = True
    use_cache: bool = True
    backend: str = "local"  # "local": worker processes on this machine; "ray": tasks on a Ray cluster
    address: str = "auto"  # with the Ray backend: the cluster ("auto", "HOST:PORT", "ray://HOST:PORT")


BACKENDS = ("local", "ray")


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
    remove_orphans()  # an earlier batch that was killed may have left scratch folders and cgroups
    inputs_hash = grading_inputs_hash(assignment)
    results: dict[Path, ResultRecord] = {}

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
        if not todo:
            return [results[p] for p in submissions]
        took = {r.submission: r.timing.get("total_s", 0.0) for r in book.records(assignment.id, options.mode)}
        todo = longest_first(todo, took, assignment.limits)
        if options.backend == "ray":
            from graders.ray_backend import grade_on_cluster as backend
        else:
            backend = grade_locally
        with closing(backend(assignment, todo, out_dir, options)) as graded:
            for path, record in graded:
                book.save(record)  # committed now: a later crash cannot lose it
                results[path] = record
                on_result(record, False)
    return [results[p] for p in submissions]


def grade_locally(assignment: Assignment, todo: Sequence[tuple[Path, str]], out_dir: Path, options: BatchOptions
                  ) -> Iterator[tuple[Path, ResultRecord]]:
    """Grade each (submission, cache key) with this machine's worker processes; yield each result
    as it is ready."""
    gpus = gpu_ids()
    workers, threads = plan_workers(options.workers, os.cpu_count() or 1, gpus)
    idle: queue.Queue[Worker] = queue.Queue()
    pool = [Worker(assignment, options, out_dir, slot, gpus[slot] if slot < len(gpus) else "", threads)
            for slot in range(min(workers, len(todo)))]
    for worker in pool:
        idle.put(worker)
    waiting = queue.Queue()  # submissions not yet handed to a worker
    for item in todo:
        waiting.put(item)

    def run() -> tuple[Path, ResultRecord]:
        path, key = waiting.get()
        worker = idle.get()
        try:
            # a spare kernel is worth booting only if another submission will come this way
            return path, worker.grade(path, key, more_to_come=waiting.qsize() >= len(pool))
        finally:
            idle.put(worker)

    threads_pool = ThreadPoolExecutor(max_workers=len(pool))
    try:
        for future in as_completed([threads_pool.submit(run) for _ in todo]):
            yield future.result()
    finally:
        for worker in pool:  # also wakes any thread still waiting on its worker
            worker.stop()
        threads_pool.shutdown(cancel_futures=True)


class Worker:
    """One long-lived worker process and everything it uses; grades one submission at a time."""

    def __init__(self, assignment: Assignment, options: BatchOptions, out_dir: Path, slot: int, gpu: str,
                 threads: int):
        self.assignment, self.options, self.out_dir = assignment, options, out_dir
        self.slot, self.gpu, self.threads = slot, gpu, threads
        self.log_path = out_dir / "logs" / f"worker-{slot}.log"
        self.process: subprocess.Popen | None = None
        self.group: cgroups.Cgroup | None = None
        self.replies: int | None = None
        self.jobs = 0
        self.held: dict[Path, Resources] = {}  # scratch -> resources, everything the worker may be using
        # emptying a finished kernel's group waits for its processes to die (~0.4 s): done beside
        # the next submission's grading, and waited for whenever the worker ends
        self.reaper: ThreadPoolExecutor | None = None
        self.freeing: list[Future] = []

    def grade(self, path: Path, key: str, more_to_come: bool) -> ResultRecord:
        """Grade one submission; whatever happens, return a record."""
        if self.process is None or self.jobs >= JOBS_PER_WORKER:
            if self.process is not None:
                self._end()
            self._start()
        stem = file_stem(path)
        record_path = self.out_dir / "records" / f"{stem}.json"
        record_path.unlink(missing_ok=True)
        kernel = self._allocate()
        spare = self._allocate() if more_to_come and self.jobs + 1 < JOBS_PER_WORKER else None
        job = Job(path, record_path, self.out_dir / "executed" / f"{stem}.ipynb", key, kernel, spare)
        self.jobs += 1
        limit = self.assignment.limits.notebook_timeout_s + TESTS_ALLOWANCE_S
        asked = time.monotonic()
        reply = self._ask(job, limit)
        if reply is None or "spare" not in reply:
            # no answer in time, or none at all: the worker died (its replies closed), and may
            # still be exiting
            timed_out = reply is None and time.monotonic() - asked >= limit
            code = self._end(grace=0 if timed_out else 10)
            if reply is not None and "broken" in reply:
                raise GraderTestsBroken(reply["broken"])
            reason = (f"grading took longer than {limit:.0f} s and was stopped" if timed_out else
                      f"the grader process stopped unexpectedly (exit code {code}); see {self.log_path}")
            return failed_record(self.assignment, path, self.options.mode, reason, cache_key=key)
        kept = Path(reply["spare"]) if reply["spare"] else None
        for scratch in [s for s in self.held if s != kept]:
            if self.reaper is None:
                self.reaper = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"reaper-{self.slot}")
            self.freeing.append(self.reaper.submit(_free, self.held.pop(scratch)))
        record = ResultRecord.from_json(record_path.read_text(encoding="utf-8"))
        if record.executed:
            record = dataclasses.replace(record, executed=str(Path(record.executed).relative_to(self.out_dir)))
        return record

    def stop(self) -> None:
        """End the worker (whatever it was doing) and free everything it had."""
        if self.process is not None:
            self._end()
        if self.reaper is not None:
            self.reaper.shutdown()
            self.reaper = None

    # ---- the process ----

    def _start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        read, write = os.pipe()
        command = [sys.executable, "-m", "graders.worker", str(self.assignment.root), "--serve",
                   "--replies", str(write), "--mode", self.options.mode, "--profile", self.options.profile,
                   "--threads", str(self.threads), "--gpu", self.gpu, "--slot", str(self.slot)]
        command += [] if self.options.sandbox else ["--no-sandbox"]
        self.group = cgroups.create(self.assignment.limits.worker_memory_mb * 2**20, WORKER_PROCESSES)
        if self.group is not None:  # the launcher joins the group, then becomes the worker
            plan = new_scratch() / "worker-launch.json"
            plan.write_text(json.dumps({"cgroups": [str(p) for p in self.group.procs_files], "bwrap_args": None,
                                        "command": command}), encoding="utf-8")
            self.held[plan.parent] = Resources(plan.parent)
            command = [sys.executable, str(LAUNCHER), str(plan)]
        with self.log_path.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
                                            pass_fds=(write,), start_new_session=True, text=True)
        os.close(write)
        self.replies = read
        self.jobs = 0

    def _ask(self, job: Job, limit: float) -> dict | None:
        """Send a job; the worker's answer, or None if it died or ran past `limit` seconds."""
        try:
            self.process.stdin.write(job.to_json() + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):  # it died, or was stopped meanwhile
            return None
        deadline = time.monotonic() + limit
        line = b""
        while not line.endswith(b"\n"):
            ready, _, _ = select.select([self.replies], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.replies, 4096) if ready else b""
            if not chunk:
                return None
            line += chunk
        return json.loads(line)

    def _end(self, grace: float = 0) -> int | None:
        """Kill the worker's whole process group and free what it held. Its exit code, or None if
        it was still running (after `grace` seconds for one that is exiting on its own)."""
        try:
            code = self.process.wait(timeout=grace) if grace else self.process.poll()
        except subprocess.TimeoutExpired:
            code = None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.process.stdin.close()
        remove_scratch_of(self.process.pid)  # its fork server's folder: the kill left it no time
        self.process = None
        os.close(self.replies)
        if self.group is not None:
            self.group.remove()
            self.group = None
        for scratch in list(self.held):
            _free(self.held.pop(scratch))
        for pending in self.freeing:
            pending.result()
        self.freeing.clear()
        return code

    # ---- what its kernels use ----

    def _allocate(self) -> Resources:
        limits = self.assignment.limits
        resources = Resources(new_scratch(), cgroups.create(limits.memory_mb * 2**20, limits.processes, self.threads))
        self.held[resources.scratch] = resources
        return resources


def _free(resources: Resources) -> None:
    """Kill what still runs in a kernel's group, delete the group and the kernel's scratch folder."""
    if resources.cgroup is not None:
        resources.cgroup.remove()
    remove_scratch(resources.scratch)


def _safe_sha(path: Path) -> str:
    """The file's hash for the cache key; never opens what is not a regular file (a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return "not a regular file"
        return file_sha256(path)
    except OSError:
        return "unreadable"
