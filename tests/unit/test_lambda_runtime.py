"""Lambda logging through Powertools keeps seed 000's JSON line shape; event data classes read the
same fields the hand parsing read; Powertools stays out of the local imports."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import types

import pytest

from commerce_platform.logs import configure_logging, get_logger

pytestmark = pytest.mark.unit


def _context(request_id="req-42"):
    return types.SimpleNamespace(function_name="kb-sync", aws_request_id=request_id, memory_limit_in_mb=512,
                                 invoked_function_arn="arn:aws:lambda:eu-north-1:123456789012:function:kb-sync",
                                 get_remaining_time_in_millis=lambda: 29000)


@pytest.fixture
def stderr(capsys):
    capsys.readouterr()
    yield lambda: capsys.readouterr().err
    configure_logging("WARNING", fmt="text")  # back to a CLI handler for later tests


def test_lambda_logger_writes_the_seed_shape_with_the_invocation_keys_in_context(stderr):
    from commerce_platform.lambda_runtime import lambda_logger, with_lambda_context

    lambda_logger("INFO")
    log = get_logger("commerce_platform.test_lambda")

    @with_lambda_context
    def handler(event, context):
        log.info("synced", created=2, api_key="never-shown")
        return {"ok": True}

    assert handler({}, _context()) == {"ok": True}
    lines = [json.loads(line) for line in stderr().splitlines() if line.strip()]
    assert len(lines) == 1, lines  # one handler: no line printed twice
    line = lines[0]
    assert set(line) == {"timestamp", "level", "message", "context"}
    assert line["level"] == "INFO" and line["message"] == "synced"
    ctx = line["context"]
    assert ctx["created"] == 2 and ctx["api_key"] == "***" and ctx["logger"] == "commerce_platform.test_lambda"
    assert ctx["function_request_id"] == "req-42" and ctx["function_name"] == "kb-sync"
    assert "cold_start" in ctx and "service" not in ctx


def test_lambda_logger_level_and_cli_handler_do_not_duplicate(stderr):
    from commerce_platform.lambda_runtime import lambda_logger

    configure_logging("INFO", fmt="json")  # a CLI run earlier in the same process
    lambda_logger("WARNING")
    log = get_logger("commerce_platform.test_lambda")
    log.info("below the level")
    log.warning("shown once")
    lines = [json.loads(line) for line in stderr().splitlines() if line.strip()]
    assert [entry["message"] for entry in lines] == ["shown once"]
    assert logging.getLogger("commerce_platform").level == logging.WARNING


def test_a_local_call_without_lambda_context_runs_the_handler_as_is():
    from commerce_platform.lambda_runtime import with_lambda_context

    @with_lambda_context
    def handler(event, context):
        return event

    assert handler({"a": 1}, None) == {"a": 1}


def test_kb_events_s3_records_are_url_decoded_and_foreign_or_partial_parts_ignored():
    from commerce_platform.support.kb_sync_lambda import parse_events

    event = {"Records": [
        {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "kb-docs"}, "object": {"key": "a+b%2Fc.md"}}},
        {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "kb-docs"}, "object": {"key": "old.md"}}},
        {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "other"}, "object": {"key": "x.md"}}},
        {"eventName": "ObjectRestore:Post", "s3": {"bucket": {"name": "kb-docs"}, "object": {"key": "r.md"}}},
        {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "kb-docs"}}},
    ]}
    created, deleted, ignored = parse_events(event, "kb-docs")
    assert created == ["a b/c.md"] and deleted == ["old.md"]
    assert ignored == ["Object Created other/x.md", "ObjectRestore:Post kb-docs/r.md", "Object Created kb-docs/"]
    partial = {"detail-type": "Object Created", "detail": {"bucket": {"name": "kb-docs"}}}
    assert parse_events(partial, "kb-docs") == ([], [], ["Object Created kb-docs/None"])


def test_copilot_seed_payload_is_completed_as_a_rest_event_and_v2_passes_unchanged():
    from commerce_platform.api.copilot_lambda import normalize_event

    e = normalize_event({"path": "/copilot/inventory", "httpMethod": "GET"})
    assert e["resource"] == "/copilot/inventory" and e["headers"] == {} and e["body"] is None
    assert e["requestContext"]["httpMethod"] == "GET" and e["requestContext"]["stage"] == "$default"
    v2 = {"version": "2.0", "rawPath": "/x"}
    assert normalize_event(v2) is v2
    kept = normalize_event({"path": "/p", "requestContext": {"stage": "prod"}, "httpMethod": "POST"})
    assert kept["requestContext"]["stage"] == "prod" and kept["requestContext"]["resourcePath"] == "/p"


def test_claims_come_from_http_api_and_rest_authorizers():
    from commerce_platform.api.common import _claims

    v2 = {"version": "2.0", "requestContext": {"authorizer": {"jwt": {"claims": {"sub": "u1"}}}}}
    v1 = {"requestContext": {"authorizer": {"claims": {"sub": "u2"}}}}
    assert _claims(v2) == {"sub": "u1"} and _claims(v1) == {"sub": "u2"}
    assert _claims({"requestContext": {}}) == {} and _claims(None) is None


def test_package_cli_and_apps_import_without_powertools():
    code = ("import sys, commerce_platform, commerce_platform.cli, commerce_platform.config, "
            "commerce_platform.factory, commerce_platform.api.common, commerce_platform.logs; "
            "print(any(m.startswith('aws_lambda_powertools') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
