"""The full evidence of the learned swaps, kept out of the sidecar so that it stays small.

One JSON-lines object per save that added evidence, ``learnings/evidence/<UTC stamp>.jsonl``, each
line ``[swap id, {evidence fields}]``; an object is written once and never rewritten (S3 cannot
append). When the sidecar lists more than COMPACT_AFTER of them, the next save merges them into one.

The sidecar lists the objects it counts. An object it does not list was left by a save that died
before its sidecar was written (the run's offers are relearned) or was merged away by a compaction:
readers ignore it and a later save deletes it once it is an hour old (a run still writing its
sidecar is never that slow).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

import orjson

from ..errors import NotFound
from ..logs import get_logger
from ..ports.objectstore import ObjectStore, bounded_map, io_concurrency

EVIDENCE_PREFIX = "learnings/evidence/"
COMPACT_AFTER = 30
ORPHAN_AGE = timedelta(hours=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"
log = get_logger("offers.evidence")


def new_key(now: datetime | None = None, compacted: bool = False) -> str:
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    return f"{EVIDENCE_PREFIX}{stamp}{'-compacted' if compacted else ''}.jsonl"


def key_time(key: str) -> datetime | None:
    name = key[len(EVIDENCE_PREFIX):].split("-", 1)[0].removesuffix(".jsonl")
    try:
        return datetime.strptime(name, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None  # not one of ours: never deleted


def encode(entries: Iterable[tuple[str, object]]) -> bytes:
    """``(swap id, Evidence)`` pairs as JSON lines (orjson writes the dataclass as it is)."""
    return b"".join(orjson.dumps([swap_id, evidence]) + b"\n" for swap_id, evidence in entries)


def _objects(store: ObjectStore, bucket: str, keys: list[str]) -> Iterator[tuple[str, bytes]]:
    """The objects named, read concurrently on S3; a missing one is skipped with a warning: the
    evidence is detail, the counts live in the sidecar."""
    for key, data in bounded_map(lambda k: store.get_bytes(bucket, k), keys, io_concurrency(store)):
        if isinstance(data, NotFound):
            log.warning("evidence file listed in the sidecar is missing; its details are lost", file=key)
            continue
        if isinstance(data, Exception):
            raise data
        yield key, data


def read(store: ObjectStore, bucket: str, keys: list[str]) -> Iterator[tuple[str, dict]]:
    """Every ``(swap id, evidence dict)`` of the objects named. A line that is not an entry is
    skipped with a warning."""
    for key, data in _objects(store, bucket, keys):
        for n, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                swap_id, evidence = orjson.loads(line)
                if isinstance(swap_id, str) and isinstance(evidence, dict) and "source_file" in evidence:
                    yield swap_id, evidence
                    continue
            except (ValueError, TypeError):
                pass
            log.warning("evidence line not understood; skipped", file=key, line=n)


def read_keys(store: ObjectStore, bucket: str, keys: list[str]) -> Iterator[tuple[str, str]]:
    """``(swap id, source file)`` of every entry: what a relearned offer is checked against. The
    writer's lines begin ``["<swap id>",{"source_file":"<name>"``, so both are sliced out without
    parsing the rest (a relearn night at 100,000 offers reads every entry); any other line is parsed."""
    for key, data in _objects(store, bucket, keys):
        for line in data.splitlines():
            if line.startswith(b'["') and (end := line.find(b'",{"source_file":"', 2)) > 0:
                start = end + len(b'",{"source_file":"')
                stop = line.find(b'"', start)
                if stop > 0 and b"\\" not in line[:stop]:
                    yield line[2:end].decode(), line[start:stop].decode()
                    continue
            if not line.strip():
                continue
            try:
                swap_id, evidence = orjson.loads(line)
                yield str(swap_id), str(evidence["source_file"])
            except (ValueError, TypeError, KeyError):
                log.warning("evidence line not understood; skipped", file=key)


def listed(store: ObjectStore, bucket: str) -> list[str]:
    return [info.key for page in store.list_pages(bucket, EVIDENCE_PREFIX) for info in page
            if info.key.endswith(".jsonl")]


def compact(store: ObjectStore, bucket: str, keys: list[str], now: datetime | None = None) -> str:
    """Merge ``keys`` into one new object; returns its key. The listed objects never hold the same
    entry twice (only evidence not yet stored is written), so merging is concatenating: no entry is
    parsed, and memory is the size of the result. The merged objects are left for the caller to
    delete after its sidecar no longer lists them."""
    parts = []
    for _, data in _objects(store, bucket, keys):
        parts.append(data if data.endswith(b"\n") or not data else data + b"\n")
    key = new_key(now, compacted=True)
    store.put_bytes(bucket, key, b"".join(parts), "application/x-ndjson")
    return key


def delete_unlisted(store: ObjectStore, bucket: str, keys: Iterable[str], now: datetime | None = None) -> int:
    """Delete the objects of ``keys`` older than ORPHAN_AGE; returns how many."""
    cutoff = (now or datetime.now(UTC)) - ORPHAN_AGE
    gone = 0
    for key in keys:
        made = key_time(key)
        if made is not None and made < cutoff:
            store.delete(bucket, key)
            gone += 1
    return gone
