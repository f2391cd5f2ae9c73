"""A small knowledge corpus for tutor tests (HVAC installation, retail policies), written into a
LocalVectorIndex the same way the support KB sync does: id "<source>#<chunk>", metadata with
source, heading, chunk, doc_hash, category."""

from __future__ import annotations

import hashlib

CORPUS: list[tuple[str, str, str, str]] = [
    ("returns-policy.md", "Returns and refunds", "policy",
     "Unused products can be returned within 30 days of delivery for a full refund. "
     "The original receipt is required. Special-order items cannot be returned. "
     "Refunds are paid to the original payment method within 14 days of receiving the return. "
     "Opened packages are accepted only if the product is undamaged and complete."),
    ("returns-policy.md", "Shipping and delivery", "policy",
     "Orders over €50 ship free within mainland Finland. Standard delivery takes 3 working days. "
     "Express delivery costs €12 and arrives the next working day when ordered before 14:00. "
     "Bulky items such as boilers are delivered by a freight carrier who calls 1 day in advance."),
    ("heat-pump-install.md", "Outdoor unit placement", "installation",
     "The outdoor unit must be installed at least 30 cm above the ground. Leave 100 mm between the unit and the "
     "wall. The refrigerant pipe run must not exceed 15 m. If the pipe run exceeds 7.5 m, add 20 g of "
     "refrigerant per extra metre. Only a certified F-gas technician may charge the refrigerant."),
    ("heat-pump-install.md", "Warranty and servicing", "warranty",
     "Heat pumps have a 5-year warranty on the compressor. Other parts are covered for 2 years. "
     "The warranty is valid only if the unit was installed by a certified installer and serviced every 12 months. "
     "Clean the indoor filters every 4 weeks during the heating season."),
    ("electrical-safety.md", "Electrical connection", "installation",
     "The heat pump needs its own 16 A circuit with a residual current device. "
     "Only a licensed electrician may connect the unit to the mains. "
     "Switch off the circuit breaker before opening the service panel. "
     "Keep at least 600 mm of free space in front of the consumer unit."),
]


def corpus_items():
    from commerce_platform.ports.vector_index import IndexItem

    items = []
    for n, (source, heading, category, text) in enumerate(CORPUS):
        items.append(IndexItem(id=f"{source}#{n}", text=f"## {heading}\n{text}",
                               metadata={"source": source, "heading": heading, "chunk": n, "category": category,
                                         "doc_hash": hashlib.sha1(text.encode()).hexdigest()}))
    return items


def build_kb(settings) -> int:
    """Write the fixture corpus into <home>/indexes/kb with the configured text embedder."""
    from commerce_platform import factory

    items = corpus_items()
    index = factory.vector_index(settings, "kb")
    index.upsert(items, factory.text_embedder(settings).embed([it.text for it in items]))
    index.save()
    return len(items)


class FakeLLM:
    """An LLM port double: returns the queued answers in order (a str, or an Exception to raise)."""

    name = "fake"

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def complete(self, prompt: str, system: str | None = None) -> str:
        self.prompts.append(prompt)
        answer = self.answers.pop(0) if self.answers else "not json"
        if isinstance(answer, Exception):
            raise answer
        return answer


class ServerThread:
    """uvicorn serving an app on a free loopback port in a background thread."""

    def __init__(self, app, port: int) -> None:
        import threading

        import uvicorn

        self.port = port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        import time

        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
