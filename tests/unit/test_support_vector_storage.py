"""Sparse (column-major) vector storage of the KB index: same scores and rankings as the dense
product it replaced, the old dense vectors.npy still loads, and mutations match dense ones."""

import os

import numpy as np
import pytest

from commerce_platform import factory, wiring
from commerce_platform.ports.vector_index import (
    DENSE_FILE,
    SPARSE_FILE,
    IndexItem,
    LocalVectorIndex,
    SparseVectors,
)
from commerce_platform.support.kb_eval import demo_docs_dir, load_eval_set

pytestmark = pytest.mark.unit


def dense_reference(vecs: np.ndarray, qv: np.ndarray, dim_idf: bool) -> np.ndarray:
    """The scoring the KB did before sparse storage: a reweighted dense matrix times the query."""
    if not dim_idf:
        return vecs @ qv
    idf = (np.log((1 + len(vecs)) / (1 + (np.abs(vecs) > 0).sum(axis=0))) + 1.0).astype(np.float32)
    w = vecs * idf
    w /= np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-30)
    q = qv * idf
    return w @ (q / np.linalg.norm(q))


@pytest.fixture
def demo_kb(settings):
    kb = wiring.knowledge_base(settings)
    kb.sync(docs_dir=demo_docs_dir())
    return kb


def test_demo_corpus_is_stored_sparse_and_memory_mapped(demo_kb, settings):
    d = settings.paths.indexes / "kb"
    assert (d / SPARSE_FILE).exists() and not (d / DENSE_FILE).exists()
    m = factory.vector_index(settings, "kb").matrix()
    assert isinstance(m, SparseVectors) and m.source == (d / SPARSE_FILE).resolve()
    assert not m.values.flags.owndata and not m.values.flags.writeable  # views of the read-only map
    assert m.nnz < 0.5 * m.n * m.dim
    assert len(m.dense_cols) and not m.dense.flags.owndata  # common n-gram slots stored dense


@pytest.mark.parametrize("dim_idf", [True, False])
def test_sparse_scores_rank_exactly_like_the_dense_product_on_the_demo_corpus(demo_kb, dim_idf):
    state = demo_kb._load()
    dense = state.index.vectors()
    questions = [q["question"] for q in load_eval_set()["questions"]]
    assert len(questions) >= 50
    for question in questions:
        qv = demo_kb.embedder.embed([question])[0]
        got = state.vector_scores(qv, dim_idf=dim_idf)
        want = dense_reference(dense, qv, dim_idf)
        np.testing.assert_allclose(got, want, atol=1e-5)
        assert list(np.argsort(-got, kind="stable")[:10]) == list(np.argsort(-want, kind="stable")[:10]), question


def test_old_dense_vectors_npy_loads_with_the_same_results_and_next_sync_writes_sparse(demo_kb, settings):
    d = settings.paths.indexes / "kb"
    questions = [q["question"] for q in load_eval_set()["questions"]][:20]
    before = [[(r.id, round(r.score, 5)) for r in demo_kb.search(q, k=5)] for q in questions]
    # Rewrite the index in the previous layout: one dense float32 vectors.npy.
    dense = factory.vector_index(settings, "kb").vectors()
    with open(d / DENSE_FILE, "wb") as fh:
        np.save(fh, dense)
    (d / SPARSE_FILE).unlink()
    old = wiring.knowledge_base(settings)
    assert isinstance(old._load().index.matrix(), SparseVectors)  # converted on load
    assert [[(r.id, round(r.score, 5)) for r in old.search(q, k=5)] for q in questions] == before
    # The next sync that changes something rewrites the vectors sparse and drops the dense file.
    docs = demo_docs_dir()
    extra = d.parent.parent / "docs"
    import shutil

    shutil.copytree(docs, extra)
    (extra / "new-note.md").write_text("# Note\n\nPallets are collected on Fridays.\n")
    report = old.sync(docs_dir=extra)
    assert report.added == ["new-note.md"]
    assert (d / SPARSE_FILE).exists() and not (d / DENSE_FILE).exists()
    assert old.search("when are pallets collected", k=1)[0].source == "new-note.md"


