"""Learning agent at scale: N offers (default 10,000) on the local ERP and object store.

In one run it prints, each night in its own process (time inside the run, whole-process time with
start-up and imports, and peak RSS):
  first run          every offer learned from (goal at 100,000 offers: peak RSS under 400 MB)
  unchanged night    nothing to learn (goal: >= 20x faster than the first run)
  1% changed night   1% of the ERP offers edited by salespeople since the last night
then, with --s3-latency MS (default 25; 0 skips it), a first run and an unchanged night over an
object store answering each call after MS milliseconds (--s3-offers, default 10,000; goal: well
under the Lambda's 900 s), with the calls it made and what they would cost one after another.

--lemonsoft MS: also read offers over HTTP from a loopback Lemonsoft stand-in answering each
request after MS milliseconds, one at a time vs COMMERCE_ERP_CONCURRENCY (default 8) at once.
Usage: python benchmarks/bench_learning.py [--offers 10000] [--s3-latency 25 [--s3-offers 10000]]
                                           [--lemonsoft 20 [--lemonsoft-offers 1000]]
"""

import argparse
import json
import random
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
from commerce_platform.wiring import run_learning
store = None
if len(sys.argv) > 3:  # the object store with injected latency
    from bench_learning import LatencyStore
    store = LatencyStore(load_settings(sys.argv[1]).paths.root / "objects", float(sys.argv[3]))
s = load_settings(sys.argv[1])
t = time.perf_counter()
summary = run_learning(s, store=store)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "successful": summary.successful, "skipped": summary.skipped,
                  "failed": summary.failed, "peak_rss_mb": peak_rss_kb() / 1024,
                  "calls": store.calls if store is not None else None}))
"""


class LatencyStore:
    """The local object store with ``latency`` seconds added to every call, as S3 adds 20-30 ms;
    it allows S3's concurrency (16 calls in flight)."""

    io_concurrency = 16

    def __init__(self, root, latency: float) -> None:
        import threading

        from commerce_platform.ports.objectstore import LocalObjectStore

        self.real, self.latency, self.calls = LocalObjectStore(root), latency, 0
        self._lock = threading.Lock()

    def _wait(self) -> None:
        with self._lock:
            self.calls += 1
        time.sleep(self.latency)

    def put_bytes(self, bucket, key, data, content_type=None):
        self._wait()
        return self.real.put_bytes(bucket, key, data, content_type)

    def get_bytes(self, bucket, key):
        self._wait()
        return self.real.get_bytes(bucket, key)

    def exists(self, bucket, key):
        self._wait()
        return self.real.exists(bucket, key)

    def delete(self, bucket, key):
        self._wait()
        return self.real.delete(bucket, key)

    def list_pages(self, bucket, prefix="", page_size=1000):
        for page in self.real.list_pages(bucket, prefix, page_size):
            self._wait()  # one call per page of 1,000 keys, as S3's ListObjectsV2
            yield page


def run(home: str, latency: float | None = None) -> dict:
    args = [sys.executable, "-c", RUN, home, str(Path(__file__).resolve().parent)]
    if latency is not None:
        args.append(str(latency))
    t = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - t
    return result


def build_home(offers: int, prefix: str) -> str:
    from commerce_platform.config import load_settings
    from commerce_platform.demo.offers import N_OFFERS, build

    home = tempfile.mkdtemp(prefix=prefix) + "/home"
    t = time.perf_counter()
    build(load_settings(home), scale=offers / N_OFFERS)
    print(f"built {offers} offers in {time.perf_counter() - t:.1f} s")
    settle()
    return home


def settle() -> None:
    """A night's ERP export is not seconds old: wait out the window in which the local ERP gives a
    just-written file no version (it would be re-read, as it should, but that is not a quiet night)."""
    from commerce_platform.ports.erp import LocalERP

    time.sleep(LocalERP.racy_seconds + 0.1)


