"""Deterministic demo-data builders, one module per service: ``build(settings, scale) -> dict``."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..cli import module_exists

# Order matters: the tutor reads the knowledge base the support demo syncs.
DEMO_MODULES = ["offers", "retail", "smartgo", "support", "tutor"]


def build_all(settings, scale: float = 1.0, progress: Callable[[str], None] = lambda _m: None,
              only: list[str] | None = None) -> dict:
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
