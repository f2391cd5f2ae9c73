"""Copilot adapters against real backends: PostgreSQL and DynamoDB (moto) conversation stores,
the Athena adapter's request sequence (moto), Bedrock prompt/response handling (fake chat model)."""

from __future__ import annotations

import json
import time

import pytest

from commerce_platform.errors import ConfigurationError, Refused
from tests import fixtures_copilot as fx

pytestmark = pytest.mark.integration

AS_OF = fx.AS_OF
retail_lake, copilot_settings = fx.retail_lake, fx.copilot_settings


def _exercise_store(svc):
    first = svc.ask("revenue by month for 2025", user_id="anna", as_of=AS_OF)
    second = svc.ask("and in 2024?", conversation_id=first.conversation_id, user_id="anna", as_of=AS_OF)
    assert "2024-01-01" in second.sql and second.turn == 2
    with pytest.raises(Exception):  # noqa: B017 - NotUnderstood; the failed turn is stored
        svc.ask("what about the weather", conversation_id=first.conversation_id, user_id="anna", as_of=AS_OF)
    conv = svc.get_conversation(first.conversation_id)
    assert [(t["turn"], t["status"]) for t in conv["turns"]] == [(1, "ok"), (2, "ok"), (3, "failed")]
    assert all(t["ttl"] > time.time() + 29 * 86400 for t in conv["turns"])
    listed = svc.list_conversations("anna")
    assert [c["conversation_id"] for c in listed] == [first.conversation_id] and listed[0]["turns"] == 3
    svc.approve(first.conversation_id, 1)
    assert [e["sql"] for e in svc.store.examples_list()] == [first.sql]
    assert svc.get_conversation(first.conversation_id)["turns"][0]["approved"] is True


def test_conversations_on_postgresql(copilot_settings, pg_url):
    from commerce_platform import wiring
    from commerce_platform.config import load_settings
    from commerce_platform.ports.kv import SqlKeyValueTable

    s = load_settings(copilot_settings.paths.root, kv_url=pg_url)
    svc = wiring.copilot_service(s)
    _exercise_store(svc)
    assert isinstance(svc.store.table, SqlKeyValueTable) and svc.store.table.engine.dialect.name == "postgresql"


def test_conversations_on_dynamodb(copilot_settings, moto_server):
    import boto3

    from commerce_platform import wiring
    from commerce_platform.copilot.conversations import CONVERSATIONS, EXAMPLES, ConversationStore
    from commerce_platform.ports.kv import DynamoKeyValueTable

    ddb = boto3.resource("dynamodb", endpoint_url=moto_server, region_name="eu-north-1")
    prefix = f"t{int(time.time() * 1000)}-"
    ddb.create_table(
        TableName=prefix + "conversations", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "conversation_id", "AttributeType": "S"},
                              {"AttributeName": "turn_id", "AttributeType": "S"},
                              {"AttributeName": "user_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "conversation_id", "KeyType": "HASH"},
                   {"AttributeName": "turn_id", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "user_id-index",
                                 "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    ddb.create_table(TableName=prefix + "copilot_examples", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "example_id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "example_id", "KeyType": "HASH"}])
    store = ConversationStore(DynamoKeyValueTable(CONVERSATIONS, resource=ddb, prefix=prefix),
                              DynamoKeyValueTable(EXAMPLES, resource=ddb, prefix=prefix), ttl_days=30)
    svc = wiring.copilot_service(copilot_settings, store=store)
    _exercise_store(svc)
    raw = ddb.Table(prefix + "conversations").scan()["Items"]
    assert {"conversation_id", "turn_id", "user_id", "timestamp", "question", "sql_query", "response",
            "query_type", "ttl"} <= set(raw[0])


# ------------------------------------------------------------------ Athena

class Recorder:
    """Wraps a boto3 client and records (operation, kwargs)."""

    def __init__(self, client) -> None:
        self._client = client
        self.calls: list[tuple[str, dict]] = []

    def __getattr__(self, name):
        attr = getattr(self._client, name)
        if not callable(attr) or name.startswith("_") or name in ("meta", "exceptions"):
            return attr

        def call(**kwargs):
            self.calls.append((name, kwargs))
            return attr(**kwargs)
        return call


def _athena(moto_server, workgroup: str, cutoff: int | None):
    import boto3

    client = boto3.client("athena", endpoint_url=moto_server, region_name="eu-north-1")
    config = {"ResultConfiguration": {"OutputLocation": "s3://athena-results/"}}
    if cutoff:
        config["BytesScannedCutoffPerQuery"] = cutoff
    client.create_work_group(Name=workgroup, Configuration=config)
    return client


def _canned(moto_server, header: list[tuple[str, str]], rows: list[list[str]]):
    import httpx

    data = [{"Data": [{"VarCharValue": h} for h, _ in header]}] + [
        {"Data": [{"VarCharValue": v} for v in r]} for r in rows]
    info = [{"Name": h, "Label": h, "Type": t, "CatalogName": "hive", "SchemaName": "", "TableName": "",
             "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": False} for h, t in header]
    r = httpx.post(f"{moto_server}/moto-api/static/athena/query-results",
                   json={"account_id": "123456789012", "region": "eu-north-1",
                         "results": [{"rows": data, "column_info": info}]})
    assert r.status_code == 201


