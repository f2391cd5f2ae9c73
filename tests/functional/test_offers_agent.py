"""A whole learning run on the demo world through the local adapters."""

import json

import pytest

from commerce_platform import factory
from commerce_platform.demo import build_all
from commerce_platform.errors import LockHeld, UpstreamError
from commerce_platform.offers.agent import LOCKS, state_key
from commerce_platform.offers.learnings import RULES_KEY, SWAPS_KEY
from commerce_platform.offers.models import SWAP_HEADER
from commerce_platform.offers.requests import record_offer_request
from commerce_platform.ports.kv import Lock
from commerce_platform.wiring import evaluate, list_learnings, match_term, review, run_learning

pytestmark = pytest.mark.functional


def _age(path, seconds=3600):
    """Set a file's modification time back: by night, the ERP's export is hours old."""
    import os
    import time

    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.fixture
def world(settings):
    build_all(settings, only=["offers"])
    for path in (settings.paths.erp / "offers").iterdir():
        _age(path)
    return settings


def _files(settings):
    root = settings.paths.bucket(settings.offers.bucket)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith("offer-requests")}


def test_run_learns_in_seed_formats_and_second_run_changes_nothing(world):
    first = run_learning(world)
    assert first.offers_processed == 122 and first.successful == 120 and first.failed == 2
    assert {f["reason"] for f in first.failures} == {"malformed request", "not in ERP"}
    store = factory.object_store(world)
    csv_text = store.get_bytes(world.offers.bucket, SWAPS_KEY).decode()
    assert csv_text.splitlines()[0] == ",".join(SWAP_HEADER)
    rules = store.get_bytes(world.offers.bucket, RULES_KEY).decode().splitlines()
    assert rules and all(line[:4].isdigit() and line[10:12] == ": " for line in rules)
    state = json.loads(store.get_bytes(world.offers.bucket, state_key("700100")))
    assert set(state) == {"offer_number", "last_processed_hash", "last_check_timestamp"}

    before = _files(world)
    second = run_learning(world)
    assert second.skipped == 120 and second.successful == 0 and second.failed == 2
    after = _files(world)
    assert before == after  # nothing rewritten, no duplicated rows or rules


def test_learner_meets_its_goals_on_the_demo_world(world):
    run_learning(world)
    report = evaluate(world)
    assert report["swap_precision"] >= 0.95 and report["swap_recall"] >= 0.9
    assert report["rule_precision"] == 1.0 and report["rule_recall"] == 1.0
    m = report["matching"]
    assert m["corrected_after"] >= 0.95 and m["variants_after"] >= 0.95
    assert m["never_corrected_after"] >= m["never_corrected_before"]
    assert m["corrected_after"] > m["corrected_before"]


def test_dry_run_writes_nothing(world):
    before = _files(world)
    summary = run_learning(world, dry_run=True)
    assert summary.total_learnings > 0 and summary.dry_run
    assert _files(world) == before


def test_changed_offer_is_relearned_and_failed_offer_is_retried(world):
    run_learning(world)
    erp = factory.erp(world)
    offer = erp.get_offer("700101")
    offer.rows = offer.rows[:-1]
    erp.save_offer(offer)
    # The offer missing from the ERP arrives later: it must be processed then.
    erp.save_offer(offer.model_copy(update={"offer_number": "799999"}))
    summary = run_learning(world)
    assert summary.successful == 2 and summary.skipped == 119 and summary.failed == 1


def test_a_newer_request_context_wins(world):
    store = factory.object_store(world)
    from datetime import UTC, datetime

    ctx = json.loads(store.get_bytes(world.offers.bucket, next(
        o.key for p in store.list_pages(world.offers.bucket, "offer-requests/700102_") for o in p)))
    ctx["ai_matched_products"] = ctx["ai_matched_products"][:1]
    ctx["extra_field_kept"] = {"x": 1}
    key = record_offer_request(store, world.offers.bucket, ctx, timestamp=datetime(2027, 1, 1, tzinfo=UTC))
    assert json.loads(store.get_bytes(world.offers.bucket, key))["extra_field_kept"] == {"x": 1}
    from commerce_platform.offers.requests import newest_requests

    refs = {r.offer_number: r for r in newest_requests(store, world.offers.bucket)}
    assert refs["700102"].key == key


