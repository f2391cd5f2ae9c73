"""The export pipeline: source pages -> validation -> downloads (concurrency D) -> embeddings
(concurrency E, thread pool) -> Arrow batches -> one Iceberg transaction per run.

Stages are connected by bounded queues, so a large day never sits in memory whole and downloads keep
going while images are being embedded. The same URL is fetched once per run; an image whose sha256 was
embedded before (this run or an earlier one, by the same model) is not embedded again.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..logs import get_logger
from ..ports.fetcher import FetchError, ImageFetcher
from ..ports.image_embeddings import EMBEDDING_DIM, ImageRejected
from .models import REASONS, RowRejected, SaleRow, classify, fetch_reason, reason_of, validate_row

log = get_logger("exports.pipeline")


class EmbeddingCache:
    """Embeddings by (model, image sha256) in the object store, written in packs of ``pack_size``
    vectors (and the rest at the end of the run), not one object per image (an S3 PUT per image was
    7-9% of the export's CPU). A pack of 1,024 is 4 MB: memory stays flat however large the day.

    Layout under ``<bucket>/<model>/``:
      ``packs/<id>.f32``  the pack's vectors, n x 1024 little-endian float32
      ``packs/<id>.sha``  their sha256 digests, n x 32 bytes in the same order (the index, 1/128 the size)
      ``<sha[:2]>/<sha>.f32``  one vector per object: the layout before packs, still read (never written)

    The index of every pack is read once per run, on the first lookup, into a sorted digest array
    (32 bytes a vector, searched by bisection); a hit reads its whole pack once (a few kept). Packs
    are written when the pipeline flushes its rows, so a run that dies loses only the vectors of
    its last pack (they are embedded again next time).
    """

    def __init__(self, store, bucket: str, model: str, pack_size: int = 1024, packs_kept: int = 4) -> None:
        from cachetools import LRUCache

        self.store = store
        self.bucket = bucket
        self.prefix = model.replace(":", "_").replace("/", "_")
        self.pack_size = max(1, pack_size)
        self._lock = threading.Lock()
        self._pending: dict[str, np.ndarray] = {}
        self._digests = np.zeros(0, dtype="S32")  # sorted
        self._pack_of = np.zeros(0, dtype=np.int32)  # row -> position in self._packs
        self._row_of = np.zeros(0, dtype=np.int32)  # row -> row within its pack
        self._packs: list[str] = []
        self._loaded = False
        self._legacy: bool | None = None
        self._pack_vectors: LRUCache = LRUCache(maxsize=packs_kept)
        self.packs_written = 0

    def _legacy_key(self, sha: str) -> str:
        return f"{self.prefix}/{sha[:2]}/{sha}.f32"

    def _pack_key(self, pack: str, ext: str) -> str:
        return f"{self.prefix}/packs/{pack}.{ext}"

    # -- index -------------------------------------------------------------------------------------
    def _load_index(self) -> None:
        from ..ports.objectstore import list_all

        packs, digests = [], []
        for info in list_all(self.store, self.bucket, f"{self.prefix}/packs/"):
            if info.key.endswith(".sha"):
                raw = self.store.get_bytes(self.bucket, info.key)
                packs.append(info.key.rsplit("/", 1)[-1][:-4])
                digests.append(np.frombuffer(raw, dtype="S32"))
        self._packs = []
        self._digests = np.zeros(0, dtype="S32")
        self._pack_of = self._row_of = np.zeros(0, dtype=np.int32)
        for pack, d in zip(packs, digests, strict=True):
            self._add_to_index(pack, d)
        self._loaded = True

    def _add_to_index(self, pack: str, digests: np.ndarray) -> None:
        self._packs.append(pack)
        all_d = np.concatenate([self._digests, digests])
        pack_of = np.concatenate([self._pack_of, np.full(len(digests), len(self._packs) - 1, dtype=np.int32)])
        row_of = np.concatenate([self._row_of, np.arange(len(digests), dtype=np.int32)])
        order = np.argsort(all_d, kind="stable")
        self._digests, self._pack_of, self._row_of = all_d[order], pack_of[order], row_of[order]

    def _has_legacy(self) -> bool:
        """Whether per-image objects of the old layout exist (their folders sort before ``packs/``)."""
        if self._legacy is None:
            first: list = next(iter(self.store.list_pages(self.bucket, f"{self.prefix}/", page_size=1)), [])
            self._legacy = bool(first) and not first[0].key.startswith(f"{self.prefix}/packs/")
        return self._legacy

    # -- reads -------------------------------------------------------------------------------------
    def get(self, sha: str) -> np.ndarray | None:
        try:
            with self._lock:
                vec = self._pending.get(sha)
                if vec is not None:
                    return vec
                if not self._loaded:
                    self._load_index()
                vec = self._from_packs(sha)
            if vec is None and self._has_legacy():
                vec = self._from_legacy(sha)
        except Exception as exc:  # a cache miss is never fatal
            log.warning("embedding cache read failed", sha256=sha, error=str(exc))
            return None
        return vec if vec is not None and vec.shape == (EMBEDDING_DIM,) else None

    def _from_packs(self, sha: str) -> np.ndarray | None:
        try:
            digest = np.array([bytes.fromhex(sha)], dtype="S32")
        except ValueError:
            return None
        i = int(np.searchsorted(self._digests, digest[0]))
        if i >= len(self._digests) or self._digests[i] != digest[0]:
            return None
        pack = self._packs[int(self._pack_of[i])]
        vectors = self._pack_vectors.get(pack)
        if vectors is None:
            raw = self.store.get_bytes(self.bucket, self._pack_key(pack, "f32"))
            vectors = self._pack_vectors[pack] = np.frombuffer(raw, dtype="<f4").reshape(-1, EMBEDDING_DIM)
        return np.asarray(vectors[int(self._row_of[i])], dtype=np.float32)

    def _from_legacy(self, sha: str) -> np.ndarray | None:
        key = self._legacy_key(sha)
        if not self.store.exists(self.bucket, key):
            return None
        return np.frombuffer(self.store.get_bytes(self.bucket, key), dtype="<f4").astype(np.float32)

    # -- writes ------------------------------------------------------------------------------------
    def put(self, sha: str, vec: np.ndarray) -> None:
        """Held until ``pack_size`` vectors are held (then written as a pack) or the next ``flush``;
        readable from this cache meanwhile."""
        with self._lock:
            self._pending[sha] = np.asarray(vec, dtype=np.float32)
            full = len(self._pending) >= self.pack_size
        if full:
            self.flush()

    def flush(self) -> None:
        """Write the held vectors as one pack (two objects). A failed write is logged, never fatal."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        pack = uuid.uuid4().hex
        shas = list(pending)
        try:
            digests = np.array([bytes.fromhex(s) for s in shas], dtype="S32")
            vectors = np.stack([pending[s] for s in shas]).astype("<f4")
            # Vectors first, index second: an index is only ever seen with its vectors in place.
            self.store.put_bytes(self.bucket, self._pack_key(pack, "f32"), vectors.tobytes(),
                                 content_type="application/octet-stream")
            self.store.put_bytes(self.bucket, self._pack_key(pack, "sha"), digests.tobytes(),
                                 content_type="application/octet-stream")
        except Exception as exc:
            log.warning("embedding cache write failed", vectors=len(shas), error=str(exc))
            return
        with self._lock:
            if self._loaded:
                self._add_to_index(pack, digests)
            self.packs_written += 1


@dataclass
class RunStats:
    total: int = 0          # rows read from the source (or retried)
    exported: int = 0       # rows written to the table
    embedded: int = 0       # rows exported with an embedding
    rejected: int = 0       # rows refused by validation (not exported)
    image_errors: int = 0   # rows exported with embedding_error
    downloads: int = 0      # distinct URLs fetched
    bytes_downloaded: int = 0
    embeddings_computed: int = 0
    embeddings_reused: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return self.rejected + self.image_errors

    def as_dict(self) -> dict[str, Any]:
        return {"totalCount": self.total, "successCount": self.embedded, "errorCount": self.errors,
                "exportedCount": self.exported, "rejectedCount": self.rejected,
                "imageErrorCount": self.image_errors, "downloads": self.downloads,
                "bytesDownloaded": self.bytes_downloaded, "embeddingsComputed": self.embeddings_computed,
                "embeddingsReused": self.embeddings_reused, "reasons": dict(self.reasons),
                "failureClasses": classify(self.reasons)}


class _ImageStage:
    """URL -> (sha256, vector) with per-run URL dedup, sha256 dedup and the cross-run cache."""

    def __init__(self, fetcher: ImageFetcher, embedder, cache: EmbeddingCache | None, embed_concurrency: int,
                 stats: RunStats, lru_size: int = 2048) -> None:
        from cachetools import LRUCache

        self.fetcher = fetcher
        self.embedder = embedder
        self.cache = cache
        self.stats = stats
        # A CPU-bound embedder (offline) says how many threads can help (the cores); a remote one
        # (Titan) waits on the network, so it gets the configured concurrency.
        cap = getattr(embedder, "max_concurrency", None)
        self.workers = max(1, min(embed_concurrency, cap) if cap else embed_concurrency)
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="embed")
        self.url_results: dict[str, tuple[str | None, str | None]] = {}  # url -> (sha, error), small
        self.url_inflight: dict[str, asyncio.Future] = {}
        self.sha_inflight: dict[str, asyncio.Future] = {}
        self.vectors: LRUCache = LRUCache(maxsize=lru_size)

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    async def image(self, url: str) -> tuple[str | None, np.ndarray | None, str | None]:
        known = self.url_results.get(url)
        if known is None and url in self.url_inflight:
            await asyncio.shield(self.url_inflight[url])
            known = self.url_results.get(url)
        if known is not None:
            sha, error = known
            if error or sha is None:
                return sha, None, error
            return sha, await self.vector(sha, None), None
        fut = asyncio.get_running_loop().create_future()
        self.url_inflight[url] = fut
        try:
            try:
                fetched = await self.fetcher.fetch(url)
            except FetchError as exc:
                self.url_results[url] = (None, f"{fetch_reason(exc.reason, exc.detail)}: {exc.detail}")
                return None, None, self.url_results[url][1]
            self.stats.downloads += 1
            self.stats.bytes_downloaded += len(fetched.data)
            sha = hashlib.sha256(fetched.data).hexdigest()
            try:
                vec = await self.vector(sha, fetched.data)
            except ImageRejected as exc:  # a bad image (a decompression bomb, say), counted by its reason
                self.url_results[url] = (sha, f"{exc.reason}: {exc.detail}")
                return sha, None, self.url_results[url][1]
            except Exception as exc:  # embedder failure: the sale is still exported
                self.url_results[url] = (sha, f"embedding_failed: {exc}")
                return sha, None, self.url_results[url][1]
            self.url_results[url] = (sha, None)
            return sha, vec, None
        finally:
            self.url_inflight.pop(url, None)
            fut.set_result(None)

    async def vector(self, sha: str, data: bytes | None) -> np.ndarray:
        vec = self.vectors.get(sha)
        if vec is not None:
            self.stats.embeddings_reused += 1
            return vec
        if sha in self.sha_inflight:
            await asyncio.shield(self.sha_inflight[sha])
            return await self.vector(sha, data)
        fut = asyncio.get_running_loop().create_future()
        self.sha_inflight[sha] = fut
        try:
            # One hop to the pool (whose size is the embedding concurrency): cache lookup, embed, cache write.
            computed, reused = await asyncio.get_running_loop().run_in_executor(self.pool, self._compute, sha, data)
            if reused:
                self.stats.embeddings_reused += 1
            else:
                self.stats.embeddings_computed += 1
            self.vectors[sha] = computed
            return computed
        finally:
            self.sha_inflight.pop(sha, None)
            fut.set_result(None)

    def _compute(self, sha: str, data: bytes | None) -> tuple[np.ndarray, bool]:
        vec = self.cache.get(sha) if self.cache else None
        if vec is not None:
            return vec, True
        if data is None:  # evicted from the LRU and not in the cache
            raise RuntimeError("embedding no longer available for a repeated URL")
        vec = self.embedder.embed(data)
        if self.cache:
            self.cache.put(sha, vec)
        return vec, False


