"""Sentiment of ticket and interaction text: an offline English + Finnish lexicon scorer with
negation and intensifiers, behind a small port (an LLM or Amazon Comprehend can fill it on AWS).

Score in [-1, 1]: sum of word valences (negated words flip and shrink, intensifiers scale the
next sentiment word), squashed with x / sqrt(x^2 + 15) like VADER. Label: negative < -0.2 <=
neutral <= 0.2 < positive. Finnish is inflected, so Finnish entries are stems matched as prefixes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from ..text_analysis import detect_language as text_language
from ..text_analysis import tokenize


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: str  # negative | neutral | positive
    language: str  # en | fi
    method: str = "lexicon"

    def to_dict(self) -> dict:
        return {"score": self.score, "label": self.label, "language": self.language, "method": self.method}


class SentimentScorer(Protocol):
    def score(self, text: str) -> Sentiment: ...


EN_LEXICON: dict[str, float] = {
    "good": 1.5, "great": 2.5, "excellent": 3.0, "perfect": 3.0, "thanks": 1.5, "thank": 1.5, "happy": 2.0,
    "glad": 1.5, "satisfied": 2.0, "love": 2.5, "fast": 1.0, "quick": 1.0, "helpful": 2.0, "easy": 1.0,
    "works": 1.0, "working": 0.5, "appreciate": 2.0, "recommend": 1.5, "nice": 1.5, "pleased": 2.0,
    "resolved": 1.5, "fixed": 1.0, "bad": -2.0, "terrible": -3.0, "awful": -3.0, "horrible": -3.0,
    "broken": -2.0, "broke": -2.0, "damaged": -2.0, "leak": -1.5, "leaking": -1.5, "leaks": -1.5,
    "late": -1.5, "delayed": -1.5, "delay": -1.5, "missing": -1.5, "wrong": -1.5, "angry": -2.5,
    "annoyed": -2.0, "frustrated": -2.5, "frustrating": -2.5, "disappointed": -2.5, "disappointing": -2.5,
    "unacceptable": -3.0, "useless": -2.5, "worst": -3.0, "refund": -0.5, "complaint": -2.0,
    "cancel": -1.0, "problem": -1.5, "issue": -1.0, "fault": -1.5, "faulty": -2.0, "defective": -2.0,
    "slow": -1.5, "rude": -2.5, "ridiculous": -2.5, "poor": -2.0, "unhappy": -2.5, "waiting": -1.0,
    "still": -0.5, "again": -0.5, "ignored": -2.5, "lost": -1.5, "cracked": -1.5, "noisy": -1.0,
    "fail": -1.5, "failed": -1.5, "error": -1.0, "stuck": -1.0,
}
FI_LEXICON: dict[str, float] = {
    "kiitos": 1.5, "kiitti": 1.5, "hyvä": 1.5, "hyvin": 1.5, "loistava": 3.0, "erinomai": 3.0, "mahtava": 2.5,
    "tyytyväi": 2.0, "nopea": 1.0, "nopeasti": 1.0, "toimii": 1.0, "helppo": 1.0, "kiva": 1.5, "upea": 2.5,
    "suosittel": 1.5, "ilahdu": 2.0, "iloinen": 2.0, "ystävällis": 2.0, "huono": -2.0, "huonosti": -2.0,
    "surkea": -3.0, "kamala": -3.0, "rikki": -2.0, "rikkoutu": -2.0, "vaurio": -2.0, "vuota": -1.5,
    "myöhäs": -1.5, "myöhässä": -1.5, "viivästy": -1.5, "puuttu": -1.5, "väärä": -1.5, "vihai": -2.5,
    "suuttu": -2.5, "pettyny": -2.5, "petty": -2.5, "turhautu": -2.5, "ärsyttä": -2.0, "ärsyttää": -2.0,
    "reklamaatio": -1.5, "valitus": -2.0, "ongelma": -1.5, "vika": -1.5, "viallinen": -2.0, "hidas": -1.5,
    "töykeä": -2.5, "epäkohtelia": -2.5, "kelvoton": -3.0, "mahdoton": -2.0, "hukassa": -1.5, "kadon": -1.5,
    "peru": -1.0, "hyvit": -0.5, "odott": -1.0, "vieläkään": -1.5, "taas": -0.5, "jumissa": -1.0,
}
# Each word has one role: a valence, a negation, an intensifier or an expectation. A word in two roles
# is read in the first role the scorer checks, and its other entry silently never applies ("never" was
# a negation and a -1.0 word, so "I never got my order" scored neutral; "hyvin" was an intensifier and
# a +1.5 word, so "kaikki toimii hyvin" lost its "well"). "hyvin" stays a valence word: "toimii hyvin"
# (works well) is far more common in support mail than "hyvin huono" (very bad).
EN_NEGATIONS = {"not", "no", "never", "dont", "don't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't",
                "doesnt", "doesn't", "cannot", "cant", "can't", "wont", "won't", "nothing", "without", "hardly"}
# Finnish negation verb "ei" inflects by person: en, et, ei, emme, ette, eivät (+ älä/ällös imperatives).
FI_NEGATIONS = {"en", "et", "ei", "emme", "ette", "eivät", "eikä", "älä", "älkää", "ilman"}
EN_INTENSIFIERS = {"very": 1.5, "really": 1.4, "extremely": 1.8, "so": 1.3, "totally": 1.5, "completely": 1.5,
                   "absolutely": 1.6, "super": 1.4, "quite": 1.1, "slightly": 0.6, "somewhat": 0.7, "bit": 0.7}
FI_INTENSIFIERS = {"todella": 1.5, "tosi": 1.4, "erittäin": 1.8, "aivan": 1.4, "täysin": 1.5,
                   "ihan": 1.2, "niin": 1.3, "vähän": 0.7, "hieman": 0.6, "melko": 0.8, "kauhean": 1.6}
# Expectations: neutral on their own, negative when negated ("never got", "hasn't arrived", "ei ole
# tullut"): what the customer expected did not happen.
EN_EXPECTATIONS = {"got": -1.5, "get": -1.5, "received": -1.5, "receive": -1.5, "arrived": -1.5, "arrive": -1.5,
                   "came": -1.5, "come": -1.5, "delivered": -1.5, "answered": -1.5, "answer": -1.5}
FI_EXPECTATIONS = {"tullut": -1.5, "tullu": -1.5, "saapunut": -1.5, "saapunu": -1.5, "saanut": -1.5,
                   "toimitettu": -1.5, "vastattu": -1.5, "vastannut": -1.5}
# Negative polarity items: Finnish "vieläkään" (not ... yet) only occurs under a negation, which must
# not flip it into praise.
NOT_NEGATED = {"vieläkään"}

_FI_HINTS = {"ja", "on", "ei", "en", "että", "kiitos", "tilaus", "tilasin", "paketti", "minun", "mutta", "vielä",
             "ole", "olen", "tuote", "toimitus", "hei", "moi", "kun", "se", "oli", "jo", "nyt", "mitä", "miksi"}
NEGATION_WINDOW = 3


def words_of(text: str) -> list[str]:
    """The platform tokenizer's words, hyphenated compounds split ("ei-toivottu"), numbers dropped."""
    return [part for token in tokenize(text) for part in token.split("-") if part and not part.isdigit()]


