"""Streamlit plumbing shared by the pages: the data home, cached settings and service clients,
and ``panel`` - an error boundary that turns a failing service into an error box that says what to do.

The home comes from ``streamlit run console/streamlit_app.py -- --home DIR``, else ``$COMMERCE_HOME``,
else ``./.commerce``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from commerce_platform.errors import CommerceError
from commerce_platform.logs import get_logger

log = get_logger("console")

# What to do when a panel's service fails with something other than a CommerceError (whose own
# message and hint already say it).
GENERIC_FIX = ("check the data home (build it with `commerce demo --home DIR`) and the service's settings; "
               "the console log has the details")


def home() -> str:
    """The data home this console runs on (absolute path)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--home")
    args, _ = parser.parse_known_args(sys.argv[1:])
    chosen = args.home or os.environ.get("COMMERCE_HOME") or ".commerce"
    return str(Path(chosen).expanduser().resolve())


@st.cache_resource(show_spinner=False)
def settings_for(home_dir: str):
    from commerce_platform.config import load_settings
    from commerce_platform.logs import configure_logging

    s = load_settings(home_dir)
    configure_logging(s.log_level)
    return s


def settings():
    return settings_for(home())


@st.cache_resource(show_spinner=False)
def copilot_for(home_dir: str):
    from commerce_platform import wiring

    return wiring.copilot_service(settings_for(home_dir))


@st.cache_resource(show_spinner=False)
def tutor_for(home_dir: str):
    from commerce_platform import wiring

    return wiring.tutor_service(settings_for(home_dir))


@st.cache_resource(show_spinner=False)
def desk_for(home_dir: str):
    from commerce_platform import wiring

    return wiring.support_desk(settings_for(home_dir))


def _control_flow(exc: BaseException) -> bool:
    """st.rerun / st.stop / st.switch_page work by raising: never swallow those."""
    from streamlit.runtime.scriptrunner import RerunException, StopException

    return isinstance(exc, (RerunException, StopException))


def error_text(what: str, exc: BaseException) -> str:
    if isinstance(exc, CommerceError):
        text = f"**{what} failed:** {exc.message}"
        if exc.field:
            text += f" (field `{exc.field}`)"
        return text + (f"  \n**What to do:** {exc.hint}" if exc.hint else "")
    return f"**{what} failed:** {type(exc).__name__}: {exc}  \n**What to do:** {GENERIC_FIX}"


@contextmanager
def panel(what: str) -> Iterator[None]:
    """Error boundary for one panel: a failure shows st.error (no stack trace) and the page goes on."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the boundary's purpose
        if _control_flow(exc):
            raise
        log.warning("console panel failed", panel=what, error=f"{type(exc).__name__}: {exc}")
        st.error(error_text(what, exc))
