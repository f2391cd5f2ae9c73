"""Copilot service end to end on local adapters: the demo lake, DuckDB, SQLite conversations."""

from __future__ import annotations

import json

import pytest

from commerce_platform.errors import NotFound, NotUnderstood, Refused, ValidationFailed
from tests import fixtures_copilot as fx

AS_OF = fx.AS_OF
retail_lake, copilot_settings, copilot = fx.retail_lake, fx.copilot_settings, fx.copilot

pytestmark = pytest.mark.functional


def test_ask_answers_with_sql_rows_and_prose(copilot):
    a = copilot.ask("revenue by month for 2025", user_id="anna", as_of=AS_OF)
    assert a.columns == ["month", "revenue"]
    assert len(a.rows) == 12 and a.rows[0][0] == "2025-01-01"
    assert a.provider == "offline" and a.query_type == "sales_report"
    assert "NOT o.status IN ('cancelled', 'returned')" in a.sql and a.sql.endswith("LIMIT 1000")
    total = sum(r[1] for r in a.rows)
    assert f"{total:,.2f}" in a.answer


def test_revenue_matches_the_glossary_computed_independently(copilot, retail_lake):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    orders = pq.read_table(retail_lake / "orders.parquet")
    mask = pc.and_(pc.invert(pc.is_in(orders["status"], value_set=__import__("pyarrow").array(["cancelled", "returned"]))),
                   pc.equal(pc.year(orders["order_date"]), 2025))
    expected = pc.sum(orders.filter(mask)["total_amount"]).as_py()
    a = copilot.ask("total revenue in 2025", user_id="anna", as_of=AS_OF)
    assert a.rows[0][0] == pytest.approx(expected, rel=1e-6)


def test_followup_uses_history_and_conversation_is_stored(copilot):
    first = copilot.ask("revenue by month for 2025", user_id="anna", as_of=AS_OF)
    second = copilot.ask("only web orders", conversation_id=first.conversation_id, user_id="anna", as_of=AS_OF)
    assert "o.channel = 'web'" in second.sql and "2025-01-01" in second.sql
    assert second.turn == 2
    conv = copilot.get_conversation(first.conversation_id)
    assert [t["turn"] for t in conv["turns"]] == [1, 2]
    assert conv["turns"][0]["sql_query"] == first.sql and conv["turns"][1]["status"] == "ok"
    assert conv["turns"][0]["ttl"] > 0
    listed = copilot.list_conversations("anna")
    assert listed[0]["conversation_id"] == first.conversation_id and listed[0]["turns"] == 2
    assert copilot.list_conversations("bob") == []


def test_failed_turn_is_stored_marked_failed_and_nothing_else(copilot):
    a = copilot.ask("how many orders did we get last month", user_id="anna", as_of=AS_OF)
    with pytest.raises(NotUnderstood):
        copilot.ask("what is the weather tomorrow", conversation_id=a.conversation_id, user_id="anna", as_of=AS_OF)
    turns = copilot.get_conversation(a.conversation_id)["turns"]
    assert [t["status"] for t in turns] == ["ok", "failed"]
    assert turns[1]["sql_query"] is None and turns[1]["error"]["error"] == "NotUnderstood"
    # the failed turn does not become the follow-up context
    b = copilot.ask("and in 2025?", conversation_id=a.conversation_id, user_id="anna", as_of=AS_OF)
    assert "2025-01-01" in b.sql and b.turn == 3


def test_unknown_order_id_is_not_found(copilot):
    with pytest.raises(NotFound) as info:
        copilot.ask("status of order 99999", user_id="anna", as_of=AS_OF)
    assert info.value.exit_code == 4 and "99999" in info.value.message


@pytest.mark.parametrize("question", ["", "   ", "q" * 600])
def test_bad_questions_are_rejected_and_not_stored(copilot, question):
    with pytest.raises(ValidationFailed):
        copilot.ask(question, user_id="carl", as_of=AS_OF)
    assert copilot.list_conversations("carl") == []


def test_other_users_conversation_is_not_visible(copilot):
    a = copilot.ask("how many customers do we have", user_id="anna", as_of=AS_OF)
    with pytest.raises(NotFound):
        copilot.ask("and in Helsinki?", conversation_id=a.conversation_id, user_id="mallory", as_of=AS_OF)


