"""The key-value table under concurrent writers, on real PostgreSQL and on SQLite: puts are one
atomic upsert, and the conditional operations locks rely on are compare-and-swap."""

from __future__ import annotations

import threading

import pytest

from commerce_platform.factory import sql_engine
from commerce_platform.ports.kv import Lock, SqlKeyValueTable, TableSpec

pytestmark = pytest.mark.integration
SPEC = TableSpec("progress", "PK", "SK")
THREADS, WRITES = 8, 200


@pytest.fixture(params=["postgresql", "sqlite"])
def table(request, tmp_path):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'kv.db'}"
    return SqlKeyValueTable(sql_engine(url), SPEC)


def _hammer(n_threads: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads)

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - counted, the assertion names them
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_puts_on_one_key_never_fail(table):
    written = {f"{i}-{j}" for i in range(THREADS) for j in range(WRITES)}

    def work(i: int) -> None:
        for j in range(WRITES):
            table.put({"PK": "EXPORT#2026-01-01", "SK": "METADATA", "value": f"{i}-{j}"}, ttl_seconds=3600)

    errors = _hammer(THREADS, work)
    assert errors == [], f"{len(errors)} of {THREADS * WRITES} writes failed, first: {errors[0]!r}"
    item = table.get("EXPORT#2026-01-01", "METADATA")
    assert item["value"] in written
    assert len(table.query("EXPORT#2026-01-01")) == 1


def test_put_if_absent_has_exactly_one_winner(table):
    wins: list[int] = []

    def work(i: int) -> None:
        for j in range(20):
            if table.put_if_absent({"PK": f"K{j}", "SK": "X", "by": i}, ttl_seconds=60):
                wins.append(j)

    assert _hammer(THREADS, work) == []
    assert sorted(wins) == list(range(20))  # every key won once, by one thread


def test_expired_item_is_replaced_by_put_if_absent(table):
    table.put({"PK": "K", "SK": "X", "by": "dead"}, ttl_seconds=-5)
    assert table.put_if_absent({"PK": "K", "SK": "X", "by": "new"}, ttl_seconds=60) is True
    assert table.put_if_absent({"PK": "K", "SK": "X", "by": "late"}, ttl_seconds=60) is False
    assert table.get("K", "X")["by"] == "new"


def test_conditional_put_and_delete_check_the_attribute(table):
    table.put({"PK": "K", "SK": "X", "owner": "a", "n": 1})
    assert table.put_if_match({"PK": "K", "SK": "X", "owner": "b"}, "owner", "zzz") is False
    assert table.put_if_match({"PK": "K", "SK": "X", "owner": "b"}, "owner", "a") is True
    assert table.delete_if_match("K", "X", "owner", "a") is False
    assert table.get("K", "X")["owner"] == "b"
    assert table.delete_if_match("K", "X", "owner", "b") is True
    assert table.get("K", "X") is None
    assert table.delete_if_match("K", "X", "owner", "b") is False


def test_concurrent_compare_and_swap_never_loses_an_update(table):
    """Each thread increments a counter through put_if_match on the value it read: a lost update
    (two threads both succeeding from one read) would leave the counter short."""
    table.put({"PK": "C", "SK": "X", "n": 0})
    done: list[int] = []

    def work(i: int) -> None:
        for _ in range(15):
            while True:
                n = table.get("C", "X")["n"]
                if table.put_if_match({"PK": "C", "SK": "X", "n": n + 1}, "n", n):
                    done.append(1)
                    break

    assert _hammer(4, work) == []
    assert table.get("C", "X")["n"] == len(done) == 60


def test_lock_has_one_holder_among_threads(table):
    holders: list[int] = []
    inside = threading.Lock()
    overlap: list[int] = []

    def work(i: int) -> None:
        for _ in range(10):
            lock = Lock(table, "export-2026-01-01", ttl_seconds=60)
            if lock.acquire():
                if not inside.acquire(blocking=False):
                    overlap.append(i)
                else:
                    holders.append(i)
                    inside.release()
                lock.release()

    assert _hammer(THREADS, work) == []
    assert overlap == [] and holders


def test_dynamodb_conditional_put_delete_and_lock_release(moto_server):
    """The same contract on DynamoDB (moto's server): condition expressions on the owner."""
    import uuid

    import boto3

    from commerce_platform.ports.kv import DynamoKeyValueTable

    ddb = boto3.resource("dynamodb", endpoint_url=moto_server, region_name="eu-north-1")
    prefix = f"kv-{uuid.uuid4().hex[:8]}-"
    ddb.create_table(TableName=f"{prefix}locks", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk")])
    t = DynamoKeyValueTable(TableSpec("locks", "pk", "sk"), resource=ddb, prefix=prefix)
    t.put({"pk": "K", "sk": "X", "owner": "a"})
    assert t.put_if_match({"pk": "K", "sk": "X", "owner": "b"}, "owner", "zzz") is False
    assert t.put_if_match({"pk": "K", "sk": "X", "owner": "b"}, "owner", "a") is True
    assert t.delete_if_match("K", "X", "owner", "a") is False and t.get("K", "X")["owner"] == "b"
    assert t.delete_if_match("K", "X", "owner", "b") is True and t.get("K", "X") is None

    a = Lock(t, "job", ttl_seconds=-1, heartbeat=False)
    assert a.acquire()
    b = Lock(t, "job", ttl_seconds=60, heartbeat=False)
    assert b.acquire()
    a.release()
    assert t.get("LOCK#job", "LOCK")["owner"] == b.owner
    b.release()
    assert t.get("LOCK#job", "LOCK") is None
