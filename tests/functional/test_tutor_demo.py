"""The tutor on the real demo knowledge base (built by the support demo) and its demo builder."""

import pytest

from commerce_platform.tutor.service import TutorService

pytestmark = pytest.mark.functional


def test_demo_summary_and_generation_on_the_demo_kb(demo_settings):
    from commerce_platform.demo.tutor import build

    summary = build(demo_settings)
    assert summary["status"] == "ok" and summary["passages"] > 10 and summary["exercises"] >= 12
    assert not summary["failed"]
    svc = TutorService(demo_settings)
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
