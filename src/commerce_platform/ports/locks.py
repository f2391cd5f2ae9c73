"""Lease locks that free themselves: a lease file in the home (the local state store; on AWS the
same role is played by ``ports.kv.Lock`` on DynamoDB) and the pieces both share.

A holder records who it is (host, pid, the pid's start time). While it runs, a heartbeat thread
renews the lease, so the TTL can be short. A lease is taken over at once when it expired, or when
its holder ran on this machine and that process is gone (kill -9, OOM, power cut): a crashed run
never blocks the next one for the length of a TTL.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import LockHeld
from ..logs import get_logger

log = get_logger("ports.locks")

# An empty or unreadable lease file is one being written right now, unless it is older than this:
# then its writer died between creating and filling it.
UNREADABLE_GRACE_SECONDS = 30


@functools.cache
def host_id() -> str:
    """The host name plus the kernel's boot id: two sandboxes (Lambda micro-VMs, containers on
    other machines) that share a host name still differ, and a reboot makes old pids meaningless."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        boot = ""
    return f"{socket.gethostname()}/{boot}" if boot else socket.gethostname()


def process_start(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), which tells a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _process_state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def pid_alive(pid: int, start: str | None = None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, belongs to someone else
        pass
    if _process_state(pid) in ("Z", "X"):  # killed, not yet reaped by its parent
        return False
    return start is None or process_start(pid) in (None, start)


def holder_identity() -> dict[str, Any]:
    pid = os.getpid()
    return {"host": host_id(), "pid": pid, "pid_start": process_start(pid)}


def holder_gone(record: dict[str, Any]) -> bool:
    """True when the record's holder ran on this machine and its process no longer exists.
    A holder elsewhere cannot be checked: its lease expiring is what frees it."""
    if record.get("host") != host_id() or not isinstance(record.get("pid"), int):
        return False
    return not pid_alive(record["pid"], record.get("pid_start"))


class Heartbeat:
    """Calls ``renew`` every ``ttl / 3`` seconds on a daemon thread until stopped. A renewal that
    fails (the lease is no longer ours) is logged and ends the heartbeat; ``lost`` says so."""

    def __init__(self, renew: Callable[[], bool], ttl_seconds: float, what: str) -> None:
        self.renew = renew
        self.interval = max(0.05, float(ttl_seconds) / 3)
        self.what = what
        self.lost = False
        self.renewals = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat {what}", daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                ok = self.renew()
            except Exception as exc:  # noqa: BLE001 - a store hiccup: try again next beat
                log.warning("lease renewal failed; retrying", lock=self.what, error=f"{type(exc).__name__}: {exc}")
                continue
            if not ok:
                self.lost = True
                log.error("lease lost: another run took it over", lock=self.what)
                return
            self.renewals += 1

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()


class FileLease:
    def __init__(self, path: Path, ttl_seconds: int = 600, heartbeat: bool = True) -> None:
        self.path = Path(path)
        self.ttl_seconds = ttl_seconds
        self.identity = holder_identity()
        self.owner = f"{self.identity['host']}:{self.identity['pid']}:{time.time_ns()}"
        self.heartbeat = heartbeat
        self.taken_over_from: dict[str, Any] | None = None
        self._beat: Heartbeat | None = None
        self._acquired_at = time.time()

    def _content(self) -> bytes:
        return json.dumps({"owner": self.owner, **self.identity, "acquired_at": self._acquired_at,
                           "expires_at": time.time() + self.ttl_seconds}).encode()

    def _create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(self._content())
        return True

    def _read(self, path: Path | None = None) -> dict[str, Any] | None:
        """The lease's record; None when there is none; {} when it cannot be read (being written)."""
        try:
            record: dict[str, Any] = json.loads((path or self.path).read_text())
            return record
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}

    def _abandoned(self, held: dict[str, Any]) -> str | None:
        """Why the lease in the file may be taken over, or None while it is held."""
        if not held:
            try:
                age = time.time() - self.path.stat().st_mtime
            except FileNotFoundError:
                return None
            return "unreadable lease file left by a crashed writer" if age > UNREADABLE_GRACE_SECONDS else None
        if float(held.get("expires_at", 0)) <= time.time():
            return "lease expired"
        if holder_gone(held):
            return "holder process is gone"
        return None

    def acquire(self) -> bool:
        self._acquired_at = time.time()
        acquired = self._create() or self._take_over()
        if acquired and self.heartbeat:
            self._beat = Heartbeat(self._renew, self.ttl_seconds, str(self.path)).start()
        return acquired

    def _take_over(self) -> bool:
        held = self._read()
        if held is None:  # released meanwhile
            return self._create()
        reason = self._abandoned(held)
        if reason is None or held.get("owner") == self.owner:
            return False
        # Rename is atomic: of two runs taking over a dead lease only one moves it away. The moved
        # file is checked: if it is not the lease judged dead (a third run took over in between),
        # it is put back (link never overwrites) and this run gives up.
        stale = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{time.time_ns()}")
        try:
            os.rename(self.path, stale)
        except FileNotFoundError:
            return False
        moved = self._read(stale)
        if (moved or {}).get("owner") != held.get("owner"):
            try:
                os.link(stale, self.path)
            except FileExistsError:
                pass
            stale.unlink(missing_ok=True)
            return False
        stale.unlink(missing_ok=True)
        if not self._create():
            return False
        self.taken_over_from = held
        log.warning("lock taken over", lock=str(self.path), reason=reason, previous_owner=held.get("owner"))
        return True

    def _renew(self) -> bool:
        if (self._read() or {}).get("owner") != self.owner:
            return False
        tmp = self.path.with_name(f"{self.path.name}.renew-{os.getpid()}")
        tmp.write_bytes(self._content())
        os.replace(tmp, self.path)  # readers see the old lease or the new one, never half of one
        return True

    @property
    def lost(self) -> bool:
        return bool(self._beat and self._beat.lost)

    def release(self) -> None:
        if self._beat is not None:
            self._beat.stop()
            self._beat = None
        if (self._read() or {}).get("owner") == self.owner:
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> FileLease:
        if not self.acquire():
            held = self._read() or {}
            raise LockHeld(f"another run holds the lock {self.path} (owner {held.get('owner', '?')})",
                           hint="wait for it to finish; a holder that died is taken over by the next run "
                                f"(at once on this machine, after {self.ttl_seconds} s otherwise)")
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
