"""The support knowledge base: documents in the ``kb-docs`` bucket -> chunks -> hybrid index.

Local backend (default): chunks live in the vector index ``open_index()`` opens (the composition root
hands in the one named "kb")
(``<home>/indexes/kb``: vectors.csc, sparse, or vectors.npy, dense, + items.jsonl), each IndexItem having
id ``<source>#<chunk_no>`` and metadata {source, heading, chunk, doc_hash, category, title}.
Next to it ``bm25.npz`` (per-chunk term counts, compact arrays; an older ``bm25.json`` still loads) and ``manifest.json`` (per-document sync
status and content hash). Sync is incremental by content hash; everything is computed in
memory first and then written file by file (each atomically, metadata last), so a failed
sync leaves the previous index usable; on load the BM25 state and manifest are checked
against the vector index and rebuilt from it when they disagree.

Retrieval is hybrid: BM25 and vector cosine, fused by normalized-score fusion
(``0.2 * bm25/max(bm25) + 0.8 * cosine``, cosine IDF-weighted per dimension for n-gram vectors; reciprocal rank fusion is available as
``fusion="rrf"``). Metadata filters restrict both. On AWS (``kb_backend=bedrock``) search is
Bedrock Knowledge Bases ``retrieve`` and sync is ``start_ingestion_job``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import ConfigurationError, NotFound, ValidationFailed
from ..files import atomic_write
from ..lazy import resolve
from ..logs import get_logger
from ..ports.kb_models import KbResult, SyncReport
from ..ports.kv import TableSpec
from ..ports.objectstore import content_hash, list_all
from ..ports.vector_index import (
    ANN_CANDIDATES,
    ANN_FILE,
    DENSE_FILE,
    SPARSE_FILE,
    Filter,
    IndexItem,
    SparseVectors,
    idf_weights,
    matches,
)
from .bm25 import BM25Index, Thesaurus
from .documents import DocumentParseError, chunk_document, doc_kind, parse_document

log = get_logger(__name__)

INDEX_NAME = "kb"
LOCKS = TableSpec("support_kb_locks", "name")  # one sync at a time per home (the lease lock's table)
MANIFEST = "manifest.json"
BM25_STATE = "bm25.npz"
BM25_LEGACY = "bm25.json"  # the older JSON state: still read, replaced by the next sync
FUSION_WEIGHT = 0.2  # share of BM25 in normalized-score fusion (chosen on the dev split of kb_eval.json)
RRF_K = 60


def index_text(title: str, heading: str, text: str) -> str:
    """What is embedded and BM25-indexed for a chunk: its document title and heading lead in."""
    lead = title if heading in ("", title) else f"{title}. {heading}"
    return f"{lead}. {text}"


def _fingerprint(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()


def filter_data(filters: dict[str, Any] | None) -> list[Filter]:
    """The KB's filter dict ({field: value or list of values}) as index filters (field, op, value)."""
    return [(key, "in", list(want)) if isinstance(want, list | tuple | set | frozenset) else (key, "eq", want)
            for key, want in (filters or {}).items()]


