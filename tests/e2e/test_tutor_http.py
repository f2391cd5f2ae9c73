"""The tutor HTTP app over a real loopback socket (uvicorn in a thread + httpx), and its Lambda handler."""

import importlib
import json

import httpx
import pytest

from commerce_platform.config import load_settings

try:
    from tests.conftest import free_port, load_event
    from tests.fixtures_tutor import ServerThread, build_kb
except ImportError:
    from conftest import free_port, load_event
    from fixtures_tutor import ServerThread, build_kb

pytestmark = pytest.mark.e2e


def _serve(settings):
    from commerce_platform.api.tutor_app import create_app

    return ServerThread(create_app(settings), free_port())


@pytest.fixture
def server(settings):
    build_kb(settings)
    with _serve(settings) as srv:
        yield srv


def test_generate_evaluate_remediate_over_http(server, settings):
    from commerce_platform import wiring

    with httpx.Client(base_url=server.url, timeout=10) as c:
        r = c.post("/api/exercise/generate", json={"topic": "returns", "difficulty": "hard", "count": 3})
        assert r.status_code == 200, r.text
        exercises = r.json()["exercises"]
        assert len(exercises) == 3
        for e in exercises:
            assert {"exercise_id", "type", "question", "concept", "source"} <= set(e) and "answer" not in e
        numeric = next(e for e in exercises if e["type"] == "numeric")
        # the learner is the caller (an open local app: the one "local" principal), not a body field
        r = c.post("/api/exercise/evaluate", json={"exercise_id": numeric["exercise_id"], "response": "14 days"})
        body = r.json()
        assert r.status_code == 200 and body["correct"] is False and body["score"] == 0
        assert body["misconception"] and body["feedback"]
        r = c.post("/api/exercise/remediate", json={"exercise_id": numeric["exercise_id"], "response": "14 days"})
        rem = r.json()
        assert r.status_code == 200 and rem["source"] == numeric["source"] and "says:" in rem["explanation"]
        follow = rem["follow_up"]
        assert follow["concept"] == numeric["concept"] and follow["difficulty"] == "medium"
        # the follow-up is a real stored exercise that can be answered, and not by copying the explanation
        answer = wiring.tutor_service(settings).store.get_exercise(follow["exercise_id"]).answer
        assert answer.lower() not in rem["explanation"].lower()
        r = c.post("/api/exercise/evaluate", json={"exercise_id": follow["exercise_id"], "response": answer})
        assert r.status_code == 200 and r.json()["correct"] is True
        assert [x["attempts"] for x in c.get("/api/learners/local/mastery").json()["concepts"]] == [2]


@pytest.mark.parametrize("path,payload,status,field", [
    ("/api/exercise/evaluate", {"exercise_id": "ex_nope", "response": "30 days"}, 404, "exercise_id"),
    ("/api/exercise/remediate", {"exercise_id": "ex_nope", "response": "30 days"}, 404, "exercise_id"),
    ("/api/exercise/evaluate", {"exercise_id": "ex_nope", "response": ""}, 422, "response"),
    ("/api/exercise/evaluate", {"exercise_id": "ex_nope", "response": "y" * 5000}, 422, "response"),
    ("/api/exercise/evaluate", {"exercise_id": "ex_nope"}, 422, "response"),
    ("/api/exercise/generate", {"topic": "quantum chromodynamics", "difficulty": "easy"}, 404, "topic"),
    ("/api/exercise/generate", {"topic": "returns", "difficulty": "impossible"}, 422, "difficulty"),
    ("/api/exercise/generate", {"topic": "returns", "difficulty": "easy", "count": 500}, 422, "count"),
    ("/api/exercise/generate", {"topic": "  ", "difficulty": "easy"}, 422, "topic"),
])
def test_bad_input_gets_a_clear_4xx(server, path, payload, status, field):
    r = httpx.post(server.url + path, json=payload, timeout=10)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["field"] == field and body["message"]
    if path.endswith("generate") and status == 404:
        assert "available topics include" in body["message"] and "Returns and refunds" in body["message"]


def test_huge_body_is_refused(server):
    r = httpx.post(server.url + "/api/exercise/evaluate", json={"exercise_id": "x", "response": "z" * 300_000})
    assert r.status_code == 413


