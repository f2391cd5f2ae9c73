"""Vector index port: a base class owning validation and filters, backends implementing a few
primitives (``_upsert``, ``_delete``, ``_search``, ``items``, ``save``). Local backend: float32
vectors + JSON-lines metadata persisted in the home, saved atomically so a failed update leaves
the previous index usable.

Filters are data, ``[(field, operator, value), ...]`` over item metadata (operators: eq, ne, in,
not_in, lt, le, gt, ge, exists), all of which must hold, so a remote store can run them.

Mostly-zero vectors (hashed n-grams fill ~13% of 4096 slots) are stored column-major sparse
(``vectors.csc``: for each dimension, the rows with a non-zero there, ascending, and their values),
dense model vectors as ``vectors.npy``. Both are memory-mapped on load, never copied: at 100k
n-gram chunks the dense matrix was 1.64 GB, the sparse file is ~0.45 GB and a query only reads the
columns of its own non-zero slots. An old dense ``vectors.npy`` of sparse vectors still loads
(converted in memory) and is rewritten sparse by the next save.

Approximate search (extra ``ann``, usearch): from ``ANN_MIN_ROWS`` rows on, a save also keeps an
HNSW graph (``ann.usearch``, memory-mapped with ``view``) over a fixed random projection of the
vectors to ``ANN_DIMS`` dimensions (IDF-weighted for sparse vectors, stored as int8), with its
keys and weights in ``ann.npz``. It only proposes candidates: they are re-scored exactly from the
stored vectors, so every returned score is the exact one (recall@5 vs exact search is measured by
``benchmarks/bench_kb.py``). Upserts and deletes update the graph; without the extra installed the
index logs a note once and searches exactly.
"""

from __future__ import annotations

import json
import operator
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ..errors import MissingExtraError, require
from ..files import atomic_write
from ..logs import get_logger

log = get_logger(__name__)

DENSE_FILE = "vectors.npy"
SPARSE_FILE = "vectors.csc"
ANN_FILE = "ann.usearch"
ANN_STATE = "ann.npz"
SPARSE_MAX_DENSITY = 0.5  # sparse costs 8 bytes per non-zero (row + value) vs 4 per dense entry
DENSE_COLUMN_SHARE = 0.5  # a column non-zero in more than this share of rows is stored dense
ANN_MIN_ROWS = 200_000  # below this, exact search (p50 ~15 ms at 100k) beats building a graph
ANN_DIMS = 128
ANN_CANDIDATES = 800  # re-scored exactly per query; recall@5 at 1M: 0.988 with 400, 1.000 with 800 (bench_kb.py)
_MAGIC = b"CSCF32\n"
_HEADER = 4096  # bytes reserved for the JSON header; arrays start 64-byte aligned after it

Filter = tuple[str, str, Any]
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}
FILTER_OPS = ("eq", "ne", "in", "not_in", "exists", *_COMPARE)


def check_filters(filters: Sequence[Filter] | None) -> list[Filter]:
    """Validated filters (``in``/``not_in`` values as frozensets); a clear error for anything else."""
    if filters is None:
        return []
    if callable(filters) or isinstance(filters, str | bytes | dict):
        raise ValueError("filters are data: a list of (field, operator, value) tuples, e.g. [('source', 'eq', 'a.md')]")
    out: list[Filter] = []
    for f in filters:
        if not isinstance(f, tuple | list) or len(f) != 3 or not isinstance(f[0], str):
            raise ValueError(f"filter {f!r} is not a (field, operator, value) tuple")
        name, op, value = f
        if op not in FILTER_OPS:
            raise ValueError(f"unknown filter operator {op!r} in {f!r}; use one of {', '.join(FILTER_OPS)}")
        if op in ("in", "not_in"):
            if isinstance(value, str | bytes) or not isinstance(value, Iterable):
                raise ValueError(f"filter {f!r}: {op!r} needs a list of values")
            value = frozenset(value)
        out.append((name, op, value))
    return out


def matches(meta: dict[str, Any], filters: Sequence[Filter]) -> bool:
    """Whether metadata satisfies every (checked) filter. Comparisons with a missing field or an
    incomparable type are false (as in SQL)."""
    for name, op, value in filters:
        have = meta.get(name)
        if op == "eq":
            ok = have == value
        elif op == "ne":
            ok = have != value
        elif op in ("in", "not_in"):
            try:
                ok = (have in value) == (op == "in")
            except TypeError:  # an unhashable metadata value is in no set
                ok = op == "not_in"
        elif op == "exists":
            ok = (name in meta) == bool(value)
        else:
            try:
                ok = have is not None and bool(_COMPARE[op](have, value))
            except TypeError:
                ok = False
        if not ok:
            return False
    return True


def idf_weights(df: np.ndarray, n: int) -> np.ndarray:
    """Per-dimension inverse document frequency (hashed n-gram slots shared by every row say little)."""
    return (np.log((1 + n) / (1 + np.asarray(df))) + 1.0).astype(np.float32)


@dataclass
class IndexItem:
    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Hit:
    id: str
    text: str
    score: float
    metadata: dict[str, Any]


