"""Whole-table reads of the key-value port come a page at a time (SQL: keyset pagination;
DynamoDB: LastEvaluatedKey, under moto), and the newest tickets are read through the tickets'
time index: N items and N gets, never a scan of the tickets table."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from commerce_platform.errors import ValidationFailed
from commerce_platform.ports.kv import DynamoKeyValueTable, SqlKeyValueTable, TableSpec
from commerce_platform.ports.sql import sql_engine
from commerce_platform.ports.ticket_store import INDEXED, TICKETS, TICKETS_BY_TIME, TicketStore

pytestmark = pytest.mark.integration

SPEC = TableSpec("things", "pk", "sk")


class Counting:
    """A key-value table that counts the calls and the items each read returned."""

    def __init__(self, table) -> None:
        self.table, self.spec = table, table.spec
        self.calls: dict[str, int] = {}
        self.items_read = 0

    def __getattr__(self, name):
        method = getattr(self.table, name)

        def call(*args, **kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            out = method(*args, **kwargs)
            if name in ("query", "query_index"):
                self.items_read += len(out)
            elif name == "get":
                self.items_read += out is not None
            elif name in ("pages", "scan"):
                raise AssertionError(f"{name} read the whole table")
            return out
        return call


def _dynamo(moto_server, spec: TableSpec):
    import boto3

    ddb = boto3.resource("dynamodb", endpoint_url=moto_server, region_name="eu-north-1")
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    keys = [spec.hash_key] + ([spec.sort_key] if spec.sort_key else [])
    attrs = keys + ([spec.index_key] if spec.index_key else [])
    kwargs = {}
    if spec.index_key:
        kwargs["GlobalSecondaryIndexes"] = [{"IndexName": spec.index_name, "Projection": {"ProjectionType": "ALL"},
                                             "KeySchema": [{"AttributeName": spec.index_key, "KeyType": "HASH"}]}]
    ddb.create_table(TableName=prefix + spec.name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": k, "KeyType": t} for k, t in zip(keys, ("HASH", "RANGE"))],
                     AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attrs], **kwargs)
    return DynamoKeyValueTable(spec, resource=ddb, prefix=prefix)


@pytest.fixture(params=["sqlite", "postgresql", "dynamodb"])
def make_table(request, tmp_path):
    if request.param in ("sqlite", "postgresql"):
        url = f"sqlite:///{tmp_path}/kv.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
        engine = sql_engine(url)
        return lambda spec: SqlKeyValueTable(engine, spec)
    moto = request.getfixturevalue("moto_server")
    request.getfixturevalue("aws_credentials")
    return lambda spec: _dynamo(moto, spec)


def test_pages_cover_the_table_once_in_bounded_pages(make_table):
    t = make_table(SPEC)
    for i in range(23):
        t.put({"pk": f"p{i % 4}", "sk": f"s{i:02d}", "n": i})
    t.put({"pk": "p9", "sk": "gone"}, ttl_seconds=-5)  # expired: never returned
    pages = list(t.pages(page_size=5))
    assert len(pages) >= 5 and all(1 <= len(p) <= 5 for p in pages)
    assert sorted(i["n"] for p in pages for i in p) == list(range(23))
    assert sorted(i["n"] for i in t.scan()) == list(range(23))
    with pytest.raises(ValidationFailed, match="page size must be at least 1"):
        list(t.pages(page_size=0))


def test_query_reads_the_newest_n_by_sort_key(make_table):
    t = make_table(SPEC)
    for i in range(12):
        t.put({"pk": "a", "sk": f"2026-01-{i + 1:02d}", "n": i})
    t.put({"pk": "a", "sk": "2026-01-99"}, ttl_seconds=-5)  # the newest key, but expired
    t.put({"pk": "b", "sk": "2026-12-31", "n": 99})
    assert [i["n"] for i in t.query("a", descending=True, limit=3)] == [11, 10, 9]
    assert [i["n"] for i in t.query("a")] == list(range(12))


def test_sql_pages_are_keyset_reads_with_a_limit(tmp_path):
    engine = sql_engine(f"sqlite:///{tmp_path}/kv.db")
    t = SqlKeyValueTable(engine, SPEC)
    for i in range(10):
        t.put({"pk": f"p{i}", "sk": "", "n": i})
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda _c, _cur, stmt, *_a: seen.append(stmt))
    pages = t.pages(page_size=4)
    first = next(pages)
    assert [i["n"] for i in first] == [0, 1, 2, 3] and len(seen) == 1  # one page read, not the table
    t.put({"pk": "p0", "sk": "x", "n": 100})  # written behind the cursor: not read again, no repeat
    rest = [i["n"] for p in pages for i in p]
    assert rest == [4, 5, 6, 7, 8, 9]
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3 and all("LIMIT" in s.upper() for s in selects)


def _ticket(n: int) -> dict:
    return {"ticket_id": f"T-{n:04d}", "customer_id": f"C{n % 3}", "subject": f"subject {n}", "status": "open",
            "channel": "email", "body": "long text " * 50, "sentiment": {"label": "negative", "score": -0.4},
            "created_at": f"2026-11-{1 + n // 24:02d}T{n % 24:02d}:00:00+00:00"}


def test_recent_tickets_read_n_items_not_the_table(make_table):
    tickets, by_time = make_table(TICKETS), make_table(TICKETS_BY_TIME)
    store = TicketStore(tickets, by_time)
    for n in range(40):
        store.put(_ticket(n))
    assert store.recent(1)[0]["ticket_id"] == "T-0039"  # builds nothing: the time index is complete
    counted_tickets, counted_index = Counting(tickets), Counting(by_time)
    fresh = TicketStore(counted_tickets, counted_index)
    fresh._indexed = True  # noqa: SLF001 - the marker check is tested below; here only the read
    recent = fresh.recent(5)
    assert [t["ticket_id"] for t in recent] == ["T-0039", "T-0038", "T-0037", "T-0036", "T-0035"]
    assert recent[0] == {"ticket_id": "T-0039", "created_at": "2026-11-02T15:00:00+00:00", "customer_id": "C0",
                         "subject": "subject 39", "channel": "email", "status": "open", "sentiment": "negative"}
    assert counted_index.items_read == 5 and counted_index.calls == {"query": 1}
    assert counted_tickets.calls == {}  # the tickets table is not read at all
    assert [t["ticket_id"] for t in store.for_customer("C1")][:2] == ["T-0001", "T-0004"]


def test_a_ticket_rewritten_through_the_store_shows_its_new_status(make_table):
    store = TicketStore(make_table(TICKETS), make_table(TICKETS_BY_TIME))
    store.put(_ticket(1))
    store.put({**_ticket(1), "status": "closed"})
    assert [(t["ticket_id"], t["status"]) for t in store.recent(5)] == [("T-0001", "closed")]


def test_tickets_stored_before_the_index_are_indexed_once(make_table):
    tickets, by_time = make_table(TICKETS), make_table(TICKETS_BY_TIME)
    for n in range(7):
        tickets.put(_ticket(n))  # written by a version without the time index
    store = TicketStore(tickets, by_time)
    assert [t["ticket_id"] for t in store.recent(3)] == ["T-0006", "T-0005", "T-0004"]
    assert by_time.get(*INDEXED)["tickets"] == 7
    store.put(_ticket(7))
    again = TicketStore(Counting(tickets), by_time)  # another process: the marker says it is done
    assert [t["ticket_id"] for t in again.recent(2)] == ["T-0007", "T-0006"]


def test_deleting_a_ticket_removes_it_from_the_newest(make_table):
    store = TicketStore(make_table(TICKETS), make_table(TICKETS_BY_TIME))
    for n in range(3):
        store.put(_ticket(n))
    store.delete("T-0002")
    assert [t["ticket_id"] for t in store.recent(5)] == ["T-0001", "T-0000"]
    with pytest.raises(ValidationFailed, match="limit must be between 1 and 1000"):
        store.recent(0)
    with pytest.raises(ValidationFailed, match="lacks its created_at"):
        store.put({"ticket_id": "T-9", "customer_id": "C1"})