def edit_offers(home: str, share: float, seed: int = 7) -> int:
    """Salespeople edit ``share`` of the final offers: one row's quantity changes."""
    folder = Path(home) / "erp" / "offers"
    paths = sorted(folder.glob("*.json"))
    chosen = random.Random(seed).sample(paths, max(1, round(len(paths) * share)))
    for path in chosen:
        doc = json.loads(path.read_bytes())
        if doc.get("rows"):
            doc["rows"][0]["quantity"] = float(doc["rows"][0].get("quantity") or 0) + 1
        path.write_text(json.dumps(doc))
    settle()
    return len(chosen)


def line(name: str, r: dict, count_key: str) -> str:
    n = r["successful"] if count_key == "successful" else r["successful"] + r["skipped"] + r["failed"]
    return (f"{name:<17}: {r['seconds']:7.2f} s in the run, {r['process_seconds']:7.2f} s whole process, "
            f"{n / r['seconds']:8.0f} offers/s, peak RSS {r['peak_rss_mb']:4.0f} MB "
            f"({r['successful']} learned from, {r['skipped']} unchanged, {r['failed']} failed)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--s3-latency", type=float, default=25.0, metavar="MS",
                        help="also learn over an object store with this latency per call (0: skip)")
    parser.add_argument("--s3-offers", type=int, default=10_000)
    parser.add_argument("--lemonsoft", type=float, metavar="MS", help="also time reads over a loopback Lemonsoft")
    parser.add_argument("--lemonsoft-offers", type=int, default=1_000)
    args = parser.parse_args()
    if args.offers < 1 or args.s3_offers < 1 or args.s3_latency < 0:
        parser.error("--offers and --s3-offers must be at least 1 and --s3-latency not negative")

    home = build_home(args.offers, "bench-learning-")
    first, second = run(home), run(home)
    edited = edit_offers(home, 0.01)
    changed = run(home)
    print(line("first run", first, "successful"))
    print(line("unchanged night", second, "all"))
    print(line(f"1% changed ({edited})", changed, "all"))
    ratio = first["seconds"] / second["seconds"]
    print(f"unchanged night is {ratio:.1f}x faster than the first run (goal >= 20x): {'PASS' if ratio >= 20 else 'FAIL'}; "
          f"1% changed night costs {changed['seconds'] / second['seconds']:.1f}x an unchanged one")
    if args.offers >= 100_000:
        ok = first["peak_rss_mb"] < 400
        print(f"first run peak RSS {first['peak_rss_mb']:.0f} MB (goal < 400 MB): {'PASS' if ok else 'FAIL'}")
    if args.s3_latency:
        s3(args.s3_latency / 1000, args.s3_offers)
    if args.lemonsoft is not None:
        lemonsoft(args.lemonsoft / 1000, args.lemonsoft_offers)


def s3(latency: float, offers: int) -> None:
    home = build_home(offers, "bench-learning-s3-")
    first, second = run(home, latency), run(home, latency)
    for name, r in (("first run", first), ("unchanged night", second)):
        print(f"{latency * 1000:.0f} ms per call, " + line(name, r, "successful" if name == "first run" else "all")
              + f"; {r['calls']} calls, {r['calls'] * latency:.0f} s one after another")
    print(f"first run over {offers} offers at {latency * 1000:.0f} ms per call: {first['seconds']:.0f} s "
          f"(goal well under the 900 s Lambda timeout): {'PASS' if first['seconds'] < 450 else 'FAIL'}")


def lemonsoft(latency: float, offers: int) -> None:
    """Dry runs over HTTP: every offer costs a round trip, so concurrency is what matters."""
    from commerce_platform.config import load_settings
    from commerce_platform.demo.lemonsoft_server import LemonsoftStandIn
    from commerce_platform.demo.offers import N_OFFERS, build
    from commerce_platform.ports.erp import LemonsoftERP
    from commerce_platform.wiring import run_learning

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