class VectorIndex(ABC):
    """A vector index: the base validates input and filters, a backend implements the primitives."""

    dim: int | None = None

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def items(self) -> list[IndexItem]: ...

    @abstractmethod
    def save(self) -> None: ...

    @abstractmethod
    def _upsert(self, items: list[IndexItem], vectors: np.ndarray) -> None: ...

    @abstractmethod
    def _delete(self, filters: list[Filter]) -> int:
        """Delete the items matching every filter (all items for an empty list); how many."""

    @abstractmethod
    def _search(self, vector: np.ndarray, k: int, filters: list[Filter]) -> list[Hit]: ...

    def upsert(self, items: list[IndexItem], vectors: np.ndarray) -> None:
        if not items:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(items):
            raise ValueError(f"{len(items)} items need a ({len(items)}, dim) array of vectors, got shape {vectors.shape}")
        if self.dim and len(self) and vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[1]} does not match the index ({self.dim});"
                             " rebuild the index after changing the embedder")
        if not np.isfinite(vectors).all():
            raise ValueError("vectors contain NaN or infinite values")
        self._upsert(list(items), vectors)

    def delete_where(self, filters: Sequence[Filter]) -> int:
        checked = check_filters(filters)
        if not checked:
            raise ValueError("delete_where needs at least one (field, operator, value) filter; use clear() to delete all")
        return self._delete(checked)

    def clear(self) -> int:
        return self._delete([])

    def search(self, vector: np.ndarray, k: int = 5, where: Sequence[Filter] | None = None) -> list[Hit]:
        if int(k) < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if self.dim and len(self) and q.shape[0] != self.dim:
            raise ValueError(f"query vector has {q.shape[0]} dimensions, the index {self.dim}")
        return self._search(q, int(k), check_filters(where))

    def candidates(self, vector: np.ndarray, count: int) -> np.ndarray | None:
        """Row numbers an approximate index proposes for ``vector`` (to re-score exactly), or None
        when this index searches exactly."""
        return None

    def matrix(self) -> np.ndarray | SparseVectors:
        """The stored vectors, row-aligned with items() (local backends)."""
        raise NotImplementedError(f"{type(self).__name__} does not expose its stored vectors")

    def vectors(self) -> np.ndarray:
        """Dense copy of the vectors (n x dim): for inspection and small indexes only."""
        v = self.matrix()
        return v.to_dense() if isinstance(v, SparseVectors) else np.asarray(v)