def test_approve_stores_an_example_pair(copilot):
    a = copilot.ask("who are our top 10 customers", user_id="anna", as_of=AS_OF)
    res = copilot.approve(a.conversation_id, a.turn)
    assert res["approved"] is True
    examples = copilot.store.examples_list()
    assert [(e["question"], e["sql"]) for e in examples] == [("who are our top 10 customers", a.sql)]
    assert copilot.get_conversation(a.conversation_id)["turns"][0]["approved"] is True
    copilot.approve(a.conversation_id, a.turn, approved=False)
    assert copilot.store.examples_list() == []
    with pytest.raises(NotFound):
        copilot.approve(a.conversation_id, 9)


def test_inventory_overview(copilot):
    inv = copilot.inventory()
    assert inv["count"] > 0 and all(i["stock"] <= i["reorder_level"] for i in inv["low_stock"])


def test_query_types_cover_every_category(copilot):
    seen = {copilot.ask(q, user_id="t", as_of=AS_OF).query_type for q in [
        "show me low stock products", "orders per channel", "customers who never ordered",
        "revenue per brand", "what is the status of order 1234", "best sellers in Garden"]}
    assert seen == {"inventory", "orders", "customers", "sales_report", "order_status", "recommendation"}


# ------------------------------------------------------------------ DuckDB engine hardening

@pytest.fixture
def engine(retail_lake):
    from commerce_platform.ports.query_engine import DuckDBEngine

    return DuckDBEngine(retail_lake, timeout_seconds=1.0)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "COPY orders TO '{lake}/stolen.csv'",
    "ATTACH '{lake}/evil.db' AS evil",
    "SET enable_external_access = true",
    "SET memory_limit = '64GB'",
    "SET allowed_paths = ['/']",
])
def test_engine_refuses_what_slips_past_the_guard(engine, retail_lake, sql):
    """Defence in depth: even unguarded SQL cannot touch files or settings."""
    with pytest.raises((Refused, ValidationFailed)):
        engine.execute(sql.format(lake=retail_lake))
    assert not (retail_lake / "stolen.csv").exists() and not (retail_lake / "evil.db").exists()


def test_engine_views_still_read_after_locking(engine):
    assert engine.execute("SELECT COUNT(*) FROM order_items").rows[0][0] > 9000
    assert engine.execute("SELECT current_setting('enable_external_access')").rows == [[False]]


def test_engine_statement_timeout(engine):
    with pytest.raises(ValidationFailed) as info:
        engine.execute("SELECT COUNT(*) FROM order_items a, order_items b, order_items c "
                       "WHERE hash(a.order_id + b.product_id * c.quantity) = 1")
    assert "timeout" in info.value.message
    assert engine.execute("SELECT 1").rows == [[1]]  # the connection is usable afterwards


def test_lake_as_folders_of_parquet(tmp_path, retail_lake):
    import shutil

    from commerce_platform.ports.query_engine import DuckDBEngine

    lake = tmp_path / "lake"
    for f in retail_lake.glob("*.parquet"):
        (lake / f.stem / "part=1").mkdir(parents=True)
        shutil.copy(f, lake / f.stem / "part=1" / "data-0.parquet")
    e = DuckDBEngine(lake)
    assert e.tables == frozenset({"customers", "products", "inventory", "orders", "order_items", "shipments"})
    assert e.execute("SELECT COUNT(*) FROM orders").rows == [[3500]]


def test_missing_lake_says_what_to_do(tmp_path):
    from commerce_platform.ports.query_engine import DuckDBEngine

    with pytest.raises(NotFound) as info:
        DuckDBEngine(tmp_path / "nope")
    assert "commerce demo" in info.value.hint


# ------------------------------------------------------------------ evaluation and demo data

def test_offline_parser_execution_accuracy(retail_lake):
    from datetime import date

    from commerce_platform.copilot.evaluation import evaluate, load_eval_set, offline_generator, report
    from commerce_platform.ports.query_engine import DuckDBEngine

    data = load_eval_set()
    assert len(data["items"]) >= 80
    engine = DuckDBEngine(retail_lake)
    rep = report(evaluate(offline_generator(engine), engine, data["items"], date.fromisoformat(data["as_of"])))
    assert rep["accuracy"] >= 0.9, rep["misses"]
    assert set(rep["categories"]) >= {"inventory", "orders", "customers", "sales_report", "order_status",
                                      "recommendation", "followup"}


