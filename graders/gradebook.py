"""The gradebook: every result record and manual rubric score of an assignment, in SQLite.

Each submission's record is committed in one transaction, so an interrupted batch loses at
most the submissions that were still running; the cache key says whether a stored record is
still valid (same notebook, same tests, same reference, same grader). Each manual score keeps
who gave it and when.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graders.record import ResultRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    assignment TEXT NOT NULL,
    submission TEXT NOT NULL,
    mode TEXT NOT NULL,
    student TEXT NOT NULL,
    cache_key TEXT NOT NULL,
    status TEXT NOT NULL,
    auto_earned REAL NOT NULL,
    auto_possible REAL NOT NULL,
    record TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    PRIMARY KEY (assignment, submission, mode)
);
CREATE TABLE IF NOT EXISTS manual_scores (
    assignment TEXT NOT NULL,
    student TEXT NOT NULL,
    question TEXT NOT NULL,
    item TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    grader TEXT NOT NULL DEFAULT '',
    scored_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assignment, student, question, item)
);
"""
# Columns added since the first gradebooks: (table, column, definition). Old rows keep their values.
_ADDED_COLUMNS = (
    ("manual_scores", "grader", "TEXT NOT NULL DEFAULT ''"),
    ("manual_scores", "scored_at", "TEXT NOT NULL DEFAULT ''"),
)
_MANUAL_QUERY = "SELECT student, question, item, points, comment, grader, scored_at FROM manual_scores WHERE assignment=?"


@dataclass(frozen=True)
class ManualScore:
    """A TA's score for one rubric item of one student."""

    student: str
    question: str
    item: str
    points: float
    comment: str = ""
    grader: str = ""  # who scored it ("" in gradebooks older than this field)
    scored_at: str = ""  # when (ISO 8601, UTC)


class Gradebook:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def save(self, record: ResultRecord) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.assignment, record.submission, record.mode, record.student, record.cache_key,
                 record.status, record.auto_earned, record.auto_possible, record.to_json(), record.graded_at),
            )

    def cached(self, assignment: str, submission: str, mode: str, cache_key: str) -> ResultRecord | None:
        """The stored record of this submission if it was graded under the same cache key."""
        row = self._db.execute(
            "SELECT record FROM results WHERE assignment=? AND submission=? AND mode=? AND cache_key=?",
            (assignment, submission, mode, cache_key),
        ).fetchone()
        return ResultRecord.from_json(row[0]) if row else None

    def records(self, assignment: str, mode: str = "grade") -> list[ResultRecord]:
        rows = self._db.execute(
            "SELECT record FROM results WHERE assignment=? AND mode=? ORDER BY student, submission", (assignment, mode)
        )
        return [ResultRecord.from_json(r[0]) for r in rows]

    def set_manual_scores(self, assignment: str, scores: Iterable[ManualScore]) -> None:
        """Record manual scores, all in one transaction: either every one is stored or none."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO manual_scores "
                "(assignment, student, question, item, points, comment, grader, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(assignment, s.student, s.question, s.item, s.points, s.comment, s.grader, s.scored_at or _now())
                 for s in scores],
            )

    def all_manual_scores(self, assignment: str) -> list[ManualScore]:
        return [ManualScore(*row) for row in self._db.execute(_MANUAL_QUERY, (assignment,))]

    def _migrate(self) -> None:
        """Add the columns an older gradebook lacks; its rows stay."""
        with self._transaction():
            for table, column, definition in _ADDED_COLUMNS:
                present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
                if column not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
