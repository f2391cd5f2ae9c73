"""TutorService: the one entry point of the tutor for the HTTP app, Lambda, CLI and console.

    svc = wiring.tutor_service(settings)   # the composition root hands in the ports
    svc.generate("returns", "easy", count=3, learner_id="ann")
    svc.evaluate(exercise_id, "30 days", learner_id="ann")
    svc.remediate(exercise_id, "14 days")
    svc.topics(); svc.health(); svc.mastery("ann")
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from ..config import Settings
from ..errors import CommerceError, NotFound, ValidationFailed
from ..logs import get_logger
from ..ports.cache import JsonCache
from .content import ContentRetriever
from .evaluator import Evaluator
from .facts import FactExtractor
from .generator import LLMGenerator, OfflineGenerator
from .metrics import TutorMetrics
from .models import DIFFICULTIES, MAX_COUNT, EvaluateRequest, Exercise, GenerateRequest, RemediateRequest
from .store import TutorStore
from .text import fold
from .workflow import EVALUATION_NODES, GENERATION_NODES, TutorWorkflow

log = get_logger("tutor.service")
KB_INDEX = "kb"


def _validated(model, **fields):
    """Pydantic validation with the platform's error (422 naming the field)."""
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise ValidationFailed(f"{field}: {msg}" if field else msg, field=field,
                               hint="fix the field and try again") from exc


