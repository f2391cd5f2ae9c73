"""The tutor's persistence in its own terms: Exercise models in and out, over the tutor store port
(ports/tutor_store.py), which holds the tables, transactions and the outage -> 503 mapping."""

from __future__ import annotations

import json

from ..ports.tutor_store import TutorStorePort
from .models import Exercise


class TutorStore:
    def __init__(self, port: TutorStorePort) -> None:
        self.port = port

    @property
    def backend(self) -> str:
        return self.port.backend

    def ping(self) -> None:
        self.port.ping()

    def save_exercises(self, items: list[Exercise]) -> int:
        """Insert the exercises not stored yet (ids are content hashes), all or nothing."""
        return self.port.save_exercises([
            {"exercise_id": e.exercise_id, "type": e.type, "difficulty": e.difficulty, "concept": e.concept,
             "source": e.source, "topic": e.topic, "payload": e.model_dump_json()} for e in items])

    def get_exercise(self, exercise_id: str) -> Exercise | None:
        payload = self.port.exercise_payload(exercise_id)
        return Exercise.model_validate(json.loads(payload)) if payload else None

    def count_exercises(self) -> int:
        return self.port.count_exercises()

    def get_mastery(self, learner_id: str, concept: str) -> dict | None:
        return self.port.get_mastery(learner_id, concept)

    def learner_mastery(self, learner_id: str) -> list[dict]:
        return self.port.learner_mastery(learner_id)

    def record_attempt(self, exercise: Exercise, learner_id: str | None, response: str, score: float,
                       correct: bool, verdict: str, misconception: str | None, new_mastery) -> dict | None:
        """Store the attempt and (for a known learner) the updated mastery in one transaction.

        ``new_mastery(previous_row_or_None) -> p`` computes the new estimate inside the transaction."""
        return self.port.record_attempt(exercise.exercise_id, exercise.concept, learner_id, response, score,
                                        correct, verdict, misconception, new_mastery)

    def attempts_for(self, exercise_id: str) -> list[dict]:
        return self.port.attempts_for(exercise_id)
