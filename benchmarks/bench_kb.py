"""Support knowledge-base performance: search latency p50/p95, load time, peak memory and index
size at 10k, 100k and more chunks, recall@5 of the approximate index, and sync time per document.

Corpus: distinct synthetic chunks (every chunk embedded, none repeated), each four random
sentences of the shipped demo documents with varied numbers and a product reference, so BM25
postings and n-gram vectors look like real support text. Embeddings are cached in ``--cache`` so
a run of the previous code (``PYTHONPATH=<old checkout>/src``) measures exactly the same data.
Each size is measured in a fresh subprocess: load = first search (index, BM25 and weights),
peak RSS = VmHWM of that process (Python + imports included). From ``ANN_MIN_ROWS`` chunks
(``--ann-min-rows`` to move it) searches use the approximate index; the same process then runs
the same queries exactly and prints recall@5 and both latencies (one run, same resources).

    .venv/bin/python benchmarks/bench_kb.py [--sizes 10000,100000,1000000] [--queries 200] [--cache DIR]
        [--tops FILE] [--compare FILE]   # write / compare each query's top-5 (before vs after)
        [--ann-min-rows N] [--keep DIR] [--no-sync]

The index is written blockwise (``LocalVectorIndex.build``: sparse vectors by a counting sort
into the memory-mapped file, the HNSW graph from row blocks), so no dense n x 4096 array is ever
made; BM25 counts are compact arrays (``bm25.npz``). Embedding 1M distinct chunks takes ~15 min
of 2 idle cores (cached once); with the machine shared it took much longer (see the README).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _memory import peak_rss_kb  # noqa: E402

BLOCK = 5000
PRODUCTS = ["pump", "boiler", "valve", "radiator", "thermostat", "filter", "heat exchanger", "pipe fitting",
            "shower set", "mixer tap", "drain", "expansion vessel", "heat pump", "floor heating kit"]


def corpus_sentences() -> list[str]:
    from commerce_platform.support.documents import parse_document, split_sentences
    from commerce_platform.support.kb_eval import demo_docs_dir

    out = []
    root = demo_docs_dir()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            doc = parse_document(path.relative_to(root).as_posix(), path.read_bytes())
            for sec in doc.sections:
                out.extend(split_sentences(sec.text))
    return out


def synth_texts(start: int, n: int, sentences: list[str]) -> list[str]:
    """Chunks start..start+n-1, each determined by its number alone (any block can be rebuilt)."""
    texts = []
    for i in range(start, start + n):
        rng = random.Random(i)
        picked = rng.sample(sentences, 4)
        product = f"{rng.choice(PRODUCTS)} {rng.choice('ABCDEFGHKLMNPRSTVX')}{rng.randint(10, 9999)}"
        texts.append(f"Applies to the {product}. "
                     + " ".join(s.replace("30", str(rng.randint(2, 90))) for s in picked) + f" Ref {i}.")
    return texts


def _embed_block(start: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    from commerce_platform.ports.text_embeddings import CharNgramEmbedder

    dense = CharNgramEmbedder().embed(synth_texts(start, BLOCK, corpus_sentences()))
    r, c = np.nonzero(dense)
    return start, r.astype(np.int32), c.astype(np.uint16), dense[r, c]


def embedded(cache: Path, n: int, workers: int = 2) -> Path:
    """Cache of the first n chunks' n-gram vectors, as per-block non-zeros (rows, cols, values)."""
    cache.mkdir(parents=True, exist_ok=True)
    todo = [s for s in range(0, n, BLOCK) if not (cache / f"block-{s:08d}.npz").exists()]
    if todo:
        t0 = time.perf_counter()
        with ProcessPoolExecutor(workers) as pool:
            for start, r, c, v in pool.map(_embed_block, todo):
                np.savez(cache / f"block-{start:08d}.npz", rows=r, cols=c, values=v)
        print(f"  embedded {len(todo) * BLOCK} chunks in {time.perf_counter() - t0:.0f} s", flush=True)
    return cache


def vector_blocks(cache: Path, n: int):
    """The first n chunks' vectors as row-ordered blocks of non-zeros (global rows, cols, values)."""
    for s in range(0, n, BLOCK):
        z = np.load(cache / f"block-{s:08d}.npz")
        keep = s + z["rows"] < n
        yield (s + z["rows"][keep]).astype(np.int32), z["cols"][keep], z["values"][keep]