class TutorService:
    def __init__(self, settings: Settings, *, retriever: ContentRetriever, embedder, llm, cache: JsonCache,
                 store: TutorStore, metrics: TutorMetrics | None = None) -> None:
        """The ports come from the composition root (``wiring.tutor_service``); ``llm`` None is offline."""
        self.settings = settings
        self.embedder = embedder
        self.retriever = retriever
        self.cache = cache
        self.store = store
        self.metrics = metrics or TutorMetrics()
        self.llm = llm
        self._lock = threading.Lock()
        self._extractor: tuple[str, FactExtractor] | None = None
        self.offline = OfflineGenerator(self._corpus_extractor())
        self.workflow = TutorWorkflow(
            retriever=self.retriever, offline=self.offline,
            llm_generator=LLMGenerator(self.llm, self.offline) if self.llm is not None else None,
            evaluator=Evaluator(self.embedder, vocabulary=lambda: set(self._corpus_extractor().df)),
            store=self.store, cache=self.cache, metrics=self.metrics,
            extractor_factory=self._corpus_extractor)

    # ------------------------------------------------------------ content
    def _corpus_extractor(self) -> FactExtractor:
        """Fact extractor whose term statistics cover the whole content (rebuilt when the KB changes)."""
        version = self.retriever.version()
        with self._lock:
            if self._extractor is None or self._extractor[0] != version:
                self._extractor = (version, FactExtractor([p.text for p in self.retriever.passages()]))
            extractor = self._extractor[1]
        if hasattr(self, "offline"):
            self.offline.extractor = extractor
        return extractor

    def topics(self, limit: int = 50) -> dict:
        return {"topics": self.retriever.topics(limit), "passages": self.retriever.size()}

    # ------------------------------------------------------------ generate
    def generate(self, topic: str, difficulty: str | None = None, count: int = 3,
                 learner_id: str | None = None) -> dict[str, Any]:
        req = _validated(GenerateRequest, topic=topic, difficulty=difficulty, count=count, learner_id=learner_id)
        self._corpus_extractor()
        key = None
        if req.difficulty:  # adaptive requests depend on the learner's state: never cached
            raw = f"{fold(req.topic)}|{req.difficulty}|{req.count}|{self.retriever.version()}|{self.llm is not None}"
            key = "gen:" + hashlib.sha1(raw.encode()).hexdigest()[:20]
            cached = self.cache.get(key)
            if cached:
                exercises = [Exercise.model_validate(e) for e in cached]
                return self._generated(exercises, req.difficulty, cached=True)
        state = self.workflow.run_generation(req.topic, req.difficulty, req.count, req.learner_id)
        exercises = state["exercises"]
        if key:
            self.cache.set(key, [e.model_dump(mode="json") for e in exercises])
        log.info("exercises generated", topic=req.topic, difficulty=state["difficulty"], count=len(exercises),
                 generator=state.get("generator"), rejected=len(state.get("rejected") or []))
        return self._generated(exercises, state["difficulty"], cached=False)

    @staticmethod
    def _generated(exercises: list[Exercise], difficulty: str, *, cached: bool) -> dict[str, Any]:
        return {"exercises": [e.public() for e in exercises], "difficulty": difficulty, "cached": cached}

    # ------------------------------------------------------------ evaluate / remediate
    def exercise(self, exercise_id: str) -> Exercise:
        cached = self.cache.get(f"ex:{exercise_id}")
        if cached:
            return Exercise.model_validate(cached)
        ex = self.store.get_exercise(exercise_id)
        if ex is None:
            raise NotFound(f"exercise {exercise_id!r} does not exist", field="exercise_id",
                           hint="use an exercise_id returned by POST /api/exercise/generate")
        self.cache.set(f"ex:{exercise_id}", ex.model_dump(mode="json"))
        return ex

    def evaluate(self, exercise_id: str, response: str, learner_id: str | None = None, *,
                 remediate: bool = False) -> dict[str, Any]:
        req = _validated(EvaluateRequest, exercise_id=exercise_id, response=response, learner_id=learner_id)
        ex = self.exercise(req.exercise_id)
        state = self.workflow.run_evaluation(ex, req.response, req.learner_id, record=True, auto_remediate=remediate)
        doc = state["evaluation"].public()
        mastery = state.get("mastery")
        if mastery:
            doc["mastery"] = round(mastery["p_mastery"], 3)
            doc["next_difficulty"] = state.get("next_difficulty")
        remediation = state.get("remediation")
        if remediation:
            doc["remediation"] = self._remediation_doc(remediation)
        return doc

    def remediate(self, exercise_id: str, response: str, learner_id: str | None = None) -> dict[str, Any]:
        req = _validated(RemediateRequest, exercise_id=exercise_id, response=response, learner_id=learner_id)
        ex = self.exercise(req.exercise_id)
        state = self.workflow.run_evaluation(ex, req.response, req.learner_id, record=False, auto_remediate=True,
                                             always_remediate=True)
        remediation = state["remediation"]
        assert remediation is not None, "always_remediate: the workflow always remediates"
        doc = self._remediation_doc(remediation)
        doc["misconception"] = state["evaluation"].misconception
        return doc

    @staticmethod
    def _remediation_doc(rem: dict) -> dict[str, Any]:
        return {"explanation": rem["explanation"], "source": rem["source"], "evidence": rem["evidence"],
                "follow_up": rem["follow_up"].public()}

    def mastery(self, learner_id: str) -> dict[str, Any]:
        rows = self.store.learner_mastery(learner_id)
        return {"learner_id": learner_id, "concepts": [
            {"concept": r["concept"], "p_mastery": round(r["p_mastery"], 3), "attempts": r["attempts"],
             "correct": r["correct"]} for r in rows]}

    # ------------------------------------------------------------ health
    def health(self) -> dict[str, Any]:
        components: dict[str, dict] = {}
        for name, backend, probe in (("cache", self.cache.backend, self.cache.ping),
                                     ("database", self.store.backend, self.store.ping)):
            try:
                probe()
                components[name] = {"status": "ok", "backend": backend}
            except CommerceError as exc:
                components[name] = {"status": "down", "backend": backend, "error": exc.message}
        try:
            nodes = sorted(set(self.workflow.generation_graph.get_graph().nodes) |
                           set(self.workflow.evaluation_graph.get_graph().nodes))
            missing = [n for n in (*GENERATION_NODES, *EVALUATION_NODES) if n not in nodes]
            components["workflow"] = {"status": "down" if missing else "ok",
                                      "nodes": [n for n in nodes if not n.startswith("__")],
                                      "generator": f"llm:{getattr(self.llm, 'name', 'llm')}" if self.llm else "offline"}
        except Exception as exc:  # noqa: BLE001 - health must report, not raise
            components["workflow"] = {"status": "down", "error": str(exc)}
        try:
            size = self.retriever.size()
            components["content"] = {"status": "ok" if size else "empty", "passages": size, "index": KB_INDEX}
        except Exception as exc:  # noqa: BLE001
            components["content"] = {"status": "down", "error": str(exc)}
        core = ("cache", "database", "workflow")
        status = "ok" if all(components[c]["status"] == "ok" for c in core) else "degraded"
        return {"status": status, "service": "tutor", "components": components,
                "difficulties": list(DIFFICULTIES), "max_count": MAX_COUNT}
