"""CustomerService: who is this customer? Profile and recent orders from the customer store port
(ports/customer_store.py: SQL), recent interactions with sentiment from the key-value port (TTL; DynamoDB on AWS),
churn risk, all behind an LRU+TTL cache (optionally shared through Redis) that is invalidated
whenever a new interaction for the customer is stored.

"No database configured" means ``support_customer_db=off`` (COMMERCE_SUPPORT_CUSTOMER_DB=off), or
the aws profile without ``database_url`` (a Lambda has no home SQLite to fall back to). Then
every context carries a placeholder profile marked ``"placeholder": true``.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from ..config import Settings
from ..errors import ServiceUnavailable, ValidationFailed
from ..logs import get_logger
from ..ports.cache import ContextCache
from ..ports.customer_store import CustomerStore
from ..ports.kv import KeyValueTable, TableSpec
from ..ports.ticket_store import TICKETS, TicketStore  # noqa: F401 - TICKETS: where callers found it
from .churn import SENTIMENT_WINDOW_DAYS, Contact, churn_risk, unknown_risk
from .sentiment import SentimentScorer

log = get_logger(__name__)

INTERACTIONS = TableSpec("support_interactions", "customer_id", sort_key="sk")
RECENT_ORDERS = 5
RECENT_INTERACTIONS = 5


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class CustomerService:
    """The ports come in as arguments from the composition root (``wiring.customer_service`` builds them from
    settings; a test hands in the one it fakes there)."""

    def __init__(self, settings: Settings, *, store: CustomerStore, interactions: KeyValueTable,
                 tickets: TicketStore, cache: ContextCache, scorer: SentimentScorer, now=None) -> None:
        self.settings = settings
        self.db_enabled = settings.support.customer_db != "off" and not (
            settings.profile == "aws" and not settings.database_url)
        self.store = store
        self.interactions = interactions
        self.tickets = tickets
        self.cache = cache
        self.scorer = scorer
        self.now = now or (lambda: datetime.now(UTC))

    # -- writes ------------------------------------------------------------------------------
    def upsert_customers(self, rows: list[dict[str, Any]]) -> int:
        self.store.upsert_customers(rows)
        for row in rows:
            self.cache.invalidate(str(row["customer_id"]))
        return len(rows)

    def add_orders(self, rows: list[dict[str, Any]]) -> int:
        self.store.upsert_orders(rows)
        for cid in {str(r["customer_id"]) for r in rows}:
            self.cache.invalidate(cid)
        return len(rows)

    def record_interaction(self, customer_id: str, text: str, *, channel: str = "email", kind: str = "ticket",
                           ticket_id: str | None = None, at: datetime | None = None) -> dict[str, Any]:
        """Score and store an interaction (TTL: support_interaction_ttl_days); invalidates the cache."""
        customer_id = str(customer_id).strip()
        if not customer_id:
            raise ValidationFailed("customer_id is empty", field="customer_id")
        at = _aware(at or self.now())
        sentiment = self.scorer.score(text)
        item = {
            "customer_id": customer_id, "sk": f"{at.isoformat()}#{uuid.uuid4().hex[:8]}",
            "interaction_id": uuid.uuid4().hex, "at": at.isoformat(), "channel": channel, "kind": kind,
            "ticket_id": ticket_id, "summary": " ".join(text.split())[:200], "sentiment": sentiment.to_dict(),
        }
        ttl = int(self.settings.support.interaction_ttl_days * 86400 - max(0.0, (self.now() - at).total_seconds()))
        self.interactions.put(item, ttl_seconds=max(ttl, 1))
        self.cache.invalidate(customer_id)
        return item

    # -- reads -------------------------------------------------------------------------------
    def get_context(self, customer_id: str) -> dict[str, Any]:
        customer_id = str(customer_id).strip()
        cached, generation = self.cache.lookup(customer_id)
        if cached is not None:
            return {**cached, "cached": True}
        context = self._build(customer_id)
        if not context.get("degraded"):
            self.cache.set(customer_id, context, seen_generation=generation)
        return {**context, "cached": False}

    def _build(self, customer_id: str) -> dict[str, Any]:
        t0 = time.perf_counter()
        profile, recent_orders, status, degraded = None, [], "unknown", None
        days_since = None
        if not self.db_enabled:
            status = "placeholder"
            profile = {"customer_id": customer_id, "name": "Customer " + customer_id, "segment": None,
                       "placeholder": True, "note": "no customer database configured"}
        else:
            try:
                profile, recent_orders, days_since = self._from_db(customer_id)
                status = "known" if profile else "unknown"
            except Exception as exc:  # noqa: BLE001 - a DB outage degrades the context, not the ticket
                log.warning("customer database unavailable", error=str(exc), customer_id=customer_id)
                cause = exc.__cause__ if isinstance(exc, ServiceUnavailable) and exc.__cause__ else exc
                status, degraded = "placeholder", f"customer database unavailable: {cause.__class__.__name__}"
                profile = {"customer_id": customer_id, "name": "Customer " + customer_id, "placeholder": True,
                           "note": degraded}
        interactions = self.interactions.query(customer_id)
        interactions.sort(key=lambda i: i.get("at", ""), reverse=True)
        now = self.now()
        window = [i for i in interactions
                  if (now - _aware(datetime.fromisoformat(i["at"]))).days <= SENTIMENT_WINDOW_DAYS]
        mean = (sum(i["sentiment"]["score"] for i in window) / len(window)) if window else None
        open_tickets = [t for t in self.tickets.for_customer(customer_id) if t.get("status") == "open"]
        if status == "unknown":
            risk = unknown_risk(f"customer {customer_id!r} is not in the customer database: no orders or profile "
                                "to judge churn by (check the id)")
        else:
            risk = self._risk(window, now, days_since, status, open_tickets)
        context = {
            "customer_id": customer_id,
            "status": status,
            "placeholder": status == "placeholder",
            "profile": profile,
            "recent_orders": recent_orders,
            "recent_interactions": [{k: i.get(k) for k in ("at", "channel", "kind", "ticket_id", "summary", "sentiment")}
                                    for i in interactions[:RECENT_INTERACTIONS]],
            "sentiment": {"mean": None if mean is None else round(mean, 3), "interactions": len(window),
                          "window_days": SENTIMENT_WINDOW_DAYS},
            "open_tickets": len(open_tickets),
            "churn_risk": risk.to_dict(),
            "built_ms": round(1000 * (time.perf_counter() - t0), 2),
        }
        if degraded:
            context["degraded"] = degraded
        return context

    @staticmethod
    def _risk(window: list[dict[str, Any]], now: datetime, days_since: float | None, status: str,
              open_tickets: list[dict[str, Any]]):
        """The newest contact, when it is a ticket, is the one being handled: churn weighs it on its own."""
        contacts = [(i, Contact(float(i["sentiment"]["score"]),
                                (now - _aware(datetime.fromisoformat(i["at"]))).total_seconds() / 86400,
                                i.get("text") or i.get("summary") or "")) for i in window]
        current = contacts[0] if contacts and contacts[0][0].get("kind") == "ticket" else None
        earlier = [c for i, c in contacts if current is None or i is not current[0]]
        others = [t for t in open_tickets if current is None or t.get("ticket_id") != current[0].get("ticket_id")]
        return churn_risk(current[1] if current else None, earlier, days_since, len(others),
                          known_orders=None if status == "placeholder" else days_since is not None)

    def list_customers(self, limit: int = 500) -> list[dict[str, Any]]:
        """Customers (id, name, company) by id, for pickers; empty when the database is off."""
        if not self.db_enabled:
            return []
        return self.store.list_customers(limit)

    def _from_db(self, customer_id: str):
        profile, recent, last = self.store.profile(customer_id, RECENT_ORDERS)
        if profile is None:
            return None, [], None
        profile["placeholder"] = False
        days_since = (self.now() - last).days if last else None
        return profile, recent, days_since
