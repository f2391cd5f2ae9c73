"""Exercise generators: offline (rules over the passage's key facts) and LLM (schema-validated,
grounded in the passage, falling back to offline)."""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any, cast

from pydantic import BaseModel, Field, ValidationError

from ..errors import CommerceError
from ..logs import get_logger
from .facts import Fact, FactExtractor
from .models import DIFFICULTIES, Difficulty, Exercise, ExerciseType, Passage
from .text import fold, format_quantity, lexicon, quantities, sentences, stem, tokens

log = get_logger("tutor.generator")

# Which exercise shapes fit which difficulty, in rotation order: (type, fact kind).
PLANS: dict[str, list[tuple[str, str]]] = {
    "easy": [("multiple_choice", "number"), ("multiple_choice", "term"), ("cloze", "term")],
    "medium": [("cloze", "term"), ("multiple_choice", "number"), ("numeric", "number"), ("short_answer", "condition")],
    "hard": [("numeric", "number"), ("short_answer", "condition"), ("cloze", "term")],
}
CHOICES = {"easy": 3, "medium": 4, "hard": 4}


def easier(difficulty: str) -> str:
    i = DIFFICULTIES.index(difficulty)
    return DIFFICULTIES[max(0, i - 1)]


def topic_name(heading: str, source: str) -> str:
    """The topic in words: the section heading, else the document's file name as a title
    ("account/business-account-users.md" -> "Business account users"). A learner never sees a path."""
    if heading.strip():
        return re.sub(r"\s*/\s*", ", ", heading.strip())  # "Pumps/valves" must not read as a path
    stem_ = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.replace("\\", "/").rstrip("/").split("/")[-1])
    words = re.sub(r"[-_.]+", " ", stem_).strip()
    return words[:1].upper() + words[1:] if words else "the guide"


def _context(p: Passage) -> str:
    return f"According to the guide on \"{topic_name(p.heading, p.source)}\""


def _exercise_id(*parts: Any) -> str:
    return "ex_" + hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


_RATE = re.compile(r"(?<=[A-Za-z0-9])/(?=(?:h|s|min|d|day|week|month|year|kg|m|m2|l)\b)")
_PATHLIKE = re.compile(r"\S/\S")


def _blank(sentence: str, start: int, end: int) -> str:
    # a rate unit reads as words ("m3/h" -> "m3 per h"): a quoted slash looks like a file path
    return _RATE.sub(" per ", f"{sentence[:start]}___{sentence[end:]}")


