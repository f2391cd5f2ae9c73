"""Tutor: pick a topic and a difficulty, answer the generated exercises, see the grade, the feedback and
the remediation (explanation + a follow-up exercise)."""

from __future__ import annotations

import shared
import streamlit as st

HOME = shared.home()
LEARNER = "console"


@st.cache_data(ttl=120, show_spinner=False)
def topics(home: str) -> list[dict]:
    return shared.tutor_for(home).topics()["topics"]


def _answer_box(ex: dict, key: str) -> str | None:
    st.markdown(f"**{ex['question']}**")
    st.caption(f"{ex['type'].replace('_', ' ')} - concept: {ex['concept']} - source `{ex['source']}`")
    if ex.get("choices"):
        return st.radio("Your answer", ex["choices"], index=None, key=f"ans_{key}")
    return st.text_input("Your answer", key=f"ans_{key}")


def _grade(ex: dict, key: str, response: str) -> None:
    svc = shared.tutor_for(HOME)
    result = svc.evaluate(ex["exercise_id"], response, learner_id=LEARNER)
    st.session_state["tutor_results"][key] = {"evaluation": result, "remediation": None}
    if not result["correct"]:
        st.session_state["tutor_results"][key]["remediation"] = svc.remediate(ex["exercise_id"], response, LEARNER)


def _exercise_check(ex: dict, key: str, button: str, what: str) -> None:
    """An exercise's answer box, its check button and its result (widget keys derive from ``key``)."""
    response = _answer_box(ex, key)
    if st.button(button, key=f"check_{key}"):
        with shared.panel(what):
            if response:
                _grade(ex, key, response)
            else:
                st.warning("Write or pick an answer first.")
    show_result(key)


def show_result(key: str) -> None:
    res = st.session_state["tutor_results"].get(key)
    if not res:
        return
    ev = res["evaluation"]
    (st.success if ev["correct"] else st.error)(f"Grade: **{ev['score']:.0%}** - "
                                               f"{'correct' if ev['correct'] else 'not quite'}")
    st.write(ev["feedback"])
    if ev.get("misconception"):
        st.caption(f"Misconception: {ev['misconception']}")
    rem = res.get("remediation")
    if rem:
        with st.container(border=True):
            st.markdown("**Explanation**")
            st.write(rem["explanation"])
            st.caption(f"Source: `{rem['source']}`")
            st.markdown("**Follow-up exercise**")
            follow = rem["follow_up"]
            _exercise_check(follow, f"{key}_f", "Check the follow-up", "Grading the follow-up")


st.title("Tutor")
st.caption("Practice exercises generated from the knowledge content, graded with feedback and remediation.")
st.session_state.setdefault("tutor_exercises", [])
st.session_state.setdefault("tutor_results", {})

with shared.panel("Exercise generation"):
    options = topics(HOME)
    names = [t["topic"] for t in options]
    if not names:
        st.info("No knowledge content is indexed yet: build the demo (`commerce demo`) or sync documents "
                "(`commerce kb sync --docs DIR`). You can still type a topic.")
    c = st.columns([3, 1.5, 1])
    picked = c[0].selectbox("Topic", names, key="tutor_topic")
    typed = c[0].text_input("... or type a topic", key="tutor_topic_text", placeholder="e.g. returns of damaged goods")
    topic = typed.strip() or picked
    difficulty = c[1].segmented_control("Difficulty", ["easy", "medium", "hard"], default="easy",
                                        key="tutor_difficulty")
    count = c[2].number_input("Exercises", 1, 5, 2, key="tutor_count")
    if st.button("Generate", icon=":material/auto_awesome:", key="tutor_generate", type="primary"):
        doc = shared.tutor_for(HOME).generate(topic or "", difficulty or "easy", count=int(count), learner_id=LEARNER)
        st.session_state["tutor_exercises"] = doc["exercises"]
        st.session_state["tutor_results"] = {}
        if not doc["exercises"]:
            st.warning("No exercise could be generated for this topic: pick one from the list.")

for i, ex in enumerate(st.session_state["tutor_exercises"]):
    key = ex["exercise_id"]
    with st.container(border=True):
        st.markdown(f"##### Exercise {i + 1} ({ex['difficulty']})")
        _exercise_check(ex, key, "Check my answer", "Grading")
