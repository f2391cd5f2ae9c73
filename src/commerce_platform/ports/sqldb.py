"""Small SQL helpers over a SQLAlchemy engine that callers outside ports/ need without importing it."""

from __future__ import annotations


def ping(engine) -> None:
    """``SELECT 1`` on the engine (health checks); raises what the driver raises."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
