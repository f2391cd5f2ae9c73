"""The SAM template (infra/sam/template.yaml): cfn-lint, schedules, routes, TTLs, lifecycle rules,
least-privilege IAM, alarms, log retention, secrets by name, tables matching the code's TableSpecs,
and (slow) the unzipped size of each zip function's package under Lambda's 250 MB limit.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

try:
    from tests import fixtures_infra as fx
except ImportError:  # tests/ is not a package
    import fixtures_infra as fx

pytestmark = pytest.mark.integration

ROOT = fx.ROOT
ARTIFACTS = ROOT / "test-artifacts"

# Actions that AWS only authorizes on Resource "*" (no resource-level permissions exist).
STAR_RESOURCE_ACTIONS = {
    "xray:PutTraceSegments", "xray:PutTelemetryRecords",
    "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    "cloudwatch:PutMetricData",
}

EXPECTED_FUNCTIONS = {
    # logical id: (handler, memory MB, timeout s, package type)
    "LearningAgentFunction": ("commerce_platform.offers.lambda_handler.handler", 512, 900, "Zip"),
    "ExporterFunction": ("commerce_platform.exports.lambda_handler.handler", 1024, 900, "Image"),
    "CopilotApiFunction": ("commerce_platform.api.copilot_lambda.handler", None, None, "Zip"),
    "SupportApiFunction": ("commerce_platform.api.support_lambda.handler", None, None, "Zip"),
    "KbSyncFunction": ("commerce_platform.support.kb_sync_lambda.handler", None, None, "Zip"),
    "TutorApiFunction": ("commerce_platform.api.tutor_lambda.handler", None, None, "Zip"),
}

EXPECTED_SCHEDULES = [
    ("LearningAgentFunction", "cron(0 2 * * ? *)"),
    ("ExporterFunction", "cron(0 3 * * ? *)"),
]

EXPECTED_ROUTES = {
    "CopilotApiFunction": {("GET", "/health"), ("POST", "/copilot/chat"), ("GET", "/copilot/inventory"),
                           ("GET", "/copilot/conversations"), ("GET", "/copilot/conversations/{id}"),
                           # beyond ARCHITECTURE section 8: the app's thumbs-up (approved example)
                           ("POST", "/copilot/conversations/{id}/approve")},
    "SupportApiFunction": {("GET", "/health"), ("POST", "/tickets"), ("GET", "/tickets/{id}/context"),
                           ("POST", "/tickets/{id}/feedback"), ("POST", "/kb/sync")},
    "TutorApiFunction": {("GET", "/health"), ("POST", "/api/exercise/generate"),
                         ("POST", "/api/exercise/evaluate"), ("POST", "/api/exercise/remediate"),
                         # beyond ARCHITECTURE section 8: the app's topic list and learner mastery
                         ("GET", "/api/exercise/topics"), ("GET", "/api/learners/{id}/mastery")},
}

PUBLIC_ROUTES = {("GET", "/health")}


def _function_ids():
    return sorted(fx.functions())


# ---------------------------------------------------------------------------------------------
# cfn-lint


def test_cfn_lint_passes_on_the_template():
    exe = Path(sys.executable).with_name("cfn-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cfnlint"]
    proc = subprocess.run([*cmd, str(fx.TEMPLATE)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"cfn-lint found problems:\n{proc.stdout}\n{proc.stderr}"


def test_cfn_lint_would_catch_a_broken_template():
    """The lint step is real: a bad log retention and a bad package type are reported."""
    from cfnlint.api import lint

    bad = fx.TEMPLATE.read_text().replace("RetentionInDays: 30", "RetentionInDays: 31", 1)
    bad = bad.replace("PackageType: Image", "PackageType: Container", 1)
    messages = [str(m) for m in lint(bad)]
    assert any("31" in m for m in messages) and any("Container" in m for m in messages), messages


# ---------------------------------------------------------------------------------------------
# functions, schedules, routes


def test_the_template_has_exactly_the_platform_functions():
    assert set(fx.functions()) == set(EXPECTED_FUNCTIONS)


@pytest.mark.parametrize("logical_id", sorted(EXPECTED_FUNCTIONS))
def test_function_handler_size_and_package(logical_id):
    handler, memory, timeout, package = EXPECTED_FUNCTIONS[logical_id]
    fn = fx.functions()[logical_id]
    props = fn["Properties"]
    assert fx.handler_of(fn) == handler
    assert props.get("PackageType", "Zip") == package
    if memory is not None:
        assert props["MemorySize"] == memory
    if timeout is not None:
        assert props["Timeout"] == timeout
    if package == "Zip":
        assert props["Runtime"].startswith("python3.")
        assert fn["Metadata"]["BuildMethod"] == "makefile"
    if fx.is_http(fn):
        assert props["Timeout"] <= 29, "API Gateway stops waiting after 30 s"


@pytest.mark.parametrize("logical_id,cron", EXPECTED_SCHEDULES)
def test_nightly_jobs_run_on_their_schedule(logical_id, cron):
    events = fx.functions()[logical_id]["Properties"]["Events"]
    schedules = [e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2"]
    assert len(schedules) == 1
    sched = schedules[0]
    assert sched["ScheduleExpression"] == cron
    assert sched.get("ScheduleExpressionTimezone", "UTC") == "UTC"
    assert sched.get("State", "ENABLED") == "ENABLED"
    assert json.loads(sched["Input"])["detail-type"] == "Scheduled Event"
    assert sched["DeadLetterConfig"], "a failed scheduled invocation must land somewhere"


def test_scheduler_input_is_what_the_handlers_read():
    """Scheduler fills <aws.scheduler.scheduled-time>; the exporter exports the day before it, and the
    learning agent's scheduled input is a real run (only {"test": true} is a dry run)."""
    from commerce_platform.exports.lambda_handler import export_date

    def scheduled_input(logical_id, when):
        events = fx.functions()[logical_id]["Properties"]["Events"]
        (sched,) = [e["Properties"] for e in events.values() if e["Type"] == "ScheduleV2"]
        return json.loads(sched["Input"].replace("<aws.scheduler.scheduled-time>", when))

    assert export_date(scheduled_input("ExporterFunction", "2026-03-01T03:00:00Z")) == "2026-02-28"
    assert not scheduled_input("LearningAgentFunction", "2026-03-01T02:00:00Z").get("test")
    sample = json.loads((fx.SAM_DIR / "events" / "exporter-schedule.json").read_text())
    assert export_date(sample) == "2026-11-20"
    dry_run = json.loads((fx.SAM_DIR / "events" / "learning-agent-dry-run.json").read_text())
    assert dry_run == {"test": True, "debug": True}


