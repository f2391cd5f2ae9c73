"""Customer store port: customer profiles and their orders (the support desk's customer database).

``CustomerStore`` owns what every backend shares: input validation, date conversions and mapping
a database outage to ServiceUnavailable. An adapter implements a handful of primitives over its
tables. ``SqlCustomerStore`` is the one adapter (SQLite by default, PostgreSQL in production); its
tables are created and evolved by the ``support`` migrations (ports/sql.py), on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ..errors import ServiceUnavailable, ValidationFailed
from .sql import migrate

metadata = sa.MetaData()

# Mirrors migrations/support; the migrations, not this metadata, create and change the tables.
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

CUSTOMER_FIELDS = frozenset(c.name for c in customers.columns)
ORDER_FIELDS = frozenset(c.name for c in orders.columns)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class CustomerStore:
    """Base of every customer store: validation, conversions and error mapping live here."""

    name = "customer database"

    # -- primitives each adapter implements ----------------------------------------------------
    def _replace_customers(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _replace_orders(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _customer(self, customer_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def _orders(self, customer_id: str, limit: int) -> list[dict[str, Any]]:
        """The customer's newest ``limit`` orders, newest first."""
        raise NotImplementedError

    def _last_order_date(self, customer_id: str) -> datetime | str | None:
        """The newest order date that was not cancelled."""
        raise NotImplementedError

    def _customers(self, limit: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _ping(self) -> None:
        raise NotImplementedError

    def _outages(self) -> tuple[type[BaseException], ...]:
        return (OSError,)

    # -- what callers use ----------------------------------------------------------------------
    def _guarded(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except self._outages() as exc:
            raise ServiceUnavailable(f"the {self.name} is unavailable ({type(exc).__name__})",
                                     hint="check COMMERCE_DATABASE_URL and that the database is running") from exc

    @staticmethod
    def _checked(rows: list[dict[str, Any]], key: str, fields: frozenset[str], what: str) -> list[dict[str, Any]]:
        for row in rows:
            if str(row.get(key) or "").strip() == "":
                raise ValidationFailed(f"a {what} row lacks its {key}", field=key)
            unknown = sorted(set(row) - fields)
            if unknown:
                raise ValidationFailed(f"{what} {row[key]!r} has unknown fields {unknown}", field=unknown[0],
                                       hint=f"known fields: {', '.join(sorted(fields))}")
        return rows

    def upsert_customers(self, rows: list[dict[str, Any]]) -> int:
        """Insert or replace customers by id."""
        self._guarded(self._replace_customers, self._checked(rows, "customer_id", CUSTOMER_FIELDS, "customer"))
        return len(rows)

    def upsert_orders(self, rows: list[dict[str, Any]]) -> int:
        """Insert or replace orders by id."""
        self._guarded(self._replace_orders, self._checked(rows, "order_id", ORDER_FIELDS, "order"))
        return len(rows)

    def profile(self, customer_id: str, recent: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]],
                                                              datetime | None]:
        """(profile or None, the newest ``recent`` orders, the last non-cancelled order's date);
        dates as ISO text in the profile and orders, the last order date as an aware datetime."""
        row = self._guarded(self._customer, customer_id)
        if row is None:
            return None, [], None
        rows = self._guarded(self._orders, customer_id, recent)
        last = self._guarded(self._last_order_date, customer_id)
        if isinstance(last, str):
            last = datetime.fromisoformat(last)
        profile = {k: _iso(v) for k, v in row.items()}
        orders_out = [{k: _iso(v) for k, v in r.items() if k != "customer_id"} for r in rows]
        return profile, orders_out, aware(last) if last else None

    def list_customers(self, limit: int = 500) -> list[dict[str, Any]]:
        """Customers (id, name, company) by id."""
        customers_out: list[dict[str, Any]] = self._guarded(self._customers, limit)
        return customers_out

    def ping(self) -> None:
        self._guarded(self._ping)


class SqlCustomerStore(CustomerStore):
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> sa.Engine:
        migrate(self._engine, "support")
        return self._engine

    def _outages(self) -> tuple[type[BaseException], ...]:
        return (sa.exc.OperationalError, sa.exc.InterfaceError, OSError)

    def _replace(self, table: sa.Table, key: sa.Column[Any], rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            for row in rows:
                conn.execute(table.delete().where(key == row[key.name]))
                conn.execute(table.insert().values(**row))

    def _replace_customers(self, rows: list[dict[str, Any]]) -> None:
        self._replace(customers, customers.c.customer_id, rows)

    def _replace_orders(self, rows: list[dict[str, Any]]) -> None:
        self._replace(orders, orders.c.order_id, rows)

    def _customer(self, customer_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(customers).where(customers.c.customer_id == customer_id)).mappings().first()
        return dict(row) if row else None

    def _orders(self, customer_id: str, limit: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(orders).where(orders.c.customer_id == customer_id)
                                .order_by(orders.c.order_date.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def _last_order_date(self, customer_id: str) -> datetime | str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(orders.c.order_date)).where(
                orders.c.customer_id == customer_id, orders.c.status != "cancelled")).scalar()

    def _customers(self, limit: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(customers.c.customer_id, customers.c.name, customers.c.company)
                                .order_by(customers.c.customer_id).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def _ping(self) -> None:
        with self._engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
