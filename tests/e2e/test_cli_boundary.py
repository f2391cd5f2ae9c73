"""The ``commerce`` command's contract at its boundary (ARCHITECTURE 6): a named home must exist, demo
refuses a populated home and rebuilds it without duplicates, every failure is one line with its exit code
and no traceback, logs are text unless JSON is asked for, and every option has help."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMERCE_", "AWS_"))}
    return {**env, **extra}


def commerce(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commerce_platform", *args], capture_output=True, text=True,
                          env=env or clean_env(), cwd=cwd, timeout=180)


@pytest.fixture(scope="module")
def offers_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("boundary") / "home"
    built = commerce("--home", str(home), "demo", "--only", "offers")
    assert built.returncode == 0, built.stderr
    return home


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


NO_AWS_CREDENTIALS = {"COMMERCE_PROFILE": "aws", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
                      "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_EC2_METADATA_DISABLED": "true",
                      "AWS_DEFAULT_REGION": "eu-north-1"}

# (args, extra environment, exit code, text the one line must hold). {home}: a demo home,
# {missing}: a home that does not exist, {port}: a port another socket holds.
BAD_INPUTS = [
    (["--home", "{missing}", "learn", "run"], {}, 2, "no data home at {missing}: run `commerce demo --home {missing}`"),
    (["offers", "match", "kupariputki"], {"COMMERCE_HOME": "{missing}"}, 2, "no data home at {missing}"),
    (["--home", "{missing}", "export", "status"], {}, 2, "or pass the right --home"),
    (["--home", "{home}", "demo"], {}, 5, "already holds data - pass --force"),
    (["--home", "{missing}", "demo", "--scale", "-1"], {}, 2, "--scale: -1 must be a number above 0"),
    (["--home", "{missing}", "demo", "--scale", "nan"], {}, 2, "--scale: nan must be a number above 0"),
    (["--home", "{missing}", "demo", "--only", "nosuchservice"], {}, 2, "invalid choice: 'nosuchservice'"),
    (["--home", "{home}", "export", "run", "--source", "not a url"], {}, 2, "not a valid database URL - pass"),
    (["--home", "{home}", "export", "run", "--source", "nosuchdriver://app:hunter2@db/x"], {}, 2,
     "not a valid database URL"),
    (["--home", "{home}", "serve", "support", "--port", "99999"], {}, 2, "--port 99999 is not a port number"),
    (["--home", "{home}", "serve", "support", "--port", "{port}"], {}, 5, "port {port} is already in use"),
    (["--home", "{home}", "console", "--port", "{port}"], {}, 5, "port {port} is already in use"),
    (["--home", "{home}", "copilot", "ask", "how many orders are there"], NO_AWS_CREDENTIALS, 2,
     "no usable AWS credentials (COMMERCE_PROFILE=aws) - configure"),
    (["--home", "{home}", "learn", "run"], {"COMMERCE_LOG_LEVEL": "LOUD"}, 2, "COMMERCE_LOG_LEVEL"),
    (["--home", "{home}", "nosuchcommand"], {}, 2, "invalid choice: 'nosuchcommand'"),
    (["--home", "{home}", "export", "similar"], {}, 2, "the following arguments are required: --sale-id - see 'commerce export similar --help'"),
]


@pytest.mark.parametrize(("args", "extra", "code", "expected"), BAD_INPUTS,
                         ids=[" ".join(a[2:] if a[0] == "--home" else a)[:50] for a, *_ in BAD_INPUTS])
def test_bad_input_is_one_line_with_its_exit_code(offers_home, tmp_path, taken_port, args, extra, code, expected):
    values = {"home": str(offers_home), "missing": str(tmp_path / "typo"), "port": str(taken_port)}
    env = clean_env(**{k: v.format(**values) for k, v in extra.items()})
    out = commerce(*[a.format(**values) for a in args], env=env)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == code, out.stderr
    assert len(lines) == 1 and lines[0].startswith("commerce: error: "), out.stderr
    assert expected.format(**values) in lines[0]
    assert "Traceback" not in out.stderr and "hunter2" not in out.stderr and out.stdout == ""
    assert not (tmp_path / "typo").exists(), "a typo must not create a home"


def test_default_home_is_created_and_lake_commands_need_no_home(offers_home, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    first = commerce("learn", "run", "--json", cwd=work)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["offers_processed"] == 0 and (work / ".commerce").is_dir()

    lake = tmp_path / "lake"  # a lake of one table is enough for the guard
    lake.mkdir()
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"order_id": [1, 2]}), lake / "orders.parquet")
    missing = tmp_path / "no-home"
    check = commerce("--home", str(missing), "copilot", "check-sql", "SELECT count(*) FROM orders", "--lake", str(lake))
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("allowed:") and not missing.exists()


def _snapshot(home: Path) -> dict[str, int]:
    """Row counts of every SQLite table in the home (the key-value tables per logical table) and files."""
    counts: dict[str, int] = {}
    for db in sorted(home.rglob("*.db")):
        with closing(sqlite3.connect(db)) as con:  # closed before the files are counted (WAL sidecars)
            for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                counts[f"{db.name}:{table}"] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    counts["files"] = sum(1 for p in home.rglob("*") if p.is_file())
    return counts


def test_demo_force_rebuilds_without_duplicates_and_summarises_in_words(tmp_path):
    home = tmp_path / "home"
    first = commerce("--home", str(home), "demo")
    assert first.returncode == 0, first.stderr
    assert not sorted(home.rglob("*.db-wal")), "the CLI left a SQLite write-ahead log behind (engine not disposed)"
    before = _snapshot(home)
    assert before["platform.db:support_customers"] > 0 and before["platform.db:kv_items"] > 0
    again = commerce("--home", str(home), "demo", "--force")
    assert again.returncode == 0, again.stderr
    assert _snapshot(home) == before, "demo --force wrote some rows twice"

    summary = again.stdout.splitlines()
    assert summary[0] == f"demo data built in {home.resolve()}"
    assert [line.split(":")[0].strip() for line in summary[1:]] == ["offers", "retail", "smartgo", "support", "tutor"]
    assert "{" not in again.stdout and "'" not in again.stdout, "the summary is words, not Python dicts"
    assert "support: customers 40, orders" in again.stdout
    assert not any(line.startswith("{") for line in again.stderr.splitlines()), "text logs on a terminal"


def test_learning_failures_are_printed_once_and_logs_are_json_only_when_asked(offers_home, tmp_path):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(offers_home, home)
    text = commerce("--home", str(home), "learn", "run", "--dry-run")
    assert text.returncode == 0, text.stderr
    both = text.stdout + text.stderr
    for bad in ("799998", "799999"):  # the demo's two bad offers: one line each, not a warning too
        assert sum(bad in line for line in both.splitlines()) == 1, both
    assert not any(line.lstrip().startswith("{") for line in text.stderr.splitlines())

    for args, env in ((["--log-json"], clean_env()), ([], clean_env(COMMERCE_LOG_FORMAT="json")),
                      ([], clean_env(AWS_LAMBDA_FUNCTION_NAME="offers-learning"))):
        out = commerce("--home", str(home), "learn", "run", "--dry-run", "--json", *args, env=env)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["dry_run"] is True  # --json output is unchanged
        records = [json.loads(line) for line in out.stderr.splitlines()]  # every stderr line is JSON
        assert records and all(set(r) == {"timestamp", "level", "message", "context"} for r in records)
        assert any(r["message"] == "Learning agent completed" for r in records)


def test_unexpected_error_is_one_line_naming_the_trace_file(offers_home, monkeypatch, capsys):
    from commerce_platform.cli import main
    from commerce_platform.support import kb

    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)

    def broken(self):
        raise RuntimeError("lost the index at postgresql://app:hunter2@db/kb")

    monkeypatch.setattr(kb.KnowledgeBase, "documents", broken)
    assert main(["--home", str(offers_home), "kb", "docs"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("commerce: error: unexpected RuntimeError: lost the index")
    assert "hunter2" not in err[0] and "app:***@db" in err[0]
    trace = Path(err[0].rsplit("the full trace is in ", 1)[1])
    assert trace.parent == offers_home.resolve() / "logs"
    body = trace.read_text()
    assert "Traceback" in body and "def broken" not in body and "hunter2" not in body


@pytest.mark.parametrize(("exc", "code", "expected"), [
    # Root reads every file, so these come from the handler rather than the file system.
    (PermissionError(13, "Permission denied", "/srv/docs/a.md"), 2,
     "cannot open /srv/docs/a.md: permission denied - check the file's permissions or pass another path"),
    (FileNotFoundError(2, "No such file or directory", "/srv/lake"), 4, "/srv/lake does not exist - check the path"),
    (IsADirectoryError(21, "Is a directory", "/srv/docs"), 2, "cannot open /srv/docs: is a directory - check the path"),
])
def test_file_errors_are_one_line(offers_home, monkeypatch, capsys, exc, code, expected):
    from commerce_platform.cli import main
    from commerce_platform.support import kb

    def unreadable(self):
        raise exc

    monkeypatch.setattr(kb.KnowledgeBase, "documents", unreadable)
    assert main(["--home", str(offers_home), "kb", "docs"]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"commerce: error: {expected}"]


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ("commerce",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_every_command_and_option_has_help():
    from commerce_platform.cli import build_parser

    walked = list(_parsers(build_parser()))
    assert len(walked) > 20
    missing = []
    for path, parser in walked:
        if not parser.description:
            missing.append(" ".join(path))
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction) and not action.help:
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
        text = parser.format_help()
        for action in parser._actions:  # options with a value to default to say which
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS) \
                    and not isinstance(action, argparse._HelpAction):
                assert "default" in text, f"{' '.join(path)} does not give its defaults"
    assert not missing, f"no help text: {missing}"


def test_help_names_defaults_and_the_environment():
    serve = commerce("serve", "--help")
    assert serve.returncode == 0 and "default 8000" in serve.stdout
    top = commerce("--help")
    assert "COMMERCE_LOG_LEVEL" in top.stdout and "COMMERCE_LOG_FORMAT" in top.stdout
    for args, words in ((["demo", "--help"], "build demo data"), (["export", "status", "--help"], "export runs")):
        out = commerce(*args)
        assert out.returncode == 0 and words in out.stdout.split("\n\n")[1]  # the description under usage
