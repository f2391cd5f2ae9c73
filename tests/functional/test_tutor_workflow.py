"""The tutor's LangGraph workflow node by node and edge by edge, and TutorService end to end on
local adapters (SQLite, in-process cache, fixture KB in a LocalVectorIndex)."""

import json

import pytest

from commerce_platform import wiring
from commerce_platform.errors import NotFound, ServiceUnavailable, ValidationFailed
from commerce_platform.ports.cache import InProcessCache
from commerce_platform.tutor.models import Evaluation

try:
    from tests.fixtures_tutor import FakeLLM, build_kb
except ImportError:
    from fixtures_tutor import FakeLLM, build_kb

pytestmark = pytest.mark.functional


@pytest.fixture
def svc(settings):
    build_kb(settings)
    return wiring.tutor_service(settings)


def test_graph_shape(svc):
    gen = svc.workflow.generation_graph.get_graph()
    edges = {(e.source, e.target) for e in gen.edges}
    assert {("__start__", "retrieve"), ("retrieve", "generate"), ("generate", "validate"),
            ("validate", "store"), ("validate", "generate"), ("store", "__end__")} <= edges
    ev = svc.workflow.evaluation_graph.get_graph()
    assert {("__start__", "evaluate"), ("evaluate", "remediate"), ("evaluate", "__end__"),
            ("remediate", "__end__")} <= {(e.source, e.target) for e in ev.edges}


def test_retrieve_node_alone(svc):
    out = svc.workflow.retrieve({"topic": "returning unused products for a refund"})
    assert out["passages"][0].heading == "Returns and refunds"
    assert out["difficulty"] == "medium"
    assert all(p.id not in {q.id for q in out["passages"]} for p in out["pool"])


@pytest.mark.parametrize("topic", ["quantum chromodynamics", "knitting patterns"])
def test_unknown_topic_lists_available_topics(svc, topic):
    with pytest.raises(NotFound) as info:
        svc.workflow.retrieve({"topic": topic})
    assert "no knowledge content matches" in info.value.message
    assert "Returns and refunds" in info.value.message and info.value.field == "topic"


def test_generate_and_validate_nodes_alone(svc):
    passages = svc.workflow.retrieve({"topic": "heat pump outdoor unit"})["passages"]
    drafts = svc.workflow.generate({"topic": "t", "difficulty": "hard", "count": 3, "passages": passages})
    assert drafts["generator"] == "offline" and len(drafts["drafts"]) == 3
    broken = drafts["drafts"][0].model_copy(update={"evidence": ""})
    out = svc.workflow.validate({"drafts": [broken, *drafts["drafts"][1:]], "count": 3, "generator": "offline"})
    assert len(out["exercises"]) == 2 and "without its source passage" in out["rejected"][0]


@pytest.mark.parametrize("state,route", [
    ({"exercises": ["x"], "generator": "llm"}, "store"),
    ({"exercises": [], "generator": "llm", "fallback": True}, "generate"),
    ({"exercises": [], "generator": "offline", "fallback": True}, "end"),
    ({"exercises": [], "generator": "offline"}, "end"),
])
def test_after_validate_edge(svc, state, route):
    assert svc.workflow.after_validate(state) == route


@pytest.mark.parametrize("correct,auto,always,route", [
    (False, True, False, "remediate"), (True, True, False, "end"), (False, False, False, "end"),
    (True, False, True, "remediate"),
])
def test_after_evaluate_edge(svc, correct, auto, always, route):
    ev = Evaluation(score=float(correct), correct=correct, verdict="correct" if correct else "incorrect", feedback="f")
    assert svc.workflow.after_evaluate({"evaluation": ev, "auto_remediate": auto, "always_remediate": always}) == route


def test_llm_garbage_falls_back_to_offline_through_the_graph(settings):
    build_kb(settings)
    llm = FakeLLM("no json here", json.dumps({"exercises": []}))
    svc = wiring.tutor_service(settings, llm=llm)
    state = svc.workflow.run_generation("warranty", "medium", 2, None)
    assert len(llm.prompts) == 1 and "Warranty and servicing" in llm.prompts[0]
    assert state["exercises"] and all(e.generator == "offline" for e in state["exercises"])
    assert any("model output unusable" in r for r in state["rejected"])


def test_llm_exercise_is_used_when_valid(settings):
    build_kb(settings)
    draft = {"type": "numeric", "question": "How many years is the compressor warranty?", "answer": "5 years",
             "concept": "Warranty and servicing: compressor warranty", "passage_id": "heat-pump-install.md#3",
             "evidence": "Heat pumps have a 5-year warranty on the compressor.", "unit": "years"}
    svc = wiring.tutor_service(settings, llm=FakeLLM(json.dumps({"exercises": [draft]})))
    out = svc.generate("warranty", "medium", 1)
    ex = svc.exercise(out["exercises"][0]["exercise_id"])
    assert ex.generator == "llm" and ex.value == 5
    assert svc.evaluate(ex.exercise_id, "five years")["correct"] is True