def test_exporter_is_a_container_image_built_from_the_repository():
    fn = fx.functions()["ExporterFunction"]
    meta = fn["Metadata"]
    dockerfile = (fx.SAM_DIR / meta["DockerContext"] / meta["Dockerfile"]).resolve()
    assert dockerfile.is_file()
    text = dockerfile.read_text()
    assert re.search(r"^FROM public\.ecr\.aws/lambda/python:3\.\d+", text, re.M)
    assert "infra/sam/functions/exporter/requirements.txt" in text
    assert "COPY src/commerce_platform" in text
    cmd = re.search(r'^CMD \["([^"]+)"\]', text, re.M)
    assert cmd and cmd.group(1) == fx.handler_of(fn)
    ignore = dockerfile.with_name("Dockerfile.dockerignore").read_text().splitlines()
    assert ignore[0].strip() == "*" or "*" in ignore, "the repo-root build context must not ship .venv"


@pytest.mark.parametrize("logical_id", sorted(EXPECTED_ROUTES))
def test_http_api_has_explicit_routes_and_an_authorizer(logical_id):
    fn = fx.functions()[logical_id]
    routes = fx.http_routes(fn)
    assert set(routes) == EXPECTED_ROUTES[logical_id]
    assert all("{proxy+}" not in path and path != "$default" for _m, path in routes)
    api_ids = {fx.ref_name(p["ApiId"]) for p in routes.values()}
    assert len(api_ids) == 1
    api = fx.resources()[api_ids.pop()]
    assert api["Type"] == "AWS::Serverless::HttpApi"
    auth = api["Properties"]["Auth"]
    default = auth["DefaultAuthorizer"]
    jwt = auth["Authorizers"][default]
    assert jwt["JwtConfiguration"]["issuer"] == {"Ref": "JwtIssuer"}
    assert jwt["JwtConfiguration"]["audience"] == {"Ref": "JwtAudience"}
    for key, props in routes.items():
        authorizer = props.get("Auth", {}).get("Authorizer")
        if key in PUBLIC_ROUTES:
            assert authorizer == "NONE", f"{key} is the public health check"
        else:
            assert authorizer in (None, default), f"{key} must use the authorizer"


# App routes that API Gateway deliberately does not expose (docs and metrics stay internal).
UNROUTED_APP_PATHS = {"/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc", "/metrics"}


@pytest.mark.parametrize("logical_id", sorted(EXPECTED_ROUTES))
def test_template_routes_are_the_apps_routes(logical_id, monkeypatch, tmp_path):
    """Every route the FastAPI app serves is routed (except docs and metrics), and nothing else."""
    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    from commerce_platform.config import load_settings

    module = fx.handler_of(fx.functions()[logical_id]).rsplit(".", 1)[0].replace("_lambda", "_app")
    app = importlib.import_module(module).create_app(load_settings(tmp_path / "home"))

    def norm(path):
        return re.sub(r"\{[^}]+\}", "{}", path)

    served = {(m, norm(r.path)) for r in app.routes for m in getattr(r, "methods", ())
              if m != "HEAD" and r.path not in UNROUTED_APP_PATHS}
    routed = {(m, norm(p)) for m, p in fx.http_routes(fx.functions()[logical_id])}
    assert routed == served, f"only in the template: {routed - served}; only in the app: {served - routed}"


def test_tutor_metrics_is_not_routed_in_production():
    routes = fx.http_routes(fx.functions()["TutorApiFunction"])
    assert not any(path == "/metrics" for _m, path in routes)


