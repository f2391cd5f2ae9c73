"""``commerce console [--port N]``: start the Streamlit console on the home (binds 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .errors import ConfigurationError, require


def console_script() -> Path:
    """console/streamlit_app.py of the checkout (the package is installed editable from src/)."""
    return Path(__file__).resolve().parents[2] / "console" / "streamlit_app.py"


def console_command(home: Path | str, port: int, address: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(console_script()), "--server.port", str(port),
            "--server.headless", "true", "--server.address", address, "--browser.gatherUsageStats", "false",
            "--", "--home", str(Path(home).resolve())]


def register(sub, common) -> None:
    p = sub.add_parser("console", parents=[common], help="start the Streamlit console on the home (default port 8501)")
    p.add_argument("--port", type=int, default=8501, help="port on 127.0.0.1 (default 8501)")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from .cli import check_port

    port = ctx.args.port
    check_port(port)  # a bad or taken port is one line here, not a Streamlit message and exit 1
    require("streamlit", "console")
    script = console_script()
    if not script.is_file():
        raise ConfigurationError(f"the console app is not at {script}",
                                 hint="run 'commerce console' from a checkout installed with 'pip install -e .[console]'")
    home = Path(ctx.settings.paths.root).resolve()
    if not home.exists() or not any(home.iterdir()):
        ctx.progress(f"note: the home {home} is empty; build demo data with 'commerce demo --home {home}'")
    print(f"console: http://127.0.0.1:{port}  (home {home}; Ctrl+C stops it)", flush=True)
    env = {**os.environ, "COMMERCE_HOME": str(home)}
    child = subprocess.Popen(console_command(home, port), env=env)

    def stop(signum, _frame):  # SIGTERM to `commerce console` stops the server too, not only this wrapper
        raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main_thread else None
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
