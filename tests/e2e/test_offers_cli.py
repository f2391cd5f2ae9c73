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


def test_nonsense_term_is_no_good_match_exit_0(home):
    doc = json.loads(commerce(home, "offers", "match", "xyzzy", "-k", "3", "--json").stdout)
    assert doc["term"] == "xyzzy" and doc["matches"] == []  # was three products at score 0.02
    assert doc["note"].startswith("no good match for 'xyzzy': ")
    text = commerce(home, "offers", "match", "xyzzy")
    assert text.returncode == 0 and text.stdout.startswith("no good match for 'xyzzy'")


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


def test_damaged_learning_files_are_repaired_or_refused_with_a_message(home, tmp_path):
    import shutil

    h = tmp_path / "home"
    shutil.copytree(home, h)
    commerce(h, "learn", "run")
    bucket = h / "objects" / "offer-learning-data"
    csv_path, meta_path = bucket / "learnings" / "product_swaps.csv", bucket / "learnings" / "learning_meta.json"
    whole = csv_path.read_bytes()

    # A CSV cut inside its last field and a damaged state: repaired, named, exit 0, no traceback.
    csv_path.write_bytes(whole[:-9])
    (bucket / "learnings" / "learning_state_index.json").unlink()
    (bucket / "learning-state" / "700101.json").write_text("{not json")
    run = commerce(h, "learn", "run", "--json")
    out = json.loads(run.stdout)
    assert sorted(r["file"] for r in out["repaired"]) == ["learning-state/700101.json", "learnings/product_swaps.csv"]
    assert "learnings/product_swaps.csv" in run.stderr and "Traceback" not in run.stderr
    assert csv_path.read_bytes() == whole
    text = commerce(h, "learn", "run").stdout  # the plain summary says nothing needs repair now
    assert "repair" not in text

    # Cut again with no sidecar to restore from: refused, exit 2, the file and what to do are named.
    csv_path.write_bytes(whole[:-9])
    meta_path.unlink()
    (bucket / "learning-state" / "700101.json").unlink()  # an offer to learn, so the learnings are loaded
    (bucket / "learnings" / "learning_state_index.json").unlink()
    refused = commerce(h, "learn", "run", check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "learnings/product_swaps.csv is damaged" in refused.stderr and "restore" in refused.stderr
    assert csv_path.read_bytes() == whole[:-9] and not meta_path.exists()  # nothing written


def test_propose_applies_a_conditional_swap_to_a_long_run_only(tmp_path):
    """A blind seed-format world, one learning night, then `offers propose --json` on two lines
    with a term whose learned swap (3 m -> 5 m sections) holds only over 10 m of run."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "worlds" / "seed_format_world.py"
    spec = importlib.util.spec_from_file_location("seed_format_world", path)
    world = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(world)
    home = tmp_path / "home"
    truth = world.build_world(home, 4)
    commerce(home, "learn", "run", "--json")
    swap = max((s for s in truth["swaps"] if s["origin"] == "length_preference"), key=lambda s: s["support_offers"])
    line = {"product_code": swap["from_code"], "product_name": swap["from_name"], "unit": "KPL",
            "match_details": {"original_customer_term": swap["customer_term"]}}
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"offer_number": "900001", "ai_matched_products": [
        {**line, "quantity": 10}, {**line, "quantity": 2}]}), encoding="utf-8")
    out = json.loads(commerce(home, "offers", "propose", str(request), "--json").stdout)
    assert out["offer_number"] == "900001" and len(out["lines"]) == 2
    long_run, short_run = out["lines"]
    assert set(long_run) == {"customer_term", "quantity", "unit", "product_code", "product_name", "source", "reason"}
    assert (long_run["product_code"], long_run["quantity"]) == (swap["to_code"], 6)  # 10 x 3 m -> 6 x 5 m
    assert long_run["source"] == "learned" and "runs over 10 m" in long_run["reason"]
    assert (short_run["product_code"], short_run["quantity"], short_run["source"]) == (swap["from_code"], 2, "ai")
    # just the lines is a request too
    lines_only = tmp_path / "lines.json"
    lines_only.write_text(json.dumps([{**line, "quantity": 10}]), encoding="utf-8")
    again = json.loads(commerce(home, "offers", "propose", str(lines_only), "--json").stdout)
    assert again["lines"][0]["product_code"] == swap["to_code"]


def test_propose_bad_request_is_one_clear_line(home, tmp_path):
    missing = commerce(home, "offers", "propose", str(tmp_path / "nope.json"), check=False)
    assert missing.returncode != 0 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    bad = commerce(home, "offers", "propose", str(broken), check=False)
    assert bad.returncode != 0 and "not valid JSON" in bad.stderr and "Traceback" not in bad.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"offer_number": "1", "ai_matched_products": [{"quantity": "many"}]}), encoding="utf-8")
    bad = commerce(home, "offers", "propose", str(wrong), check=False)
    assert bad.returncode != 0 and "ai_matched_products[0]" in bad.stderr and "Traceback" not in bad.stderr
