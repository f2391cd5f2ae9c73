"""Retrieval evaluation of the support knowledge base.

Loads the eval set shipped in the package (commerce_platform/support/kb_eval.json: customer-phrased
questions, each with its answering document), syncs the shipped demo documents into a throwaway
home per embedder and prints recall@1, recall@3 and MRR (document level: a document's rank is the
rank of its best chunk) for BM25 alone, vector search alone and hybrid fusion. Query vectors are
embedded in one batch up front (support.kb_eval.BatchedEmbedder), so ms/q is search time alone.

    .venv/bin/python benchmarks/eval_kb.py [--no-minilm] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-minilm", action="store_true", help="skip the MiniLM embedder")
    ap.add_argument("--fusion", default="score", choices=["score", "rrf"])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)

    from commerce_platform import wiring
    from commerce_platform.config import load_settings
    from commerce_platform.ports.text_embeddings import get_text_embedder
    from commerce_platform.support.kb_eval import (
        BatchedEmbedder,
        demo_docs_dir,
        load_eval_set,
        retrieval_metrics,
    )

    questions = load_eval_set()["questions"]
    splits = {"all": questions, "dev": [q for q in questions if q.get("split") == "dev"],
              "holdout": [q for q in questions if q.get("split") == "holdout"]}
    embedders = ["ngram"] + ([] if args.no_minilm else ["minilm"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for emb in embedders:
            settings = load_settings(Path(tmp) / emb, text_embedder=emb)
            embedder = BatchedEmbedder(get_text_embedder(emb))
            t0 = time.perf_counter()
            report = wiring.knowledge_base(settings, embedder=embedder).sync(docs_dir=demo_docs_dir())
            sync_s = time.perf_counter() - t0
            for expand in (False, True):
                kb = wiring.knowledge_base(settings, embedder=embedder, fusion=args.fusion, expand_queries=expand)
                texts = [q["question"] for q in questions]
                embedder.prefetch(texts + ([kb.thesaurus.expand(t)[1] for t in texts] if expand else []))
                modes = [("bm25", "BM25 alone")] if emb == "ngram" else []
                modes += [("vector", f"{emb} vector"), ("hybrid", f"hybrid BM25+{emb}")]
                for mode, label in modes:
                    t0 = time.perf_counter()
                    per = {name: retrieval_metrics(kb, qs, mode) for name, qs in splits.items()}
                    rows.append({"config": label + (" +thesaurus" if expand else ""), "embedder": emb, "mode": mode,
                                 "thesaurus": expand, "splits": per,
                                 "ms_per_query": round(1000 * (time.perf_counter() - t0) / (2 * len(questions)), 2),
                                 "sync_seconds": round(sync_s, 2), "chunks": report.chunks})
    if args.json:
        print(json.dumps({"questions": len(questions), "fusion": args.fusion, "results": rows}, indent=1))
        return 0
    print(f"{len(questions)} questions ({len(splits['dev'])} dev, {len(splits['holdout'])} holdout), "
          f"{rows[0]['chunks']} chunks, fusion={args.fusion}")
    print(f"{'configuration':<34} {'R@1':>6} {'R@3':>6} {'MRR':>6} | {'holdout R@1':>11} {'R@3':>6} {'MRR':>6} | ms/q")
    for r in rows:
        a, h = r["splits"]["all"], r["splits"]["holdout"]
        print(f"{r['config']:<34} {a['recall@1']:>6.3f} {a['recall@3']:>6.3f} {a['mrr']:>6.3f} | "
              f"{h['recall@1'] or 0:>11.3f} {h['recall@3'] or 0:>6.3f} {h['mrr'] or 0:>6.3f} | {r['ms_per_query']:.2f}")
    base = next(r for r in rows if r["mode"] == "bm25" and not r["thesaurus"])["splits"]["all"]
    default = next(r for r in rows if r["mode"] == "hybrid" and r["embedder"] == "ngram" and r["thesaurus"])
    d = default["splits"]["all"]
    print(f"default (hybrid BM25+ngram +thesaurus) vs plain BM25: recall@1 {d['recall@1'] - base['recall@1']:+.3f}, "
          f"MRR {d['mrr'] - base['mrr']:+.3f}; goal recall@1>=0.85: {'met' if d['recall@1'] >= 0.85 else 'NOT met'}, "
          f"recall@3>=0.95: {'met' if d['recall@3'] >= 0.95 else 'NOT met'}")
    if args.show_misses:
        for r in rows:
            print(r["config"], r["splits"]["all"]["misses"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
