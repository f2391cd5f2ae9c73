"""The copilot HTTP app over a real loopback socket (uvicorn in a thread), and its Lambda handler."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from tests import fixtures_copilot as fx
from tests.conftest import free_port, load_event

pytestmark = pytest.mark.e2e

AS_OF = fx.AS_OF
retail_lake, copilot_settings = fx.retail_lake, fx.copilot_settings


KEYS = {"anna": "s3cret", "bob": "b0b-key", "carol": "car0l-key"}


@pytest.fixture
def app(copilot_settings):
    from pydantic import SecretStr

    from commerce_platform.api.copilot_app import create_app

    # three callers: anna and carol review (may approve shared examples), bob does not
    settings = copilot_settings.with_values(**{
        "api_keys": SecretStr(",".join(f"{name}={key}" for name, key in KEYS.items())), "reviewers": "anna,carol"})
    return create_app(settings)


@pytest.fixture
def server(app):
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started:
        if time.time() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture
def client(server):
    import httpx

    with httpx.Client(base_url=server, headers={"X-Api-Key": "s3cret"}, timeout=20) as c:
        yield c


def test_health_is_public(server):
    import httpx

    r = httpx.get(f"{server}/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and "6 tables" in r.json()["checks"]["lake"]


def test_api_key_required(server):
    import httpx

    r = httpx.post(f"{server}/copilot/chat", json={"question": "how many orders"})
    assert r.status_code == 401 and r.json()["error"] == "Unauthorized"


def test_chat_followup_conversations_and_approve(client):
    r = client.post("/copilot/chat", json={"question": "revenue by month for 2025", "user_id": "anna",
                                           "as_of": AS_OF})
    assert r.status_code == 200, r.text
    first = r.json()
    assert {"question", "sql", "columns", "rows", "answer", "provider", "query_type", "conversation_id"} <= set(first)
    assert len(first["rows"]) == 12
    r = client.post("/copilot/chat", json={"question": "only web orders", "conversation_id": first["conversation_id"],
                                           "user_id": "anna", "as_of": AS_OF})
    assert r.status_code == 200 and "o.channel = 'web'" in r.json()["sql"]
    listed = client.get("/copilot/conversations", params={"user_id": "anna"}).json()
    assert listed["conversations"][0]["conversation_id"] == first["conversation_id"]
    conv = client.get(f"/copilot/conversations/{first['conversation_id']}").json()
    assert [t["turn"] for t in conv["turns"]] == [1, 2]
    r = client.post(f"/copilot/conversations/{first['conversation_id']}/approve", json={"turn": 1})
    assert r.status_code == 200 and r.json()["approved"] is True


def test_inventory_route(client):
    body = client.get("/copilot/inventory").json()
    assert body["count"] > 0 and {"product_id", "name", "stock", "reorder_level"} <= set(body["low_stock"][0])


@pytest.mark.parametrize("body, status, field", [
    ({"question": ""}, 422, "question"),
    ({"question": "x" * 501}, 422, "question"),
    ({}, 422, "question"),
    ({"question": "orders", "as_of": "yesterday"}, 422, "as_of"),
    ({"question": "orders", "conversation_id": "../etc"}, 422, "conversation_id"),
])
def test_bad_chat_bodies(client, body, status, field):
    r = client.post("/copilot/chat", json=body)
    assert r.status_code == status and r.json()["field"] == field


@pytest.mark.parametrize("question, status, kind", [
    ("what is the weather tomorrow", 422, "NotUnderstood"),
    ("status of order 99999", 404, "NotFound"),
])
def test_failures_use_the_error_shape(client, question, status, kind):
    r = client.post("/copilot/chat", json={"question": question, "as_of": AS_OF})
    assert r.status_code == status and r.json()["error"] == kind and r.json()["message"]


def test_unknown_conversation_404(client):
    r = client.get("/copilot/conversations/doesnotexist")
    assert r.status_code == 404 and r.json()["error"] == "NotFound"
    assert client.get("/copilot/conversations", params={"user_id": ""}).status_code == 422
    assert client.get("/copilot/conversations").json() == {"user_id": "anna", "conversations": []}


def test_callers_see_and_change_only_their_own_conversations(server, app):
    """Identity comes from the key, never from a body or query: bob cannot list, read, continue or
    approve anna's conversation, and a refused approval leaves the shared examples untouched."""
    import httpx

    def as_(name):
        return httpx.Client(base_url=server, headers={"X-Api-Key": KEYS[name]}, timeout=20)

    with as_("anna") as anna, as_("bob") as bob, as_("carol") as carol:
        first = anna.post("/copilot/chat", json={"question": "revenue by month for 2025", "as_of": AS_OF}).json()
        cid = first["conversation_id"]
        assert anna.get("/copilot/conversations").json()["conversations"][0]["conversation_id"] == cid
        assert anna.get(f"/copilot/conversations/{cid}").json()["user_id"] == "anna"

        assert bob.get("/copilot/conversations").json() == {"user_id": "bob", "conversations": []}
        r = bob.get("/copilot/conversations", params={"user_id": "anna"})
        assert r.status_code == 403 and r.json()["error"] == "Forbidden" and r.json()["field"] == "user_id"
        r = bob.get(f"/copilot/conversations/{cid}")
        assert r.status_code == 404 and "anna" not in r.text  # not even its existence is disclosed
        r = bob.post("/copilot/chat", json={"question": "how many orders", "user_id": "anna", "as_of": AS_OF})
        assert r.status_code == 403 and r.json()["field"] == "user_id"
        r = bob.post("/copilot/chat", json={"question": "only web orders", "conversation_id": cid, "as_of": AS_OF})
        assert r.status_code == 404
        assert bob.post(f"/copilot/conversations/{cid}/approve", json={"turn": 1}).status_code == 403  # no role
        r = carol.post(f"/copilot/conversations/{cid}/approve", json={"turn": 1})  # a reviewer, not the owner
        assert r.status_code == 404
        assert app.state.copilot.store.examples_list() == []
        assert [t["turn"] for t in anna.get(f"/copilot/conversations/{cid}").json()["turns"]] == [1]

        mine = bob.post("/copilot/chat", json={"question": "how many orders last month", "as_of": AS_OF}).json()
        r = bob.post(f"/copilot/conversations/{mine['conversation_id']}/approve", json={"turn": 1})
        assert r.status_code == 403 and r.json()["field"] == "approved"  # own turn, but not a reviewer
        assert app.state.copilot.store.examples_list() == []
        assert anna.post(f"/copilot/conversations/{cid}/approve", json={"turn": 1}).json()["approved"] is True
        assert [e["source"] for e in app.state.copilot.store.examples_list()] == [f"{cid}#1"]
    assert httpx.get(f"{server}/copilot/conversations", headers={"X-Api-Key": "wrong"}).status_code == 401


