import pytest

from commerce_platform.ports.cache import ContextCache
from commerce_platform.support import sentiment as lexicon
from commerce_platform.support.churn import Contact, churn_risk, recency_component
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
    ("Asennuspalvelu kesti kauan, huono kokemus", "negative", "fi"),  # no hint word: the shared detector
    ("The super-fast delivery was great", "positive", "en"),  # hyphenated compounds split into words
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


def test_no_lexicon_word_has_two_roles():
    # A word in two roles is read in the first one the scorer checks; its other entry never applies.
    for lang in ("EN", "FI"):
        roles = {name: set(getattr(lexicon, f"{lang}_{name}")) for name in
                 ("LEXICON", "NEGATIONS", "INTENSIFIERS", "EXPECTATIONS")}
        for a in roles:
            for b in roles:
                assert a == b or not roles[a] & roles[b], (lang, a, b, roles[a] & roles[b])


@pytest.mark.parametrize("text,label", [
    ("I never got my order", "negative"),              # "never" was a -1.0 word and a negation: neutral
    ("My parcel has not arrived.", "negative"),
    ("I got my order, thanks", "positive"),
    ("Kiitos, kaikki toimii hyvin.", "positive"),      # "hyvin" was an intensifier and a +1.5 word
    ("Tilaukseni ei ole vieläkään tullut perille.", "negative"),  # "vieläkään" must not flip to praise
])
def test_double_entries_fixed(text, label):
    assert scorer.score(text).label == label, scorer.score(text)


@pytest.mark.parametrize("days,value", [(None, 1.0), (0, 0.0), (30, 0.0), (31, 0.3), (90, 0.3), (91, 0.6),
                                        (180, 0.6), (365, 0.85), (1000, 1.0)])
def test_recency_steps(days, value):
    assert recency_component(days) == value


def test_known_customer_without_orders_is_not_maximally_lapsed():
    assert recency_component(None, has_orders=False) == 0.3


def t(score: float, text: str = "", days: float = 0.0) -> Contact:
    return Contact(score, days, text)


@pytest.mark.parametrize("current,earlier,days,open_issues,level", [
    (t(0.8), [], 5, 0, "low"),                                   # happy, recent buyer
    (None, [], 10, 0, "low"),                                    # no interactions
    (t(0.0), [], 400, 0, "medium"),                              # polite, but no order for over a year
    (t(0.84), [], 400, 0, "low"),                                # lapsed but praising
    (t(-0.36), [], 10, 0, "medium"),                             # first real problem of an active buyer
    (t(-0.74, "second time, very disappointed, I want a refund"), [], 40, 0, "high"),
    (t(-0.5, "late again"), [t(-0.6, days=6)], 10, 1, "high"),   # a repeat problem
    (t(0.0, "please send the invoice"), [], 12, 0, "low"),
    (t(-0.1, "we want to cancel our account"), [], 5, 0, "high"),  # says they are leaving
])
def test_churn_risk_table(current, earlier, days, open_issues, level):
    risk = churn_risk(current, earlier, days, open_issues)
    assert risk.level == level, risk
    assert 0 <= risk.score <= 1 and risk.reasons is not None


def test_negative_earlier_contacts_and_the_ticket_raise_risk():
    calm = churn_risk(t(0.0), [], 10, 0).score
    bad_history = churn_risk(t(0.0), [t(-0.7, days=5), t(-0.6, days=12)], 10, 0).score
    bad_ticket = churn_risk(t(-0.7), [], 10, 0).score
    both = churn_risk(t(-0.7), [t(-0.7, days=5)], 10, 0).score
    assert calm < bad_history < both and calm < bad_ticket < both


def test_no_customer_database_leaves_recency_out():
    risk = churn_risk(t(0.0), [], None, 0, known_orders=None)
    assert "recency" not in risk.components and risk.level == "low"
    assert any("no customer database" in r for r in risk.reasons)


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
