"""Grade one submission, start to finish, in a process of its own.

`python -m graders.worker ASSIGNMENT SUBMISSION --out RECORD.json` validates the notebook,
runs it in a fresh sandboxed kernel, runs the grader tests against that kernel, scores them
and writes the result record atomically. Whatever the notebook does, the record is written.

The batch gives each worker its scratch folder and the kernel's control group (`--scratch`,
`--cgroup`) and removes both itself, so that nothing is left behind even when it has to kill
the worker; run by hand, the worker makes and removes its own.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

import nbformat
import pytest

from graders import __version__, fixtures
from graders import cgroup as cgroups
from graders.data.profiles import dataset_dirs
from graders.kernel import NotebookRun, StudentKernel
from graders.plugin import GradingPlugin
from graders.preparation import prepare_notebook, setup_code
from graders.record import QuestionScore, ResultRecord, write_atomically
from graders.sandbox import TMPDIR, SandboxPolicy, data_mount, kernel_scratch, protections
from graders.scoring import score_questions
from graders.spec import Assignment, load_assignment
from graders.submission import Submission, SubmissionError, load_submission, student_id

PYTEST_INI = Path(__file__).with_name("grader_pytest.ini")
SETUP_TIMEOUT_S = 300  # seeding imports torch / TensorFlow, ~10 s cold on a slow disk


class GraderTestsBroken(RuntimeError):
    """The assignment's own tests cannot run: an instructor's problem, not a student's; the batch stops."""


class KernelStartFailed(RuntimeError):
    pass


@dataclasses.dataclass(frozen=True)
class KernelSetup:
    """Where and how the submission's kernel runs; the caller owns the scratch folder and cgroup."""

    scratch: Path
    cgroup: cgroups.Cgroup | None = None
    threads: int = 1
    gpu: str = ""
    sandbox: bool = True
    slot: int = 0


def grade_submission(assignment: Assignment, path: Path, setup: KernelSetup, *, mode: str, profile: str,
                     cache_key: str = "", executed: Path | None = None) -> ResultRecord:
    """Grade `path`; the executed notebook (outputs capped) is written to `executed` if given."""
    started = time.monotonic()
    try:
        submission = load_submission(path)
    except SubmissionError as err:
        return failed_record(assignment, path, mode, err.reason, cache_key=cache_key)
    dirs = dataset_dirs(assignment, profile)
    policy = SandboxPolicy(
        scratch=setup.scratch,
        limits=assignment.limits,
        data=tuple(data_mount(name, folder) for name, folder in dirs.items()),
        use_bwrap=setup.sandbox,
        gpu=bool(setup.gpu),
        cgroup=setup.cgroup,
        slot=setup.slot,
    )
    try:
        run, plugin, tests_seconds = _grade_in(policy, assignment, submission, mode, profile, dirs, setup)
    except KernelStartFailed as err:
        return failed_record(assignment, path, mode, str(err), submission, cache_key)
    if run is not None and executed is not None:
        write_atomically(executed, nbformat.writes(run.notebook))
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
        timing={
            "notebook_s": run.seconds if run else 0.0,
            "tests_s": round(tests_seconds, 3),
            "total_s": round(time.monotonic() - started, 3),
        },
        environment={**environment(setup.gpu), **protections(policy).as_dict()},
        graded_at=_now(),
        executed=str(executed) if run is not None and executed is not None else "",
    )


def _grade_in(policy: SandboxPolicy, assignment: Assignment, submission: Submission, mode: str, profile: str,
              dirs: dict[str, Path], setup: KernelSetup) -> tuple[NotebookRun | None, GradingPlugin, float]:
    """Run the notebook in a fresh kernel, then the grader tests against it."""
    kernel = StudentKernel(policy, kernel_env(assignment, policy, dirs, setup.threads, setup.gpu))
    try:
        kernel.start()
    except Exception as err:  # the kernel never came up: say why, grade nothing
        kernel.shutdown()
        raise KernelStartFailed(f"the kernel could not start: {err}") from None
    try:
        run, problem = _run_notebook(assignment, submission, kernel, policy.cgroup)
        tests_started = time.monotonic()
        plugin = GradingPlugin(assignment, kernel, public_only=(mode == "check"), profile=profile,
                               dataset_dirs=dirs, kernel_problem=problem)
        _run_tests(assignment, plugin, mode)
        return run, plugin, time.monotonic() - tests_started
    finally:
        kernel.shutdown()