class FlakyERP:
    """Times out for one offer; the rest go through the real local ERP."""

    def __init__(self, real, bad):
        self.real, self.bad = real, bad

    def get_offer_document(self, n):
        if n == self.bad:
            raise UpstreamError("Lemonsoft GET timed out")
        return self.real.get_offer_document(n)

    def catalog(self):
        return self.real.catalog()


def test_erp_timeout_is_counted_and_offer_retried_next_night(world):
    summary = run_learning(world, erp=FlakyERP(factory.erp(world), "700105"))
    assert any(f["offer_number"] == "700105" and f["reason"] == "ERP unavailable" for f in summary.failures)
    assert not factory.object_store(world).exists(world.offers.bucket, state_key("700105"))
    again = run_learning(world)
    assert again.successful == 1  # only the timed-out offer


class BrokenLLM:
    name = "fake"

    def __init__(self, answer):
        self.answer, self.calls = answer, 0

    def complete(self, prompt, system=None):
        self.calls += 1
        return self.answer


@pytest.mark.parametrize("answer", ["not json at all", '{"swaps": [{"customer_term": "x", "product_code": "NOPE"}]}'])
def test_bad_llm_answer_leaves_the_offline_result(world, answer):
    offline = run_learning(world, dry_run=True)
    llm = BrokenLLM(answer)
    with_llm = run_learning(world, dry_run=True, llm=llm)
    assert llm.calls == 120
    assert with_llm.total_learnings == offline.total_learnings


def test_second_concurrent_run_refuses_to_start(world):
    from commerce_platform.offers.agent import _agent_lock

    with _agent_lock(world):
        with pytest.raises(LockHeld):
            run_learning(world)
    assert run_learning(world).successful == 120  # released


def test_a_dead_runs_lease_expires(world):
    from commerce_platform.ports.locks import FileLease

    path = world.paths.root / "locks" / "learning-agent.lock"
    dead = FileLease(path, ttl_seconds=-1)
    assert dead.acquire()  # taken and never released: its holder died
    assert run_learning(world).successful == 120


def test_kv_lock_still_guards_a_run_given_a_table(world):
    table = factory.kv_table(world, LOCKS)
    with Lock(table, "learning-agent"):
        with pytest.raises(LockHeld):
            run_learning(world, kv=table)


def test_review_reject_changes_matching_at_once(world):
    run_learning(world)
    learned = match_term(world, "komposiittiputki 16mm", 1)["matches"][0]
    assert learned["source"] == "learned"
    swap = next(s for s in list_learnings(world)["swaps"]
                if s["customer_term"] == "komposiittiputki 16mm" and s["product_code"] == learned["product_code"])
    review(world, swap["id"], "rejected")
    after = match_term(world, "komposiittiputki 16mm", 3)["matches"]
    assert learned["product_code"] not in [m["product_code"] for m in after if m["source"] == "learned"]
    # Re-running the agent keeps the review decision.
    run_learning(world)
    assert next(s for s in list_learnings(world)["swaps"] if s["id"] == swap["id"])["status"] == "rejected"


class CountingERP:
    """The real local ERP, counting the offer documents it is asked for."""

    def __init__(self, real):
        self.real, self.reads = real, []

    def get_offer_document(self, n):
        self.reads.append(n)
        return self.real.get_offer_document(n)

    def offer_versions(self, numbers):
        return self.real.offer_versions(numbers)

    def catalog(self):
        return self.real.catalog()


