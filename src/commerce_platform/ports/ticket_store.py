"""Ticket store port: support tickets by id, by customer, and newest first.

Tickets live in the key-value table ``support_tickets`` (GSI ``customer_id-index``). Next to it
``support_tickets_by_time`` is the tickets' time index: one small item per ticket (its summary:
id, time, customer, subject, channel, status, sentiment label) in a single partition whose sort key
is ``<created_at>#<ticket_id>``, so the newest N tickets are one query reading N items (SQL: the
primary key's order, newest first, LIMIT N; DynamoDB: a Query with ScanIndexForward=false and
Limit), never a scan of the tickets. Every ticket write goes through ``put``, which rewrites the
summary too, so the two never disagree.

A tickets table written before the index existed is indexed once, a page at a time, the first
time the newest tickets are asked for (a marker item records that it was done)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from ..errors import ServiceUnavailable, ValidationFailed
from ..logs import get_logger
from .kv import PAGE_SIZE, KeyValueTable, TableSpec

log = get_logger("ports.ticket_store")

TICKETS = TableSpec("support_tickets", "ticket_id", index_key="customer_id")
TICKETS_BY_TIME = TableSpec("support_tickets_by_time", "shard", sort_key="sk")
NEWEST = "tickets"  # the time index's one partition
INDEXED = ("meta", "indexed")  # marker: every ticket stored before the index existed is in it
MAX_RECENT = 1000
SUMMARY = ("ticket_id", "created_at", "customer_id", "subject", "channel", "status")


def _time_key(ticket: dict[str, Any]) -> str:
    return f"{ticket['created_at']}#{ticket['ticket_id']}"


class TicketStore:
    """Tickets over two key-value tables (the tickets and their time index)."""

    def __init__(self, tickets: KeyValueTable, by_time: KeyValueTable) -> None:
        self.table = tickets
        self.by_time = by_time
        self._indexed = False
        self._lock = threading.Lock()

    @staticmethod
    def _checked(ticket: dict[str, Any]) -> dict[str, Any]:
        for key in ("ticket_id", "customer_id", "created_at"):
            if not str(ticket.get(key) or "").strip():
                raise ValidationFailed(f"a ticket lacks its {key}", field=key)
        return ticket

    @staticmethod
    def summary(ticket: dict[str, Any]) -> dict[str, Any]:
        """What a list of tickets shows of each one."""
        return {**{k: ticket.get(k) for k in SUMMARY}, "sentiment": (ticket.get("sentiment") or {}).get("label")}

    def _index_item(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return {"shard": NEWEST, "sk": _time_key(ticket), **self.summary(ticket)}

    def put(self, ticket: dict[str, Any]) -> None:
        """Store the ticket and its time-index item; when the index write fails the ticket is removed
        again, so a ticket is never stored without being findable among the newest."""
        ticket = self._checked(ticket)
        self.table.put(ticket)
        try:
            self.by_time.put(self._index_item(ticket))
        except ServiceUnavailable:
            self.table.delete(ticket["ticket_id"])
            raise

    def get(self, ticket_id: str) -> dict[str, Any] | None:
        return self.table.get(ticket_id)

    def delete(self, ticket_id: str) -> None:
        ticket = self.table.get(ticket_id)
        self.table.delete(ticket_id)
        if ticket and ticket.get("created_at"):
            self.by_time.delete(NEWEST, _time_key(ticket))

    def for_customer(self, customer_id: str) -> list[dict[str, Any]]:
        return self.table.query_index(customer_id)

    def pages(self, page_size: int = PAGE_SIZE) -> Iterator[list[dict[str, Any]]]:
        return self.table.pages(page_size)

    def scan(self) -> Iterator[dict[str, Any]]:
        return self.table.scan()

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The summaries (``summary``) of the newest ``limit`` tickets, newest first: one query of
        ``limit`` index items."""
        if not 1 <= int(limit) <= MAX_RECENT:
            raise ValidationFailed(f"limit must be between 1 and {MAX_RECENT}, got {limit}", field="limit")
        self._ensure_indexed()
        items = self.by_time.query(NEWEST, descending=True, limit=int(limit))
        return [{k: item.get(k) for k in (*SUMMARY, "sentiment")} for item in items]

    def _ensure_indexed(self) -> None:
        with self._lock:
            if self._indexed:
                return
            if self.by_time.get(*INDEXED) is None:
                n = self.reindex()
                log.info("tickets time index built from the tickets table", tickets=n)
            self._indexed = True

    def reindex(self, page_size: int = PAGE_SIZE) -> int:
        """Write the time-index item of every ticket (a page at a time); idempotent."""
        n = 0
        for page in self.table.pages(page_size):
            for ticket in page:
                if ticket.get("created_at") and ticket.get("ticket_id"):
                    self.by_time.put(self._index_item(ticket))
                    n += 1
        self.by_time.put({"shard": INDEXED[0], "sk": INDEXED[1], "tickets": n})
        return n