def test_athena_request_sequence(moto_server):
    from commerce_platform.copilot.guard import check_sql
    from commerce_platform.ports.query_engine import AthenaEngine

    wg = f"copilot-{int(time.time() * 1000)}"
    client = Recorder(_athena(moto_server, wg, cutoff=10 * 1024 ** 3))
    _canned(moto_server, [("status", "varchar"), ("n", "bigint"), ("revenue", "double")],
            [["paid", "3", "10.5"], ["pending", "2", "4.25"]])
    engine = AthenaEngine(workgroup=wg, database="retail", client=client, sleep=lambda s: None)
    sql = check_sql("SELECT status, COUNT(*) AS n, SUM(total_amount) AS revenue FROM orders "
                    "WHERE order_date >= DATE '2026-01-01' GROUP BY status").sql
    res = engine.execute(sql)
    names = [c[0] for c in client.calls]
    assert names[:3] == ["get_work_group", "start_query_execution", "get_query_execution"]
    assert names[-1] == "get_query_results"
    start = client.calls[1][1]
    assert start["WorkGroup"] == wg and start["QueryExecutionContext"] == {"Database": "retail"}
    assert "LIMIT 1000" in start["QueryString"] and "CAST('2026-01-01' AS DATE)" in start["QueryString"]
    assert 'FROM "retail"."orders"' in start["QueryString"]  # qualified with the lake database
    assert client.calls[-1][1]["MaxResults"] == 1000
    assert res.columns == ["status", "n", "revenue"]
    assert res.rows == [["paid", 3, 10.5], ["pending", 2, 4.25]]  # header row dropped, values typed
    assert res.engine == "athena" and res.stats["query_execution_id"]
    engine.execute(sql)  # the workgroup is checked once per engine
    assert [c[0] for c in client.calls].count("get_work_group") == 1


def test_athena_refuses_a_workgroup_without_scan_limit(moto_server):
    from commerce_platform.ports.query_engine import AthenaEngine

    wg = f"nolimit-{int(time.time() * 1000)}"
    engine = AthenaEngine(workgroup=wg, database="retail", client=_athena(moto_server, wg, cutoff=None))
    with pytest.raises(ConfigurationError) as info:
        engine.execute("SELECT 1 FROM orders LIMIT 1")
    assert "BytesScannedCutoffPerQuery" in info.value.hint


def test_athena_transpiles_duckdb_to_trino():
    from commerce_platform.ports.query_engine import AthenaEngine

    trino = AthenaEngine.to_trino("SELECT date_diff('day', shipped_at, delivered_at), strftime(order_date, '%Y-%m') "
                                  "FROM shipments JOIN orders USING (order_id) LIMIT 5")
    assert "DATE_DIFF('DAY'" in trino.upper() and "DATE_FORMAT" in trino.upper()


def test_athena_qualifies_every_lake_table_with_the_database():
    from commerce_platform.copilot.guard import check_sql
    from commerce_platform.ports.query_engine import AthenaEngine

    fake = FakeAthena()
    started: list[dict] = []
    fake.start_query_execution = lambda **kw: started.append(kw) or {"QueryExecutionId": "q1"}
    sql = check_sql("WITH o AS (SELECT * FROM orders WHERE status = 'paid') SELECT c.name, count(*) AS n "
                    "FROM o JOIN customers c USING (customer_id) WHERE EXISTS (SELECT 1 FROM shipments s "
                    "WHERE s.order_id = o.order_id) GROUP BY c.name").sql
    AthenaEngine(workgroup="w", database="retail_lake", client=fake, sleep=lambda s: None).execute(sql)
    query = started[0]["QueryString"]
    for table in ("orders", "customers", "shipments"):
        assert f'"retail_lake"."{table}"' in query
    assert "FROM o JOIN" in query  # the CTE reference stays bare: it is no table of the database
    assert AthenaEngine.to_trino("SELECT 1 FROM orders") == "SELECT 1 FROM orders"  # no database: unchanged