def test_unchanged_night_reads_no_offer_from_the_erp_and_an_edited_one_is_relearned(world):
    run_learning(world)
    erp = CountingERP(factory.erp(world))
    quiet = run_learning(world, erp=erp)
    assert quiet.skipped == 120 and quiet.successful == 0
    # Only the two failed offers are read again (retried); the 120 learned ones are not opened.
    assert sorted(erp.reads) == sorted(f["offer_number"] for f in quiet.failures)

    # A salesperson's edit written in place (no rename, same inode) is seen and relearned.
    erp.real.racy_seconds = 600  # the edit below stays "recent" however slow this machine is
    path = world.paths.root / "erp" / "offers" / "700103.json"
    doc = json.loads(path.read_text())
    doc["rows"] = doc["rows"][:-1]
    with open(path, "r+", encoding="utf-8") as fh:
        fh.write(json.dumps(doc))
        fh.truncate()
    erp.reads.clear()
    edited = run_learning(world, erp=erp)
    assert edited.successful == 1 and edited.skipped == 119
    assert "700103" in erp.reads and len(erp.reads) == 3
    # Edited moments ago, it gets no version yet (a second same-size edit in the same clock tick
    # would look unchanged): it is read again until it has settled, and found unchanged.
    erp.reads.clear()
    again = run_learning(world, erp=erp)
    assert again.skipped == 120 and "700103" in erp.reads


def test_offer_touched_but_unchanged_is_read_once_then_skipped_by_version(world):
    run_learning(world)
    erp = factory.erp(world)
    erp.save_offer(erp.get_offer("700104"))  # rewritten with the same rows: new inode, same hash
    _age(world.paths.erp / "offers" / "700104.json")
    counting = CountingERP(erp)
    touched = run_learning(world, erp=counting)
    assert touched.skipped == 120 and "700104" in counting.reads  # hashed, found unchanged
    counting.reads.clear()
    run_learning(world, erp=counting)
    assert "700104" not in counting.reads  # its new version was recorded


def test_a_first_format_state_index_is_still_honoured(world):
    from commerce_platform.offers.agent import STATE_INDEX_KEY

    run_learning(world)
    store = factory.object_store(world)
    index = json.loads(store.get_bytes(world.offers.bucket, STATE_INDEX_KEY))
    assert len(index["hashes"]) == 120 and index["hashes"].keys() == index["erp_versions"].keys()
    # The index as the previous release wrote it: a flat {offer_number: hash}, no ERP versions.
    store.put_bytes(world.offers.bucket, STATE_INDEX_KEY, json.dumps(index["hashes"]).encode())
    for n in index["hashes"]:  # the index alone must decide: per-offer states are not consulted
        store.delete(world.offers.bucket, state_key(n))
    counting = CountingERP(factory.erp(world))
    assert run_learning(world, erp=counting).skipped == 120
    assert len(counting.reads) == 122
    upgraded = json.loads(store.get_bytes(world.offers.bucket, STATE_INDEX_KEY))
    assert upgraded == index


# ---- damaged learning files (a cut CSV, a damaged sidecar or state, a crash between writes) ----------
def _bucket(world):
    return world.paths.bucket(world.offers.bucket)


def _relearn_one(world, number="700101"):
    """Make the next run process one offer again (its state and the index gone): the learnings are then
    loaded and saved, and since the merge is idempotent, nothing in them may change."""
    from commerce_platform.offers.agent import STATE_INDEX_KEY

    store = factory.object_store(world)
    store.delete(world.offers.bucket, STATE_INDEX_KEY)
    store.delete(world.offers.bucket, state_key(number))


def _learnings(world):
    meta = json.loads((_bucket(world) / "learnings/learning_meta.json").read_bytes())
    return {"csv": (_bucket(world) / SWAPS_KEY).read_bytes(), "rules": (_bucket(world) / RULES_KEY).read_bytes(),
            "swaps": meta["swaps"], "rule_candidates": meta["rules"]}


