"""Exporter test helpers: a loopback image HTTP server with latency and fault injection, and a
SmartGo ``sales`` source builder. Also used by benchmarks/bench_export.py (server in a subprocess).

Routes (all GET):
  /img/<name>.png          a PNG drawn from <name> (same name -> same bytes); ?delay=S adds latency
  /flaky/<name>.png?fails=N   HTTP 500 for the first N requests of that path, then the image
  /slow/<name>.png         sleeps longer than the client timeout before answering
  /drip/<name>.png         sends the image slowly, a few bytes at a time
  /big.png                 an "image" larger than 10 MB (no Content-Length: the cap applies while streaming)
  /big-declared.png        declares Content-Length 20 MB
  /html.png                an HTML error page served as text/html
  /html-as-image.png       an HTML page served as image/png (caught by the decode check)
  /text.png                content type text/plain
  /missing.png             404
  /redirect?to=URL         302 to URL
  /loop                    302 to itself
  /trickle-headers/<name>.png  status line and headers one byte every ``trickle`` seconds (for ~30 s)
  /encoded/<name>.png?as=E the image with Content-Encoding E (identity, gzip, deflate, raw-deflate:
                           raw deflate labelled "deflate", corrupt-gzip; any other label goes with a gzip body)
  /gzip-bomb.png?mb=N&layers=L  N MB of zeros gzipped L times, Content-Encoding "gzip" L times
  /pixel-bomb/<W>x<H>.png  a valid, small PNG declaring W x H pixels (see pixel_bomb_png)
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import struct
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_IMAGE_CACHE: dict[str, bytes] = {}
_LOCK = threading.Lock()


def draw_image(name: str, size: int = 128) -> bytes:
    """Deterministic product-like PNG: colour and shape from the name's hash."""
    with _LOCK:
        if name in _IMAGE_CACHE:
            return _IMAGE_CACHE[name]
    from PIL import Image, ImageDraw

    h = hashlib.sha256(name.encode()).digest()
    colour = (h[0], h[1], h[2])
    img = Image.new("RGB", (size, size), (245, 245, 245))
    d = ImageDraw.Draw(img)
    shape = h[3] % 3
    box = [16 + h[4] % 12, 16 + h[5] % 12, size - 16 - h[6] % 12, size - 16 - h[7] % 12]
    if shape == 0:
        d.ellipse(box, fill=colour)
    elif shape == 1:
        d.rectangle(box, fill=colour)
    else:
        d.polygon([(box[0], box[3]), ((box[0] + box[2]) // 2, box[1]), (box[2], box[3])], fill=colour)
    out = io.BytesIO()
    img.save(out, format="PNG")
    data = out.getvalue()
    with _LOCK:
        _IMAGE_CACHE[name] = data
    return data


@functools.lru_cache(maxsize=8)
def pixel_bomb_png(width: int, height: int, colour_type: int = 3) -> bytes:
    """A PNG declaring width x height pixels of one palette colour (type 3) or grey (type 0), built
    without holding the pixels: 12000x12000 is ~140 KB on disk and 144 MP once decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    z = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    head = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
    palette = chunk(b"PLTE", b"\xc8\x20\x20") if colour_type == 3 else b""
    return b"\x89PNG\r\n\x1a\n" + head + palette + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@functools.lru_cache(maxsize=8)
def gzip_bomb(megabytes: int, layers: int = 1) -> bytes:
    """``megabytes`` MB of zeros gzipped ``layers`` times (100 MB is ~100 KB once)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    data = b"".join(z.compress(block) for _ in range(megabytes)) + z.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


def encode_body(data: bytes, how: str) -> tuple[bytes, str]:
    """(body, Content-Encoding header) for the /encoded route."""
    if how == "identity":
        return data, "identity"
    if how == "deflate":
        return zlib.compress(data), "deflate"
    if how == "raw-deflate":
        z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return z.compress(data) + z.flush(), "deflate"
    if how == "corrupt-gzip":
        body = bytearray(gzip.compress(data))
        body[20:40] = b"\xff" * 20
        return bytes(body), "gzip"
    return gzip.compress(data), how


class ImageServer:
    """ThreadingHTTPServer on 127.0.0.1:<free port>; ``latency`` seconds added to every image answer."""

    def __init__(self, latency: float = 0.0, slow_seconds: float = 3.0, port: int = 0,
                 trickle: float = 0.1) -> None:
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.trickle = trickle
        self.hits: Counter = Counter()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 256
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def start(self) -> ImageServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, ctype: str, length: int | None = -1, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if length is not None:
                    self.send_header("Content-Length", str(len(body) if length == -1 else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if length is None:
                    self.send_header("Connection", "close")
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                path, query = parts.path, parse_qs(parts.query)
                server.hits[path] += 1
                delay = float(query.get("delay", [server.latency])[0])
                if path.startswith("/img/"):
                    time.sleep(delay)
                    return self._send(200, draw_image(path[5:]), "image/png")
                if path.startswith("/flaky/"):
                    fails = int(query.get("fails", ["2"])[0])
                    if server.hits[path] <= fails:
                        return self._send(500, b"oops", "text/plain")
                    return self._send(200, draw_image(path[7:]), "image/png")
                if path.startswith("/slow/"):
                    time.sleep(server.slow_seconds)
                    return self._send(200, draw_image(path[6:]), "image/png")
                if path.startswith("/drip/"):
                    data = draw_image(path[6:])
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    try:
                        for i in range(0, len(data), 64):
                            self.wfile.write(data[i:i + 64])
                            self.wfile.flush()
                            time.sleep(0.05)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return None
                if path.startswith("/trickle-headers/"):
                    # Every byte arrives well within any per-read timeout; the headers never end.
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n" + b"X-Pad: trickle\r\n" * 40
                    try:
                        for i in range(min(len(head), int(30 / server.trickle))):
                            self.wfile.write(head[i:i + 1])
                            self.wfile.flush()
                            time.sleep(server.trickle)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return None
                if path.startswith("/encoded/"):
                    body, encoding = encode_body(draw_image(path[9:]), query.get("as", ["gzip"])[0])
                    return self._send(200, body, "image/png", headers={"Content-Encoding": encoding})
                if path == "/gzip-bomb.png":
                    layers = int(query.get("layers", ["1"])[0])
                    body = gzip_bomb(int(query.get("mb", ["100"])[0]), layers)
                    return self._send(200, body, "image/png", headers={"Content-Encoding": ", ".join(["gzip"] * layers)})
                if path.startswith("/pixel-bomb/"):
                    width, height = (int(v) for v in path[12:].removesuffix(".png").split("x"))
                    return self._send(200, pixel_bomb_png(width, height), "image/png")
                if path == "/big.png":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"\x89PNG" + b"\0" * (1024 * 1024 - 4)
                    try:
                        for _ in range(12):
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return None
                if path == "/big-declared.png":
                    return self._send(200, b"", "image/png", length=20 * 1024 * 1024,
                                      headers={"Connection": "close"})
                if path == "/html.png":
                    return self._send(200, b"<html><body>Error</body></html>", "text/html; charset=utf-8")
                if path == "/html-as-image.png":
                    return self._send(200, b"<!DOCTYPE html><html><body>Error</body></html>", "image/png")
                if path == "/text.png":
                    return self._send(200, b"hello", "text/plain")
                if path == "/redirect":
                    return self._send(302, b"", "text/plain", headers={"Location": query["to"][0]})
                if path == "/loop":
                    return self._send(302, b"", "text/plain", headers={"Location": "/loop"})
                return self._send(404, b"not found", "text/plain")

        return Handler


def create_sales(url: str, rows: list[dict]) -> None:
    """Create the 7.2 ``sales`` table at ``url`` and insert rows."""
    from commerce_platform.ports.smartgo_source import write_sales

    write_sales(url, rows)


def sale(sale_id: str, image_url: str | None, *, tenant: str = "t1", day: str = "2026-03-10", hour: int = 12,
         price="19.90", currency: str = "EUR", title: str = "Thing", category: str = "mug", brand: str = "B") -> dict:
    from datetime import datetime
    from decimal import Decimal

    return {"sale_id": sale_id, "tenant_id": tenant, "product_id": f"p-{sale_id}", "title": title,
            "category": category, "brand": brand, "sold_price": None if price is None else Decimal(str(price)),
            "currency": currency, "sold_at": datetime.fromisoformat(f"{day}T{hour:02d}:00:00"), "image_url": image_url}


def serve_forever(port: int, latency: float) -> None:  # pragma: no cover - used by the benchmark subprocess
    server = ImageServer(latency=latency, port=port)
    print(f"listening {server.base}", flush=True)
    server.httpd.serve_forever()


if __name__ == "__main__":  # pragma: no cover
    import sys

    serve_forever(int(sys.argv[1]), float(sys.argv[2]))
