"""Evaluate the offer learner on the demo world: swap/rule precision and recall, and top-1
matching accuracy before and after learning. Usage: python benchmarks/eval_learning.py [--home DIR]"""

import argparse
import json
import tempfile

from commerce_platform.config import load_settings
from commerce_platform.demo import build_all
from commerce_platform.offers.agent import run_learning
from commerce_platform.offers.evaluation import evaluate

parser = argparse.ArgumentParser()
parser.add_argument("--home", help="an existing demo home (default: build a fresh one)")
args = parser.parse_args()
home = args.home or tempfile.mkdtemp(prefix="eval-learning-") + "/home"
settings = load_settings(home)
if not args.home:
    build_all(settings, only=["offers"])
run_learning(settings)
report = evaluate(settings)
print(json.dumps(report, indent=1, ensure_ascii=False))
m = report["matching"]
print(f"\nswap precision {report['swap_precision']:.3f} (goal >= 0.95), recall {report['swap_recall']:.3f} (goal >= 0.90)")
print(f"rule precision {report['rule_precision']:.3f}, recall {report['rule_recall']:.3f}")
for name in ("corrected", "variants", "never_corrected"):
    print(f"top-1 {name:<16} before {m[name + '_before']:.3f} -> after {m[name + '_after']:.3f}")