class FakeAthena:
    """Polling and paging behaviour without a server: RUNNING twice, then three pages."""

    def __init__(self) -> None:
        self.polls = 0
        self.pages = [
            {"ResultSet": {"ResultSetMetadata": {"ColumnInfo": [{"Name": "n", "Type": "integer"}]},
                           "Rows": [{"Data": [{"VarCharValue": "n"}]}, {"Data": [{"VarCharValue": "1"}]}]},
             "NextToken": "a"},
            {"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "2"}]}]}, "NextToken": "b"},
            {"ResultSet": {"Rows": [{"Data": [{}]}]}},
        ]
        self.tokens: list[str | None] = []

    def get_work_group(self, WorkGroup):  # noqa: N803 - boto3 argument names
        return {"WorkGroup": {"Configuration": {"BytesScannedCutoffPerQuery": 1}}}

    def start_query_execution(self, **kwargs):
        return {"QueryExecutionId": "q1"}

    def get_query_execution(self, QueryExecutionId):  # noqa: N803
        self.polls += 1
        state = "RUNNING" if self.polls < 3 else "SUCCEEDED"
        return {"QueryExecution": {"Status": {"State": state}, "Statistics": {"DataScannedInBytes": 42}}}

    def get_query_results(self, QueryExecutionId, MaxResults, NextToken=None):  # noqa: N803
        self.tokens.append(NextToken)
        return self.pages[len(self.tokens) - 1]


def test_athena_polls_with_backoff_and_pages():
    from commerce_platform.ports.query_engine import AthenaEngine

    sleeps: list[float] = []
    fake = FakeAthena()
    res = AthenaEngine(workgroup="w", database="d", client=fake, sleep=sleeps.append,
                       first_poll_seconds=0.1).execute("SELECT 1")
    assert sleeps == [0.1, 0.2] and fake.tokens == [None, "a", "b"]
    assert res.rows == [[1], [2], [None]] and res.stats["data_scanned_bytes"] == 42


# ------------------------------------------------------------------ Bedrock

class FakeChat:
    """A chat model with ChatBedrockConverse's invoke(messages) -> AIMessage shape."""

    def __init__(self, replies: list) -> None:
        self.replies = list(replies)
        self.calls: list[list[tuple[str, str]]] = []

    def invoke(self, messages):
        from langchain_core.messages import AIMessage

        self.calls.append(messages)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return AIMessage(content=reply)


@pytest.fixture
def bedrock_service(copilot_settings):
    from commerce_platform import wiring
    from commerce_platform.ports.llm import BedrockLLM

    def make(replies):
        chat = FakeChat(replies)
        return wiring.copilot_service(copilot_settings, llm=BedrockLLM(chat=chat)), chat
    return make


def test_bedrock_self_corrects_after_an_execution_error(bedrock_service):
    good = "SELECT COUNT(*) AS n FROM orders WHERE status IN ('pending', 'paid')"
    svc, chat = bedrock_service([
        json.dumps({"sql": "SELECT COUNT(*) FROM orders WHERE state = 'open'", "explanation": "x"}),
        [{"type": "text", "text": "```json\n" + json.dumps({"sql": good, "explanation": "open orders"}) + "\n```"}],
        json.dumps({"answer": "There are 84 open orders."}),
    ])
    a = svc.ask("how many open orders are there", user_id="u", as_of=AS_OF)
    assert a.provider == "bedrock" and a.attempts == 2
    assert a.answer == "There are 84 open orders."
    assert a.rows[0][0] > 0 and a.sql.endswith("LIMIT 1000")
    system, first = chat.calls[0]
    assert system[0] == "system" and "read-only" in system[1]
    assert "TABLE orders" in first[1] and "As-of date: 2026-11-01" in first[1]
    assert "open (orders): status pending or paid" in first[1]  # glossary in the prompt
    retry = chat.calls[1][1][1]
    assert "state = 'open'" in retry and "query failed" in retry  # the error went back to the model


def test_bedrock_guard_refusal_is_fed_back_then_offline_fallback(bedrock_service):
    svc, chat = bedrock_service([
        json.dumps({"sql": "DROP TABLE orders"}),
        json.dumps({"sql": "SELECT * FROM read_csv('/etc/passwd')"}),
        "not json at all",
    ])
    a = svc.ask("how many open orders are there", user_id="u", as_of=AS_OF)
    assert a.provider == "offline (llm fallback)" and a.attempts == 3
    assert "o.status IN ('pending', 'paid')" in a.sql
    assert "SQL refused: only read-only queries are allowed, not DROP" in chat.calls[1][1][1]
    assert "read_csv" in chat.calls[2][1][1]


def test_bedrock_prompt_carries_approved_examples_and_history(bedrock_service, copilot_settings):
    from commerce_platform import wiring

    offline = wiring.copilot_service(copilot_settings, llm=None)
    first = offline.ask("who are our top 10 customers", user_id="anna", as_of=AS_OF)
    offline.approve(first.conversation_id, first.turn)
    svc, chat = bedrock_service([json.dumps({"sql": "SELECT COUNT(*) AS n FROM customers"}),
                                 json.dumps({"answer": "ok"})])
    svc.ask("who are the top 5 customers", user_id="anna", as_of=AS_OF)
    prompt = chat.calls[0][1][1]
    assert "Approved examples" in prompt and first.sql in prompt


def test_bedrock_outage_falls_back_to_offline(bedrock_service):
    svc, _ = bedrock_service([RuntimeError("throttled")])
    a = svc.ask("how many customers do we have", user_id="u", as_of=AS_OF)
    assert a.provider == "offline (llm fallback)" and a.rows == [[300]]


def test_model_declining_and_offline_not_understanding_is_a_clear_failure(bedrock_service):
    from commerce_platform.errors import NotUnderstood

    svc, _ = bedrock_service([json.dumps({"sql": None, "explanation": "no payroll data"})])
    with pytest.raises(NotUnderstood):
        svc.ask("show me the payroll", user_id="u", as_of=AS_OF)


def test_refused_is_exit_3():
    assert Refused("x").exit_code == 3
