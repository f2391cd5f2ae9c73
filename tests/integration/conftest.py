"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

try:  # tests/ may or may not be a package
    from tests.fixtures_exports import ImageServer
except ImportError:  # pragma: no cover
    from fixtures_exports import ImageServer


@pytest.fixture(scope="module")
def server():
    """A loopback image server, one a test module, so its hit counts are that module's own."""
    srv = ImageServer().start()
    yield srv
    srv.stop()