def test_dense_model_vectors_stay_dense_and_load_memory_mapped(tmp_path):
    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(50, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = LocalVectorIndex(tmp_path)
    index.upsert([IndexItem(f"d#{i}", f"t{i}", {"source": "d"}) for i in range(50)], vecs)
    index.save()
    assert (tmp_path / DENSE_FILE).exists() and not (tmp_path / SPARSE_FILE).exists()
    loaded = LocalVectorIndex(tmp_path)
    assert isinstance(loaded.matrix(), np.memmap)  # no float32 copy of an already float32 file
    assert loaded.search(vecs[7], k=1)[0].id == "d#7"
    loaded.upsert([IndexItem("d#7", "new", {"source": "d"})], vecs[8:9])  # copy-on-write, file untouched
    assert loaded.search(vecs[8], k=2)[1].id in ("d#7", "d#8")
    assert LocalVectorIndex(tmp_path).search(vecs[7], k=1)[0].id == "d#7"


def random_sparse(rng, n, dim, density, hot=0):
    """Random sparse rows; the first ``hot`` columns non-zero in ~90% of rows (stored dense)."""
    m = rng.normal(size=(n, dim)).astype(np.float32)
    m[rng.random((n, dim)) > density] = 0.0
    m[:, :hot] = rng.normal(size=(n, hot)) * (rng.random((n, hot)) < 0.9)
    return m


def test_sparse_mutations_match_the_dense_equivalent(tmp_path):
    rng = np.random.default_rng(3)
    a = random_sparse(rng, 40, 64, 0.1, hot=3)
    index = LocalVectorIndex(tmp_path)
    index.upsert([IndexItem(f"x#{i}", "", {"source": f"s{i % 4}"}) for i in range(40)], a)
    assert isinstance(index.matrix(), SparseVectors)
    assert set(index.matrix().dense_cols) >= {0, 1, 2}  # both storage paths are exercised
    expect = {f"x#{i}": a[i] for i in range(40)}
    # Replace some rows, append others, with a repeated id in the batch (last one wins).
    b = random_sparse(rng, 6, 64, 0.1, hot=3)
    ids = ["x#3", "x#39", "y#0", "x#3", "y#1", "x#0"]
    index.upsert([IndexItem(i, "", {"source": "s9"}) for i in ids], b)
    for i, v in zip(ids, b, strict=True):
        expect[i] = v
    assert index.delete_where([("source", "eq", "s1")]) == 10
    expect = {i: v for i, v in expect.items() if not (i.startswith("x#") and int(i[2:]) % 4 == 1 and i != "x#39")}
    index.save()
    for idx in (index, LocalVectorIndex(tmp_path)):
        got = {it.id: row for it, row in zip(idx.items(), idx.vectors(), strict=True)}
        assert set(got) == set(expect)
        for i in expect:
            np.testing.assert_array_equal(got[i], expect[i])
        q = random_sparse(rng, 1, 64, 0.3, hot=3)[0]
        order = [it.id for it in idx.items()]
        np.testing.assert_allclose(idx.scores(q), np.stack([expect[i] for i in order]) @ q, rtol=1e-5, atol=1e-6)


def test_save_keeps_one_vector_file_and_loads_the_newest(tmp_path):
    rng = np.random.default_rng(5)
    index = LocalVectorIndex(tmp_path)
    index.upsert([IndexItem("a#0", "", {"source": "a"})], random_sparse(rng, 1, 16, 0.2))
    index.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.jsonl", SPARSE_FILE]
    stale = (tmp_path / SPARSE_FILE).read_bytes()
    # The embedder changed to a dense model: the index is rebuilt dense and the sparse file goes.
    index.clear()
    index.upsert([IndexItem("a#0", "", {"source": "a"})], np.ones((1, 8), np.float32) / np.sqrt(8))
    index.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.jsonl", DENSE_FILE]
    assert LocalVectorIndex(tmp_path).matrix().shape == (1, 8)
    # A crash before the old file was removed: the older sparse file is ignored.
    (tmp_path / SPARSE_FILE).write_bytes(stale)
    t = (tmp_path / DENSE_FILE).stat().st_mtime_ns
    os.utime(tmp_path / SPARSE_FILE, ns=(t - 10**9, t - 10**9))
    assert LocalVectorIndex(tmp_path).matrix().shape == (1, 8)


def test_sparse_file_rejects_garbage(tmp_path):
    (tmp_path / SPARSE_FILE).write_bytes(b"not a vector file")
    (tmp_path / "items.jsonl").write_text("")
    with pytest.raises(RuntimeError, match="run the sync again"):
        LocalVectorIndex(tmp_path)