class _State:
    """Loaded index + BM25 + manifest, consistent with each other."""

    def __init__(self, index, bm25: BM25Index, manifest: dict[str, Any]) -> None:
        self.index = index
        self.items = index.items()  # one list per loaded state, not a copy per search
        self.bm25 = bm25
        self.manifest = manifest
        self._matrices: dict[bool, tuple] = {}  # dim_idf -> (matrix, idf or None, row norms or None)

    def _weighted(self, qv: np.ndarray, dim_idf: bool) -> tuple[Any, np.ndarray | None, np.ndarray | None, np.ndarray]:
        """(matrix, idf or None, row norms or None, the query weighted and normalized as scored)."""
        if dim_idf not in self._matrices:  # the state is shared: each weighting has its own entry
            self._matrices[dim_idf] = _scoring_matrix(self.index.matrix(), dim_idf)
        matrix, idf, norms = self._matrices[dim_idf]
        q = np.asarray(qv, dtype=np.float32).reshape(-1)
        if idf is not None:
            q = q * idf
            q = q / (float(np.linalg.norm(q)) or 1.0)
        return matrix, idf, norms, q

    def vector_scores(self, qv: np.ndarray, dim_idf: bool) -> np.ndarray:
        """Cosine scores; with dim_idf, dimensions are weighted by their inverse document frequency
        over the indexed chunks (hashed n-gram slots shared by every chunk say little). Sparse
        stored vectors are scored column-wise over the query's non-zero slots only; the IDF-weighted
        cosine is (v . (q*idf)) / |v*idf| so only the per-row weighted norms are precomputed,
        never a reweighted copy of the matrix."""
        matrix, idf, norms, q = self._weighted(qv, dim_idf)
        if isinstance(matrix, SparseVectors):
            raw = matrix.dot(q, idf)
            return raw / norms if norms is not None else raw
        return np.asarray(matrix @ q).reshape(-1)

    def vector_scores_of(self, qv: np.ndarray, dim_idf: bool, rows: np.ndarray) -> np.ndarray:
        """vector_scores(qv, dim_idf)[rows] for ascending rows, computed for these rows only."""
        matrix, idf, norms, q = self._weighted(qv, dim_idf)
        if isinstance(matrix, SparseVectors):
            raw = matrix.rescore(rows, q, idf)
            return raw / norms[rows] if norms is not None else raw
        return np.asarray(np.asarray(matrix[rows]) @ q).reshape(-1)


_idf = idf_weights