def test_store_node_checks_the_cache_before_writing(settings):
    build_kb(settings)

    class DownCache(InProcessCache):
        backend = "redis"

        def ping(self):
            raise ServiceUnavailable("the exercise cache (Redis) is unavailable: test")

    svc = wiring.tutor_service(settings, cache=DownCache())
    with pytest.raises(ServiceUnavailable):
        svc.generate("returns", "easy", 2)
    assert svc.store.count_exercises() == 0  # nothing half-written


def test_evaluate_and_remediate_nodes(svc):
    ex_id = svc.generate("returns", "hard", 3)["exercises"][0]["exercise_id"]
    ex = svc.exercise(ex_id)
    out = svc.workflow.evaluate({"exercise": ex, "response": "I have no idea about pizza", "learner_id": "l1",
                                 "record": True})
    assert out["evaluation"].correct is False and out["mastery"]["attempts"] == 1
    rem = svc.workflow.remediate({"exercise": ex, "evaluation": out["evaluation"]})["remediation"]
    assert ex.evidence in rem["explanation"] and rem["source"] == ex.source
    follow = rem["follow_up"]
    assert follow.concept == ex.concept and follow.exercise_id != ex.exercise_id
    assert ["easy", "medium", "hard"].index(follow.difficulty) < ["easy", "medium", "hard"].index(ex.difficulty)
    assert svc.store.get_exercise(follow.exercise_id) is not None


def test_service_round_trip_and_learner_model(svc):
    first = svc.generate("outdoor unit placement", "easy", 3, learner_id="ann")
    assert first["difficulty"] == "easy" and len(first["exercises"]) == 3
    for e in first["exercises"]:
        assert set(e) >= {"exercise_id", "type", "question", "concept", "source"}
        assert "answer" not in e
        if e["type"] == "multiple_choice":
            assert len(e["choices"]) == 3
    # the learner answers everything right a few times: the model moves them up
    for _ in range(3):
        for e in first["exercises"]:
            res = svc.evaluate(e["exercise_id"], svc.exercise(e["exercise_id"]).answer, learner_id="ann")
            assert res["correct"] is True
    assert res["next_difficulty"] == "hard"
    adaptive = svc.generate("outdoor unit placement", None, 2, learner_id="ann")
    assert adaptive["difficulty"] == "hard"
    assert adaptive["cached"] is False
    mastery = svc.mastery("ann")["concepts"]
    assert mastery and all(c["p_mastery"] > 0.7 for c in mastery)


def test_generation_results_are_cached(svc):
    a = svc.generate("shipping and delivery", "medium", 2)
    b = svc.generate("Shipping and delivery", "medium", 2)
    assert a["cached"] is False and b["cached"] is True and a["exercises"] == b["exercises"]


@pytest.mark.parametrize("exercise_id,response,error,field", [
    ("ex_does_not_exist", "30 days", NotFound, "exercise_id"),
    ("ex_x", "   ", ValidationFailed, "response"),
    ("ex_x", "x" * 2001, ValidationFailed, "response"),
])
def test_bad_evaluate_input(svc, exercise_id, response, error, field):
    with pytest.raises(error) as info:
        svc.evaluate(exercise_id, response)
    assert info.value.field == field


def test_nothing_recorded_for_remediation_and_attempts_recorded_for_evaluation(svc):
    ex_id = svc.generate("electrical connection", "medium", 1)["exercises"][0]["exercise_id"]
    svc.remediate(ex_id, "no idea")
    assert svc.store.attempts_for(ex_id) == []
    svc.evaluate(ex_id, "no idea")
    assert len(svc.store.attempts_for(ex_id)) == 1


def test_health_reports_each_component(svc):
    h = svc.health()
    assert h["status"] == "ok"
    assert {k: v["status"] for k, v in h["components"].items()} == {"cache": "ok", "database": "ok",
                                                                    "workflow": "ok", "content": "ok"}
    assert set(h["components"]["workflow"]["nodes"]) == {"retrieve", "generate", "validate", "store",
                                                         "evaluate", "remediate"}


def test_remediation_of_a_one_fact_section_does_not_hand_out_the_follow_up_answer(svc):
    """A section whose only facts sit in the quoted sentence: the follow-up must practise that same
    fact, so the explanation blanks its answer instead of quoting it."""
    from commerce_platform.tutor.models import Passage
    from commerce_platform.tutor.text import tokens

    p = Passage(id="reset.md#0", text="The reset link is valid for 7 days.", source="account/reset.md",
                heading="Password reset")
    fact = next(f for f in svc.offline.extractor.extract(p) if f.kind == "number")
    ex = svc.offline.build(fact, "numeric", "hard", [fact], "password reset")
    assert ex is not None and "/" not in ex.question and "Password reset" in ex.question
    evaluation = svc.workflow.evaluator.evaluate(ex, "3 days")
    rem = svc.workflow.remediate({"exercise": ex, "evaluation": evaluation})["remediation"]
    follow = rem["follow_up"]
    assert follow.difficulty == "medium" and follow.concept == ex.concept
    answer = " ".join(tokens(follow.answer, keep_stop=True))
    for text in (rem["explanation"], rem["evidence"]):
        assert answer not in " ".join(tokens(text, keep_stop=True)), (follow.answer, text)
    assert "Password reset" in rem["explanation"] and "reset.md" not in rem["explanation"]
    assert "___" in rem["evidence"]  # the quoted rule is still shown, with the practised figure left out
