"""Alembic environment of the support tables (see ports/sql.py)."""

from commerce_platform.ports.sql import run_env

run_env()
