"""Console test helpers: a demo home after one night's jobs, and a tiny Chrome DevTools driver for headless
Chromium (Debian's /usr/bin/chromium; nothing is downloaded)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "console" / "streamlit_app.py"
FAILED_DAY = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()  # the demo has sales for the last 7 days


def clean_env(monkeypatch) -> None:
    for key in list(os.environ):
        if key.startswith("COMMERCE_"):
            monkeypatch.delenv(key, raising=False)


def prepare_night(demo_home: Path, target: Path) -> Path:
    """Copy of the demo home after the nightly jobs: learnings extracted, yesterday exported (PARTIAL:
    the demo has broken images), one export day FAILED (its source database did not open), one ticket."""
    import pytest

    from commerce_platform.config import load_settings
    from commerce_platform.errors import CommerceError
    from commerce_platform.wiring import run_export, run_learning

    shutil.copytree(demo_home, target)
    settings = load_settings(target)
    run_learning(settings)
    run_export(settings)
    with pytest.raises(CommerceError, match="not reachable"):
        run_export(settings, date=FAILED_DAY, source=f"sqlite:///{target}/no-such-dir/missing.db")
    from commerce_platform import wiring

    wiring.support_desk(settings).create_ticket("C0002", "My order is late", "The pump I ordered last week has not arrived "
                                        "and nobody answers. Where is my delivery?", "email")
    return target


# ----------------------------------------------------------------------------- Chromium over DevTools


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Headless Chromium driven over the DevTools protocol (websockets client from the venv)."""

    FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*",
             "--window-size=1400,1000"]

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="console-chromium-")
        self.proc = subprocess.Popen([binary, *self.FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chromium did not start (no DevToolsActivePort)")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(t for t in targets if t.get("type") == "page")
        from websockets.sync.client import connect

        self.ws = connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=10)
        self._id = 0
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=60))
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    # What "rendered" means for a Streamlit page: a title in the main area, the script no longer running,
    # no skeleton placeholders, and the text unchanged over a few polls.
    STATE_JS = r"""(() => {
      // a page with st.chat_input has no stMain wrapper: the block container is in both layouts
      const main = document.querySelector('[data-testid="stMainBlockContainer"]');
      const status = document.querySelector('[data-testid="stStatusWidget"]');
      return JSON.stringify({
        title: main && main.querySelector('h1') ? main.querySelector('h1').innerText : null,
        // while the script runs the status widget shows a running icon and a Stop button
        running: !!(status && /running|stop/i.test(status.innerText)),
        skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
        exceptions: document.querySelectorAll('[data-testid="stException"]').length,
        text: main ? main.innerText : '',
        path: location.pathname.replace(/\/$/, '') || '/',
      });
    })()"""

    def wait_rendered(self, timeout: float = 60.0, settle: int = 5, contains: str | None = None) -> dict:
        """Poll until the page is rendered (and its text has ``contains``); the final state."""
        deadline = time.monotonic() + timeout
        last, stable = None, 0
        state: dict = {}
        while time.monotonic() < deadline:
            state = json.loads(self.evaluate(self.STATE_JS) or "{}")
            ready = state.get("title") and not state.get("running") and not state.get("skeletons") and (
                contains is None or contains in state.get("text", ""))
            key = (state.get("title"), len(state.get("text", "")), state.get("exceptions"))
            stable = stable + 1 if ready and key == last else 0
            last = key
            if stable >= settle:
                return state
            time.sleep(0.5)
        raise TimeoutError(f"page did not finish rendering in {timeout} s: {str(state)[:500]}")

    def click_button(self, label: str) -> None:
        found = self.evaluate(f"""(() => {{ const b = [...document.querySelectorAll('button')]
            .find(b => b.innerText.trim().endsWith({json.dumps(label)})); if (b) b.click(); return !!b; }})()""")
        if not found:
            raise AssertionError(f"no button {label!r} on the page")

    def type_into(self, selector: str, text: str) -> None:
        """Focus an input and type like a user (the app's React state sees real input events), then Enter."""
        found = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
                              "if (e) e.focus(); return !!e; })()")
        if not found:
            raise AssertionError(f"no element {selector!r} on the page")
        self.call("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                      nativeVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")

    def screenshot(self, path: Path, max_height: int = 5000) -> None:
        """The whole page: Streamlit scrolls inside its main container, so the viewport is stretched to the
        container's height for the capture, then restored."""
        height = self.evaluate("""(() => { const m = document.querySelector('[data-testid="stMain"]')
            || document.querySelector('[data-testid="stAppScrollToBottomContainer"]');
            return m ? m.scrollHeight : 1000; })()""") or 1000
        height = max(1000, min(int(height) + 40, max_height))
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=height, deviceScaleFactor=1, mobile=False)
        time.sleep(1.0)  # re-layout (charts re-measure)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)
