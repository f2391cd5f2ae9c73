"""Alembic environment of the tutor tables (see ports/sql.py)."""

from commerce_platform.ports.sql import run_env

run_env()
