"""Support: recent tickets, a new-ticket form, the customer context of a ticket (profile, orders,
interactions, churn risk), KB suggestions with feedback, and the KB documents with their sync status."""

from __future__ import annotations

import pandas as pd
import services
import shared
import streamlit as st

from commerce_platform.support.desk import CHANNELS

HOME = shared.home()
RISK_COLOURS = {"high": "red", "medium": "orange", "low": "green", "unknown": "gray"}


@st.cache_data(ttl=15, show_spinner=False)
def tickets(home: str) -> list[dict]:
    return services.recent_tickets(shared.settings_for(home))


@st.cache_data(ttl=300, show_spinner=False)
def customers(home: str) -> list[dict]:
    return services.list_customers(shared.settings_for(home))


@st.cache_data(ttl=30, show_spinner=False)
def documents(home: str) -> list[dict]:
    return shared.desk_for(home).kb.documents()


@st.cache_data(ttl=30, show_spinner=False)
def kb_hits(home: str, query: str, k: int) -> list[dict]:
    return services.kb_search(shared.settings_for(home), query, k, kb=shared.desk_for(home).kb)


def _feedback(ticket_id: str, suggestion_id: str, helpful: bool) -> None:
    try:
        shared.desk_for(HOME).record_feedback(ticket_id, suggestion_id, helpful)
        st.session_state["support_flash"] = ("success", "Thanks: feedback stored " + ("(helpful)" if helpful else
                                                                                     "(not helpful)"))
    except Exception as exc:  # noqa: BLE001
        st.session_state["support_flash"] = ("error", shared.error_text("Storing the feedback", exc))


def _sync() -> None:
    try:
        r = shared.desk_for(HOME).sync_kb()
        st.session_state["support_flash"] = (
            "success", f"KB synced: {len(r['added'])} added, {len(r['changed'])} changed, {len(r['deleted'])} deleted, "
                       f"{r['unchanged']} unchanged, {len(r['skipped'])} skipped; {r['documents']} documents, "
                       f"{r['chunks']} chunks")
    except Exception as exc:  # noqa: BLE001
        st.session_state["support_flash"] = ("error", shared.error_text("The KB sync", exc))
    documents.clear()
    kb_hits.clear()


def show_context(ctx: dict) -> None:
    cc = ctx["customer_context"]
    profile = cc.get("profile") or {}
    risk = cc.get("churn_risk") or {}
    level = risk.get("level", "unknown")
    head = st.columns([3, 1, 1])
    head[0].markdown(f"#### {profile.get('name') or 'Unknown customer'} `{cc['customer_id']}`")
    head[1].badge(f"churn risk: {level}", color=RISK_COLOURS.get(level, "gray"), icon=":material/trending_down:")
    sentiment = cc.get("sentiment") or {}
    head[2].metric("Sentiment (mean)", "-" if sentiment.get("mean") is None else f"{sentiment['mean']:+.2f}",
                   help=f"{sentiment.get('interactions', 0)} interactions in {sentiment.get('window_days')} days")
    if cc.get("status") == "unknown":
        st.warning(f"Customer {cc['customer_id']} is not in the customer database: check the id.")
    if cc.get("degraded"):
        st.warning(f"{cc['degraded']} - the context is partial.")
    left, right = st.columns(2)
    with left:
        st.caption("Profile")
        shown = [(k, profile.get(k)) for k in ("company", "email", "segment", "tier", "city", "country", "language",
                                              "created_at", "note") if profile.get(k)]
        st.markdown("  \n".join(f"**{k.replace('_', ' ')}**: {v}" for k, v in shown) or "_no profile_")
        st.caption(f"Recent orders ({len(cc.get('recent_orders') or [])})")
        if cc.get("recent_orders"):
            st.dataframe(services.styled(pd.DataFrame(cc["recent_orders"])), hide_index=True, width="stretch")
    with right:
        st.caption(f"Recent interactions; open tickets: {cc.get('open_tickets', 0)}")
        inter = [{"at": i.get("at"), "channel": i.get("channel"), "summary": i.get("summary"),
                  "sentiment": (i.get("sentiment") or {}).get("label"),
                  "score": (i.get("sentiment") or {}).get("score")} for i in cc.get("recent_interactions") or []]
        if inter:
            st.dataframe(services.styled(pd.DataFrame(inter)), hide_index=True, width="stretch")
    st.markdown("##### Knowledge base suggestions")
    if not ctx.get("suggestions"):
        st.info("No suggestions (is the knowledge base synced? Press **Sync the KB** below).")
    for n, s in enumerate(ctx.get("suggestions") or []):
        with st.container(border=True):
            st.markdown(f"**{s.get('heading') or s['source']}** - `{s['source']}` (score {s['score']:.3f})")
            st.write(s["text"][:600])
            b = st.columns([1, 1.4, 4])
            b[0].button("Helpful", key=f"fb_up_{ctx['ticket_id']}_{n}", icon=":material/thumb_up:",
                        on_click=_feedback, args=(ctx["ticket_id"], s["id"], True))
            b[1].button("Not helpful", key=f"fb_down_{ctx['ticket_id']}_{n}", icon=":material/thumb_down:",
                        on_click=_feedback, args=(ctx["ticket_id"], s["id"], False))