# ------------------------------------------------------------------ Lambda

@pytest.fixture
def lambda_handler(copilot_settings, monkeypatch):
    from commerce_platform.api import copilot_lambda

    monkeypatch.setenv("COMMERCE_HOME", str(copilot_settings.paths.root))
    monkeypatch.setattr(copilot_lambda, "_app", None)
    yield copilot_lambda.handler
    copilot_lambda._app = None


def test_lambda_seed_test_payload(lambda_handler):
    res = lambda_handler(load_event("copilot_seed_inventory.json"), None)
    assert res["statusCode"] == 200
    assert json.loads(res["body"])["count"] > 0


def _as(event: dict, sub: str, groups: str | None = None) -> dict:
    """The event as the API Gateway JWT authorizer passes it for another caller (v2 or v1 shape)."""
    event = json.loads(json.dumps(event))
    authorizer = event["requestContext"]["authorizer"]
    claims = authorizer["jwt"]["claims"] if "jwt" in authorizer else authorizer["claims"]
    claims["sub"] = sub
    claims.pop("cognito:groups", None)
    if groups:
        claims["cognito:groups"] = groups
    return event


def test_lambda_api_gateway_v2_chat_then_v1_listing(lambda_handler):
    """The principal is the JWT ``sub`` of the authorizer (HTTP API v2 and REST v1 events)."""
    res = lambda_handler(load_event("copilot_chat_v2.json"), None)
    assert res["statusCode"] == 200, res
    body = json.loads(res["body"])
    assert body["provider"] == "offline" and body["rows"][0][0] > 0
    cid = body["conversation_id"]
    res = lambda_handler(load_event("copilot_conversations_v1.json"), None)
    assert res["statusCode"] == 200
    assert json.loads(res["body"])["conversations"][0]["conversation_id"] == cid


