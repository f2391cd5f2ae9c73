"""The tutor's LangGraph workflows.

generation: retrieve -> generate -> validate -> store   (validate -> generate again with the
            offline generator when an LLM produced nothing usable)
evaluation: evaluate -> remediate (when the answer is wrong, or remediation was asked for) -> end

Each node is a plain method taking the state and returning the update, so it can be tested alone.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, TypedDict, overload

from ..errors import NotFound, ValidationFailed
from ..logs import get_logger
from .evaluator import Evaluator
from .facts import Fact, FactExtractor
from .generator import LLMGenerator, OfflineGenerator, easier, topic_name, validate_exercise
from .learner import DEFAULT as BKT
from .learner import next_difficulty, update
from .models import Evaluation, Exercise, Passage
from .text import fold, tokens

log = get_logger("tutor.workflow")

GENERATION_NODES = ("retrieve", "generate", "validate", "store")
EVALUATION_NODES = ("evaluate", "remediate")


class GenerationState(TypedDict, total=False):
    topic: str
    difficulty: str | None
    count: int
    learner_id: str | None
    passages: list[Passage]
    pool: list[Passage]
    drafts: list[Exercise]
    exercises: list[Exercise]
    rejected: list[str]
    generator: str
    fallback: bool
    stored: int


class EvaluationState(TypedDict, total=False):
    exercise: Exercise
    response: str
    learner_id: str | None
    record: bool
    auto_remediate: bool
    always_remediate: bool
    evaluation: Evaluation
    mastery: dict | None
    next_difficulty: str | None
    remediation: dict | None


# Guidance per misconception (data): what to look at, never the answer itself.
GUIDANCE: list[tuple[str, str]] = [
    ("confused with another", "Your answer names something else from the same passage; look at the exact "
                              "sentence the question quotes and what it says about that point."),
    ("confused with the", "You used a figure that belongs to another rule in the same section. Each rule has its own "
                      "figure: match the figure to the situation the question describes."),
    ("unit", "Check the unit as well as the number: the same number in another unit is a different amount."),
    ("order-of-magnitude", "Check the unit and the decimal point: your answer is off by a power of ten."),
    ("incomplete", "A complete answer names every element of the rule, not just one of them."),
    ("off-topic", "Focus on what the question asks; answer it from the passage below."),
    ("not one of the choices", "Pick one of the offered choices."),
    ("no number", "The question asks for a figure; find the number in the passage."),
]


def guidance_for(evaluation: Evaluation | None) -> str:
    if evaluation is None:
        return "Compare your answer with the passage below."
    if evaluation.correct:
        return "Your answer was right; here is the passage it comes from, and a follow-up to consolidate it."
    for cue, text in GUIDANCE:
        if evaluation.misconception and cue in evaluation.misconception:
            return text
    return "Compare your answer with the passage below and look for the detail the question is about."


class TutorWorkflow:
    """Nodes and graphs. ``deps`` provides retriever, generators, evaluator, store, cache, metrics."""

    def __init__(self, *, retriever, offline: OfflineGenerator, llm_generator: LLMGenerator | None,
                 evaluator: Evaluator, store, cache, metrics=None, extractor_factory=None) -> None:
        self.retriever = retriever
        self.offline = offline
        self.llm_generator = llm_generator
        self.evaluator = evaluator
        self.store = store
        self.cache = cache
        self.metrics = metrics
        self.extractor_factory = extractor_factory or (lambda: self.offline.extractor)

    # Compiled on first use: importing langgraph takes a second or two, which commands that only
    # read (topics, mastery) should not pay.
    @cached_property
    def generation_graph(self):
        return self._build_generation()

    @cached_property
    def evaluation_graph(self):
        return self._build_evaluation()

    # ------------------------------------------------------------ graphs
    def _build_generation(self):
        from langgraph.graph import END, START, StateGraph

        g = StateGraph(GenerationState)
        g.add_node("retrieve", self.retrieve)
        g.add_node("generate", self.generate)
        g.add_node("validate", self.validate)
        g.add_node("store", self.store_node)
        g.add_edge(START, "retrieve")
        g.add_edge("retrieve", "generate")
        g.add_edge("generate", "validate")
        g.add_conditional_edges("validate", self.after_validate, {"generate": "generate", "store": "store",
                                                                  "end": END})
        g.add_edge("store", END)
        return g.compile()

    def _build_evaluation(self):
        from langgraph.graph import END, START, StateGraph

        g = StateGraph(EvaluationState)
        g.add_node("evaluate", self.evaluate)
        g.add_node("remediate", self.remediate)
        g.add_edge(START, "evaluate")
        g.add_conditional_edges("evaluate", self.after_evaluate, {"remediate": "remediate", "end": END})
        g.add_edge("remediate", END)
        return g.compile()

    # ------------------------------------------------------------ generation nodes
    def retrieve(self, state: GenerationState) -> dict:
        passages = self.retriever.retrieve(state["topic"], k=4)
        sources = {p.source for p in passages}
        chosen = {p.id for p in passages}
        pool = [p for p in self.retriever.passages() if p.source in sources and p.id not in chosen][:40]
        difficulty = state.get("difficulty")
        if not difficulty:
            difficulty = self.choose_difficulty(state.get("learner_id"), passages)
        return {"passages": passages, "pool": pool, "difficulty": difficulty}

    def choose_difficulty(self, learner_id: str | None, passages: list[Passage]) -> str:
        """The learner model's pick: mean mastery over the concepts of these sections."""
        if not learner_id:
            return "medium"
        headings = {p.heading or p.source for p in passages}
        rows = [r for r in self.store.learner_mastery(learner_id) if r["concept"].split(":")[0] in headings]
        p = sum(r["p_mastery"] for r in rows) / len(rows) if rows else BKT.p_init
        return next_difficulty(p)

    def generate(self, state: GenerationState) -> dict:
        generator: LLMGenerator | OfflineGenerator = self.offline
        if self.llm_generator is not None and not state.get("fallback"):
            generator = self.llm_generator
        # the plan step always sets the difficulty; "medium" is its own default for an unknown learner
        drafts = generator.generate(state["passages"], state.get("difficulty") or "medium", state.get("count", 3),
                                    state["topic"], state.get("pool"))
        rejected = list(getattr(generator, "rejected", []) or [])
        return {"drafts": drafts, "generator": generator.name, "rejected": rejected}

    def validate(self, state: GenerationState) -> dict:
        good, rejected = [], list(state.get("rejected") or [])
        for ex in state.get("drafts") or []:
            reason = validate_exercise(ex)
            if reason:
                rejected.append(f"{ex.exercise_id}: {reason}")
            else:
                good.append(ex)
        retry = not good and state.get("generator") != "offline" and not state.get("fallback")
        return {"exercises": good[: state.get("count", 3)], "rejected": rejected, "fallback": retry or
                bool(state.get("fallback"))}

    @staticmethod
    def after_validate(state: GenerationState) -> str:
        if state.get("exercises"):
            return "store"
        if state.get("fallback") and state.get("generator") != "offline":
            return "generate"  # the LLM produced nothing usable: the offline generator takes over
        return "end"

    def store_node(self, state: GenerationState) -> dict:
        items = state.get("exercises") or []
        self.cache.ping()  # a cache that is down fails the request before anything is written
        stored = self.store.save_exercises(items)
        for ex in items:
            self.cache.set(f"ex:{ex.exercise_id}", ex.model_dump(mode="json"))
        if self.metrics is not None:
            for ex in items:
                self.metrics.generated.labels(ex.type, ex.difficulty, ex.generator).inc()
        return {"stored": stored}

    def run_generation(self, topic: str, difficulty: str | None, count: int, learner_id: str | None) -> dict:
        state = self.generation_graph.invoke({"topic": topic, "difficulty": difficulty, "count": count,
                                              "learner_id": learner_id})
        if not state.get("exercises"):
            raise ValidationFailed(f"the content for topic {topic!r} has no facts usable for exercises",
                                   field="topic", hint="try a broader topic or another difficulty")
        return state

    # ------------------------------------------------------------ evaluation nodes
    def evaluate(self, state: EvaluationState) -> dict:
        ex = state["exercise"]
        evaluation = self.evaluator.evaluate(ex, state["response"])
        out: dict[str, Any] = {"evaluation": evaluation, "mastery": None, "next_difficulty": None}
        if state.get("record", True):
            guess = BKT.guess_for(ex.type, len(ex.choices or []) or None)

            def new_p(row: dict | None) -> float:
                prior = row["p_mastery"] if row else BKT.p_init
                return update(prior, evaluation.correct, guess=guess)

            row = self.store.record_attempt(ex, state.get("learner_id"), state["response"], evaluation.score,
                                            evaluation.correct, evaluation.verdict, evaluation.misconception, new_p)
            if row is not None:
                out["mastery"] = row
                out["next_difficulty"] = next_difficulty(row["p_mastery"])
            if self.metrics is not None:
                self.metrics.graded.labels(ex.type, evaluation.verdict).inc()
        return out

    @staticmethod
    def after_evaluate(state: EvaluationState) -> str:
        evaluation = state.get("evaluation")
        wrong = evaluation is not None and not evaluation.correct
        if state.get("always_remediate") or (wrong and state.get("auto_remediate", True)):
            return "remediate"
        return "end"

    def remediate(self, state: EvaluationState) -> dict:
        ex = state["exercise"]
        evaluation = state.get("evaluation")
        where = f"The guide on \"{topic_name(ex.heading, ex.source)}\""
        guidance = guidance_for(evaluation)
        evidence = ex.evidence
        explanation = f"{guidance} {where} says: \"{evidence}\""
        # the follow-up tests another fact of the topic, one the explanation does not state
        follow = self.follow_up(ex, avoid_text=explanation)
        if follow is None:
            # no such fact: practise the same one, and the explanation no longer gives its answer away
            follow = self.follow_up(ex)
            evidence = _without(ex.evidence, follow.answer)
            explanation = f"{guidance} {where} says: \"{evidence}\""
            if _contains(explanation, follow.answer):
                explanation = f"{guidance} Reread the section the question quotes."
        self.cache.ping()
        self.store.save_exercises([follow])
        self.cache.set(f"ex:{follow.exercise_id}", follow.model_dump(mode="json"))
        if self.metrics is not None:
            self.metrics.remediations.labels(ex.type).inc()
            self.metrics.generated.labels(follow.type, follow.difficulty, "remediation").inc()
        return {"remediation": {"explanation": explanation, "source": ex.source, "evidence": evidence,
                                "follow_up": follow}}

    def _passage_of(self, ex: Exercise) -> Passage:
        return Passage(id=ex.passage_id or f"{ex.source}#?", text=ex.passage or ex.evidence, source=ex.source,
                       heading=ex.heading)

    def _same_topic_facts(self, ex: Exercise, extractor: FactExtractor) -> list[Fact]:
        """Facts of the other sections of the exercise's document: the same topic, when its own
        section has no other fact to ask about."""
        try:
            passages = self.retriever.passages()
        except Exception:  # noqa: BLE001 - the stored passage still gives a follow-up
            return []
        return [f for p in passages if p.source == ex.source and p.id != ex.passage_id
                for f in extractor.extract(p)]

    @overload
    def follow_up(self, ex: Exercise) -> Exercise: ...

    @overload
    def follow_up(self, ex: Exercise, avoid_text: str) -> Exercise | None: ...

    def follow_up(self, ex: Exercise, avoid_text: str | None = None) -> Exercise | None:
        """An easier exercise on the same concept from the stored passage. With ``avoid_text`` (the
        explanation the learner reads first): only on another fact whose answer that text does not
        contain, else None; without it: on the same fact (else a neighbouring one), else NotFound."""
        passage = self._passage_of(ex)
        extractor = self.extractor_factory()
        facts = extractor.extract(passage)
        fact = next((f for f in facts if f.fact_id == ex.fact_id), None)
        if fact is None:
            fact = next((f for f in facts if f.sentence == ex.evidence and fold(f.answer) == fold(ex.answer)), None)
        if fact is None and ex.type in ("cloze", "multiple_choice") and ex.evidence and ex.answer in ex.evidence:
            start = ex.evidence.index(ex.answer)
            fact = Fact(ex.fact_id or "f", "term", ex.evidence, passage, "key term", ex.answer, start,
                        start + len(ex.answer))
        difficulty = easier(ex.difficulty)
        if avoid_text is not None:
            # another fact: first of the exercise's own section, then of its document; other sentences first
            others = facts + self._same_topic_facts(ex, extractor)
            candidates = sorted((f for f in others if f is not fact and fold(f.answer) != fold(ex.answer)
                                 and not _contains(avoid_text, f.answer)),
                                key=lambda f: (f.passage.id != passage.id, f.sentence == ex.evidence))
            pool = others
        else:
            candidates = ([fact] if fact else []) + [f for f in facts if f.sentence == ex.evidence] + facts
            pool = facts
        for strict in (True, False):  # first a different exercise type, then any
            for f in candidates:
                made = self.offline.follow_up(f, difficulty, pool, avoid_type=ex.type, topic=ex.topic,
                                              strict=strict)
                if made is None or made.exercise_id == ex.exercise_id or validate_exercise(made) is not None:
                    continue
                if avoid_text is not None and _contains(avoid_text, made.answer):
                    continue
                if f is not fact:  # another fact of the section or document: it practises the same concept
                    log.info("follow-up on a neighbouring fact", exercise_id=ex.exercise_id)
                    made = made.model_copy(update={"concept": ex.concept})
                return made
        if avoid_text is not None:
            return None
        raise NotFound(f"no follow-up exercise can be built for {ex.exercise_id}",
                       hint="generate new exercises for the topic instead")

    def run_evaluation(self, exercise: Exercise, response: str, learner_id: str | None, *, record: bool,
                       auto_remediate: bool, always_remediate: bool = False) -> EvaluationState:
        return self.evaluation_graph.invoke({"exercise": exercise, "response": response, "learner_id": learner_id,
                                             "record": record, "auto_remediate": auto_remediate,
                                             "always_remediate": always_remediate})


def _words(text: str) -> str:
    return " " + " ".join(tokens(text, keep_stop=True)) + " "


def _contains(text: str, answer: str) -> bool:
    """Whether ``answer`` can be copied from ``text`` (whole words; case, accents, punctuation ignored)."""
    words = _words(answer)
    return bool(words.strip()) and words in _words(text)


def _without(sentence: str, answer: str) -> str:
    """The sentence with the answer blanked out (as it stands, or folded)."""
    if answer and answer in sentence:
        return sentence.replace(answer, "___")
    m = re.search(re.escape(fold(answer)), fold(sentence)) if answer else None
    if m and len(fold(sentence)) == len(sentence):
        return f"{sentence[:m.start()]}___{sentence[m.end():]}"
    return sentence


def fact_extractor_for(passages: list[Passage]) -> FactExtractor:
    return FactExtractor([p.text for p in passages])
