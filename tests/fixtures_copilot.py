"""Copilot test fixtures: a scale-1 retail lake built once per session (about 0.3 s)."""

from __future__ import annotations

import os

import pytest

AS_OF = "2026-11-01"


@pytest.fixture(scope="session")
def retail_lake(tmp_path_factory):
    from commerce_platform.demo.retail import build_lake

    lake = tmp_path_factory.mktemp("copilot") / "retail"
    build_lake(lake)
    return lake


@pytest.fixture
def copilot_settings(tmp_path, monkeypatch, retail_lake):
    """Settings on a fresh home whose retail lake is the session lake (copied: cheap, ~1 MB)."""
    import shutil

    for key in list(os.environ):
        if key.startswith("COMMERCE_"):
            monkeypatch.delenv(key, raising=False)
    from commerce_platform.config import load_settings

    s = load_settings(tmp_path / "home")
    shutil.copytree(retail_lake, s.paths.retail_lake)
    return s


@pytest.fixture
def copilot(copilot_settings):
    from commerce_platform import wiring

    return wiring.copilot_service(copilot_settings)
