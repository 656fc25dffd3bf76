"""The assignment spec: `assignment.toml` parsed into typed, validated, frozen dataclasses.

Parsing never imports torch or TensorFlow, so the CLI starts fast.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

FRAMEWORKS = ("torch", "tensorflow")
KERAS_VERSIONS = (2, 3)  # 2: `tf.keras` and `import keras` are tf-keras, as in Colab before TensorFlow 2.16


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
class RankBonus:
    """Extra points by rank over the class, for a number the question's grader test records with
    `record_metric(metric, value)`; the highest value ranks first."""

    metric: str
    points: tuple[float, ...]  # points[0] for the best, points[1] for the second, ...


@dataclass(frozen=True)
class Question:
    id: str
    title: Text
    auto_points: float
    rubric: tuple[RubricItem, ...] = ()
    # data profile ("tiny", "real") -> metric name -> minimum value a submission must reach
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    bonus: bool = False  # its points (automatic and rubric) are extra: not part of the maximum
    rank_bonus: RankBonus | None = None

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
    disk_mb: int = 1024  # the kernel's working folder (a tmpfs, so it counts towards memory too)
    worker_memory_mb: int = 6144  # the grader's own process for this submission (it may load torch, TensorFlow)


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
    deadline: dt.datetime | None = None  # zone-aware; submissions after it are flagged late
    keras: int = 3  # the Keras the notebooks are written for (KERAS_VERSIONS)

    @property
    def drive_dir(self) -> Path:
        """Files a notebook finds in its Google Drive (MyDrive) after `drive.mount`, if any."""
        return self.root / "drive"

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
        """The maximum automatic points; bonus questions are not part of it."""
        return sum(q.auto_points for q in self.questions if not q.bonus)

    @property
    def manual_points(self) -> float:
        """The maximum rubric points; bonus questions are not part of it."""
        return sum(q.manual_points for q in self.questions if not q.bonus)

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
    keras = raw.get("keras", 3)
    if keras not in KERAS_VERSIONS or isinstance(keras, bool):
        raise ValueError(f"keras must be one of {list(KERAS_VERSIONS)}, not {keras!r}")
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
        deadline=_deadline(raw.get("deadline")),
        keras=int(keras),
    )


def _deadline(raw: Any) -> dt.datetime | None:
    """`deadline` as ISO 8601 with a zone offset: a TOML datetime or a string, e.g. 2024-11-20T23:59:00+03:30."""
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"deadline {raw!r} is not an ISO 8601 date and time, e.g. 2024-11-20T23:59:00+03:30") from None
    if not isinstance(raw, dt.datetime):
        raise ValueError(f"deadline must be a date and time, e.g. 2024-11-20T23:59:00+03:30, not {raw!r}")
    if raw.utcoffset() is None:
        raise ValueError(f"deadline {raw.isoformat()} needs a zone offset, e.g. {raw.isoformat()}+03:30")
    return raw


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
    return Question(qid, _text(raw["title"], f"question {qid} title"), auto_points, rubric, thresholds,
                    bonus=_bonus_flag(qid, raw.get("bonus", False)),
                    rank_bonus=_rank_bonus(qid, raw.get("rank_bonus")))


def _bonus_flag(qid: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(f"question {qid}: bonus must be true or false, got {raw!r}")
    return raw


def _rank_bonus(qid: str, raw: Any) -> RankBonus | None:
    """`[questions.rank_bonus] metric = "accuracy", points = [20, 10, 5]`."""
    if raw is None:
        return None
    where = f"question {qid}: rank_bonus"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table with metric and points")
    unknown = set(raw) - {"metric", "points"}
    if unknown:
        raise ValueError(f"{where} has unknown keys {sorted(unknown)}; it takes metric and points")
    points = raw.get("points")
    if (not isinstance(points, list) or not points
            or not all(isinstance(p, (int, float)) and not isinstance(p, bool) and p > 0 for p in points)):
        raise ValueError(f"{where}.points must be a list of positive numbers (the best first), got {points!r}")
    if any(later > earlier for earlier, later in zip(points, points[1:])):
        raise ValueError(f"{where}.points must not increase down the ranking, got {points}")
    return RankBonus(_str(raw.get("metric"), f"{where}.metric"), tuple(float(p) for p in points))


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
