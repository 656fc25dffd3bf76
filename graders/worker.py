"""Grade submissions in a worker process: one at a time, each in a fresh sandboxed kernel.

    python -m graders.worker ASSIGNMENT SUBMISSION --out RECORD.json     one submission
    python -m graders.worker ASSIGNMENT --serve --replies FD ...         many, for the batch

A worker validates the notebook, runs it in a fresh kernel, runs the grader tests against
that kernel, scores them and writes the result record atomically. Whatever the notebook does,
the record is written.

Serving, it reads jobs (JSON lines) on stdin and answers each on the file descriptor FD. It
imports the engine, pytest and the assignment's tests once; its kernels are forked from one
fork server that has imported ipykernel, the assignment's frameworks and the slow libraries its
handed-out notebook imports (see zygote.py and preparation.preload_modules), and while it grades
one submission it launches the kernel for the next (a spare), which starts in the background;
seeding and the Colab shims happen only when that kernel's own notebook is about to run, so it
is exactly a fresh kernel. The batch owns every scratch folder and control group a job names,
and removes them (with whatever still runs there) once the worker no longer keeps them, or when
it must kill the worker.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from graders import fixtures, forkserver
from graders import cgroup as cgroups
from graders.data.profiles import kernel_dataset_dirs
from graders.jobs import GraderTestsBroken, Job, Resources, environment, failed_record, now
from graders.kernel import NotebookRun, StudentKernel
from graders.kernel_notes import offline_notes
from graders.paths import COLAB_CONTENT, weights_root
from graders.plugin import GradingPlugin
from graders.preparation import imported_modules, preload_modules, prepare_notebook, setup_code
from graders.record import GradingNote, ResultRecord, write_atomically
from graders.sandbox import DATA, TMPDIR, Mount, SandboxPolicy, data_mount, kernel_scratch, protections
from graders.scoring import score_questions
from graders.spec import Assignment, load_assignment
from graders.submission import Submission, SubmissionError, load_submission

PYTEST_INI = Path(__file__).with_name("grader_pytest.ini")
# pytest's own plugins that grading never uses (reports, debugging, step-wise runs); each is
# set up again for every submission
UNUSED_PYTEST_PLUGINS = ("cacheprovider", "doctest", "junitxml", "pastebin", "stepwise", "setuponly", "setupplan",
                         "debugging", "faulthandler", "unraisableexception", "threadexception", "python_path")
SETUP_TIMEOUT_S = 300  # seeding imports torch / TensorFlow, ~10 s cold on a slow disk


class KernelStartFailed(RuntimeError):
    pass


class Grader:
    """Grades one assignment's submissions, one after the other, keeping a spare kernel booting."""

    def __init__(self, assignment: Assignment, *, mode: str, profile: str, threads: int = 1, gpu: str = "",
                 sandbox: bool = True, slot: int = 0):
        self.assignment = assignment
        self.mode = mode
        self.profile = profile
        self.threads = threads
        self.gpu = gpu
        self.sandbox = sandbox
        self.slot = slot
        self.dirs = kernel_dataset_dirs(assignment, profile)
        self.preload = preload_modules(assignment.frameworks, imported_modules(assignment.student_notebook))
        self.spare: StudentKernel | None = None

    def grade(self, job: Job) -> ResultRecord:
        started = time.monotonic()
        try:
            submission = load_submission(job.submission)
        except SubmissionError as err:
            return failed_record(self.assignment, job.submission, self.mode, err.reason, cache_key=job.cache_key)
        try:
            kernel = self._kernel_for(job)
        except KernelStartFailed as err:
            return failed_record(self.assignment, job.submission, self.mode, str(err), submission, job.cache_key)
        try:
            if job.next is not None:
                self.spare = self._launch(job.next)  # boots while this submission is graded
            run, notes, plugin, tests_seconds = self._grade_in(kernel, submission)
        finally:
            kernel.shutdown()
        if run is not None and job.executed is not None:
            write_atomically(job.executed, nbformat.writes(run.notebook))
        return ResultRecord(
            assignment=self.assignment.id,
            student=submission.student,
            submission=job.submission.name,
            mode=self.mode,
            status="graded",
            notebook_sha256=submission.sha256,
            cache_key=job.cache_key,
            tests=tuple(plugin.outcomes),
            questions=score_questions(self.assignment, plugin.outcomes),
            cells=run.cells if run else (),
            notes=notes,
            timing={
                "notebook_s": run.seconds if run else 0.0,
                "tests_s": round(tests_seconds, 3),
                "total_s": round(time.monotonic() - started, 3),
            },
            environment={**environment(self.gpu), **protections(kernel.policy).as_dict()},
            graded_at=now(),
            executed=str(job.executed) if run is not None and job.executed is not None else "",
        )

    def warm_up(self) -> None:
        """Start the kernels' fork server now, so that it imports while this worker gets ready."""
        policy = self._policy(Resources(Path(tempfile.gettempdir())))  # a kernel's shape; its folders come later
        forkserver.server_for(policy, kernel_env(self.assignment, policy, self.dirs, self.threads, self.gpu),
                              self.preload)

    def close(self) -> None:
        if self.spare is not None:
            self.spare.shutdown()
            self.spare = None
        forkserver.stop_all()

    # ---- kernels ----

    def _policy(self, resources: Resources) -> SandboxPolicy:
        return SandboxPolicy(
            scratch=resources.scratch,
            limits=self.assignment.limits,
            data=kernel_mounts(self.assignment, self.dirs),
            use_bwrap=self.sandbox,
            gpu=bool(self.gpu),
            cgroup=resources.cgroup,
            slot=self.slot,
        )

    def _launch(self, resources: Resources) -> StudentKernel | None:
        policy = self._policy(resources)
        kernel = StudentKernel(policy, kernel_env(self.assignment, policy, self.dirs, self.threads, self.gpu),
                               preload=self.preload)
        try:
            kernel.launch()
        except Exception as err:  # no spare then: the next job starts its own kernel
            print(f"grader: a kernel could not be started: {err}", file=sys.stderr, flush=True)
            kernel.shutdown()
            return None
        return kernel

    def _kernel_for(self, job: Job) -> StudentKernel:
        """The spare kernel if there is one and it came up, else a fresh one in the job's resources."""
        spare, self.spare = self.spare, None
        if spare is not None:
            try:
                spare.connect()
                return spare
            except Exception:  # it died while booting: start a fresh one
                spare.shutdown()
        kernel = self._launch(job.kernel)
        if kernel is None:
            raise KernelStartFailed("your notebook could not be started")
        try:
            kernel.connect()
        except Exception as err:  # the kernel never came up: say why, grade nothing
            kernel.shutdown()
            raise KernelStartFailed(f"your notebook could not be started: {err}") from None
        return kernel

    # ---- one submission ----

    def _grade_in(self, kernel: StudentKernel, submission: Submission
                  ) -> tuple[NotebookRun | None, tuple[GradingNote, ...], GradingPlugin, float]:
        """Run the notebook in the kernel, then the grader tests against it."""
        run, problem, notes = _run_notebook(self.assignment, submission, kernel, kernel.policy.cgroup)
        tests_started = time.monotonic()
        plugin = GradingPlugin(self.assignment, kernel, public_only=(self.mode == "check"), profile=self.profile,
                               dataset_dirs=self.dirs, kernel_problem=problem)
        _run_tests(self.assignment, plugin, self.mode)
        return run, notes, plugin, time.monotonic() - tests_started


