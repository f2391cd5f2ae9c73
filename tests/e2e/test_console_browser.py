"""The console for real: `commerce console` (streamlit run) on a free port, each page opened in headless
Chromium, rendered without an exception box, and a screenshot saved to test-artifacts/console/<page>.png."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import free_port, missing_service
from tests.fixtures_console import REPO, Browser, chromium_path, clean_env, prepare_night

pytestmark = pytest.mark.e2e
ARTIFACTS = REPO / "test-artifacts" / "console"
PAGES = [  # page, URL path (the default page is served at the root), title
    ("learnings", "", "Learnings"),
    ("copilot", "copilot", "Copilot"),
    ("inventory", "inventory", "Inventory"),
    ("exports", "exports", "Exports"),
    ("support", "support", "Support"),
    ("tutor", "tutor", "Tutor"),
    ("health", "health", "Health"),
]
# Page-specific text that only shows when the page's data rendered (not just its title).
EXPECTED = {
    "learnings": "Product swaps", "copilot": "Start a conversation", "inventory": "Stock vs reorder level",
    "exports": "Runs per day",
    "support": "Knowledge base documents", "tutor": "Generate", "health": "adapters answer",
}


# Real interactions on some pages before the screenshot: [(action, argument, text that shows when done)].
ACTIONS = {
    "copilot": [("click", ("revenue by month this year",), "Good answer"),  # an example question button
                ("type", ("[data-testid='stChatInputTextArea']", "which products are low on stock"), "out of stock")],
    "tutor": [("click", ("Generate",), "Check my answer")],
}


@pytest.fixture(scope="module")
def browser():
    binary = chromium_path()
    if binary is None:
        missing_service("Chromium (install it with scripts/ensure-chromium.sh)")
    try:
        b = Browser(binary)
    except (RuntimeError, OSError, ImportError) as exc:  # no DevTools port, or no websockets client
        missing_service(f"Chromium at {binary} ({exc})")
    yield b
    b.close()


@pytest.fixture(scope="module")
def console_url(demo_home, tmp_path_factory):
    home = prepare_night(demo_home, tmp_path_factory.mktemp("console-browser") / "home")
    port = free_port()
    log = (tmp_path_factory.mktemp("console-log") / "console.log").open("w")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    proc = subprocess.Popen([sys.executable, "-m", "commerce_platform", "--home", str(home), "console",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"the console did not start: {open(log.name).read()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the `commerce console` process group we started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.mark.parametrize(("page", "path", "title"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_in_chromium(console_url, browser, page, path, title):
    browser.open(f"{console_url}/{path}")
    state = browser.wait_rendered(timeout=90)
    assert EXPECTED[page] in state["text"]
    for kind, args, done in ACTIONS.get(page, []):
        browser.type_into(*args) if kind == "type" else browser.click_button(*args)
        state = browser.wait_rendered(timeout=90, contains=done)
    browser.screenshot(ARTIFACTS / f"{page}.png")
    assert state["path"] == f"/{path}", "the page is reachable by its URL path"
    assert state["title"] == title
    assert state["exceptions"] == 0, state["text"][:2000]
    assert "Traceback" not in state["text"]
    assert "Page not found" not in browser.evaluate("document.body.innerText")
    assert (ARTIFACTS / f"{page}.png").stat().st_size > 10_000
    # staff get the viewer toolbar (console/.streamlit/config.toml): no Deploy button
    assert browser.evaluate("document.querySelectorAll('[data-testid=\"stAppDeployButton\"]').length") == 0
    assert "Deploy" not in browser.evaluate("document.body.innerText")


def test_console_command_rejects_a_bad_port(tmp_path, monkeypatch):
    clean_env(monkeypatch)
    done = subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(tmp_path), "console",
                           "--port", "70000"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--port 70000" in done.stderr and "1-65535" in done.stderr
