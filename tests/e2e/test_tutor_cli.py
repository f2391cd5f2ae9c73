"""``commerce tutor`` as a subprocess."""

import json
import os
import subprocess
import sys

import pytest

try:
    from tests.fixtures_tutor import build_kb
except ImportError:
    from fixtures_tutor import build_kb

pytestmark = pytest.mark.e2e


def _run(home, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMERCE_")}
    return subprocess.run([sys.executable, "-m", "commerce_platform", "tutor", *args, "--home", str(home)],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_generate_evaluate_and_errors(settings):
    build_kb(settings)
    topics = _run(settings.home, "topics", "--json")
    assert topics.returncode == 0 and len(json.loads(topics.stdout)["topics"]) == 5
    gen = _run(settings.home, "generate", "returns", "--difficulty", "easy", "-n", "2", "--json")
    assert gen.returncode == 0, gen.stderr
    ex = json.loads(gen.stdout)["exercises"][0]
    ev = _run(settings.home, "evaluate", ex["exercise_id"], "zebra crossing", "--json")
    assert ev.returncode == 0 and json.loads(ev.stdout)["correct"] is False
    missing = _run(settings.home, "evaluate", "ex_missing", "30 days")
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    unknown = _run(settings.home, "generate", "astrophysics")
    assert unknown.returncode == 4 and "available topics include" in unknown.stderr