def _run_notebook(assignment: Assignment, submission: Submission, kernel: StudentKernel, cgroup: cgroups.Cgroup | None
                  ) -> tuple[NotebookRun | None, str, tuple[GradingNote, ...]]:
    """Seed the kernel and run the notebook; return the run, if it went wrong why, and what was
    done differently offline."""
    try:
        kernel.run_code(setup_code(assignment.seed, assignment.frameworks), SETUP_TIMEOUT_S)
    except Exception as err:
        return None, f"the grader could not prepare the Python that runs your notebook: {err}", ()
    limits = assignment.limits
    # Colab's working folder is /content: in the sandbox it is the kernel's own working folder
    content = COLAB_CONTENT if kernel.policy.sandboxed else kernel.policy.workdir
    prepared = prepare_notebook(submission.notebook, content_dir=content)
    run = kernel.run_notebook(prepared.notebook, limits.cell_timeout_s, limits.notebook_timeout_s,
                              limits.output_kb * 1024)
    notes = tuple(sorted(prepared.notes + offline_notes(kernel, prepared.notebook), key=lambda n: n.cell))
    dead = [c for c in run.cells if c.status == "dead"]
    if dead and cgroup is not None and cgroup.oom_killed():
        reason = f"the notebook used more than its memory limit of {limits.memory_mb} MB and was stopped"
        run = dataclasses.replace(run, cells=tuple(
            dataclasses.replace(c, error=reason) if c.status == "dead" else c for c in run.cells))
        dead = [c for c in run.cells if c.status == "dead"]
    problem = f"your notebook stopped in cell {dead[0].index + 1}: {dead[0].error}" if dead else ""
    return run, problem, notes


def _run_tests(assignment: Assignment, plugin: GradingPlugin, mode: str) -> None:
    folders = [assignment.public_tests] + ([assignment.hidden_tests] if mode == "grade" else [])
    args = [str(f) for f in folders if f.is_dir()]
    if not args:
        raise GraderTestsBroken(f"{assignment.tests_dir}: no public/ or hidden/ test folder")
    code = pytest.main(
        # --confcutdir: no conftest.py from above the assignment's tests (e.g. a checkout's own)
        [*args, "-c", str(PYTEST_INI), "--rootdir", str(assignment.tests_dir), "--confcutdir", str(assignment.tests_dir),
         # no plugin the environment happens to have installed: grading is the same everywhere
         "--disable-plugin-autoload",
         *(arg for plugin in UNUSED_PYTEST_PLUGINS for arg in ("-p", f"no:{plugin}")),
         "-q", "--import-mode=importlib", "--no-header",
         # the log's tracebacks as Python prints them: pytest's own re-reads and parses the source
         # of every frame, a third of the checks' time for a tiny submission
         "--tb=native"],
        plugins=[plugin, fixtures],
    )
    if plugin.collection_errors or code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR,
                                            pytest.ExitCode.INTERRUPTED, pytest.ExitCode.NO_TESTS_COLLECTED):
        detail = "; ".join(plugin.collection_errors) or f"pytest exit code {int(code)}"
        raise GraderTestsBroken(f"the grader tests of {assignment.id} are broken: {detail}")


