"""Tutor demo: checks that the knowledge base (built by the support demo) has content and
pre-generates a few exercises per difficulty for its first topics (deterministic: the offline
generator derives exercises from the content itself)."""

from __future__ import annotations


def build(settings, scale: float = 1.0) -> dict:
    from .. import wiring

    svc = wiring.tutor_service(settings)
    topics = svc.topics(limit=50)["topics"]
    if not topics:
        return {"status": "no-content", "passages": 0,
                "hint": "the tutor uses the support knowledge base; build the support demo first"}
    generated: dict[str, int] = {}
    failed: list[str] = []
    # one topic per document folder (category) first, so the demo covers the whole knowledge base
    by_folder: dict[str, dict] = {}
    for t in topics:
        by_folder.setdefault(t["source"].split("/")[0] if "/" in t["source"] else t["source"], t)
    for t in list(by_folder.values())[: max(1, int(3 * scale))]:
        for difficulty in ("easy", "medium", "hard"):
            try:
                out = svc.generate(t["topic"], difficulty, count=2)
                generated[f"{t['topic']}/{difficulty}"] = len(out["exercises"])
            except Exception as exc:  # noqa: BLE001 - one topic without usable facts must not stop the demo
                failed.append(f"{t['topic']}/{difficulty}: {exc}")
    return {"status": "ok", "passages": svc.retriever.size(), "topics": len(topics),
            "exercises": sum(generated.values()), "generated": generated, "failed": failed}