def _scoring_matrix(vecs, dim_idf: bool):
    """(matrix, per-dimension IDF or None, per-row IDF-weighted norms or None). Sparse vectors are
    kept as stored (memory-mapped); dense ones are reweighted and row-normalized once."""
    if isinstance(vecs, SparseVectors):
        if not dim_idf:
            return vecs, None, None
        idf = _idf(vecs.column_counts(), len(vecs))
        norms = vecs.row_norms(idf)
        norms[norms == 0] = 1.0
        return vecs, idf, norms
    if not dim_idf:
        return vecs, None, None
    idf = _idf((np.abs(vecs) > 0).sum(axis=0), len(vecs))
    w = vecs * idf
    norms = np.linalg.norm(w, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return w / norms, idf, None


_STATE_CACHE: dict[str, tuple[tuple, _State]] = {}
_STATE_LOCK = threading.Lock()


class KnowledgeBase:
    def __init__(self, settings: Settings, *, store, embedder, open_index: Callable[[], Any], locks, bedrock,
                 fusion: str = "score", expand_queries: bool = True, dim_idf: bool | None = None) -> None:
        """The ports come from the composition root (``wiring.knowledge_base``): the ``kb-docs`` object
        store, the text embedder and the sync lock's key-value table (each may be ``Lazy``: a search served
        from the cached state needs neither), ``open_index`` (reopens the vector index: a sync in another
        process rewrites it) and ``bedrock`` (None: the local index)."""
        self.settings = settings
        self.store = store
        self._embedder = embedder
        self._open_index = open_index
        self._locks = locks
        self.bucket = settings.support.kb_bucket
        self.directory = settings.paths.indexes / INDEX_NAME
        if fusion not in ("score", "rrf"):
            raise ConfigurationError(f"unknown fusion {fusion!r}", hint="use 'score' or 'rrf'")
        self.fusion = fusion
        self.thesaurus = Thesaurus.default() if expand_queries else None
        # IDF weighting of vector dimensions helps sparse hashed n-gram vectors, not dense models.
        self.dim_idf = (settings.text_embedder == "ngram") if dim_idf is None else dim_idf
        self._bedrock = bedrock

    @property
    def embedder(self):
        return resolve(self._embedder)

    # -- state ---------------------------------------------------------------------------
    def _stamp(self) -> tuple:
        out: list[tuple[int, int] | None] = []
        for name in ("items.jsonl", DENSE_FILE, SPARSE_FILE, ANN_FILE, BM25_STATE, BM25_LEGACY, MANIFEST):
            try:
                st = (self.directory / name).stat()
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def _load(self, fresh: bool = False) -> _State:
        key = str(self.directory)
        stamp = self._stamp()
        with _STATE_LOCK:
            cached = _STATE_CACHE.get(key)
            if cached and cached[0] == stamp and not fresh:
                return cached[1]
        index = self._open_index()
        items = index.items()
        ids = [it.id for it in items]
        manifest: dict[str, Any] = {}
        mpath = self.directory / MANIFEST
        if mpath.exists():
            try:
                manifest = json.loads(mpath.read_text(encoding="utf-8"))
            except ValueError:
                manifest = {}
        if manifest.get("fingerprint") != _fingerprint(ids):
            # A sync died between files: trust the vector index, rebuild the rest from it.
            if items or manifest:
                log.warning("kb manifest does not match the index; rebuilding it from the index", directory=key)
            docs: dict[str, dict[str, Any]] = {}
            for it in items:
                d = docs.setdefault(it.metadata["source"], {"doc_hash": it.metadata.get("doc_hash"), "chunks": 0,
                                                            "status": "indexed", "title": it.metadata.get("title"),
                                                            "category": it.metadata.get("category")})
                d["chunks"] += 1
            failed = {s: d for s, d in manifest.get("documents", {}).items() if d.get("status") != "indexed"}
            manifest = {"documents": {**failed, **docs}, "embedder": manifest.get("embedder")}
        bm25 = None
        bpath, legacy = self.directory / BM25_STATE, self.directory / BM25_LEGACY
        try:
            if bpath.exists():
                bm25 = BM25Index.load(bpath)
            elif legacy.exists():
                bm25 = BM25Index.from_state(json.loads(legacy.read_text(encoding="utf-8")))
        except (ValueError, KeyError, OSError, EOFError) as exc:  # a torn or foreign file: rebuilt below
            log.warning("kb BM25 state unreadable; rebuilding it from the index", error=str(exc))
            bm25 = None
        if bm25 is None or bm25.ids != ids:
            bm25 = BM25Index()
            bm25.set_documents(ids, {it.id: BM25Index.term_counts(
                index_text(it.metadata.get("title", ""), it.metadata.get("heading", ""), it.text)) for it in items})
        state = _State(index, bm25, manifest)
        with _STATE_LOCK:
            _STATE_CACHE[key] = (stamp, state)
        return state

    # -- sync ----------------------------------------------------------------------------
    def mirror_folder(self, docs_dir: str | Path) -> dict[str, int]:
        """Make the bucket hold exactly the folder's documents (uploads new/changed, removes the rest)."""
        root = Path(docs_dir)
        if not root.is_dir():
            raise NotFound(f"docs folder {root} does not exist", hint="pass --docs DIR with your .md/.txt/.html files")
        wanted: dict[str, Path] = {}
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                wanted[rel] = path
        existing = {o.key for o in list_all(self.store, self.bucket)}
        uploaded = removed = 0
        for rel, path in wanted.items():
            data = path.read_bytes()
            if rel in existing and content_hash(self.store.get_bytes(self.bucket, rel)) == content_hash(data):
                continue
            self.store.put_bytes(self.bucket, rel, data)
            uploaded += 1
        for key in existing - set(wanted):
            self.store.delete(self.bucket, key)
            removed += 1
        return {"uploaded": uploaded, "removed": removed, "files": len(wanted)}

    def sync(self, docs_dir: str | Path | None = None) -> SyncReport:
        """Full incremental sync of the bucket (after mirroring ``docs_dir`` into it when given)."""
        if docs_dir is not None:
            self.mirror_folder(docs_dir)
        if self._bedrock is not None:
            return self._bedrock.sync()
        keys = [o.key for o in list_all(self.store, self.bucket)]
        return self._apply(present=keys, full=True)

    def sync_keys(self, created: Iterable[str] = (), deleted: Iterable[str] = ()) -> SyncReport:
        """Sync only the named objects (S3 events): created/updated keys are re-read, deleted ones removed."""
        if self._bedrock is not None:
            return self._bedrock.sync()
        created, deleted = list(dict.fromkeys(created)), list(dict.fromkeys(deleted))
        # An object "created" then deleted before we ran: trust the bucket.
        present = [k for k in created if self.store.exists(self.bucket, k)]
        gone = [k for k in created if k not in present] + deleted
        gone = [k for k in gone if not self.store.exists(self.bucket, k)]
        return self._apply(present=present, full=False, gone=gone)

    def _apply(self, present: list[str], full: bool, gone: list[str] | None = None) -> SyncReport:
        """One sync at a time per home/table (a lease lock in the key-value store: LockHeld otherwise)."""
        from ..ports.kv import Lock

        with Lock(resolve(self._locks), "kb-sync", 900):
            return self._apply_locked(present, full, gone)

    def _apply_locked(self, present: list[str], full: bool, gone: list[str] | None = None) -> SyncReport:
        t0 = time.perf_counter()
        report = SyncReport()
        state = self._load(fresh=True)
        index = state.index
        old_docs: dict[str, dict[str, Any]] = dict(state.manifest.get("documents", {}))
        embedder_name = getattr(self.embedder, "name", type(self.embedder).__name__)
        same_embedder = state.manifest.get("embedder") in (None, embedder_name) or not len(index)
        if not same_embedder:
            log.info("kb embedder changed; re-embedding every document",
                     before=state.manifest.get("embedder"), now=embedder_name)
        docs = dict(old_docs)
        new_items: list[IndexItem] = []
        replace_sources: set[str] = set()
        for key in present:
            kind = doc_kind(key)
            old = old_docs.get(key)
            if kind is None:
                docs[key] = {"status": "skipped", "error": "unsupported document type (use .md, .txt or .html)"}
                report.skipped.append({"source": key, "error": docs[key]["error"]})
                log.warning("kb document skipped", source=key, reason="unsupported type")
                if old and old.get("status") == "indexed":
                    replace_sources.add(key)
                continue
            try:
                data = self.store.get_bytes(self.bucket, key)
            except NotFound:
                (gone := gone or []).append(key)
                continue
            doc_hash = content_hash(data)
            if old and old.get("doc_hash") == doc_hash and old.get("status") == "indexed" and same_embedder:
                report.unchanged += 1
                continue
            replace_sources.add(key)
            try:
                parsed = parse_document(key, data)
                chunks = chunk_document(parsed, self.settings.support.kb_chunk_tokens, self.settings.support.kb_chunk_overlap_tokens)
            except DocumentParseError as exc:
                log.warning("kb document skipped", source=key, reason=str(exc))
                docs[key] = {"status": "failed", "error": str(exc), "doc_hash": doc_hash, "chunks": 0,
                             "synced_at": datetime.now(UTC).isoformat()}
                report.skipped.append({"source": key, "error": str(exc)})
                continue
            for ch in chunks:
                meta = {"source": key, "heading": ch.heading, "chunk": ch.chunk_no, "doc_hash": doc_hash,
                        "category": parsed.category, "title": parsed.title}
                new_items.append(IndexItem(f"{key}#{ch.chunk_no}", ch.text, meta))
            (report.changed if old and old.get("status") == "indexed" else report.added).append(key)
            docs[key] = {"status": "indexed", "doc_hash": doc_hash, "chunks": len(chunks), "title": parsed.title,
                         "category": parsed.category, "synced_at": datetime.now(UTC).isoformat(), "error": None}
        removed = set(gone or [])
        if full:
            removed |= set(old_docs) - set(present)
        for key in sorted(removed):
            if key in docs:
                if old_docs.get(key, {}).get("status") == "indexed":
                    report.deleted.append(key)
                docs.pop(key, None)
        # Compute everything that can fail (embedding) before touching the files on disk.
        vectors = self.embedder.embed([index_text(it.metadata["title"], it.metadata["heading"], it.text)
                                       for it in new_items]) if new_items else None
        drop = replace_sources | removed
        if not same_embedder:
            index.clear()
        if drop:
            index.delete_where([("source", "in", sorted(drop))])
        if new_items:
            index.upsert(new_items, vectors)
        items = index.items()
        ids = [it.id for it in items]
        known = set(state.bm25.ids)
        new_ids = {it.id for it in new_items}
        tfs = {it.id: BM25Index.term_counts(index_text(it.metadata.get("title", ""), it.metadata.get("heading", ""),
                                                       it.text))
               for it in items if it.id in new_ids or it.id not in known}
        bm25 = BM25Index()
        bm25.set_documents(ids, tfs, reuse=state.bm25)  # unchanged chunks keep their counts
        report.chunks = len(items)
        report.documents = sum(1 for d in docs.values() if d.get("status") == "indexed")
        manifest = {"version": 1, "embedder": embedder_name, "fingerprint": _fingerprint(ids),
                    "synced_at": datetime.now(UTC).isoformat(), "documents": dict(sorted(docs.items()))}
        changed_anything = bool(new_items or drop or not same_embedder) or docs != old_docs
        if changed_anything or not (self.directory / MANIFEST).exists():
            index.save()
            atomic_write(self.directory / BM25_STATE, bm25.save)
            (self.directory / BM25_LEGACY).unlink(missing_ok=True)
            atomic_write(self.directory / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
        report.seconds = round(time.perf_counter() - t0, 3)
        log.info("kb sync done", added=len(report.added), changed=len(report.changed), deleted=len(report.deleted),
                 unchanged=report.unchanged, skipped=len(report.skipped), chunks=report.chunks)
        return report

    # -- read ----------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Per-document sync status for the console: source, status, chunks, doc_hash, synced_at, error."""
        if self._bedrock is not None:
            return [{"source": o.key, "status": "managed by Bedrock", "chunks": None}
                    for o in list_all(self.store, self.bucket)]
        state = self._load()
        docs = state.manifest.get("documents", {})
        in_bucket = {o.key for o in list_all(self.store, self.bucket)}
        out = []
        for source in sorted(set(docs) | in_bucket):
            d = docs.get(source)
            if d is None:
                out.append({"source": source, "status": "pending", "chunks": 0, "doc_hash": None,
                            "synced_at": None, "error": None, "title": None, "category": None})
            else:
                out.append({"source": source, "status": d.get("status"), "chunks": d.get("chunks", 0),
                            "doc_hash": d.get("doc_hash"), "synced_at": d.get("synced_at"), "error": d.get("error"),
                            "title": d.get("title"), "category": d.get("category"),
                            "in_bucket": source in in_bucket})
        return out

    def chunks(self) -> list[IndexItem]:
        return self._load().index.items()

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None, *, mode: str = "hybrid",
               max_per_source: int | None = None,
               demote: Callable[[str, list[KbResult]], list[KbResult]] | None = None) -> list[KbResult]:
        """Top-k passages. mode: hybrid | bm25 | vector. ``demote`` may rescore candidates (feedback)."""
        query = (query or "").strip()
        if not query:
            raise ValidationFailed("the search query is empty", field="query", hint="type a question")
        if k < 1 or k > 100:
            raise ValidationFailed("k must be between 1 and 100", field="k")
        if self._bedrock is not None:
            results = self._bedrock.search(query, k=k * 3 if demote else k, filters=filters)
            if demote:
                results = sorted(demote(query, results), key=lambda r: -r.score)
            return _limit(results, k, max_per_source)
        state = self._load()
        items = state.items
        if not items:
            return []
        checked = [(k_, op, frozenset(v) if op == "in" else v) for k_, op, v in filter_data(filters)]
        mask = np.array([matches(it.metadata, checked) for it in items], dtype=bool) if filters else None
        pool = min(len(items), max(k * 4, 20))
        ranked = self._candidate_scores(state, query, mode, mask, pool)
        if ranked is not None:
            rows, scores = ranked
        else:
            rows, scores = np.arange(len(items)), self._scores(state, query, mode)
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
        pool = min(pool, len(rows))
        if not pool:
            return []
        top = np.argpartition(-scores, pool - 1)[:pool] if pool < len(rows) else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        results = [_result(items[rows[i]], float(scores[i])) for i in top if np.isfinite(scores[i])]
        if demote:
            results = sorted(demote(query, results), key=lambda r: -r.score)
        return _limit(results, k, max_per_source)

    def _queries(self, query: str, mode: str) -> tuple[str | dict[str, float], str]:
        if mode not in ("hybrid", "bm25", "vector"):
            raise ValidationFailed(f"unknown search mode {mode!r}", field="mode", hint="hybrid, bm25 or vector")
        if self.thesaurus is not None:
            return self.thesaurus.expand(query)
        return query, query

    def _query_vector(self, state: _State, vec_query: str) -> np.ndarray:
        embedder_name = getattr(self.embedder, "name", "")
        built_with = state.manifest.get("embedder")
        if built_with and built_with != embedder_name:
            raise ConfigurationError(
                f"the KB index was built with {built_with!r} but the configured embedder is {embedder_name!r}",
                hint="run 'commerce kb sync' to re-embed the documents")
        return np.asarray(self.embedder.embed([vec_query])[0], dtype=np.float32)

    def _candidate_scores(self, state: _State, query: str, mode: str, mask: np.ndarray | None,
                          pool: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, exact scores) of the candidates when the index has an approximate graph: its
        vector candidates plus the BM25 top (BM25 itself stays exact: its postings are cheap),
        both re-scored exactly; a filter passing few rows scores those rows. None: search exactly."""
        if mode == "bm25" or state.index.candidates(np.zeros(0, np.float32), 0) is None:
            return None  # exact search (asked before embedding the query: no work done twice)
        bm_query, vec_query = self._queries(query, mode)
        qv = self._query_vector(state, vec_query)
        count = max(ANN_CANDIDATES, 2 * pool)
        if mask is not None and int(mask.sum()) <= 4 * count:
            rows = np.flatnonzero(mask)
        else:
            found = state.index.candidates(qv, count * (4 if mask is not None else 1))
            assert found is not None
            rows = found
        bm = state.bm25.scores(bm_query) if mode == "hybrid" else None
        if bm is not None:
            top_bm = np.argpartition(-bm, min(count, len(bm) - 1))[:count] if count < len(bm) else np.arange(len(bm))
            rows = np.union1d(rows, top_bm[bm[top_bm] > 0])
        if mask is not None:
            rows = rows[mask[rows]]
        vec = state.vector_scores_of(qv, self.dim_idf, rows)
        if bm is None:
            return rows, vec
        return rows, fuse(bm[rows], vec, self.fusion, bm25_max=float(bm.max()) if len(bm) else 0.0)

    def _scores(self, state: _State, query: str, mode: str) -> np.ndarray:
        bm_query, vec_query = self._queries(query, mode)
        bm = state.bm25.scores(bm_query) if mode in ("hybrid", "bm25") else None
        vec = None
        if mode in ("hybrid", "vector"):
            qv = self._query_vector(state, vec_query)
            vec = state.vector_scores(qv, dim_idf=self.dim_idf)
        if bm is None or vec is None:
            out = bm if vec is None else vec
            assert out is not None  # _queries checked the mode
            return out
        return fuse(bm, vec, self.fusion)


def fuse(bm25: np.ndarray, vec: np.ndarray, method: str = "score", weight: float | None = None,
         bm25_max: float | None = None) -> np.ndarray:
    """Normalized-score fusion (BM25 / its max, cosine clipped at 0) or reciprocal rank fusion.
    ``bm25_max``: the maximum over all chunks when only candidates' scores are passed (ranks of
    reciprocal rank fusion are then ranks among the candidates)."""
    weight = FUSION_WEIGHT if weight is None else weight
    if method == "rrf":
        out = np.zeros(len(bm25), dtype=np.float64)
        for s in (bm25, vec):
            order = np.argsort(-s, kind="stable")
            ranks = np.empty(len(s), dtype=np.float64)
            ranks[order] = np.arange(1, len(s) + 1)
            out += 1.0 / (RRF_K + ranks)
        return out
    top = bm25_max if bm25_max is not None else (float(bm25.max()) if len(bm25) else 0.0)
    bmn = bm25 / top if top > 0 else bm25
    return weight * bmn + (1 - weight) * np.clip(vec, 0.0, 1.0)


def _result(item: IndexItem, score: float) -> KbResult:
    m = item.metadata
    return KbResult(source=m.get("source", ""), text=item.text, score=score, heading=m.get("heading", ""),
                    id=item.id, chunk=int(m.get("chunk", 0)), category=m.get("category"), title=m.get("title", ""))


def _limit(results: list[KbResult], k: int, max_per_source: int | None) -> list[KbResult]:
    if not max_per_source:
        return results[:k]
    seen: dict[str, int] = {}
    out = []
    for r in results:
        if seen.get(r.source, 0) >= max_per_source:
            continue
        seen[r.source] = seen.get(r.source, 0) + 1
        out.append(r)
        if len(out) >= k:
            break
    return out

