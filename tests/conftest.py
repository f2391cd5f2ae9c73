"""Shared fixtures: a fresh home, real PostgreSQL / Redis, moto server, loopback HTTP servers.

Under CI=true a test that needs PostgreSQL, Redis or Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EVENTS = Path(__file__).parent / "events"


def missing_service(what: str) -> None:
    """Skip locally, fail under CI=true."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} is not available")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings on a fresh, empty home; no COMMERCE_* variables leak in from the environment."""
    for key in list(os.environ):
        if key.startswith("COMMERCE_"):
            monkeypatch.delenv(key, raising=False)
    from commerce_platform.config import load_settings

    return load_settings(tmp_path / "home")


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory):
    """One demo home built once per test session (read-only use: copy it before changing it)."""
    from commerce_platform.config import load_settings
    from commerce_platform.demo import build_all

    home = tmp_path_factory.mktemp("demo") / "home"
    s = load_settings(home)
    build_all(s)
    return home


@pytest.fixture
def demo_settings(demo_home, tmp_path, monkeypatch):
    """A private copy of the demo home, safe to change."""
    import shutil

    for key in list(os.environ):
        if key.startswith("COMMERCE_"):
            monkeypatch.delenv(key, raising=False)
    from commerce_platform.config import load_settings

    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    return load_settings(home)


@pytest.fixture(scope="session")
def postgres_base_url():
    url = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(url)
        with eng.connect() as conn:
            conn.execute(sa.text("select 1"))
        eng.dispose()
    except Exception as exc:  # noqa: BLE001
        missing_service(f"PostgreSQL at {url} ({exc.__class__.__name__})")
    return url


@pytest.fixture
def pg_url(postgres_base_url):
    """A SQLAlchemy URL on real PostgreSQL whose search_path is a fresh schema, dropped afterwards."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    eng = sa.create_engine(postgres_base_url)
    with eng.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_base_url else "?"
    yield f"{postgres_base_url}{sep}options=-csearch_path%3D{schema}"
    from commerce_platform.factory import sql_engine

    sql_engine.cache_clear()
    with eng.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    eng.dispose()


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        missing_service(f"Redis at {url} ({exc.__class__.__name__})")
    return url


@pytest.fixture(scope="session")
def moto_server():
    """moto in server mode on a free loopback port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-north-1"}.items():
        os.environ.setdefault(key, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_credentials(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-north-1"}.items():
        monkeypatch.setenv(key, value)


def load_event(name: str) -> dict:
    import json

    return json.loads((EVENTS / name).read_text())
