"""Lock holders in another process: refused while alive, taken over at once after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from commerce_platform.errors import LockHeld
from commerce_platform.factory import sql_engine
from commerce_platform.ports.kv import Lock, SqlKeyValueTable, TableSpec
from commerce_platform.ports.locks import FileLease

pytestmark = pytest.mark.faults

HOLD = {
    "file": "from commerce_platform.ports.locks import FileLease as L; lock = L(sys.argv[1], ttl_seconds=7200)",
    "kv": ("from commerce_platform.factory import sql_engine; "
           "from commerce_platform.ports.kv import Lock, SqlKeyValueTable, TableSpec; "
           "lock = Lock(SqlKeyValueTable(sql_engine(sys.argv[1]), TableSpec('locks', 'pk', 'sk')), 'job', 7200)"),
}


def hold_in_subprocess(kind: str, where: str) -> subprocess.Popen:
    code = f"import sys, time\n{HOLD[kind]}\nassert lock.acquire()\nprint('held', flush=True)\ntime.sleep(60)\n"
    proc = subprocess.Popen([sys.executable, "-c", code, where], stdout=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")})
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("kind", ["file", "kv"])
def test_live_holder_refuses_and_killed_holder_is_taken_over(kind, tmp_path):
    if kind == "file":
        where = str(tmp_path / "job.lock")
        make = lambda: FileLease(where, ttl_seconds=60, heartbeat=False)  # noqa: E731
    else:
        where = f"sqlite:///{tmp_path / 'kv.db'}"
        table = SqlKeyValueTable(sql_engine(where), TableSpec("locks", "pk", "sk"))
        make = lambda: Lock(table, "job", ttl_seconds=60, heartbeat=False)  # noqa: E731
    proc = hold_in_subprocess(kind, where)
    try:
        with pytest.raises(LockHeld):
            with make():
                pass
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    lock = make()
    with lock:  # the 2 h lease of the killed holder does not block
        assert lock.taken_over_from and lock.taken_over_from["pid"] == proc.pid