def test_health_and_metrics(server):
    with httpx.Client(base_url=server.url, timeout=10) as c:
        health = c.get("/health").json()
        assert health["status"] == "ok" and set(health["components"]) >= {"cache", "workflow", "database"}
        ex = c.post("/api/exercise/generate", json={"topic": "warranty", "difficulty": "easy", "count": 2}).json()
        c.post("/api/exercise/evaluate", json={"exercise_id": ex["exercises"][0]["exercise_id"], "response": "zebra"})
        r = c.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'tutor_requests_total{method="POST",route="/api/exercise/generate",status="200"} 1.0' in text
    assert 'tutor_request_latency_seconds_count{route="/api/exercise/generate"} 1.0' in text
    assert 'tutor_exercises_generated_total{difficulty="easy",generator="offline",type="multiple_choice"}' in text
    assert "tutor_grading_outcomes_total{" in text


def test_metrics_hidden_in_production_and_registries_separate(settings, monkeypatch):
    from commerce_platform.api.tutor_app import create_app

    build_kb(settings)
    dev_app = create_app(settings)
    monkeypatch.setenv("ENVIRONMENT", "production")
    prod = load_settings(settings.home)
    assert prod.is_production
    with ServerThread(create_app(prod), free_port()) as srv:
        assert httpx.get(srv.url + "/metrics").status_code == 404
        assert httpx.get(srv.url + "/health").status_code == 200
    assert dev_app.state.metrics.registry is not create_app(settings).state.metrics.registry


def test_cors_and_api_key(settings):
    build_kb(settings)
    s = load_settings(settings.home, api_key="s3cret", cors_origins=["http://console.local"])
    with ServerThread(__import__("commerce_platform.api.tutor_app", fromlist=["x"]).create_app(s), free_port()) as srv:
        pre = httpx.options(srv.url + "/api/exercise/generate",
                            headers={"Origin": "http://console.local", "Access-Control-Request-Method": "POST"})
        assert pre.headers.get("access-control-allow-origin") == "http://console.local"
        assert httpx.post(srv.url + "/api/exercise/generate", json={"topic": "returns"}).status_code == 401
        ok = httpx.post(srv.url + "/api/exercise/generate", json={"topic": "returns", "difficulty": "easy"},
                        headers={"X-Api-Key": "s3cret"})
        assert ok.status_code == 200
        assert httpx.get(srv.url + "/health").status_code == 200


def test_redis_down_over_http(settings):
    build_kb(settings)
    s = load_settings(settings.home, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with _serve(s) as srv:
        answer = httpx.get(srv.url + "/health", timeout=10)
        health = answer.json()
        assert answer.status_code == 503  # monitors and load balancers see it; the body says why
        assert health["status"] == "degraded" and health["components"]["cache"]["status"] == "down"
        r = httpx.post(srv.url + "/api/exercise/generate", json={"topic": "returns", "difficulty": "easy"}, timeout=10)
        assert r.status_code == 503 and "Redis" in r.json()["message"]


def test_database_down_over_http(settings):
    build_kb(settings)
    s = load_settings(settings.home,
                      database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=1")
    with _serve(s) as srv:
        answer = httpx.get(srv.url + "/health", timeout=10)
        health = answer.json()
        assert answer.status_code == 503
        assert health["status"] == "degraded" and health["components"]["database"]["status"] == "down"
        r = httpx.post(srv.url + "/api/exercise/evaluate", json={"exercise_id": "ex_1", "response": "30"}, timeout=10)
        assert r.status_code == 503 and "database" in r.json()["message"]


def test_lambda_handler(settings, monkeypatch):
    build_kb(settings)
    monkeypatch.setenv("COMMERCE_HOME", str(settings.home))
    import commerce_platform.api.tutor_lambda as mod

    mod = importlib.reload(mod)
    out = mod.handler(load_event("tutor_generate.json"), None)
    assert out["statusCode"] == 200, out
    assert len(json.loads(out["body"])["exercises"]) == 2
    health = mod.handler(load_event("tutor_health.json"), None)
    assert health["statusCode"] == 200 and json.loads(health["body"])["components"]["database"]["status"] == "ok"
