"""Grading. Multiple choice exact; cloze and short answer by normalization, synonyms, fuzzy
spelling and similarity; numeric with tolerance and unit conversion. Feedback names what is
wrong or missing and points back to the source without stating the answer."""

from __future__ import annotations

import re

import numpy as np

from .models import Evaluation, Exercise
from .text import (
    Quantity,
    Unit,
    canonical,
    fold,
    format_quantity,
    learner_quantities,
    same_stem,
    similar_words,
    spelling_ratio,
    stem,
    stopwords,
    tokens,
    unit_of,
)

CORRECT_AT = 0.8
PARAPHRASE_SIMILARITY = 0.93


def _person_stems() -> set[str]:
    from .text import lexicon

    return {stem(w) for w in lexicon()["person_words"]}
OFF_TOPIC_SIMILARITY = 0.12


def _person_qualifiers(answer: str) -> set[str]:
    """Stems of the words that describe a person in the answer ("certified", "F-gas" in "a certified
    F-gas technician"): the run of content words right before a person word of the lexicon. A missing
    one is a qualification the learner left out; found from the answer, not from a list of demo words."""
    people, stop = _person_stems(), stopwords()
    out: set[str] = set()
    run: list[str] = []
    for w in tokens(answer, keep_stop=True):
        if stem(w) in people:
            out.update(run)
            run = []
        elif w in stop or w.isdigit():
            run = []
        else:
            run.append(stem(w))
    return out


def _joined(words: list[str], part: str, known: frozenset[str]) -> bool:
    """A compound written apart ("hand book" for "handbook"), or two words run together."""
    for a, b in zip(words, words[1:], strict=False):
        if len(a) > 1 and len(b) > 1 and similar_words(a + b, part, known):
            return True
    return any(len(w) > len(part) + 2 and w.startswith(part) and w[len(part):] in known for w in words)


_COMPOUNDABLE = ("time",)


def _readings(found: list[Quantity]) -> list[tuple[float, Unit | None]]:
    """Each quantity, plus the sum of a run of one kind in falling units ("1 h 30 min" is 1.5 h)."""
    out: list[tuple[float, Unit | None]] = [(q.value, q.unit) for q in found]
    run: list[tuple[Quantity, Unit]] = []
    for q in [*found, None]:
        unit = q.unit if q is not None else None
        last = run[-1][1] if run else None
        if q is not None and unit is not None and last is not None and unit.kind == last.kind \
                and unit.kind in _COMPOUNDABLE and unit.factor < last.factor:
            run.append((q, unit))
            continue
        if len(run) > 1:
            first = run[0][1]
            out.append((first.from_base(sum(x.base() for x, _ in run)), first))
        run = [(q, unit)] if q is not None and unit is not None else []
    return out