def _cut(text: bytes, where: str) -> bytes:
    body = text.rstrip(b"\n")
    last_line_start = body.rfind(b"\n") + 1
    if where == "mid last field":  # inside the last row's source_files: what is left still parses
        return body[:-7]
    if where == "at a line end":  # whole rows only, one fewer
        return text[:last_line_start]
    if where == "mid row":  # inside the last row's customer term
        return text[:last_line_start + 5]
    raise AssertionError(where)


@pytest.mark.parametrize("where", ["mid last field", "at a line end", "mid row"])
def test_a_cut_csv_is_restored_from_the_sidecar_and_never_rewritten_with_fewer_rows(world, where):
    run_learning(world)
    swap = list_learnings(world)["swaps"][-1]
    review(world, swap["id"], "rejected")  # a review decision lives in the sidecar only
    before = _learnings(world)
    csv_path = _bucket(world) / SWAPS_KEY
    csv_path.write_bytes(_cut(before["csv"], where))
    _relearn_one(world)

    summary = run_learning(world)
    assert summary.successful == 1 and summary.failed == 2
    assert [r["file"] for r in summary.repaired] == [SWAPS_KEY] and not summary.needs_repair
    assert "restored from learnings/learning_meta.json" in summary.repaired[0]["action"]
    assert _learnings(world) == before  # every row, every evidence entry, no half-cut file name
    assert next(s for s in list_learnings(world)["swaps"] if s["id"] == swap["id"])["status"] == "rejected"
    assert run_learning(world).repaired == []  # repaired for good


def test_a_cut_csv_is_restored_in_memory_for_readers_and_a_dry_run_only_reports_it(world):
    run_learning(world)
    before = _learnings(world)
    (_bucket(world) / SWAPS_KEY).write_bytes(_cut(before["csv"], "mid last field"))
    assert len(list_learnings(world)["swaps"]) == before["csv"].count(b"\n") - 1  # readers see every swap
    _relearn_one(world)
    dry = run_learning(world, dry_run=True)
    assert dry.repaired == [] and [r["file"] for r in dry.needs_repair] == [SWAPS_KEY]
    assert (_bucket(world) / SWAPS_KEY).read_bytes() == _cut(before["csv"], "mid last field")  # nothing written


@pytest.mark.parametrize("sidecar", ["missing", "damaged"])
def test_a_cut_csv_without_an_intact_sidecar_refuses_and_writes_nothing(world, sidecar):
    from commerce_platform.errors import ValidationFailed

    run_learning(world)
    meta = _bucket(world) / "learnings/learning_meta.json"
    if sidecar == "missing":
        meta.unlink()
    else:
        meta.write_bytes(meta.read_bytes()[:100])
    csv_path = _bucket(world) / SWAPS_KEY
    csv_path.write_bytes(_cut(csv_path.read_bytes(), "mid last field"))
    _relearn_one(world)
    files = _files(world)
    with pytest.raises(ValidationFailed) as err:
        run_learning(world)
    message = str(err.value)
    assert "learnings/product_swaps.csv" in message and "cut off" in message
    assert "nothing was written" in message and "restore" in message  # what is wrong, what to do
    assert _files(world) == files


def test_a_first_format_sidecar_still_loads_and_a_cut_csv_beside_it_refuses(world):
    from commerce_platform.errors import ValidationFailed

    run_learning(world)
    meta_path = _bucket(world) / "learnings/learning_meta.json"
    meta = json.loads(meta_path.read_bytes())
    first = {"swaps": {k: {f: v[f] for f in ("term", "product_code", "status", "reviewed_at", "evidence")}
                       for k, v in meta["swaps"].items()}, "rules": meta["rules"]}  # as the previous release wrote
    before = _learnings(world)
    meta_path.write_text(json.dumps(first))
    _relearn_one(world)
    assert run_learning(world).repaired == []
    from commerce_platform.offers.learnings import META_FORMAT

    assert _learnings(world) == before and json.loads(meta_path.read_bytes())["format"] == META_FORMAT  # upgraded

    meta_path.write_text(json.dumps(first))
    csv_path = _bucket(world) / SWAPS_KEY
    csv_path.write_bytes(_cut(csv_path.read_bytes(), "at a line end"))  # whole lines: only the sidecar knows
    _relearn_one(world)
    with pytest.raises(ValidationFailed, match="lacks 1 swaps that learnings/learning_meta.json lists"):
        run_learning(world)