def rows_to_arrow(rows: list[SaleRow], schema, exported_at: datetime):
    """Arrow batch in the table's schema; embeddings as one flat float32 buffer."""
    import pyarrow as pa

    n = len(rows)
    mask = np.array([r.embedding is None for r in rows], dtype=bool)
    vecs = [r.embedding for r in rows if r.embedding is not None]
    flat = np.concatenate(vecs).astype(np.float32) if vecs else np.zeros(0, dtype=np.float32)
    lengths = np.array([0 if r.embedding is None else len(r.embedding) for r in rows], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    emb_type = schema.field("embedding").type
    embedding = pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), pa.array(flat, pa.float32()),
                                              type=emb_type, mask=pa.array(mask))
    cols: dict[str, Any] = {
        "sale_id": [r.sale_id for r in rows], "tenant_id": [r.tenant_id for r in rows],
        "product_id": [r.product_id for r in rows], "title": [r.title for r in rows],
        "category": [r.category for r in rows], "brand": [r.brand for r in rows],
        "sold_price": [r.sold_price for r in rows], "currency": [r.currency for r in rows],
        "sold_at": [r.sold_at for r in rows], "image_url": [r.image_url for r in rows],
        "year": [r.sold_at.year for r in rows], "month": [r.sold_at.month for r in rows],
        "image_sha256": [r.image_sha256 for r in rows], "embedding": embedding,
        "embedding_model": [r.embedding_model for r in rows], "embedding_error": [r.embedding_error for r in rows],
        "exported_at": [exported_at] * n,
    }
    arrays = []
    for f in schema:
        value = cols.get(f.name)
        if value is None:
            arrays.append(pa.nulls(n, f.type))  # a column added by a later schema version
        elif isinstance(value, pa.Array):
            arrays.append(value)
        else:
            arrays.append(pa.array(value, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


ProgressFn = Callable[[dict[str, Any]], None]


@dataclass
class PipelineConfig:
    download_concurrency: int = 32
    embed_concurrency: int = 48
    flush_rows: int = 5000
    progress_every: int = 200


class Pipeline:
    def __init__(self, fetcher: ImageFetcher, embedder, sink_replacement, arrow_schema,
                 cache: EmbeddingCache | None, config: PipelineConfig, progress: ProgressFn | None = None,
                 stats: RunStats | None = None) -> None:
        self.fetcher = fetcher
        self.embedder = embedder
        self.replacement = sink_replacement
        self.schema = arrow_schema
        self.cache = cache
        self.config = config
        self.progress = progress
        self.stats = stats or RunStats()
        self.exported_at = datetime.now(UTC)
        self._processed = 0
        self.expected: int | None = None  # rows the run will process, when known (for progress bars)

    async def run(self, raw_pages: AsyncIterator[list[dict[str, Any]]] | None = None,
                  rows: Iterable[SaleRow] | None = None) -> RunStats:
        cfg = self.config
        stage = _ImageStage(self.fetcher, self.embedder, self.cache, cfg.embed_concurrency, self.stats)
        # Enough rows in flight to keep every download and every embedding slot busy, and no more.
        n_workers = cfg.download_concurrency + stage.workers
        in_q: asyncio.Queue = asyncio.Queue(maxsize=2 * n_workers)
        out_q: asyncio.Queue = asyncio.Queue(maxsize=max(64, cfg.flush_rows // 4))
        try:
            workers = [asyncio.create_task(self._worker(stage, in_q, out_q)) for _ in range(n_workers)]
            writer = asyncio.create_task(self._writer(out_q))
            try:
                if raw_pages is not None:
                    async for page in raw_pages:
                        for raw in page:
                            self.stats.total += 1
                            try:
                                row = validate_row(raw)
                            except RowRejected as exc:
                                self._reject(raw, exc)
                                continue
                            await in_q.put(row)
                for row in rows or ():
                    self.stats.total += 1
                    await in_q.put(row)
                for _ in workers:
                    await in_q.put(None)
                await asyncio.gather(*workers)
                await out_q.put(None)
                await writer
                if self.cache is not None:  # the last, partial pack
                    await asyncio.to_thread(self.cache.flush)
            except BaseException:
                for task in [*workers, writer]:
                    task.cancel()
                await asyncio.gather(*workers, writer, return_exceptions=True)
                raise
        finally:
            stage.close()
        return self.stats

    def _reject(self, raw: dict[str, Any], exc: RowRejected) -> None:
        self.stats.rejected += 1
        self.stats.reasons[exc.reason] += 1
        log.warning("sale rejected", sale_id=raw.get("sale_id"), reason=exc.reason, detail=str(exc))
        self._tick()

    async def _worker(self, stage: _ImageStage, in_q: asyncio.Queue, out_q: asyncio.Queue) -> None:
        while True:
            row = await in_q.get()
            if row is None:
                return
            if not row.image_url:
                row.embedding_error = f"no_image_url: {REASONS['no_image_url']}"
            else:
                try:
                    sha, vec, error = await stage.image(row.image_url)
                except Exception as exc:  # one bad image never stops the run
                    sha, vec, error = None, None, f"embedding_failed: {type(exc).__name__}: {exc}"
                row.image_sha256 = sha
                if vec is not None:
                    row.embedding = vec
                    row.embedding_model = self.embedder.name
                    row.embedding_error = None
                else:
                    row.embedding_error = error
            await out_q.put(row)

    async def _writer(self, out_q: asyncio.Queue) -> None:
        buffer: list[SaleRow] = []
        while True:
            row = await out_q.get()
            if row is not None:
                self.stats.exported += 1
                if row.embedding_error:
                    self.stats.image_errors += 1
                    reason = reason_of(row.embedding_error) or "embedding_failed"
                    self.stats.reasons[reason] += 1
                    log.warning("image not embedded; sale exported without embedding", sale_id=row.sale_id,
                                url=row.image_url, reason=reason, detail=row.embedding_error)
                else:
                    self.stats.embedded += 1
                buffer.append(row)
                self._tick()
            if buffer and (row is None or len(buffer) >= self.config.flush_rows):
                batch = rows_to_arrow(buffer, self.schema, self.exported_at)
                buffer = []
                await asyncio.to_thread(self.replacement.append, batch)
            if row is None:
                return

    def _tick(self) -> None:
        self._processed += 1
        if self.progress and (self._processed % self.config.progress_every == 0 or self._processed == self.expected):
            self.progress({"processed": self._processed, "total": self.expected, **self.stats.as_dict()})


async def pages_async(pages) -> AsyncIterator[list[dict[str, Any]]]:
    """A blocking page iterator driven from a thread, one page at a time."""
    it = iter(pages)
    sentinel: Any = object()
    while True:
        page = await asyncio.to_thread(next, it, sentinel)
        if page is sentinel:
            return
        yield page


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
