"""Schemathesis against each HTTP app over a real loopback socket: a bounded number of generated
requests per operation (valid and invalid ones), with no 5xx and every response matching the
documented status codes, content types and schemas (the shared error shape included)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commerce_platform.config import load_settings
from tests import fixtures_copilot as fxc
from tests.conftest import free_port
from tests.fixtures_support import put_docs
from tests.fixtures_tutor import ServerThread, build_kb

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
retail_lake, copilot_settings = fxc.retail_lake, fxc.copilot_settings

EXAMPLES = 15  # per operation and generation mode: well under a minute per app
KEY = {"X-Api-Key": "KEY1"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def fuzz(app) -> dict[str, int]:
    """Run the bounded schemathesis session; returns the counts (cases, per status class)."""
    counts: dict[str, int] = {"cases": 0}
    with ServerThread(app, free_port()) as srv:
        schema = schemathesis.openapi.from_url(srv.url + "/openapi.json", headers=KEY)  # behind the key too
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
                def run(case):
                    response = case.call(base_url=srv.url, headers=KEY, timeout=20)
                    counts["cases"] += 1
                    bucket = f"{response.status_code // 100}xx"
                    counts[bucket] = counts.get(bucket, 0) + 1
                    case.validate_response(response, checks=CHECKS, headers=KEY)

                try:
                    run()
                except Unsatisfiable:
                    if mode is schemathesis.GenerationMode.POSITIVE:
                        raise
                    # nothing to make invalid (an operation without parameters or body)
    return counts


def _report(name: str, counts: dict[str, int], record_property) -> None:
    record_property("schemathesis_cases", counts["cases"])
    record_property("schemathesis_5xx", counts.get("5xx", 0))
    print(f"schemathesis {name}: {counts}")
    assert counts["cases"] > 0 and counts.get("5xx", 0) == 0 and counts.get("2xx", 0) > 0


def test_tutor_api_conforms(settings, record_property):
    from commerce_platform.api.tutor_app import create_app

    build_kb(settings)
    _report("tutor", fuzz(create_app(load_settings(settings.home, api_keys="alice=KEY1"))), record_property)


def test_support_api_conforms(settings, record_property):
    from commerce_platform import wiring
    from commerce_platform.api.support_app import create_app

    put_docs(settings)
    wiring.knowledge_base(settings).sync()
    _report("support", fuzz(create_app(load_settings(settings.home, api_keys="alice=KEY1"))), record_property)


def test_copilot_api_conforms(copilot_settings, record_property):
    from pydantic import SecretStr

    from commerce_platform.api.copilot_app import create_app

    s = copilot_settings.with_values(**{"api_keys": SecretStr("alice=KEY1"), "reviewers": "alice"})
    _report("copilot", fuzz(create_app(s)), record_property)
