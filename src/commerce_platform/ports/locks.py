"""A lease lock as a file in the home (the local state store): atomic create with O_EXCL,
expiring on its own if the holder died. On AWS the same role is played by ``ports.kv.Lock``
on DynamoDB."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from ..errors import LockHeld


class FileLease:
    def __init__(self, path: Path, ttl_seconds: int = 3600) -> None:
        self.path = Path(path)
        self.ttl_seconds = ttl_seconds
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{time.time_ns()}"

    def _create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w") as fh:
            json.dump({"owner": self.owner, "expires_at": time.time() + self.ttl_seconds}, fh)
        return True

    def acquire(self) -> bool:
        if self._create():
            return True
        try:
            held = json.loads(self.path.read_text())
            expired = float(held.get("expires_at", 0)) <= time.time()
        except (OSError, ValueError):
            expired = False  # being written right now: treat as held
        if expired:
            # Rename is atomic: of two runs taking over a dead lease only one removes it.
            stale = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{time.time_ns()}")
            try:
                os.rename(self.path, stale)
                stale.unlink(missing_ok=True)
            except FileNotFoundError:
                return False
            return self._create()
        return False

    def release(self) -> None:
        try:
            if json.loads(self.path.read_text()).get("owner") == self.owner:
                self.path.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass

    def __enter__(self) -> FileLease:
        if not self.acquire():
            raise LockHeld(f"another run holds the lock {self.path}",
                           hint="wait for it to finish (the lock expires on its own if that run died)")
        return self

    def __exit__(self, *exc) -> None:
        self.release()
