"""The customer store port's base: validation, date conversions and the outage -> 503 mapping."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from commerce_platform.errors import ServiceUnavailable, ValidationFailed
from commerce_platform.ports.customer_store import SqlCustomerStore
from commerce_platform.ports.sql import sql_engine

pytestmark = pytest.mark.unit


@pytest.fixture
def store(tmp_path):
    return SqlCustomerStore(sql_engine(f"sqlite:///{tmp_path}/service.db"))


def test_profile_orders_newest_first_and_last_non_cancelled_date(store):
    now = datetime(2026, 11, 1, 12, 0)  # naive: the store hands back aware datetimes
    store.upsert_customers([{"customer_id": "C1", "name": "Ann", "segment": "consumer", "created_at": now}])
    store.upsert_orders([{"order_id": f"O{i}", "customer_id": "C1", "order_date": now - timedelta(days=i),
                          "status": "cancelled" if i == 0 else "delivered", "total_amount": 10.0 * i}
                         for i in range(4)])
    profile, orders, last = store.profile("C1", recent=2)
    assert profile["name"] == "Ann" and profile["created_at"].startswith("2026-11-01T12:00")
    assert [o["order_id"] for o in orders] == ["O0", "O1"] and "customer_id" not in orders[0]
    assert last.tzinfo is not None and last.day == 31  # O1: the cancelled O0 does not count
    assert store.profile("nobody", recent=2) == (None, [], None)
    store.upsert_customers([{"customer_id": "C1", "name": "Ann B", "segment": "consumer"}])  # replaces
    assert store.list_customers() == [{"customer_id": "C1", "name": "Ann B", "company": None}]


@pytest.mark.parametrize(("rows", "message"), [
    ([{"name": "x"}], "lacks its customer_id"),
    ([{"customer_id": " ", "name": "x"}], "lacks its customer_id"),
    ([{"customer_id": "C1", "name": "x", "shoe_size": 44}], "unknown fields ['shoe_size']"),
])
def test_bad_customer_rows_are_refused_by_name(store, rows, message):
    with pytest.raises(ValidationFailed, match=message.replace("[", r"\[").replace("]", r"\]")):
        store.upsert_customers(rows)


def test_an_unreachable_database_is_service_unavailable(tmp_path):
    store = SqlCustomerStore(sql_engine(f"sqlite:///{tmp_path}/no/such/dir/service.db"))
    with pytest.raises(ServiceUnavailable, match="customer database is unavailable \\(OperationalError\\)"):
        store.profile("C1", recent=5)
    with pytest.raises(ServiceUnavailable):
        store.ping()