class Evaluator:
    def __init__(self, embedder=None, vocabulary=None) -> None:
        """``vocabulary``: stems of the knowledge content (or a callable returning them). A response that
        uses the domain's words is a wrong attempt, not an off-topic one."""
        self.embedder = embedder
        self._vocabulary = vocabulary

    @property
    def vocabulary(self) -> set[str]:
        v = self._vocabulary() if callable(self._vocabulary) else self._vocabulary
        return v or set()

    def evaluate(self, ex: Exercise, response: str) -> Evaluation:
        grader = {"multiple_choice": self._choice, "numeric": self._numeric}.get(ex.type, self._text)
        return grader(ex, response.strip())

    # ------------------------------------------------------------ helpers
    def similarity(self, a: str, b: str) -> float:
        if self.embedder is None:
            ta, tb = set(map(stem, tokens(a))), set(map(stem, tokens(b)))
            return len(ta & tb) / max(1, len(ta | tb))
        va, vb = self.embedder.embed([a, b])
        return float(np.dot(va, vb))

    def _off_topic(self, ex: Exercise, response: str) -> bool:
        words = [w for w in tokens(response) if len(w) > 2 or w.isdigit()]
        if not words:
            return not learner_quantities(response)
        if ex.type == "cloze" and len(tokens(response, keep_stop=True)) == 1:
            return False  # one word in a blank is an attempt at the blank, even when wrong
        if ex.question.lstrip().lower().startswith("who") or " who " in f" {fold(ex.question)} ":
            if any(stem(w) in _person_stems() for w in words):
                return False  # naming the wrong person answers the question wrongly, not off-topic
        context = set(tokens(f"{ex.question} {ex.passage} {ex.answer} {' '.join(ex.choices or [])}"))
        if any(w in context or any(similar_words(w, c) for c in context) for w in words):
            return False
        vocabulary = self.vocabulary
        if any(stem(w) in vocabulary for w in words if len(w) > 3):
            return False  # words of the knowledge content: a wrong attempt, not an off-topic one
        # content words only: shared stop words ("the", "is") say nothing about the topic
        return self.similarity(" ".join(words), " ".join(tokens(ex.evidence or ex.passage))) < OFF_TOPIC_SIMILARITY

    @staticmethod
    def _where(ex: Exercise) -> str:
        section = ex.concept.split(":")[0]
        return f"the section \"{section}\" of {ex.source}"

    def _off_topic_result(self, ex: Exercise) -> Evaluation:
        return Evaluation(score=0.0, correct=False, verdict="off_topic", misconception="off-topic answer",
                          feedback=f"Your answer does not address the question. It asks about "
                                   f"{ex.concept.split(':', 1)[-1].strip()} in {self._where(ex)}; read that "
                                   "sentence again and answer it directly.")

    # ------------------------------------------------------------ multiple choice
    def _choice(self, ex: Exercise, response: str) -> Evaluation:
        choices = ex.choices or []
        picked = self._match_choice(choices, response)
        if picked is None:
            if self._off_topic(ex, response):
                return self._off_topic_result(ex)
            return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception="not one of the choices",
                              feedback=f"Answer with one of the {len(choices)} choices (its text or its letter "
                                       f"A-{chr(64 + len(choices))}).")
        if fold(picked) == fold(ex.answer):
            return Evaluation(score=1.0, correct=True, verdict="correct",
                              feedback=f"Correct. This is what {self._where(ex)} states.")
        misconception, hint = None, ""
        if ex.value is not None:
            q = learner_quantities(picked)
            if q:
                misconception, hint = self._number_mistake(ex, q[0].value, q[0].unit.symbol if q[0].unit else ex.unit)
        else:
            if fold(picked) in fold(ex.passage):
                misconception = "confused with another term from the same passage"
                hint = f" '{picked}' does appear in the passage, but in a different role."
        return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception=misconception,
                          feedback=f"Not quite: '{picked}' is not what {self._where(ex)} says.{hint} "
                                   "Re-read the sentence in the question and look at what it is about.")

    @staticmethod
    def _match_choice(choices: list[str], response: str) -> str | None:
        r = fold(response).strip().rstrip(".)")
        m = re.fullmatch(r"\(?([a-e])\)?(?:[.):]\s*.*)?", r)
        if m and len(r) <= 2 or (m and r[1:2] in ".):"):
            i = ord(m.group(1)) - 97
            if i < len(choices):
                return choices[i]
        for c in choices:
            if fold(c).strip() == r or canonical(c).strip() == canonical(response).strip():
                return c
        numeric = learner_quantities(response)
        if numeric:
            n = numeric[0]
            for c in choices:
                cq = learner_quantities(c)
                if not cq:
                    continue
                q = cq[0]
                if n.unit is None or q.unit is None:
                    if abs(q.value - n.value) < 1e-9:
                        return c
                elif n.unit.kind == q.unit.kind and abs(q.base() - n.base()) <= 1e-6 * max(1.0, abs(q.base())):
                    return c  # the same amount in another unit (2.8 cm for 28 mm)
        best = max(choices, key=lambda c: spelling_ratio(c, response), default=None)
        if best is not None and spelling_ratio(best, response) >= 0.8:
            return best
        return None

    # ------------------------------------------------------------ numeric
    def _number_mistake(self, ex: Exercise, value: float, unit: str | None) -> tuple[str | None, str]:
        for rel in ex.related_values:
            if abs(rel["value"] - value) < 1e-9 and (rel.get("unit") or None) == (unit or None):
                return (f"confused with the {rel['label']}",
                        f" That figure belongs to a different rule of the same passage (the {rel['label']}).")
        if ex.value and value and ex.value != value:
            ratio = value / ex.value
            for factor in (10, 100, 1000):
                if abs(ratio - factor) < 1e-6 or abs(ratio - 1 / factor) < 1e-6:
                    return "order-of-magnitude or unit-scale error", " Your figure is off by a factor of " \
                                                                     f"{factor}; check the unit and decimal point."
        if ex.value is not None:
            direction = "higher" if value > ex.value else "lower"
            return None, f" Your figure is {direction} than the one in the source."
        return None, ""

    def _numeric(self, ex: Exercise, response: str) -> Evaluation:
        found = learner_quantities(response)
        if not found:
            if self._off_topic(ex, response):
                return self._off_topic_result(ex)
            return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception="no number given",
                              feedback=f"The question asks for a figure"
                                       f"{' in ' + ex.unit if ex.unit and not ex.unit_required else ''}; "
                                       f"answer with a number{' and its unit' if ex.unit_required else ''}.")
        expected_unit = unit_of(ex.unit)
        best: Evaluation | None = None
        for value, unit in _readings(found):
            result = self._numeric_one(ex, value, unit, expected_unit)
            if best is None or result.score > best.score:
                best = result
        assert best is not None
        return best

    def _numeric_one(self, ex: Exercise, value: float, unit, expected_unit) -> Evaluation:
        target = ex.value or 0.0
        tol = max(abs(target) * ex.tolerance, 1e-9)
        if unit is None and expected_unit is not None and expected_unit.symbol == "%" and 0 < value <= 1 \
                and abs(value * 100 - target) <= tol:
            # a share written as a fraction ("0.25", "a quarter") is the same figure as 25 %
            return Evaluation(score=1.0, correct=True, verdict="correct",
                              feedback="Correct (the source states it as a percentage, but your fraction is the same).")
        if unit is None or expected_unit is None:
            if abs(value - target) <= tol:
                if ex.unit_required and expected_unit is not None:
                    return Evaluation(score=0.5, correct=False, verdict="partial", misconception="unit missing",
                                      feedback="The number is right, but a quantity needs its unit: say which "
                                               f"unit of {expected_unit.kind} the source uses.")
                return Evaluation(score=1.0, correct=True, verdict="correct",
                                  feedback=f"Correct, that is the figure {self._where(ex)} gives.")
            mis, hint = self._number_mistake(ex, value, ex.unit if unit is None else unit.symbol)
            return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception=mis,
                              feedback=f"That figure is not right.{hint} Find the sentence in {self._where(ex)}.")
        if unit.kind != expected_unit.kind:
            return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception="wrong kind of unit",
                              feedback=f"You gave a {unit.kind} ({unit.symbol}) but the question asks for a "
                                       f"{expected_unit.kind}. Read the sentence in {self._where(ex)} again.")
        base = unit.to_base(value)
        target_base = expected_unit.to_base(target)
        # the tolerance is relative to the figure as the source states it (20 °C, not 293 K)
        scale = abs(target * expected_unit.factor) if expected_unit.offset else abs(target_base)
        if abs(base - target_base) <= max(scale * max(ex.tolerance, 1e-6), 1e-9):
            note = "" if unit.symbol == expected_unit.symbol else \
                f" (the source states it in {expected_unit.symbol}, but your conversion is right)"
            return Evaluation(score=1.0, correct=True, verdict="correct",
                              feedback=f"Correct{note}.")
        if abs(value - target) <= tol:
            return Evaluation(score=0.25, correct=False, verdict="partial", misconception="unit mix-up",
                              feedback=f"The number matches, but the unit does not: {format_quantity(value, unit.symbol)}"
                                       f" is a different {unit.kind}. Check which unit the source uses.")
        mis, hint = self._number_mistake(ex, expected_unit.from_base(base), expected_unit.symbol)
        return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception=mis,
                          feedback=f"That figure is not right.{hint} Find the sentence in {self._where(ex)}.")

    # ------------------------------------------------------------ cloze / short answer
    def _text(self, ex: Exercise, response: str) -> Evaluation:
        answers = [ex.answer, *ex.accepted]
        r = canonical(response).strip(" .!?")
        for ans in answers:
            a = canonical(ans).strip(" .!?")
            if r == a or re.sub(r"^(the|a|an) ", "", r) == re.sub(r"^(the|a|an) ", "", a):
                return Evaluation(score=1.0, correct=True, verdict="correct", feedback="Correct.")
        keywords = ex.keywords or [t for t in tokens(ex.answer) if len(t) > 1]
        keywords = [canonical(k) for k in keywords]
        words = tokens(response)
        known = frozenset(tokens(f"{ex.passage} {ex.question}"))  # the passage's own terms are real words
        matched, misspelled = [], []
        for k in keywords:
            parts = k.split()
            hit = False
            for part in parts or [k]:
                if any(w == part or same_stem(w, part) for w in words):
                    hit = True
                elif any(similar_words(w, part, known) for w in words) or _joined(words, part, known):
                    hit = True
                    misspelled.append(part)
                else:
                    hit = False
                    break
            if not hit and "-" in k:  # a hyphenated term written split or joined ("e-mail": "e mail", "email")
                hit = k.replace("-", "") in "".join(words) or all(p in words for p in k.split("-"))
            if hit:
                matched.append(k)
        score = len(matched) / max(1, len(keywords))
        if score < CORRECT_AT and ex.type == "short_answer":
            sim = self.similarity(response, ex.answer)
            if sim >= PARAPHRASE_SIMILARITY:
                score = max(score, CORRECT_AT)
        if score >= CORRECT_AT:
            note = " Watch the spelling." if misspelled else ""
            n_missing = len(keywords) - len(matched)
            more = f" A complete answer has one more detail ({n_missing} of {len(keywords)} missing)." if n_missing else ""
            return Evaluation(score=score, correct=True, verdict="correct", feedback=f"Correct.{note}{more}")
        if score > 0:
            missing = [k for k in keywords if k not in matched]
            return Evaluation(score=round(score, 3), correct=False, verdict="partial", misconception="incomplete answer",
                              feedback=f"Partly right: you have {len(matched)} of {len(keywords)} key points, "
                                       f"but {len(missing)} {'is' if len(missing) == 1 else 'are'} missing. "
                                       f"{self._guide(ex, missing)}")
        if self._off_topic(ex, response):
            return self._off_topic_result(ex)
        misconception = None
        if any(fold(w) in fold(ex.passage) for w in words if len(w) > 3):
            misconception = "confused with another part of the same passage"
        return Evaluation(score=0.0, correct=False, verdict="incorrect", misconception=misconception,
                          feedback=f"That is not what the source says. {self._guide(ex, keywords)}")

    def _guide(self, ex: Exercise, missing: list[str]) -> str:
        if ex.type == "cloze" and missing:
            word = missing[0]
            return (f"The missing word has {len(word)} letters and starts with '{word[0]}'; "
                    f"re-read the sentence in {self._where(ex)}.")
        qualifiers = _person_qualifiers(ex.answer)
        kinds = []
        for k in missing:
            if k.isdigit() or unit_of(k):
                kinds.append("a figure")
            elif stem(k) in qualifiers:
                kinds.append("a qualification")
        what = f" (look for {', '.join(dict.fromkeys(kinds))})" if kinds else ""
        return f"Re-read the sentence in {self._where(ex)} and check what it requires{what}."


def eval_vocabulary(exercises: dict[str, Exercise]) -> set[str]:
    """Stems of the eval set's passages: the knowledge content the eval's evaluator knows."""
    return {stem(t) for ex in exercises.values() for t in tokens(ex.passage)}


def load_grading_eval() -> tuple[dict[str, Exercise], list[dict]]:
    """The grading eval set shipped with the package: exercises by id, and learner responses with
    their expected verdict and category (correct / partial / wrong / off-topic / misspelled / synonym)."""
    import json
    from importlib import resources

    doc = json.loads(resources.files(__package__).joinpath("grading_eval.json").read_text(encoding="utf-8"))
    exercises = {e["exercise_id"]: Exercise.model_validate(e) for e in doc["exercises"]}
    return exercises, doc["responses"]
