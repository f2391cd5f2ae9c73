"""Tutor persistence on real PostgreSQL, exercise cache on real Redis, and what happens when
either is down (degraded health, 503 with a clear message, nothing half-written)."""

import pytest
import sqlalchemy as sa

from commerce_platform import wiring
from commerce_platform.config import load_settings
from commerce_platform.errors import ServiceUnavailable

try:
    from tests.conftest import free_port
    from tests.fixtures_tutor import build_kb
except ImportError:
    from conftest import free_port
    from fixtures_tutor import build_kb

pytestmark = pytest.mark.integration


def _settings(settings, **overrides):
    return load_settings(settings.home, **overrides)


def test_persistence_on_postgres(settings, pg_url):
    s = _settings(settings, database_url=pg_url)
    build_kb(s)
    svc = wiring.tutor_service(s)
    ex_ids = [e["exercise_id"] for e in svc.generate("warranty", "hard", 3)["exercises"]]
    answer = svc.exercise(ex_ids[0]).answer
    assert svc.evaluate(ex_ids[0], answer, learner_id="pg-learner")["correct"] is True
    svc.evaluate(ex_ids[0], "no idea at all about pizza", learner_id="pg-learner")

    fresh = wiring.tutor_service(s)  # new process-local cache: must read from PostgreSQL
    assert fresh.cache.get(f"ex:{ex_ids[0]}") is None
    assert fresh.exercise(ex_ids[0]).answer == answer
    rows = fresh.store.attempts_for(ex_ids[0])
    assert [r["correct"] for r in rows] == [True, False]
    mastery = fresh.mastery("pg-learner")["concepts"]
    assert mastery[0]["attempts"] == 2 and mastery[0]["correct"] == 1
    eng = sa.create_engine(pg_url)
    with eng.connect() as conn:
        assert conn.dialect.name == "postgresql"
        tables = set(sa.inspect(conn).get_table_names())
        n = conn.execute(sa.text("select count(*) from tutor_exercises")).scalar_one()
    eng.dispose()
    assert {"tutor_exercises", "tutor_attempts", "tutor_mastery"} <= tables and n == 3
    # generating the same exercises again stores no duplicates (ids are content hashes)
    fresh.generate("warranty", "hard", 3)
    assert fresh.store.count_exercises() == 3


def test_cache_on_redis(settings, redis_url):
    import redis

    s = _settings(settings, redis_url=redis_url, cache_ttl_seconds=120)
    build_kb(s)
    svc = wiring.tutor_service(s)
    assert svc.cache.backend == "redis"
    out = svc.generate("shipping and delivery", "medium", 2)
    client = redis.Redis.from_url(redis_url)
    keys = [f"tutor:ex:{e['exercise_id']}" for e in out["exercises"]]
    try:
        for key in keys:
            assert client.exists(key) and 0 < client.ttl(key) <= 120
        other = wiring.tutor_service(s)  # another instance (another Lambda) shares the cache
        again = other.generate("shipping and delivery", "medium", 2)
        assert again["cached"] is True and again["exercises"] == out["exercises"]
        assert other.exercise(out["exercises"][0]["exercise_id"]).exercise_id == out["exercises"][0]["exercise_id"]
        assert other.health()["components"]["cache"] == {"status": "ok", "backend": "redis"}
    finally:
        client.delete(*keys)
        client.close()


def test_redis_down_degrades_health_and_fails_requests_cleanly(settings):
    s = _settings(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    build_kb(s)
    svc = wiring.tutor_service(s)
    health = svc.health()
    assert health["status"] == "degraded"
    assert health["components"]["cache"]["status"] == "down"
    assert health["components"]["database"]["status"] == "ok"
    with pytest.raises(ServiceUnavailable) as info:
        svc.generate("returns", "easy", 2)
    assert info.value.http_status == 503 and "Redis" in info.value.message
    assert svc.store.count_exercises() == 0


def test_database_down_degrades_health_and_fails_requests_cleanly(settings):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=1"
    s = _settings(settings, database_url=url)
    build_kb(s)
    svc = wiring.tutor_service(s)
    health = svc.health()
    assert health["status"] == "degraded"
    assert health["components"]["database"]["status"] == "down"
    assert health["components"]["database"]["backend"] == "postgresql"
    assert health["components"]["cache"]["status"] == "ok"
    with pytest.raises(ServiceUnavailable) as info:
        svc.generate("returns", "easy", 2)
    assert "database" in info.value.message and "nothing was saved" in info.value.hint
    assert len(svc.cache._data) == 0  # no exercise cached for a request that failed
