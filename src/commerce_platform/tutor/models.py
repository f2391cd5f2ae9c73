"""Exercise, evaluation and request models (the JSON shapes of ARCHITECTURE section 8)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

Difficulty = Literal["easy", "medium", "hard"]
ExerciseType = Literal["multiple_choice", "short_answer", "cloze", "numeric"]
Verdict = Literal["correct", "partial", "incorrect", "off_topic"]

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
MAX_RESPONSE_CHARS = 2000
MAX_COUNT = 10


class Passage(BaseModel):
    """One retrieved knowledge chunk."""

    id: str
    text: str
    source: str
    heading: str = ""
    score: float = 0.0


class Exercise(BaseModel):
    """A stored exercise. The answer key (``answer``, ``accepted``, ``unit``...) never leaves the service."""

    exercise_id: str
    type: ExerciseType
    difficulty: Difficulty
    question: str
    choices: list[str] | None = None
    answer: str
    accepted: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    value: float | None = None
    unit: str | None = None
    unit_required: bool = False
    tolerance: float = 0.0
    concept: str
    fact_id: str = ""
    source: str
    heading: str = ""
    passage_id: str = ""
    passage: str = ""
    evidence: str = ""
    topic: str = ""
    generator: str = "offline"
    related_values: list[dict[str, Any]] = Field(default_factory=list)

    def public(self) -> dict[str, Any]:
        """The learner-facing shape: no answer key."""
        doc: dict[str, Any] = {"exercise_id": self.exercise_id, "type": self.type, "question": self.question,
                               "concept": self.concept, "source": self.source, "difficulty": self.difficulty}
        if self.choices:
            doc["choices"] = list(self.choices)
        return doc


class Evaluation(BaseModel):
    score: float
    correct: bool
    verdict: Verdict
    feedback: str
    misconception: str | None = None

    def public(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"score": round(self.score, 3), "correct": self.correct, "feedback": self.feedback,
                               "verdict": self.verdict}
        if self.misconception:
            doc["misconception"] = self.misconception
        return doc


def _response_text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("the response is empty; type an answer")
    if len(text) > MAX_RESPONSE_CHARS:
        raise ValueError(f"the response is {len(text)} characters; answer in at most {MAX_RESPONSE_CHARS}")
    return text


class GenerateRequest(BaseModel):
    topic: str = Field(min_length=1, max_length=200)
    difficulty: Difficulty | None = None
    count: int = Field(default=3, ge=1, le=MAX_COUNT)
    learner_id: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the topic is empty; name what to practise, e.g. 'returns'")
        return value.strip()


class EvaluateRequest(BaseModel):
    exercise_id: str = Field(min_length=1, max_length=100)
    response: str
    learner_id: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("response")
    @classmethod
    def _response(cls, value: str) -> str:
        return _response_text(value)


class RemediateRequest(EvaluateRequest):
    """Same fields and checks as an evaluation request."""
