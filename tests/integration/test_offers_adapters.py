"""Offers adapters against real peers: S3/DynamoDB on moto's server, Lemonsoft on a loopback
HTTP server (500s, timeouts, token expiry), the key-value table on real PostgreSQL, Gemini with a
fake client."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from commerce_platform.errors import NotFound, UpstreamError
from commerce_platform.ports.erp import LemonsoftERP
from commerce_platform.ports.kv import DynamoKeyValueTable, Lock, SqlKeyValueTable, TableSpec
from commerce_platform.ports.llm import GeminiLLM
from commerce_platform.ports.objectstore import S3ObjectStore, list_all

pytestmark = pytest.mark.integration


# ---- S3 and DynamoDB on moto's server --------------------------------------------------------
def test_s3_object_store_on_moto_server(moto_server):
    import boto3

    client = boto3.client("s3", endpoint_url=moto_server, region_name="eu-north-1")
    client.create_bucket(Bucket="real-offers", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    store = S3ObjectStore(client=client, bucket_names={"offer-learning-data": "real-offers"})
    for i in range(7):
        store.put_bytes("offer-learning-data", f"offer-requests/70{i}_20261101_000000.json", b"{}")
    pages = list(store.list_pages("offer-learning-data", "offer-requests/", page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert store.exists("offer-learning-data", "offer-requests/700_20261101_000000.json")
    assert not store.exists("offer-learning-data", "nope.json")
    with pytest.raises(NotFound):
        store.get_bytes("offer-learning-data", "nope.json")
    store.delete("offer-learning-data", "offer-requests/700_20261101_000000.json")
    assert len(list(list_all(store, "offer-learning-data", "offer-requests/"))) == 6


def test_learning_run_on_s3_and_dynamodb(moto_server, settings):
    """The agent end to end with the AWS adapters: requests in S3, locks in DynamoDB."""
    import boto3

    from commerce_platform.demo import build_all
    from commerce_platform.factory import erp as local_erp
    from commerce_platform.ports.objectstore import LocalObjectStore
    from commerce_platform.wiring import run_learning

    build_all(settings, only=["offers"])
    client = boto3.client("s3", endpoint_url=moto_server, region_name="eu-north-1")
    client.create_bucket(Bucket="offers-int", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    s3 = S3ObjectStore(client=client, bucket_names={settings.offers.bucket: "offers-int"})
    local = LocalObjectStore(settings.paths.objects)
    for info in list_all(local, settings.offers.bucket, "offer-requests/"):
        s3.put_bytes(settings.offers.bucket, info.key, local.get_bytes(settings.offers.bucket, info.key))
    ddb = boto3.resource("dynamodb", endpoint_url=moto_server, region_name="eu-north-1")
    ddb.create_table(TableName="it-locks", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}])
    locks = DynamoKeyValueTable(TableSpec("locks", "pk", "sk"), resource=ddb, prefix="it-")
    summary = run_learning(settings, store=s3, erp=local_erp(settings), kv=locks)
    assert summary.successful == 120 and summary.failed == 2
    assert s3.exists(settings.offers.bucket, "learnings/product_swaps.csv")
    # The states written in one concurrent batch, the evidence in its own object beside the sidecar.
    assert len(list(list_all(s3, settings.offers.bucket, "learning-state/"))) == 120
    assert len(list(list_all(s3, settings.offers.bucket, "learnings/evidence/"))) == 1
    assert run_learning(settings, store=s3, erp=local_erp(settings), kv=locks).skipped == 120
    with Lock(locks, "learning-agent"):
        assert not Lock(locks, "learning-agent").acquire()


def test_dynamodb_table_ttl_index_and_conditional_put(moto_server):
    import boto3

    ddb = boto3.resource("dynamodb", endpoint_url=moto_server, region_name="eu-north-1")
    ddb.create_table(
        TableName="it-conversations", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "conversation_id", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("conversation_id", "sk", "user_id")],
        GlobalSecondaryIndexes=[{"IndexName": "user_id-index", "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    t = DynamoKeyValueTable(TableSpec("conversations", "conversation_id", "sk", "user_id"), resource=ddb, prefix="it-")
    t.put({"conversation_id": "c1", "sk": "T1", "user_id": "u1", "score": 0.5})
    t.put({"conversation_id": "c1", "sk": "T2", "user_id": "u1"}, ttl_seconds=-5)
    assert t.get("c1", "T1")["score"] == 0.5
    assert [i["sk"] for i in t.query("c1")] == ["T1"]  # the expired item is invisible
    assert [i["sk"] for i in t.query_index("u1")] == ["T1"]
    assert t.put_if_absent({"conversation_id": "c2", "sk": "X"}) is True
    assert t.put_if_absent({"conversation_id": "c2", "sk": "X"}) is False


# ---- key-value table on real PostgreSQL ------------------------------------------------------
def test_kv_table_on_postgres(pg_url):
    from commerce_platform.factory import sql_engine

    t = SqlKeyValueTable(sql_engine(pg_url), TableSpec("progress", "PK", "SK"))
    t.put({"PK": "EXPORT#2026-11-20", "SK": "METADATA", "status": "RUNNING"}, ttl_seconds=90 * 86400)
    t.put({"PK": "EXPORT#2026-11-20", "SK": "METADATA", "status": "COMPLETE"}, ttl_seconds=90 * 86400)
    item = t.get("EXPORT#2026-11-20", "METADATA")
    assert item["status"] == "COMPLETE" and item["ttl"] > time.time() + 89 * 86400
    with Lock(t, "export-2026-11-20"):
        assert Lock(t, "export-2026-11-20").acquire() is False


# ---- Lemonsoft on a loopback HTTP server ----------------------------------------------------
class FakeLemonsoft(BaseHTTPRequestHandler):
    script: dict = {}

    def log_message(self, *args):
        pass

    def _json(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        s = self.server.state
        length = int(self.headers.get("Content-Length", 0))
        creds = json.loads(self.rfile.read(length))
        s["logins"] += 1
        if creds.get("Password") != "pw":
            return self._json(401, {"error": "bad login"})
        s["token"] = f"tok{s['logins']}"
        self._json(200, {"session_id": s["token"]})

    def do_GET(self):
        s = self.server.state
        s["gets"] += 1
        if self.headers.get("Authorization") != f"Bearer {s['token']}":
            return self._json(401, {"error": "expired"})
        if s["fail"]:
            s["fail"] -= 1
            return self._json(500, {"error": "boom"})
        if s["slow"]:
            time.sleep(s["slow"])
        if self.path == "/api/offers/700123":
            return self._json(200, {"offer_number": 700123, "updated_at": "2026-11-20T10:00:00Z",
                                    "rows": [{"product_code": "A1", "product_name": "X", "quantity": 2, "unit": "kpl",
                                              "price": 1.5, "discount_percent": 0}]})
        self._json(404, {"error": "no such offer"})


@pytest.fixture
def lemonsoft():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLemonsoft)
    server.state = {"logins": 0, "gets": 0, "token": None, "fail": 0, "slow": 0}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def _client(server, **kw):
    kw.setdefault("backoff", 0.01)
    return LemonsoftERP(f"http://127.0.0.1:{server.server_address[1]}", "u", kw.pop("password", "pw"), "db", **kw)


def test_lemonsoft_login_fetch_and_token_refresh(lemonsoft):
    erp = _client(lemonsoft)
    offer = erp.get_offer("700123")
    assert offer.offer_number == "700123" and offer.rows[0].product_code == "A1"
    lemonsoft.state["token"] = "rotated-by-server"  # the session expired server-side
    assert erp.get_offer("700123").rows[0].quantity == 2
    assert lemonsoft.state["logins"] == 2


def test_lemonsoft_retries_500s_then_succeeds(lemonsoft):
    lemonsoft.state["fail"] = 2
    assert _client(lemonsoft, retries=3).get_offer("700123").offer_number == "700123"
    assert lemonsoft.state["gets"] == 3


def test_lemonsoft_retry_waits_are_jittered(lemonsoft, monkeypatch):
    """Exponential waits with random jitter: many nightly clients never retry in lockstep."""
    import tenacity.nap

    def waits() -> list[float]:
        slept: list[float] = []
        monkeypatch.setattr(tenacity.nap.time, "sleep", slept.append)
        lemonsoft.state["fail"] = 3
        _client(lemonsoft, retries=4, backoff=1.0).get_offer("700123")
        monkeypatch.undo()
        return slept

    first, second = waits(), waits()
    assert len(first) == len(second) == 3
    for got in (first, second):  # attempt n waits 2**n s plus up to 1 s of jitter
        assert all(2 ** n <= w <= 2 ** n + 1 for n, w in enumerate(got)), got
    assert first != second


def test_lemonsoft_gives_up_after_retries_and_times_out(lemonsoft):
    lemonsoft.state["fail"] = 10
    with pytest.raises(UpstreamError, match="after 3 tries"):
        _client(lemonsoft, retries=3).get_offer("700123")
    lemonsoft.state["fail"], lemonsoft.state["slow"] = 0, 1.0
    started = time.perf_counter()
    with pytest.raises(UpstreamError):
        _client(lemonsoft, retries=2, timeout=0.2).get_offer("700123")
    assert time.perf_counter() - started < 3


def test_lemonsoft_missing_offer_and_bad_login(lemonsoft):
    with pytest.raises(NotFound):
        _client(lemonsoft).get_offer("1")
    with pytest.raises(UpstreamError, match="rejected the login"):
        _client(lemonsoft, password="wrong").get_offer("700123")


def test_learning_over_lemonsoft_keeps_offers_in_flight_and_learns_the_same(settings):
    from commerce_platform.demo import build_all
    from commerce_platform.demo.lemonsoft_server import LemonsoftStandIn
    from commerce_platform.wiring import run_learning

    build_all(settings, only=["offers"])
    local = run_learning(settings, dry_run=True)
    results = {}
    with LemonsoftStandIn(settings.paths.erp, latency=0.01) as server:
        for concurrency in (1, 8):
            server.reset_counts()
            erp = LemonsoftERP(server.url, "u", "pw", concurrency=concurrency, backoff=0.01)
            results[concurrency] = (run_learning(settings, dry_run=True, erp=erp), server.max_in_flight)
            erp.close()

    def outcome(summary):
        return (summary.successful, summary.failed, summary.total_learnings, summary.new_swaps, summary.new_rules,
                sorted((f["offer_number"], f["reason"]) for f in summary.failures))

    (sequential, seq_in_flight), (concurrent, max_in_flight) = results[1], results[8]
    assert outcome(sequential) == outcome(concurrent) == outcome(local)
    assert outcome(local)[:2] == (120, 2)
    assert seq_in_flight == 1 and 1 < max_in_flight <= 8


# ---- Gemini with a fake client ---------------------------------------------------------------
class FakeModels:
    def __init__(self, text):
        self.text, self.calls = text, []

    def generate_content(self, **kwargs):
        self.calls.append(kwargs)
        return type("Resp", (), {"text": self.text})()


def test_gemini_extractor_sends_schema_prompt_and_validates(settings):
    from commerce_platform.offers.diff import diff_offer
    from commerce_platform.offers.extract import LlmExtractor
    from commerce_platform.offers.models import AiMatchedProduct, ErpOffer, ErpRow, OfferRequest

    answer = json.dumps({"swaps": [{"customer_term": "komposiittiputki 16mm", "product_code": "T16",
                                    "reasoning": "brand preference"}], "rules": []})
    models = FakeModels(answer)
    client = type("Client", (), {"models": models})()
    llm = GeminiLLM(client=client, model="gemini-test")
    req = OfferRequest(offer_number="1", timestamp="t", ai_matched_products=[AiMatchedProduct(
        product_code="O16", product_name="KOMPOSIITTIPUTKI 16MM 5M ONEPIPE", quantity=10, product_group="KOMPOSIITTIPUTKI",
        match_details={"original_customer_term": "komposiittiputki 16mm"})])
    offer = ErpOffer(offer_number="1", rows=[ErpRow(product_code="T16", product_name="KOMPOSIITTIPUTKI 16MM 5M TIGRIS", quantity=10)])
    ex = LlmExtractor(llm).extract(req, offer, diff_offer(req.ai_matched_products, offer.rows, {}), {})
    assert ex.extractor == "llm" and ex.swaps[0].final_code == "T16"
    call = models.calls[0]
    assert call["model"] == "gemini-test"
    assert call["config"]["response_mime_type"] == "application/json"
    assert "swap" in call["config"]["system_instruction"] and "ONEPIPE" in call["contents"]