def detect_language(words: list[str]) -> str:
    """The platform's detector, plus this scorer's own everyday Finnish (kiitos, tilasin, paketti)."""
    fi = sum(1 for w in words if w in _FI_HINTS or any(c in w for c in "äö"))
    if words and fi / len(words) >= 0.12:
        return "fi"
    return text_language(words)


def _valence(word: str, language: str) -> float | None:
    if language == "en":
        return EN_LEXICON.get(word)
    if word in FI_LEXICON:
        return FI_LEXICON[word]
    best = None
    for stem, value in FI_LEXICON.items():  # longest matching stem wins
        if len(stem) >= 4 and word.startswith(stem) and (best is None or len(stem) > len(best[0])):
            best = (stem, value)
    return best[1] if best else None


class LexiconSentiment:
    method = "lexicon"

    def score(self, text: str) -> Sentiment:
        words = words_of(text or "")
        language = detect_language(words)
        negations = FI_NEGATIONS if language == "fi" else EN_NEGATIONS
        intensifiers = FI_INTENSIFIERS if language == "fi" else EN_INTENSIFIERS
        expectations = FI_EXPECTATIONS if language == "fi" else EN_EXPECTATIONS
        total = 0.0
        last_negation = -10
        boost = 1.0
        for i, word in enumerate(words):
            if word in negations:
                last_negation = i
                continue
            if word in intensifiers:
                boost *= intensifiers[word]
                continue
            negated = i - last_negation <= NEGATION_WINDOW
            if word in expectations:
                if negated:
                    total += expectations[word] * boost
                    boost = 1.0
                continue
            value = _valence(word, language)
            if value is None:
                continue
            value *= boost
            boost = 1.0
            if negated and word not in NOT_NEGATED:
                value *= -0.6  # "not good" is less negative than "bad" is
            total += value
        exclaim = min(text.count("!"), 3) if text else 0
        if total:
            total += math.copysign(0.3 * exclaim, total)
        score = round(total / math.sqrt(total * total + 15), 3)
        label = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"
        return Sentiment(score, label, language)


class LLMSentiment:
    """An LLM fills the port when configured; falls back to the lexicon on any failure."""

    method = "llm"

    def __init__(self, llm, fallback: SentimentScorer | None = None) -> None:
        self.llm = llm
        self.fallback = fallback or LexiconSentiment()

    def score(self, text: str) -> Sentiment:
        from ..ports.llm import complete_json

        base = self.fallback.score(text)
        try:
            doc = complete_json(self.llm, "Rate the customer's sentiment in this support message from -1 (very "
                                "negative) to 1 (very positive). Answer JSON {\"score\": number}.\n\n" + text[:4000],
                                system="You are a precise sentiment rater.")
            value = max(-1.0, min(1.0, float(doc["score"])))
        except Exception:  # noqa: BLE001 - any LLM failure: offline path
            return base
        label = "negative" if value < -0.2 else "positive" if value > 0.2 else "neutral"
        return Sentiment(round(value, 3), label, base.language, "llm")


def get_scorer(llm=None) -> SentimentScorer:
    """The LLM rater when an LLM is configured (it falls back to the lexicon per message), else the lexicon."""
    return LLMSentiment(llm) if llm is not None else LexiconSentiment()
