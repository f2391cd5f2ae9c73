"""The staff console: ``streamlit run console/streamlit_app.py -- --home DIR`` (or ``commerce console``).

Navigation only; each page lives in ``app_pages/`` and calls service functions through ``shared`` and
``services``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # pages import shared / services from this folder
    sys.path.insert(0, str(HERE))

import shared  # noqa: E402
import streamlit as st  # noqa: E402

st.set_page_config(page_title="Commerce console", page_icon=":material/storefront:", layout="wide")

PAGES = [
    st.Page("app_pages/learnings.py", title="Learnings", icon=":material/school:", url_path="learnings", default=True),
    st.Page("app_pages/copilot.py", title="Copilot", icon=":material/chat:", url_path="copilot"),
    st.Page("app_pages/inventory.py", title="Inventory", icon=":material/inventory_2:", url_path="inventory"),
    st.Page("app_pages/exports.py", title="Exports", icon=":material/upload:", url_path="exports"),
    st.Page("app_pages/support.py", title="Support", icon=":material/support_agent:", url_path="support"),
    st.Page("app_pages/tutor.py", title="Tutor", icon=":material/quiz:", url_path="tutor"),
    st.Page("app_pages/health.py", title="Health", icon=":material/monitor_heart:", url_path="health"),
]

page = st.navigation(PAGES)
st.sidebar.caption(f"Data home: `{shared.home()}`")
page.run()
