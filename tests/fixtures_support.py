"""Shared helpers for the support tests: small knowledge documents in the kb-docs bucket."""

from __future__ import annotations

DOCS = {
    "returns/returns.md": "---\ncategory: returns\n---\n# Returns\n\nConsumers may return unused products "
                          "within 30 days of delivery. Refunds are paid within 14 days.\n",
    "delivery/shipping.md": "---\ncategory: delivery\n---\n# Shipping\n\nStandard parcel delivery costs 9.90 EUR. "
                            "Orders over 150 EUR ship free.\n",
    "warranty/pumps.txt": "Pump warranty\n\nCirculation pumps have a 5-year warranty when installed by a certified "
                          "installer.\n",
}


def put_docs(settings, docs: dict[str, str] | None = None):
    from commerce_platform import factory

    store = factory.object_store(settings)
    for key, text in (DOCS if docs is None else docs).items():
        store.put_bytes(settings.support.kb_bucket, key, text.encode())
    return store


class TcpProxy:
    """A loopback TCP proxy to a real server, to take that server "away" mid-test: ``stop()``
    closes the listener and every open connection, as a crashed or partitioned server would."""

    def __init__(self, target_host: str, target_port: int) -> None:
        import socket
        import threading

        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._conns: list = []
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while not self._stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def stop(self) -> None:
        import socket

        self._stopped = True
        try:  # wakes the blocked accept(): a bare close() would leave the port listening
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self._lock:
            for s in self._conns:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
