"""Health: the profile and each adapter the platform uses, and whether it answers."""

from __future__ import annotations

import pandas as pd
import services
import shared
import streamlit as st

HOME = shared.home()


@st.cache_data(ttl=20, show_spinner=False)
def checks(home: str) -> list[dict]:
    return services.health_checks(shared.settings_for(home))


@st.cache_data(ttl=20, show_spinner=False)
def tutor_health(home: str) -> dict:
    return shared.tutor_for(home).health()


st.title("Health")
with shared.panel("Settings"):
    s = shared.settings_for(HOME)
    c = st.columns(4)
    c[0].metric("Profile", s.profile)
    c[1].metric("Environment", s.environment)
    c[2].metric("LLM", s.llm.provider)
    c[3].metric("Region" if s.profile == "aws" else "Text embedder", s.aws.region if s.profile == "aws" else s.text_embedder)
    st.caption(f"Data home `{s.paths.root}`")

if st.button("Check again", icon=":material/refresh:", key="health_refresh"):
    checks.clear()
    tutor_health.clear()

with shared.panel("Adapter checks"):
    rows = checks(HOME)
    down = [r for r in rows if r["status"] != "ok"]
    if down:
        st.error(f"{len(down)} adapter(s) do not answer: " + ", ".join(r["adapter"] for r in down)
                 + ". Check their settings (COMMERCE_* variables) and that the service is running.")
    else:
        st.success(f"All {len(rows)} adapters answer.")
    frame = pd.DataFrame(rows)
    styled = frame.style.map(lambda v: "color: #2e7d32; font-weight: 600" if v == "ok" else "color: #c62828; "
                             "font-weight: 600", subset=["status"]).format({"ms": "{:.1f}"})
    st.dataframe(styled, hide_index=True, width="stretch")

with shared.panel("Tutor health"):
    st.subheader("Tutor")
    doc = tutor_health(HOME)
    st.markdown(f"Status: **{doc['status']}**")
    st.dataframe(pd.DataFrame([{"component": k, **{kk: ", ".join(vv) if isinstance(vv, list) else str(vv)
                                                    for kk, vv in v.items()}}
                               for k, v in doc["components"].items()]).fillna(""), hide_index=True, width="stretch")
