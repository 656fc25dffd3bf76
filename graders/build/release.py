"""A homework's release: every file `grade build` writes, computed in memory, then written.

    <assignment>/                 the files the build owns in the assignment folder: student and
                                  solution notebooks, submissions/ (the demos), tests/public/expected.json
    <out>/<id>/student/           the student's kit: notebook, a spec without rubric or hidden parts,
                                  the public checks, their frozen expected values and what they share
                                  with the hidden checks (tests/conftest.py), a README
    <out>/<id>/autograder/        everything grading needs: spec, public and hidden checks, frozen
                                  values, notebooks, demos (not the build's own inputs)

The same source gives the same bytes: nothing depends on time, order of a directory listing or
randomness.
"""

from __future__ import annotations

import ast
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from graders.build.demos import NOT_JSON, SOLUTION_DEMO, Demo, apply_edits, read_demos
from graders.build.errors import BuildError
from graders.build.frozen import PRODUCER, freeze_expected
from graders.build.notebooks import NotebookCell, build_notebook, notebook_bytes, notebook_cells
from graders.build.source import read_source
from graders.expected import EXPECTED_FILE
from graders.spec import LANGUAGES, Assignment

SOURCE = "notebook.py"
DEMOS = "demos.toml"
SHARED_CHECKS = "conftest.py"  # in tests/: fixtures and helpers of the public and the hidden checks
KIT_SPEC_KEYS = ("id", "title", "seed", "frameworks", "datasets", "limits")  # no rubric, no instructor paths
KIT_QUESTION_KEYS = ("id", "title", "auto_points", "thresholds")
LEAK_MIN_LENGTH = 20  # shorter solution lines (`return out`) are too common to mean anything


@dataclass(frozen=True)
class Release:
    assignment: Assignment
    demos: tuple[Demo, ...]
    generated: Mapping[str, bytes]  # path in the assignment folder -> content
    student_kit: Mapping[str, bytes]  # path in <out>/<id>/student -> content
    autograder: Mapping[str, bytes]  # path in <out>/<id>/autograder -> content


def has_source(folder: Path) -> bool:
    """True when the homework in `folder` is built from a notebook source by `grade build`."""
    return (folder / SOURCE).is_file()


def build_release(assignment: Assignment) -> Release:
    """Every file of the release, from the assignment's source, demos, producer and checks."""
    root = assignment.root
    if not has_source(root):
        raise BuildError(root / SOURCE, None, "no notebook source (assignments/AUTHORING.md says how to write one)")
    cells = notebook_cells(read_source(root / SOURCE, assignment), assignment)
    demos = read_demos(root / DEMOS)
    generated = _generated(assignment, cells, demos)
    _refuse_reference_in_public_checks(assignment)
    kit = _student_kit(assignment, generated)
    _refuse_leaks(kit, cells, root)
    return Release(assignment, demos, generated, kit, _autograder(assignment, generated))


