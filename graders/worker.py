"""Grade one submission, start to finish, in a process of its own.

`python -m graders.worker ASSIGNMENT SUBMISSION --out RECORD.json` validates the notebook,
runs it in a fresh sandboxed kernel, runs the grader tests against that kernel, scores them
and writes the result record atomically. Whatever the notebook does, the record is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import pytest

from graders import __version__, fixtures
from graders import cgroup as cgroups
from graders.data.profiles import grader_private_paths, kernel_dataset_dirs
from graders.kernel import NotebookRun, StudentKernel
from graders.kernel_notes import offline_notes
from graders.paths import KERNEL_SITE, weights_root
from graders.plugin import GradingPlugin
from graders.preparation import prepare_notebook, setup_code
from graders.record import GradingNote, QuestionScore, ResultRecord, write_atomically
from graders.sandbox import SandboxPolicy, bwrap_works
from graders.scoring import score_questions
from graders.spec import Assignment, load_assignment
from graders.submission import Submission, SubmissionError, load_submission, student_id

PYTEST_INI = Path(__file__).with_name("grader_pytest.ini")
SETUP_TIMEOUT_S = 300  # seeding imports torch / TensorFlow, ~10 s cold on a slow disk


class GraderTestsBroken(RuntimeError):
    """The assignment's own tests cannot run: an instructor's problem, not a student's; the batch stops."""


class KernelStartFailed(RuntimeError):
    pass


def grade_submission(assignment: Assignment, path: Path, *, mode: str, profile: str, cache_key: str = "",
                     threads: int = 1, gpu: str = "", sandbox: bool = True, hide: tuple[Path, ...] = ()) -> ResultRecord:
    started = time.monotonic()
    try:
        submission = load_submission(path)
    except SubmissionError as err:
        return failed_record(assignment, path, mode, err.reason, cache_key=cache_key)
    dirs = kernel_dataset_dirs(assignment, profile)
    limits = assignment.limits
    cgroup = cgroups.create(limits.memory_mb * 2**20, limits.processes)
    try:
        with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
            run, notes, plugin, tests_seconds = _grade_in(scratch, assignment, path, submission, mode, profile, dirs,
                                                          cgroup, threads, gpu, sandbox, hide)
    except KernelStartFailed as err:
        return failed_record(assignment, path, mode, str(err), submission, cache_key)
    finally:
        if cgroup is not None:
            cgroup.remove()
    return ResultRecord(
        assignment=assignment.id,
        student=submission.student,
        submission=path.name,
        mode=mode,
        status="graded",
        notebook_sha256=submission.sha256,
        cache_key=cache_key,
        tests=tuple(plugin.outcomes),
        questions=score_questions(assignment, plugin.outcomes),
        cells=run.cells if run else (),
        notes=notes,
        timing={
            "notebook_s": run.seconds if run else 0.0,
            "tests_s": round(tests_seconds, 3),
            "total_s": round(time.monotonic() - started, 3),
        },
        environment=environment(sandbox and bwrap_works(), gpu, cgroup is not None),
        graded_at=_now(),
    )


def _grade_in(scratch: str, assignment: Assignment, path: Path, submission: Submission, mode: str, profile: str,
              dirs: dict[str, Path], cgroup: cgroups.Cgroup | None, threads: int, gpu: str, sandbox: bool,
              hide: tuple[Path, ...]) -> tuple[NotebookRun | None, tuple[GradingNote, ...], GradingPlugin, float]:
    """Run the notebook in a fresh kernel in a scratch folder, then the grader tests against it."""
    workdir = Path(scratch) / "work"
    workdir.mkdir()
    policy = SandboxPolicy(
        workdir=workdir,
        hidden=grader_private_paths(assignment, path, hide),
        readonly=(Path(sys.prefix), KERNEL_SITE, weights_root(), assignment.drive_dir, *dirs.values()),
        limits=assignment.limits,
        use_bwrap=sandbox,
        gpu=bool(gpu),
        cgroup=cgroup,
    )
    kernel = StudentKernel(policy, kernel_env(assignment, workdir, dirs, threads, gpu))
    try:
        kernel.start()
    except Exception as err:  # the kernel never came up: say why, grade nothing
        kernel.shutdown()
        raise KernelStartFailed(f"the kernel could not start: {err}") from None
    try:
        run, problem, notes = _run_notebook(assignment, submission, kernel, cgroup)
        tests_started = time.monotonic()
        plugin = GradingPlugin(assignment, kernel, public_only=(mode == "check"), profile=profile,
                               dataset_dirs=dirs, kernel_problem=problem)
        _run_tests(assignment, plugin, mode)
        return run, notes, plugin, time.monotonic() - tests_started
    finally:
        kernel.shutdown()


