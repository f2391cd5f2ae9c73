import json

import numpy as np
import pytest

from commerce_platform import factory, wiring
from commerce_platform.support.kb_sync_lambda import handle
from commerce_platform.wiring import kb_search as search
from tests.conftest import load_event
from tests.fixtures_support import DOCS, put_docs

pytestmark = pytest.mark.functional


def sources(results):
    return [r.source for r in results]


def test_sync_add_change_delete_and_deleted_never_returned(settings):
    store = put_docs(settings)
    kb = wiring.knowledge_base(settings)
    report = kb.sync()
    assert sorted(report.added) == sorted(DOCS) and report.chunks == 3
    top = kb.search("how much does shipping cost", k=1)[0]
    assert top.source == "delivery/shipping.md" and "9.90 EUR" in top.text and top.score > 0

    store.put_bytes(settings.support.kb_bucket, "delivery/shipping.md",
                    b"# Shipping\n\nStandard parcel delivery now costs 7.90 EUR.\n")
    report = kb.sync()
    assert report.changed == ["delivery/shipping.md"] and report.unchanged == 2
    assert "7.90 EUR" in kb.search("shipping cost", k=1)[0].text
    assert not any("9.90" in c.text for c in kb.chunks())

    store.delete(settings.support.kb_bucket, "warranty/pumps.txt")
    report = kb.sync()
    assert report.deleted == ["warranty/pumps.txt"]
    for query in ("circulation pump warranty certified installer", "5-year warranty", "pumps"):
        for mode in ("hybrid", "bm25", "vector"):
            assert "warranty/pumps.txt" not in sources(kb.search(query, k=10, mode=mode))
    # A new process (fresh KnowledgeBase, library function) sees the same.
    assert "warranty/pumps.txt" not in sources(search(settings, "pump warranty", k=10))
    assert "warranty/pumps.txt" not in [d["source"] for d in wiring.knowledge_base(settings).documents()]


def test_index_items_keep_the_shared_metadata_contract(settings):
    put_docs(settings)
    wiring.knowledge_base(settings).sync()
    index = factory.vector_index(settings, "kb")
    items = {it.id: it for it in index.items()}
    it = items["returns/returns.md#0"]
    assert it.metadata["source"] == "returns/returns.md" and it.metadata["chunk"] == 0
    assert it.metadata["heading"] == "Returns" and it.metadata["category"] == "returns"
    assert len(it.metadata["doc_hash"]) == 64 and "30 days" in it.text
    assert index.vectors().shape == (3, factory.text_embedder(settings).dim)
    manifest = json.loads((settings.paths.indexes / "kb" / "manifest.json").read_text())
    assert manifest["documents"]["returns/returns.md"]["doc_hash"] == it.metadata["doc_hash"]


def test_resync_without_changes_writes_nothing(settings):
    put_docs(settings)
    kb = wiring.knowledge_base(settings)
    kb.sync()
    files = {p.name: p.stat().st_mtime_ns for p in (settings.paths.indexes / "kb").iterdir()}
    report = kb.sync()
    assert (report.added, report.changed, report.deleted, report.unchanged) == ([], [], [], 3)
    assert files == {p.name: p.stat().st_mtime_ns for p in (settings.paths.indexes / "kb").iterdir()}


def test_failed_sync_leaves_previous_index_usable(settings):
    store = put_docs(settings)
    wiring.knowledge_base(settings).sync()

    class Exploding:
        name = "char-ngram"
        dim = 4096

        def embed(self, texts):
            raise RuntimeError("embedding service down")

    store.put_bytes(settings.support.kb_bucket, "returns/returns.md", b"# Returns\n\nReturns are now 60 days.\n")
    with pytest.raises(RuntimeError):
        wiring.knowledge_base(settings, embedder=Exploding()).sync()
    kb = wiring.knowledge_base(settings)
    top = kb.search("return period days", k=1)[0]
    assert top.source == "returns/returns.md" and "30 days" in top.text  # the previous version still serves
    assert kb.sync().changed == ["returns/returns.md"]  # and the next good sync picks the change up


