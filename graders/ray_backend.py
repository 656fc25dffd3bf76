"""Grading on a Ray cluster: each submission one Ray task, graded on its node as on this machine.

The driver (the `grade` process) ships each submission's bytes with its task, so nodes need not
see the submissions folder. On the node the task grades it with a `Worker` of the local batch,
kept warm between the batch's tasks in that Ray process (`WarmWorker`): a worker process, a
fresh sandboxed kernel for each submission whose scratch folder and control groups are made and
removed on that node, the assignment's time limit, a failed record for whatever goes wrong.
The task returns the record, the executed notebook and the worker's log; the driver writes them
under the batch's folder, and the batch commits the record to the gradebook (the cache and the
commits are the batch's, as locally).

A task whose node is lost, or whose process dies, is run again by Ray (`NODE_LOSS_RETRIES`); a
task returns once, so each submission is committed once. Every node needs the driver's code,
environment, assignment and data at the same paths (the driver's $GRADER_DATA, $GRADER_WEIGHTS and
$GRADER_HIDDEN are passed on); a node whose copy of the assignment or the grader differs stops
the batch rather than grade with other tests.

Ray is an optional extra (`pip install 'dl-homework-grader[ray]'`) and is imported only here.
"""

from __future__ import annotations

import collections
import dataclasses
import fcntl
import logging
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from graders.batch import BatchOptions, Worker, plan_workers
from graders.cache import grading_inputs_hash
from graders.jobs import GraderTestsBroken, failed_record
from graders.record import ResultRecord, write_atomically
from graders.sandbox import new_scratch, remove_scratch
from graders.spec import Assignment, load_assignment
from graders.submission import SubmissionError, file_stem, load_submission

NODE_LOSS_RETRIES = 3  # a task is run again this often when its node or process is lost
LOG_TAIL_BYTES = 256 * 1024  # of a node's worker log, brought back to the driver
DATA_VARIABLES = ("GRADER_DATA", "GRADER_WEIGHTS", "GRADER_HIDDEN")  # graders/paths.py: the driver's hold on nodes
CANCEL_WAIT_S = 30  # for cancelled tasks to free what they hold, when the batch stops early


class ClusterError(RuntimeError):
    """The cluster cannot grade this batch (Ray missing, no cluster, a node set up differently);
    the message says what to fix."""


@dataclass(frozen=True)
class TaskPlan:
    """How the batch uses the cluster."""

    tasks: int  # submissions graded at once
    cpus: int  # per task: the worker's threads and its kernel's CPU share
    gpus: int  # per task: 1 when the cluster has GPUs and the assignment uses a framework, else 0


@dataclass(frozen=True)
class NodeJob:
    """One submission, as a task carries it to its node."""

    assignment_root: str
    inputs_hash: str  # the driver's grading_inputs_hash: the node's copy must give the same
    name: str  # the submission's file name (its student id and file stem come from it)
    notebook: bytes
    cache_key: str
    options: BatchOptions
    threads: int
    log_path: str  # where the driver keeps this submission's worker log


@dataclass(frozen=True)
class NodeResult:
    """What a task sends back."""

    record: str = ""  # the result record's JSON; its `executed` is relative to the batch folder
    executed: str | None = None  # the executed notebook
    log: str = ""  # the end of the worker's log
    broken: str = ""  # the assignment's own tests cannot run: the batch stops


def grade_on_cluster(assignment: Assignment, todo: Sequence[tuple[Path, str]], out_dir: Path, options: BatchOptions
                     ) -> Iterator[tuple[Path, ResultRecord]]:
    """Grade each (submission, cache key) as a task on the cluster at `options.address`; yield
    each result as it comes back, its executed notebook and log written under `out_dir`."""
    ray = _import_ray()
    connected_here = _connect(ray, options.address)
    try:
        plan = plan_tasks(options.workers, ray.nodes(), wants_gpu=bool(assignment.frameworks))
        task = ray.remote(grade_on_node).options(num_cpus=plan.cpus, num_gpus=plan.gpus, max_retries=NODE_LOSS_RETRIES,
                                                 **_data_locations())
        inputs_hash = grading_inputs_hash(assignment)
        waiting = collections.deque(todo)
        running: dict = {}  # a task's result reference -> its submission
        try:
            while waiting or running:
                while waiting and len(running) < plan.tasks:
                    path, key = waiting.popleft()
                    try:
                        notebook = _read_submission(path)
                    except SubmissionError as err:  # as the worker would record it, without a task
                        yield path, _kept(out_dir, path, failed_record(assignment, path, options.mode, err.reason,
                                                                       cache_key=key))
                        continue
                    job = NodeJob(str(assignment.root), inputs_hash, path.name, notebook, key, options, plan.cpus,
                                  str(_log_path(out_dir, path)))
                    running[task.remote(job)] = path
                if running:
                    [ready], _ = ray.wait(list(running), num_returns=1)
                    path = running.pop(ready)
                    yield path, _kept(out_dir, path, _collect(ray, ready, assignment, path, out_dir, options))
        finally:
            for ref in running:  # the batch stopped: each task's worker frees what it holds on its node
                ray.cancel(ref)
            if running:  # before the driver leaves, which would kill them where they stand
                ray.wait(list(running), num_returns=len(running), timeout=CANCEL_WAIT_S)
    finally:
        if connected_here:
            ray.shutdown()


