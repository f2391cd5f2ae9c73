"""Copilot: chat about inventory, orders, customers and sales; each answer with prose, the table, an
automatic chart, the SQL, and a thumbs up that stores the question/SQL pair as an approved example."""

from __future__ import annotations

import pandas as pd
import services
import shared
import streamlit as st

HOME = shared.home()
EXAMPLES = ["revenue by month this year", "revenue by category last month", "how many open orders",
            "top 5 customers by revenue", "which products are low on stock"]


@st.cache_data(ttl=15, show_spinner=False)
def conversations(home: str, user_id: str) -> list[dict]:
    return shared.copilot_for(home).list_conversations(user_id)


def _new_conversation() -> None:
    st.session_state["copilot_cid"] = None


def _pick(cid: str) -> None:
    st.session_state["copilot_cid"] = cid


def _example(question: str) -> None:
    """An example button asks its question on the rerun, as if typed into the chat box."""
    st.session_state["copilot_example"] = question


def _approve(cid: str, turn: int) -> None:
    try:
        shared.copilot_for(HOME).approve(cid, turn)
        st.session_state["copilot_flash"] = ("success", f"Turn {turn} stored as an approved example.")
    except Exception as exc:  # noqa: BLE001
        st.session_state["copilot_flash"] = ("error", shared.error_text("Approving the answer", exc))


def show_answer(cid: str | None, turn: dict) -> None:
    """One assistant turn: prose, table, chart, SQL, thumbs up."""
    if turn.get("status") != "ok":
        err = turn.get("error") or {}
        st.error(f"**{err.get('message', 'The question could not be answered.')}**"
                 + (f"  \n**What to do:** {err['hint']}" if err.get("hint") else ""))
        return
    prose, interpretation = services.understood(turn)
    st.markdown(prose)
    if interpretation:
        st.caption(f":material/manage_search: **Understood as:** {interpretation}")
    columns, rows = turn.get("columns") or [], turn.get("rows") or []
    if columns:
        frame = pd.DataFrame(rows, columns=columns)
        st.dataframe(services.styled(frame), hide_index=True, width="stretch")
        spec = services.chart_spec(columns, rows)
        if spec:
            st.altair_chart(services.answer_chart(columns, rows, spec), width="stretch")
    with st.expander("SQL"):
        st.code(turn.get("sql_query") or "", language="sql")
    if cid and turn.get("turn"):
        if turn.get("approved"):
            st.caption(":material/thumb_up: approved example")
        else:
            st.button("Good answer", icon=":material/thumb_up:", key=f"up_{cid}_{turn['turn']}",
                      on_click=_approve, args=(cid, turn["turn"]))


st.title("Copilot")
st.caption("Ask about inventory, orders, customers, sales and order status. Answers come from guarded SQL "
           "over the retail lake.")

st.session_state.setdefault("copilot_cid", None)
user_id = st.sidebar.text_input("User", value="console", key="copilot_user").strip() or "console"

# The question is handled first, so the conversation list below already shows it.
st.caption("Example questions - click one to ask it:")
with st.container(horizontal=True):  # a row that wraps: each question is readable in full
    for n, q in enumerate(EXAMPLES):
        st.button(q, key=f"copilot_example_{n}", on_click=_example, args=(q,), icon=":material/help:")

question = st.chat_input("Ask a question, e.g. 'revenue by month this year'", key="copilot_q")
question = question or st.session_state.pop("copilot_example", None)
pending_error = None
if question:
    try:
        answer = shared.copilot_for(HOME).ask(question, st.session_state["copilot_cid"], user_id=user_id)
        st.session_state["copilot_cid"] = answer.conversation_id
        conversations.clear()
    except Exception as exc:  # noqa: BLE001 - shown in the chat, never as a trace
        pending_error = (question, shared.error_text("The question", exc))

st.sidebar.button("New conversation", icon=":material/add:", on_click=_new_conversation, key="copilot_new")
with st.sidebar:
    with shared.panel("Conversation list"):
        convs = conversations(HOME, user_id)
        if not convs:
            st.caption("No conversations yet.")
        for c in convs[:20]:
            st.button(f"{c['title'][:40]} ({c['turns']})", key=f"conv_{c['conversation_id']}",
                      on_click=_pick, args=(c["conversation_id"],),
                      type="primary" if c["conversation_id"] == st.session_state["copilot_cid"] else "secondary")

flash = st.session_state.pop("copilot_flash", None)
if flash:
    (st.success if flash[0] == "success" else st.error)(flash[1])

cid = st.session_state["copilot_cid"]
turns: list[dict] = []
if cid:
    with shared.panel("Loading the conversation"):
        turns = shared.copilot_for(HOME).get_conversation(cid)["turns"]
if not turns and not pending_error:
    st.info("Start a conversation: type a question below, or click an example question above.")
if pending_error and turns and turns[-1]["status"] == "failed" and turns[-1]["question"] == pending_error[0]:
    turns = turns[:-1]  # the failed turn was stored; it shows once, below, with what to do
for turn in turns:
    with st.chat_message("user"):
        st.markdown(turn["question"])
    with st.chat_message("assistant"):
        show_answer(cid, turn)
if pending_error:
    with st.chat_message("user"):
        st.markdown(pending_error[0])
    with st.chat_message("assistant"):
        st.error(pending_error[1])