@pytest.mark.parametrize("gold, pred, same", [
    ([[1, "a"]], [["a", 1.004, 9]], True),
    ([[1, "a"]], [["a", 1.01]], False),
    ([[1], [2]], [[2], [1]], True),
    ([[1], [2]], [[1]], False),
    ([], [], True),
])
def test_result_comparison(gold, pred, same):
    from commerce_platform.copilot.evaluation import results_match

    assert results_match(gold, pred) is same


def test_demo_lake_is_deterministic_and_scales(tmp_path):
    import hashlib

    from commerce_platform.demo.retail import build_lake

    a = build_lake(tmp_path / "a", scale=0.2)
    b = build_lake(tmp_path / "b", scale=0.2)
    assert a["order_items"] == b["order_items"] and a["orders"] == 700
    import pyarrow.parquet as pq

    ta, tb = pq.read_table(tmp_path / "a" / "orders.parquet"), pq.read_table(tmp_path / "b" / "orders.parquet")
    assert ta.equals(tb)
    assert hashlib.sha256(str(ta.schema).encode()).hexdigest() == hashlib.sha256(str(tb.schema).encode()).hexdigest()
    c = build_lake(tmp_path / "c", scale=3)
    assert c["order_items"] > 2.5 * build_lake(tmp_path / "d", scale=1)["order_items"]


def test_demo_lake_schema_matches_the_contract(retail_lake):
    import pyarrow.parquet as pq

    expected = {
        "customers": ["customer_id", "name", "email", "segment", "city", "country", "signup_date"],
        "products": ["product_id", "sku", "name", "category", "brand", "unit_price", "unit_cost", "active"],
        "inventory": ["product_id", "warehouse", "quantity_on_hand", "reorder_level", "updated_at"],
        "orders": ["order_id", "customer_id", "order_date", "status", "channel", "total_amount"],
        "order_items": ["order_id", "product_id", "quantity", "unit_price", "discount_percent"],
        "shipments": ["shipment_id", "order_id", "carrier", "shipped_at", "delivered_at", "tracking_number"],
    }
    for table, cols in expected.items():
        assert pq.read_schema(retail_lake / f"{table}.parquet").names == cols


# ------------------------------------------------------------------ CLI (in process)

@pytest.fixture(autouse=False)
def fresh_log_stream():
    """cli.main re-points the package log handler at sys.stderr and flushes the old stream first;
    under capsys that old stream is already closed, so point it at the live stderr without flushing."""
    import logging
    import sys

    def reset():
        for h in logging.getLogger("commerce_platform").handlers:
            if isinstance(h, logging.StreamHandler):
                h.stream = sys.stderr
    return reset


def test_cli_ask_json(copilot_settings, capsys, fresh_log_stream):
    from commerce_platform.cli import main

    fresh_log_stream()
    code = main(["--home", str(copilot_settings.paths.root), "copilot", "ask", "how many open orders are there",
                 "--as-of", AS_OF, "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"question", "sql", "columns", "rows", "answer", "provider"} <= set(doc)
    assert doc["rows"][0][0] > 0


def test_cli_check_sql_exit_codes(copilot_settings, capsys, fresh_log_stream):
    from commerce_platform.cli import main

    fresh_log_stream()
    assert main(["copilot", "check-sql", "SELECT count(*) FROM orders"]) == 0
    assert main(["copilot", "check-sql", "SELECT * FROM read_csv('/etc/passwd')"]) == 3
    assert "read_csv" in capsys.readouterr().err
    assert main(["copilot", "check-sql", "SELECT * FROM orders; DROP TABLE orders"]) == 3


def test_cli_ask_not_understood_exit_3(copilot_settings, capsys, fresh_log_stream):
    from commerce_platform.cli import main

    fresh_log_stream()
    code = main(["--home", str(copilot_settings.paths.root), "copilot", "ask", "show me the payroll"])
    assert code == 3 and "no data about payroll" in capsys.readouterr().err


def test_random_word_salad_never_yields_invalid_sql(retail_lake):
    """Every question either becomes SQL that the guard accepts and DuckDB runs, or a clear
    CommerceError (NotUnderstood / ValidationFailed) - never a crash, never unbound aliases."""
    import random
    from datetime import date

    from commerce_platform.copilot.guard import check_sql
    from commerce_platform.copilot.parser import SemanticParser
    from commerce_platform.copilot.semantic import vocabulary_for
    from commerce_platform.errors import CommerceError
    from commerce_platform.ports.query_engine import DuckDBEngine

    engine = DuckDBEngine(retail_lake)
    parser = SemanticParser(vocabulary_for(engine))
    words = ("revenue orders customers products stock by per top last month year 2025 Helsinki web store Plumbing "
             "Makita which how many average low out of status order 12 customer 7 and only what about warehouse "
             "Vantaa DHL shipped carrier brand category city margin who bought units never delivery recommend "
             "together with Makita Copper Pipe best sellers list show").split()
    rnd = random.Random(11)
    answered = 0
    for _ in range(400):
        q = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 9)))
        try:
            parsed = parser.parse(q, date(2026, 11, 1))
        except (NotUnderstood, NotFound, ValidationFailed):  # NotFound: "Plumbing brand" names no brand
            continue
        engine.execute(check_sql(parsed.sql).sql)  # raises on unbound aliases or refused SQL
        answered += 1
    assert answered > 100
    with pytest.raises(CommerceError):
        parser.parse("revenue by warehouse", date(2026, 11, 1))