def test_a_damaged_sidecar_is_rebuilt_from_the_csv_and_kept_aside(world):
    run_learning(world)
    before = _learnings(world)
    meta_path = _bucket(world) / "learnings/learning_meta.json"
    damaged = b'{"swaps": {"s-1": '
    meta_path.write_bytes(damaged)
    _relearn_one(world)

    summary = run_learning(world)
    assert summary.successful == 1
    assert [r["file"] for r in summary.repaired] == ["learnings/learning_meta.json"]
    assert "rebuilt from learnings/product_swaps.csv" in summary.repaired[0]["action"]
    after = _learnings(world)
    assert after["csv"] == before["csv"] and after["rules"] == before["rules"]  # counts and rules kept
    assert {k: len(v["evidence"]) for k, v in after["swaps"].items()} == {
        k: len(v["evidence"]) for k, v in before["swaps"].items()}
    kept = list((_bucket(world) / "learnings").glob("learning_meta.json.damaged-*"))
    assert [p.read_bytes() for p in kept] == [damaged]  # nothing lost: review decisions may be in it


def test_a_damaged_learning_state_relearns_its_offer_and_the_night_goes_on(world):
    run_learning(world)
    before = _learnings(world)
    store = factory.object_store(world)
    from commerce_platform.offers.agent import STATE_INDEX_KEY

    store.delete(world.offers.bucket, STATE_INDEX_KEY)  # without the index the per-offer states decide
    path = _bucket(world) / state_key("700102")
    path.write_bytes(b'{"offer_number": "700102", "last_proc')

    dry = run_learning(world, dry_run=True)
    assert [r["file"] for r in dry.needs_repair] == [state_key("700102")] and dry.repaired == []
    summary = run_learning(world)
    assert summary.successful == 1 and summary.skipped == 119 and summary.failed == 2
    assert summary.repaired == [{"file": state_key("700102"), "problem": summary.repaired[0]["problem"],
                                 "action": "offer relearned and its state rewritten"}]
    assert "not a learning state" in summary.repaired[0]["problem"]
    assert _learnings(world) == before  # relearned idempotently
    assert json.loads(path.read_bytes())["offer_number"] == "700102"
    assert run_learning(world).successful == 0


