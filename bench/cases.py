"""The benchmark's cases, each a set of contenders timed against each other:

* tiny: the tiny assignment graded by `nbgrader autograde` and by `grade -j 2` and `-j 1`, on
  the 19 loop-free submissions and on all 20, plus a re-run of each on all 20;
* hw9: pass-only hw9 notebooks graded by `grade`, per submission, against a bare
  `python -c "import torch, torchvision, tensorflow"`;
* ray: `grade --backend ray` with one and with two local workers on the 19 loop-free ones.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

from bench import nbgrader_course, ours, tiny
from bench.measure import Contender, Scores, measure
from bench.nbgrader_env import Nbgrader
from bench.results import CaseResult, Target, compared, speedup
from bench.timing import BenchError, Command, clean_env, run
from graders.paths import REPO_ROOT
from graders.record import ResultRecord
from graders.spec import load_assignment

PYTHON = sys.executable
HW9 = REPO_ROOT / "assignments" / "hw9"
BARE_IMPORT = "import torch, torchvision, tensorflow"
GRADE = (PYTHON, "-m", "graders.cli", "grade")


@dataclass(frozen=True)
class Settings:
    folder: Path  # this case's work folder
    home: Path  # HOME of every timed command
    repeats: int
    say: Callable[[str], None] = print


# ---- our grader ----

def grade_command(settings: Settings, assignment: Path, submissions: Path, out: Path, jobs: int,
                  *extra: str) -> Command:
    """`grade ASSIGNMENT` with this checkout's engine, in a clean environment."""
    argv = (*GRADE, str(assignment), "--submissions", str(submissions), "--out", str(out), "-j", str(jobs), *extra)
    return Command(argv, REPO_ROOT, our_env(settings))


def our_env(settings: Settings) -> dict[str, str]:
    """A clean environment in which Python imports this checkout's engine."""
    return clean_env([Path(PYTHON).parent], settings.home, PYTHONPATH=str(REPO_ROOT))


def our_scores(reports: Path) -> Scores:
    """Points per student and question from the result records; a submission that could not
    be graded has none."""
    scores = {}
    for path in sorted((reports / "records").glob("*.json")):
        record = ResultRecord.from_json(path.read_text(encoding="utf-8"))
        if record.status == "graded":
            scores[record.student] = {q.id: q.auto_earned for q in record.questions}
    return scores


def grade_contender(settings: Settings, label: str, assignment: Path, submissions: Path, jobs: int,
                    expected: Scores, *extra: str, per: int = 1, rerun_label: str = "") -> Contender:
    return Contender(
        label,
        prepare=lambda state: grade_command(settings, assignment, submissions, state / "reports", jobs, *extra),
        scores=lambda state: our_scores(state / "reports"),
        expected=expected, per=per, rerun_label=rerun_label,
    )


# ---- the tiny assignment ----

@dataclass(frozen=True)
class TinyFiles:
    assignment: Path
    submissions: dict[int, Path]  # number of students -> folder of our notebooks
    courses: dict[int, Path]  # number of students -> nbgrader course directory (graded nowhere yet)


def write_tiny(folder: Path, nbgrader: Nbgrader | None, counts: tuple[int, ...]) -> TinyFiles:
    """The tiny assignment and its submissions in our format, and with `nbgrader` also in its
    format: the course is generated once (`nbgrader generate_assignment`, not timed) and each
    set of submissions starts from the notebook it hands out."""
    assignment = ours.write_assignment(folder / "ours" / tiny.ASSIGNMENT_ID)
    submissions = {n: ours.write_submissions(folder / "ours" / f"submissions-{n}", tiny.students(n)) for n in counts}
    courses = {}
    if nbgrader is not None:
        template = nbgrader_course.write_course(folder / "nbgrader" / "template")
        run(nbgrader.command("generate_assignment", tiny.ASSIGNMENT_ID, cwd=template),
            folder / "logs" / "nbgrader-generate-assignment.log")
        release = template / "release" / tiny.ASSIGNMENT_ID / f"{tiny.ASSIGNMENT_ID}.ipynb"
        handed_out = nbformat.read(release, as_version=4)
        for n in counts:
            courses[n] = folder / "nbgrader" / f"course-{n}"
            shutil.copytree(template, courses[n])
            nbgrader_course.write_submissions(courses[n], handed_out, tiny.students(n))
    return TinyFiles(assignment, submissions, courses)