def test_a_period_with_no_data_says_which_dates_the_lake_holds(copilot, retail_lake):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    dates = pq.read_table(retail_lake / "orders.parquet")["order_date"]
    first, last = (str(v.as_py()) for v in (pc.min(dates), pc.max(dates)))
    a = copilot.ask("how many orders last week", user_id="anna", as_of="2030-01-15")
    assert a.rows == [[0]]
    assert a.answer.startswith("Orders last week") and f"run from {first} to {last}" in a.answer
    busy = copilot.ask("how many orders in 2025", user_id="anna", as_of=AS_OF)
    assert busy.rows[0][0] > 0 and "run from" not in busy.answer  # only said when nothing was found


def test_engine_cache_is_bounded_and_an_evicted_engine_keeps_working(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from commerce_platform.ports import query_engine as qe

    engines = []
    for i in range(qe.MAX_CACHED_ENGINES + 3):
        lake = tmp_path / f"lake{i}"
        lake.mkdir()
        pq.write_table(pa.table({"order_id": [i], "total_amount": [float(i)]}), lake / "orders.parquet")
        engines.append(qe.cached_duckdb(lake))
    assert len(qe._ENGINES) <= qe.MAX_CACHED_ENGINES
    assert engines[0] not in qe._ENGINES.values()  # the least recently used was dropped ...
    assert engines[0].execute("SELECT order_id FROM orders").rows == [[0]]  # ... but not closed under its user
    assert qe.cached_duckdb(tmp_path / "lake10") is engines[10]  # recent ones are reused


def test_refused_questions_never_open_a_conversation_and_are_capped_within_one(copilot):
    from commerce_platform.copilot.service import MAX_FAILED_TURNS

    for _ in range(3):  # a fuzzing caller: nothing stored
        with pytest.raises(NotUnderstood):
            copilot.ask("what is the weather tomorrow", user_id="fuzz", as_of=AS_OF)
    assert copilot.list_conversations("fuzz") == []
    a = copilot.ask("how many orders did we get last month", user_id="anna", as_of=AS_OF)
    for _ in range(MAX_FAILED_TURNS + 5):
        with pytest.raises(NotUnderstood):
            copilot.ask("what is the weather tomorrow", conversation_id=a.conversation_id, user_id="anna",
                        as_of=AS_OF)
    turns = copilot.get_conversation(a.conversation_id)["turns"]
    assert sum(t["status"] == "failed" for t in turns) == MAX_FAILED_TURNS


def test_a_refusal_names_the_unplaced_words_and_suggests_close_questions(copilot):
    with pytest.raises(NotUnderstood) as info:
        copilot.ask("revenue of the blorbs last month", user_id="anna", as_of=AS_OF)
    assert "'blorbs'" in info.value.message and "revenue" in info.value.message  # what it did understand
    assert info.value.hint.startswith("questions like it that I can answer:") and "revenue" in info.value.hint