def test_a_swap_backed_by_10000_offers_keeps_the_csv_readable_and_the_next_night_runs(world):
    """source_files once grew past the csv module's default field limit (131,072 characters) and
    every later night failed on its own CSV."""
    import csv
    import io

    from commerce_platform.offers import evidence
    from commerce_platform.offers.learnings import (
        MAX_EVIDENCE_IN_META,
        MAX_SOURCE_FILES_IN_CSV,
        Evidence,
        LearningSet,
    )

    run_learning(world)
    store = factory.object_store(world)
    ls = LearningSet.load(store, world.offers.bucket)
    swap = next(iter(ls.swaps.values()))
    for n in range(10_000):
        name = f"{800000 + n}_20250101T000000Z.json"
        swap.evidence[name] = Evidence(name, str(800000 + n), swap.term, "", swap.product_code, swap.product_name)
    ls.save(store, world.offers.bucket)
    erp = factory.erp(world)
    offer = erp.get_offer("700101")
    offer.rows = offer.rows[:-1]
    erp.save_offer(offer)
    summary = run_learning(world)  # the next night, one changed offer
    assert summary.successful == 1
    text = store.get_bytes(world.offers.bucket, SWAPS_KEY).decode()
    rows = list(csv.DictReader(io.StringIO(text)))  # default field limit
    row = next(r for r in rows if r["customer_term"] == swap.term and r["matched_product_code"] == swap.product_code)
    assert row["source_files"].startswith("+") and len(row["source_files"]) < 131_072
    again = LearningSet.load(store, world.offers.bucket)
    kept = again.swaps[(swap.term, swap.product_code)]
    # The sidecar keeps the count and the newest evidence; the evidence store keeps every one.
    assert kept.n_evidence >= 10_000 and len(kept.evidence) == MAX_EVIDENCE_IN_META
    assert row["source_files"].startswith(f"+{kept.n_evidence - MAX_SOURCE_FILES_IN_CSV} more in ")
    in_store = {ev["source_file"] for sid, ev in evidence.read(store, world.offers.bucket, again.evidence_runs)
                if sid == kept.id}
    assert in_store >= {f"{800000 + n}_20250101T000000Z.json" for n in range(10_000)}
    assert len(store.get_bytes(world.offers.bucket, "learnings/learning_meta.json")) < 1_000_000
    # Relearning an offer whose evidence left the sidecar counts it once, not twice.
    assert not again.add_swap(swap.term, swap.product_code, swap.product_name,
                              Evidence("800000_20250101T000000Z.json", "800000", "", "", swap.product_code, ""), "")
    assert kept.n_evidence >= 10_000 and again.swaps[(swap.term, swap.product_code)].n_evidence == kept.n_evidence


class CountingStore:
    """The local store, counting each call by kind and key prefix, with S3's concurrency claimed."""

    io_concurrency = 8

    def __init__(self, real):
        self.real, self.calls = real, []
        import threading

        self._lock = threading.Lock()

    def _count(self, verb, key):
        with self._lock:
            self.calls.append((verb, key))

    def get_bytes(self, bucket, key):
        self._count("get", key)
        return self.real.get_bytes(bucket, key)

    def put_bytes(self, bucket, key, data, content_type=None):
        self._count("put", key)
        return self.real.put_bytes(bucket, key, data, content_type)

    def list_pages(self, bucket, prefix="", page_size=1000):
        self._count("list", prefix)
        return self.real.list_pages(bucket, prefix, page_size)

    def exists(self, bucket, key):
        return self.real.exists(bucket, key)

    def delete(self, bucket, key):
        return self.real.delete(bucket, key)

    def count(self, verb, prefix):
        return sum(v == verb and k.startswith(prefix) for v, k in self.calls)


def test_first_run_reads_no_state_file_and_writes_each_learned_offers_state_once(world):
    store = CountingStore(factory.object_store(world))
    first = run_learning(world, store=store)
    assert first.successful == 120
    # No index yet: one listing shows there is no state file of the seed layout to honour.
    assert store.count("get", "learning-state/") == 0 and store.count("list", "learning-state/") == 1
    assert store.count("get", "offer-requests/") == 121  # the one offer missing from the ERP is not fetched
    assert store.count("put", "learning-state/") == 120

    # One changed offer: its request is read once, its state written once, no other state touched.
    path = world.paths.root / "erp" / "offers" / "700103.json"
    doc = json.loads(path.read_text())
    doc["rows"] = doc["rows"][:-1]
    path.write_text(json.dumps(doc))
    _age(path)
    store.calls.clear()
    night = run_learning(world, store=store)
    assert night.successful == 1
    assert store.count("get", "learning-state/") == 0 and store.count("list", "learning-state/") == 0
    assert [k for v, k in store.calls if v == "put" and k.startswith("learning-state/")] == [state_key("700103")]


