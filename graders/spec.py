"""The assignment spec: `assignment.toml` parsed into typed, validated, frozen dataclasses.

Parsing never imports torch or TensorFlow, so the CLI starts fast.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

FRAMEWORKS = ("torch", "tensorflow")


class SpecError(Exception):
    """An assignment spec that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Text:
    """A string in every report language."""

    en: str
    fa: str

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang if lang in LANGUAGES else LANGUAGES[0])


# The languages of notebooks and reports, defined once: Text's fields (the first is the default).
LANGUAGES = tuple(f.name for f in fields(Text))


@dataclass(frozen=True)
class RubricItem:
    """A manually scored part of a question (prose, a written proof)."""

    id: str
    points: float
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    title: Text
    auto_points: float
    rubric: tuple[RubricItem, ...] = ()
    # data profile ("tiny", "real") -> metric name -> minimum value a submission must reach
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def manual_points(self) -> float:
        return sum(item.points for item in self.rubric)

    def threshold(self, profile: str, metric: str) -> float:
        try:
            return self.thresholds[profile][metric]
        except KeyError:
            raise SpecError(
                f"question {self.id} has no threshold {metric!r} for data profile {profile!r}"
            ) from None


@dataclass(frozen=True)
class Limits:
    cell_timeout_s: float = 120.0
    notebook_timeout_s: float = 900.0
    memory_mb: int = 8192  # address space, not RSS: torch maps ~5 GB to use ~1.3 GB
    processes: int = 256
    file_size_mb: int = 512
    output_kb: int = 256  # captured output kept per cell (head and tail)


@dataclass(frozen=True)
class Assignment:
    """One homework: where its files are and how it is graded."""

    id: str
    root: Path
    title: Text
    seed: int
    frameworks: tuple[str, ...]
    datasets: tuple[str, ...]
    student_notebook: Path
    solution_notebook: Path
    submissions_dir: Path
    limits: Limits
    questions: tuple[Question, ...]

    @property
    def tests_dir(self) -> Path:
        return self.root / "tests"

    @property
    def public_tests(self) -> Path:
        return self.tests_dir / "public"

    @property
    def hidden_tests(self) -> Path:
        return self.tests_dir / "hidden"

    @property
    def auto_points(self) -> float:
        return sum(q.auto_points for q in self.questions)

    @property
    def manual_points(self) -> float:
        return sum(q.manual_points for q in self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def load_assignment(folder: str | Path) -> Assignment:
    """Read and validate `<folder>/assignment.toml`."""
    root = Path(folder).resolve()
    path = root / "assignment.toml"
    if not path.is_file():
        raise SpecError(f"{path}: no assignment.toml here (is {folder} an assignment folder?)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SpecError(f"{path}: not valid TOML: {err}") from None
    try:
        return _build(root, raw)
    except (KeyError, TypeError, ValueError) as err:
        raise SpecError(f"{path}: {_describe(err)}") from None


def _describe(err: Exception) -> str:
    if isinstance(err, KeyError):
        return f"missing required key {err.args[0]!r}"
    return str(err)


def _build(root: Path, raw: dict[str, Any]) -> Assignment:
    frameworks = tuple(raw.get("frameworks", ()))
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        raise ValueError(f"unknown frameworks {sorted(unknown)}; known: {list(FRAMEWORKS)}")
    questions = tuple(_question(q) for q in raw["questions"])
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate question ids in {ids}")
    limits = Limits(**raw.get("limits", {}))
    notebooks = raw.get("notebooks", {})
    return Assignment(
        id=_str(raw["id"], "id"),
        root=root,
        title=_text(raw["title"], "title"),
        seed=int(raw.get("seed", 0)),
        frameworks=frameworks,
        datasets=tuple(raw.get("datasets", ())),
        student_notebook=root / notebooks.get("student", "student.ipynb"),
        solution_notebook=root / notebooks.get("solution", "solution.ipynb"),
        submissions_dir=root / raw.get("submissions", "submissions"),
        limits=limits,
        questions=questions,
    )


def _question(raw: dict[str, Any]) -> Question:
    qid = _str(raw["id"], "question id")
    auto_points = float(raw.get("auto_points", 0))
    if auto_points < 0:
        raise ValueError(f"question {qid}: auto_points must be >= 0")
    rubric = tuple(
        RubricItem(id=_str(r["id"], "rubric id"), points=float(r["points"]), text=_text(r["text"], "rubric text"))
        for r in raw.get("rubric", ())
    )
    thresholds = {
        profile: {metric: float(v) for metric, v in metrics.items()}
        for profile, metrics in raw.get("thresholds", {}).items()
    }
    return Question(qid, _text(raw["title"], f"question {qid} title"), auto_points, rubric, thresholds)


def _text(raw: Any, what: str) -> Text:
    if isinstance(raw, str):
        return Text(raw, raw)
    default = LANGUAGES[0]
    if not isinstance(raw, dict) or default not in raw:
        raise ValueError(f"{what} must be a string or a table with {', '.join(repr(lang) for lang in LANGUAGES)}")
    return Text(**{lang: str(raw.get(lang, raw[default])) for lang in LANGUAGES})


def _str(raw: Any, what: str) -> str:
    if not isinstance(raw, str) or not raw:
        raise ValueError(f"{what} must be a non-empty string, got {raw!r}")
    return raw
