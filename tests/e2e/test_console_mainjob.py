"""`make run`'s main job: on a home with data it runs the learning agent and yesterday's export once, then
starts the console and prints its address; `needs_demo` decides when the demo is built first."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("present", "expected"), [
    ((), True),
    (("platform.db",), True),            # a console opened on an empty home leaves only this
    (("erp/products.csv",), False),
    (("objects/",), False),
    (("lake/retail/",), False),
])
def test_needs_demo(tmp_path, present, expected):
    from commerce_platform.config import load_settings
    from commerce_platform.mainjob import needs_demo

    for rel in present:
        path = tmp_path / rel
        if rel.endswith("/"):
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x")
    assert needs_demo(load_settings(tmp_path).paths) is expected


def test_mainjob_runs_the_nightly_jobs_then_serves_the_console(demo_home, tmp_path):
    from commerce_platform.config import load_settings
    from commerce_platform.wiring import list_learnings, list_runs

    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    port = free_port()
    out = (tmp_path / "mainjob.log").open("w+")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    proc = subprocess.Popen([sys.executable, "-m", "commerce_platform.mainjob", "--home", str(home),
                             "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out.flush()
                pytest.fail(f"main job did not serve the console:\n{(tmp_path / 'mainjob.log').read_text()[-3000:]}")
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the main job's process group (it, commerce console, streamlit)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()
    log = (tmp_path / "mainjob.log").read_text()
    assert "building the demo" not in log, "a home with data is used as it is"
    assert "running the learning agent" in log and "running the SmartGo export" in log
    assert f"console: http://127.0.0.1:{port}" in log
    settings = load_settings(home)
    assert list_learnings(settings)["swaps"], "the learning agent ran"
    assert [r["status"] for r in list_runs(settings)] == ["PARTIAL"], "yesterday was exported (demo has bad images)"
