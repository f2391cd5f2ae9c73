"""Settings nested per service: every flat COMMERCE_ environment name still sets its field; the
codemod that moved code to the nested paths is idempotent."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import SecretStr

from commerce_platform.config import FLAT_FIELDS, Settings, load_settings
from commerce_platform.errors import ConfigurationError

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def _sample(name: str):
    """(environment text, expected value) for a field, different from its default."""
    if name == "log_level":
        return "debug", "DEBUG"  # validated to upper case
    info = Settings.field_info(name)
    annotation = info.annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(args) == 1 else annotation
    if typing.get_origin(base) is typing.Literal:
        choice = next(c for c in reversed(typing.get_args(base)) if c != info.default)
        return choice, choice
    if base is bool:
        return "true", True
    if base is int:
        value = 7 if info.default != 7 else 8
        return str(value), value
    if base is float:
        return "7.5", 7.5
    if base is SecretStr:
        return "s3cret-" + name, "s3cret-" + name
    if typing.get_origin(base) is list:
        return '["https://a.example", "https://b.example"]', ["https://a.example", "https://b.example"]
    if base is Path:
        return "/tmp/somewhere", Path("/tmp/somewhere")
    return f"value-of-{name}", f"value-of-{name}"


@pytest.mark.parametrize("name", sorted(Settings.env_names()))
def test_every_flat_environment_name_sets_its_field(name, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    text, expected = _sample(name)
    if name == "environment":
        monkeypatch.setenv("ENVIRONMENT", "production")
        assert Settings().environment == "production"
        return
    monkeypatch.setenv(f"COMMERCE_{name.upper()}", text)
    value = Settings().value(name)
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    assert value == expected


def test_every_old_field_is_in_the_table_or_top_level():
    top = {n for n, f in Settings.model_fields.items() if n not in ("llm", "api", "cache", "aws", "offers", "support",
                                                                     "exports", "copilot", "tutor")}
    nested = {n for n in Settings.env_names() if n not in top}
    assert nested == set(FLAT_FIELDS)
    for flat, path in FLAT_FIELDS.items():
        group, leaf = path.split(".")
        assert leaf in Settings.model_fields[group].annotation.model_fields, flat


def test_keyword_arguments_take_flat_names_and_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMMERCE_OFFERS_BUCKET", "from-env")
    monkeypatch.setenv("COMMERCE_ERP_RETRIES", "5")
    s = Settings(offers_bucket="from-kwarg")
    assert s.offers.bucket == "from-kwarg" and s.offers.erp_retries == 5  # the rest of the group from env
    assert s.with_values(erp_retries=1).offers.erp_retries == 1 and s.offers.erp_retries == 5


def test_a_bad_nested_value_names_its_flat_variable(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match=r"^COMMERCE_EXPORT_ICEBERG_CATALOG: .*got 'hive'"):
        load_settings(tmp_path, export_iceberg_catalog="hive")
    monkeypatch.setenv("COMMERCE_LEMONSOFT_PASSWORD", "")
    monkeypatch.setenv("COMMERCE_CORS_ORIGINS", "not json")
    with pytest.raises(ConfigurationError, match="COMMERCE_CORS_ORIGINS"):
        load_settings(tmp_path)


CODE = '''settings.offers_bucket
x = self.settings.aws_region + ctx.settings.kb_bucket
args.offers_bucket
getattr(settings, "export_flush_rows", 1)
s2 = settings.model_copy(update={"api_keys": k})
Settings().kb_backend
Settings.model_fields["bedrock_model_id"].default
'''
NESTED = '''settings.offers.bucket
x = self.settings.aws.region + ctx.settings.support.kb_bucket
args.offers_bucket
getattr(settings.exports, "flush_rows", 1)
s2 = settings.with_values(**{"api_keys": k})
Settings().support.kb_backend
Settings.field_info("bedrock_model_id").default
'''


def test_codemod_rewrites_to_the_nested_paths_once(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "src" / "commerce_platform").symlink_to(ROOT / "src" / "commerce_platform")
    target = tmp_path / "tests" / "sample.py"
    target.write_text(CODE)
    script = [sys.executable, str(ROOT / "scripts" / "nest_settings.py"), str(tmp_path)]
    subprocess.run(script, check=True, capture_output=True)
    assert target.read_text() == NESTED
    again = subprocess.run([*script, "--check"], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == ""  # idempotent


def test_the_tree_holds_no_flat_settings_use():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "nest_settings.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