st.title("Support")
flash = st.session_state.pop("support_flash", None)
if flash:
    (st.success if flash[0] == "success" else st.error)(flash[1])

form_col, list_col = st.columns([2, 3])
with form_col, shared.panel("New ticket"):
    people = customers(HOME)
    with st.form("new_ticket", clear_on_submit=False):
        st.subheader("New ticket")
        c = st.columns([2, 1])
        ids = [p["customer_id"] for p in people]
        names = {p["customer_id"]: p["name"] + (f" ({p['company']})" if p.get("company") else "") for p in people}
        picked = c[0].selectbox("Customer", ids, key="t_customer",
                                format_func=lambda i: f"{i} - {names[i]}" if i in names else str(i))
        typed = c[0].text_input("... or customer id", key="t_customer_id", placeholder="a customer id not listed")
        customer_id = typed.strip() or picked
        channel = c[1].selectbox("Channel", CHANNELS, key="t_channel")
        subject = st.text_input("Subject", key="t_subject")
        body = st.text_area("Message", key="t_body", height=100)
        submitted = st.form_submit_button("Create ticket", icon=":material/add:")
    if submitted:
        created = shared.desk_for(HOME).create_ticket(customer_id or "", subject, body, channel)
        st.session_state["support_ticket"] = created["ticket_id"]
        tickets.clear()
        st.success(f"Ticket {created['ticket_id']} created.")

with list_col, shared.panel("Recent tickets"):
    recent = tickets(HOME)
    st.subheader(f"Recent tickets ({len(recent)})")
    if recent:
        st.dataframe(pd.DataFrame(recent)[["created_at", "ticket_id", "customer_id", "subject", "sentiment", "status"]],
                     hide_index=True, width="stretch", height=min(400, 38 + 35 * len(recent)))
        ids = [t["ticket_id"] for t in recent]
        current = st.session_state.get("support_ticket")
        by_id = {t["ticket_id"]: t for t in recent}
        picked = st.selectbox("Open a ticket", ids, index=ids.index(current) if current in ids else 0,
                              key=f"t_pick_{current}",
                              format_func=lambda i: f"{i} - {by_id[i]['subject']} ({by_id[i]['customer_id']})")
        st.session_state["support_ticket"] = picked
    else:
        st.info("No tickets yet: create one above.")

if st.session_state.get("support_ticket"):
    with shared.panel("Customer context"):
        st.subheader("Customer context")
        show_context(shared.desk_for(HOME).ticket_context(st.session_state["support_ticket"]))

with shared.panel("Knowledge base search"):
    st.subheader("Search the knowledge base")
    sc = st.columns([5, 1])
    query = sc[0].text_input("Search the knowledge base", key="kb_query", label_visibility="collapsed",
                             placeholder="e.g. how do I return a damaged pump?")
    k = sc[1].number_input("Results", 1, 10, 5, key="kb_k", label_visibility="collapsed")
    if query.strip():
        hits = kb_hits(HOME, query.strip(), int(k))
        if not hits:
            st.info("Nothing in the knowledge base matches. If documents are missing, press **Sync the KB** below.")
        for h in hits:
            with st.container(border=True):
                st.markdown(f"**{h['rank']}. {h['heading'] or h['source']}** - `{h['source']}` "
                            f"(score {services.number_text(h['score'], 3)})")
                st.write(h["text"][:700] + (" ..." if len(h["text"]) > 700 else ""))

with shared.panel("Knowledge base documents"):
    st.subheader("Knowledge base documents")
    docs = documents(HOME)
    st.button("Sync the KB", icon=":material/sync:", key="kb_sync", on_click=_sync)
    if docs:
        df = pd.DataFrame(docs)
        st.dataframe(df[[c for c in ("source", "title", "category", "status", "chunks", "synced_at", "error")
                         if c in df]], hide_index=True, width="stretch")
    else:
        st.info("The kb-docs bucket is empty: upload documents and sync (`commerce kb sync --docs DIR`).")
