"""Deterministic demo-data builders, one module per service: ``build(settings, scale) -> dict``."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..cli import module_exists

# Order matters: the tutor reads the knowledge base the support demo syncs.
DEMO_MODULES = ["offers", "retail", "smartgo", "support", "tutor"]
# Folders of service data in a home. platform.db alone is no data: opening the console or running a
# job on an empty home creates it (and empty folders), and demo must still build there.
DATA_FOLDERS = ("erp", "objects", "lake", "smartgo")


def holds_data(paths) -> bool:
    """True when any file lies under one of the home's data folders."""
    return any(p.is_file() for name in DATA_FOLDERS for p in (paths.root / name).rglob("*"))


def build_all(settings, scale: float = 1.0, progress: Callable[[str], None] = lambda _m: None,
              only: list[str] | None = None) -> dict:
    unknown = sorted(set(only or ()) - set(DEMO_MODULES))
    if unknown:
        from ..errors import ValidationFailed

        raise ValidationFailed(f"no demo data for {', '.join(unknown)}", field="only",
                               hint=f"choose from {', '.join(DEMO_MODULES)}")
    if not scale > 0:
        from ..errors import ValidationFailed

        raise ValidationFailed(f"scale {scale} is not above 0", field="scale", hint="use e.g. 0.5, 1 or 10")
    summary: dict = {}
    settings.paths.ensure()
    for name in DEMO_MODULES:
        if only and name not in only:
            continue
        module_name = f"{__name__}.{name}"
        if not module_exists(module_name):
            continue
        progress(f"demo: building {name} ...")
        summary[name] = importlib.import_module(module_name).build(settings, scale=scale)
    return summary
