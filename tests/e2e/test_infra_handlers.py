"""Each Lambda handler of the SAM template, imported in a fresh interpreter with the function's own
environment (profile aws, as rendered from the template's default parameters).

Reports import time (wall and `python -X importtime` per top-level package) and which heavy modules
each handler pulls in, to test-artifacts/lambda-imports.json. Asserts that every handler imports,
that HTTP handlers pull in no pandas, torch or streamlit, and that every third-party module a handler
imports is in its own requirements file (or ships with the Lambda runtime), so the package built
from that file can run it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

import pytest
from packaging.requirements import Requirement

try:
    from tests import fixtures_infra as fx
except ImportError:  # tests/ is not a package
    import fixtures_infra as fx

pytestmark = pytest.mark.e2e

# Never in an HTTP handler's cold start (the brief's rule).
FORBIDDEN_IN_HTTP = {"pandas", "torch", "streamlit"}
# Reported when present: what makes cold starts slow or packages big.
HEAVY = ["pandas", "torch", "streamlit", "pyarrow", "duckdb", "pyiceberg", "sentence_transformers",
         "transformers", "langchain_aws", "langchain_core", "langgraph", "google.genai", "matplotlib", "PIL",
         "numpy", "sqlalchemy", "fastapi", "pydantic", "boto3", "botocore", "sqlglot", "psycopg", "redis",
         "httpx", "aws_lambda_powertools", "prometheus_client"]
# Distributions the Lambda Python runtime provides.
RUNTIME_DISTS = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "urllib3", "six"}

CHILD = r"""
import importlib, importlib.abc, json, os, sys, time, types

# Simulate the function's package: modules of distributions its requirements do not install
# (and the Lambda runtime does not provide) cannot be imported, as on AWS.
BLOCKED = set(json.loads(os.environ.pop("INFRA_BLOCKED_MODULES")))
ATTEMPTED = set()

class PackageOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in BLOCKED:
            ATTEMPTED.add(top)
            raise ModuleNotFoundError(f"No module named {name!r} (not in this function's package)", name=name)
        return None

sys.meta_path.insert(0, PackageOnly())
target, event_path = sys.argv[1], sys.argv[2]
module, attr = target.rsplit(".", 1)
t0 = time.perf_counter()
handler = getattr(importlib.import_module(module), attr)
seconds = time.perf_counter() - t0
out = {"seconds": seconds, "callable": callable(handler), "modules_at_import": sorted(sys.modules)}
if event_path:
    context = types.SimpleNamespace(function_name=os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "f"),
                                    aws_request_id="req-1", memory_limit_in_mb=1024,
                                    invoked_function_arn="arn:aws:lambda:eu-north-1:123456789012:function:f",
                                    get_remaining_time_in_millis=lambda: 29000)
    with open(event_path) as f:
        event = json.load(f)
    t1 = time.perf_counter()
    response = handler(event, context)
    out["first_call_seconds"] = time.perf_counter() - t1
    out["first_call_status"] = response.get("statusCode") if isinstance(response, dict) else None
    out["first_call_body"] = (response.get("body") or "")[:4000] if isinstance(response, dict) else None
    out["modules_after_first_call"] = sorted(sys.modules)
