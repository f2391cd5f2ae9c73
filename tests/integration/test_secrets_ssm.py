"""Secrets on AWS: functions get SSM parameter names; values are fetched at start-up (moto)."""

import pytest

from commerce_platform.config import load_settings
from commerce_platform.errors import ConfigurationError
from commerce_platform.ports.secrets import SsmSecretStore, resolve_secrets

pytestmark = pytest.mark.integration


@pytest.fixture
def ssm(moto_server):
    import boto3

    client = boto3.client("ssm", endpoint_url=moto_server, region_name="eu-north-1")
    client.put_parameter(Name="/commerce/test/lemonsoft/password", Value="s3cret", Type="SecureString", Overwrite=True)
    client.put_parameter(Name="/commerce/test/database-url", Value="postgresql+psycopg://u@db/x",
                         Type="SecureString", Overwrite=True)
    return client


def test_parameters_resolve_into_settings(ssm, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_LEMONSOFT_PASSWORD_PARAMETER", "/commerce/test/lemonsoft/password")
    monkeypatch.setenv("COMMERCE_DATABASE_URL_PARAMETER", "/commerce/test/database-url")
    settings = load_settings(tmp_path)  # local profile: nothing is fetched
    assert settings.offers.lemonsoft_password is None
    resolved = resolve_secrets(settings, SsmSecretStore(client=ssm))
    assert resolved.offers.lemonsoft_password.get_secret_value() == "s3cret"
    assert resolved.database_url == "postgresql+psycopg://u@db/x"
    assert "s3cret" not in repr(resolved)  # a SecretStr never prints its value


def test_missing_parameter_names_the_fix(ssm, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_GEMINI_API_KEY_PARAMETER", "/commerce/test/nope")
    with pytest.raises(ConfigurationError, match="/commerce/test/nope"):
        resolve_secrets(load_settings(tmp_path), SsmSecretStore(client=ssm))


def test_aws_profile_resolves_at_load(ssm, moto_server, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMERCE_PROFILE", "aws")
    monkeypatch.setenv("COMMERCE_LEMONSOFT_PASSWORD_PARAMETER", "/commerce/test/lemonsoft/password")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", moto_server)
    monkeypatch.setenv("COMMERCE_AWS_REGION", "eu-north-1")
    assert load_settings(tmp_path).offers.lemonsoft_password.get_secret_value() == "s3cret"


def _expire_parameter_cache(monkeypatch, seconds):
    """Move Powertools' cache clock forward (its entries expire by datetime.now())."""
    from datetime import datetime, timedelta

    import aws_lambda_powertools.utilities.parameters.base as base

    later = datetime.now() + timedelta(seconds=seconds)

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr(base, "datetime", Later)


def test_a_rotated_secret_is_used_after_the_max_age_not_before(ssm, tmp_path, monkeypatch):
    name = "/commerce/test/rotating/gemini-key"
    ssm.put_parameter(Name=name, Value="key-v1", Type="SecureString", Overwrite=True)
    monkeypatch.setenv("COMMERCE_GEMINI_API_KEY_PARAMETER", name)
    monkeypatch.setenv("COMMERCE_SECRETS_MAX_AGE_SECONDS", "120")
    settings = load_settings(tmp_path)
    assert settings.aws.secrets_max_age_seconds == 120
    store = SsmSecretStore(client=ssm, max_age=settings.aws.secrets_max_age_seconds)
    assert resolve_secrets(settings, store).llm.gemini_api_key.get_secret_value() == "key-v1"

    ssm.put_parameter(Name=name, Value="key-v2", Type="SecureString", Overwrite=True)  # rotation
    _expire_parameter_cache(monkeypatch, 60)  # within the max age: the cached value, no SSM call
    assert resolve_secrets(settings, store).llm.gemini_api_key.get_secret_value() == "key-v1"
    _expire_parameter_cache(monkeypatch, 121)  # past it: read again
    assert resolve_secrets(settings, store).llm.gemini_api_key.get_secret_value() == "key-v2"


def test_secret_fields_are_found_by_type():
    from commerce_platform.config import Settings, is_secret

    secret = {name for name in Settings.env_names() if is_secret(Settings.field_info(name))}
    assert secret == {"gemini_api_key", "lemonsoft_password", "lemonsoft_api_key", "api_key", "api_keys"}
    resolved = Settings().with_values(lemonsoft_password="p", database_url="postgresql://x")
    assert resolved.offers.lemonsoft_password.get_secret_value() == "p"  # SecretStr by the field's type
    assert resolved.database_url == "postgresql://x"


def test_max_age_default_is_documented_300_seconds():
    from commerce_platform.config import Settings

    assert Settings.field_info("secrets_max_age_seconds").default == 300