def tiny_expected(count: int) -> Scores:
    return {student.id: student.expected_scores() for student in tiny.students(count)}


def nbgrader_contender(nbgrader: Nbgrader, label: str, course: Path, expected: Scores,
                       rerun_label: str = "") -> Contender:
    """`nbgrader autograde` on a fresh copy of the course (no gradebook entries, nothing autograded);
    run again, it skips what it has graded."""
    return Contender(
        label,
        prepare=lambda state: nbgrader.command("autograde", tiny.ASSIGNMENT_ID,
                                               cwd=Path(shutil.copytree(course, state / "course"))),
        scores=lambda state: nbgrader.scores(state / "course", tiny.ASSIGNMENT_ID),
        expected=expected, rerun_label=rerun_label,
    )


def tiny_case(settings: Settings, nbgrader: Nbgrader) -> CaseResult:
    files = write_tiny(settings.folder, nbgrader, (tiny.LOOP_FREE, len(tiny.ROSTER)))
    n19, n20 = tiny.LOOP_FREE, len(tiny.ROSTER)
    few, all_ = f"{n19} loop-free", f"all {n20}"
    labels = {
        "nb19": f"nbgrader autograde, {few}", "j2_19": f"grade -j 2, {few}", "j1_19": f"grade -j 1, {few}",
        "nb20": f"nbgrader autograde, {all_}", "nb20_again": f"nbgrader re-run (skips graded), {all_}",
        "j2_20": f"grade -j 2, {all_}", "j2_20_again": f"grade re-run (cached), {all_}", "j1_20": f"grade -j 1, {all_}",
    }

    def ours_(key: str, count: int, jobs: int, rerun: str = "") -> Contender:
        return grade_contender(settings, labels[key], files.assignment, files.submissions[count], jobs,
                               tiny_expected(count), rerun_label=labels[rerun] if rerun else "")

    nb19 = nbgrader_contender(nbgrader, labels["nb19"], files.courses[n19], tiny_expected(n19))
    j2_19 = ours_("j2_19", n19, 2)
    contenders = [
        nb19, j2_19, ours_("j1_19", n19, 1),
        nbgrader_contender(nbgrader, labels["nb20"], files.courses[n20], tiny_expected(n20), labels["nb20_again"]),
        ours_("j2_20", n20, 2, "j2_20_again"), ours_("j1_20", n20, 1),
    ]
    outcome = measure(contenders, [nb19, j2_19], settings.repeats, settings.folder / "runs", settings.say)
    times = outcome.measurements()
    rows = compared(times, [
        (labels["nb19"], ""), (labels["j2_19"], labels["nb19"]), (labels["j1_19"], labels["nb19"]),
        (labels["nb20"], ""), (labels["j2_20"], labels["nb20"]), (labels["j1_20"], labels["nb20"]),
        (labels["nb20_again"], ""), (labels["j2_20_again"], labels["nb20_again"]),
    ])
    targets = (
        Target(f"{n19} tiny submissions: grade -j 2 at least 3× faster than nbgrader",
               speedup(times, labels["nb19"], labels["j2_19"]), 3.0),
        Target(f"all {n20} (bounded by the 30 s loop): grade -j 2 at least 1.6× faster than nbgrader",
               speedup(times, labels["nb20"], labels["j2_20"]), 1.6),
    )
    return CaseResult("tiny", rows, targets, tuple(outcome.mismatches),
                      f"nbgrader {nbgrader.version}; {tiny.CELL_TIMEOUT_S} s cell timeout in both")


