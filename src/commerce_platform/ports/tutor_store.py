"""Tutor store port: exercises, attempts and mastery (SQLAlchemy; SQLite by default, PostgreSQL real).

``TutorStorePort`` owns what every backend shares: field limits, timestamps and mapping a database
outage to ServiceUnavailable (503 with the reason). ``SqlTutorStore`` implements the primitives; its
tables are created and evolved by the ``tutor`` migrations (ports/sql.py) on first use. Exercises
cross this port as plain dicts with their JSON ``payload``: the tutor's models stay in tutor/.

Every write that belongs together runs in one transaction; nothing is half-written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..errors import ServiceUnavailable
from .sql import migrate

metadata = sa.MetaData()

# Mirrors migrations/tutor; the migrations, not this metadata, create and change the tables.
exercises = sa.Table(
    "tutor_exercises", metadata,
    sa.Column("exercise_id", sa.String(40), primary_key=True),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("difficulty", sa.String(10), nullable=False),
    sa.Column("concept", sa.String(300), nullable=False),
    sa.Column("source", sa.String(300), nullable=False),
    sa.Column("topic", sa.String(200), nullable=False, default=""),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

attempts = sa.Table(
    "tutor_attempts", metadata,
    sa.Column("attempt_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("exercise_id", sa.String(40), sa.ForeignKey("tutor_exercises.exercise_id"), nullable=False),
    sa.Column("learner_id", sa.String(100), nullable=True),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("misconception", sa.String(200), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_tutor_attempts_learner", "learner_id"),
)

mastery = sa.Table(
    "tutor_mastery", metadata,
    sa.Column("learner_id", sa.String(100), primary_key=True),
    sa.Column("concept", sa.String(300), primary_key=True),
    sa.Column("p_mastery", sa.Float, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("correct", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


class TutorStorePort:
    """Base of every tutor store: field limits, timestamps and the outage -> 503 mapping."""

    @property
    def backend(self) -> str:
        """The backend's name, for health and error messages."""
        raise NotImplementedError

    # -- primitives each adapter implements ----------------------------------------------------
    def _insert_new_exercises(self, rows: list[dict[str, Any]]) -> int:
        raise NotImplementedError

    def _exercise_payload(self, exercise_id: str) -> str | None:
        raise NotImplementedError

    def _count_exercises(self) -> int:
        raise NotImplementedError

    def _mastery_rows(self, learner_id: str, concept: str | None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _record(self, attempt: dict[str, Any], concept: str | None,
                new_values: Callable[[dict[str, Any] | None], dict[str, Any]]) -> dict[str, Any] | None:
        raise NotImplementedError

    def _attempts_for(self, exercise_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _ping(self) -> None:
        raise NotImplementedError

    @contextmanager
    def _unavailable_as_503(self) -> Iterator[None]:
        yield

    # -- what the tutor uses -------------------------------------------------------------------
    def save_exercises(self, rows: list[dict[str, Any]]) -> int:
        """Insert the exercises not stored yet (ids are content hashes), all or nothing. Each row:
        exercise_id, type, difficulty, concept, source, topic, payload (JSON text)."""
        if not rows:
            return 0
        unique = {r["exercise_id"]: {**r, "concept": r["concept"][:300], "source": r["source"][:300],
                                     "topic": (r.get("topic") or "")[:200], "created_at": _now()}
                  for r in rows}
        with self._unavailable_as_503():
            return self._insert_new_exercises(list(unique.values()))

    def exercise_payload(self, exercise_id: str) -> str | None:
        with self._unavailable_as_503():
            return self._exercise_payload(exercise_id)

    def count_exercises(self) -> int:
        with self._unavailable_as_503():
            return self._count_exercises()

    def get_mastery(self, learner_id: str, concept: str) -> dict[str, Any] | None:
        with self._unavailable_as_503():
            rows = self._mastery_rows(learner_id, concept[:300])
        return rows[0] if rows else None

    def learner_mastery(self, learner_id: str) -> list[dict[str, Any]]:
        with self._unavailable_as_503():
            return self._mastery_rows(learner_id, None)

    def record_attempt(self, exercise_id: str, concept: str, learner_id: str | None, response: str, score: float,
                       correct: bool, verdict: str, misconception: str | None,
                       new_mastery: Callable[[dict[str, Any] | None], float]) -> dict[str, Any] | None:
        """Store the attempt and (for a known learner) the updated mastery in one transaction.

        ``new_mastery(previous_row_or_None) -> p`` computes the new estimate inside the transaction."""
        attempt = {"exercise_id": exercise_id, "learner_id": learner_id, "response": response[:4000],
                   "score": score, "correct": correct, "verdict": verdict,
                   "misconception": (misconception or None) and misconception[:200], "created_at": _now()}

        def new_values(row: dict[str, Any] | None) -> dict[str, Any]:
            return {"p_mastery": new_mastery(row), "attempts": (row["attempts"] if row else 0) + 1,
                    "correct": (row["correct"] if row else 0) + int(correct), "updated_at": _now()}

        with self._unavailable_as_503():
            values = self._record(attempt, concept[:300] if learner_id else None, new_values)
        return None if values is None else {"concept": concept, **values}

    def attempts_for(self, exercise_id: str) -> list[dict[str, Any]]:
        with self._unavailable_as_503():
            return self._attempts_for(exercise_id)

    def ping(self) -> None:
        with self._unavailable_as_503():
            self._ping()


class SqlTutorStore(TutorStorePort):
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _unavailable_as_503(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, IntegrityError):
                raise
            reason = str(exc.orig).splitlines()[0] if getattr(exc, "orig", None) else str(exc).splitlines()[0]
            raise ServiceUnavailable(f"the tutor database ({self.backend}) is unavailable: {reason}",
                                     hint="check COMMERCE_DATABASE_URL and that the database is running; "
                                          "nothing was saved") from exc

    @contextmanager
    def _tx(self) -> Iterator[sa.Connection]:
        migrate(self.engine, "tutor")
        with self.engine.begin() as conn:
            yield conn

    def _insert_new_exercises(self, rows: list[dict[str, Any]]) -> int:
        with self._tx() as conn:
            have = set(conn.execute(sa.select(exercises.c.exercise_id)
                                    .where(exercises.c.exercise_id.in_([r["exercise_id"] for r in rows]))).scalars())
            new = [r for r in rows if r["exercise_id"] not in have]
            if new:
                conn.execute(exercises.insert(), new)
            return len(new)

    def _exercise_payload(self, exercise_id: str) -> str | None:
        with self._tx() as conn:
            return conn.execute(sa.select(exercises.c.payload)
                                .where(exercises.c.exercise_id == exercise_id)).scalar_one_or_none()

    def _count_exercises(self) -> int:
        with self._tx() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(exercises)).scalar_one())

    def _mastery_rows(self, learner_id: str, concept: str | None) -> list[dict[str, Any]]:
        stmt = sa.select(mastery).where(mastery.c.learner_id == learner_id)
        if concept is not None:
            stmt = stmt.where(mastery.c.concept == concept)
        with self._tx() as conn:
            return [dict(r) for r in conn.execute(stmt.order_by(mastery.c.concept)).mappings().all()]

    def _record(self, attempt: dict[str, Any], concept: str | None,
                new_values: Callable[[dict[str, Any] | None], dict[str, Any]]) -> dict[str, Any] | None:
        with self._tx() as conn:
            conn.execute(attempts.insert().values(**attempt))
            if concept is None:
                return None
            key = (mastery.c.learner_id == attempt["learner_id"]) & (mastery.c.concept == concept)
            row = conn.execute(sa.select(mastery).where(key).with_for_update()).mappings().first()
            values = new_values(dict(row) if row else None)
            if row:
                conn.execute(mastery.update().where(key).values(**values))
            else:
                conn.execute(mastery.insert().values(learner_id=attempt["learner_id"], concept=concept, **values))
            return values

    def _attempts_for(self, exercise_id: str) -> list[dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(attempts).where(attempts.c.exercise_id == exercise_id)
                                .order_by(attempts.c.attempt_id)).mappings().all()
        return [dict(r) for r in rows]

    def _ping(self) -> None:
        with self._tx() as conn:
            conn.execute(sa.text("SELECT 1"))
