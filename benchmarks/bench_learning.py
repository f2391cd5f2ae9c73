"""Learning agent at scale: 10,000 offers on the local ERP.

Prints the first run vs an unchanged second run (goal: second >= 20x faster), offers per second
and peak memory (RSS high-water mark of each run, measured in its own process).

--lemonsoft MS: also read the same offers over HTTP from a loopback Lemonsoft stand-in answering
each request after MS milliseconds, one at a time vs COMMERCE_ERP_CONCURRENCY (default 8) at once
(dry runs: nothing is written).
Usage: python benchmarks/bench_learning.py [--offers 10000] [--lemonsoft 20 [--lemonsoft-offers 1000]]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """
import json, sys, time
sys.path.insert(0, sys.argv[2])  # benchmarks/, for _memory
from _memory import peak_rss_kb
from commerce_platform.config import load_settings
from commerce_platform.offers.agent import run_learning
s = load_settings(sys.argv[1])
t = time.perf_counter()
summary = run_learning(s)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "successful": summary.successful, "skipped": summary.skipped,
                  "failed": summary.failed, "peak_rss_mb": peak_rss_kb() / 1024}))
"""


def run(home: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RUN, home, str(Path(__file__).resolve().parent)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--lemonsoft", type=float, metavar="MS", help="also time reads over a loopback Lemonsoft")
    parser.add_argument("--lemonsoft-offers", type=int, default=1_000)
    args = parser.parse_args()
    from commerce_platform.config import load_settings
    from commerce_platform.demo.offers import N_OFFERS, build

    home = tempfile.mkdtemp(prefix="bench-learning-") + "/home"
    t = time.perf_counter()
    build(load_settings(home), scale=args.offers / N_OFFERS)
    print(f"built {args.offers} offers in {time.perf_counter() - t:.1f} s")
    # A night's ERP export is not seconds old: wait out the window in which the local ERP gives a
    # just-written file no version (it would be re-read, as it should, but that is not a quiet night).
    from commerce_platform.ports.erp import LocalERP

    time.sleep(LocalERP.racy_seconds)
    first, second = run(home), run(home)
    ratio = first["seconds"] / second["seconds"]
    print(f"first run : {first['seconds']:.2f} s, {first['successful'] / first['seconds']:.0f} offers/s, "
          f"peak RSS {first['peak_rss_mb']:.0f} MB ({first['successful']} learned from, {first['failed']} failed)")
    print(f"second run: {second['seconds']:.2f} s, {(second['skipped'] + second['failed']) / second['seconds']:.0f} offers/s, "
          f"peak RSS {second['peak_rss_mb']:.0f} MB ({second['skipped']} unchanged)")
    print(f"second run is {ratio:.1f}x faster (goal >= 20x): {'PASS' if ratio >= 20 else 'FAIL'}")
    if args.lemonsoft is not None:
        lemonsoft(args.lemonsoft / 1000, args.lemonsoft_offers)


def lemonsoft(latency: float, offers: int) -> None:
    """Dry runs over HTTP: every offer costs a round trip, so concurrency is what matters."""
    from commerce_platform.config import load_settings
    from commerce_platform.demo.lemonsoft_server import LemonsoftStandIn
    from commerce_platform.demo.offers import N_OFFERS, build
    from commerce_platform.offers.agent import run_learning
    from commerce_platform.ports.erp import LemonsoftERP

    settings = load_settings(tempfile.mkdtemp(prefix="bench-lemonsoft-") + "/home")
    build(settings, scale=offers / N_OFFERS)
    concurrent_n = settings.offers.erp_concurrency
    seconds = {}
    with LemonsoftStandIn(settings.paths.erp, latency=latency) as server:
        for n in (1, concurrent_n):
            server.reset_counts()
            erp = LemonsoftERP(server.url, "bench", "bench", concurrency=n)
            t = time.perf_counter()
            summary = run_learning(settings, dry_run=True, erp=erp)
            seconds[n] = time.perf_counter() - t
            erp.close()
            print(f"lemonsoft, {latency * 1000:.0f} ms per request, {n} in flight (max seen {server.max_in_flight}): "
                  f"{seconds[n]:.2f} s, {summary.offers_processed / seconds[n]:.0f} offers/s "
                  f"({summary.successful} learned from, {summary.failed} failed)")
    print(f"{concurrent_n} in flight is {seconds[1] / seconds[concurrent_n]:.1f}x faster than one at a time")


if __name__ == "__main__":
    main()
