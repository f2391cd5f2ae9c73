"""Settings, errors, logging, the local object store, the key-value table on SQLite."""

import io
import json
import time

import pytest

from commerce_platform.config import load_settings
from commerce_platform.errors import (
    LockHeld,
    MissingExtraError,
    NotFound,
    ValidationFailed,
    require,
    without_paths,
)
from commerce_platform.logs import configure_logging, get_logger
from commerce_platform.ports.kv import Lock, SqlKeyValueTable, TableSpec
from commerce_platform.ports.objectstore import LocalObjectStore, list_all

pytestmark = pytest.mark.unit


def test_home_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("COMMERCE_HOME", str(tmp_path / "env"))
    assert load_settings().paths.root == (tmp_path / "env").resolve()
    assert load_settings(tmp_path / "flag").paths.root == (tmp_path / "flag").resolve()
    monkeypatch.delenv("COMMERCE_HOME")
    assert load_settings().paths.root.name == ".commerce"


def test_missing_extra_names_the_install_command():
    with pytest.raises(MissingExtraError) as info:
        require("no_such_module_xyz", "lake")
    assert "pip install 'commerce-platform[lake]'" in str(info.value)


def test_json_log_shape_and_redaction():
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    get_logger("t").info("hello", offer_number="7001", password="hunter2")
    doc = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert set(doc) == {"timestamp", "level", "message", "context"}
    assert doc["message"] == "hello" and doc["level"] == "INFO"
    assert doc["context"]["offer_number"] == "7001"
    assert doc["context"]["password"] == "***"


def test_text_log_lines_are_readable_and_redacted(monkeypatch):
    from commerce_platform.logs import default_format

    stream = io.StringIO()
    configure_logging("INFO", stream=stream, fmt="text")
    get_logger("t").info("hello", offer_number="7001", password="hunter2")
    get_logger("t").warning("sale rejected", sale_id="SG-1")
    assert stream.getvalue().splitlines() == ["hello (offer_number=7001, password=***)",
                                              "warning: sale rejected (sale_id=SG-1)"]
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    assert default_format() == "text" and default_format("json") == "json"
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "offers-learning")  # CloudWatch gets JSON by default
    assert default_format() == "json" and default_format("text") == "text"


def test_log_level_and_format_settings_are_checked(monkeypatch, tmp_path):
    from commerce_platform.errors import ConfigurationError

    monkeypatch.setenv("COMMERCE_LOG_LEVEL", "warning")
    assert load_settings(tmp_path).log_level == "WARNING"
    for variable, value in (("COMMERCE_LOG_LEVEL", "LOUD"), ("COMMERCE_LOG_FORMAT", "xml")):
        monkeypatch.setenv(variable, value)
        with pytest.raises(ConfigurationError, match=variable):
            load_settings(tmp_path)
        monkeypatch.delenv(variable)


def test_local_object_store_roundtrip_and_pages(tmp_path):
    store = LocalObjectStore(tmp_path)
    for i in range(25):
        store.put_bytes("b", f"p/{i:03d}.json", b"x" * i)
    store.put_bytes("b", "other/x.json", b"y")
    pages = list(store.list_pages("b", "p/", page_size=10))
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [o.key for o in list_all(store, "b", "p/0")][:2] == ["p/000.json", "p/001.json"]
    assert store.get_bytes("b", "p/003.json") == b"xxx"
    store.delete("b", "p/003.json")
    with pytest.raises(NotFound):
        store.get_bytes("b", "p/003.json")
    with pytest.raises(ValidationFailed):
        store.put_bytes("b", "../escape", b"")


def _table(tmp_path, spec):
    from commerce_platform.factory import sql_engine

    return SqlKeyValueTable(sql_engine(f"sqlite:///{tmp_path}/kv.db"), spec)