def test_lambda_jwt_caller_sees_only_own_conversations(lambda_handler):
    chat = load_event("copilot_chat_v2.json")
    cid = json.loads(lambda_handler(chat, None)["body"])["conversation_id"]
    other = _as(load_event("copilot_conversations_v1.json"), "someone-else")
    res = lambda_handler(other, None)  # asks for lambda-user's list with its own token
    assert res["statusCode"] == 403 and json.loads(res["body"])["field"] == "user_id"
    other["queryStringParameters"] = other["multiValueQueryStringParameters"] = None
    assert json.loads(lambda_handler(other, None)["body"]) == {"user_id": "someone-else", "conversations": []}

    def approve(event_sub, groups):
        event = _as(chat, event_sub, groups)
        event.update(rawPath=f"/copilot/conversations/{cid}/approve", body=json.dumps({"turn": 1}),
                     routeKey="POST /copilot/conversations/{id}/approve")
        event["requestContext"]["http"]["path"] = event["rawPath"]
        return lambda_handler(event, None)

    assert approve("someone-else", "[copilot-reviewers]")["statusCode"] == 404  # a reviewer, not the owner
    assert approve("lambda-user", "[support-agents]")["statusCode"] == 403  # the owner, not a reviewer
    res = approve("lambda-user", "[support-agents copilot-reviewers]")
    assert res["statusCode"] == 200 and json.loads(res["body"])["approved"] is True


def test_lambda_on_aws_refuses_a_call_without_authorizer_claims(lambda_handler, monkeypatch):
    monkeypatch.setenv("COMMERCE_PROFILE", "aws")
    event = load_event("copilot_chat_v2.json")
    del event["requestContext"]["authorizer"]
    res = lambda_handler(event, None)
    assert res["statusCode"] == 401 and json.loads(res["body"])["error"] == "Unauthorized"


# ------------------------------------------------------------------ CLI as a subprocess

def test_cli_demo_then_ask_and_check_sql(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    home = str(tmp_path / "home")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "commerce_platform", "--home", home, *args],
                              capture_output=True, text=True, env=env, timeout=120)

    built = run("demo", "--only", "retail", "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["built"]["retail"]["order_items"] > 9000
    asked = run("copilot", "ask", "who are our top 10 customers", "--as-of", AS_OF, "--json")
    assert asked.returncode == 0, asked.stderr
    doc = json.loads(asked.stdout)
    assert {"question", "sql", "columns", "rows", "answer", "provider"} <= set(doc) and len(doc["rows"]) == 10
    refused = run("copilot", "check-sql", "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d")
    assert refused.returncode == 3 and "DELETE" in refused.stderr and refused.stdout == ""
    unknown = run("copilot", "ask", "status of order 424242", "--as-of", AS_OF)
    assert unknown.returncode == 4 and "424242" in unknown.stderr


def test_health_is_503_without_a_lake(tmp_path, monkeypatch):
    """No lake means no answer to any question: monitors must see it, and the body says why."""
    from fastapi.testclient import TestClient

    from commerce_platform.api.copilot_app import create_app
    from commerce_platform.config import load_settings

    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)
    with TestClient(create_app(load_settings(tmp_path / "home"))) as c:
        r = c.get("/health")
    assert r.status_code == 503 and r.json()["status"] == "degraded"
    assert r.json()["checks"]["lake"].startswith("unavailable")
