"""Helpers for the SAM template tests: load infra/sam/template.yaml and walk its parts.

The template is decoded with cfn-lint's decoder, so short-form tags (!Ref, !Sub, !If, ...) come back
as their long form ({"Ref": ...}, {"Fn::Sub": ...}, {"Fn::If": [...]}).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAM_DIR = ROOT / "infra" / "sam"
TEMPLATE = SAM_DIR / "template.yaml"

# Lambda's limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
ZIP_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
IMAGE_LIMIT_BYTES = 10 * 1024 * 1024 * 1024


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    from cfnlint.decode import decode

    template, matches = decode(str(TEMPLATE))
    if matches or template is None:
        raise AssertionError(f"{TEMPLATE} does not parse: {[str(m) for m in matches]}")
    return json.loads(json.dumps(template))  # plain dicts and lists


def template() -> dict[str, Any]:
    return json.loads(json.dumps(_load()))  # a private copy per caller


def resources(kind: str | None = None) -> dict[str, dict[str, Any]]:
    res = template()["Resources"]
    return {k: v for k, v in res.items() if kind is None or v["Type"] == kind}


def functions() -> dict[str, dict[str, Any]]:
    return resources("AWS::Serverless::Function")


def handler_of(fn: dict[str, Any]) -> str:
    props = fn["Properties"]
    if props.get("PackageType") == "Image":
        return props["ImageConfig"]["Command"][0]
    return props["Handler"]


def is_zip(fn: dict[str, Any]) -> bool:
    return fn["Properties"].get("PackageType", "Zip") == "Zip"


def http_routes(fn: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(METHOD, path) -> event properties of the function's HttpApi events."""
    out = {}
    for ev in fn["Properties"].get("Events", {}).values():
        if ev["Type"] == "HttpApi":
            p = ev["Properties"]
            out[(p["Method"].upper(), p["Path"])] = p
    return out


def is_http(fn: dict[str, Any]) -> bool:
    return bool(http_routes(fn))


def ref_name(value: Any) -> str | None:
    """Logical id behind {"Ref": X} or {"Fn::GetAtt": [X, attr]} / "X.attr"."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            att = value["Fn::GetAtt"]
            return att[0] if isinstance(att, list) else att.split(".")[0]
    return None


def sub_text(value: Any) -> str | None:
    """The text of a plain string or an Fn::Sub (its template string)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return None


def expand_ifs(value: Any) -> list[Any]:
    """Every concrete alternative of a value that may be an Fn::If (AWS::NoValue dropped)."""
    if isinstance(value, dict) and "Fn::If" in value:
        _cond, yes, no = value["Fn::If"]
        return [v for branch in (yes, no) for v in expand_ifs(branch)]
    if value == {"Ref": "AWS::NoValue"}:
        return []
    return [value]


def policy_statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for policy in role["Properties"].get("Policies", []):
        for st in policy["PolicyDocument"]["Statement"]:
            out.extend(expand_ifs(st))
    return out


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def parameter_default(name: str) -> Any:
    return template()["Parameters"][name].get("Default")


def resolve_env_value(value: Any) -> str:
    """A template environment value rendered as the function would see it with default parameters."""
    params = template()["Parameters"]

    def render(v: Any) -> str:
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            return str(v)
        if isinstance(v, dict):
            if "Ref" in v:
                name = v["Ref"]
                if name in params:
                    return render(params[name].get("Default", f"example-{name.lower()}"))  # Number defaults too
                return {"AWS::Region": "eu-north-1", "AWS::AccountId": "123456789012",
                        "AWS::Partition": "aws"}.get(name, f"{name.lower()}-physical-id")
            if "Fn::If" in v:
                cond, yes, no = v["Fn::If"]
                return render(yes if condition_value(cond) else no)
            if "Fn::Join" in v:
                sep, items = v["Fn::Join"]
                items = render(items) if isinstance(items, dict) else items
                if isinstance(items, str):
                    items = items.split(",")
                return sep.join(render(i) for i in items)
            if "Fn::Sub" in v:
                sub = v["Fn::Sub"]
                text, local = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])
                return re.sub(r"\$\{([^}]+)\}",
                              lambda m: render(local[m.group(1)]) if m.group(1) in local
                              else render({"Ref": m.group(1).split(".")[0]}), text)
        raise AssertionError(f"cannot render environment value {v!r}")

    return render(value)


def _param_value(name: str) -> Any:
    params = template()["Parameters"]
    if name in params:
        p = params[name]
        d = p.get("Default", f"example-{name.lower()}")
        return d.split(",") if p["Type"] == "CommaDelimitedList" else d
    return {"AWS::Region": "eu-north-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}[name]


def condition_value(name: str) -> bool:
    """A template condition evaluated with the parameters' defaults."""
    conditions = template()["Conditions"]

    def ev(node: Any) -> Any:
        if isinstance(node, dict):
            (fn, arg), = node.items()
            if fn == "Ref":
                return _param_value(arg)
            if fn == "Condition":
                return ev(conditions[arg])
            if fn == "Fn::Equals":
                return ev(arg[0]) == ev(arg[1])
            if fn == "Fn::Not":
                return not ev(arg[0])
            if fn == "Fn::And":
                return all(ev(a) for a in arg)
            if fn == "Fn::Or":
                return any(ev(a) for a in arg)
            if fn == "Fn::Join":
                items = ev(arg[1])
                return arg[0].join(ev(i) for i in items) if isinstance(items, list) else items
            raise AssertionError(f"cannot evaluate {fn} in condition {name}")
        if isinstance(node, list):
            return [ev(n) for n in node]
        return node

    return bool(ev(conditions[name]))


def function_environment(logical_id: str) -> dict[str, str]:
    """Globals + the function's own environment variables, rendered with default parameters."""
    t = template()
    env = dict(t.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
    env.update(t["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {}))
    return {k: resolve_env_value(v) for k, v in env.items()}


def requirements_file(logical_id: str) -> Path:
    fn = functions()[logical_id]
    rel = fn.get("Metadata", {}).get("Requirements")
    if not rel:
        raise AssertionError(f"{logical_id} has no Metadata.Requirements naming its requirements file")
    return SAM_DIR / rel


def requirement_names(path: Path) -> list[tuple[str, set[str]]]:
    """(distribution name, extras) of each line of a requirements file."""
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^([A-Za-z0-9_.-]+)(\[([^\]]*)\])?", line)
        assert m, f"{path}: cannot read requirement line {line!r}"
        extras = {e.strip() for e in (m.group(3) or "").split(",") if e.strip()}
        out.append((m.group(1), extras))
    return out
