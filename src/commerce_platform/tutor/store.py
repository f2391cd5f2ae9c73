"""Persistence of exercises, attempts and mastery (SQLAlchemy; SQLite by default, PostgreSQL real).

Every write that belongs together runs in one transaction; a database that is down surfaces
as ServiceUnavailable (503) with the reason, and nothing is half-written."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from ..errors import ServiceUnavailable
from .models import Exercise

metadata = sa.MetaData()

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


class TutorStore:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._ready = False

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _tx(self):
        try:
            self._ensure()
            with self.engine.begin() as conn:
                yield conn
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, sa.exc.IntegrityError):
                raise
            reason = str(exc.orig).splitlines()[0] if getattr(exc, "orig", None) else str(exc).splitlines()[0]
            raise ServiceUnavailable(f"the tutor database ({self.backend}) is unavailable: {reason}",
                                     hint="check COMMERCE_DATABASE_URL and that the database is running; "
                                          "nothing was saved") from exc

    def _ensure(self) -> None:
        if not self._ready:
            metadata.create_all(self.engine)
            self._ready = True

    def ping(self) -> None:
        with self._tx() as conn:
            conn.execute(sa.text("SELECT 1"))

    # ------------------------------------------------------------ exercises
    def save_exercises(self, items: list[Exercise]) -> int:
        """Insert the exercises not stored yet (ids are content hashes), all or nothing."""
        if not items:
            return 0
        with self._tx() as conn:
            ids = [e.exercise_id for e in items]
            have = set(conn.execute(sa.select(exercises.c.exercise_id)
                                    .where(exercises.c.exercise_id.in_(ids))).scalars())
            rows = [{"exercise_id": e.exercise_id, "type": e.type, "difficulty": e.difficulty,
                     "concept": e.concept[:300], "source": e.source[:300], "topic": e.topic[:200],
                     "payload": e.model_dump_json(), "created_at": _now()}
                    for e in dict((e.exercise_id, e) for e in items).values() if e.exercise_id not in have]
            if rows:
                conn.execute(exercises.insert(), rows)
            return len(rows)

    def get_exercise(self, exercise_id: str) -> Exercise | None:
        with self._tx() as conn:
            payload = conn.execute(sa.select(exercises.c.payload)
                                   .where(exercises.c.exercise_id == exercise_id)).scalar_one_or_none()
        return Exercise.model_validate(json.loads(payload)) if payload else None

    def count_exercises(self) -> int:
        with self._tx() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(exercises)).scalar_one())

    # ------------------------------------------------------------ attempts + mastery
    def get_mastery(self, learner_id: str, concept: str) -> dict | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(mastery).where(mastery.c.learner_id == learner_id,
                                                        mastery.c.concept == concept)).mappings().first()
        return dict(row) if row else None

    def learner_mastery(self, learner_id: str) -> list[dict]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(mastery).where(mastery.c.learner_id == learner_id)
                                .order_by(mastery.c.concept)).mappings().all()
        return [dict(r) for r in rows]

    def record_attempt(self, exercise: Exercise, learner_id: str | None, response: str, score: float,
                       correct: bool, verdict: str, misconception: str | None, new_mastery) -> dict | None:
        """Store the attempt and (for a known learner) the updated mastery in one transaction.

        ``new_mastery(previous_row_or_None) -> p`` computes the new estimate inside the transaction."""
        with self._tx() as conn:
            conn.execute(attempts.insert().values(
                exercise_id=exercise.exercise_id, learner_id=learner_id, response=response[:4000], score=score,
                correct=correct, verdict=verdict, misconception=(misconception or None) and misconception[:200],
                created_at=_now()))
            if not learner_id:
                return None
            key = (mastery.c.learner_id == learner_id) & (mastery.c.concept == exercise.concept[:300])
            row = conn.execute(sa.select(mastery).where(key).with_for_update()).mappings().first()
            p = new_mastery(dict(row) if row else None)
            values = {"p_mastery": p, "attempts": (row["attempts"] if row else 0) + 1,
                      "correct": (row["correct"] if row else 0) + int(correct), "updated_at": _now()}
            if row:
                conn.execute(mastery.update().where(key).values(**values))
            else:
                conn.execute(mastery.insert().values(learner_id=learner_id, concept=exercise.concept[:300], **values))
            return {"concept": exercise.concept, **values}

    def attempts_for(self, exercise_id: str) -> list[dict]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(attempts).where(attempts.c.exercise_id == exercise_id)
                                .order_by(attempts.c.attempt_id)).mappings().all()
        return [dict(r) for r in rows]