def test_interrupted_save_is_repaired_from_the_vector_index(settings):
    put_docs(settings)
    wiring.knowledge_base(settings).sync()
    d = settings.paths.indexes / "kb"
    (d / "manifest.json").unlink()
    (d / "bm25.npz").write_bytes(b"not an npz")
    kb = wiring.knowledge_base(settings)
    assert kb.search("free shipping over 150", k=1, mode="bm25")[0].source == "delivery/shipping.md"
    assert kb.sync().unchanged == 3  # doc hashes recovered from chunk metadata


def test_unparseable_document_is_skipped_and_named(settings, caplog):
    put_docs(settings, {**DOCS, "broken.md": "", "manual.pdf": "%PDF"})
    (settings.paths.objects / settings.support.kb_bucket / "broken.md").write_bytes(b"\x00\x01binary")
    kb = wiring.knowledge_base(settings)
    report = kb.sync()
    skipped = {s["source"]: s["error"] for s in report.skipped}
    assert set(skipped) == {"broken.md", "manual.pdf"} and "binary" in skipped["broken.md"]
    assert report.documents == 3
    status = {d["source"]: d for d in kb.documents()}
    assert status["broken.md"]["status"] == "failed" and status["returns/returns.md"]["status"] == "indexed"


def test_filters_restrict_results(settings):
    put_docs(settings)
    kb = wiring.knowledge_base(settings)
    kb.sync()
    results = kb.search("shipping cost", k=5, filters={"category": "returns"})
    assert results and set(sources(results)) == {"returns/returns.md"}
    assert set(sources(kb.search("anything", k=5, filters={"category": ["returns", "warranty"]}))) <= {
        "returns/returns.md", "warranty/pumps.txt"}


def test_mirror_folder_uploads_and_removes(settings, tmp_path):
    put_docs(settings)
    docs = tmp_path / "docs"
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "valves.md").write_text("# Valves\n\nTurn shut-off valves twice a year.\n")
    (docs / ".hidden.md").write_text("# secret\n\nno\n")
    kb = wiring.knowledge_base(settings)
    report = kb.sync(docs_dir=docs)
    assert report.added == ["a/valves.md"] and sorted(report.deleted) == []
    assert [d["source"] for d in kb.documents()] == ["a/valves.md"]
    assert sources(kb.search("valve maintenance", k=5)) == ["a/valves.md"]


def test_eventbridge_lambda_syncs_just_the_changed_document(settings):
    store = put_docs(settings)
    wiring.knowledge_base(settings).sync()
    store.put_bytes(settings.support.kb_bucket, "delivery/new-carrier.md",
                    b"# New carrier\n\nFrom March parcels to Norway are delivered by Bring.\n")
    out = handle(load_event("support_kb_object_created.json"), settings)
    assert out["report"]["added"] == ["delivery/new-carrier.md"] and out["report"]["unchanged"] == 0
    assert wiring.knowledge_base(settings).search("who delivers to Norway", k=1)[0].source == "delivery/new-carrier.md"
    store.delete(settings.support.kb_bucket, "delivery/new-carrier.md")
    out = handle(load_event("support_kb_object_deleted.json"), settings)
    assert out["report"]["deleted"] == ["delivery/new-carrier.md"]
    assert "delivery/new-carrier.md" not in sources(wiring.knowledge_base(settings).search("Bring Norway", k=10))
    other = load_event("support_kb_object_created.json")
    other["detail"]["bucket"]["name"] = "some-other-bucket"
    assert handle(other, settings)["synced"] is False


def test_hybrid_scores_are_fused_and_bounded(settings):
    put_docs(settings)
    kb = wiring.knowledge_base(settings)
    kb.sync()
    res = kb.search("return within 30 days", k=3)
    assert all(0 <= r.score <= 1 for r in res)
    assert np.all(np.diff([r.score for r in res]) <= 0)


def test_concurrent_sync_is_refused_while_another_holds_the_lock(settings):
    from commerce_platform.errors import LockHeld
    from commerce_platform.ports.kv import Lock, TableSpec

    put_docs(settings)
    table = factory.kv_table(settings, TableSpec("support_kb_locks", "name"))
    with Lock(table, "kb-sync", 60):
        with pytest.raises(LockHeld):
            wiring.knowledge_base(settings).sync()
    assert wiring.knowledge_base(settings).sync().documents == 3
