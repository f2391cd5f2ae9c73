"""The tutor on the real demo knowledge base (built by the support demo) and its demo builder."""

import pytest

from commerce_platform import wiring
from commerce_platform.tutor.service import TutorService

pytestmark = pytest.mark.functional


def test_demo_summary_and_generation_on_the_demo_kb(demo_settings):
    from commerce_platform.demo.tutor import build

    summary = build(demo_settings)
    assert summary["status"] == "ok" and summary["passages"] > 10 and summary["exercises"] >= 12
    assert not summary["failed"]
    svc = wiring.tutor_service(demo_settings)
    for topic in ("returns", "warranty", "delivery times", "soldering copper pipes"):
        for difficulty in ("easy", "medium", "hard"):
            out = svc.generate(topic, difficulty, 3)
            assert len(out["exercises"]) == 3, (topic, difficulty)
            first = svc.exercise(out["exercises"][0]["exercise_id"])
            assert svc.evaluate(first.exercise_id, first.answer)["correct"] is True
            assert svc.evaluate(first.exercise_id, "pineapple pizza")["correct"] is False


def test_empty_home_demo_says_what_to_do(settings):
    from commerce_platform.demo.tutor import build

    out = build(settings)
    assert out["status"] == "no-content" and "support demo" in out["hint"]


# ---------------------------------------------------------------- every exercise of the demo content

EXERCISE_TYPES = ("multiple_choice", "cloze", "numeric", "short_answer")


def _words(text: str) -> str:
    """Text as a space-framed sequence of normalized tokens (case, accents, punctuation ignored)."""
    from commerce_platform.tutor.text import tokens

    return " " + " ".join(tokens(text, keep_stop=True)) + " "


def _all_demo_exercises(svc: TutorService) -> list:
    """Every exercise the offline generator can build from the demo content: each fact of each
    passage in each exercise type and difficulty (not just the few a generate call picks)."""
    from commerce_platform.tutor.generator import validate_exercise
    from commerce_platform.tutor.models import DIFFICULTIES

    extractor = svc._corpus_extractor()
    passages = svc.retriever.passages()
    pool = [f for p in passages for f in extractor.extract(p)]
    out = []
    for p in passages:
        for fact in extractor.extract(p):
            for difficulty in DIFFICULTIES:
                for ex_type in EXERCISE_TYPES:
                    ex = svc.offline.build(fact, ex_type, difficulty, pool, p.heading or p.source)
                    if ex is not None and validate_exercise(ex) is None:
                        out.append(ex)
    return out


def test_question_text_names_the_topic_never_a_file(demo_settings):
    svc = wiring.tutor_service(demo_settings)
    questions = [ex.question for ex in _all_demo_exercises(svc)]
    for t in svc.topics(limit=500)["topics"]:
        for difficulty in ("easy", "medium", "hard"):
            questions += [e["question"] for e in svc.generate(t["topic"], difficulty, 3)["exercises"]]
    assert len(questions) > 100
    bad = [q for q in questions if "/" in q or ".md" in q.lower() or ".html" in q.lower()]
    assert not bad, f"{len(bad)} of {len(questions)} questions name a file, e.g. {sorted(set(bad))}"


def test_a_follow_up_is_never_answerable_by_copying_its_explanation(demo_settings):
    from commerce_platform.tutor.models import Exercise

    svc = wiring.tutor_service(demo_settings)
    exercises = _all_demo_exercises(svc)
    assert {ex.type for ex in exercises} == set(EXERCISE_TYPES)
    leaks, remediations = [], 0
    for ex in exercises:
        evaluation = svc.workflow.evaluator.evaluate(ex, "pineapple pizza")
        rem = svc.workflow.remediate({"exercise": ex, "evaluation": evaluation})["remediation"]
        follow: Exercise = rem["follow_up"]
        remediations += 1
        if _words(follow.answer) in _words(rem["explanation"] + " | " + rem["evidence"]):
            leaks.append((ex.type, ex.difficulty, follow.type, follow.answer, rem["explanation"]))
    # the public path too: generated exercises, a wrong answer, the remediation the learner sees
    for t in svc.topics(limit=500)["topics"]:
        for difficulty in ("easy", "medium", "hard"):
            for e in svc.generate(t["topic"], difficulty, 3)["exercises"]:
                doc = svc.remediate(e["exercise_id"], "pineapple pizza")
                follow = svc.exercise(doc["follow_up"]["exercise_id"])
                remediations += 1
                if _words(follow.answer) in _words(doc["explanation"] + " | " + doc["evidence"]):
                    leaks.append((e["type"], difficulty, follow.type, follow.answer, doc["explanation"]))
    assert remediations > 100
    assert not leaks, f"{len(leaks)} of {remediations} follow-ups are answered by their explanation, e.g. {leaks[:2]}"
