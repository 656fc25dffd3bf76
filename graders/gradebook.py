"""The gradebook: every result record and manual rubric score of an assignment, in SQLite.

Each submission's record is committed in one transaction, so an interrupted batch loses at
most the submissions that were still running; the cache key says whether a stored record is
still valid (same notebook, same tests, same reference, same grader).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
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
    PRIMARY KEY (assignment, student, question, item)
);
"""


class Gradebook:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

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

    def set_manual_score(self, assignment: str, student: str, question: str, item: str, points: float,
                         comment: str = "") -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO manual_scores VALUES (?, ?, ?, ?, ?, ?)",
                (assignment, student, question, item, points, comment),
            )

    def manual_scores(self, assignment: str, student: str) -> dict[tuple[str, str], tuple[float, str]]:
        rows = self._db.execute(
            "SELECT question, item, points, comment FROM manual_scores WHERE assignment=? AND student=?",
            (assignment, student),
        )
        return {(q, i): (p, c) for q, i, p, c in rows}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