@pytest.mark.parametrize("api_id", sorted(fx.resources("AWS::Serverless::HttpApi")))
def test_cors_origins_come_from_a_parameter_and_never_star(api_id):
    t = fx.template()
    cors = t["Resources"][api_id]["Properties"]["CorsConfiguration"]
    assert cors["AllowOrigins"] == {"Ref": "CorsAllowedOrigins"}
    default = t["Parameters"]["CorsAllowedOrigins"]["Default"]
    assert "*" not in default
    rule = json.dumps(t["Rules"])
    assert '"Fn::Contains"' in rule and '"CorsAllowedOrigins"' in rule and '"*"' in rule
    access_log = fx.ref_name(t["Resources"][api_id]["Properties"]["AccessLogSettings"]["DestinationArn"])
    assert t["Resources"][access_log]["Properties"]["RetentionInDays"] == 30


@pytest.mark.parametrize("logical_id", sorted(EXPECTED_ROUTES))
def test_app_cors_setting_matches_the_api_parameter(logical_id, monkeypatch, tmp_path):
    env = fx.function_environment(logical_id)
    assert json.loads(env["COMMERCE_CORS_ORIGINS"]) == fx.parameter_default("CorsAllowedOrigins").split(",")
    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env file
    from commerce_platform.config import Settings

    settings = Settings()  # exactly what the function's process reads
    assert settings.cors_origins == ["https://console.example.com"]
    assert settings.is_production and settings.profile == "aws"
    assert settings.dynamodb_table_prefix == fx.parameter_default("TablePrefix")


def test_kb_sync_runs_on_kb_docs_object_created_and_deleted_events():
    res = fx.resources()
    assert res["KbDocsBucket"]["Properties"]["NotificationConfiguration"]["EventBridgeConfiguration"] == {
        "EventBridgeEnabled": True}
    events = res["KbSyncFunction"]["Properties"]["Events"]
    rules = [e["Properties"]["Pattern"] for e in events.values() if e["Type"] == "EventBridgeRule"]
    assert len(rules) == 1
    pattern = rules[0]
    assert pattern["source"] == ["aws.s3"]
    assert set(pattern["detail-type"]) == {"Object Created", "Object Deleted"}
    assert pattern["detail"]["bucket"]["name"] == [{"Ref": "KbDocsBucket"}]


def test_kb_sync_reads_the_bucket_its_rule_filters_on():
    from commerce_platform.support.kb_sync_lambda import parse_events

    fn = fx.functions()["KbSyncFunction"]["Properties"]
    assert fn["Environment"]["Variables"]["COMMERCE_KB_BUCKET"] == {"Ref": "KbDocsBucket"}
    created = json.loads((fx.SAM_DIR / "events" / "kb-sync-object-created.json").read_text())
    deleted = json.loads((fx.SAM_DIR / "events" / "kb-sync-object-deleted.json").read_text())
    bucket = created["detail"]["bucket"]["name"]
    assert parse_events(created, bucket)[:2] == (["returns/returns-policy.md"], [])
    assert parse_events(deleted, bucket)[:2] == ([], ["returns/old-policy.md"])
    assert parse_events(created, "another-bucket")[:2] == ([], [])


# ---------------------------------------------------------------------------------------------
# buckets


@pytest.mark.parametrize("bucket_id", sorted(fx.resources("AWS::S3::Bucket")))
def test_bucket_is_encrypted_private_and_tls_only(bucket_id):
    props = fx.resources()[bucket_id]["Properties"]
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert sse["SSEAlgorithm"] in ("AES256", "aws:kms", "aws:kms:dsse")
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    policies = [p for p in fx.resources("AWS::S3::BucketPolicy").values()
                if fx.ref_name(p["Properties"]["Bucket"]) == bucket_id]
    assert len(policies) == 1
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]
    assert all(s["Effect"] == "Deny" for s in statements), "bucket policies only deny (no public grants)"
    assert any(s["Condition"]["Bool"]["aws:SecureTransport"] == "false" for s in statements)


