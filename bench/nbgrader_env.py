"""nbgrader, installed from PyPI into a throw-away virtual environment of the benchmark's own
and kept between runs; its commands and its scores."""

from __future__ import annotations

import json
import shutil
import subprocess
import venv as venvs
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bench.measure import Scores
from bench.timing import BenchError, Command, clean_env

WANTED = "nbgrader==0.9.6"  # the release the figures were measured with
NEAREST = "nbgrader>=0.9,<0.10"  # if PyPI no longer has it
SCORES_SCRIPT = Path(__file__).with_name("nbgrader_scores.py")


@dataclass(frozen=True)
class Nbgrader:
    venv: Path
    version: str  # the release installed, e.g. "0.9.6"
    home: Path  # the HOME its commands run with

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def command(self, *args: str, cwd: Path) -> Command:
        """`nbgrader ARGS` in `cwd` (a course directory), in a clean environment whose Python and
        Jupyter kernel are the venv's."""
        return Command((str(self.bin / "nbgrader"), *args), cwd, clean_env([self.bin], self.home))

    def scores(self, course: Path, assignment: str) -> Scores:
        """Points per student and autograder test cell, read from the course's gradebook."""
        done = subprocess.run([str(self.bin / "python"), str(SCORES_SCRIPT), str(course / "gradebook.db"), assignment],
                              cwd=course, env=clean_env([self.bin], self.home), capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise BenchError(f"reading nbgrader's gradebook in {course} failed: {last}")
        return json.loads(done.stdout)


def install(venv: Path, home: Path, say: Callable[[str], None] = print) -> Nbgrader:
    """nbgrader (and the NumPy of this environment, which its kernels need) in `venv`; installed
    only when the venv does not already hold exactly these requirements."""
    requirements = [WANTED, f"numpy=={metadata.version('numpy')}"]
    stamp = venv / "bench-requirements.txt"
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8").split() == requirements):
        say(f"installing {' '.join(requirements)} into {venv} (once; a few minutes)")
        shutil.rmtree(venv, ignore_errors=True)
        venvs.EnvBuilder(with_pip=True).create(venv)
        log = venv / "bench-install.log"
        if not _pip(venv, requirements, log):
            say(f"{WANTED} could not be installed (see {log}); trying {NEAREST}")
            if not _pip(venv, [NEAREST, *requirements[1:]], log):
                raise BenchError(f"nbgrader could not be installed into {venv}; see {log}")
        stamp.write_text("\n".join(requirements), encoding="utf-8")
    version = subprocess.run([str(venv / "bin" / "python"), "-c", "import nbgrader; print(nbgrader.__version__)"],
                             capture_output=True, text=True)
    if version.returncode != 0:
        raise BenchError(f"the nbgrader in {venv} does not import; delete that folder and run again")
    return Nbgrader(venv, version.stdout.strip(), home)


def _pip(venv: Path, requirements: list[str], log: Path) -> bool:
    with log.open("a", encoding="utf-8") as stream:
        return subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", *requirements],
                              stdout=stream, stderr=subprocess.STDOUT).returncode == 0
