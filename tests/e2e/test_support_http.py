"""The support HTTP app over a real loopback socket (uvicorn in a thread), and the CLI as a subprocess."""

import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from commerce_platform import wiring
from commerce_platform.config import load_settings
from tests.conftest import free_port
from tests.fixtures_support import DOCS, put_docs

pytestmark = pytest.mark.e2e


@contextmanager
def serve(settings):
    import uvicorn

    from commerce_platform.api.support_app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture
def kb_settings(settings):
    put_docs(settings)
    wiring.knowledge_base(settings).sync()
    return settings


def test_ticket_flow_over_socket(kb_settings):
    with serve(kb_settings) as base, httpx.Client(base_url=base, timeout=10) as http:
        health = http.get("/health").json()
        assert health["status"] == "ok" and health["checks"]["kb_chunks"] == 3
        r = http.post("/tickets", json={"customer_id": 42, "subject": "Return", "body": "Can I send back an unused "
                                        "valve I bought two weeks ago?", "channel": "web"})
        assert r.status_code == 201, r.text
        t = r.json()
        assert set(t) >= {"ticket_id", "status", "customer_context", "suggestions"}
        assert t["customer_context"]["status"] == "unknown" and t["customer_context"]["customer_id"] == "42"
        assert t["suggestions"][0]["source"] == "returns/returns.md"
        assert all(set(s) >= {"source", "text", "score"} for s in t["suggestions"])
        ctx = http.get(f"/tickets/{t['ticket_id']}/context")
        assert ctx.status_code == 200 and ctx.json()["suggestions"] == t["suggestions"]
        fb = http.post(f"/tickets/{t['ticket_id']}/feedback",
                       json={"suggestion_id": t["suggestions"][0]["id"], "helpful": True})
        assert fb.status_code == 200 and fb.json()["stored"] is True
        bad_fb = http.post(f"/tickets/{t['ticket_id']}/feedback", json={"suggestion_id": "nope", "helpful": False})
        assert bad_fb.status_code == 422 and bad_fb.json()["field"] == "suggestion_id"
        missing = http.get("/tickets/T-000000000000/context")
        assert missing.status_code == 404 and missing.json()["error"] == "NotFound"
        sync = http.post("/kb/sync")
        assert sync.status_code == 200 and sync.json()["unchanged"] == len(DOCS)


@pytest.mark.parametrize("body,status,field", [
    (b"{not json", 422, None),
    (json.dumps({"subject": "x", "body": "y"}).encode(), 422, "customer_id"),
    (json.dumps({"customer_id": "C1", "subject": "  ", "body": "y"}).encode(), 422, "subject"),
    (json.dumps({"customer_id": "C1", "subject": "s", "body": "y", "channel": "fax"}).encode(), 422, "channel"),
    (json.dumps({"customer_id": "C1", "subject": "s", "body": "y" * 25_000}).encode(), 422, "body"),
    (json.dumps({"customer_id": "C1", "subject": "s", "body": "y" * 300_000}).encode(), 413, None),
])
def test_bad_tickets_get_clear_4xx_and_nothing_is_stored(kb_settings, body, status, field):
    from commerce_platform import factory
    from commerce_platform.support.customers import TICKETS

    with serve(kb_settings) as base, httpx.Client(base_url=base, timeout=10) as http:
        r = http.post("/tickets", content=body, headers={"content-type": "application/json"})
        assert r.status_code == status, r.text
        doc = r.json()
        assert doc["message"]
        if field:
            assert doc["field"] == field
    assert list(factory.kv_table(kb_settings, TICKETS).scan()) == []


