"""Secrets port. On AWS, functions get the *names* of SSM Parameter Store SecureStrings
(``COMMERCE_<FIELD>_PARAMETER``) and the values are fetched at start-up, never logged.

Locally secrets are plain settings (environment or ``.env``); nothing is fetched.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import ConfigurationError, require

# settings field -> the field holding the SSM parameter name that supplies it
SECRET_PARAMETERS = {
    "lemonsoft_password": "lemonsoft_password_parameter",
    "lemonsoft_api_key": "lemonsoft_api_key_parameter",
    "gemini_api_key": "gemini_api_key_parameter",
    "database_url": "database_url_parameter",
    "export_source_url": "export_source_url_parameter",
}


class SecretStore(Protocol):
    def get_many(self, names: list[str]) -> dict[str, str]: ...


class SsmSecretStore:
    """SSM Parameter Store (SecureString, decrypted); a Secrets Manager secret works through
    the ``/aws/reference/secretsmanager/<name>`` path."""

    def __init__(self, client=None, region: str | None = None) -> None:
        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("ssm", region_name=region)
        self.client = client

    def get_many(self, names: list[str]) -> dict[str, str]:
        # One GetParameter per name: the functions' roles grant exactly ssm:GetParameter on
        # their own parameters (a handful, once per cold start).
        out: dict[str, str] = {}
        for name in names:
            try:
                out[name] = self.client.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
            except self.client.exceptions.ParameterNotFound:
                raise ConfigurationError(f"SSM parameter not found: {name}",
                                         hint="create it (see infra/sam/README.md) or fix the *_PARAMETER setting") from None
        return out


def resolve_secrets(settings, store: SecretStore | None = None):
    """Return settings with every configured ``*_parameter`` resolved into its field."""
    wanted = {field: settings.value(param) for field, param in SECRET_PARAMETERS.items()
              if settings.value(param) and not settings.value(field)}
    if not wanted:
        return settings
    store = store or SsmSecretStore(region=settings.aws.region)
    values = store.get_many(sorted(set(wanted.values())))
    return settings.with_values(**{field: values[name] for field, name in wanted.items()})
