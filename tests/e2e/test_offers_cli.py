"""The offers commands as a user runs them: a subprocess on a real home."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import load_event

pytestmark = pytest.mark.e2e


def commerce(home, *args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    proc = subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h = tmp_path_factory.mktemp("offers-cli") / "home"
    commerce(h, "demo", "--only", "offers")
    return h


def test_learn_run_match_and_review(home):
    out = json.loads(commerce(home, "learn", "run", "--json").stdout)
    assert out["successful"] == 120 and out["failed"] == 2
    match = json.loads(commerce(home, "offers", "match", "Palloventtiili DN 20", "-k", "3", "--json").stdout)
    assert set(match) == {"term", "matches"} and len(match["matches"]) == 3
    top = match["matches"][0]
    assert set(top) == {"product_code", "product_name", "score", "source"}
    assert top["source"] == "learned" and "BROEN" in top["product_name"]

    listing = json.loads(commerce(home, "learn", "review", "list", "--json").stdout)
    swap = next(s for s in listing["swaps"] if s["customer_term"] == "palloventtiili dn20" and s["product_code"] == top["product_code"])
    commerce(home, "learn", "review", "reject", swap["id"])
    again = json.loads(commerce(home, "offers", "match", "palloventtiili dn20", "--json").stdout)
    assert again["matches"][0]["product_code"] != top["product_code"] or again["matches"][0]["source"] == "catalog"
    pending = json.loads(commerce(home, "learn", "review", "list", "--status", "rejected", "--json").stdout)
    assert [s["id"] for s in pending["swaps"]] == [swap["id"]]


def test_dry_run_and_errors(home, tmp_path):
    out = json.loads(commerce(home, "learn", "run", "--dry-run", "--json").stdout)
    assert out["dry_run"] is True
    bad = commerce(home, "learn", "review", "approve", "s-nothere", check=False)
    assert bad.returncode == 4 and "commerce learn review list" in bad.stderr
    (tmp_path / "empty").mkdir()  # an existing, empty home (a missing one is refused: test_cli_boundary)
    empty = commerce(tmp_path / "empty", "offers", "match", "kupariputki", check=False)
    assert empty.returncode != 0 and "commerce demo" in empty.stderr
    nothing = commerce(tmp_path / "empty", "learn", "run", "--json")
    assert json.loads(nothing.stdout)["offers_processed"] == 0  # stdout stays one JSON document
    assert "no offer requests in offer-learning-data/offer-requests/" in nothing.stderr
    badenv = subprocess.run([sys.executable, "-m", "commerce_platform", "--home", str(home), "learn", "run"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COMMERCE_ERP_CONCURRENCY": "0"})
    assert badenv.returncode == 2 and "COMMERCE_ERP_CONCURRENCY" in badenv.stderr
    assert "Traceback" not in badenv.stderr


def test_lambda_handler_dry_run_on_the_manual_test_event(home, monkeypatch):
    from commerce_platform.offers.lambda_handler import handler

    monkeypatch.setenv("COMMERCE_HOME", str(home))
    result = handler(load_event("offers_manual_test.json"), None)
    assert result["statusCode"] == 200 and result["body"]["dry_run"] is True
    result = handler(load_event("offers_schedule.json"), None)
    assert result["body"]["dry_run"] is False and result["body"]["offers_processed"] == 122