def plan_tasks(requested: int, nodes: Sequence[dict], wants_gpu: bool) -> TaskPlan:
    """The batch's use of the cluster whose nodes `ray.nodes()` lists: by default one task per
    GPU (when the assignment wants one), else one per two cores, as locally."""
    alive = [node["Resources"] for node in nodes if node.get("Alive")]
    cpus = sum(int(resources.get("CPU", 0)) for resources in alive)
    if cpus == 0:
        raise ClusterError("the Ray cluster has no CPUs: start its worker nodes (`ray start --address ...`) first")
    gpus = sum(int(resources.get("GPU", 0)) for resources in alive) if wants_gpu else 0
    tasks, threads = plan_workers(requested, cpus, [str(i) for i in range(gpus)])
    # a task must fit on one node (with a GPU, one of the nodes that have one)
    largest = max(int(r.get("CPU", 0)) for r in alive if not gpus or r.get("GPU", 0) >= 1)
    return TaskPlan(tasks, max(1, min(threads, largest)), 1 if gpus else 0)


def grade_on_node(job: NodeJob) -> NodeResult:
    """The task: grade one submission on this node as the local batch does, with this process's
    warm worker for the batch (started now if it has none)."""
    import ray

    assignment = load_assignment(job.assignment_root)
    if grading_inputs_hash(assignment) != job.inputs_hash:
        raise ClusterError(f"the node {ray.util.get_node_ip_address()} has another version of the grader or of "
                           f"{job.assignment_root}: every node needs the same code and assignment as the driver")
    gpu = ",".join(str(i) for i in ray.get_gpu_ids())
    with _warm_worker(assignment, job, gpu) as warm:
        submission = warm.folder / "submission" / job.name
        submission.parent.mkdir(exist_ok=True)
        submission.write_bytes(job.notebook)
        worker, log_start = warm.worker, _size(warm.worker.log_path)
        try:
            # the next task of the batch will most likely come to this process: its kernel boots now
            record = worker.grade(submission, job.cache_key, more_to_come=True)
        except GraderTestsBroken as err:
            warm.retire()
            return NodeResult(broken=str(err))
        finally:
            submission.unlink()
        log = _tail(worker.log_path, log_start)
        # a failure's reason names the log: the driver's copy of it
        record = dataclasses.replace(record, reason=record.reason.replace(str(worker.log_path), job.log_path))
        executed = None
        if record.executed:
            executed_path = worker.out_dir / record.executed
            executed = executed_path.read_text(encoding="utf-8")
            executed_path.unlink()
        return NodeResult(record.to_json(), executed, log)


IDLE_STOP_S = 20  # how long a warm worker waits for its batch's next submission


class WarmWorker:
    """A worker (and its slot and folder) kept between the tasks of one batch in a Ray worker
    process, so that each task after the first grades at once: no worker process, kernel fork
    server or framework import to start, and a kernel already booted (the worker's spare). It
    stops, with its spare, when a task of another batch comes, after `IDLE_STOP_S` without a
    task, or when its grader tests are broken."""

    def __init__(self, key: tuple, assignment: Assignment, job: NodeJob, gpu: str):
        self.key = key
        self.claim = ExitStack()
        slot = self.claim.enter_context(claim_slot())
        self.folder = new_scratch()  # swept by a later batch if this process is killed
        self.worker = Worker(assignment, job.options, self.folder / "out", slot, gpu, job.threads)
        self.retired = False

    def retire(self) -> None:
        self.retired = True

    def stop(self) -> None:
        self.worker.stop()
        self.claim.close()
        remove_scratch(self.folder)


_warm: WarmWorker | None = None
_warm_lock = threading.Lock()
_idle_timer: threading.Timer | None = None


