"""Secrets port. On AWS, functions get the *names* of SSM Parameter Store SecureStrings
(``COMMERCE_<FIELD>_PARAMETER``) and the values are read through Powertools Parameters, cached for
``COMMERCE_SECRETS_MAX_AGE_SECONDS`` (default 300): a handler that loads its settings per
invocation picks up a rotated secret within that time, without a cold start. Values are never logged.

Locally secrets are plain settings (environment or ``.env``); nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConfigurationError, require

if TYPE_CHECKING:
    from ..config import Settings

# settings field (flat environment name) -> the field holding the SSM parameter name that supplies it.
# Whether the value is a secret string is the field's type (SecretStr), not this table.
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
    """SSM Parameter Store (SecureString, decrypted) through Powertools' SSMProvider, each value
    cached for ``max_age`` seconds; a Secrets Manager secret works through the
    ``/aws/reference/secretsmanager/<name>`` path."""

    def __init__(self, client: Any = None, region: str | None = None, max_age: int = 300) -> None:
        require("aws_lambda_powertools", "aws")
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("ssm", region_name=region)
        self.client = client
        self.max_age = max_age
        self.provider = SSMProvider(boto3_client=client)

    def get_many(self, names: list[str]) -> dict[str, str]:
        # One GetParameter per name: the functions' roles grant exactly ssm:GetParameter on
        # their own parameters (a handful, read again only after max_age).
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        out: dict[str, str] = {}
        for name in names:
            try:
                out[name] = str(self.provider.get(name, max_age=self.max_age, decrypt=True))
            except GetParameterError as exc:
                if "ParameterNotFound" not in str(exc):  # the error text names the parameter, never a value
                    raise ConfigurationError(f"SSM parameter {name} could not be read: {exc}",
                                             hint="check the function's ssm:GetParameter permission") from None
                raise ConfigurationError(f"SSM parameter not found: {name}",
                                         hint="create it (see infra/sam/README.md) or fix the *_PARAMETER setting") from None
        return out


@lru_cache(maxsize=4)
def shared_store(region: str, max_age: int) -> SsmSecretStore:
    """The process's store: its cache outlives one invocation (warm starts reuse values within max_age)."""
    return SsmSecretStore(region=region, max_age=max_age)


def resolve_secrets(settings: Settings, store: SecretStore | None = None) -> Settings:
    """Return settings with every configured ``*_parameter`` resolved into its field."""
    wanted = {field: str(settings.value(param)) for field, param in SECRET_PARAMETERS.items()
              if settings.value(param) and not settings.value(field)}
    if not wanted:
        return settings
    store = store or shared_store(settings.aws.region, settings.aws.secrets_max_age_seconds)
    values = store.get_many(sorted(set(wanted.values())))
    # with_values validates: a SecretStr field gets a SecretStr by its type.
    return settings.with_values(**{field: values[name] for field, name in wanted.items()})
