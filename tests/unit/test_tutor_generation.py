"""Offline fact extraction and exercise generation; LLM generation with schema validation and fallback."""

import json

import pytest

from commerce_platform.tutor.facts import FactExtractor
from commerce_platform.tutor.generator import LLMGenerator, OfflineGenerator, validate_exercise
from commerce_platform.tutor.models import Passage
from commerce_platform.tutor.text import fold

try:
    from tests.fixtures_tutor import CORPUS, FakeLLM
except ImportError:  # tests/ itself on sys.path
    from fixtures_tutor import CORPUS, FakeLLM

pytestmark = pytest.mark.unit


def passages():
    return [Passage(id=f"{src}#{i}", text=text, source=src, heading=heading)
            for i, (src, heading, _cat, text) in enumerate(CORPUS)]


@pytest.fixture
def gen():
    return OfflineGenerator(FactExtractor([p.text for p in passages()]))


def test_facts_cover_numbers_terms_and_conditions(gen):
    facts = gen.facts([passages()[2]])  # outdoor unit placement
    by_kind = {k: [f for f in facts if f.kind == k] for k in ("number", "term", "condition")}
    assert {f.answer for f in by_kind["number"]} >= {"30 cm", "100 mm", "15 m", "7.5 m", "20 g"}
    who = [f for f in by_kind["condition"] if f.label == "who is allowed"]
    assert who and who[0].prompt == "Who may charge the refrigerant?"
    assert who[0].answer == "a certified F-gas technician"
    assert by_kind["term"]


@pytest.mark.parametrize("difficulty,allowed", [
    ("easy", {"multiple_choice", "cloze"}),
    ("medium", {"cloze", "multiple_choice", "numeric", "short_answer"}),
    ("hard", {"numeric", "short_answer", "cloze"}),
])
def test_generated_exercises_fit_the_difficulty_and_are_valid(gen, difficulty, allowed):
    ps = passages()
    out = gen.generate(ps[:3], difficulty, 5, "test", pool=ps[3:])
    assert len(out) == 5
    assert {e.type for e in out} <= allowed
    assert len({e.exercise_id for e in out}) == 5
    for e in out:
        assert validate_exercise(e) is None, e
        assert e.evidence in e.passage and e.source.endswith(".md") and e.concept
        if e.type != "multiple_choice":
            assert fold(e.answer) not in fold(e.question)


def test_all_four_types_exist_across_difficulties(gen):
    ps = passages()
    types = {e.type for d in ("easy", "medium", "hard") for e in gen.generate(ps, d, 8, "all")}
    assert types == {"multiple_choice", "short_answer", "cloze", "numeric"}


def test_number_distractors_come_from_the_same_content_first(gen):
    p = passages()[0]  # 30 days return window and 14 days refund time
    mc = [e for e in gen.generate([p], "easy", 4, "returns") if e.type == "multiple_choice" and e.value == 30]
    assert mc, "expected a multiple choice on the 30-day return window"
    assert "30 days" in mc[0].choices and "14 days" in mc[0].choices and len(mc[0].choices) == 3


def test_generation_is_deterministic(gen):
    ps = passages()
    a = [e.exercise_id for e in gen.generate(ps, "medium", 4, "x")]
    b = [e.exercise_id for e in OfflineGenerator(FactExtractor([p.text for p in ps])).generate(ps, "medium", 4, "x")]
    assert a == b


def _llm_json(items):
    return json.dumps({"exercises": items})


GOOD = {"type": "numeric", "question": "How many days does a customer have to return an unused product?",
        "answer": "30 days", "concept": "Returns and refunds: return window", "passage_id": "returns-policy.md#0",
        "evidence": "Unused products can be returned within 30 days of delivery for a full refund.", "unit": "days"}


@pytest.mark.parametrize("answer,used_llm", [
    (_llm_json([GOOD]), 1),
    ("this is not json", 0),
    (_llm_json([{**GOOD, "answer": "45 days"}]), 0),                       # not grounded in the passage
    (_llm_json([{**GOOD, "passage_id": "nope#1"}]), 0),                    # unknown passage
    (_llm_json([{**GOOD, "type": "essay"}]), 0),                           # schema violation
    (_llm_json([{**GOOD, "type": "multiple_choice", "choices": ["30 days", "31 days"]}]), 0),  # 2 choices
    (_llm_json([{**GOOD, "type": "cloze", "answer": "receipt",
                 "question": "The original receipt is ___ required?"}]), 0),  # gives the answer away
])
def test_llm_generator_validates_and_falls_back(gen, answer, used_llm):
    llm = LLMGenerator(FakeLLM(answer), gen)
    out = llm.generate(passages()[:2], "medium", 2, "returns")
    assert len(out) == 2
    assert sum(e.generator == "llm" for e in out) == used_llm
    assert all(validate_exercise(e) is None for e in out)
    if not used_llm:
        assert llm.rejected


@pytest.mark.parametrize("sentence, not_blanked, blanked", [
    # each verb would win on length alone; its context (a modal, a pronoun, the sentence start) rules it out
    ("You must disassemble pumps.", {"disassemble"}, "pumps"),
    ("Staff can authorise refunds.", {"authorise"}, "refunds"),
    ("Unregister bikes online today.", {"Unregister"}, None),
])
def test_cloze_terms_are_things_not_verbs(sentence, not_blanked, blanked):
    extractor = FactExtractor([sentence, "Other text about pumps and valves.", "Returns need a receipt."])
    terms = [f.answer for f in extractor.extract(Passage(id="p", text=sentence, source="s.md")) if f.kind == "term"]
    assert terms and not set(terms) & not_blanked
    if blanked:
        assert terms == [blanked]


def test_questions_name_the_topic_in_words_never_the_file(gen):
    from commerce_platform.tutor.generator import topic_name

    assert topic_name("", "account/business-account-users.md") == "Business account users"
    assert topic_name("", "installation/water_meter.html") == "Water meter"
    assert topic_name("Pumps/valves", "x.md") == "Pumps, valves"
    # a passage without a heading: its document's name in words
    p = Passage(id="w#0", text="Heat pumps have a 5-year warranty on the compressor.", source="warranty/terms.md")
    exercises = gen.generate([p], "hard", 3)
    assert exercises
    for ex in exercises:
        assert '"Terms"' in ex.question and "/" not in ex.question and ".md" not in ex.question


def test_a_question_naming_a_file_is_rejected(gen):
    ex = gen.generate(passages()[:1], "medium", 1)[0]
    assert validate_exercise(ex) is None
    for named in (f"According to {ex.source}: {ex.question}", f"In returns-policy.md, {ex.question}"):
        assert validate_exercise(ex.model_copy(update={"question": named})) == \
            "the question names a file instead of the topic"