class SparseVectors:
    """n x dim float32 vectors in compressed sparse column form: the rows having a non-zero in
    dimension j are ``rows[indptr[j]:indptr[j+1]]`` with values ``values[...]`` (each row at most
    once per column). Scoring a query visits only the columns where the query is non-zero.

    Columns non-zero in more than half of the rows (hashed n-gram slots of very common grams) are
    kept as dense rows of ``dense`` (one per ``dense_cols`` entry) instead: that takes less space
    than 8 bytes per non-zero, and a query spends half of its time in these columns, where a
    contiguous multiply-add is ~10x faster than the scattered add of the sparse ones."""

    def __init__(self, n: int, dim: int, indptr: np.ndarray, rows: np.ndarray, values: np.ndarray,
                 dense_cols: np.ndarray | None = None, dense: np.ndarray | None = None) -> None:
        self.n, self.dim = int(n), int(dim)
        self.indptr, self.rows, self.values = indptr, rows, values
        self.dense_cols = np.zeros(0, np.int32) if dense_cols is None else dense_cols
        self.dense = np.zeros((0, self.n), np.float32) if dense is None else dense
        self.source: Path | None = None  # the file these arrays are mapped from, unchanged

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.dim)

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1]) + int(np.count_nonzero(self.dense))

    def __len__(self) -> int:
        return self.n

    @classmethod
    def empty(cls, dim: int) -> SparseVectors:
        return cls(0, dim, np.zeros(dim + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))

    @staticmethod
    def _col_dtype(dim: int) -> type[np.uint16] | type[np.int32]:
        return np.uint16 if dim <= 65536 else np.int32  # uint16 columns sort by radix

    @classmethod
    def _entries(cls, dense: np.ndarray, row_ids: np.ndarray,
                 block: int = 8192) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cols, rows, values) of the non-zeros, row-major; in blocks so no full-size int64 copy."""
        cols, rows, vals = [np.zeros(0, cls._col_dtype(dense.shape[1]))], [np.zeros(0, np.int32)], [np.zeros(0, np.float32)]
        for s in range(0, len(dense), block):
            part = np.asarray(dense[s:s + block], dtype=np.float32)
            r, c = np.nonzero(part)
            cols.append(c.astype(cls._col_dtype(dense.shape[1])))
            rows.append(np.asarray(row_ids[s:s + block], np.int32)[r])
            vals.append(part[r, c])
        return np.concatenate(cols), np.concatenate(rows), np.concatenate(vals)

    @classmethod
    def _from_entries(cls, n: int, dim: int, cols: np.ndarray, rows: np.ndarray, vals: np.ndarray) -> SparseVectors:
        df = np.bincount(cols, minlength=dim)
        hot = df > n * DENSE_COLUMN_SHARE
        dense_cols = np.flatnonzero(hot).astype(np.int32)
        dense = np.zeros((len(dense_cols), n), np.float32)
        if len(dense_cols):
            slot = np.full(dim, -1, np.int64)
            slot[dense_cols] = np.arange(len(dense_cols))
            in_dense = hot[cols]
            dense[slot[cols[in_dense]], rows[in_dense]] = vals[in_dense]
            keep = ~in_dense
            cols, rows, vals = cols[keep], rows[keep], vals[keep]
            df[hot] = 0
        order = np.argsort(cols, kind="stable")
        indptr = np.zeros(dim + 1, np.int64)
        np.cumsum(df, out=indptr[1:])
        return cls(n, dim, indptr, rows[order], vals[order], dense_cols, dense)

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> SparseVectors:
        n, dim = dense.shape
        cols, rows, vals = cls._entries(dense, np.arange(n, dtype=np.int32))
        return cls._from_entries(n, dim, cols, rows, vals)

    def _coo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All non-zeros as (cols, rows, values), sparse and dense columns alike."""
        cols = np.repeat(np.arange(self.dim, dtype=self._col_dtype(self.dim)), np.diff(self.indptr))
        k, r = np.nonzero(self.dense)
        return (np.concatenate([cols, np.asarray(self.dense_cols)[k].astype(cols.dtype)]),
                np.concatenate([np.asarray(self.rows), r.astype(np.int32)]),
                np.concatenate([np.asarray(self.values), np.asarray(self.dense)[k, r]]))

    def to_dense(self) -> np.ndarray:
        out = np.zeros((self.n, self.dim), dtype=np.float32)
        cols, rows, vals = self._coo()
        out[rows, cols] = vals
        return out

    def _filtered(self, sel: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, rows, values) of the sparse entries where ``sel``: one pass, column order kept."""
        gone = np.flatnonzero(~sel)  # few: the entries of the deleted/replaced rows
        gone_cols = np.searchsorted(self.indptr, gone, side="right") - 1
        indptr = np.asarray(self.indptr) - np.concatenate([[0], np.cumsum(np.bincount(gone_cols, minlength=self.dim))])
        return indptr, rows[sel], np.asarray(self.values)[sel]

    def keep_rows(self, keep: np.ndarray) -> SparseVectors:
        """Only the rows listed in ``keep`` (ascending), renumbered 0..len(keep)-1. Which columns are
        dense is kept as it is (a storage choice; a full rebuild re-decides it)."""
        new_id = np.full(self.n, -1, np.int32)
        new_id[keep] = np.arange(len(keep), dtype=np.int32)
        mapped = new_id[self.rows]
        indptr, rows, values = self._filtered(mapped >= 0, mapped)
        return SparseVectors(len(keep), self.dim, indptr, rows, values, np.asarray(self.dense_cols),
                             np.ascontiguousarray(np.asarray(self.dense)[:, keep]))

    def set_rows(self, row_ids: np.ndarray, dense: np.ndarray, n: int) -> SparseVectors:
        """Rows ``row_ids`` replaced (or appended, ids >= self.n) by ``dense``; ``n`` rows after.
        New entries go at the end of their column's range (np.insert): no re-sort of the index."""
        if self.n == 0:
            return SparseVectors.from_dense(dense[np.argsort(row_ids)])
        drop = np.zeros(max(n, self.n), bool)
        drop[row_ids[row_ids < self.n]] = True
        indptr, rows, values = self._filtered(~drop[self.rows], np.asarray(self.rows))
        dense = np.asarray(dense, np.float32)
        hot = np.zeros(self.dim, bool)
        hot[self.dense_cols] = True
        block = np.zeros((len(self.dense_cols), n), np.float32)
        block[:, : self.n] = self.dense
        block[:, row_ids] = dense[:, self.dense_cols].T
        c2, r2, v2 = self._entries(np.where(hot, 0.0, dense).astype(np.float32), row_ids)
        order = np.lexsort((r2, c2))
        c2, r2, v2 = c2[order], r2[order], v2[order]
        # Each new entry goes where its row belongs in its column: rows stay ascending per column,
        # which rescore() and row_block() rely on (binary search instead of a column scan).
        at = np.empty(len(c2), np.int64)
        bounds = np.searchsorted(c2, np.arange(self.dim + 1))
        for j in np.flatnonzero(np.diff(bounds)):
            a, b = bounds[j], bounds[j + 1]
            at[a:b] = indptr[j] + np.searchsorted(rows[indptr[j]:indptr[j + 1]], r2[a:b])
        indptr = indptr + np.concatenate([[0], np.cumsum(np.bincount(c2, minlength=self.dim))])
        return SparseVectors(n, self.dim, indptr, np.insert(rows, at, r2), np.insert(values, at, v2),
                             np.asarray(self.dense_cols), block)

    def dot(self, q: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """self @ (q * weights), summing over the query's non-zero dimensions only (column-wise)."""
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        if weights is not None:
            q = q * weights
        out = np.zeros(self.n, dtype=np.float32)
        indptr, rows, values = self.indptr, self.rows, self.values
        for k, j in enumerate(self.dense_cols):
            if q[j]:
                out += self.dense[k] * q[j]
        for j in np.flatnonzero(q):
            s, e = indptr[j], indptr[j + 1]
            if e > s:  # np.add.at: 2.5x faster than out[rows] += ... on numpy 2 (its 1-d fast path)
                np.add.at(out, rows[s:e], values[s:e] * q[j])
        return out

    def column_counts(self) -> np.ndarray:
        df = np.diff(self.indptr)
        if len(self.dense_cols):
            df[self.dense_cols] = np.count_nonzero(self.dense, axis=1)
        return df

    def row_norms(self, weights: np.ndarray | None = None) -> np.ndarray:
        """L2 norm of each row after scaling dimension j by weights[j]; a few columns at a time
        (one bincount per group: no nnz-sized copy, no per-column pass over all rows)."""
        sq = np.zeros(self.n, dtype=np.float64)
        w = np.ones(self.dim, np.float64) if weights is None else np.asarray(weights, np.float64)
        group = max(1, int(self.dim * 2_000_000 // max(1, int(self.indptr[-1]))))  # ~2M entries a group
        for j0 in range(0, self.dim, group):
            j1 = min(self.dim, j0 + group)
            s, e = int(self.indptr[j0]), int(self.indptr[j1])
            if e > s:
                scale = np.repeat(w[j0:j1], np.diff(np.asarray(self.indptr[j0:j1 + 1])))
                v = np.asarray(self.values[s:e], np.float64) * scale
                sq += np.bincount(self.rows[s:e], weights=v * v, minlength=self.n)
        for k, j in enumerate(self.dense_cols):
            v = self.dense[k].astype(np.float64) * w[j]
            sq += v * v
        return np.sqrt(sq).astype(np.float32)

    def rescore(self, sel: np.ndarray, q: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """(self @ (q * weights))[sel] for ascending row ids ``sel``: a binary search of each of the
        query's non-zero columns for these rows, so the cost is ~ len(sel) x nnz(q), not n."""
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        if weights is not None:
            q = q * weights
        sel = np.asarray(sel, np.int64)
        out = np.zeros(len(sel), dtype=np.float32)
        if not len(sel):
            return out
        for k, j in enumerate(self.dense_cols):
            if q[j]:
                out += np.asarray(self.dense[k])[sel] * q[j]
        for j in np.flatnonzero(q):
            s, e = int(self.indptr[j]), int(self.indptr[j + 1])
            if e > s:
                col = self.rows[s:e]
                pos = np.searchsorted(col, sel)
                ok = pos < (e - s)
                ok[ok] = col[pos[ok]] == sel[ok]
                out[ok] += self.values[s + pos[ok]] * q[j]
        return out

    def row_block(self, start: int, stop: int) -> np.ndarray:
        """Rows start..stop-1 as a dense float32 array (for projecting an index blockwise)."""
        out = np.zeros((stop - start, self.dim), dtype=np.float32)
        for j in range(self.dim):
            s, e = int(self.indptr[j]), int(self.indptr[j + 1])
            if e > s:
                col = self.rows[s:e]
                a, b = np.searchsorted(col, [start, stop])
                if b > a:
                    out[col[a:b] - start, j] = self.values[s + a:s + b]
        if len(self.dense_cols):
            out[:, np.asarray(self.dense_cols)] = np.asarray(self.dense[:, start:stop]).T
        return out

    def sorted_columns(self) -> SparseVectors:
        """The same vectors with rows ascending in every column (files of older versions could
        have a replaced row at the end of its column)."""
        rows, values = np.asarray(self.rows), np.asarray(self.values)
        copied = False
        for j in range(self.dim):
            s, e = int(self.indptr[j]), int(self.indptr[j + 1])
            if e - s > 1 and np.any(np.diff(rows[s:e]) < 0):
                if not copied:
                    rows, values, copied = rows.copy(), values.copy(), True
                o = np.argsort(rows[s:e], kind="stable")
                rows[s:e], values[s:e] = rows[s:e][o], values[s:e][o]
        return SparseVectors(self.n, self.dim, self.indptr, rows, values, self.dense_cols, self.dense)

    # -- file -------------------------------------------------------------------------
    def write(self, fh: BinaryIO) -> None:
        parts: list[tuple[str, np.ndarray]] = [("indptr", np.ascontiguousarray(self.indptr, np.int64)),
                 ("rows", np.ascontiguousarray(self.rows, np.int32)),
                 ("values", np.ascontiguousarray(self.values, np.float32)),
                 ("dense_cols", np.ascontiguousarray(self.dense_cols, np.int32)),
                 ("dense", np.ascontiguousarray(self.dense, np.float32))]
        offsets: dict[str, list[Any]] = {}
        pos = _HEADER
        for name, arr in parts:
            offsets[name] = [pos, list(arr.shape), arr.dtype.str]
            pos += -(-arr.nbytes // 64) * 64
        header = _MAGIC + json.dumps({"n": self.n, "dim": self.dim, "arrays": offsets, "rows_sorted": True}).encode()
        if len(header) > _HEADER:
            raise ValueError("sparse vector header too large")
        fh.write(header.ljust(_HEADER, b" "))
        written = _HEADER
        for name, arr in parts:
            fh.write(b"\0" * (offsets[name][0] - written))
            if arr.nbytes:
                fh.write(arr.reshape(-1).data.cast("B"))  # no bytes copy of a large array
            written = offsets[name][0] + arr.nbytes

    @classmethod
    def open(cls, path: Path) -> SparseVectors:
        """Memory-mapped, read-only: pages are read on demand and shared with the page cache."""
        with open(path, "rb") as fh:
            head = fh.read(_HEADER)
        if not head.startswith(_MAGIC):
            raise RuntimeError(f"{path} is not a sparse vector file; run the sync again")
        meta = json.loads(head[len(_MAGIC):].decode().strip())
        arrays = {}
        for name, (offset, shape, dtype) in meta["arrays"].items():
            arrays[name] = (np.memmap(path, dtype=np.dtype(dtype), mode="r", offset=offset, shape=tuple(shape))
                            if int(np.prod(shape)) else np.zeros(shape, np.dtype(dtype)))
        # Plain ndarray views of the maps: the same pages, without np.memmap's per-slice overhead.
        views = {k: np.asarray(v) for k, v in arrays.items()}
        out = cls(meta["n"], meta["dim"], views["indptr"], views["rows"], views["values"],
                  views.get("dense_cols"), views.get("dense"))
        if not meta.get("rows_sorted"):
            return out.sorted_columns()
        out.source = Path(path).resolve()
        return out

    @classmethod
    def write_blocks(cls, path: Path, n: int, dim: int,
                     blocks: Callable[[], Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]]) -> None:
        """Write the file of n rows from row-ordered blocks of non-zeros (global row ids, columns,
        values), never holding more than one block: a first pass counts each column, a second
        fills the memory-mapped arrays in place (a counting sort). ``blocks`` is called twice."""
        df = np.zeros(dim, np.int64)
        for _r, c, _v in blocks():
            df += np.bincount(np.asarray(c, np.int64), minlength=dim)
        hot = df > n * DENSE_COLUMN_SHARE
        dense_cols = np.flatnonzero(hot).astype(np.int32)
        slot = np.full(dim, -1, np.int64)
        slot[dense_cols] = np.arange(len(dense_cols))
        sparse_df = np.where(hot, 0, df)
        indptr = np.zeros(dim + 1, np.int64)
        np.cumsum(sparse_df, out=indptr[1:])
        nnz = int(indptr[-1])
        shapes: list[tuple[str, tuple[int, ...], np.dtype]] = [
            ("indptr", (dim + 1,), np.dtype(np.int64)), ("rows", (nnz,), np.dtype(np.int32)),
            ("values", (nnz,), np.dtype(np.float32)), ("dense_cols", (len(dense_cols),), np.dtype(np.int32)),
            ("dense", (len(dense_cols), n), np.dtype(np.float32))]
        offsets: dict[str, list[Any]] = {}
        pos = _HEADER
        for name, shape, dt in shapes:
            offsets[name] = [pos, list(shape), dt.str]
            pos += -(-int(np.prod(shape)) * dt.itemsize // 64) * 64
        header = _MAGIC + json.dumps({"n": n, "dim": dim, "arrays": offsets, "rows_sorted": True}).encode()
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(header.ljust(_HEADER, b" "))
            fh.truncate(max(pos, _HEADER))
        arr = {name: np.memmap(tmp, dtype=dt, mode="r+", offset=offsets[name][0], shape=shape)
               for name, shape, dt in shapes if int(np.prod(shape))}
        if "indptr" in arr:
            arr["indptr"][:] = indptr
        if len(dense_cols):
            arr["dense_cols"][:] = dense_cols
        cursor = indptr[:-1].copy()
        for r, c, v in blocks():  # rows ascend across blocks, so each column's rows ascend too
            r, c, v = np.asarray(r, np.int32), np.asarray(c, np.int64), np.asarray(v, np.float32)
            in_dense = hot[c]
            if in_dense.any():
                arr["dense"][slot[c[in_dense]], r[in_dense]] = v[in_dense]
            r, c, v = r[~in_dense], c[~in_dense], v[~in_dense]
            order = np.lexsort((r, c))
            r, c, v = r[order], c[order], v[order]
            counts = np.bincount(c, minlength=dim)
            first = np.concatenate([[0], np.cumsum(counts)[:-1]])
            at = cursor[c] + (np.arange(len(c)) - first[c])
            arr["rows"][at] = r
            arr["values"][at] = v
            cursor += counts
        for a in arr.values():
            a.flush()
        del arr
        os.replace(tmp, path)


def _density(vectors: np.ndarray, sample: int = 2000) -> float:
    part = vectors[:sample]
    return float(np.count_nonzero(part)) / part.size if part.size else 1.0


class AnnGraph:
    """HNSW graph (usearch) over a fixed random projection of the (weighted) vectors. Keys are
    stable per row (rows renumber on delete, keys do not): ``keys[row]``, ascending."""

    def __init__(self, index: Any, dim: int, weights: np.ndarray | None, keys: np.ndarray, next_key: int,
                 seed: int = 0, path: Path | None = None) -> None:
        self.index, self.dim, self.weights, self.seed = index, dim, weights, seed
        self.keys, self.next_key = np.asarray(keys, np.int64), int(next_key)
        self.proj = np.random.default_rng(seed).standard_normal((dim, ANN_DIMS)).astype(np.float32)
        self.path = path  # the file it is a read-only view of, if any
        self.dirty = path is None

    @staticmethod
    def _usearch() -> Any:
        return require("usearch.index", "ann")

    @classmethod
    def _new_index(cls) -> Any:
        # A sparse graph built shallowly: it only has to put the true top hits among a few hundred
        # candidates (re-scored exactly), and building 1M rows stays within minutes on 2 cores.
        return cls._usearch().Index(ndim=ANN_DIMS, metric="cos", dtype="i8", connectivity=8, expansion_add=40)

    def project(self, rows: np.ndarray) -> np.ndarray:
        x = np.asarray(rows, np.float32)
        if self.weights is not None:
            x = x * self.weights
        y = x @ self.proj
        norms = np.linalg.norm(y, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: np.ndarray = y / norms  # unit length: the int8 store scales by 127
        return unit

    @classmethod
    def build(cls, vectors: np.ndarray | SparseVectors, block: int = 8192) -> AnnGraph:
        n, dim = vectors.shape
        weights = idf_weights(vectors.column_counts(), n) if isinstance(vectors, SparseVectors) else None
        graph = cls(cls._new_index(), dim, weights, np.arange(n, dtype=np.int64), n)
        for a in range(0, n, block):
            b = min(n, a + block)
            rows = vectors.row_block(a, b) if isinstance(vectors, SparseVectors) else np.asarray(vectors[a:b])
            graph.index.add(np.arange(a, b, dtype=np.int64), graph.project(rows), threads=2)
        return graph

    @classmethod
    def open(cls, directory: Path) -> AnnGraph:
        state = np.load(directory / ANN_STATE)
        weights = state["weights"] if state["weights"].size else None
        index = cls._usearch().Index.restore(str(directory / ANN_FILE), view=True)
        return cls(index, int(state["dim"]), weights, state["keys"], int(state["next_key"]), int(state["seed"]),
                   path=directory / ANN_FILE)

    def _writable(self) -> None:
        if self.path is not None:  # a view cannot change: load it into memory once
            self.index = self._usearch().Index.restore(str(self.path), view=False)
            self.path = None
        self.dirty = True

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        if count >= len(self.keys):
            # Every row is a candidate: a graph walk could only miss some (a graph thinned by removals
            # need not reach them all), and the caller re-scores them exactly anyway.
            return np.arange(len(self.keys), dtype=np.int64)
        if count < 1:
            return np.zeros(0, np.int64)
        self.index.expansion_search = max(count, 64)
        q = np.asarray(vector, np.float32).reshape(-1)
        nz = np.flatnonzero(q)  # a sparse query: project its non-zero slots only
        y = (q[nz] * (self.weights[nz] if self.weights is not None else 1.0)) @ self.proj[nz]
        y /= float(np.linalg.norm(y)) or 1.0
        found = np.asarray(self.index.search(y, count).keys, np.int64)
        rows = np.searchsorted(self.keys, found)
        ok = rows < len(self.keys)
        ok[ok] = self.keys[rows[ok]] == found[ok]
        return np.unique(rows[ok])

    def update(self, row_ids: np.ndarray, dense: np.ndarray, n: int) -> None:
        """Rows ``row_ids`` (replaced, or appended at n_before..n-1) now hold ``dense``."""
        self._writable()
        old = row_ids[row_ids < len(self.keys)]
        if len(old):
            self.index.remove(self.keys[old])
        added = n - len(self.keys)
        if added > 0:
            self.keys = np.concatenate([self.keys, np.arange(self.next_key, self.next_key + added, dtype=np.int64)])
            self.next_key += added
        self.index.add(self.keys[row_ids], self.project(dense), threads=2)

    def keep_rows(self, keep: np.ndarray) -> None:
        self._writable()
        gone = np.ones(len(self.keys), bool)
        gone[keep] = False
        if gone.any():
            self.index.remove(self.keys[gone])
        self.keys = self.keys[keep]

    def save(self, directory: Path) -> None:
        if not self.dirty:
            return
        tmp = directory / f".{ANN_FILE}.tmp"
        self.index.save(str(tmp))
        os.replace(tmp, directory / ANN_FILE)
        atomic_write(directory / ANN_STATE, lambda fh: np.savez(
            fh, keys=self.keys, next_key=self.next_key, dim=self.dim, seed=self.seed,
            weights=np.zeros(0, np.float32) if self.weights is None else self.weights))
        self.dirty = False


class LocalVectorIndex(VectorIndex):
    """Cosine search (vectors are L2-normalized) over float32 vectors, sparse or dense: exact below
    ``ann_min_rows`` rows, approximate candidates re-scored exactly from there on."""

    def __init__(self, directory: Path, dim: int | None = None, ann_min_rows: int | None = None) -> None:
        self.directory = Path(directory)
        self.dim = dim
        self.ann_min_rows = ANN_MIN_ROWS if ann_min_rows is None else ann_min_rows
        self._items: list[IndexItem] = []
        self._vectors: np.ndarray | SparseVectors = np.zeros((0, dim or 0), dtype=np.float32)
        self._pos: dict[str, int] = {}
        self._ann: AnnGraph | None = None
        self._load()

    def _vector_file(self) -> Path | None:
        """The newest of the two layouts: a save writes its file first and drops the other last."""
        found = [p for p in (self.directory / SPARSE_FILE, self.directory / DENSE_FILE) if p.exists()]
        return max(found, key=lambda p: p.stat().st_mtime_ns) if found else None

    def _load(self) -> None:
        vec_path, meta_path = self._vector_file(), self.directory / "items.jsonl"
        if vec_path is None or not meta_path.exists():
            return
        vectors: np.ndarray | SparseVectors
        if vec_path.name == SPARSE_FILE:
            vectors = SparseVectors.open(vec_path)
        else:
            # Copy-on-write map: upsert may assign rows in place without touching the file.
            dense = np.load(vec_path, mmap_mode="c")
            if dense.dtype != np.float32:
                dense = dense.astype(np.float32)
            vectors = dense
            if dense.ndim == 2 and dense.size and _density(dense) <= SPARSE_MAX_DENSITY:
                vectors = SparseVectors.from_dense(dense)  # old layout; the next save writes it sparse
        items = []
        with open(meta_path, encoding="utf-8") as fh:  # line by line: no copy of the whole file
            for line in fh:
                if line.strip():
                    items.append(IndexItem(**json.loads(line)))
        if len(items) != len(vectors):
            raise RuntimeError(f"vector index {self.directory} is inconsistent; run the sync again")
        self._items, self._vectors = items, vectors
        self.dim = vectors.shape[1] if len(vectors) else self.dim
        self._pos = {it.id: i for i, it in enumerate(items)}
        self._open_ann()

    def _open_ann(self) -> None:
        if len(self._items) < self.ann_min_rows or not (self.directory / ANN_FILE).exists():
            return
        try:
            ann = AnnGraph.open(self.directory)
        except MissingExtraError as exc:
            log.warning("approximate index present but its extra is missing; searching exactly", error=str(exc))
            return
        except (OSError, ValueError, KeyError) as exc:
            log.warning("approximate index unreadable; searching exactly until the next save", error=str(exc))
            return
        if len(ann.keys) != len(self._items):
            log.warning("approximate index does not match the items; searching exactly until the next save",
                        directory=str(self.directory))
            return
        self._ann = ann

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[IndexItem]:
        return list(self._items)

    def matrix(self) -> np.ndarray | SparseVectors:
        """The stored vectors as they are (SparseVectors or a dense array, possibly memory-mapped)."""
        return self._vectors

    @property
    def ann_active(self) -> bool:
        return self._ann is not None and len(self._items) >= self.ann_min_rows

    def _upsert(self, items: list[IndexItem], vectors: np.ndarray) -> None:
        if len(self._vectors) == 0:
            self.dim = vectors.shape[1]
            self._vectors = (SparseVectors.empty(self.dim) if _density(vectors) <= SPARSE_MAX_DENSITY
                             else np.zeros((0, self.dim), dtype=np.float32))
        if vectors.shape[1] != self._vectors.shape[1]:
            raise ValueError(f"vector dimension {vectors.shape[1]} does not match the index ({self._vectors.shape[1]});"
                             " rebuild the index after changing the embedder")
        row_ids = np.empty(len(items), dtype=np.int64)
        new_items: list[IndexItem] = []
        for i, item in enumerate(items):
            pos = self._pos.get(item.id)
            if pos is None:
                pos = len(self._items) + len(new_items)
                self._pos[item.id] = pos
                new_items.append(item)
            else:
                self._items[pos] = item
            row_ids[i] = pos
        n = len(self._items) + len(new_items)
        self._items.extend(new_items)
        # A repeated id in one batch: the last vector wins, as with dense assignment.
        last = {int(r): i for i, r in enumerate(row_ids)}
        pick = np.array(sorted(last.values()), dtype=np.int64)
        if isinstance(self._vectors, SparseVectors):
            self._vectors = self._vectors.set_rows(row_ids[pick], vectors[pick], n)
        else:
            dense = np.zeros((n, self._vectors.shape[1]), dtype=np.float32)
            dense[: len(self._vectors)] = self._vectors
            dense[row_ids] = vectors
            self._vectors = dense
        if self._ann is not None:
            self._ann.update(row_ids[pick], vectors[pick], n)

    def _delete(self, filters: list[Filter]) -> int:
        keep = [i for i, it in enumerate(self._items) if filters and not matches(it.metadata, filters)]
        removed = len(self._items) - len(keep)
        if removed:
            self._items = [self._items[i] for i in keep]
            keep_arr = np.asarray(keep, dtype=np.int64)
            if isinstance(self._vectors, SparseVectors):
                self._vectors = self._vectors.keep_rows(keep_arr)
            else:
                self._vectors = np.asarray(self._vectors[keep_arr], dtype=np.float32)
            if self._ann is not None:
                self._ann.keep_rows(keep_arr)
            self._pos = {it.id: i for i, it in enumerate(self._items)}
        return removed

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Exact cosine scores of every row."""
        if not len(self._items):
            return np.zeros(0, dtype=np.float32)
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if isinstance(self._vectors, SparseVectors):
            return self._vectors.dot(q)
        return self._vectors @ q

    def rescore(self, rows: np.ndarray, vector: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Exact (weighted) dot products of the given ascending rows."""
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        if isinstance(self._vectors, SparseVectors):
            return self._vectors.rescore(rows, q, weights)
        return np.asarray(self._vectors[rows]) @ (q if weights is None else q * weights)

    def candidates(self, vector: np.ndarray, count: int) -> np.ndarray | None:
        if not self.ann_active:
            return None
        assert self._ann is not None
        return self._ann.search(np.asarray(vector, np.float32).reshape(-1), count)

    def _search(self, vector: np.ndarray, k: int, filters: list[Filter]) -> list[Hit]:
        n = len(self._items)
        if not n:
            return []
        allowed = (np.array([matches(it.metadata, filters) for it in self._items], dtype=bool)
                   if filters else None)
        count = max(ANN_CANDIDATES, 10 * k)
        if self.ann_active and not (allowed is not None and allowed.sum() <= 4 * count):
            rows = self.candidates(vector, count * (4 if allowed is not None else 1))
            assert rows is not None
            if allowed is not None:
                rows = rows[allowed[rows]]
        elif self.ann_active and allowed is not None:
            rows = np.flatnonzero(allowed)  # few rows pass the filter: score them all exactly
        else:
            rows = None
        if rows is not None:
            scores = self.rescore(rows, vector)
        else:
            scores = self.scores(vector)
            if allowed is not None:
                scores = np.where(allowed, scores, -np.inf)
            rows = np.arange(n)
        if scores.size == 0:
            return []
        k = min(k, scores.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Hit(self._items[r].id, self._items[r].text, float(scores[i]), self._items[r].metadata)
                for i, r in ((i, int(rows[i])) for i in top) if np.isfinite(scores[i])]

    def build(self, items: list[IndexItem], dim: int,
              blocks: Callable[[], Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]]) -> None:
        """Replace the whole index by ``items`` and their sparse vectors given as row-ordered
        blocks of non-zeros (see SparseVectors.write_blocks), written and saved without a dense
        n x dim array: the way to load a large corpus at once."""
        self.directory.mkdir(parents=True, exist_ok=True)
        SparseVectors.write_blocks(self.directory / SPARSE_FILE, len(items), dim, blocks)
        self._items, self.dim = list(items), dim
        self._vectors = SparseVectors.open(self.directory / SPARSE_FILE)
        self._pos = {it.id: i for i, it in enumerate(self._items)}
        self._ann = None
        for name in (ANN_FILE, ANN_STATE):
            (self.directory / name).unlink(missing_ok=True)
        self.save()

    def _save_ann(self) -> None:
        if len(self._items) < self.ann_min_rows:
            self._ann = None
            for name in (ANN_FILE, ANN_STATE):
                (self.directory / name).unlink(missing_ok=True)
            return
        if self._ann is None:
            try:
                self._ann = AnnGraph.build(self._vectors)
            except MissingExtraError as exc:
                log.warning("the 'ann' extra is not installed; searching exactly", rows=len(self._items),
                            error=str(exc))
                return
        self._ann.save(self.directory)

    def save(self) -> None:
        # Vectors first, the approximate index next, metadata then (_load checks all have the same
        # length), the other layout's file last (_load takes the newest vector file, so a crash in
        # between still loads right).
        vec = self._vectors
        if isinstance(vec, SparseVectors):
            keep, other = SPARSE_FILE, DENSE_FILE
            target = (self.directory / keep).resolve()
            if not (vec.source == target and target.exists()):  # unchanged since mapped from it: keep
                atomic_write(self.directory / keep, vec.write)
                vec.source = None
        else:
            keep, other = DENSE_FILE, SPARSE_FILE
            atomic_write(self.directory / keep, lambda fh: np.save(fh, np.asarray(vec, dtype=np.float32)))
        self._save_ann()
        atomic_write(self.directory / "items.jsonl", lambda fh: fh.writelines(
            (json.dumps({"id": it.id, "text": it.text, "metadata": it.metadata}, ensure_ascii=False) + "\n").encode()
            for it in self._items))
        try:
            os.unlink(self.directory / other)
        except FileNotFoundError:
            pass
