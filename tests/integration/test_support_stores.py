"""CustomerService on real PostgreSQL (customer DB and key-value interactions) and with Redis as the
shared cache; the Bedrock Knowledge Base adapter's requests with botocore's Stubber."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from commerce_platform import wiring
from commerce_platform.config import load_settings
from commerce_platform.ports.cache import ContextCache

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


@pytest.fixture
def clean_env(monkeypatch):
    import os

    for key in list(os.environ):
        if key.startswith("COMMERCE_"):
            monkeypatch.delenv(key)


def seed(svc):
    svc.upsert_customers([{"customer_id": "C7", "name": "Lars Nilsson", "segment": "business",
                           "company": "Nordic Pipe AB", "country": "SE", "created_at": NOW - timedelta(days=900)}])
    svc.add_orders([{"order_id": f"O{i}", "customer_id": "C7", "order_date": NOW - timedelta(days=100 + 20 * i),
                     "status": "delivered", "total_amount": 100.0 * (i + 1), "currency": "EUR"} for i in range(7)])


def test_customer_service_on_postgres(pg_url, tmp_path, clean_env):
    import sqlalchemy as sa

    s = load_settings(tmp_path / "home", database_url=pg_url, kv_url=pg_url)
    svc = wiring.customer_service(s)
    seed(svc)
    with sa.create_engine(pg_url).connect() as conn:  # the tables really are in PostgreSQL
        assert conn.execute(sa.text("select count(*) from support_orders")).scalar() == 7
        assert conn.execute(sa.text("select count(*) from kv_items")).scalar() == 0
    svc.record_interaction("C7", "The valves arrived damaged and I am very disappointed.", channel="email")
    ctx = svc.get_context("C7")
    assert ctx["status"] == "known" and ctx["profile"]["company"] == "Nordic Pipe AB"
    assert [o["order_id"] for o in ctx["recent_orders"]] == ["O0", "O1", "O2", "O3", "O4"]  # newest first, 5
    assert ctx["sentiment"]["mean"] < 0 and ctx["churn_risk"]["components"]["recency"] == 0.6
    assert ctx["churn_risk"]["level"] in ("medium", "high")
    assert svc.get_context("C7")["cached"] is True
    assert svc.get_context("nobody")["status"] == "unknown"
    with sa.create_engine(pg_url).connect() as conn:
        assert conn.execute(sa.text("select count(*) from kv_items where table_name='support_interactions'")).scalar() == 1


def test_redis_shared_cache_hits_and_cross_process_invalidation(redis_url, tmp_path, clean_env):
    s = load_settings(tmp_path / "home", redis_url=redis_url)
    ns = f"test:{uuid.uuid4().hex}:"
    a = wiring.customer_service(s, cache=ContextCache.from_settings(s, namespace=ns))
    b = wiring.customer_service(s, cache=ContextCache.from_settings(s, namespace=ns))  # "another process"
    seed(a)
    assert a.get_context("C7")["cached"] is False
    assert b.get_context("C7")["cached"] is True and b.cache.stats["redis_hits"] == 1  # served from Redis
    assert b.get_context("C7")["cached"] is True and b.cache.stats["redis_hits"] == 1  # now from b's LRU
    a.record_interaction("C7", "Thanks, great service!", channel="chat")  # invalidates everywhere
    ctx = b.get_context("C7")
    assert ctx["cached"] is False and ctx["recent_interactions"][0]["summary"] == "Thanks, great service!"
    client = a.cache.redis
    assert client.ttl(ns + "C7") > 0  # shared entries expire with the cache TTL
    client.delete(*client.keys(ns + "*"))


def test_redis_outage_degrades_to_no_cache(tmp_path, clean_env):
    s = load_settings(tmp_path / "home", redis_url="redis://127.0.0.1:1/0")
    svc = wiring.customer_service(s)
    seed(svc)
    assert svc.get_context("C7")["status"] == "known"
    assert svc.get_context("C7")["cached"] is False  # nothing cached while Redis is down, but no error


def test_bedrock_kb_adapter_requests(aws_credentials):
    import boto3
    from botocore.stub import Stubber

    from commerce_platform.ports.bedrock_kb import BedrockKnowledgeBase

    runtime = boto3.client("bedrock-agent-runtime", region_name="eu-north-1")
    agent = boto3.client("bedrock-agent", region_name="eu-north-1")
    kb = BedrockKnowledgeBase("KB12345678", "DS12345678", runtime_client=runtime, agent_client=agent)
    with Stubber(runtime) as rs, Stubber(agent) as ag:
        rs.add_response("retrieve", {"retrievalResults": [{
            "content": {"text": "Consumers may return products within 30 days."},
            "location": {"type": "S3", "s3Location": {"uri": "s3://kb-docs/returns/returns-policy.md"}},
            "score": 0.82, "metadata": {"category": "returns", "x-amz-bedrock-kb-chunk-id": "c-1"}}]},
            {"knowledgeBaseId": "KB12345678", "retrievalQuery": {"text": "can I return a valve"},
             "retrievalConfiguration": {"vectorSearchConfiguration": {
                 "numberOfResults": 3, "overrideSearchType": "HYBRID",
                 "filter": {"equals": {"key": "category", "value": "returns"}}}}})
        results = kb.search("can I return a valve", k=3, filters={"category": "returns"})
        assert results[0].source == "returns/returns-policy.md" and results[0].score == 0.82
        assert results[0].id == "c-1" and results[0].category == "returns"
        ag.add_response("start_ingestion_job", {"ingestionJob": {
            "knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "ingestionJobId": "JOB1",
            "status": "STARTING", "startedAt": NOW, "updatedAt": NOW}},
            {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS12345678", "description": "commerce kb sync"})
        report = kb.sync()
        assert (report.backend, report.ingestion_job_id) == ("bedrock", "JOB1")
        rs.add_client_error("retrieve", "ThrottlingException", "slow down")
        from commerce_platform.errors import UpstreamError

        with pytest.raises(UpstreamError):
            kb.search("anything")
        rs.assert_no_pending_responses()