def _generated(assignment: Assignment, cells: tuple[NotebookCell, ...], demos: tuple[Demo, ...]) -> dict[str, bytes]:
    root = assignment.root
    solution = notebook_bytes(build_notebook(cells, "solution"))
    solution_text = solution.decode("utf-8").rstrip("\n")
    submissions = _relative(assignment.submissions_dir, root)
    files = {
        _relative(assignment.student_notebook, root): notebook_bytes(build_notebook(cells, "student")),
        _relative(assignment.solution_notebook, root): solution,
        f"{submissions}/{SOLUTION_DEMO}.ipynb": solution,
        # the solution cut in half, as after an interrupted upload
        f"{submissions}/{NOT_JSON}.ipynb": solution_text[: len(solution_text) // 2].encode("utf-8"),
    }
    for demo in demos:
        files[f"{submissions}/{demo.name}.ipynb"] = notebook_bytes(
            build_notebook(apply_edits(demo, cells, root / DEMOS), "solution"))
    if (root / PRODUCER).is_file():
        files[_relative(assignment.public_tests / EXPECTED_FILE, root)] = freeze_expected(root / PRODUCER)
    return files


def _student_kit(assignment: Assignment, generated: Mapping[str, bytes]) -> dict[str, bytes]:
    root = assignment.root
    public = _relative(assignment.public_tests, root)
    kit = {
        assignment.student_notebook.name: generated[_relative(assignment.student_notebook, root)],
        "assignment.toml": _kit_spec(assignment),
        "README.md": _kit_readme(assignment),
    }
    kit |= {f"tests/public/{name}": content for name, content in _files_under(assignment.public_tests).items()}
    kit |= {f"tests/{path.name}": path.read_bytes() for path in _shared_checks(assignment)}
    kit |= {f"tests/public/{PurePosixPath(path).relative_to(public)}": content
            for path, content in generated.items() if path.startswith(public + "/")}
    return dict(sorted(kit.items()))


def _shared_checks(assignment: Assignment) -> list[Path]:
    """tests/conftest.py, where the homework has one: what its public and hidden checks share."""
    path = assignment.tests_dir / SHARED_CHECKS
    return [path] if path.is_file() else []


def _autograder(assignment: Assignment, generated: Mapping[str, bytes]) -> dict[str, bytes]:
    root = assignment.root
    tests = _relative(assignment.tests_dir, root)
    files = {"assignment.toml": (root / "assignment.toml").read_bytes()}
    files |= {f"{tests}/{name}": content for name, content in _files_under(assignment.tests_dir).items()
              if f"{tests}/{name}" != PRODUCER.as_posix()}
    files |= generated
    return dict(sorted(files.items()))


def _kit_spec(assignment: Assignment) -> bytes:
    """assignment.toml for students: what `grade check` needs, without rubric or instructor-only keys."""
    import tomli_w

    raw = tomllib.loads((assignment.root / "assignment.toml").read_text(encoding="utf-8"))
    spec = {key: raw[key] for key in KIT_SPEC_KEYS if key in raw}
    spec["notebooks"] = {"student": assignment.student_notebook.name}
    spec["questions"] = [{key: q[key] for key in KIT_QUESTION_KEYS if key in q} for q in raw["questions"]]
    header = f"# {assignment.id}: the self-check kit's spec, written by `grade build`.\n"
    return (header + tomli_w.dumps(spec)).encode("utf-8")


def _kit_readme(assignment: Assignment) -> bytes:
    notebook = assignment.student_notebook.name
    extras = ",".join(assignment.frameworks)
    install = f"pip install 'dl-homework-grader[{extras}]'" if extras else "pip install dl-homework-grader"
    lines = [
        f"# {' · '.join(assignment.title[lang] for lang in LANGUAGES)}",
        "",
        f"Write your answers in `{notebook}`, then check it from this folder:",
        "",
        "```sh",
        f"{install}    # once: the grader (it holds no answers)",
        f"grade check . {notebook}",
        "```",
        "",
        "The check runs your notebook from top to bottom in a fresh kernel, offline, then runs the public",
        "checks and lists what passes and why something fails. Your instructor grades with more checks",
        "on other inputs, and reads your written answers.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _refuse_reference_in_public_checks(assignment: Assignment) -> None:
    for path in [*_shared_checks(assignment), *sorted(assignment.public_tests.rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(m == "reference" or m.startswith("reference.") for m in modules):
                raise BuildError(path, node.lineno, "a public check imports the reference, which students do not "
                                                    "have: read its expected values with the `expected` fixture")


def _refuse_leaks(kit: Mapping[str, bytes], cells: tuple[NotebookCell, ...], root: Path) -> None:
    """No line that only the solution has may appear in any file of the kit."""
    student_lines = {line.strip() for cell in cells for line in cell.student.splitlines()}
    secret = {line.strip() for cell in cells for line in cell.solution.splitlines()
              if len(line.strip()) >= LEAK_MIN_LENGTH and line.strip() not in student_lines}
    for name, content in kit.items():
        text = content.decode("utf-8", errors="replace")
        leaked = sorted(line for line in secret if line in text)
        if leaked:
            raise BuildError(root / name, None, f"the student kit's {name} holds a line of the solution: {leaked[0]!r}")


def write_release(release: Release, out: Path) -> list[Path]:
    """Write the release: the generated files into the assignment folder (stale demos removed), the
    kit and the autograder under `out/<id>/` (replaced whole). Returns the assignment files that changed."""
    assignment = release.assignment
    changed = _write_files(assignment.root, release.generated)
    for stale in sorted(assignment.submissions_dir.glob("*.ipynb")):
        if _relative(stale, assignment.root) not in release.generated:
            stale.unlink()
            changed.append(stale)
    for name, files in (("student", release.student_kit), ("autograder", release.autograder)):
        target = out / assignment.id / name
        if target.exists():
            shutil.rmtree(target)
        _write_files(target, files)
    return changed


def _write_files(root: Path, files: Mapping[str, bytes]) -> list[Path]:
    changed = []
    for name, content in files.items():
        path = root / name
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        changed.append(path)
    return changed


def _files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (POSIX relative path -> content), caches left out, sorted."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
