"""The SmartGo ``sales`` table (ARCHITECTURE 7.2) through SQLAlchemy, one UTC day, streamed in pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from ..errors import ConfigurationError, ServiceUnavailable
from .models import SOURCE_COLUMNS, day_bounds


def default_source_url(settings) -> str:
    if settings.exports.source_url:
        return settings.exports.source_url
    return f"sqlite:///{settings.paths.root / 'smartgo' / 'smartgo.db'}"


def sales_table(metadata=None):
    """The 7.2 table definition (also used by the demo and the tests to create it)."""
    import sqlalchemy as sa

    md = metadata if metadata is not None else sa.MetaData()
    return sa.Table(
        "sales", md,
        sa.Column("sale_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text),
        sa.Column("product_id", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("category", sa.Text),
        sa.Column("brand", sa.Text),
        sa.Column("sold_price", sa.Numeric(12, 2)),
        sa.Column("currency", sa.Text),
        sa.Column("sold_at", sa.DateTime),
        sa.Column("image_url", sa.Text),
        sa.Index("ix_sales_sold_at", "sold_at"),
    )


class SalesSource:
    """Reads raw rows (driver values, validated later so one bad row never stops a page)."""

    def __init__(self, url: str, page_size: int = 1000) -> None:
        from ..factory import sql_engine

        self.url = url
        self.engine = sql_engine(url)
        self.page_size = page_size

    def _select(self):
        import sqlalchemy as sa

        # Untyped columns: a malformed price or timestamp reaches validation instead of failing the page.
        return sa.table("sales", *[sa.column(c) for c in SOURCE_COLUMNS])

    def _day_where(self, t, day: date, tenant: str | None) -> list:
        import sqlalchemy as sa

        start, end = day_bounds(day)
        where = [t.c.sold_at >= sa.literal(start.replace(tzinfo=None), sa.DateTime),
                 t.c.sold_at < sa.literal(end.replace(tzinfo=None), sa.DateTime)]
        if tenant:
            where.append(t.c.tenant_id == tenant)
        return where

    def count(self, day: date, tenant: str | None = None) -> int:
        """Rows of the day (for progress bars; the pages are read separately)."""
        import sqlalchemy as sa

        t = self._select()
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t).where(*self._day_where(t, day, tenant)))
                       .scalar() or 0)

    def has_tenant(self, tenant: str) -> bool:
        """Whether the tenant has any sale at all (tells a mistyped tenant id from a quiet day)."""
        import sqlalchemy as sa

        t = self._select()
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.c.sale_id).where(t.c.tenant_id == tenant).limit(1)).first() is not None

    def pages(self, day: date, tenant: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """Pages of rows sold on ``day`` (UTC), keyset-paginated by sale_id."""
        import sqlalchemy as sa

        t = self._select()
        last: str | None = None
        while True:
            where = self._day_where(t, day, tenant)
            if last is not None:
                where.append(t.c.sale_id > last)
            stmt = sa.select(*t.c).where(*where).order_by(t.c.sale_id).limit(self.page_size)
            try:
                with self.engine.connect() as conn:
                    rows = [dict(r._mapping) for r in conn.execute(stmt)]
            except sa.exc.OperationalError as exc:
                raise ServiceUnavailable(f"SmartGo source {self._safe_url()} is not reachable: {exc.orig}",
                                         hint="check --source / COMMERCE_EXPORT_SOURCE_URL") from exc
            except sa.exc.ProgrammingError as exc:
                raise ConfigurationError(f"SmartGo source {self._safe_url()} has no usable 'sales' table: {exc.orig}",
                                         hint="run 'commerce demo' or point --source at the SmartGo database") from exc
            if not rows:
                return
            yield rows
            if len(rows) < self.page_size:
                return
            last = rows[-1]["sale_id"]

    def check(self) -> None:
        import sqlalchemy as sa

        try:
            has = sa.inspect(self.engine).has_table("sales")
        except sa.exc.OperationalError as exc:
            raise ServiceUnavailable(f"SmartGo source {self._safe_url()} is not reachable: {exc.orig}",
                                     hint="check --source / COMMERCE_EXPORT_SOURCE_URL") from exc
        if not has:
            raise ConfigurationError(f"SmartGo source {self._safe_url()} has no 'sales' table",
                                     hint="run 'commerce demo' or point --source at the SmartGo database")

    def _safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)
