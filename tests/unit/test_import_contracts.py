"""Import contracts (README "Design notes"), checked by parsing the source with ast: every import
statement counts, also the lazy ones inside functions and ``require("lib", extra)`` /
``importlib.import_module("name")`` calls with a literal name; nothing is imported or executed.

1. Adapter libraries are imported only in ``src/commerce_platform/ports/``.
2. ``ports/`` never imports a service package.
3. The console never imports an adapter library either.
4. Domain modules of the service packages never import ``commerce_platform.factory``: services receive
   their ports; only the composition roots (``commands.py``, ``lambda_handler.py``, ``kb_sync_lambda.py``,
   ``cli.py``, ``api/``, ``console/``, ``demo/``, ``wiring.py``) build adapters.

Each contract has an allow-list of today's exceptions, each with its reason. An entry that is no
longer needed fails the test too, so the lists can only shrink: move the code behind a port, then
delete its line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
PACKAGE = SRC / "commerce_platform"
PORTS = PACKAGE / "ports"
CONSOLE = REPO / "console"

ADAPTER_LIBRARIES = frozenset({"boto3", "botocore", "httpx", "sqlalchemy", "psycopg", "duckdb", "pyiceberg", "redis",
                               "google", "langchain_aws", "langchain_core", "usearch", "hnswlib", "alembic"})
SERVICE_PACKAGES = frozenset({"offers", "copilot", "exports", "support", "tutor"})
CONSOLE_FORBIDDEN = ADAPTER_LIBRARIES  # the console reads through the services and ports too

# Contract 1: modules outside ports/ that import an adapter library today (path under src/commerce_platform).
ADAPTERS_OUTSIDE_PORTS: dict[str, tuple[frozenset[str], str]] = {
}

# Contract 2: ports/ modules that import a service package today.
PORTS_TO_SERVICES: dict[str, tuple[frozenset[str], str]] = {
}

# Contract 3: console modules that import a database or table library today (path under console/).
CONSOLE_DB_IMPORTS: dict[str, tuple[frozenset[str], str]] = {
}

# Contract 4: service modules (minus their entry points) that still build adapters with the factory today.
ENTRY_POINTS = frozenset({"commands.py", "lambda_handler.py", "kb_sync_lambda.py"})
DOMAIN_TO_FACTORY: dict[str, tuple[frozenset[str], str]] = {
}


def _imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of every module an ``import`` / ``from ... import`` in the file names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                if node.module:
                    names.add(".".join([*base, node.module]))
                else:  # "from .. import offers": each name may be a module
                    names.update(".".join([*base, alias.name]) for alias in node.names)
            elif node.module:
                names.add(node.module)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in ("require", "import_module")):
            names.add(node.args[0].value)  # errors.require("boto3", extra) and importlib.import_module("x") import too
    return names


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(SRC).parent.parts)


def _violations(files: list[Path], root: Path, package_of, forbidden) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in files:
        hits = {hit for name in _imported_modules(path, package_of(path)) if (hit := forbidden(name))}
        if hits:
            out[path.relative_to(root).as_posix()] = hits
    return out


def _check(found: dict[str, set[str]], allowed: dict[str, tuple[frozenset[str], str]], what: str) -> None:
    new = {f: sorted(libs - allowed.get(f, (frozenset(), ""))[0]) for f, libs in found.items()}
    new = {f: libs for f, libs in new.items() if libs}
    stale = {f: sorted(libs - found.get(f, set())) for f, (libs, _why) in allowed.items()}
    stale = {f: libs for f, libs in stale.items() if libs}
    assert not new, f"{what}: new imports outside the contract (put them behind a port): {new}"
    assert not stale, f"{what}: allow-list entries no longer needed (delete them): {stale}"


def test_adapter_libraries_are_imported_only_in_ports():
    files = [p for p in PACKAGE.rglob("*.py") if PORTS not in p.parents]

    def forbidden(name: str) -> str | None:
        top = name.split(".")[0]
        return top if top in ADAPTER_LIBRARIES else None

    _check(_violations(files, PACKAGE, _package_of, forbidden), ADAPTERS_OUTSIDE_PORTS, "adapter libraries")


def test_ports_never_import_a_service_package():
    def forbidden(name: str) -> str | None:
        parts = name.split(".")
        return parts[1] if len(parts) > 1 and parts[0] == "commerce_platform" and parts[1] in SERVICE_PACKAGES \
            else None

    _check(_violations(sorted(PORTS.rglob("*.py")), PORTS, _package_of, forbidden), PORTS_TO_SERVICES,
           "ports -> services")


def test_console_never_imports_database_or_table_libraries():
    def forbidden(name: str) -> str | None:
        top = name.split(".")[0]
        return top if top in CONSOLE_FORBIDDEN else None

    # The console folder is not a package: its files have no relative imports to resolve.
    _check(_violations(sorted(CONSOLE.rglob("*.py")), CONSOLE, lambda _p: "", forbidden), CONSOLE_DB_IMPORTS,
           "console")


def test_domain_modules_never_import_the_factory():
    files = [p for pkg in sorted(SERVICE_PACKAGES) for p in sorted((PACKAGE / pkg).rglob("*.py"))
             if p.name not in ENTRY_POINTS]
    assert files, "no service modules found"

    def forbidden(name: str) -> str | None:
        return "factory" if name in ("commerce_platform.factory", "commerce_platform.wiring") else None

    _check(_violations(files, PACKAGE, _package_of, forbidden), DOMAIN_TO_FACTORY, "services -> factory")


def test_the_import_parser_sees_lazy_relative_and_aliased_imports(tmp_path):
    # The contracts are only as good as the parser: imports inside functions and relative ones count.
    pkg = tmp_path / "commerce_platform" / "ports"
    pkg.mkdir(parents=True)
    f = pkg / "x.py"
    f.write_text("def f():\n    import sqlalchemy as sa\n    from ..offers.models import A\n    from .. import tutor\n"
                 "    boto3 = require('boto3', 'aws')\n")
    assert _imported_modules(f, "commerce_platform.ports") == {
        "sqlalchemy", "commerce_platform.offers.models", "commerce_platform.tutor", "boto3"}