# ---- pass-only hw9 notebooks against bare imports ----

def hw9_case(settings: Settings, count: int) -> CaseResult:
    submissions = settings.folder / "hw9-pass-only"
    submissions.mkdir(parents=True, exist_ok=True)
    notebook = ours.pass_only_notebook(HW9 / "student.ipynb")
    students = [f"pass{i + 1:02d}" for i in range(count)]
    for student in students:
        nbformat.write(notebook, submissions / f"{student}.ipynb")
    questions = load_assignment(HW9).questions
    expected = {student: {q.id: 0.0 for q in questions} for student in students}
    graded = grade_contender(settings, f"grade -j 1, per pass-only hw9 submission ({count})", HW9, submissions, 1,
                             expected, per=count)
    bare = Contender(f'bare python -c "{BARE_IMPORT}"',
                     prepare=lambda state: Command((PYTHON, "-c", BARE_IMPORT), state, our_env(settings)))
    outcome = measure([graded, bare], [graded, bare], settings.repeats, settings.folder / "runs", settings.say)
    times = outcome.measurements()
    return CaseResult(
        "hw9", compared(times, [(bare.label, ""), (graded.label, bare.label)]),
        (Target("pass-only hw9: per submission at most 0.6× a bare import of torch, torchvision and TensorFlow",
                times[graded.label].median / times[bare.label].median, 0.6, at_most=True),),
        tuple(outcome.mismatches), "the notebook holds hw9's import lines only; every check fails",
    )


# ---- Ray: one against two local workers ----

def ray_unavailable(settings: Settings) -> str:
    """Why the Ray case cannot run here, or "" if it can."""
    if importlib.util.find_spec("ray") is None:
        return "skipped: ray is not installed in this Python"
    usage = subprocess.run([*GRADE, "--help"], cwd=REPO_ROOT, env=our_env(settings), capture_output=True, text=True)
    if "--backend" not in usage.stdout:
        return "skipped: `grade` has no --backend option yet"
    return ""


@contextmanager
def local_ray_cluster(settings: Settings) -> Iterator[str]:
    """A Ray head on this machine with this machine's cores (`ray start`), stopped afterwards; its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ray = str(Path(PYTHON).with_name("ray"))
    env = {**our_env(settings), "RAY_USAGE_STATS_ENABLED": "0"}
    started = subprocess.run([ray, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1",
                              "--include-dashboard=false", "--disable-usage-stats"], env=env, capture_output=True, text=True)
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no output"])[-1]
        raise BenchError(f"`ray start --head` failed with exit code {started.returncode}: {last}")
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True)


def ray_case(settings: Settings) -> CaseResult:
    reason = ray_unavailable(settings)
    if reason:
        return CaseResult("ray", note=reason)
    files = write_tiny(settings.folder, None, (tiny.LOOP_FREE,))
    expected = tiny_expected(tiny.LOOP_FREE)
    with local_ray_cluster(settings) as address:
        one, two = (grade_contender(settings, f"grade --backend ray, {jobs} local worker{'s' * (jobs > 1)}, "
                                              f"{tiny.LOOP_FREE} loop-free", files.assignment,
                                    files.submissions[tiny.LOOP_FREE], jobs, expected, "--backend", "ray",
                                    "--address", address)
                    for jobs in (1, 2))
        outcome = measure([one, two], [one], settings.repeats, settings.folder / "runs", settings.say)
    times = outcome.measurements()
    return CaseResult(
        "ray", compared(times, [(one.label, ""), (two.label, one.label)]),
        (Target("Ray: 2 local workers at least 1.6× faster than 1, same scores",
                speedup(times, one.label, two.label), 1.6),),
        tuple(outcome.mismatches), "one local Ray head (`ray start --head`) with this machine's cores",
    )
