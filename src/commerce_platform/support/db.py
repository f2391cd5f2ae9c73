"""Customer database schema (SQLAlchemy Core; SQLite by default, PostgreSQL in production).
Tables are created with ``create_all`` on first use (idempotent)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

metadata = sa.MetaData()

customers = sa.Table(
    "support_customers", metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200)),
    sa.Column("company", sa.String(200)),
    sa.Column("segment", sa.String(20), nullable=False, default="consumer"),  # consumer | business
    sa.Column("city", sa.String(100)),
    sa.Column("country", sa.String(2)),
    sa.Column("language", sa.String(5), default="en"),
    sa.Column("tier", sa.String(20), default="standard"),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)

orders = sa.Table(
    "support_orders", metadata,
    sa.Column("order_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("support_customers.customer_id"), nullable=False,
              index=True),
    sa.Column("order_date", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),  # pending|paid|shipped|delivered|cancelled|returned
    sa.Column("channel", sa.String(10)),
    sa.Column("total_amount", sa.Float, nullable=False),
    sa.Column("currency", sa.String(3), default="EUR"),
    sa.Column("summary", sa.String(500)),
)

_created: set[str] = set()
_lock = threading.Lock()


def ensure_schema(engine) -> None:
    key = str(engine.url)
    with _lock:
        if key in _created:
            return
        metadata.create_all(engine)
        _created.add(key)
