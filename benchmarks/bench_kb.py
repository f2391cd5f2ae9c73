"""Support knowledge-base performance: search latency p50/p95 at 1k, 10k and 100k chunks, and sync
time per document (full and incremental), with how both grow.

Corpus: synthetic chunks built from the sentences of the shipped demo documents (shuffled, with
varying numbers), so BM25 postings and n-gram vectors look like real support text. Embedding 100k
chunks with the pure-Python n-gram embedder alone takes minutes, so up to 10k chunks are embedded
for real and larger indexes reuse those vectors (tiled; cosine cost is the same dense product).

    .venv/bin/python benchmarks/bench_kb.py [--sizes 1000,10000,100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


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


def synth_texts(n: int, sentences: list[str], rng: random.Random) -> list[str]:
    texts = []
    for i in range(n):
        picked = rng.sample(sentences, 4)
        texts.append(" ".join(s.replace("30", str(rng.randint(2, 90))) for s in picked) + f" Ref {i}.")
    return texts


def build_index(settings, n: int, texts: list[str], vectors: np.ndarray) -> None:
    """Write a KB state of n chunks directly (vector index + BM25 + manifest), as a sync would."""
    import hashlib

    from commerce_platform import factory
    from commerce_platform.ports.vector_index import IndexItem
    from commerce_platform.support import kb as kbmod
    from commerce_platform.support.bm25 import BM25Index

    index = factory.vector_index(settings, "kb")
    items, tfs = [], {}
    per_doc = 5
    for i in range(n):
        src = f"synthetic/doc-{i // per_doc:06d}.md"
        item = IndexItem(f"{src}#{i % per_doc}", texts[i % len(texts)],
                         {"source": src, "heading": "Section", "chunk": i % per_doc, "doc_hash": "x" * 64,
                          "category": "synthetic", "title": f"Doc {i // per_doc}"})
        items.append(item)
        tfs[item.id] = BM25Index.term_counts(kbmod.index_text(item.metadata["title"], "Section", item.text))
    reps = int(np.ceil(n / len(vectors)))
    index.upsert(items, np.tile(vectors, (reps, 1))[:n])
    index.save()
    bm25 = BM25Index()
    ids = [it.id for it in items]
    bm25.set_documents(ids, tfs)
    d = settings.paths.indexes / "kb"
    (d / "bm25.json").write_text(json.dumps(bm25.to_state()))
    docs = {it.metadata["source"]: {"status": "indexed", "doc_hash": "x" * 64, "chunks": per_doc} for it in items}
    (d / "manifest.json").write_text(json.dumps({"embedder": factory.text_embedder(settings).name,
                                                 "fingerprint": hashlib.sha256("\n".join(ids).encode()).hexdigest(),
                                                 "documents": docs}))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--sync-docs", type=int, default=200)
    args = ap.parse_args(argv)

    from commerce_platform import factory
    from commerce_platform.config import load_settings
    from commerce_platform.support.kb import KnowledgeBase
    from commerce_platform.support.kb_eval import demo_docs_dir, load_eval_set

    rng = random.Random(7)
    sentences = corpus_sentences()
    questions = [q["question"] for q in load_eval_set()["questions"]]
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="bench-kb-"))
    embedder = factory.text_embedder(load_settings(tmp / "probe"))
    unique = min(max(sizes), 10_000)
    texts = synth_texts(unique, sentences, rng)
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)
    embed_ms = 1000 * (time.perf_counter() - t0) / unique
    print(f"embedder {embedder.name}: {embed_ms:.2f} ms per chunk ({unique} chunks embedded)")

    print(f"\nsearch latency (hybrid BM25 + {embedder.name}, k=5, {args.queries} customer questions)")
    print(f"{'chunks':>8} {'p50 ms':>8} {'p95 ms':>8} {'load s':>7} {'index MB':>9}")
    rows = []
    for n in sizes:
        settings = load_settings(tmp / f"s{n}")
        build_index(settings, n, texts, vectors)
        kb = KnowledgeBase(settings)
        t0 = time.perf_counter()
        kb.search("warm up the index", k=5)  # first search loads the state and IDF weights
        load_s = time.perf_counter() - t0
        lat = []
        for i in range(args.queries):
            q = questions[i % len(questions)]
            t0 = time.perf_counter()
            kb.search(q, k=5)
            lat.append(1000 * (time.perf_counter() - t0))
        size_mb = sum(p.stat().st_size for p in (settings.paths.indexes / "kb").iterdir()) / 1e6
        rows.append((n, statistics.median(lat), pct(lat, 95)))
        print(f"{n:>8} {statistics.median(lat):>8.2f} {pct(lat, 95):>8.2f} {load_s:>7.2f} {size_mb:>9.1f}")
    for (n1, p1, _), (n2, p2, _) in zip(rows, rows[1:], strict=False):
        print(f"  x{n2 / n1:.0f} chunks -> p50 x{p2 / p1:.1f}")

    print("\nsync time per document")
    demo = load_settings(tmp / "sync-demo")
    report = KnowledgeBase(demo).sync(docs_dir=demo_docs_dir())
    print(f"  demo docs: {report.documents} docs, {report.chunks} chunks, {report.seconds:.3f} s "
          f"= {1000 * report.seconds / report.documents:.1f} ms/doc (full sync)")
    many = tmp / "many-docs"
    many.mkdir()
    for i in range(args.sync_docs):
        body = "\n\n".join(f"## Part {j}\n\n" + " ".join(rng.sample(sentences, 12)) for j in range(4))
        (many / f"doc-{i:04d}.md").write_text(f"# Synthetic guide {i}\n\n{body}\n")
    big = load_settings(tmp / "sync-many")
    kb = KnowledgeBase(big)
    report = kb.sync(docs_dir=many)
    print(f"  {report.documents} synthetic docs, {report.chunks} chunks: {report.seconds:.2f} s "
          f"= {1000 * report.seconds / report.documents:.1f} ms/doc (full sync)")
    (many / "doc-0000.md").write_text("# Changed\n\nThis guide was rewritten. " + " ".join(rng.sample(sentences, 20)))
    report = kb.sync(docs_dir=many)
    print(f"  incremental: 1 changed of {report.unchanged + 1} docs: {report.seconds:.2f} s")
    report = kb.sync()
    print(f"  no-op re-sync of {report.unchanged} docs: {report.seconds:.2f} s (hash check only)")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
