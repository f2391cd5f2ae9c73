"""The copilot's lake engine under damage and abuse: a corrupt Parquet file costs only its table
(engine, service, CLI, /health), the DuckDB limits stay locked, deep nesting is a refusal in the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from commerce_platform.errors import CommerceError, Refused
from tests import fixtures_copilot as fx

pytestmark = pytest.mark.integration

AS_OF = fx.AS_OF
retail_lake, copilot_settings = fx.retail_lake, fx.copilot_settings


@pytest.fixture
def corrupt_lake(tmp_path, retail_lake):
    """A copy of the demo lake whose shipments file is not Parquet."""
    lake = tmp_path / "retail"
    shutil.copytree(retail_lake, lake)
    (lake / "shipments.parquet").write_bytes(b"this is not a parquet file\n" * 40)
    return lake


def _cli(home, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    return subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_corrupt_table_fails_alone_in_the_engine(corrupt_lake):
    from commerce_platform.ports.query_engine import DuckDBEngine, LakeTableUnreadable

    engine = DuckDBEngine(corrupt_lake)
    assert "shipments" not in engine.tables and "orders" in engine.tables
    assert set(engine.tables.unreadable) == {"shipments"}
    assert engine.execute("SELECT count(*) FROM orders").rows[0][0] > 0
    assert "shipments" not in engine.columns() and "orders" in engine.columns()
    with pytest.raises(LakeTableUnreadable) as info:
        engine.execute("SELECT carrier, count(*) FROM shipments GROUP BY carrier")
    err = info.value
    assert "'shipments' cannot be read (file is not valid Parquet)" in err.message
    assert "commerce demo" in err.hint and "shipments.parquet" in err.hint
    assert str(corrupt_lake) not in str(err)  # no server paths in what users see
    assert isinstance(err, CommerceError) and err.http_status == 503


def test_corrupt_table_fails_alone_in_the_service(copilot_settings, corrupt_lake):
    from commerce_platform import wiring
    from commerce_platform.ports.query_engine import LakeTableUnreadable

    svc = wiring.copilot_service(copilot_settings, lake=corrupt_lake, llm=None)
    guarded, result = svc.run_sql("SELECT count(*) AS n FROM customers")
    assert guarded.tables == ("customers",) and result.rows == [[300]]
    with pytest.raises(LakeTableUnreadable, match="'shipments' cannot be read"):
        svc.run_sql("SELECT count(*) FROM shipments")
    # questions: the vocabulary is read from the readable tables only
    assert svc.ask("how many customers do we have", user_id="u", as_of=AS_OF).rows == [[300]]
    with pytest.raises(LakeTableUnreadable, match="'shipments'"):
        svc.ask("shipments per carrier", user_id="u", as_of=AS_OF)
    with pytest.raises(Refused, match="unknown table 'users'"):  # unknown names are still plain refusals
        svc.run_sql("SELECT * FROM users")


def test_cli_on_a_corrupt_table_exits_without_a_traceback(tmp_path, corrupt_lake):
    home = tmp_path / "home"
    ok = _cli(home, "copilot", "ask", "how many customers do we have", "--lake", str(corrupt_lake), "--as-of", AS_OF)
    assert ok.returncode == 0, ok.stderr
    bad = _cli(home, "copilot", "ask", "shipments per carrier", "--lake", str(corrupt_lake), "--as-of", AS_OF)
    assert bad.returncode == 6 and "Traceback" not in bad.stderr
    assert "'shipments' cannot be read" in bad.stderr and "commerce demo" in bad.stderr


def test_cli_deep_nesting_is_a_refusal(tmp_path):
    sql = "SELECT " + "(" * 3000 + "1" + ")" * 3000
    (tmp_path / "home").mkdir()  # without --lake the home is needed, and a named home must exist
    res = _cli(tmp_path / "home", "copilot", "check-sql", sql)
    assert res.returncode == 3 and "Traceback" not in res.stderr and "nest" in res.stderr


def test_health_names_the_unreadable_table_without_paths(copilot_settings, corrupt_lake):
    from fastapi.testclient import TestClient

    from commerce_platform.api.copilot_app import create_app

    shutil.copyfile(corrupt_lake / "shipments.parquet", copilot_settings.paths.retail_lake / "shipments.parquet")
    with TestClient(create_app(copilot_settings)) as c:
        r = c.get("/health")
    assert r.status_code == 503 and "cannot read shipments" in r.json()["checks"]["lake"]
    assert str(copilot_settings.paths.root) not in r.text


def test_health_without_a_lake_shows_no_server_path(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from commerce_platform.api.copilot_app import create_app
    from commerce_platform.config import load_settings

    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)
    with TestClient(create_app(load_settings(tmp_path / "home"))) as c:
        r = c.get("/health")
    assert r.status_code == 503 and r.json()["checks"]["lake"].startswith("unavailable")
    assert str(tmp_path) not in r.text and "/" not in r.json()["checks"]["lake"]


def test_engine_limits_stay_locked(retail_lake):
    from commerce_platform.ports.query_engine import DuckDBEngine

    engine = DuckDBEngine(retail_lake, memory_limit="256MB")
    limit, replacements = engine.execute("SELECT current_setting('memory_limit'), "
                                         "current_setting('python_enable_replacements')").rows[0]
    assert limit.endswith("MiB") and float(limit.split()[0]) < 300 and replacements is False
    for statement in ("SET memory_limit = '100GB'", "RESET memory_limit", "SET python_enable_replacements = true"):
        with pytest.raises(CommerceError):
            engine.execute(statement)
    assert engine.execute("SELECT current_setting('memory_limit')").rows[0][0] == limit


def test_repeat_attack_is_refused_before_the_engine(copilot_settings):
    import resource
    import time

    from commerce_platform import wiring

    svc = wiring.copilot_service(copilot_settings, llm=None)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(Refused, match="repeat"):
        svc.run_sql("SELECT length(repeat('x', 2000000000))")
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB: no gigabyte string
