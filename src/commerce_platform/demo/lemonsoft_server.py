"""A stand-in Lemonsoft REST server on loopback, serving a demo home's ERP folder.

For trying the Lemonsoft adapter against the demo world (tests, benchmarks/bench_learning.py
--lemonsoft) without a Lemonsoft installation: ``POST /api/auth/login`` hands out a session,
``GET /api/offers/<n>`` answers the offer file, ``GET /api/products`` the catalog. Every GET can
take a fixed latency, and the server records how many offer requests were in flight at once.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..ports.erp import read_catalog_csv, valid_offer_number


class _Handler(BaseHTTPRequestHandler):
    server: LemonsoftStandIn

    def log_message(self, *args) -> None:
        pass

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._send(200, b'{"session_id": "demo-session"}')

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        if self.headers.get("Authorization") != "Bearer demo-session":
            return self._send(401, b'{"error": "log in first"}')
        offer = self.path.startswith("/api/offers/")
        srv.enter(offer)
        try:  # the request leaves the count before its answer is sent: a client cannot be faster
            code, body = self._answer(offer)
        finally:
            srv.leave(offer)
        self._send(code, body)

    def _answer(self, offer: bool) -> tuple[int, bytes]:
        srv = self.server
        if srv.latency:
            time.sleep(srv.latency)
        if self.path == "/api/products":
            products = [p.model_dump(mode="json") for p in read_catalog_csv(srv.erp_root / "products.csv")]
            return 200, json.dumps(products).encode()
        number = self.path.rsplit("/", 1)[-1]
        path = srv.erp_root / "offers" / f"{number}.json"
        if not offer or not valid_offer_number(number) or not path.is_file():
            return 404, b'{"error": "no such offer"}'
        return 200, path.read_bytes()


class LemonsoftStandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, erp_root: Path, latency: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.erp_root, self.latency = Path(erp_root), latency
        self.in_flight = self.max_in_flight = self.offer_requests = 0
        self._count_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def enter(self, offer: bool) -> None:
        with self._count_lock:
            self.in_flight += offer
            self.offer_requests += offer
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self, offer: bool) -> None:
        with self._count_lock:
            self.in_flight -= offer

    def reset_counts(self) -> None:
        with self._count_lock:
            self.max_in_flight = self.offer_requests = 0

    def __enter__(self) -> LemonsoftStandIn:
        threading.Thread(target=self.serve_forever, daemon=True, name="lemonsoft-stand-in").start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