@contextmanager
def _warm_worker(assignment: Assignment, job: NodeJob, gpu: str) -> Iterator[WarmWorker]:
    """This process's warm worker for the job's batch, held for the task."""
    global _warm, _idle_timer
    key = (job.assignment_root, job.inputs_hash, job.options, job.threads, gpu)
    with _warm_lock:
        if _idle_timer is not None:
            _idle_timer.cancel()
        if _warm is not None and _warm.key != key:
            _warm.stop()
            _warm = None
        if _warm is None:
            _warm = WarmWorker(key, assignment, job, gpu)
        warm = _warm
    try:
        yield warm
    finally:
        with _warm_lock:
            if warm.retired:
                warm.stop()
                _warm = None
            else:
                _idle_timer = threading.Timer(IDLE_STOP_S, _stop_idle, args=(warm,))
                _idle_timer.daemon = True
                _idle_timer.start()


def _stop_idle(warm: WarmWorker) -> None:
    global _warm
    with _warm_lock:
        if _warm is warm:
            warm.stop()
            _warm = None


def _collect(ray, ready, assignment: Assignment, path: Path, out_dir: Path, options: BatchOptions) -> ResultRecord:
    """A finished task's record, its executed notebook and log written under `out_dir`; a failed
    record when its node was lost more often than Ray runs it again."""
    try:
        result: NodeResult = ray.get(ready)
    except ray.exceptions.RayTaskError as err:  # the grader's own code failed there: a node's set-up
        raise ClusterError(f"a node could not grade {path.name}: {_last_line(err.cause or err)}") from None
    except ray.exceptions.RayError as err:
        reason = (f"the machine grading this notebook was lost {NODE_LOSS_RETRIES + 1} times "
                  f"({type(err).__name__}); it was not graded, and will be when the batch is run again")
        return failed_record(assignment, path, options.mode, reason)  # no cache key: not a result to keep
    if result.broken:
        raise GraderTestsBroken(result.broken)
    write_atomically(_log_path(out_dir, path), result.log)
    record = ResultRecord.from_json(result.record)
    if result.executed is not None:
        write_atomically(out_dir / record.executed, result.executed)
    return record


def _kept(out_dir: Path, path: Path, record: ResultRecord) -> ResultRecord:
    """The record, also written as the submission's record file."""
    write_atomically(out_dir / "records" / f"{file_stem(path)}.json", record.to_json())
    return record


def _data_locations() -> dict:
    """The task option that gives every node the driver's data folders (where they are set)."""
    env = {name: os.environ[name] for name in DATA_VARIABLES if name in os.environ}
    return {"runtime_env": {"env_vars": env}} if env else {}


def _import_ray():
    try:
        import ray
    except ImportError:
        raise ClusterError("the Ray backend needs Ray: pip install 'dl-homework-grader[ray]'") from None
    return ray


def _connect(ray, address: str) -> bool:
    """Connect to the cluster unless this process already is; True if it connected now."""
    if ray.is_initialized():
        return False
    try:
        ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as err:
        raise ClusterError(f"cannot reach a Ray cluster at {address!r}: {_last_line(err)} (a cluster that checks "
                           "a token needs RAY_AUTH_MODE=token and its token here too)") from None
    return True


def _read_submission(path: Path) -> bytes:
    """The notebook's bytes; SubmissionError with the worker's own reason for a file it would not grade."""
    load_submission(path)
    return path.read_bytes()


def _log_path(out_dir: Path, path: Path) -> Path:
    return out_dir / "logs" / f"{file_stem(path)}.log"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _tail(path: Path, start: int) -> str:
    """What the log gained since `start`, at most its last `LOG_TAIL_BYTES`."""
    try:
        with path.open("rb") as stream:
            stream.seek(max(start, path.stat().st_size - LOG_TAIL_BYTES))
            return stream.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _last_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[-1] if lines else type(err).__name__


@contextmanager
def claim_slot() -> Iterator[int]:
    """A worker slot no other task on this node holds (the kernel's uid is 64000 + slot): the
    first whose lock file this process can lock; the lock goes with the process, however it ends."""
    folder = Path(tempfile.gettempdir()) / f"grade-slots-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    status = os.lstat(folder)
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
        raise ClusterError(f"{folder} is not a folder of this user's")
    slot = 0
    while True:
        lock = os.open(folder / f"{slot}.lock", os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            slot += 1
            continue
        try:
            yield slot
        finally:
            os.close(lock)
        return
