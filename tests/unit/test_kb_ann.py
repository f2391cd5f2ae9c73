"""Vector index filters as data, the approximate (usearch) candidate index and its exact re-scoring,
blockwise writing of sparse vectors, and persistence of it all."""

import random

import numpy as np
import pytest

from commerce_platform import wiring
from commerce_platform.errors import MissingExtraError
from commerce_platform.ports import vector_index as vi
from commerce_platform.ports.vector_index import (
    ANN_FILE,
    ANN_STATE,
    SPARSE_FILE,
    AnnGraph,
    IndexItem,
    LocalVectorIndex,
    SparseVectors,
    check_filters,
    matches,
)
from commerce_platform.support import kb as kbmod
from commerce_platform.support.documents import parse_document, split_sentences
from commerce_platform.support.kb_eval import demo_docs_dir, load_eval_set

pytestmark = pytest.mark.unit

DIM = 256


def sparse_vectors(n: int, seed: int = 0, density: float = 0.08) -> np.ndarray:
    """Clustered sparse vectors (like n-gram vectors of related texts), rows L2-normalized."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((12, DIM)) * (rng.random((12, DIM)) < density * 2)
    v = centers[rng.integers(0, 12, n)] * 0.7 + rng.standard_normal((n, DIM)) * (rng.random((n, DIM)) < density)
    v = v.astype(np.float32)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    return v


def make_items(n: int, start: int = 0) -> list[IndexItem]:
    return [IndexItem(f"d#{i}", f"text {i}", {"source": f"s{i % 7}", "chunk": i, "lang": "fi" if i % 3 else "en"})
            for i in range(start, start + n)]


@pytest.fixture
def small_pool(monkeypatch):
    """Few candidates per query, so the approximate graph really decides what is re-scored."""
    monkeypatch.setattr(vi, "ANN_CANDIDATES", 80)


# -- filters as data -----------------------------------------------------------------------------
def test_filters_are_data_with_clear_errors():
    assert check_filters(None) == []
    with pytest.raises(ValueError, match="filters are data"):
        check_filters(lambda m: True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown filter operator 'like'"):
        check_filters([("source", "like", "a")])
    with pytest.raises(ValueError, match="not a \\(field, operator, value\\)"):
        check_filters([("source", "eq")])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="needs a list"):
        check_filters([("source", "in", "abc")])
    meta = {"source": "a.md", "chunk": 3, "tags": ["x"]}
    cases = [
        (("source", "eq", "a.md"), True), (("source", "ne", "a.md"), False),
        (("source", "in", ["b.md", "a.md"]), True), (("source", "not_in", ["a.md"]), False),
        (("chunk", "lt", 3), False), (("chunk", "le", 3), True), (("chunk", "gt", 2), True), (("chunk", "ge", 4), False),
        (("missing", "exists", False), True), (("source", "exists", True), True),
        (("missing", "lt", 5), False), (("source", "gt", 1), False),  # missing / incomparable: false
        (("tags", "in", ["x"]), False), (("tags", "not_in", ["x"]), True),  # unhashable value
    ]
    for flt, want in cases:
        assert matches(meta, check_filters([flt])) is want, flt
    assert matches(meta, check_filters([("source", "eq", "a.md"), ("chunk", "gt", 5)])) is False


def test_search_and_delete_with_data_filters(tmp_path):
    vecs = sparse_vectors(60)
    index = LocalVectorIndex(tmp_path)
    index.upsert(make_items(60), vecs)
    hits = index.search(vecs[4], k=10, where=[("lang", "eq", "fi"), ("chunk", "lt", 30)])
    assert hits and all(h.metadata["lang"] == "fi" and h.metadata["chunk"] < 30 for h in hits)
    assert index.search(vecs[4], k=1, where=[("chunk", "eq", 4)])[0].id == "d#4"
    with pytest.raises(ValueError, match="at least one"):
        index.delete_where([])
    with pytest.raises(ValueError, match="filters are data"):
        index.delete_where(lambda m: True)  # type: ignore[arg-type]
    assert index.delete_where([("source", "in", ["s1", "s2"]), ("chunk", "ge", 10)]) == sum(
        1 for i in range(60) if i % 7 in (1, 2) and i >= 10)
    assert not [it for it in index.items() if it.metadata["source"] in ("s1", "s2") and it.metadata["chunk"] >= 10]
    left = len(index)
    assert index.clear() == left and len(index) == 0 and index.search(vecs[0], k=3) == []
    with pytest.raises(ValueError, match="k must be at least 1"):
        index.search(vecs[0], k=0)


# -- sparse storage primitives -------------------------------------------------------------------
def test_blockwise_file_equals_the_in_memory_build(tmp_path):
    vecs = sparse_vectors(500, seed=3)
    vecs[:, 5] = 0.01  # a column non-zero in every row: stored dense
    ref = SparseVectors.from_dense(vecs)

    def blocks():
        for s in range(0, 500, 128):
            r, c = np.nonzero(vecs[s:s + 128])
            yield (s + r).astype(np.int32), c.astype(np.uint16), vecs[s:s + 128][r, c]

    SparseVectors.write_blocks(tmp_path / "v.csc", 500, DIM, blocks)
    got = SparseVectors.open(tmp_path / "v.csc")
    assert got.source == (tmp_path / "v.csc").resolve()  # mapped from the file
    assert 5 in set(np.asarray(got.dense_cols).tolist())
    np.testing.assert_array_equal(got.to_dense(), vecs)
    np.testing.assert_array_equal(np.asarray(got.indptr), np.asarray(ref.indptr))
    np.testing.assert_array_equal(got.row_block(100, 250), vecs[100:250])
    sel = np.array([0, 7, 99, 250, 499])
    q = vecs[7]
    np.testing.assert_allclose(got.rescore(sel, q), (vecs @ q)[sel], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.row_norms(np.full(DIM, 2.0, np.float32)), 2 * np.linalg.norm(vecs, axis=1),
                               rtol=1e-5)


def test_replacing_rows_keeps_each_column_sorted(tmp_path):
    vecs = sparse_vectors(80, seed=1)
    index = LocalVectorIndex(tmp_path)
    index.upsert(make_items(80), vecs)
    new = sparse_vectors(5, seed=9)
    index.upsert(make_items(3, start=10) + make_items(2, start=200), new)  # 3 replaced, 2 appended
    m = index.matrix()
    assert isinstance(m, SparseVectors)
    for j in range(DIM):
        col = np.asarray(m.rows[m.indptr[j]:m.indptr[j + 1]])
        assert np.all(np.diff(col) > 0), j
    expect = np.vstack([vecs, new[3:]])
    expect[10:13] = new[:3]
    np.testing.assert_array_equal(index.vectors(), expect)
    sel = np.array([0, 10, 11, 12, 80, 81])
    np.testing.assert_allclose(m.rescore(sel, new[1]), (expect @ new[1])[sel], rtol=1e-5, atol=1e-6)


# -- approximate index ---------------------------------------------------------------------------
def exact_top(vecs: np.ndarray, q: np.ndarray, k: int, allowed=None) -> list[str]:
    s = vecs @ q
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)
    return [f"d#{i}" for i in np.argsort(-s, kind="stable")[:k] if np.isfinite(s[i])]


def test_approximate_search_agrees_with_exact_and_scores_are_exact(tmp_path, small_pool):
    n = 1500
    vecs = sparse_vectors(n, seed=2)
    index = LocalVectorIndex(tmp_path, ann_min_rows=100)
    index.upsert(make_items(n), vecs)
    index.save()
    assert index.ann_active and (tmp_path / ANN_FILE).exists() and (tmp_path / ANN_STATE).exists()
    # Queries near the corpus (as questions are near their passages), not random directions.
    rng = np.random.default_rng(5)
    queries = vecs[rng.integers(0, n, 100)] + sparse_vectors(100, seed=5) * 0.5
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    cand = index.candidates(queries[0], 40)
    assert cand is not None and 0 < len(cand) <= 40  # candidates, not the whole index
    hits = total = 0
    for q in queries:
        got = index.search(q, k=5)
        want = exact_top(vecs, q, 5)
        hits += len({h.id for h in got} & set(want))
        total += len(want)
        for h in got:  # every returned score is the exact cosine
            assert h.score == pytest.approx(float(vecs[int(h.id[2:])] @ q), abs=1e-5)
    assert hits / total >= 0.95
    fi = np.array([i % 3 != 0 for i in range(n)])
    got = index.search(queries[1], k=5, where=[("lang", "eq", "fi")])
    assert [h.id for h in got] == exact_top(vecs, queries[1], 5, fi)


def test_persistence_round_trip_memory_maps_vectors_and_graph(tmp_path, small_pool):
    vecs = sparse_vectors(400, seed=4)
    index = LocalVectorIndex(tmp_path, ann_min_rows=100)
    index.upsert(make_items(400), vecs)
    index.save()
    before = [[h.id for h in index.search(q, k=5)] for q in vecs[:20]]
    loaded = LocalVectorIndex(tmp_path, ann_min_rows=100)
    assert loaded.ann_active
    assert loaded._ann is not None and loaded._ann.path == tmp_path / ANN_FILE  # a read-only view of the file
    assert loaded.matrix().source == (tmp_path / SPARSE_FILE).resolve()  # memory-mapped, not copied
    assert [[h.id for h in loaded.search(q, k=5)] for q in vecs[:20]] == before
    mtime = (tmp_path / SPARSE_FILE).stat().st_mtime_ns
    loaded.save()  # nothing changed: the mapped vector file is not rewritten under itself
    assert (tmp_path / SPARSE_FILE).stat().st_mtime_ns == mtime
    # Below the threshold the same files search exactly and the graph is dropped on save.
    small = LocalVectorIndex(tmp_path, ann_min_rows=10_000)
    assert not small.ann_active and small.candidates(vecs[0], 10) is None
    small.save()
    assert not (tmp_path / ANN_FILE).exists()


def test_upsert_and_delete_keep_the_graph_consistent(tmp_path, small_pool):
    vecs = sparse_vectors(500, seed=6)
    index = LocalVectorIndex(tmp_path, ann_min_rows=100)
    index.upsert(make_items(500), vecs)
    index.save()
    index = LocalVectorIndex(tmp_path, ann_min_rows=100)  # the graph is a view: the update must reload it
    new = sparse_vectors(30, seed=7)
    index.upsert(make_items(20, start=500) + make_items(10, start=0), new)  # 20 appended, d#0..9 replaced
    removed = index.delete_where([("source", "eq", "s3")])
    assert removed == sum(1 for i in range(520) if i % 7 == 3)
    for idx in (index, None):
        if idx is None:
            index.save()
            idx = LocalVectorIndex(tmp_path, ann_min_rows=100)
        assert idx.ann_active and idx._ann is not None and len(idx._ann.keys) == len(idx)
        ids = [it.id for it in idx.items()]
        for j, item in enumerate(make_items(20, start=500) + make_items(10, start=0)):
            if item.metadata["source"] == "s3":
                continue
            top = idx.search(new[j], k=1)[0]
            assert top.id == item.id and top.score == pytest.approx(1.0, abs=1e-5)
            assert ids.index(item.id) in set(idx.candidates(new[j], 40).tolist())
        assert not any(h.metadata["source"] == "s3" for q in vecs[:30] for h in idx.search(q, k=10))


def test_missing_extra_falls_back_to_exact_search_with_a_note(tmp_path, monkeypatch, caplog):
    def missing():
        raise MissingExtraError("ann", "usearch.index")

    monkeypatch.setattr(AnnGraph, "_usearch", staticmethod(missing))
    vecs = sparse_vectors(300, seed=8)
    index = LocalVectorIndex(tmp_path, ann_min_rows=100)
    index.upsert(make_items(300), vecs)
    with caplog.at_level("WARNING"):
        index.save()
    assert "'ann' extra is not installed" in caplog.text
    assert not index.ann_active and not (tmp_path / ANN_FILE).exists()
    assert [h.id for h in index.search(vecs[3], k=5)] == exact_top(vecs, vecs[3], 5)
    err = MissingExtraError("ann", "usearch.index")
    assert "ann" in str(err)
    with pytest.raises(MissingExtraError, match="ann"):
        AnnGraph.build(SparseVectors.from_dense(vecs))


# -- the KB over an approximate index --------------------------------------------------------------
def test_kb_hybrid_results_with_the_approximate_index_match_exact(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(vi, "ANN_MIN_ROWS", 50)
    monkeypatch.setattr(kbmod, "ANN_CANDIDATES", 15)  # with k=5: 40 candidates, fewer than the chunks
    sentences = []
    for path in sorted(demo_docs_dir().rglob("*")):
        if path.is_file():
            doc = parse_document(path.relative_to(demo_docs_dir()).as_posix(), path.read_bytes())
            sentences += [s for sec in doc.sections for s in split_sentences(sec.text)]
    rng = random.Random(3)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(40):
        body = "\n\n".join(f"## Part {j}\n\n" + " ".join(rng.sample(sentences, 10)) for j in range(4))
        (docs / f"guide-{i:02d}.md").write_text(f"# Guide {i}\n\n{body}\n")
    kb = wiring.knowledge_base(settings)
    kb.sync(docs_dir=docs)
    state = kb._load()
    assert state.index.ann_active and len(state.index) > 100
    questions = [q["question"] for q in load_eval_set()["questions"]][:40]
    approx = {q: [(r.id, round(r.score, 5)) for r in kb.search(q, k=5)] for q in questions}
    filtered = kb.search(questions[0], k=5, filters={"source": ["guide-01.md", "guide-02.md"]})
    state.index.ann_min_rows = 10**9  # the same state, searched exactly
    assert not state.index.ann_active
    same = sum(approx[q] == [(r.id, round(r.score, 5)) for r in kb.search(q, k=5)] for q in questions)
    assert same / len(questions) >= 0.95
    assert [r.id for r in filtered] == [r.id for r in kb.search(questions[0], k=5,
                                                                 filters={"source": ["guide-01.md", "guide-02.md"]})]


# -- compact BM25 state ----------------------------------------------------------------------------
def reference_bm25(tfs: list[dict[str, int]], query: dict[str, float], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """Okapi BM25 written out per document (the dict-per-chunk implementation it replaced)."""
    import math

    n = len(tfs)
    lengths = np.array([sum(tf.values()) for tf in tfs], np.float32)
    avgdl = float(lengths.mean())
    out = np.zeros(n, np.float32)
    for term, qtf in query.items():
        docs = [d for d, tf in enumerate(tfs) if term in tf]
        if not docs:
            continue
        idf = math.log(1.0 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
        for d in docs:
            tf = np.float32(tfs[d][term])
            out[d] += qtf * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avgdl))
    return out


def test_compact_bm25_scores_round_trip_and_incremental_reuse(tmp_path):
    from commerce_platform.support.bm25 import BM25Index, analyze

    texts = {f"c{i}": t for i, t in enumerate([
        "Returns are free within 30 days of delivery", "Shipping is free over 150 euros",
        "The pump warranty lasts two years", "Return the pump in its original box", "Delivery takes 2-4 days"])}
    tfs = {k: BM25Index.term_counts(v) for k, v in texts.items()}
    idx = BM25Index()
    idx.set_documents(list(texts), tfs)
    query = {t: 1.0 for t in analyze("return a pump after delivery")}
    np.testing.assert_allclose(idx.scores(query), reference_bm25(list(tfs.values()), query), rtol=1e-6)
    assert idx.tfs == list(tfs.values())
    with open(tmp_path / "bm25.npz", "wb") as fh:
        idx.save(fh)
    loaded = BM25Index.load(tmp_path / "bm25.npz")
    assert loaded.ids == idx.ids and loaded.tfs == idx.tfs
    np.testing.assert_array_equal(loaded.scores(query), idx.scores(query))
    # Incremental: c1 dropped, c3 changed, c9 added; the others keep their stored counts.
    changed = {"c3": BM25Index.term_counts("Pumps go back by courier"), "c9": BM25Index.term_counts("New pump models")}
    inc = BM25Index()
    inc.set_documents(["c0", "c2", "c3", "c4", "c9"], changed, reuse=loaded)
    want = [tfs["c0"], tfs["c2"], changed["c3"], tfs["c4"], changed["c9"]]
    assert inc.tfs == want
    np.testing.assert_allclose(inc.scores(query), reference_bm25(want, query), rtol=1e-6)
    assert BM25Index.from_state(inc.to_state()).tfs == want  # the older JSON state still loads


def test_text_embedder_base_checks_input_and_backend_output():
    from commerce_platform.errors import UpstreamError
    from commerce_platform.ports.text_embeddings import CharNgramEmbedder, TextEmbedder

    emb = CharNgramEmbedder(dim=64)
    with pytest.raises(TypeError, match="list of strings"):
        emb.embed("one text")  # type: ignore[arg-type]
    assert emb.embed([]).shape == (0, 64)
    v = emb.embed(["return a pump", ""])
    assert v.shape == (2, 64) and np.linalg.norm(v[0]) == pytest.approx(1.0) and not v[1].any()

    class Broken(TextEmbedder):
        name, dim = "broken", 8

        def _embed(self, texts):
            return np.zeros((len(texts), 4))

    with pytest.raises(UpstreamError, match="shape"):
        Broken().embed(["x"])