class OfflineGenerator:
    """Exercises built from the content itself: numbers, terms and conditions of the passages."""

    name = "offline"

    def __init__(self, extractor: FactExtractor | None = None) -> None:
        self.extractor = extractor or FactExtractor()

    # ------------------------------------------------------------ public
    def facts(self, passages: list[Passage]) -> list[Fact]:
        out: list[Fact] = []
        for p in passages:
            out.extend(self.extractor.extract(p))
        return out

    def generate(self, passages: list[Passage], difficulty: str, count: int, topic: str = "",
                 pool: list[Passage] | None = None) -> list[Exercise]:
        facts = self.facts(passages)
        pool_facts = facts + [f for f in self.facts(pool or []) if f.passage.id not in {p.id for p in passages}]
        plan = PLANS[difficulty]
        used: set[str] = set()
        used_sentences: set[str] = set()
        out: list[Exercise] = []
        for slot in range(count * 3):
            if len(out) >= count:
                break
            made = None
            for k in range(len(plan)):
                ex_type, kind = plan[(slot + k) % len(plan)]
                for fact in facts:
                    if fact.kind != kind or fact.fact_id in used or fact.sentence in used_sentences:
                        continue
                    made = self.build(fact, ex_type, difficulty, pool_facts, topic)
                    if made is not None:
                        used.add(fact.fact_id)
                        used_sentences.add(fact.sentence)
                        break
                if made is not None:
                    break
            if made is None:
                used_sentences.clear()  # allow a second fact from an already used sentence
                if all(f.fact_id in used for f in facts):
                    break
                continue
            out.append(made)
        return out

    def follow_up(self, fact: Fact, difficulty: str, pool_facts: list[Fact], avoid_type: str,
                  topic: str = "", strict: bool = False) -> Exercise | None:
        """An exercise on the same fact at ``difficulty`` (a different exercise type; ``strict``: only that)."""
        shapes = [t for t, kind in PLANS[difficulty] if kind == fact.kind]
        shapes += [t for t in ("multiple_choice", "cloze", "numeric", "short_answer") if t not in shapes]
        shapes.sort(key=lambda t: t == avoid_type)
        if strict:
            shapes = [t for t in shapes if t != avoid_type]
        for ex_type in shapes:
            made = self.build(fact, ex_type, difficulty, pool_facts, topic)
            if made is not None:
                return made
        return None

    # ------------------------------------------------------------ builders
    def build(self, fact: Fact, ex_type: str, difficulty: str, pool: list[Fact], topic: str) -> Exercise | None:
        builder = {
            ("multiple_choice", "number"): self._mc_number,
            ("multiple_choice", "term"): self._mc_term,
            ("multiple_choice", "condition"): self._mc_condition,
            ("numeric", "number"): self._numeric,
            ("cloze", "term"): self._cloze,
            ("short_answer", "condition"): self._short_answer,
        }.get((ex_type, fact.kind))
        if builder is None:
            return None
        if _PATHLIKE.search(_RATE.sub(" per ", fact.sentence)):
            return None  # a sentence with a web address or path would put it in the question
        fields = builder(fact, difficulty, pool)
        if fields is None:
            return None
        p = fact.passage
        related = [{"value": f.quantity.value, "unit": f.quantity.unit.symbol if f.quantity.unit else None,
                    "label": f.label, "text": f.answer}
                   for f in pool if f.kind == "number" and f.passage.id == p.id and f.fact_id != fact.fact_id
                   and f.quantity is not None]
        ex_id = _exercise_id(ex_type, difficulty, fact.fact_id, fields.get("question"), fields.get("choices"))
        return Exercise(exercise_id=ex_id, type=cast(ExerciseType, ex_type), difficulty=cast(Difficulty, difficulty),
                        concept=fact.concept,
                        fact_id=fact.fact_id, source=p.source, heading=p.heading, passage_id=p.id,
                        passage=p.text[:4000],
                        evidence=fact.sentence, topic=topic, related_values=related, **fields)

    def _mc_number(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        q = fact.quantity
        if q is None or q.unit is None:
            return None
        n = CHOICES[difficulty]
        correct = format_quantity(q.value, q.unit.symbol)
        values: list[float] = []
        # 1. other figures of the same kind in the same content (the most plausible confusions)
        same = sorted(((f, f.quantity) for f in pool if f.kind == "number" and f.quantity and f.quantity.unit
                       and f.quantity.unit.kind == q.unit.kind and f.fact_id != fact.fact_id),
                      key=lambda fq: (fq[0].passage.id != fact.passage.id, abs(fq[1].base() - q.base())))
        def plausible(v: float) -> bool:  # the same order of magnitude as the right answer
            return v > 0 and abs(v - q.value) > 1e-9 and (q.value <= 0 or 0.2 <= v / q.value <= 5)

        for _, other in same:
            v = other.base() / q.unit.factor
            if plausible(v) and abs(v - round(v)) < 1e-6 and round(v) not in values:
                values.append(float(round(v)))
        # 2. neighbours on a ladder of usual values, then simple scalings
        ladder = lexicon()["ladders"].get(q.unit.kind, lexicon()["ladders"]["default"])
        near = sorted(ladder, key=lambda v: abs(v - q.value))
        for v in near + [q.value * 2, q.value / 2, q.value * 1.5, q.value * 3]:
            v = round(v, 2)
            if plausible(v) and v not in values:
                values.append(v)
        distractors = [format_quantity(v, q.unit.symbol) for v in values[: n - 1]]
        choices = self._shuffle([correct, *distractors], fact.fact_id)
        question = (f"{_context(fact.passage)}: \"{_blank(fact.sentence, fact.start, fact.end)}\" "
                    "Which value fills the blank?")
        return {"question": question, "choices": choices, "answer": correct, "value": q.value,
                "unit": q.unit.symbol, "tolerance": 0.0}

    def _numeric(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        q = fact.quantity
        if q is None or q.unit is None:
            return None
        unit_required = difficulty == "hard"
        if unit_required:
            blanked = _blank(fact.sentence, fact.start, fact.end)
            ask = "Give the number with its unit."
        else:
            num = re.search(r"\d[\d .,]*", q.text)
            if num is None:
                return None
            s = fact.start + num.start()
            blanked = _blank(fact.sentence, s, s + len(num.group(0).rstrip(" .,")))
            unit_name = q.unit.symbol if q.unit.symbol not in ("%", "€", "°C") else {"%": "percent", "€": "euros",
                                                                                  "°C": "degrees Celsius"}[q.unit.symbol]
            ask = f"How many {unit_name}? Answer with a number."
        question = f"{_context(fact.passage)}: \"{blanked}\" {ask}"
        return {"question": question, "answer": format_quantity(q.value, q.unit.symbol), "value": q.value,
                "unit": q.unit.symbol, "unit_required": unit_required, "tolerance": 0.01}

    def _term_pool(self, fact: Fact, pool: list[Fact]) -> list[str]:
        answer = fact.answer
        seen = {fold(answer)}
        candidates: list[str] = []
        for f in pool:
            for word in [f.answer] if f.kind == "term" else []:
                if fold(word) not in seen and stem(fold(word)) != stem(fold(answer)):
                    seen.add(fold(word))
                    candidates.append(word)

        def shape(word: str) -> tuple:
            return (-(word[-3:].lower() == answer[-3:].lower()), word[0].isupper() != answer[0].isupper(),
                    ("-" in word) != ("-" in answer), abs(len(word) - len(answer)))

        return sorted(candidates, key=shape)

    def _mc_term(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        n = CHOICES[difficulty]
        distractors = self._term_pool(fact, pool)[: n - 1]
        if len(distractors) < n - 1:
            return None
        question = (f"{_context(fact.passage)}: \"{_blank(fact.sentence, fact.start, fact.end)}\" "
                    "Which word fills the blank?")
        return {"question": question, "choices": self._shuffle([fact.answer, *distractors], fact.fact_id),
                "answer": fact.answer}

    def _mc_condition(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        others = [f.answer for f in pool if f.kind == "condition" and f.fact_id != fact.fact_id
                  and f.label == fact.label and fold(f.answer) != fold(fact.answer)]
        n = CHOICES[difficulty]
        if len(others) < n - 1:
            return None
        question = f"{_context(fact.passage)}: {fact.prompt}"
        return {"question": question, "choices": self._shuffle([fact.answer, *others[: n - 1]], fact.fact_id),
                "answer": fact.answer}

    def _cloze(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        word = fact.answer
        hint = ""
        if difficulty == "easy":
            hint = f" (hint: {len(word)} letters, starts with '{word[0].lower()}')"
        elif difficulty == "medium":
            hint = f" (hint: starts with '{word[0].lower()}')"
        question = (f"{_context(fact.passage)}, fill in the missing word: "
                    f"\"{_blank(fact.sentence, fact.start, fact.end)}\"{hint}")
        return {"question": question, "answer": word, "keywords": [fold(word)]}

    def _short_answer(self, fact: Fact, difficulty: str, pool: list[Fact]) -> dict | None:
        if not fact.prompt or not fact.keywords:
            return None
        question = f"{_context(fact.passage)}: {fact.prompt} Answer in a few words."
        leaked = sum(1 for k in fact.keywords if k in tokens(fact.prompt))
        if leaked == len(fact.keywords):
            return None
        return {"question": question, "answer": fact.answer, "keywords": fact.keywords}

    @staticmethod
    def _shuffle(choices: list[str], seed: str) -> list[str]:
        out = list(dict.fromkeys(choices))
        random.Random(int(seed, 16)).shuffle(out)
        return out


# ---------------------------------------------------------------- LLM generator


class LLMExerciseDraft(BaseModel):
    """The schema an LLM's exercise must satisfy before it is used."""

    type: str = Field(pattern="^(multiple_choice|short_answer|cloze|numeric)$")
    question: str = Field(min_length=10, max_length=600)
    answer: str = Field(min_length=1, max_length=300)
    choices: list[str] | None = None
    concept: str = Field(min_length=2, max_length=200)
    passage_id: str
    evidence: str = Field(min_length=5, max_length=1000)
    unit: str | None = None
    keywords: list[str] | None = None


class LLMDraftSet(BaseModel):
    exercises: list[LLMExerciseDraft]


SYSTEM = ("You write practice exercises for staff and customers from company knowledge content. "
          "Use only facts stated in the passages. Never put the answer in the question. "
          "Name the topic in words, never a file name or path. Reply with JSON only.")


def _prompt(passages: list[Passage], difficulty: str, count: int, topic: str) -> str:
    # the topic in words, not the file: questions echo what the prompt calls a passage
    blocks = "\n\n".join(f"[{p.id}] ({topic_name(p.heading, p.source)})\n{p.text[:2000]}" for p in passages)
    return (f"Topic: {topic}\nDifficulty: {difficulty} (easy: multiple choice with 3 choices; medium: cloze, "
            f"4-choice multiple choice or numeric; hard: numeric with unit or short answer)\n"
            f"Write {count} exercises from these passages:\n\n{blocks}\n\n"
            'Answer as {"exercises": [{"type": "multiple_choice|short_answer|cloze|numeric", "question": "...", '
            '"choices": ["..."] (multiple_choice only, 3-5 items, one equal to answer), "answer": "...", '
            '"concept": "<section>: <what is tested>", "passage_id": "<id in brackets>", '
            '"evidence": "<the sentence of the passage that gives the answer>", "unit": "<unit of a numeric answer>", '
            '"keywords": ["key words a correct short answer must contain"]}]}')


class LLMGenerator:
    """Drafts from an LLM, validated against a schema and grounded in the passage; the offline
    generator fills any gap (and takes over entirely when the model fails)."""

    name = "llm"

    def __init__(self, llm, fallback: OfflineGenerator) -> None:
        self.llm = llm
        self.fallback = fallback
        self.rejected: list[str] = []

    def generate(self, passages: list[Passage], difficulty: str, count: int, topic: str = "",
                 pool: list[Passage] | None = None) -> list[Exercise]:
        from ..ports.llm import complete_json

        self.rejected = []
        drafts: list[Exercise] = []
        try:
            raw = complete_json(self.llm, _prompt(passages, difficulty, count, topic), SYSTEM)
            parsed = LLMDraftSet.model_validate(raw)
        except (CommerceError, ValidationError) as exc:
            self.rejected.append(f"model output unusable: {str(exc).splitlines()[0]}")
            log.warning("LLM exercise generation failed; using the offline generator", error=str(exc)[:300])
            parsed = LLMDraftSet(exercises=[])
        by_id = {p.id: p for p in passages}
        for draft in parsed.exercises:
            reason = self._check(draft, by_id)
            if reason:
                self.rejected.append(reason)
                continue
            drafts.append(self._to_exercise(draft, by_id[draft.passage_id], difficulty, topic))
            if len(drafts) >= count:
                break
        if len(drafts) < count:
            have = {d.exercise_id for d in drafts}
            extra = [e for e in self.fallback.generate(passages, difficulty, count, topic, pool)
                     if e.exercise_id not in have]
            drafts.extend(extra[: count - len(drafts)])
        return drafts

    @staticmethod
    def _check(d: LLMExerciseDraft, by_id: dict[str, Passage]) -> str | None:
        p = by_id.get(d.passage_id)
        if p is None:
            return f"unknown passage_id {d.passage_id!r}"
        text = fold(p.text)
        if d.type == "numeric":
            values = [q.value for q in quantities(p.text)]
            answer = quantities(d.answer)
            if not answer or answer[0].value not in values:
                return f"numeric answer {d.answer!r} is not a figure of the passage"
        elif fold(d.answer) not in text and not all(stem(t) in {stem(x) for x in tokens(p.text)}
                                                     for t in tokens(d.answer)):
            return f"answer {d.answer!r} is not grounded in the passage"
        if d.type == "multiple_choice":
            choices = [c.strip() for c in d.choices or []]
            if not 3 <= len(set(choices)) <= 5 or d.answer.strip() not in choices:
                return "multiple choice needs 3-5 distinct choices including the answer"
        elif fold(d.answer) in fold(d.question):
            return "the question gives the answer away"
        return None

    def _to_exercise(self, d: LLMExerciseDraft, p: Passage, difficulty: str, topic: str) -> Exercise:
        value = unit = None
        if d.type == "numeric":
            q = quantities(d.answer)[0]
            value = q.value
            unit = q.unit.symbol if q.unit else (d.unit or None)
        evidence = next((s for s in sentences(p.text) if fold(d.answer) in fold(s)), d.evidence)
        keywords = [fold(k) for k in (d.keywords or [])] or [t for t in tokens(d.answer) if len(t) > 1]
        ex_id = _exercise_id("llm", d.type, difficulty, p.id, d.question, d.choices)
        return Exercise(exercise_id=ex_id, type=cast(ExerciseType, d.type), difficulty=cast(Difficulty, difficulty),
                        question=d.question,
                        choices=d.choices if d.type == "multiple_choice" else None, answer=d.answer,
                        keywords=keywords, value=value, unit=unit, unit_required=bool(unit and difficulty == "hard"),
                        tolerance=0.01 if d.type == "numeric" else 0.0, concept=d.concept,
                        fact_id="llm:" + hashlib.sha1(fold(d.answer).encode()).hexdigest()[:10],
                        source=p.source, heading=p.heading, passage_id=p.id, passage=p.text[:4000],
                        evidence=evidence, topic=topic, generator="llm")


_FILE_NAME = re.compile(r"[\w-]+\.(?:md|markdown|html?|txt|pdf|docx?)\b", re.I)


def validate_exercise(ex: Exercise) -> str | None:
    """Structural checks every exercise passes before it is stored (None = valid)."""
    if not ex.question.strip():
        return "empty question"
    if ex.type == "multiple_choice":
        if not ex.choices or len(set(ex.choices)) != len(ex.choices) or ex.answer not in ex.choices:
            return "multiple choice without distinct choices including the answer"
        if len(ex.choices) < 3:
            return "multiple choice needs at least 3 choices"
    else:
        if ex.type in ("cloze", "short_answer") and re.search(
                rf"(?<![a-z]){re.escape(fold(ex.answer))}(?![a-z])", fold(ex.question)):
            return "the question gives the answer away"
    if ex.type == "numeric" and ex.value is None:
        return "numeric exercise without a value"
    if (ex.source and ex.source in ex.question) or _FILE_NAME.search(ex.question):
        return "the question names a file instead of the topic"
    if not ex.evidence or not ex.source:
        return "exercise without its source passage"
    return None