def test_a_run_killed_before_its_state_batch_has_its_offers_relearned_next_night(world, monkeypatch):
    from commerce_platform.offers import agent

    def killed(*args, **kwargs):
        raise SystemExit("killed after the hot loop")  # not an error the agent handles: as a kill -9

    monkeypatch.setattr(agent, "put_many", killed)
    with pytest.raises(SystemExit):
        run_learning(world)
    monkeypatch.undo()
    learned = _learnings_files(world)
    assert learned  # the learnings were saved before the states
    assert not (world.paths.bucket(world.offers.bucket) / "learning-state").exists()

    rerun = run_learning(world)
    assert rerun.successful == 120 and rerun.skipped == 0  # none lost: every offer relearned
    assert _learnings_files(world) == learned  # idempotently: no duplicated rows or evidence
    assert run_learning(world).successful == 0


def _learnings_files(settings):
    return {k: v for k, v in _files(settings).items() if k.startswith("learnings/")
            and not k.endswith("learning_state_index.json")}


def test_bounded_map_keeps_order_reports_errors_and_put_many_raises_after_trying_all():
    import threading
    import time

    from commerce_platform.ports.objectstore import bounded_map, put_many

    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow_square(x):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.01 * (x % 3))
        with lock:
            in_flight[0] -= 1
        if x == 5:
            raise ValueError("five")
        return x * x

    out = list(bounded_map(slow_square, range(40), 4))
    assert [x for x, _ in out] == list(range(40))
    assert [r for x, r in out if x != 5] == [x * x for x in range(40) if x != 5]
    assert isinstance(dict(out)[5], ValueError)
    assert 1 < peak[0] <= 4

    class Store:
        io_concurrency = 3
        written: list = []

        def put_bytes(self, bucket, key, data, content_type=None):
            if key == "b":
                raise OSError("disk full")
            self.written.append(key)

    with pytest.raises(OSError, match="disk full"):
        put_many(Store(), "bkt", [(k, b"x") for k in "abcd"])
    assert sorted(Store.written) == ["a", "c", "d"]


def test_a_run_spills_its_evidence_as_it_goes_and_a_crash_before_its_save_loses_nothing(world, monkeypatch, tmp_path):
    import shutil

    from commerce_platform.config import load_settings
    from commerce_platform.offers import agent, evidence
    from commerce_platform.offers.learnings import LearningSet

    reference = load_settings(tmp_path / "reference")
    shutil.copytree(world.paths.root, reference.paths.root)
    run_learning(reference)  # evidence written once, at the save

    monkeypatch.setattr(agent, "EVIDENCE_SPILL_AT", 20)
    real_save = LearningSet.save

    def killed(self, store, bucket):
        raise SystemExit("killed before the learnings were saved")

    monkeypatch.setattr(LearningSet, "save", killed)
    with pytest.raises(SystemExit):
        run_learning(world)
    store = factory.object_store(world)
    spilled = evidence.listed(store, world.offers.bucket)
    assert len(spilled) > 3  # written as the run went, not held to the end
    monkeypatch.setattr(LearningSet, "save", real_save)

    rerun = run_learning(world)  # the dead run's objects are not counted: every offer is relearned
    assert rerun.successful == 120
    ls, ref = (LearningSet.load(factory.object_store(s), s.offers.bucket) for s in (world, reference))
    assert {k: (s.n_evidence, sorted(s.evidence)) for k, s in ls.swaps.items()} == {
        k: (s.n_evidence, sorted(s.evidence)) for k, s in ref.swaps.items()}
    listed = sorted(ev["source_file"] + sid for sid, ev in evidence.read(store, world.offers.bucket, ls.evidence_runs))
    assert listed == sorted(ev["source_file"] + sid for sid, ev in evidence.read(
        factory.object_store(reference), reference.offers.bucket, ref.evidence_runs))
    assert len(ls.evidence_runs) > 3 and not set(ls.evidence_runs) & set(spilled)