def _run_notebook(assignment: Assignment, submission: Submission, kernel: StudentKernel,
                  cgroup: cgroups.Cgroup | None) -> tuple[NotebookRun | None, str]:
    """Seed the kernel and run the notebook; return the run and, if it went wrong, why."""
    try:
        kernel.run_code(setup_code(assignment.seed, assignment.frameworks), SETUP_TIMEOUT_S)
    except Exception as err:
        return None, f"the grader could not prepare the kernel: {err}"
    limits = assignment.limits
    run = kernel.run_notebook(prepare_notebook(submission.notebook), limits.cell_timeout_s,
                              limits.notebook_timeout_s, limits.output_kb * 1024)
    dead = [c for c in run.cells if c.status == "dead"]
    if dead and cgroup is not None and cgroup.oom_killed():
        reason = f"the notebook used more than its memory limit of {limits.memory_mb} MB and was stopped"
        run = dataclasses.replace(run, cells=tuple(
            dataclasses.replace(c, error=reason) if c.status == "dead" else c for c in run.cells))
        dead = [c for c in run.cells if c.status == "dead"]
    problem = f"the kernel died in cell {dead[0].index + 1}: {dead[0].error}" if dead else ""
    return run, problem


def _run_tests(assignment: Assignment, plugin: GradingPlugin, mode: str) -> None:
    folders = [assignment.public_tests] + ([assignment.hidden_tests] if mode == "grade" else [])
    args = [str(f) for f in folders if f.is_dir()]
    if not args:
        raise GraderTestsBroken(f"{assignment.tests_dir}: no public/ or hidden/ test folder")
    code = pytest.main(
        [*args, "-c", str(PYTEST_INI), "--rootdir", str(assignment.tests_dir), "-p", "no:cacheprovider", "-q",
         "--import-mode=importlib", "--no-header"],
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
    }
    env.update({f"{name.upper().replace('-', '_')}_DIR": policy.path_of(data_mount(name, folder))
                for name, folder in dirs.items()})
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
        environment=environment(""),
        graded_at=_now(),
    )


def environment(gpu: str) -> dict[str, str]:
    return {
        "grader": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "gpu": gpu or "none",
    }


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graders.worker", description=__doc__)
    parser.add_argument("assignment", type=Path)
    parser.add_argument("submission", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--executed", type=Path, help="write the executed notebook here")
    parser.add_argument("--mode", choices=("grade", "check"), default="grade")
    parser.add_argument("--profile", default="tiny")
    parser.add_argument("--cache-key", default="")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gpu", default="")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--no-sandbox", action="store_true")
    parser.add_argument("--scratch", type=Path, help="the scratch folder the caller made (and will remove)")
    parser.add_argument("--cgroup", type=json.loads, help="the kernel's control group the caller made, as JSON")
    args = parser.parse_args(argv)
    assignment = load_assignment(args.assignment)

    def grade(scratch: Path, cgroup: cgroups.Cgroup | None) -> ResultRecord:
        setup = KernelSetup(scratch, cgroup, args.threads, args.gpu, not args.no_sandbox, args.slot)
        return grade_submission(assignment, args.submission, setup, mode=args.mode, profile=args.profile,
                                cache_key=args.cache_key, executed=args.executed)

    try:
        if args.scratch:
            record = grade(args.scratch, cgroups.Cgroup.from_json(args.cgroup) if args.cgroup else None)
        else:
            with kernel_scratch(assignment.limits, args.threads) as (scratch, cgroup):
                record = grade(scratch, cgroup)
    except GraderTestsBroken as err:
        print(err, file=sys.stderr)
        return 3
    write_atomically(args.out, record.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