def test_kv_table_put_get_query_index_ttl(tmp_path):
    t = _table(tmp_path, TableSpec("conv", "conversation_id", "sk", index_key="user_id"))
    t.put({"conversation_id": "c1", "sk": "TURN#1", "user_id": "u1", "q": "a"})
    t.put({"conversation_id": "c1", "sk": "TURN#2", "user_id": "u1", "q": "b"})
    t.put({"conversation_id": "c2", "sk": "TURN#1", "user_id": "u2", "q": "c"}, ttl_seconds=-1)
    assert t.get("c1", "TURN#2")["q"] == "b"
    assert [i["q"] for i in t.query("c1", "TURN#")] == ["a", "b"]
    assert [i["q"] for i in t.query_index("u1")] == ["a", "b"]
    assert t.get("c2", "TURN#1") is None  # expired items are invisible
    t.put({"conversation_id": "c1", "sk": "TURN#2", "user_id": "u1", "q": "b2"})
    assert t.get("c1", "TURN#2")["q"] == "b2"


def test_lock_excludes_second_holder_and_expires(tmp_path):
    t = _table(tmp_path, TableSpec("locks", "pk", "sk"))
    with Lock(t, "learn"):
        with pytest.raises(LockHeld):
            with Lock(t, "learn"):
                pass
    with Lock(t, "learn", ttl_seconds=1):
        time.sleep(1.1)
        assert Lock(t, "learn").acquire()  # the first lease expired


def test_local_erp_offer_versions_change_with_the_file_and_never_leave_the_folder(tmp_path):
    from commerce_platform.ports.erp import LocalERP

    erp = LocalERP(tmp_path / "erp")
    assert erp.offer_versions(["1"]) == {}  # no offers folder yet
    offers = tmp_path / "erp" / "offers"
    offers.mkdir(parents=True)
    (offers / "1.json").write_text('{"rows": []}')
    (tmp_path / "erp" / "secret.json").write_text("{}")
    assert erp.offer_versions(["1"]) == {}  # just written: no version until it has settled
    erp.racy_seconds = 0
    first = erp.offer_versions(["1", "2", "../secret", "../erp/offers/1"])
    assert list(first) == ["1"]  # missing offer and path tricks get no version
    assert erp.offer_versions(["1"]) == first  # stable while untouched
    (offers / "1.json").write_text('{"rows": [{"product_code": "A"}]}')  # in place, new size
    assert erp.offer_versions(["1"]) != first


def test_ensure_available_names_the_extra_without_importing():
    from commerce_platform.errors import ensure_available

    ensure_available("json", "core")
    for missing in ("no_such_module_xyz", "no_such_pkg_xyz.sub"):
        with pytest.raises(MissingExtraError) as info:
            ensure_available(missing, "bedrock")
        assert "commerce-platform[bedrock]" in str(info.value)


LAZY_LLM_CHILD = """
import json, os, sys
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing"); os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
from commerce_platform.ports.llm import BedrockLLM, GeminiLLM
bedrock, gemini = BedrockLLM(model_id="anthropic.claude-x", region="eu-north-1"), GeminiLLM(api_key="k")
out = {"at_construction": sorted(m for m in ("langchain_aws", "google.genai") if m in sys.modules)}
chat, client = bedrock.chat, gemini.client
out["after_use"] = sorted(m for m in ("langchain_aws", "google.genai") if m in sys.modules)
out["same"] = bedrock.chat is chat and gemini.client is client
out["chat"] = type(chat).__name__
print(json.dumps(out))
"""