def _run_notebook(assignment: Assignment, submission: Submission, kernel: StudentKernel,
                  cgroup: cgroups.Cgroup | None) -> tuple[NotebookRun | None, str, tuple[GradingNote, ...]]:
    """Seed the kernel and run the notebook; return the run, if it went wrong why, and what was
    done differently offline."""
    try:
        kernel.run_code(setup_code(assignment.seed, assignment.frameworks), SETUP_TIMEOUT_S)
    except Exception as err:
        return None, f"the grader could not prepare the kernel: {err}", ()
    limits = assignment.limits
    # Colab's working folder /content is the kernel's: today's sandbox cannot show it at /content
    prepared = prepare_notebook(submission.notebook, content_dir=str(kernel.policy.workdir))
    run = kernel.run_notebook(prepared.notebook, limits.cell_timeout_s, limits.notebook_timeout_s,
                              limits.output_kb * 1024)
    notes = tuple(sorted(prepared.notes + offline_notes(kernel, prepared.notebook), key=lambda n: n.cell))
    dead = [c for c in run.cells if c.status == "dead"]
    if dead and cgroup is not None and cgroup.oom_killed():
        reason = f"the notebook used more than its memory limit of {limits.memory_mb} MB and was stopped"
        run = dataclasses.replace(run, cells=tuple(
            dataclasses.replace(c, error=reason) if c.status == "dead" else c for c in run.cells))
        dead = [c for c in run.cells if c.status == "dead"]
    problem = f"the kernel died in cell {dead[0].index + 1}: {dead[0].error}" if dead else ""
    return run, problem, notes


def _run_tests(assignment: Assignment, plugin: GradingPlugin, mode: str) -> None:
    folders = [assignment.public_tests] + ([assignment.hidden_tests] if mode == "grade" else [])
    args = [str(f) for f in folders if f.is_dir()]
    if not args:
        raise GraderTestsBroken(f"{assignment.tests_dir}: no public/ or hidden/ test folder")
    code = pytest.main(
        # --confcutdir: no conftest.py from above the assignment's tests (e.g. a checkout's own)
        [*args, "-c", str(PYTEST_INI), "--rootdir", str(assignment.tests_dir), "--confcutdir", str(assignment.tests_dir),
         "-p", "no:cacheprovider", "-q",
         "--import-mode=importlib", "--no-header"],
        plugins=[plugin, fixtures],
    )
    if plugin.collection_errors or code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR,
                                            pytest.ExitCode.INTERRUPTED, pytest.ExitCode.NO_TESTS_COLLECTED):
        detail = "; ".join(plugin.collection_errors) or f"pytest exit code {int(code)}"
        raise GraderTestsBroken(f"the grader tests of {assignment.id} are broken: {detail}")


def kernel_env(assignment: Assignment, workdir: Path, dirs: dict[str, Path], threads: int, gpu: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
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
    }
    env.update({f"{name.upper().replace('-', '_')}_DIR": str(path) for name, path in dirs.items()})
    env.update({  # the offline environment (graders/kernel_site/grader_offline)
        "PYTHONPATH": str(KERNEL_SITE),
        "GRADER_DATASETS": ",".join(assignment.datasets),
        "GRADER_WEIGHTS": str(weights_root()),
        "GRADER_DRIVE": str(assignment.drive_dir),
    })
    if assignment.keras == 2:
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env


def failed_record(assignment: Assignment, path: Path, mode: str, reason: str, submission: Submission | None = None,
                  cache_key: str = "") -> ResultRecord:
    """A record for a submission that could not be graded at all: zero auto points, one reason."""
    return ResultRecord(
        assignment=assignment.id,
        student=submission.student if submission else student_id(path),
        submission=path.name,
        mode=mode,
        status="failed",
        reason=reason,
        notebook_sha256=submission.sha256 if submission else "",
        cache_key=cache_key,
        questions=tuple(
            QuestionScore(q.id, 0.0, q.auto_points, q.manual_points) for q in assignment.questions
        ),
        environment=environment(False, ""),
        graded_at=_now(),
    )


def environment(sandboxed: bool, gpu: str, cgroup: bool = False) -> dict[str, str]:
    return {
        "memory_cap": "cgroup (resident memory)" if cgroup else "address space (setrlimit)",
        "grader": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "sandbox": "bubblewrap" if sandboxed else "resource limits only",
        "gpu": gpu or "none",
    }


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.worker", description=__doc__)
    parser.add_argument("assignment", type=Path)
    parser.add_argument("submission", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mode", choices=("grade", "check"), default="grade")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--cache-key", default="")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gpu", default="")
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--hide", type=Path, action="append", default=[], help="another folder the kernel must not see")
    args = parser.parse_args(argv)
    assignment = load_assignment(args.assignment)
    try:
        record = grade_submission(assignment, args.submission, mode=args.mode, profile=args.profile,
                                  cache_key=args.cache_key, threads=args.threads, gpu=args.gpu,
                                  sandbox=not args.no_sandbox, hide=tuple(args.hide))
    except GraderTestsBroken as err:
        print(err, file=sys.stderr)
        return 3
    write_atomically(args.out, record.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
