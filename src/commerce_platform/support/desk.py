"""The support desk: ticket intake (customer context + KB suggestions), ticket context, feedback on
suggestions (repeated negative feedback demotes a passage for similar queries) and KB sync.

Demotion rule: for a candidate passage, feedback given on tickets whose text is similar to the
query (cosine >= SIMILAR_QUERY with the KB's text embedder) is counted; when negatives minus
positives reach DEMOTE_AFTER, the passage's score is multiplied by DEMOTE_FACTOR for each vote
at or above that level (2 net negatives -> x0.1, 3 -> x0.01, ...).
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any

from ..config import Settings
from ..errors import CommerceError, NotFound, ServiceUnavailable, ValidationFailed
from ..logs import get_logger
from ..ports.kb_models import KbResult
from ..ports.kv import KeyValueTable, TableSpec
from ..ports.ticket_store import TicketStore
from .customers import CustomerService
from .kb import KnowledgeBase

log = get_logger(__name__)

FEEDBACK = TableSpec("support_feedback", "passage_id", sort_key="ticket_id")
SUGGESTIONS = 3
SIMILAR_QUERY = 0.35
DEMOTE_AFTER = 2
DEMOTE_FACTOR = 0.1
CHANNELS = ("email", "chat", "phone", "web", "store")
PROBE_SECONDS = 2.0  # each health probe; a hung dependency must not hang /health
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="support-health")


def ticket_query(subject: str, body: str) -> str:
    return f"{subject.strip()}. {body.strip()[:2000]}"


class SupportDesk:
    def __init__(self, settings: Settings, *, customers: CustomerService, kb: KnowledgeBase,
                 feedback: KeyValueTable, tickets: TicketStore | None = None) -> None:
        """The services and ports come from the composition root (``wiring.support_desk``); the tickets are
        the customers' ticket store unless another is handed in."""
        self.settings = settings
        self.customers = customers
        self.kb = kb
        self.tickets = tickets or self.customers.tickets
        self.feedback_table = feedback

    # -- suggestions ---------------------------------------------------------------------------
    def _demote(self, query: str, results: list[KbResult]) -> list[KbResult]:
        votes_by_passage = {r.id: self.feedback_table.query(r.id) for r in results}
        if not any(votes_by_passage.values()):
            return results
        emb = self.kb.embedder
        qv = emb.embed([query])[0]
        for r in results:
            votes = votes_by_passage.get(r.id) or []
            if not votes:
                continue
            sims = emb.embed([v.get("query", "") for v in votes]) @ qv
            net = sum((-1 if v.get("helpful") else 1) for v, s in zip(votes, sims, strict=True)
                      if float(s) >= SIMILAR_QUERY)
            if net >= DEMOTE_AFTER:
                r.score = float(r.score) * DEMOTE_FACTOR ** (net - DEMOTE_AFTER + 1)
                r.demoted = True
        return results

    def suggest(self, query: str, k: int = SUGGESTIONS, filters: dict[str, Any] | None = None) -> list[KbResult]:
        try:
            return self.kb.search(query, k=k, filters=filters, max_per_source=1, demote=self._demote)
        except (CommerceError, RuntimeError, OSError) as exc:
            # A broken or unsynced knowledge base must not block ticket intake.
            log.warning("kb suggestions unavailable", error=str(exc))
            return []

    # -- tickets -------------------------------------------------------------------------------
    def create_ticket(self, customer_id: str, subject: str, body: str, channel: str = "email") -> dict[str, Any]:
        customer_id, subject, body = str(customer_id).strip(), subject.strip(), body.strip()
        for name, value in (("customer_id", customer_id), ("subject", subject), ("body", body)):
            if not value:
                raise ValidationFailed(f"{name} is empty", field=name, hint=f"send a non-empty {name}")
        if channel not in CHANNELS:
            raise ValidationFailed(f"unknown channel {channel!r}", field="channel", hint=f"one of {', '.join(CHANNELS)}")
        query = ticket_query(subject, body)
        # Everything that can fail on input or retrieval happens before anything is stored.
        suggestions = self.suggest(query)
        ticket_id = "T-" + uuid.uuid4().hex[:12]
        now = datetime.now(UTC).isoformat()
        ticket = {"ticket_id": ticket_id, "customer_id": customer_id, "subject": subject, "body": body,
                  "channel": channel, "status": "open", "created_at": now,
                  "suggestions": [s.to_dict() for s in suggestions]}
        written: list[tuple[Any, tuple[str, ...]]] = []
        try:
            interaction = self.customers.record_interaction(customer_id, f"{subject}. {body}", channel=channel,
                                                            kind="ticket", ticket_id=ticket_id)
            written.append((self.customers.interactions, (customer_id, interaction["sk"])))
            ticket["sentiment"] = interaction["sentiment"]
            self.tickets.put(ticket)
            written.append((self.tickets, (ticket_id,)))
            context = self.customers.get_context(customer_id)
        except ServiceUnavailable:
            self._undo(written, customer_id)
            raise
        log.info("ticket created", ticket_id=ticket_id, customer_status=context["status"],
                 suggestions=len(suggestions))
        return {"ticket_id": ticket_id, "status": "open", "customer_context": context,
                "suggestions": ticket["suggestions"], "sentiment": interaction["sentiment"]}

    def _undo(self, written: list[tuple[Any, tuple[str, ...]]], customer_id: str) -> None:
        """A ticket is stored whole or not at all: remove what was written before the outage."""
        for table, key in reversed(written):
            try:
                table.delete(*key)
            except ServiceUnavailable:
                log.error("ticket left half-stored: the store went away mid-request", key=key[-1])
        self.customers.cache.invalidate(customer_id)

    def get_ticket(self, ticket_id: str) -> dict[str, Any]:
        ticket = self.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist", field="ticket_id", hint="check the ticket id")
        return ticket

    def ticket_context(self, ticket_id: str) -> dict[str, Any]:
        ticket = self.get_ticket(ticket_id)
        return {"ticket_id": ticket_id, "status": ticket.get("status"), "subject": ticket.get("subject"),
                "customer_context": self.customers.get_context(ticket["customer_id"]),
                "suggestions": ticket.get("suggestions", []), "sentiment": ticket.get("sentiment")}

    def record_feedback(self, ticket_id: str, suggestion_id: str, helpful: bool,
                        comment: str | None = None) -> dict[str, Any]:
        ticket = self.get_ticket(ticket_id)
        ids = [s.get("id") for s in ticket.get("suggestions", [])]
        if suggestion_id not in ids:
            raise ValidationFailed(f"suggestion {suggestion_id!r} was not suggested for ticket {ticket_id}",
                                   field="suggestion_id", hint=f"use one of {ids}")
        item = {"passage_id": suggestion_id, "ticket_id": ticket_id, "helpful": bool(helpful),
                "query": ticket_query(ticket["subject"], ticket["body"]), "comment": (comment or "")[:1000],
                "at": datetime.now(UTC).isoformat()}
        self.feedback_table.put(item)  # one vote per ticket and passage: a new vote replaces the old
        return {"ticket_id": ticket_id, "suggestion_id": suggestion_id, "helpful": bool(helpful), "stored": True}

    def sync_kb(self, docs_dir=None) -> dict[str, Any]:
        return self.kb.sync(docs_dir).to_dict()

    # -- health --------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        """Reachability of each component, each probed with a short timeout (not configuration):
        status "ok" only when every configured component answers; ``down`` names the others."""
        probes: dict[str, Any] = {"kv": lambda: self.tickets.get("health-probe")}
        if self.customers.db_enabled:
            probes["customer_db"] = self._ping_customer_db
        if self.customers.cache.redis is not None:
            probes["cache"] = self.customers.cache.redis.ping
        probes["kb"] = (lambda: None) if self.kb._bedrock is not None else (lambda: len(self.kb.chunks()))
        futures = {name: _probes.submit(fn) for name, fn in probes.items()}
        checks: dict[str, Any] = {"customer_db": "off", "cache": "off"}
        down = []
        for name, future in futures.items():
            try:
                value = future.result(timeout=PROBE_SECONDS)
                checks[name] = "ok"
                if name == "kb":
                    checks["kb_chunks"] = "bedrock" if value is None else value
            except FutureTimeout:
                checks[name] = f"down: no answer in {PROBE_SECONDS:g} s"
                down.append(name)
            except Exception as exc:  # noqa: BLE001 - health reports, never raises
                cause = exc.__cause__ if isinstance(exc, ServiceUnavailable) and exc.__cause__ else exc
                checks[name] = f"down: {type(cause).__name__}"  # the class only: no URL, no path
                down.append(name)
        return {"status": "ok" if not down else "degraded", "service": "support", "checks": checks, "down": down}

    def _ping_customer_db(self) -> None:
        self.customers.store.ping()


