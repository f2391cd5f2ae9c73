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
