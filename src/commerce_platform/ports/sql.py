"""SQL plumbing every SQL adapter shares: one SQLAlchemy engine per URL (pool, SQLite pragmas) and
the schema migrations (Alembic) each SQL store runs when it is first opened.

Each store's tables have their own migration history (``migrations/<schema>/versions``) and their own
version table (``alembic_version_<schema>``), so the support and tutor tables can share one database
and still evolve apart. A database whose tables were made by the old ``create_all`` has no version
table: it is stamped at the baseline revision (the create_all schema) and upgraded from there."""

from __future__ import annotations

import atexit
import threading
import weakref
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..logs import get_logger

if TYPE_CHECKING:  # sqlalchemy is imported on first use: the factory imports this module at its top
    import sqlalchemy as sa
    from alembic.config import Config

log = get_logger("ports.sql")
MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"  # the revision whose schema equals what create_all made before migrations existed
# The tables a pre-migration (create_all) database of each schema has: all present -> adopt it.
CREATE_ALL_TABLES = {
    "support": ("support_customers", "support_orders"),
    "tutor": ("tutor_exercises", "tutor_attempts", "tutor_mastery"),
}

_migrated: dict[str, weakref.WeakSet[sa.Engine]] = {schema: weakref.WeakSet() for schema in CREATE_ALL_TABLES}
_lock = threading.Lock()


def ping(engine: sa.Engine) -> None:
    """``SELECT 1`` on the engine (health checks); raises what the driver raises."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


@lru_cache(maxsize=16)
def sql_engine(url: str) -> sa.Engine:
    """One SQLAlchemy engine per URL per process."""
    import sqlalchemy as sa

    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = sa.create_engine(url, **kwargs)
    # Pooled connections closed at exit, not left to interpreter teardown: a SQLite file in WAL mode
    # otherwise keeps its -wal and -shm files after a CLI run whenever teardown skips a connection.
    atexit.register(engine.dispose)
    if url.startswith("sqlite"):
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # WAL lets readers and one writer work at once
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    return engine


def version_table(schema: str) -> str:
    return f"alembic_version_{schema}"


def current_revision(engine: sa.Engine, schema: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": version_table(schema)}).get_current_revision()


def head_revision(schema: str) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config(schema)).get_current_head()
    assert head is not None, f"no migrations for {schema}"
    return head


def _config(schema: str, connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    if schema not in CREATE_ALL_TABLES:
        raise ValueError(f"unknown SQL schema {schema!r}; one of {sorted(CREATE_ALL_TABLES)}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / schema))
    cfg.attributes["connection"] = connection
    cfg.attributes["version_table"] = version_table(schema)
    return cfg


def migrate(engine: sa.Engine, schema: str) -> None:
    """Bring ``schema``'s tables to the newest revision (once per engine and process; idempotent).

    On PostgreSQL a transaction-scoped advisory lock serialises processes starting together, so
    only one of them runs the DDL; the others then find the database at head."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    cfg = _config(schema)
    with _lock:
        if engine in _migrated[schema]:
            return
        # Driver errors go up as they are: each store maps an outage to its own 503.
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": zlib.crc32(version_table(schema).encode())})
            cfg.attributes["connection"] = conn
            current = MigrationContext.configure(
                conn, opts={"version_table": version_table(schema)}).get_current_revision()
            inspector = sa.inspect(conn)
            if current is None and all(inspector.has_table(t) for t in CREATE_ALL_TABLES[schema]):
                log.info("adopting a database made before migrations", schema=schema, revision=BASELINE)
                command.stamp(cfg, BASELINE)
            command.upgrade(cfg, "head")
        _migrated[schema].add(engine)


def run_env() -> None:
    """The body of each ``migrations/<schema>/env.py``: migrate on the connection ``migrate`` opened."""
    from alembic import context

    cfg = context.config
    connection = cfg.attributes.get("connection")
    if connection is None:
        raise SystemExit("these migrations run from commerce_platform.ports.sql.migrate (a store's first open)")
    context.configure(connection=connection, version_table=cfg.attributes["version_table"])
    with context.begin_transaction():
        context.run_migrations()
