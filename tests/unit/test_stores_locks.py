"""Lease locks (key-value and lease file) and the local object store's path checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from commerce_platform.errors import LockHeld, ValidationFailed
from commerce_platform.factory import sql_engine
from commerce_platform.ports.kv import Lock, SqlKeyValueTable, TableSpec
from commerce_platform.ports.locks import FileLease, holder_gone, host_id, pid_alive
from commerce_platform.ports.objectstore import LocalObjectStore

pytestmark = pytest.mark.unit


@pytest.fixture
def table(tmp_path):
    return SqlKeyValueTable(sql_engine(f"sqlite:///{tmp_path}/kv.db"), TableSpec("locks", "pk", "sk"))


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: the pid names no process now
    return proc.pid


# ---- the key-value lock ------------------------------------------------------------------------
def test_release_after_takeover_does_not_free_the_new_holders_lock(table):
    a = Lock(table, "job", ttl_seconds=-1, heartbeat=False)  # A's lease is already over
    assert a.acquire()
    b = Lock(table, "job", ttl_seconds=60, heartbeat=False)
    assert b.acquire()  # the expired lease is taken
    a.release()  # A wakes up late and releases: B must keep the lock
    assert table.get("LOCK#job", "LOCK")["owner"] == b.owner
    assert not Lock(table, "job", ttl_seconds=60, heartbeat=False).acquire()
    b.release()
    assert table.get("LOCK#job", "LOCK") is None


def test_dead_holder_on_this_host_is_taken_over_at_once(table, caplog):
    table.put({"pk": "LOCK#job", "sk": "LOCK", "owner": "crashed-run", "host": host_id(), "pid": dead_pid(),
               "acquired_at": 1}, ttl_seconds=3600)
    lock = Lock(table, "job", ttl_seconds=60, heartbeat=False)
    with lock:
        assert lock.taken_over_from["owner"] == "crashed-run"
        assert table.get("LOCK#job", "LOCK")["owner"] == lock.owner
    assert "lock taken over" in caplog.text


def test_live_or_remote_holder_is_not_taken_over(table):
    me = os.getpid()
    table.put({"pk": "LOCK#live", "sk": "LOCK", "owner": "live", "host": host_id(), "pid": me}, ttl_seconds=3600)
    table.put({"pk": "LOCK#far", "sk": "LOCK", "owner": "far", "host": "elsewhere/12345678", "pid": dead_pid()},
              ttl_seconds=3600)
    for name in ("live", "far"):
        with pytest.raises(LockHeld, match="owner"):
            with Lock(table, name, ttl_seconds=60, heartbeat=False):
                pass
        assert table.get(f"LOCK#{name}", "LOCK")["owner"] == name


def test_heartbeat_keeps_a_short_lease_and_stops_on_release(table):
    lock = Lock(table, "job", ttl_seconds=2)  # renewed every 2/3 s (the table keeps whole seconds)
    assert lock.acquire()
    deadline = time.time() + 4
    while time.time() < deadline:  # well past the TTL: still held
        assert not Lock(table, "job", ttl_seconds=2, heartbeat=False).acquire()
        time.sleep(0.2)
    beat = lock._beat
    assert beat.renewals >= 3
    lock.release()
    assert not beat._thread.is_alive() and table.get("LOCK#job", "LOCK") is None


def test_heartbeat_notices_a_lost_lease(table):
    lock = Lock(table, "job", ttl_seconds=0.6)
    assert lock.acquire()
    table.put({"pk": "LOCK#job", "sk": "LOCK", "owner": "usurper"}, ttl_seconds=60)
    deadline = time.time() + 3
    while not lock.lost and time.time() < deadline:
        time.sleep(0.05)
    assert lock.lost
    lock.release()
    assert table.get("LOCK#job", "LOCK")["owner"] == "usurper"  # not freed by the old holder


def test_pid_checks():
    assert pid_alive(os.getpid()) and not pid_alive(dead_pid())
    assert not pid_alive(os.getpid(), start="not-my-start-time")  # a reused pid is another process
    assert holder_gone({"host": host_id(), "pid": dead_pid()})
    assert not holder_gone({"host": "other/host", "pid": dead_pid()})
    assert not holder_gone({"owner": "old format without pid"})


# ---- the lease file ----------------------------------------------------------------------------
def test_file_lease_release_by_a_superseded_holder_keeps_the_new_lease(tmp_path):
    path = tmp_path / "locks" / "job.lock"
    a = FileLease(path, ttl_seconds=-1, heartbeat=False)
    assert a.acquire()
    b = FileLease(path, ttl_seconds=60, heartbeat=False)
    assert b.acquire()
    a.release()
    assert json.loads(path.read_text())["owner"] == b.owner
    b.release()
    assert not path.exists()


def test_file_lease_of_a_dead_process_is_taken_over(tmp_path, caplog):
    path = tmp_path / "job.lock"
    path.write_text(json.dumps({"owner": "crashed", "host": host_id(), "pid": dead_pid(),
                                "expires_at": time.time() + 7200}))
    with FileLease(path, ttl_seconds=60, heartbeat=False) as lease:
        assert lease.taken_over_from["owner"] == "crashed"
    record = next(r for r in caplog.records if r.getMessage() == "lock taken over")
    assert record.context["reason"] == "holder process is gone" and record.context["previous_owner"] == "crashed"


def test_file_lease_held_by_a_live_process_refuses(tmp_path):
    path = tmp_path / "job.lock"
    with FileLease(path, ttl_seconds=60, heartbeat=False):
        with pytest.raises(LockHeld, match=str(path)):
            with FileLease(path, ttl_seconds=60, heartbeat=False):
                pass


def test_file_lease_empty_file_counts_as_held_until_old(tmp_path):
    path = tmp_path / "job.lock"
    path.write_text("")  # a writer between create and write ...
    assert not FileLease(path, heartbeat=False).acquire()
    old = time.time() - 120
    os.utime(path, (old, old))  # ... or one that died there
    assert FileLease(path, heartbeat=False).acquire()


def test_file_lease_heartbeat_keeps_it_and_stops_on_release(tmp_path):
    path = tmp_path / "job.lock"
    lease = FileLease(path, ttl_seconds=1)
    assert lease.acquire()
    deadline = time.time() + 2.5
    while time.time() < deadline:
        assert not FileLease(path, ttl_seconds=1, heartbeat=False).acquire()
        time.sleep(0.2)
    beat = lease._beat
    lease.release()
    assert beat.renewals >= 3 and not beat._thread.is_alive() and not path.exists()
    assert not list(tmp_path.iterdir())  # no renewal temp files left behind


# ---- the local object store stays inside its folder -------------------------------------------
@pytest.mark.parametrize(("bucket", "key"), [
    ("..", "platform.db"),
    (".", "x.json"),
    ("", "x.json"),
    ("a/../..", "x.json"),
    ("/etc", "passwd"),
    ("b\\..", "x.json"),
    ("b\x00", "x.json"),
    ("bucket", "../platform.db"),
    ("bucket", "a/../../platform.db"),
    ("bucket", "/etc/passwd"),
    ("bucket", "..\\platform.db"),
    ("bucket", "a\\b"),
    ("bucket", "a\x00.json"),
    ("bucket", "a//b"),
    ("bucket", "./a"),
    ("bucket", ""),
])
def test_local_object_store_refuses_names_leaving_its_folder(tmp_path, bucket, key):
    store = LocalObjectStore(tmp_path / "objects")
    (tmp_path / "platform.db").write_bytes(b"secret")
    for call in (lambda: store.put_bytes(bucket, key, b"x"), lambda: store.get_bytes(bucket, key),
                 lambda: store.exists(bucket, key), lambda: store.delete(bucket, key)):
        with pytest.raises(ValidationFailed, match="must|invalid") as err:
            call()
        assert err.value.hint
    assert (tmp_path / "platform.db").read_bytes() == b"secret"
    assert not any(p.is_file() for p in tmp_path.rglob("*") if p.name != "platform.db")


@pytest.mark.parametrize("bucket", ["..", "a/b", "x\\y"])
def test_local_object_store_listing_refuses_bad_buckets(tmp_path, bucket):
    with pytest.raises(ValidationFailed, match="bucket"):
        list(LocalObjectStore(tmp_path).list_pages(bucket))


@pytest.mark.parametrize("prefix", ["../", "a/../../", "/etc/", "a\\b"])
def test_local_object_store_listing_refuses_bad_prefixes(tmp_path, prefix):
    with pytest.raises(ValidationFailed, match="prefix"):
        list(LocalObjectStore(tmp_path).list_pages("bucket", prefix))


def test_local_object_store_still_takes_ordinary_names(tmp_path):
    store = LocalObjectStore(tmp_path)
    store.put_bytes("offer-learning-data", "learning-state/700100.json", b"{}")
    store.put_bytes("b", "dir/name..with.dots.json", b"1")
    assert store.get_bytes("offer-learning-data", "learning-state/700100.json") == b"{}"
    assert [o.key for page in store.list_pages("b", "dir/") for o in page] == ["dir/name..with.dots.json"]


def test_remove_temp_files_only_in_its_folder(tmp_path):
    store = LocalObjectStore(tmp_path)
    store.put_bytes("b", "learning-state/1.json", b"{}")
    folder = tmp_path / "b" / "learning-state"
    (folder / ".tmp-abc").write_bytes(b"half")
    (tmp_path / "b" / ".tmp-outside").write_bytes(b"other")
    assert store.remove_temp_files("b", "learning-state/") == 1
    assert sorted(p.name for p in folder.iterdir()) == ["1.json"]
    assert (tmp_path / "b" / ".tmp-outside").exists()
    assert store.remove_temp_files("b", "missing/") == 0


def test_an_unreachable_dynamodb_is_service_unavailable_naming_the_store():
    import boto3
    from botocore.config import Config

    from commerce_platform.errors import ServiceUnavailable
    from commerce_platform.ports.kv import DynamoKeyValueTable, TableSpec

    resource = boto3.resource("dynamodb", region_name="eu-north-1", endpoint_url="http://127.0.0.1:9",
                              aws_access_key_id="x", aws_secret_access_key="x",
                              config=Config(retries={"max_attempts": 1}, connect_timeout=1))
    table = DynamoKeyValueTable(TableSpec("probe", "pk"), resource=resource)
    with pytest.raises(ServiceUnavailable, match="key-value store is unavailable") as info:
        table.get("k")
    assert "127.0.0.1" not in info.value.message  # no endpoint or URL in what callers see
    with pytest.raises(ServiceUnavailable):
        list(table.scan())  # a scan fails when read, and says the same