# Lazy handlers import their service on the first call: import every module of the function's
# service packages too, so that what a run would import must be in the package as well.
import pkgutil
service_errors = {}
for package in json.loads(os.environ.pop("INFRA_SERVICE_PACKAGES", "[]")):
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(getattr(pkg, "__path__", []), package + "."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            service_errors[info.name] = f"{type(exc).__name__}: {exc}"
out["service_import_errors"] = service_errors
out["modules"] = sorted(sys.modules)
out["blocked_attempts"] = sorted(ATTEMPTED)
print("@@RESULT@@" + json.dumps(out))
"""


# The service packages each function runs (all their modules must import from its package alone).
SERVICE_PACKAGES = {
    "LearningAgentFunction": ["commerce_platform.offers"],
    "ExporterFunction": ["commerce_platform.exports"],
    "CopilotApiFunction": ["commerce_platform.copilot"],
    "SupportApiFunction": ["commerce_platform.support"],
    # the KB sync runs the knowledge base only (not the ticket desk and its customer database)
    "KbSyncFunction": ["commerce_platform.support.kb", "commerce_platform.ports.bedrock_kb",
                       "commerce_platform.support.documents", "commerce_platform.support.bm25"],
    "TutorApiFunction": ["commerce_platform.tutor"],
}

# The API Gateway v2 event each HTTP function gets on its first (cold) call.
HEALTH_EVENTS = {
    "CopilotApiFunction": "copilot-health.json",
    "SupportApiFunction": "support-health.json",
    "TutorApiFunction": "tutor-health.json",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(requirements) -> set[str]:
    """Distribution names (normalized) a requirements file installs, following installed metadata."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [(name, extras) for name, extras in requirements]
    while todo:
        name, extras = todo.pop()
        key = (_norm(name), tuple(sorted(extras)))
        if key in seen:
            continue
        seen.add(key)
        try:
            reqs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in reqs:
            req = Requirement(line)
            envs = [{"extra": e, "python_version": "3.12", "sys_platform": "linux", "platform_system": "Linux"}
                    for e in (extras or {""})]
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append((req.name, set(req.extras)))
    return {k for k, _ in seen}


def blocked_modules(logical_id: str) -> list[str]:
    """Top-level modules installed here whose distributions the function's package would not contain."""
    provided = _closure(fx.requirement_names(fx.requirements_file(logical_id))) | RUNTIME_DISTS
    stdlib = set(sys.stdlib_module_names)
    out = []
    for top, dists in metadata.packages_distributions().items():
        if top in stdlib or top == "commerce_platform" or top.startswith("__editable__"):
            continue
        if not {_norm(d) for d in dists} & provided:
            out.append(top)
    return sorted(out)


def _child_env(logical_id: str, home, blocked: list[str], ssm_endpoint: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
    env.update(fx.function_environment(logical_id))
    if ssm_endpoint:  # secrets are fetched by name at start-up: serve them from moto's SSM
        env["AWS_ENDPOINT_URL_SSM"] = ssm_endpoint
    env.update({
        "HOME": str(home),
        "COMMERCE_HOME": str(home / "commerce"),
        "PYTHONDONTWRITEBYTECODE": "1",
        # Lambda-like AWS settings; nothing may call AWS here (a closed port fails fast).
        "AWS_DEFAULT_REGION": "eu-north-1", "AWS_REGION": "eu-north-1",
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "COMMERCE_DYNAMODB_ENDPOINT_URL": "http://127.0.0.1:9",
        "COMMERCE_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_LAMBDA_FUNCTION_NAME": fx.resolve_env_value(fx.functions()[logical_id]["Properties"]["FunctionName"]),
        "INFRA_BLOCKED_MODULES": json.dumps(blocked),
        "INFRA_SERVICE_PACKAGES": json.dumps(SERVICE_PACKAGES.get(logical_id, [])),
    })
    return env


def _importtime_by_package(stderr: str) -> dict[str, float]:
    """Cumulative import milliseconds per top-level package (from -X importtime's lines)."""
    out: dict[str, float] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        cumulative_us, indent, name = int(m.group(2)), len(m.group(3)), m.group(4)
        if indent == 1:  # a top-level import (not one nested inside another package's import)
            top = name.split(".")[0]
            out[top] = round(out.get(top, 0.0) + cumulative_us / 1000, 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _run_child(target: str, event: str, env: dict[str, str], cwd) -> tuple[subprocess.CompletedProcess, dict | None]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", CHILD, target, event],
                          env=env, capture_output=True, text=True, timeout=180, cwd=str(cwd))
    marker = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@RESULT@@")]
    data = json.loads(marker[0][len("@@RESULT@@"):]) if proc.returncode == 0 and marker else None
    return proc, data


def _secret_value(name: str, directory) -> str:
    """Test stand-ins for the SSM SecureStrings the template names (URLs point at local SQLite)."""
    if "database" in name or "source-url" in name:
        return f"sqlite:///{directory}/{name.strip('/').replace('/', '_')}.db"
    return "test-secret"


@pytest.fixture(scope="module")
def ssm_endpoint(moto_server, tmp_path_factory):
    import boto3

    directory = tmp_path_factory.mktemp("secrets")
    client = boto3.client("ssm", endpoint_url=moto_server, region_name="eu-north-1")
    for logical_id in fx.functions():
        for key, value in fx.function_environment(logical_id).items():
            if key.endswith("_PARAMETER") and value:
                client.put_parameter(Name=value, Value=_secret_value(value, directory), Type="SecureString",
                                     Overwrite=True)
    return moto_server


@pytest.fixture(scope="module")
def imports(tmp_path_factory, ssm_endpoint):
    """Import (and for HTTP functions call /health on) every handler in its own fresh interpreter."""
    def run(logical_id):
        fn = fx.functions()[logical_id]
        home = tmp_path_factory.mktemp(logical_id)
        event = str(fx.SAM_DIR / "events" / HEALTH_EVENTS[logical_id]) if logical_id in HEALTH_EVENTS else ""
        proc, data = _run_child(fx.handler_of(fn), event,
                                _child_env(logical_id, home, blocked_modules(logical_id), ssm_endpoint), home)
        result = {"handler": fx.handler_of(fn), "returncode": proc.returncode, "http": fx.is_http(fn)}
        if data:
            modules = set(data["modules"])
            result.update(
                import_seconds=round(data["seconds"], 3),
                first_call_seconds=round(data.get("first_call_seconds", 0.0), 3),
                first_call_status=data.get("first_call_status"),
                first_call_body=data.get("first_call_body"),
                callable=data["callable"],
                heavy_at_import=[h for h in HEAVY if h in data["modules_at_import"]],
                heavy_after_first_call=[h for h in HEAVY if h in data.get("modules_after_first_call", [])],
                heavy=[h for h in HEAVY if h in modules],
                slowest_packages_ms=dict(list(_importtime_by_package(proc.stderr).items())[:8]),
                optional_imports_absent_from_package=data["blocked_attempts"],
                service_import_errors=data["service_import_errors"],
                modules=sorted(modules),
            )
        else:
            errors = [ln for ln in proc.stderr.splitlines() if not ln.startswith("import time:")]
            result["error"] = "\n".join(errors[-25:])
        return logical_id, result

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(pool.map(run, sorted(fx.functions())))
    report = {k: {kk: vv for kk, vv in v.items() if kk != "modules"} for k, v in results.items()}
    for v in report.values():  # "heavy": after importing every module of the service as well
        v["heavy_with_whole_service"] = v.pop("heavy", [])
    (fx.ROOT / "test-artifacts").mkdir(exist_ok=True)
    (fx.ROOT / "test-artifacts" / "lambda-imports.json").write_text(json.dumps(report, indent=2) + "\n")
    return results


def _result(imports, logical_id):
    r = imports[logical_id]
    assert r["returncode"] == 0 and "error" not in r, (
        f"{r['handler']} fails with only its package's modules (its requirements file + the runtime):\n"
        f"{r.get('error')}")
    return r


@pytest.mark.parametrize("logical_id", sorted(fx.functions()))
def test_handler_imports_with_only_its_package(imports, logical_id, record_property):
    r = _result(imports, logical_id)
    assert r["callable"], f"{r['handler']} is not callable"
    record_property("import_seconds", r["import_seconds"])
    record_property("heavy_modules", ",".join(r["heavy"]))
    record_property("slowest_packages_ms", json.dumps(r["slowest_packages_ms"]))


@pytest.mark.parametrize("logical_id", sorted(SERVICE_PACKAGES))
def test_every_service_module_imports_with_only_the_functions_package(imports, logical_id):
    r = _result(imports, logical_id)
    assert not r["service_import_errors"], (
        f"{logical_id}: modules that fail with only its package (add the missing requirement to "
        f"{fx.requirements_file(logical_id).relative_to(fx.ROOT)}): {r['service_import_errors']}")


@pytest.mark.parametrize("logical_id", sorted(HEALTH_EVENTS))
def test_http_handler_answers_health_on_its_cold_call(imports, logical_id):
    r = _result(imports, logical_id)
    assert r["first_call_status"] in (200, 503), f"/health answered {r['first_call_status']}: {r['first_call_body']}"
    assert json.loads(r["first_call_body"]), "health answers a JSON document"


@pytest.mark.parametrize("logical_id", sorted(f for f, fn in fx.functions().items() if fx.is_http(fn)))
def test_http_handler_imports_no_pandas_torch_or_streamlit(imports, logical_id):
    r = _result(imports, logical_id)
    loaded = {m.split(".")[0] for m in r["modules"]} & FORBIDDEN_IN_HTTP
    tried = set(r["optional_imports_absent_from_package"]) & FORBIDDEN_IN_HTTP
    assert not loaded and not tried, f"{r['handler']} imports {sorted(loaded | tried)}"


def test_package_simulation_refuses_modules_outside_the_package(tmp_path):
    """The blocker is real: a module not in the package cannot be imported by the child."""
    env = _child_env("KbSyncFunction", tmp_path, ["pandas", "fastapi"])
    proc, data = _run_child("fastapi.FastAPI", "", env, tmp_path)
    assert proc.returncode != 0 and data is None
    assert "not in this function's package" in proc.stderr
    assert "pandas" in blocked_modules("CopilotApiFunction")
    assert "fastapi" not in blocked_modules("CopilotApiFunction")
    assert "fastapi" in blocked_modules("KbSyncFunction")


def _module_level_imports(path) -> set[str]:
    """Top-level package names a module imports unconditionally when it is loaded."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("logical_id", sorted(fx.functions()))
def test_packages_our_modules_import_are_direct_requirements(imports, logical_id):
    """A third-party package imported at the top of a commerce_platform module the function loads must
    be listed in its requirements file itself, not arrive by luck as another package's dependency."""
    r = _result(imports, logical_id)
    direct = {_norm(n) for n, _ in fx.requirement_names(fx.requirements_file(logical_id))} | RUNTIME_DISTS
    owners = metadata.packages_distributions()
    src = fx.ROOT / "src"
    missing = {}
    for module in r["modules"]:
        if not module.startswith("commerce_platform"):
            continue
        path = src.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not path.is_file():
            continue
        for top in _module_level_imports(path):
            dists = {_norm(d) for d in owners.get(top, [])}
            if dists and not dists & direct:
                missing.setdefault(top, []).append(module)
    assert not missing, (f"add to {fx.requirements_file(logical_id).relative_to(fx.ROOT)}: "
                         + ", ".join(f"{k} (imported by {sorted(v)})" for k, v in sorted(missing.items())))