def test_llm_clients_are_built_on_first_use_not_at_construction():
    """Services build their LLM when they start (a Lambda's cold start); the heavy client
    libraries load only when a model is first called."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", LAZY_LLM_CHILD], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"at_construction": [], "after_use": ["google.genai", "langchain_aws"], "same": True,
                   "chat": "ChatBedrockConverse"}


@pytest.mark.parametrize("variable, value, says", [
    ("COMMERCE_ERP_CONCURRENCY", "0", "greater than or equal to 1 (got '0')"),
    ("COMMERCE_PROFILE", "cloud", "'local' or 'aws' (got 'cloud')"),
    ("COMMERCE_ERP_TIMEOUT_SECONDS", "soon", "valid number"),
])
def test_a_bad_setting_names_its_variable(monkeypatch, tmp_path, variable, value, says):
    from commerce_platform.errors import ConfigurationError

    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as info:
        load_settings(tmp_path)
    assert str(info.value).startswith(f"{variable}: ") and says in str(info.value)
    assert info.value.exit_code == 2


def test_a_bad_secret_setting_is_not_echoed(monkeypatch, tmp_path):
    from commerce_platform.errors import ConfigurationError

    monkeypatch.setenv("COMMERCE_LEMONSOFT_PASSWORD", "")  # valid: an empty secret
    load_settings(tmp_path)
    with pytest.raises(ConfigurationError) as info:
        load_settings(tmp_path, lemonsoft_password=["hunter2"])  # not a string
    assert "hunter2" not in str(info.value) and "COMMERCE_LEMONSOFT_PASSWORD" in str(info.value)


LAKE_FILES = (("/srv/lake/orders/part-0.parquet", "orders/part-0.parquet"), ("/srv/lake/", ""))
HOMES = (("/home/ops/.commerce", "<home>"), ("/home/ops", "<home>"))  # the longer path first


@pytest.mark.parametrize("text, known, sqlite_urls, last_names, shown", [
    # any absolute path cut to its last name (the public /health)
    ("cannot open /srv/data/lake/orders.parquet: denied", (), False, True, "cannot open orders.parquet: denied"),
    (r"cannot open C:\Users\ops\lake\orders.parquet", (), False, True, "cannot open orders.parquet"),
    ("no folder D:/lake/exports", (), False, True, "no folder exports"),
    ("no lake at /tmp/pytest-of-ci/pytest-3/lake", (), False, True, "no lake at lake"),
    ("file '/var/tmp/x.parquet' not found", (), False, True, "file 'x.parquet' not found"),
    # relative names, ratios and plain messages stay as they are
    ("read lake/orders.parquet and ./lake/x", (), False, True, "read lake/orders.parquet and ./lake/x"),
    ("revenue 3/4 of target, 50% done", (), True, True, "revenue 3/4 of target, 50% done"),
    ("the lake table 'orders' cannot be read (file is not valid Parquet)", LAKE_FILES, True, True,
     "the lake table 'orders' cannot be read (file is not valid Parquet)"),
    # known lake files named relative to the lake; the lake folder left out; other paths kept (the engine)
    ('No files found that match "/srv/lake/orders/part-0.parquet"', LAKE_FILES, False, False,
     'No files found that match "orders/part-0.parquet"'),
    ("/srv/lake/customers/a.parquet is corrupt", LAKE_FILES, False, False, "customers/a.parquet is corrupt"),
    ("cannot read /opt/other/file", LAKE_FILES, False, False, "cannot read /opt/other/file"),
    # the data home and its parent masked, SQLite URLs masked whole (HTTP error bodies)
    ("bad /home/ops/.commerce/db.json and /home/ops/x", HOMES, True, False, "bad <home>/db.json and <home>/x"),
    ("cannot open sqlite:////home/ops/.commerce/kv.db", HOMES, True, False, "cannot open sqlite:///<home>"),
    ("url 'sqlite:///kv.db' is bad", (), True, False, "url 'sqlite:///<home>' is bad"),
    ("url 'sqlite:///kv.db' is bad", (), False, False, "url 'sqlite:///kv.db' is bad"),
    ("open /etc/x", (("/", "<home>"),), False, False, "open /etc/x"),  # a root of one character never
])
def test_messages_shown_to_users_carry_no_server_paths(text, known, sqlite_urls, last_names, shown):
    assert without_paths(text, known, sqlite_urls=sqlite_urls, last_names=last_names) == shown
