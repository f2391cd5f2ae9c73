import pytest

from commerce_platform.ports.cache import ContextCache
from commerce_platform.support.churn import churn_risk, recency_component
from commerce_platform.support.sentiment import LexiconSentiment, LLMSentiment

pytestmark = pytest.mark.unit

scorer = LexiconSentiment()


@pytest.mark.parametrize("text,label,language", [
    ("Thanks, the pump arrived quickly and works great!", "positive", "en"),
    ("My order is late again, this is really frustrating.", "negative", "en"),
    ("Where can I find the invoice for order 123?", "neutral", "en"),
    ("The service was not good.", "negative", "en"),
    ("Kiitos nopeasta toimituksesta, olen todella tyytyväinen.", "positive", "fi"),
    ("Paketti on taas myöhässä ja olen todella pettynyt.", "negative", "fi"),
    ("Pumppu ei toimi, se on rikki.", "negative", "fi"),
    ("Tuote ei ole huono.", "positive", "fi"),
    ("Mikä on tilaukseni toimitusaika?", "neutral", "fi"),
])
def test_sentiment_labels_en_and_fi(text, label, language):
    s = scorer.score(text)
    assert (s.label, s.language) == (label, language), s
    assert -1 <= s.score <= 1


@pytest.mark.parametrize("plain,stronger", [
    ("The delivery was bad.", "The delivery was extremely bad."),
    ("Palvelu oli hyvä.", "Palvelu oli erittäin hyvä."),
])
def test_intensifiers_strengthen(plain, stronger):
    assert abs(scorer.score(stronger).score) > abs(scorer.score(plain).score)


def test_negation_flips_and_softens():
    good, not_good, bad = (scorer.score(t).score for t in ("It is good.", "It is not good.", "It is bad."))
    assert good > 0 > not_good > bad


def test_llm_sentiment_falls_back_to_lexicon_on_garbage():
    class Broken:
        def complete(self, prompt, system=None):
            return "I think it is sad"

    class Good:
        def complete(self, prompt, system=None):
            return '{"score": -0.9}'

    assert LLMSentiment(Broken()).score("works great, thanks").method == "lexicon"
    s = LLMSentiment(Good()).score("anything")
    assert (s.score, s.label, s.method) == (-0.9, "negative", "llm")


@pytest.mark.parametrize("days,value", [(None, 1.0), (0, 0.0), (30, 0.0), (31, 0.3), (90, 0.3), (91, 0.6),
                                        (180, 0.6), (365, 0.85), (1000, 1.0)])
def test_recency_steps(days, value):
    assert recency_component(days) == value


@pytest.mark.parametrize("sentiment,days,open_issues,level,score", [
    (0.8, 5, 0, "low", 0.0),             # happy, recent buyer
    (None, 10, 0, "low", 0.0),           # no interactions
    (-0.5, 10, 1, "low", 0.292),         # one bad experience, otherwise active
    (-0.5, 100, 1, "medium", 0.502),     # unhappy and drifting away
    (0.0, 200, 3, "medium", 0.497),      # many open issues, neutral mood
    (-0.9, 120, 2, "high", 0.748),       # angry, inactive, open issues
    (-1.0, None, 3, "high", 1.0),        # never ordered, furious, 3+ open
    (0.0, None, 0, "medium", 0.35),      # never ordered
])
def test_churn_risk_table(sentiment, days, open_issues, level, score):
    risk = churn_risk(sentiment, days, open_issues)
    assert (risk.level, risk.score) == (level, score)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_cache_hit_miss_expiry_invalidation_and_lru():
    clock = Clock()
    cache = ContextCache(max_size=2, ttl_seconds=60, timer=clock)
    assert cache.get("a") is None  # miss
    cache.set("a", {"v": 1})
    assert cache.get("a") == {"v": 1}  # hit
    clock.t += 61
    assert cache.get("a") is None  # expired
    cache.set("a", {"v": 2})
    cache.invalidate("a")
    assert cache.get("a") is None  # invalidated
    cache.set("a", {"v": 1})
    cache.set("b", {"v": 2})
    cache.get("a")  # a is now most recently used
    cache.set("c", {"v": 3})
    assert cache.get("b") is None and cache.get("a") == {"v": 1} and len(cache) == 2  # LRU evicted b
    assert cache.stats["hits"] == 3 and cache.stats["misses"] == 4 and cache.stats["invalidations"] == 1
