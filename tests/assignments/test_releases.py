"""Every homework's release: the committed notebooks, demos and frozen values are what its source
builds, a build gives the same bytes twice, the student kit holds nothing of the solution, and
the sources lint."""

from __future__ import annotations

import importlib.util
import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import numpy as np
import pytest

from graders import expected as frozen
from graders.build.frozen import PRODUCER
from graders.build.inline import DIRECTIVE
from graders.build.markers import BEGIN, END
from graders.build.release import SOURCE, build_release
from graders.spec import load_assignment
from tests.assignments.demo import ASSIGNMENTS, HOMEWORKS

KIT_SUFFIXES = {".ipynb", ".toml", ".md", ".py", ".json"}
SECRET_MIN_LENGTH = 20


def test_every_homework_folder_is_found():
    folders = sorted(p.name for p in ASSIGNMENTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    assert folders == HOMEWORKS, "a folder under assignments/ without assignment.toml would go untested"


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_the_committed_files_are_what_the_source_builds(homework):
    release = build_release(load_assignment(ASSIGNMENTS / homework))
    root = release.assignment.root
    stale = f"stale: run `grade build assignments/{homework}`"
    for name, content in release.generated.items():
        committed = root / name
        assert committed.is_file(), f"{committed} is missing: run `grade build assignments/{homework}`"
        if committed.name == frozen.EXPECTED_FILE:  # floating point may differ in the last bit on another machine
            _assert_same_values(frozen.load(committed), frozen.wire.decode(frozen.json.loads(content)), f"{committed} is {stale}")
        else:
            assert committed.read_bytes() == content, f"{committed} is {stale}"
    on_disk = {p.relative_to(root).as_posix() for p in release.assignment.submissions_dir.glob("*.ipynb")}
    assert on_disk == {name for name in release.generated if name.startswith("submissions/")}, stale


def _assert_same_values(committed, built, message: str) -> None:
    if isinstance(built, np.ndarray):
        assert isinstance(committed, np.ndarray) and committed.shape == built.shape and committed.dtype == built.dtype, message
        assert np.allclose(committed, built, rtol=1e-12, atol=1e-15), message
    elif isinstance(built, dict):
        assert isinstance(committed, dict) and committed.keys() == built.keys(), message
        for key in built:
            _assert_same_values(committed[key], built[key], f"{message} ({key})")
    elif isinstance(built, list):
        assert isinstance(committed, list) and len(committed) == len(built), message
        for a, b in zip(committed, built):
            _assert_same_values(a, b, message)
    elif isinstance(built, float):
        assert committed == pytest.approx(built, rel=1e-12, abs=1e-15), message
    else:
        assert committed == built, message


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_a_build_gives_the_same_bytes_twice(homework):
    assignment = load_assignment(ASSIGNMENTS / homework)
    first, second = build_release(assignment), build_release(assignment)
    assert first.generated == second.generated
    assert first.student_kit == second.student_kit
    assert first.autograder == second.autograder


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_the_student_kit_reveals_no_solution(homework):
    """Checked here from the raw source, independently of the build's own check."""
    assignment = load_assignment(ASSIGNMENTS / homework)
    release = build_release(assignment)
    kit = release.student_kit
    secrets = _secrets(assignment.root)
    solution = _text("solution.ipynb", release.generated[assignment.solution_notebook.name])
    assert len([s for s in secrets if s in solution]) > 20, "the secrets are the solution's lines"
    assert {Path(name).suffix for name in kit} <= KIT_SUFFIXES
    assert not any("hidden" in Path(name).parts for name in kit)
    texts = {name: _text(name, content) for name, content in kit.items()}
    for name, text in texts.items():
        assert not re.search(r"^\s*(from|import)\s+reference\b", text, re.MULTILINE), f"{name} imports the reference"
    for secret in secrets:
        leaks = [name for name, text in texts.items() if secret in text]
        assert not leaks, f"{leaks} reveal {secret!r}"
    kit_spec = tomllib.loads(kit["assignment.toml"].decode("utf-8"))
    assert all("rubric" not in q for q in kit_spec["questions"])


def _text(name: str, content: bytes) -> str:
    if name.endswith(".ipynb"):
        return "\n".join(cell.source for cell in nbformat.reads(content.decode("utf-8"), as_version=4).cells)
    return content.decode("utf-8")


def _secrets(root: Path) -> set[str]:
    """Lines (long enough to mean something) of the solutions, model answers, rubric and hidden checks."""
    source = (root / SOURCE).read_text(encoding="utf-8").splitlines()
    lines, visible, inside, answer = [], set(), False, False
    for line in source:
        if line.startswith("# %%"):
            answer = "answer=" in line
        elif line.strip().startswith(BEGIN):
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.append(line)
        elif answer:
            lines.append(line.removeprefix("#"))
        elif directive := DIRECTIVE.match(line):
            lines += inspect.getsource(_named(directive["name"])).splitlines()
        else:
            visible.add(line.strip())  # what students are given: no secret, even where a solution repeats it
    spec = tomllib.loads((root / "assignment.toml").read_text(encoding="utf-8"))
    lines += [text for q in spec["questions"] for item in q.get("rubric", ()) for text in item["text"].values()]
    shipped = [*(root / "tests" / "public").rglob("*.py"), *(root / "tests").glob("conftest.py")]  # what the kit holds
    public = {line.strip() for p in shipped for line in p.read_text(encoding="utf-8").splitlines()}
    lines += [line for p in (root / "tests" / "hidden").rglob("*.py") for line in p.read_text(encoding="utf-8").splitlines()
              if line.strip() not in public]
    return {line.strip() for line in lines if len(line.strip()) >= SECRET_MIN_LENGTH} - visible


def _named(name: str) -> object:
    """The function or method a `# SOLUTION FROM` line names: a module, then attributes (`….Class.method`)."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            found = getattr(found, attribute)
        return found
    raise AssertionError(f"{name} names no module")


def test_every_notebook_source_lints():
    sources = [ASSIGNMENTS / hw / SOURCE for hw in HOMEWORKS]
    sources += [p for p in (ASSIGNMENTS / hw / PRODUCER for hw in HOMEWORKS) if p.is_file()]
    for path in sources:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    ruff = Path(sys.executable).with_name("ruff")
    assert ruff.is_file(), "ruff is not installed: pip install -e '.[dev]'"
    done = subprocess.run([str(ruff), "check", "--output-format", "concise", *map(str, sources)],
                          cwd=ASSIGNMENTS.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("homework", HOMEWORKS)
def test_the_source_is_a_notebook_jupyter_opens_and_saves_unchanged(homework):
    import jupytext

    text = (ASSIGNMENTS / homework / SOURCE).read_text(encoding="utf-8")
    written = jupytext.writes(jupytext.reads(text, fmt="py:percent"), fmt="py:percent")
    # saving adds jupytext's own format stamp to the header; nothing else may change
    assert re.sub(r"#   jupytext:\n(#     .*\n)+", "", written) == text