def test_api_key_required_except_health(kb_settings):
    keyed = load_settings(kb_settings.home, api_key="s3cret")
    with serve(keyed) as base, httpx.Client(base_url=base, timeout=10) as http:
        assert http.get("/health").status_code == 200
        payload = {"customer_id": "C1", "subject": "s", "body": "b"}
        assert http.post("/tickets", json=payload).status_code == 401
        assert http.post("/tickets", json=payload, headers={"X-Api-Key": "s3cret"}).status_code == 201


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    return subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_kb_sync_and_search(tmp_path):
    docs = tmp_path / "docs"
    for key, text in DOCS.items():
        (docs / key).parent.mkdir(parents=True, exist_ok=True)
        (docs / key).write_text(text)
    home = tmp_path / "home"
    home.mkdir()  # a named home must exist (only `commerce demo` creates one)
    r = run_cli(home, "kb", "sync", "--docs", str(docs), "--json")
    assert r.returncode == 0, r.stderr
    assert sorted(json.loads(r.stdout)["added"]) == sorted(DOCS)
    assert (home / "objects" / "kb-docs" / "returns" / "returns.md").exists()
    r = run_cli(home, "kb", "search", "what does delivery cost", "-k", "2", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["query"] == "what does delivery cost" and len(doc["results"]) == 2
    assert doc["results"][0]["source"] == "delivery/shipping.md"
    assert set(doc["results"][0]) >= {"source", "text", "score"}
    (docs / "warranty" / "pumps.txt").unlink()
    assert run_cli(home, "kb", "sync", "--docs", str(docs)).returncode == 0  # mirror: deleted in bucket too
    r = run_cli(home, "kb", "search", "pump warranty certified installer", "-k", "5", "--json")
    assert "warranty/pumps.txt" not in [x["source"] for x in json.loads(r.stdout)["results"]]
    r = run_cli(home, "kb", "search", "x", "-k", "0")
    assert r.returncode == 2 and "-k" in r.stderr
    settings = load_settings(home)
    assert [d["source"] for d in wiring.knowledge_base(settings).documents()] == sorted(set(DOCS) - {"warranty/pumps.txt"})


def test_health_and_tickets_answer_503_naming_the_store_that_went_away(kb_settings, pg_url, redis_url):
    """Key-value store + customer database on real PostgreSQL and the cache on real Redis, each
    reached through a proxy that is stopped after start: /health probes reachability (503 naming
    what is down), ticket routes answer 503 naming the store, and nothing is stored half-way."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from tests.fixtures_support import TcpProxy

    pg = make_url(pg_url)
    redis_port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    pg_proxy, redis_proxy = TcpProxy(pg.host, pg.port or 5432), TcpProxy("127.0.0.1", redis_port)
    proxied = pg.set(port=pg_proxy.port).update_query_dict({"connect_timeout": "2"})
    url = proxied.render_as_string(hide_password=False)
    s = load_settings(kb_settings.home, kv_url=url, database_url=url, redis_url=f"redis://127.0.0.1:{redis_proxy.port}/0")
    try:
        with serve(s) as base, httpx.Client(base_url=base, timeout=20) as http:
            health = http.get("/health")
            assert health.status_code == 200, health.text
            assert health.json()["checks"] | {"kb_chunks": 3} == {"kv": "ok", "customer_db": "ok", "cache": "ok",
                                                                  "kb": "ok", "kb_chunks": 3}
            payload = {"customer_id": "C1", "subject": "Return", "body": "Can I return an unused valve?"}
            first = http.post("/tickets", json=payload)
            assert first.status_code == 201, first.text
            ticket_id = first.json()["ticket_id"]

            pg_proxy.stop()
            redis_proxy.stop()
            health = http.get("/health")
            assert health.status_code == 503
            doc = health.json()
            assert doc["status"] == "degraded" and set(doc["down"]) == {"kv", "customer_db", "cache"}
            assert doc["checks"]["kv"].startswith("down") and doc["checks"]["kb"] == "ok"
            for r in (http.post("/tickets", json=payload), http.get(f"/tickets/{ticket_id}/context"),
                      http.post(f"/tickets/{ticket_id}/feedback", json={"suggestion_id": "x", "helpful": True})):
                assert r.status_code == 503, r.text
                assert r.json()["error"] == "ServiceUnavailable" and "key-value store" in r.json()["message"]
            for text in (health.text, r.text):  # no path of the server's disk in a public answer
                assert str(kb_settings.paths.root) not in text and "/tmp" not in text
    finally:
        pg_proxy.stop()
        redis_proxy.stop()
    direct = sa.create_engine(pg_url)
    try:
        with direct.connect() as conn:
            rows = conn.execute(sa.text("SELECT table_name, COUNT(*) FROM kv_items GROUP BY table_name")).all()
    finally:
        direct.dispose()
    # only the ticket made before (and its time-index item)
    assert dict(rows) == {"support_tickets": 1, "support_tickets_by_time": 1, "support_interactions": 1}
