"""Schema migrations of the support and tutor SQL tables (Alembic, ports/sql.py), on SQLite and on
real PostgreSQL: a fresh database migrates to head, a database made by the old ``create_all`` is
adopted (stamped, its rows kept), a second open changes nothing, and the migrated schema is the one
create_all made (so adopting is sound)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from commerce_platform.ports import customer_store, sql, tutor_store

pytestmark = pytest.mark.integration

METADATA = {"support": customer_store.metadata, "tutor": tutor_store.metadata}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/service.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engines():
    made: list[sa.Engine] = []

    def new(url: str) -> sa.Engine:
        # A new engine each time: the "once per engine" memo of migrate() is not what is tested.
        engine = sa.create_engine(url)
        made.append(engine)
        return engine

    yield new
    for engine in made:
        engine.dispose()


def _schema(engine: sa.Engine, tables) -> dict:
    insp = sa.inspect(engine)
    return {t: ({c["name"]: (str(c["type"]).split("(")[0], c["nullable"]) for c in insp.get_columns(t)},
                sorted(i["name"] for i in insp.get_indexes(t)),
                sorted(tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(t)),
                tuple(insp.get_pk_constraint(t)["constrained_columns"]))
            for t in tables}


def _statements(engine: sa.Engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda _c, _cur, stmt, *_a: seen.append(stmt))
    return seen


@pytest.mark.parametrize("schema", ["support", "tutor"])
def test_fresh_database_migrates_to_head_with_the_create_all_schema(db_url, engines, schema, tmp_path):
    engine = engines(db_url)
    assert sql.current_revision(engine, schema) is None
    sql.migrate(engine, schema)
    assert sql.current_revision(engine, schema) == sql.head_revision(schema)
    tables = sql.CREATE_ALL_TABLES[schema]
    reference = engines(f"sqlite:///{tmp_path}/reference.db") if db_url.startswith("sqlite") else None
    if reference is None:  # PostgreSQL: compare with create_all in a second fresh schema
        reference = engines(db_url.replace("options=-csearch_path%3D", "options=-csearch_path%3Dref_"))
        with engines(db_url).begin() as conn:
            schema_name = db_url.rsplit("%3D", 1)[1]
            conn.execute(sa.text(f'CREATE SCHEMA "ref_{schema_name}"'))
    METADATA[schema].create_all(reference)
    try:
        assert _schema(engine, tables) == _schema(reference, tables)
    finally:
        if not db_url.startswith("sqlite"):
            with engines(db_url).begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "ref_{schema_name}" CASCADE'))


def test_a_create_all_database_is_adopted_and_keeps_its_rows(db_url, engines):
    old = engines(db_url)
    customer_store.metadata.create_all(old)  # what the code did before migrations
    tutor_store.metadata.create_all(old)
    with old.begin() as conn:
        conn.execute(customer_store.customers.insert().values(customer_id="C1", name="Ann", segment="consumer"))
    new = engines(db_url)
    seen = _statements(new)
    sql.migrate(new, "support")
    sql.migrate(new, "tutor")
    assert sql.current_revision(new, "support") == sql.head_revision("support")
    assert sql.current_revision(new, "tutor") == sql.head_revision("tutor")
    assert not [s for s in seen if s.lstrip().upper().startswith("CREATE TABLE support_")], "adopted, not rebuilt"
    store = customer_store.SqlCustomerStore(new)
    assert store.list_customers() == [{"customer_id": "C1", "name": "Ann", "company": None}]


def test_second_open_is_a_no_op(db_url, engines):
    sql.migrate(engines(db_url), "support")
    again = engines(db_url)
    seen = _statements(again)
    sql.migrate(again, "support")
    changes = [s for s in seen if s.lstrip().split(None, 1)[0].upper() in ("CREATE", "ALTER", "DROP", "INSERT",
                                                                         "UPDATE", "DELETE")]
    assert changes == []
    assert sql.current_revision(again, "support") == sql.head_revision("support")
    seen.clear()
    sql.migrate(again, "support")  # the same engine again: not even a look at the version table
    assert seen == []


def test_support_and_tutor_histories_share_a_database_apart(db_url, engines):
    engine = engines(db_url)
    sql.migrate(engine, "tutor")
    assert sql.current_revision(engine, "tutor") == sql.head_revision("tutor")
    assert sql.current_revision(engine, "support") is None  # its own version table, untouched
    assert not sa.inspect(engine).has_table("support_customers")


def test_unknown_schema_is_refused():
    with pytest.raises(ValueError, match="unknown SQL schema 'billing'"):
        sql.head_revision("billing")


def test_processes_starting_together_migrate_once(pg_url, engines):
    """Several processes opening a fresh PostgreSQL database at once: the advisory lock lets one run
    the DDL; the others find the tables at head (no "already exists", one version row)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import commerce_platform

    src = str(Path(commerce_platform.__file__).resolve().parents[1])
    code = ("import sys, sqlalchemy as sa; from commerce_platform.ports import sql; "
            "e = sa.create_engine(sys.argv[1]); sql.migrate(e, 'tutor'); sql.migrate(e, 'support'); print('ok')")
    env = {**os.environ, "PYTHONPATH": src}
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_url], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-800:] for _out, err in outs]
    engine = engines(pg_url)
    with engine.connect() as conn:
        for schema in ("tutor", "support"):
            versions = conn.execute(sa.text(f"SELECT version_num FROM {sql.version_table(schema)}")).scalars().all()
            assert versions == [sql.head_revision(schema)]