def kernel_env(assignment: Assignment, policy: SandboxPolicy, dirs: dict[str, Path], threads: int,
               gpu: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's leaks in."""
    home = policy.workdir
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": TMPDIR if policy.sandboxed else home,
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": str(assignment.seed),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "CUDA_VISIBLE_DEVICES": gpu,
        "CUBLAS_WORKSPACE_CONFIG": ":4096:8",
        # the offline environment (graders/kernel_site): Colab stubs, downloads served from the data
        "PYTHONPATH": policy.site,
        "GRADER_DATASETS": ",".join(assignment.datasets),
    }
    for mount in kernel_mounts(assignment, dirs):
        # a folder that is missing (real data not put there yet) is named as the host's, so that a
        # notebook that needs it is told where the instructor puts it
        env[_variable(mount)] = policy.path_of(mount) if mount.host.exists() else str(mount.host)
    if assignment.keras == 2:
        env["TF_USE_LEGACY_KERAS"] = "1"  # tf.keras, keras and Keras Tuner are tf-keras (Keras 2)
    return env


def kernel_mounts(assignment: Assignment, dirs: dict[str, Path]) -> tuple[Mount, ...]:
    """The read-only folders a kernel sees: its datasets, the weights folder (at its own path, which
    a message about a missing file names for the instructor), its Drive files."""
    return (*(data_mount(name, folder) for name, folder in dirs.items()),
            Mount(weights_root(), str(weights_root()), variable="GRADER_WEIGHTS"),
            Mount(assignment.drive_dir, f"{DATA}/drive", variable="GRADER_DRIVE"))


def _variable(mount: Mount) -> str:
    return mount.variable or f"{mount.inside.rsplit('/', 1)[-1].upper().replace('-', '_')}_DIR"


def serve(grader: Grader, replies: int) -> int:
    """Grade the jobs read from stdin; answer each with one JSON line on the `replies` descriptor:
    {"spare": <scratch kept for the next job, or null>} when its record is written, or
    {"broken": <why>} when the assignment's own tests cannot run (the worker then stops)."""
    _die_with_parent()
    grader.warm_up()
    with os.fdopen(replies, "w", encoding="utf-8", buffering=1) as answer:
        for line in sys.stdin:
            job = Job.from_json(line)
            print(f"--- {job.submission.name}", flush=True)
            try:
                record = grader.grade(job)
            except GraderTestsBroken as err:
                answer.write(json.dumps({"broken": str(err)}) + "\n")
                return 3
            write_atomically(job.out, record.to_json())
            spare = grader.spare.policy.scratch if grader.spare else None
            answer.write(json.dumps({"spare": str(spare) if spare else None}) + "\n")
    grader.close()
    return 0


def _die_with_parent() -> None:
    """Be killed when the batch that started this worker dies (its kernels follow: bubblewrap dies
    with its parent; the next batch removes what is left, see `sandbox.remove_orphans`)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the batch died before this line
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.worker", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", type=Path)
    parser.add_argument("submission", type=Path, nargs="?", help="grade this one notebook")
    parser.add_argument("--out", type=Path, help="with a submission: write its record here")
    parser.add_argument("--executed", type=Path, help="with a submission: write the executed notebook here")
    parser.add_argument("--serve", action="store_true", help="grade jobs read from stdin (the batch's way)")
    parser.add_argument("--replies", type=int, help="with --serve: the file descriptor to answer on")
    parser.add_argument("--mode", choices=("grade", "check"), default="grade")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gpu", default="")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--no-sandbox", action="store_true")
    args = parser.parse_args(argv)
    if args.serve == bool(args.submission) or (args.serve and args.replies is None) or (args.submission and not args.out):
        parser.error("give either SUBMISSION with --out, or --serve with --replies")
    assignment = load_assignment(args.assignment)
    grader = Grader(assignment, mode=args.mode, profile=args.profile, threads=args.threads, gpu=args.gpu,
                    sandbox=not args.no_sandbox, slot=args.slot)
    if args.serve:
        return serve(grader, args.replies)
    with kernel_scratch(assignment.limits, args.threads) as (scratch, cgroup):
        try:
            record = grader.grade(Job(args.submission, args.out, args.executed, "", Resources(scratch, cgroup)))
        except GraderTestsBroken as err:
            print(err, file=sys.stderr)
            return 3
    write_atomically(args.out, record.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
