"""SmartGo ``sales`` table port (ARCHITECTURE 7.2) through SQLAlchemy: the table definition, pages of
raw rows between two timestamps, and writing rows (the demo and the tests build sources with it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError, ServiceUnavailable

if TYPE_CHECKING:  # sqlalchemy is imported where used
    import sqlalchemy as sa

SALES_COLUMNS = ("sale_id", "tenant_id", "product_id", "title", "category", "brand", "sold_price", "currency",
                 "sold_at", "image_url")
_HINT_SOURCE = "check --source / COMMERCE_EXPORT_SOURCE_URL"
_HINT_TABLE = "run 'commerce demo' or point --source at the SmartGo database"


def sales_table(metadata: sa.MetaData | None = None) -> sa.Table:
    """The 7.2 table definition."""
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


def write_sales(url: str, rows: list[dict[str, Any]]) -> None:
    """Create the ``sales`` table at ``url`` when missing and insert ``rows`` (naive UTC ``sold_at``)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    md = sa.MetaData()
    table = sales_table(md)
    try:
        md.create_all(engine)
        with engine.begin() as conn:
            if rows:
                conn.execute(table.insert(), rows)
    finally:
        engine.dispose()


def _naive(moment: datetime) -> datetime:
    """SmartGo stores UTC timestamps without a zone."""
    return moment.replace(tzinfo=None)


class SmartGoSales:
    """Reads raw rows (driver values, validated by the caller so one bad row never stops a page)."""

    def __init__(self, url: str, page_size: int = 1000) -> None:
        from ..factory import sql_engine

        self.url = url
        self.engine = sql_engine(url)
        self.page_size = page_size

    def _select(self) -> sa.TableClause:
        import sqlalchemy as sa

        # Untyped columns: a malformed price or timestamp reaches validation instead of failing the page.
        return sa.table("sales", *[sa.column(c) for c in SALES_COLUMNS])

    def _where(self, t: sa.TableClause, start: datetime, end: datetime,
               tenant: str | None) -> list[sa.ColumnElement[bool]]:
        import sqlalchemy as sa

        where = [t.c.sold_at >= sa.literal(_naive(start), sa.DateTime), t.c.sold_at < sa.literal(_naive(end), sa.DateTime)]
        if tenant:
            where.append(t.c.tenant_id == tenant)
        return where

    def count(self, start: datetime, end: datetime, tenant: str | None = None) -> int:
        """Rows sold in [start, end) (for progress bars; the pages are read separately)."""
        import sqlalchemy as sa

        t = self._select()
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t).where(*self._where(t, start, end, tenant)))
                       .scalar() or 0)

    def has_tenant(self, tenant: str) -> bool:
        """Whether the tenant has any sale at all (tells a mistyped tenant id from a quiet day)."""
        import sqlalchemy as sa

        t = self._select()
        with self.engine.connect() as conn:
            return conn.execute(sa.select(t.c.sale_id).where(t.c.tenant_id == tenant).limit(1)).first() is not None

    def pages(self, start: datetime, end: datetime, tenant: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """Pages of rows sold in [start, end), keyset-paginated by sale_id."""
        import sqlalchemy as sa

        t = self._select()
        last: str | None = None
        while True:
            where = self._where(t, start, end, tenant)
            if last is not None:
                where.append(t.c.sale_id > last)
            stmt = sa.select(*t.c).where(*where).order_by(t.c.sale_id).limit(self.page_size)
            try:
                with self.engine.connect() as conn:
                    rows = [dict(r._mapping) for r in conn.execute(stmt)]
            except sa.exc.OperationalError as exc:
                raise ServiceUnavailable(f"SmartGo source {self.safe_url()} is not reachable: {exc.orig}",
                                         hint=_HINT_SOURCE) from exc
            except sa.exc.ProgrammingError as exc:
                raise ConfigurationError(f"SmartGo source {self.safe_url()} has no usable 'sales' table: {exc.orig}",
                                         hint=_HINT_TABLE) from exc
            if not rows:
                return
            yield rows
            if len(rows) < self.page_size:
                return
            last = rows[-1]["sale_id"]

    def check(self) -> None:
        """The source answers and has a ``sales`` table, or a clear error saying which is wrong."""
        import sqlalchemy as sa

        try:
            has = sa.inspect(self.engine).has_table("sales")
        except sa.exc.OperationalError as exc:
            raise ServiceUnavailable(f"SmartGo source {self.safe_url()} is not reachable: {exc.orig}",
                                     hint=_HINT_SOURCE) from exc
        if not has:
            raise ConfigurationError(f"SmartGo source {self.safe_url()} has no 'sales' table", hint=_HINT_TABLE)

    def safe_url(self) -> str:
        return str(self.engine.url.render_as_string(hide_password=True))

