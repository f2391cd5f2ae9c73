"""Learnings: review what the nightly agent learned (swaps and rules), see the evidence, approve /
reject / edit, and try a term against the matcher at once."""

from __future__ import annotations

import pandas as pd
import services
import shared
import streamlit as st

from commerce_platform import wiring as offers  # the offers entry points with their ports

HOME = shared.home()
STATUSES = ["all", "pending", "approved", "rejected"]


@st.cache_data(ttl=30, show_spinner=False)
def load_view(home: str, status: str, brand: str, group: str, since) -> dict:
    return services.learnings_view(shared.settings_for(home), status=None if status == "all" else status,
                                   brand=brand or None, group=group or None, since=since)


@st.cache_data(ttl=300, show_spinner=False)
def load_catalog(home: str) -> dict:
    return services.catalog_index(shared.settings_for(home))


def _flash(kind: str, text: str) -> None:
    st.session_state["learnings_flash"] = (kind, text)


def _act(fn, what: str, *args) -> None:
    """Button callback: run one review action; the result (or the error) shows on the rerun."""
    try:
        item = fn(shared.settings_for(HOME), *args)
    except Exception as exc:  # noqa: BLE001 - shown as an error box, never a trace
        _flash("error", shared.error_text(what, exc))
        return
    load_view.clear()
    if "rule" in item:
        _flash("success", f"{what}: rule **{item['rule']}** is now **{item['status']}**")
    else:
        _flash("success", f"{what}: **{item['customer_term']}** -> {item['product_code']} {item['product_name']} "
                          f"is now **{item['status']}**")


# Callbacks read the widgets' current values from the session state (not values bound at render time).
def _review(pick_key: str, status: str) -> None:
    _act(offers.review, "Approve" if status == "approved" else "Reject", st.session_state[pick_key], status)


def _edit() -> None:
    _act(offers.edit_swap, "Edit", st.session_state["swap_pick"], st.session_state["edit_code"])


def _bulk(ids: list[str], status: str) -> None:
    """Approve / reject the swaps the page counted (ids bound at render time: exactly what was shown)."""
    verb = "Approve" if status == "approved" else "Reject"
    try:
        action = services.bulk_review(shared.settings_for(HOME), ids, status)
    except Exception as exc:  # noqa: BLE001 - shown as an error box, never a trace
        _flash("error", shared.error_text(f"{verb} in bulk", exc))
        return
    finally:
        load_view.clear()
    st.session_state["learnings_last_bulk"] = action
    _flash("success", f"{verb} in bulk: {len(action['changed'])} swap(s) are now **{status}**. "
                      "**Undo** below puts them back.")


def _undo() -> None:
    action = st.session_state.pop("learnings_last_bulk", None)
    if not action:
        return
    try:
        result = services.undo_bulk(shared.settings_for(HOME), action)
    except Exception as exc:  # noqa: BLE001
        st.session_state["learnings_last_bulk"] = action  # still undoable once the store answers
        _flash("error", shared.error_text("Undo", exc))
        return
    finally:
        load_view.clear()
    text = f"Undo: {len(result['restored'])} swap(s) are back to **pending**."
    if result["kept"]:
        text += f" {len(result['kept'])} reviewed again since then kept their newer status."
    _flash("success", text)


st.title("Learnings")
st.caption("Product swaps and general rules the learning agent extracted from salespeople's corrections of AI offers. "
           "Approved learnings win over pending ones; rejected ones are never applied.")

flash = st.session_state.pop("learnings_flash", None)
if flash:
    (st.success if flash[0] == "success" else st.error)(flash[1])

with shared.panel("The learning agent"):
    if st.button("Run the learning agent now", icon=":material/play_arrow:", key="run_agent"):
        bar = st.progress(0.0, text="starting ...")
        summary = services.run_learning(
            shared.settings_for(HOME),
            progress=lambda done, total: bar.progress(done / max(total, 1), text=f"{done}/{total} offers"))
        load_view.clear()
        st.success(f"Processed {summary['offers_processed']} offers: {summary['successful']} ok, "
                   f"{summary['skipped']} unchanged, {summary['failed']} failed; "
                   f"{summary['new_swaps']} new swaps, {summary['new_rules']} new rules ({summary['seconds']} s)")
        for f in summary["failures"]:
            st.warning(f"Offer {f['offer_number']}: {f['reason']} - {f['detail']}")

catalog: dict = {}
with shared.panel("The ERP catalog"):
    catalog = load_catalog(HOME)

cols = st.columns(4)
status = cols[0].selectbox("Status", STATUSES, key="f_status")
group = cols[1].selectbox("Product group", [""] + sorted({p["group"] for p in catalog.values()}), key="f_group",
                          format_func=lambda g: g or "all groups")
brand = cols[2].selectbox("Brand", [""] + sorted({p["brand"] for p in catalog.values() if p["brand"]}),
                          key="f_brand", format_func=lambda b: b or "all brands")
since = cols[3].date_input("Learned since", value=None, key="f_since")

