"""Exports: SmartGo export runs per day, the Iceberg table's partitions, failed images with a retry, and
similar-product pricing with the neighbours' images."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import services
import shared
import streamlit as st

from commerce_platform import wiring
from commerce_platform.exports import service as exports

HOME = shared.home()


@st.cache_data(ttl=30, show_spinner=False)
def runs(home: str) -> list[dict]:
    return services.runs_frame_rows(wiring.list_runs(shared.settings_for(home)))


@st.cache_data(ttl=60, show_spinner=False)
def partitions(home: str) -> list[dict]:
    return exports.table_partitions(shared.settings_for(home))


@st.cache_data(ttl=60, show_spinner=False)
def failed(home: str) -> list[dict]:
    return exports.failed_images(shared.settings_for(home))


@st.cache_data(ttl=60, show_spinner=False)
def sales(home: str) -> list[dict]:
    return services.exported_sales(shared.settings_for(home))


@st.cache_data(ttl=600, show_spinner=False)
def images(home: str, sale_ids: tuple[str, ...]) -> dict:
    return services.sale_images(shared.settings_for(home), list(sale_ids))


@st.cache_data(ttl=60, show_spinner=False)
def similar(home: str, sale_id: str, k: int) -> dict:
    # a scan of every embedding of the currency: not repeated on each rerun of the page
    return exports.similar_sales(shared.settings_for(home), sale_id, k)


def _clear() -> None:
    for fn in (runs, partitions, failed, sales, similar):
        fn.clear()


def _run(day: str, retry_failed: bool, tenant: str | None = None) -> None:
    """Run (or retry) one day's export with a progress bar; the outcome shows as success/warning/error."""
    bar = st.progress(0.0, text=f"exporting {day} ...")

    def progress(p: dict) -> None:
        total = p.get("total") or p.get("processed") or 1
        bar.progress(min(1.0, p.get("processed", 0) / max(total, 1)), text=f"{p.get('processed', 0)} rows processed")

    try:
        summary = wiring.run_export(shared.settings_for(HOME), date=day, tenant=tenant, retry_failed=retry_failed,
                                     progress=progress)
    finally:
        _clear()
    bar.progress(1.0, text="done")
    kind, text = services.export_outcome(summary)
    getattr(st, kind)(text)


st.title("Exports")
st.caption("Daily SmartGo sales export into the Iceberg table pricing_intelligence.smartgo_sales "
           "(images downloaded and embedded; partitioned by tenant/year/month).")

with shared.panel("Running an export"):
    c = st.columns([2, 1, 3])
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    day = c[0].date_input("Day", value=yesterday, key="export_day")
    c[1].write("")
    if c[1].button("Run export", icon=":material/play_arrow:", key="export_run"):
        _run(day.isoformat(), retry_failed=False)

with shared.panel("Export runs"):
    st.subheader("Runs per day")
    rows = runs(HOME)
    if not rows:
        st.info("No export has run yet: press **Run export** or run `commerce export run`.")
    else:
        frame = pd.DataFrame(rows)
        st.dataframe(services.styled(frame.drop(columns=["error"]) if frame["error"].isna().all() else frame,
                                     decimals={"seconds": 1}), hide_index=True, width="stretch")
        chart = frame.groupby("date")[["embedded", "errors"]].sum()
        st.bar_chart(chart, height=220, y_label="rows", stack=True, color=["#2e7d32", "#c62828"])
        for r in rows:
            if r["status"] in ("FAILED", "PARTIAL"):
                what = "re-run the day" if r["status"] == "FAILED" else "retry its failed images"
                scope = "all tenants" if r["tenant"] == "*" else f"tenant {r['tenant']}"
                msg = f"Export {r['date']} ({scope}) is **{r['status']}**"
                msg += f": {r['error']}" if r.get("error") else f" with {r['errors']} errors"
                with st.container(border=True):
                    cols = st.columns([4, 1])
                    cols[0].markdown(f"{msg} - {what}.")
                    if cols[1].button("Retry", key=f"retry_{r['date']}_{r['tenant']}", icon=":material/refresh:"):
                        with shared.panel(f"Retrying the export of {r['date']}"):
                            _run(r["date"], retry_failed=r["status"] == "PARTIAL",
                                 tenant=None if r["tenant"] == "*" else r["tenant"])

with shared.panel("Table partitions"):
    st.subheader("Partitions of the Iceberg table")
    parts = partitions(HOME)
    if not parts:
        st.info("The export table is empty.")
    else:
        pf = pd.DataFrame(parts)
        pf["partition"] = pf["tenant_id"].astype(str) + "/" + pf["year"].astype(str) + "/" + pf["month"].astype(str)
        left, right = st.columns(2)
        left.dataframe(services.styled(pf[["partition", "rows", "files"]]), hide_index=True, width="stretch")
        right.bar_chart(pf, x="partition", y="rows", height=240)

with shared.panel("Failed images"):
    bad = failed(HOME)
    st.subheader(f"Failed images ({len(bad)})")
    kind, note = services.failed_images_state(wiring.list_runs(shared.settings_for(HOME)), bad)
    getattr(st, kind)(note)
    if bad:
        bf = pd.DataFrame(bad)
        bf["day"] = pd.to_datetime(bf["sold_at"]).dt.date.astype(str)
        st.dataframe(bf[["day", "sale_id", "tenant_id", "image_url", "embedding_error"]], hide_index=True,
                     width="stretch")
        for d, n in bf.groupby("day").size().items():
            if st.button(f"Retry {n} failed image(s) of {d}", key=f"retry_images_{d}", icon=":material/refresh:"):
                with shared.panel(f"Retrying the images of {d}"):
                    _run(d, retry_failed=True)

with shared.panel("Similar-product pricing"):
    st.subheader("Similar-product pricing")
    choices = sales(HOME)
    if not choices:
        st.info("No embedded sales yet: run an export first.")
    else:
        by_id = {s["sale_id"]: s for s in choices}
        c = st.columns([3, 1])
        sale_id = c[0].selectbox("Sale", list(by_id), key="similar_sale",
                                 format_func=lambda i: f"{i} - {by_id[i]['title']} ({by_id[i]['sold_price']:,.2f} "
                                                       f"{by_id[i]['currency']})")
        k = c[1].number_input("Neighbours", 1, 12, 5, key="similar_k")
        result = similar(HOME, sale_id, int(k))
        m = st.columns(3)
        m[0].metric("Sold price", f"{result['sold_price']:,.2f} {result['currency']}")
        m[1].metric("Suggested price (median of neighbours)",
                    "-" if result["suggested_price"] is None else f"{result['suggested_price']:,.2f} {result['currency']}")
        m[2].metric("Neighbours", len(result["neighbours"]))
        tiles = st.columns(min(6, len(result["neighbours"]) + 1))
        targets = [{"sale_id": sale_id, "title": "this sale: " + (result["title"] or ""), "sold_price": result["sold_price"],
                    "currency": result["currency"], "similarity": 1.0}] + result["neighbours"]
        shown = targets[:len(tiles)]
        pictures = images(HOME, tuple(n["sale_id"] for n in shown))
        for i, n in enumerate(shown):
            with tiles[i]:
                picture = pictures.get(n["sale_id"])
                if isinstance(picture, bytes):
                    st.image(picture, width="stretch")
                else:
                    st.caption(f"no image: {picture}")
                st.caption(f"{n['title']}  \n**{n['sold_price']:,.2f} {n['currency']}** - sim {n['similarity']:.2f}")
        st.dataframe(services.styled(pd.DataFrame(result["neighbours"])), hide_index=True, width="stretch")