def build_index(settings, n: int, cache: Path, ann_min_rows: int | None = None) -> float:
    """Write a KB state of n chunks directly (vector index + BM25 + manifest), as a sync would,
    blockwise (no dense n x 4096 array); seconds spent on the approximate graph, if built."""
    import hashlib

    from commerce_platform import factory
    from commerce_platform.ports.vector_index import IndexItem
    from commerce_platform.support import kb as kbmod
    from commerce_platform.support.bm25 import BM25Index

    sentences = corpus_sentences()
    from commerce_platform.ports.vector_index import LocalVectorIndex

    index = LocalVectorIndex(settings.paths.indexes / "kb", ann_min_rows=ann_min_rows)
    items, tfs = [], {}
    per_doc = 5
    for s in range(0, n, BLOCK):
        for i, text in enumerate(synth_texts(s, min(BLOCK, n - s), sentences), start=s):
            src = f"synthetic/doc-{i // per_doc:07d}.md"
            item = IndexItem(f"{src}#{i % per_doc}", text,
                             {"source": src, "heading": "Section", "chunk": i % per_doc, "doc_hash": "x" * 64,
                              "category": "synthetic", "title": f"Doc {i // per_doc}"})
            items.append(item)
            tfs[item.id] = BM25Index.term_counts(kbmod.index_text(item.metadata["title"], "Section", item.text))
    t0 = time.perf_counter()
    index.build(items, 4096, lambda: vector_blocks(cache, n))
    build_s = time.perf_counter() - t0
    bm25 = BM25Index()
    ids = [it.id for it in items]
    bm25.set_documents(ids, tfs)
    d = settings.paths.indexes / "kb"
    with open(d / kbmod.BM25_STATE, "wb") as fh:
        bm25.save(fh)
    docs = {it.metadata["source"]: {"status": "indexed", "doc_hash": "x" * 64, "chunks": per_doc} for it in items}
    (d / "manifest.json").write_text(json.dumps({"embedder": factory.text_embedder(settings).name,
                                                 "fingerprint": hashlib.sha256("\n".join(ids).encode()).hexdigest(),
                                                 "documents": docs}))
    return build_s


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(home: Path, queries: int) -> dict:
    """In a fresh process: load + search latency + peak RSS of the search path alone."""
    from commerce_platform import wiring
    from commerce_platform.config import load_settings
    from commerce_platform.support.kb_eval import load_eval_set

    questions = [q["question"] for q in load_eval_set()["questions"]]
    kb = wiring.knowledge_base(load_settings(home))
    base_kb = peak_rss_kb()
    t0 = time.perf_counter()
    kb.search("warm up the index", k=5)  # first search loads the state and IDF weights
    load_s = time.perf_counter() - t0
    lat, top = [], []
    for i in range(queries):
        q = questions[i % len(questions)]
        t0 = time.perf_counter()
        res = kb.search(q, k=5)
        lat.append(1000 * (time.perf_counter() - t0))
        top.append([r.id for r in res])
    out = {"p50": statistics.median(lat), "p95": pct(lat, 95), "load_s": load_s,
           "peak_mb": peak_rss_kb() / 1024, "base_mb": base_kb / 1024, "top": top, "ann": False}
    index = kb._load().index
    if index.ann_active:  # the same queries searched exactly: recall@5 of the approximate path
        index.ann_min_rows = len(index) + 1
        exact_lat, hits = [], 0
        for i in range(queries):
            t0 = time.perf_counter()
            exact = [r.id for r in kb.search(questions[i % len(questions)], k=5)]
            exact_lat.append(1000 * (time.perf_counter() - t0))
            hits += len(set(exact) & set(top[i]))
        out.update(ann=True, recall=hits / (5 * queries), exact_p50=statistics.median(exact_lat),
                   exact_p95=pct(exact_lat, 95))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--sync-docs", type=int, default=200)
    ap.add_argument("--cache", default=None, help="embedding cache directory (kept between runs)")
    ap.add_argument("--tops", default=None, help="write each query's top-5 ids per size to this JSON file")
    ap.add_argument("--compare", default=None, help="a --tops file of another run: count identical top-5 lists")
    ap.add_argument("--ann-min-rows", type=int, default=None,
                    help="rows from which the approximate index is used (default: the library's ANN_MIN_ROWS)")
    ap.add_argument("--ann-candidates", type=int, default=None,
                    help="candidates re-scored exactly per approximate query (default: the library's ANN_CANDIDATES)")
    ap.add_argument("--keep", default=None, help="build the homes under this directory and keep them")
    ap.add_argument("--no-sync", action="store_true", help="skip the sync-time part")
    ap.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        if args.ann_min_rows:
            from commerce_platform.ports import vector_index

            vector_index.ANN_MIN_ROWS = args.ann_min_rows
        if args.ann_candidates:
            from commerce_platform.ports import vector_index

            vector_index.ANN_CANDIDATES = args.ann_candidates
        print(json.dumps(measure(Path(args.measure), args.queries)))
        return 0

    from commerce_platform import wiring
    from commerce_platform.config import load_settings
    from commerce_platform.support.kb_eval import demo_docs_dir

    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-kb-"))
    tmp.mkdir(parents=True, exist_ok=True)
    cache = embedded(Path(args.cache) if args.cache else tmp / "emb", max(sizes))

    print(f"\nsearch latency (hybrid BM25 + char-ngram, k=5, {args.queries} customer questions, distinct chunks)")
    print(f"{'chunks':>8} {'p50 ms':>8} {'p95 ms':>8} {'load s':>7} {'peak RSS MB':>12} {'index MB':>9} {'vectors MB':>11}")
    tops = {}
    for n in sizes:
        home = tmp / f"s{n}"
        t0 = time.perf_counter()
        build_s = build_index(load_settings(home), n, cache, args.ann_min_rows)
        build_s = time.perf_counter() - t0 if build_s is None else build_s

        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        out = subprocess.run([sys.executable, __file__, "--measure", str(home), "--queries", str(args.queries)]
                             + (["--ann-min-rows", str(args.ann_min_rows)] if args.ann_min_rows else [])
                             + (["--ann-candidates", str(args.ann_candidates)] if args.ann_candidates else []),
                             capture_output=True, text=True, env=env, check=True)
        m = json.loads(out.stdout.strip().splitlines()[-1])
        d = home / "indexes" / "kb"
        size_mb = sum(p.stat().st_size for p in d.iterdir()) / 1e6
        vec_mb = sum(p.stat().st_size for p in d.glob("vectors.*")) / 1e6
        tops[n] = m["top"]
        print(f"{n:>8} {m['p50']:>8.2f} {m['p95']:>8.2f} {m['load_s']:>7.2f} {m['peak_mb']:>12.0f} "
              f"{size_mb:>9.1f} {vec_mb:>11.1f}   (RSS before load {m['base_mb']:.0f} MB, "
              f"vectors+graph written in {build_s:.0f} s)", flush=True)
        if m["ann"]:
            print(f"{'':>8} approximate index: recall@5 {m['recall']:.4f} vs exact search of the same queries; "
                  f"exact p50 {m['exact_p50']:.1f} ms, p95 {m['exact_p95']:.1f} ms "
                  f"(p50 ratio exact/approximate {m['exact_p50'] / m['p50']:.1f}x)", flush=True)
        if not args.keep:
            import shutil

            shutil.rmtree(home, ignore_errors=True)
    if args.tops:
        Path(args.tops).write_text(json.dumps(tops))
    if args.compare:
        other = json.loads(Path(args.compare).read_text())
        for n, lists in tops.items():
            if str(n) in other:
                same = sum(a == b for a, b in zip(lists, other[str(n)], strict=False))
                print(f"  {n} chunks: identical top-5 for {same} of {len(lists)} queries vs {args.compare}")

    if args.no_sync:
        return 0
    print("\nsync time per document")
    rng = random.Random(7)
    sentences = corpus_sentences()
    demo = load_settings(tmp / "sync-demo")
    report = wiring.knowledge_base(demo).sync(docs_dir=demo_docs_dir())
    print(f"  demo docs: {report.documents} docs, {report.chunks} chunks, {report.seconds:.3f} s "
          f"= {1000 * report.seconds / report.documents:.1f} ms/doc (full sync)")
    many = tmp / "many-docs"
    many.mkdir()
    for i in range(args.sync_docs):
        body = "\n\n".join(f"## Part {j}\n\n" + " ".join(rng.sample(sentences, 12)) for j in range(4))
        (many / f"doc-{i:04d}.md").write_text(f"# Synthetic guide {i}\n\n{body}\n")
    big = load_settings(tmp / "sync-many")
    kb = wiring.knowledge_base(big)
    report = kb.sync(docs_dir=many)
    print(f"  {report.documents} synthetic docs, {report.chunks} chunks: {report.seconds:.2f} s "
          f"= {1000 * report.seconds / report.documents:.1f} ms/doc (full sync)")
    (many / "doc-0000.md").write_text("# Changed\n\nThis guide was rewritten. " + " ".join(rng.sample(sentences, 20)))
    report = kb.sync(docs_dir=many)
    print(f"  incremental: 1 changed of {report.unchanged + 1} docs: {report.seconds:.2f} s")
    report = kb.sync()
    print(f"  no-op re-sync of {report.unchanged} docs: {report.seconds:.2f} s (hash check only)")
    import shutil

    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