selected_term = ""
view: dict = {"swaps": [], "rules": []}
with shared.panel("Learned swaps"):
    view = load_view(HOME, status, brand, group, since)
    swaps = view["swaps"]
    st.subheader(f"Product swaps ({len(swaps)})")
    if not swaps:
        st.info("No swaps match these filters. Run the learning agent, or widen the filters.")
    else:
        counts = pd.Series([s["status"] for s in swaps]).value_counts()
        m = st.columns(3)
        for i, name in enumerate(("pending", "approved", "rejected")):
            m[i].metric(name.capitalize(), int(counts.get(name, 0)))
        table = pd.DataFrame([{k: s[k] for k in ("customer_term", "product_code", "product_name", "product_group",
                                                   "brand", "confidence", "evidence_count", "status", "match_type",
                                                   "timestamp")} for s in swaps])
        st.dataframe(services.styled(table), hide_index=True, width="stretch", height=260)

        # Bulk review: one decision for every pending swap the filters show above a confidence.
        with st.container(border=True):
            st.markdown("**Bulk review** of the pending swaps listed above")
            bc = st.columns([2, 3, 1, 1])
            floor = bc[0].slider("Minimum confidence", 0.0, 1.0, 0.9, 0.01, key="bulk_conf")
            chosen = services.bulk_candidates(swaps, floor)
            ids = [s["id"] for s in chosen]
            bc[1].markdown(f"**{len(chosen)}** pending swap(s) with confidence ≥ {floor:.2f} will change"
                           + ("" if chosen else " - lower the confidence or widen the filters"))
            bc[2].button(f"Approve {len(chosen)}", key="bulk_approve", icon=":material/done_all:", type="primary",
                         disabled=not chosen, on_click=_bulk, args=(ids, "approved"))
            bc[3].button(f"Reject {len(chosen)}", key="bulk_reject", icon=":material/remove_done:",
                         disabled=not chosen, on_click=_bulk, args=(ids, "rejected"))
            if chosen:
                with st.expander(f"The {len(chosen)} swap(s) that will change"):
                    st.dataframe(services.styled(pd.DataFrame(
                        [{k: s[k] for k in ("customer_term", "product_code", "product_name", "confidence",
                                            "evidence_count")} for s in chosen])), hide_index=True, width="stretch")
            last = st.session_state.get("learnings_last_bulk")
            if last:
                st.button(f"Undo the last bulk action ({len(last['changed'])} {last['status']})", key="bulk_undo",
                          icon=":material/undo:", on_click=_undo)

        by_id = {s["id"]: s for s in swaps}
        sel = st.selectbox("Review a swap", list(by_id), key="swap_pick",
                           format_func=lambda i: f"{by_id[i]['customer_term']} -> {by_id[i]['product_code']} "
                                                 f"{by_id[i]['product_name']} [{by_id[i]['status']}]")
        swap = by_id[sel]
        selected_term = swap["customer_term"]
        st.markdown(f"**{swap['customer_term']}** -> `{swap['product_code']}` {swap['product_name']}  \n"
                    f"confidence {swap['confidence']:.2f} from {swap['evidence_count']} offer(s); "
                    f"status **{swap['status']}**  \n_{swap['reasoning']}_")
        st.caption("Evidence: the AI's line and the salesperson's final line in each source offer")
        st.dataframe(services.styled(pd.DataFrame(services.evidence_rows(swap))), hide_index=True, width="stretch")
        b = st.columns([1, 1, 3, 1])
        b[0].button("Approve", key="approve_swap", icon=":material/check:", type="primary",
                    on_click=_review, args=("swap_pick", "approved"))
        b[1].button("Reject", key="reject_swap", icon=":material/close:",
                    on_click=_review, args=("swap_pick", "rejected"))
        same_group = sorted(catalog, key=lambda c: (catalog[c]["group"] != swap["product_group"], c))
        b[2].selectbox("Replace the product with", same_group, key="edit_code",
                                  index=same_group.index(swap["product_code"]) if swap["product_code"] in same_group else 0,
                                  format_func=lambda c: f"{c} {catalog[c]['name']}", label_visibility="collapsed")
        b[3].button("Save edit", key="edit_swap", icon=":material/edit:",
                    on_click=_edit)

with shared.panel("General rules"):
    rules = view["rules"]
    st.subheader(f"General rules ({len(rules)})")
    if not rules:
        st.info("No rules match these filters.")
    else:
        st.dataframe(pd.DataFrame([{k: r[k] for k in ("rule", "group", "kind", "support", "day", "status")}
                                   for r in rules]), hide_index=True, width="stretch")
        rules_by_id = {r["id"]: r for r in rules}
        c = st.columns([4, 1, 1])
        rid = c[0].selectbox("Review a rule", list(rules_by_id), key="rule_pick",
                             format_func=lambda i: f"{rules_by_id[i]['rule']} [{rules_by_id[i]['status']}]")
        c[1].button("Approve rule", key="approve_rule", on_click=_review, args=("rule_pick", "approved"))
        c[2].button("Reject rule", key="reject_rule", on_click=_review, args=("rule_pick", "rejected"))

st.subheader("Match a term now")
term = st.text_input("Customer term", value=selected_term, key=f"match_term_{selected_term}",
                     placeholder="e.g. kupariputki 15mm 3m")
with shared.panel("Matching"):
    if term.strip():
        result = offers.match_term(shared.settings_for(HOME), term, k=5)
        frame = pd.DataFrame(result["matches"], columns=["product_code", "product_name", "score", "source"])
        st.dataframe(services.styled(frame, decimals={"score": 3}), hide_index=True, width="stretch")