@pytest.mark.parametrize("bucket_id", ["OfferLearningDataBucket", "KbDocsBucket", "ExportWarehouseBucket"])
def test_data_buckets_are_versioned_and_retained(bucket_id):
    res = fx.resources()[bucket_id]
    assert res["Properties"]["VersioningConfiguration"]["Status"] == "Enabled"
    assert res["DeletionPolicy"] == "Retain"
    rules = res["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any(r.get("NoncurrentVersionExpiration") for r in rules), "old versions must not pile up forever"


def _lifecycle_rule(prefix):
    rules = fx.resources()["OfferLearningDataBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    found = [r for r in rules if (r.get("Prefix") or r.get("Filter", {}).get("Prefix")) == prefix]
    assert len(found) == 1, f"one lifecycle rule for {prefix}"
    assert found[0]["Status"] == "Enabled"
    return found[0]


def test_offer_requests_move_to_infrequent_access_then_glacier():
    rule = _lifecycle_rule("offer-requests/")
    transitions = sorted((t["TransitionInDays"], t["StorageClass"]) for t in rule["Transitions"])
    assert transitions == [(90, "STANDARD_IA"), (365, "GLACIER")]
    assert "ExpirationInDays" not in rule, "offer requests are evidence: never expire them"


def test_learning_state_expires_after_180_days():
    rule = _lifecycle_rule("learning-state/")
    assert rule["ExpirationInDays"] == 180
    assert not rule.get("Transitions")


def test_learnings_are_not_touched_by_lifecycle_rules():
    rules = fx.resources()["OfferLearningDataBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    for r in rules:
        prefix = r.get("Prefix") or r.get("Filter", {}).get("Prefix") or ""
        if "learnings/".startswith(prefix):  # rules that cover learnings/ (incl. bucket-wide ones)
            assert not r.get("ExpirationInDays") and not r.get("Transitions"), r["Id"]


# ---------------------------------------------------------------------------------------------
# DynamoDB tables vs the code's TableSpecs


def _code_table_specs():
    """Every TableSpec(...) built in src/ with literal arguments (module constants and calls)."""
    from commerce_platform.ports.kv import TableSpec

    specs = {}
    src = ROOT / "src" / "commerce_platform"
    for path in sorted(src.rglob("*.py")):
        if path.name == "kv.py" and path.parent.name == "ports":
            continue
        text = path.read_text(encoding="utf-8")
        if "TableSpec(" not in text:
            continue
        tree = ast.parse(text, filename=str(path))
        unresolved = False
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "TableSpec"):
                continue
            try:
                args = [ast.literal_eval(a) for a in node.args]
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
            except ValueError:
                unresolved = True
                continue
            spec = TableSpec(*args, **kwargs)
            specs[spec.name] = (spec, f"{path.relative_to(ROOT)}:{node.lineno}")
        if unresolved:  # names built from constants: import the module and read its TableSpecs
            module = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
            for value in vars(importlib.import_module(module)).values():
                if isinstance(value, TableSpec):
                    specs.setdefault(value.name, (value, str(path.relative_to(ROOT))))
    return specs


def _template_tables():
    out = {}
    for logical_id, res in fx.resources("AWS::DynamoDB::Table").items():
        name = fx.sub_text(res["Properties"]["TableName"])
        assert name and name.startswith("${TablePrefix}"), f"{logical_id}: name must be TablePrefix + spec name"
        out[name.removeprefix("${TablePrefix}")] = (logical_id, res["Properties"])
    return out


def test_table_prefix_is_the_settings_prefix():
    from commerce_platform.config import Settings

    assert fx.parameter_default("TablePrefix") == Settings.model_fields["dynamodb_table_prefix"].default


def test_every_code_table_exists_in_the_template_with_the_same_keys():
    specs = _code_table_specs()
    tables = _template_tables()
    assert specs, "no TableSpec found in src/"
    problems = []
    for name, (spec, where) in sorted(specs.items()):
        if name not in tables:
            problems.append(f"{where}: table {name!r} is missing from the template")
            continue
        logical_id, props = tables[name]
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        want = {"HASH": spec.hash_key, **({"RANGE": spec.sort_key} if spec.sort_key else {})}
        if keys != want:
            problems.append(f"{where}: {logical_id} keys {keys} != code {want}")
        types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
        if any(types.get(k) != "S" for k in want.values()):  # the port stores keys as strings
            problems.append(f"{logical_id}: key attributes must be strings (S), got {types}")
        gsis = {g["IndexName"]: g for g in props.get("GlobalSecondaryIndexes", [])}
        if spec.index_name:
            gsi = gsis.get(spec.index_name)
            if not gsi or gsi["KeySchema"][0]["AttributeName"] != spec.index_key:
                problems.append(f"{where}: {logical_id} lacks GSI {spec.index_name} on {spec.index_key}")
        elif gsis:
            problems.append(f"{logical_id}: GSIs {sorted(gsis)} that the code never queries")
    unused = sorted(set(tables) - set(specs))
    if unused:
        problems.append(f"template tables no code uses: {unused}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("logical_id", sorted(fx.resources("AWS::DynamoDB::Table")))
def test_table_has_ttl_on_ttl_attribute_and_protection(logical_id):
    res = fx.resources()[logical_id]
    props = res["Properties"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert res["DeletionPolicy"] == "Retain"


def test_conversations_table_has_the_user_index():
    props = _template_tables()["conversations"][1]
    assert props["KeySchema"][0]["AttributeName"] == "conversation_id"
    assert [g["IndexName"] for g in props["GlobalSecondaryIndexes"]] == ["user_id-index"]


# ---------------------------------------------------------------------------------------------
# IAM: one role per function, naming its own resources


def _all_roles():
    return fx.resources("AWS::IAM::Role")


def test_each_function_has_its_own_role_and_no_inline_sam_policies():
    roles = {}
    for logical_id, fn in fx.functions().items():
        props = fn["Properties"]
        assert "Policies" not in props, f"{logical_id}: permissions belong in its own role"
        role = fx.ref_name(props["Role"])
        assert role in _all_roles(), f"{logical_id}: Role must be a role of this template"
        roles.setdefault(role, []).append(logical_id)
    shared = {r: f for r, f in roles.items() if len(f) > 1}
    assert not shared, f"roles shared between functions: {shared}"
    assert not fx.resources("AWS::IAM::Policy") and not fx.resources("AWS::IAM::ManagedPolicy")
    for role_id, role in _all_roles().items():
        assert not role["Properties"].get("ManagedPolicyArns"), f"{role_id}: managed policies grant '*'"


def _resource_strings(resource):
    out = []
    for r in fx.as_list(resource):
        for alt in fx.expand_ifs(r):
            if isinstance(alt, str):
                out.append(alt)
            elif isinstance(alt, dict) and "Fn::GetAtt" in alt:
                out.append("${" + ".".join(fx.as_list(alt["Fn::GetAtt"])) + "}")
            elif isinstance(alt, dict) and "Ref" in alt:
                out.append("${" + alt["Ref"] + "}")
            else:
                text = fx.sub_text(alt)
                assert text is not None, f"unexpected resource form {alt!r}"
                out.append(text)
    return out


def _wildcard_problems(statement):
    """Why a statement grants more than it names (empty list = fine)."""
    problems = []
    if statement.get("Effect") != "Allow":
        return problems
    assert "NotAction" not in statement and "NotResource" not in statement
    actions = fx.as_list(statement["Action"])
    for action in actions:
        if "*" in action:
            problems.append(f"wildcard action {action!r}")
    for resource in _resource_strings(statement["Resource"]):
        if resource == "*":
            extra = sorted(set(actions) - STAR_RESOURCE_ACTIONS)
            if extra:
                problems.append(f"Resource '*' for {extra}, which can name their resources")
            continue
        # arn:partition:service:region:account:<resource>; the resource part must name something.
        # Pseudo parameters are fixed values; any other ${X} is a named thing (parameter or resource).
        text = re.sub(r"\$\{AWS::(Partition|Region|AccountId|URLSuffix)\}", "x", resource)
        text = re.sub(r"\$\{[^}]+\}", "NAMED", text)
        parts = text.split(":", 5)
        if len(parts) == 6 and "NAMED" not in parts[5] and re.fullmatch(r"[A-Za-z-]*[/:]?\*", parts[5]):
            problems.append(f"resource {resource!r} names no resource")
    return problems


def test_wildcard_checker_catches_broad_grants():
    """The checker below is honest: each of these broad statements is refused."""
    bad = [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
        {"Effect": "Allow", "Action": "ssm:GetParameter",
         "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*"}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"},
        {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "arn:aws:bedrock:*::foundation-model/*"},
    ]
    for st in bad:
        assert _wildcard_problems(st), st
    ok = {"Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"}
    assert not _wildcard_problems(ok)


@pytest.mark.parametrize("role_id", sorted(fx.resources("AWS::IAM::Role")))
def test_role_grants_no_wildcards_where_a_resource_can_be_named(role_id):
    role = _all_roles()[role_id]
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"Service": "lambda.amazonaws.com"}]
    problems = []
    for st in fx.policy_statements(role):
        problems += [f"{st.get('Sid', '?')}: {p}" for p in _wildcard_problems(st)]
    assert not problems, f"{role_id}:\n" + "\n".join(problems)


@pytest.mark.parametrize("logical_id", _function_ids())
def test_role_writes_only_its_own_log_group_with_30_day_retention(logical_id):
    fn = fx.functions()[logical_id]
    props = fn["Properties"]
    log_group_id = fx.ref_name(props["LoggingConfig"]["LogGroup"])
    log_group = fx.resources()[log_group_id]["Properties"]
    assert log_group["RetentionInDays"] == 30
    assert fx.sub_text(log_group["LogGroupName"]) == "/aws/lambda/" + fx.sub_text(props["FunctionName"])
    role = _all_roles()[fx.ref_name(props["Role"])]
    log_statements = [s for s in fx.policy_statements(role)
                      if any(a.startswith("logs:") for a in fx.as_list(s["Action"]))]
    assert log_statements
    for st in log_statements:
        assert _resource_strings(st["Resource"]) == [f"${{{log_group_id}.Arn}}"]


def test_every_log_group_keeps_30_days():
    groups = fx.resources("AWS::Logs::LogGroup")
    assert groups
    assert {k: v["Properties"]["RetentionInDays"] for k, v in groups.items()} == {k: 30 for k in groups}


def _role_resource_refs(role):
    """Logical ids of template resources named in the role's statements."""
    refs = set()
    for st in fx.policy_statements(role):
        for text in _resource_strings(st["Resource"]):
            refs |= {m.split(".")[0] for m in re.findall(r"\$\{([^}]+)\}", text)}
    return refs & set(fx.resources())


# What each function may touch among the template's own data resources (least privilege).
EXPECTED_DATA_ACCESS = {
    "LearningAgentFunction": {"OfferLearningDataBucket", "LocksTable"},
    "ExporterFunction": {"ExportProgressTable", "ExportWarehouseBucket", "ExportEmbeddingCacheBucket"},
    "CopilotApiFunction": {"ConversationsTable", "CopilotExamplesTable", "CopilotAthenaWorkGroup",
                           "AthenaResultsBucket"},
    "SupportApiFunction": {"InteractionsTable", "SupportTicketsTable", "SupportTicketsByTimeTable",
                           "SupportFeedbackTable", "KbDocsBucket",
                           "KbLocksTable"},
    "KbSyncFunction": {"KbDocsBucket", "KbLocksTable"},
    "TutorApiFunction": set(),
}

DATA_TYPES = {"AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Athena::WorkGroup"}


@pytest.mark.parametrize("logical_id", sorted(EXPECTED_DATA_ACCESS))
def test_role_names_only_its_own_data_resources(logical_id):
    fn = fx.functions()[logical_id]
    role = _all_roles()[fx.ref_name(fn["Properties"]["Role"])]
    res = fx.resources()
    data = {r for r in _role_resource_refs(role) if res[r]["Type"] in DATA_TYPES}
    assert data == EXPECTED_DATA_ACCESS[logical_id]


@pytest.mark.parametrize("logical_id", _function_ids())
def test_secrets_are_passed_by_parameter_name_and_readable_only_by_their_users(logical_id):
    t = fx.template()
    props = fx.functions()[logical_id]["Properties"]
    env = {**t["Globals"]["Function"]["Environment"]["Variables"], **props.get("Environment", {}).get(
        "Variables", {})}
    for key, value in env.items():
        if re.search(r"PASSWORD|SECRET|API_KEY|TOKEN|DATABASE_URL|SOURCE_URL", key):
            assert key.endswith("_PARAMETER"), f"{key}: pass the SSM parameter name, never the value"
            param = fx.ref_name(value)
            assert param in t["Parameters"], f"{key} must reference a template parameter"
            assert t["Parameters"][param]["AllowedPattern"].startswith("^/")
            assert "NoEcho" not in t["Parameters"][param], "the template never holds the secret itself"
    wanted = {fx.ref_name(v) for k, v in env.items() if k.endswith("_PARAMETER")}
    role = _all_roles()[fx.ref_name(props["Role"])]
    granted = set()
    for st in fx.policy_statements(role):
        if "ssm:GetParameter" in fx.as_list(st["Action"]):
            for text in _resource_strings(st["Resource"]):
                m = re.fullmatch(r"arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:"
                                 r"parameter\$\{(\w+)\}", text)
                assert m, f"SSM grant {text!r} must name one parameter"
                granted.add(m.group(1))
    assert granted == wanted


def test_template_names_match_the_codes_constants():
    """Model ids and the Iceberg namespace the IAM grants name are the ones the code uses."""
    src = ROOT / "src" / "commerce_platform"
    image_models = re.findall(r'name = "(amazon\.titan-embed-image[^"]*)"', (src / "ports" / "image_embeddings.py").read_text())
    text_models = re.findall(r'name = "(amazon\.titan-embed-text[^"]*)"',
                             (src / "ports" / "text_embeddings.py").read_text())
    assert image_models == [fx.parameter_default("TitanImageModelId")]
    assert text_models == [fx.parameter_default("TitanTextModelId")]
    from commerce_platform.config import Settings
    from commerce_platform.exports.models import NAMESPACE

    assert fx.parameter_default("IcebergDatabase") == NAMESPACE
    assert fx.parameter_default("BedrockModelId") == Settings.model_fields["bedrock_model_id"].default


@pytest.mark.parametrize("logical_id", _function_ids())
def test_environment_names_are_settings_fields(logical_id, monkeypatch, tmp_path):
    """Every COMMERCE_* variable the template sets is a Settings field (or a secret's parameter name),
    and Settings accepts the values (with both KB settings of the template's condition)."""
    from commerce_platform.config import Settings

    for key in [k for k in os.environ if k.startswith("COMMERCE_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    for key, value in fx.function_environment(logical_id).items():
        if not key.endswith("_PARAMETER"):
            monkeypatch.setenv(key, value)
    Settings()
    if "COMMERCE_KB_BACKEND" in fx.function_environment(logical_id):
        monkeypatch.setenv("COMMERCE_KB_BACKEND", "bedrock")
        assert Settings().kb_backend == "bedrock"

    fields = set(Settings.model_fields)
    unknown = []
    for key in fx.function_environment(logical_id):
        if not key.startswith("COMMERCE_"):
            continue
        name = key.removeprefix("COMMERCE_").lower()
        if name.endswith("_parameter"):
            name = name.removesuffix("_parameter")  # the secret field it fills
        if name not in fields:
            unknown.append(key)
    assert not unknown, f"{logical_id}: no Settings field for {unknown}"


# ---------------------------------------------------------------------------------------------
# alarms


def _alarms_for(logical_id):
    out = {}
    for alarm in fx.resources("AWS::CloudWatch::Alarm").values():
        p = alarm["Properties"]
        dims = {d["Name"]: fx.ref_name(d["Value"]) for d in p.get("Dimensions", [])}
        if p.get("Namespace") == "AWS/Lambda" and dims.get("FunctionName") == logical_id:
            out[p["MetricName"]] = p
    return out


@pytest.mark.parametrize("logical_id", _function_ids())
def test_function_alarms_on_errors_duration_and_throttles(logical_id):
    fn = fx.functions()[logical_id]["Properties"]
    alarms = _alarms_for(logical_id)
    assert set(alarms) == {"Errors", "Duration", "Throttles"}
    errors = alarms["Errors"]
    assert (errors["Statistic"], errors["Period"] * errors["EvaluationPeriods"]) == ("Sum", 86400)
    assert (errors["Threshold"], errors["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    throttles = alarms["Throttles"]
    assert (throttles["Statistic"], throttles["Threshold"], throttles["ComparisonOperator"]) == (
        "Sum", 0, "GreaterThanThreshold")
    duration = alarms["Duration"]
    assert duration["Statistic"] == "Maximum"
    timeout_ms = fn["Timeout"] * 1000
    assert 0.7 * timeout_ms <= duration["Threshold"] <= 0.9 * timeout_ms, "near the timeout"
    for alarm in alarms.values():
        assert alarm["TreatMissingData"] == "notBreaching"
        assert [fx.ref_name(a) for a in alarm["AlarmActions"]] == ["AlarmTopic"]


# ---------------------------------------------------------------------------------------------
# requirements and build targets


@pytest.mark.parametrize("logical_id", _function_ids())
def test_function_has_its_own_pinned_requirements(logical_id):
    path = fx.requirements_file(logical_id)
    assert path.is_file()
    lines = [ln.split("#", 1)[0].strip() for ln in path.read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    assert lines, f"{path} is empty"
    for ln in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+(\[[a-z0-9_,-]+\])?==[0-9][0-9A-Za-z.]*", ln), (
            f"{path}: pin {ln!r} exactly so the deployed package is the tested one")
    names = {n.lower() for n, _ in fx.requirement_names(path)}
    assert not names & {"boto3", "botocore"}, "boto3 comes with the Lambda runtime"
    fn = fx.functions()[logical_id]
    if fx.is_http(fn):
        assert {"fastapi", "mangum"} <= names
    else:
        assert not names & {"fastapi", "mangum", "uvicorn"}, "only HTTP functions carry the web stack"
    assert not names & {"pandas", "torch", "streamlit", "sentence-transformers", "jupyter"}


# The code each function runs: its service folders plus the shared foundation.
FUNCTION_CODE = {
    "LearningAgentFunction": ["offers"],
    "ExporterFunction": ["exports"],
    "CopilotApiFunction": ["copilot", "api/common.py", "api/copilot_app.py"],
    "SupportApiFunction": ["support", "api/common.py", "api/support_app.py"],
    "KbSyncFunction": ["support/kb.py", "support/documents.py", "support/bm25.py"],
    "TutorApiFunction": ["tutor", "api/common.py", "api/tutor_app.py"],
}
SHARED_CODE = ["ports", "config.py", "factory.py", "errors.py", "logs.py"]
# Loaded by another library rather than imported by our code.
DRIVERS = {"psycopg": "SQLAlchemy loads it for postgresql+psycopg:// URLs"}


def _imported_names(paths) -> set[str]:
    names = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
            elif (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "require" and node.args
                  and isinstance(node.args[0], ast.Constant)):
                names.add(node.args[0].value)
    return names


@pytest.mark.parametrize("logical_id", sorted(FUNCTION_CODE))
def test_each_requirement_is_imported_by_the_functions_code(logical_id):
    from importlib import metadata

    src = ROOT / "src" / "commerce_platform"
    files = []
    for part in FUNCTION_CODE[logical_id] + SHARED_CODE:
        p = src / part
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    imported = {n for name in _imported_names(files) for n in (name, name.split(".")[0])}
    modules_of = {}
    for module, dists in metadata.packages_distributions().items():
        for d in dists:
            modules_of.setdefault(re.sub(r"[-_.]+", "-", d).lower(), set()).add(module)
    unused = []
    for name, _extras in fx.requirement_names(fx.requirements_file(logical_id)):
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in DRIVERS:
            continue
        modules = modules_of.get(key, set())
        assert modules, f"{name} is not installed here; cannot check it"
        if not any(m in imported for m in modules) and not any(
                i.startswith(m + ".") for m in modules for i in imported):
            unused.append(name)
    assert not unused, f"{logical_id} packages {unused}, which its code never imports"


def test_build_targets_match_the_runtime_and_architecture():
    """Wheels are chosen for the runtime the template declares: same Python, same CPU."""
    makefile = (fx.SAM_DIR / "Makefile").read_text()
    version = re.search(r"^LAMBDA_PYTHON_VERSION \?= (\S+)$", makefile, re.M).group(1)
    platforms = re.search(r"^LAMBDA_PLATFORMS \?= (.+)$", makefile, re.M).group(1).split()
    arch = fx.template()["Globals"]["Function"]["Architectures"]
    assert arch == ["x86_64"] and all(p.endswith("_x86_64") for p in platforms)
    for logical_id, fn in fx.functions().items():
        if fx.is_zip(fn):
            assert fn["Properties"]["Runtime"] == f"python{version}", logical_id
        else:
            dockerfile = fx.SAM_DIR / fn["Metadata"]["DockerContext"] / fn["Metadata"]["Dockerfile"]
            assert f"lambda/python:{version}" in dockerfile.read_text(), logical_id


@pytest.mark.parametrize("logical_id", [f for f in _function_ids() if fx.is_zip(fx.functions()[f])])
def test_makefile_builds_each_zip_function_from_its_requirements(logical_id):
    makefile = (fx.SAM_DIR / "Makefile").read_text()
    rel = fx.functions()[logical_id]["Metadata"]["Requirements"]
    folder = Path(rel).parent.name
    assert re.search(rf"^build-{logical_id}: FUNCTION_DIR = {folder}$", makefile, re.M)
    assert fx.functions()[logical_id]["Properties"]["CodeUri"] == "."


def test_sample_events_are_valid_and_match_the_routes():
    events_dir = fx.SAM_DIR / "events"
    files = sorted(events_dir.glob("*.json"))
    assert files
    routes = {k for fn in fx.functions().values() for k in fx.http_routes(fn)}
    for path in files:
        event = json.loads(path.read_text())
        if event.get("version") == "2.0":
            method, route = event["routeKey"].split(" ", 1)
            assert (method, route) in routes, f"{path.name}: {event['routeKey']} is not routed"
            has_auth = "authorizer" in event["requestContext"]
            assert has_auth == ((method, route) not in PUBLIC_ROUTES), path.name


# ---------------------------------------------------------------------------------------------
# package sizes (slow: installs each function's requirements with pip from the package registry)


def _tree_bytes(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = Path(dirpath, f)
            if not p.is_symlink():
                total += p.stat().st_size
    return total


@pytest.fixture(scope="module")
def built_packages(tmp_path_factory):
    """Run the Makefile's real build target of every function (deps only for the image) in parallel."""
    if not shutil.which("make"):
        pytest.fail("make is required to build the Lambda packages")
    out = tmp_path_factory.mktemp("lambda-packages")
    jobs = {}
    for logical_id, fn in fx.functions().items():
        if fx.is_zip(fn):
            target = f"build-{logical_id}"
        else:
            target = f"deps-{Path(fn['Metadata']['Requirements']).parent.name}"
        jobs[logical_id] = (target, out / logical_id)

    def build(item):
        logical_id, (target, dest) = item
        proc = subprocess.run(
            ["make", "-s", "-C", str(fx.SAM_DIR), target, f"ARTIFACTS_DIR={dest}", f"PYTHON={sys.executable}",
             f"REPO_ROOT={ROOT}"],
            capture_output=True, text=True, timeout=600,
        )
        return logical_id, proc

    results = {}
    with ThreadPoolExecutor(max_workers=3) as pool:
        for logical_id, proc in pool.map(build, sorted(jobs.items())):
            dest = jobs[logical_id][1]
            errors = "\n".join(ln for ln in (proc.stdout + proc.stderr).splitlines()
                               if not ln.startswith("WARNING: Location"))
            results[logical_id] = {"returncode": proc.returncode, "log": errors[-4000:],
                                   "bytes": _tree_bytes(dest) if dest.exists() else 0, "path": dest}
    ARTIFACTS.mkdir(exist_ok=True)
    report = {k: {"unzipped_mb": round(v["bytes"] / 2**20, 1), "package": fx.functions()[k]["Properties"].get(
        "PackageType", "Zip")} for k, v in results.items()}
    (ARTIFACTS / "lambda-package-sizes.json").write_text(json.dumps(report, indent=2) + "\n")
    return results


@pytest.mark.slow
@pytest.mark.parametrize("logical_id", _function_ids())
def test_package_fits_lambda_limits(built_packages, logical_id, record_property):
    result = built_packages[logical_id]
    assert result["returncode"] == 0, f"build of {logical_id} failed:\n{result['log']}"
    size = result["bytes"]
    record_property("unzipped_mb", round(size / 2**20, 1))
    fn = fx.functions()[logical_id]
    if fx.is_zip(fn):
        assert (result["path"] / "commerce_platform" / "__init__.py").is_file()
        handler_module = fx.handler_of(fn).rsplit(".", 1)[0]
        assert handler_module.startswith("commerce_platform.")
        assert size < fx.ZIP_UNZIPPED_LIMIT_BYTES, (
            f"{logical_id}: {size / 2**20:.1f} MB unzipped exceeds Lambda's 250 MB zip limit")
    else:
        # The reason it is an image: its dependencies alone exceed the zip limit.
        assert size > fx.ZIP_UNZIPPED_LIMIT_BYTES
        assert size < fx.IMAGE_LIMIT_BYTES


# ---------------------------------------------------------------------------------------------
# the template's tables work with the code's DynamoDB adapter (moto server)


def test_template_tables_serve_the_code_through_the_dynamodb_port(moto_server, aws_credentials):
    """Create every table exactly as the template declares it, then drive each code TableSpec through
    DynamoKeyValueTable: put, get, query by sort prefix, the secondary index, and the lease lock."""
    import boto3

    from commerce_platform.ports.kv import DynamoKeyValueTable, Lock

    prefix = f"t{os.getpid()}-"
    dynamodb = boto3.resource("dynamodb", region_name="eu-north-1", endpoint_url=moto_server)
    for name, (_logical_id, props) in _template_tables().items():
        kwargs = {k: props[k] for k in ("AttributeDefinitions", "KeySchema", "BillingMode")}
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        dynamodb.create_table(TableName=prefix + name, **kwargs)
        dynamodb.meta.client.update_time_to_live(TableName=prefix + name,
                                                 TimeToLiveSpecification=props["TimeToLiveSpecification"])
    for name, (spec, _where) in sorted(_code_table_specs().items()):
        table = DynamoKeyValueTable(spec, resource=dynamodb, prefix=prefix)
        item = {spec.hash_key: "h-1", "payload": 1.5}
        if spec.sort_key:
            item[spec.sort_key] = "s#001"
        if spec.index_key:
            item[spec.index_key] = "idx-7"
        table.put(item, ttl_seconds=3600)
        got = table.get("h-1", "s#001" if spec.sort_key else None)
        assert got and got["payload"] == 1.5, name
        if spec.sort_key:
            assert [i[spec.sort_key] for i in table.query("h-1", "s#")] == ["s#001"], name
        if spec.index_key:
            assert [i[spec.hash_key] for i in table.query_index("idx-7")] == ["h-1"], name
        with Lock(table, "infra-test", ttl_seconds=60):
            assert not Lock(table, "infra-test", ttl_seconds=60).acquire(), name
