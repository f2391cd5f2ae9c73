"""The ``commerce`` CLI with a slowed-down write path, so a fault test can kill it at a known stage.

``python slow_cli.py <stage> <cli args...>``; stages:
  learning-state   each learning-state/ object is written as its temp file, a pause, then the rename
                   (a kill in the pause leaves a ``.tmp-*`` file, as a crash mid-write does)
  export-append    a pause after each batch of data files an export writes (before its commit)
  learnings-sidecar  after learnings/learning_meta.json is written (before the CSV), the file named by
                   FAULT_MARKER is created and the run waits to be killed: a kill exactly between the two
Nothing else changes: the run's results are those of the plain CLI.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

PAUSE = float(os.environ.get("FAULT_PAUSE_SECONDS", "0.05"))


def slow_learning_state() -> None:
    from commerce_platform import files
    from commerce_platform.ports import objectstore

    real = files.atomic_write

    def atomic_write(path, data, prefix=None):
        if "learning-state" not in str(path) or callable(data):
            return real(path, data, prefix=prefix)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=prefix or ".tmp-")
        os.write(fd, data[: len(data) // 2])
        time.sleep(PAUSE)  # half-written temp file on disk: the kill lands here
        os.write(fd, data[len(data) // 2:])
        os.close(fd)
        os.replace(tmp, path)

    objectstore.atomic_write = atomic_write


def stop_after_learnings_sidecar() -> None:
    from commerce_platform.ports import objectstore

    real = objectstore.atomic_write

    def atomic_write(path, data, prefix=None):
        real(path, data, prefix=prefix)
        if str(path).endswith("learnings/learning_meta.json"):
            open(os.environ["FAULT_MARKER"], "w").close()
            time.sleep(600)  # the test kills the run here

    objectstore.atomic_write = atomic_write


def slow_export_append() -> None:
    from commerce_platform.ports import iceberg_table

    real = iceberg_table.Replacement.append

    def append(self, batch):
        real(self, batch)
        time.sleep(PAUSE)

    iceberg_table.Replacement.append = append


if __name__ == "__main__":
    stage, argv = sys.argv[1], sys.argv[2:]
    {"learning-state": slow_learning_state, "export-append": slow_export_append,
     "learnings-sidecar": stop_after_learnings_sidecar}[stage]()
    from commerce_platform.cli import main

    sys.exit(main(argv))
