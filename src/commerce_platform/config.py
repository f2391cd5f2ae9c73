"""One Settings object for the whole platform (environment prefix ``COMMERCE_``).

Settings are grouped per service (``settings.offers``, ``settings.copilot``, ``settings.exports``,
``settings.support``, ``settings.tutor``, ``settings.aws``, plus the shared ``llm``, ``api`` and
``cache``); what every service needs (profile, home, databases, logging) stays on the top level.
The environment names are flat and unchanged (``COMMERCE_OFFERS_BUCKET`` sets
``settings.offers.bucket``): :data:`FLAT_FIELDS` is the one table from an environment name to its
nested field; ``scripts/nest_settings.py`` rewrites code with the same table.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .errors import ConfigurationError

LOCAL_PRINCIPAL = "local"  # the one caller of a local app without named API keys


class HomePaths:
    """The local data home layout (ARCHITECTURE section 4)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def objects(self) -> Path:
        return self.root / "objects"

    def bucket(self, name: str) -> Path:
        return self.objects / name

    @property
    def erp(self) -> Path:
        return self.root / "erp"

    @property
    def erp_products(self) -> Path:
        return self.erp / "products.csv"

    @property
    def retail_lake(self) -> Path:
        return self.root / "lake" / "retail"

    @property
    def iceberg(self) -> Path:
        return self.root / "lake" / "iceberg"

    @property
    def iceberg_catalog(self) -> Path:
        return self.iceberg / "catalog.db"

    @property
    def iceberg_warehouse(self) -> Path:
        return self.iceberg / "warehouse"

    @property
    def platform_db(self) -> Path:
        return self.root / "platform.db"

    @property
    def indexes(self) -> Path:
        """Local vector indexes (not a contract path; owned by the vector index port)."""
        return self.root / "indexes"

    def ensure(self) -> HomePaths:
        self.root.mkdir(parents=True, exist_ok=True)
        return self


class _Group(BaseModel):
    # Assignment is validated like construction (tests and benchmarks set fields on a copy).
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class LLMSettings(_Group):
    """LLMs: offline means the deterministic algorithms only."""

    provider: Literal["offline", "gemini", "bedrock"] = "offline"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    bedrock_model_id: str = "anthropic.claude-3-5-sonnet-20240620-v1:0"


class ApiSettings(_Group):
    """HTTP. Callers: one shared key (one principal), or named keys "alice=KEY1,bob=KEY2" (each key
    names its principal). With neither, a local app is open as one "local" principal; on AWS the
    principal is the JWT ``sub`` from the API Gateway authorizer. Who may approve a copilot answer
    as a shared few-shot example: principal names locally, members of ``reviewer_group`` (in the
    JWT claim ``reviewer_claim``) on AWS."""

    api_key: SecretStr | None = None
    api_keys: SecretStr | None = None
    reviewers: str = ""
    reviewer_group: str = "copilot-reviewers"
    reviewer_claim: str = "cognito:groups"
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:8501"])


class CacheSettings(_Group):
    ttl_seconds: int = 300
    max_size: int = 1024


class AwsSettings(_Group):
    """AWS clients, and the names of the SSM SecureStrings that hold secrets on AWS."""

    region: str = "eu-north-1"
    dynamodb_table_prefix: str = "commerce-"
    dynamodb_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None
    lemonsoft_password_parameter: str | None = None
    lemonsoft_api_key_parameter: str | None = None
    gemini_api_key_parameter: str | None = None
    database_url_parameter: str | None = None
    export_source_url_parameter: str | None = None
    # A secret read from SSM is reused for this long, then read again: a rotated secret is picked
    # up by a warm function within this many seconds.
    secrets_max_age_seconds: int = Field(default=300, ge=0)


class OffersSettings(_Group):
    """Offer learning: its bucket and the ERP (local folder unless a Lemonsoft URL is configured)."""

    bucket: str = "offer-learning-data"
    lemonsoft_url: str | None = None
    lemonsoft_username: str | None = None
    lemonsoft_password: SecretStr | None = None
    lemonsoft_database: str | None = None
    lemonsoft_api_key: SecretStr | None = None
    erp_timeout_seconds: float = 30.0
    erp_retries: int = 3
    # Offer documents fetched at once from a remote ERP (the local folder is read in order).
    erp_concurrency: int = Field(default=8, ge=1, le=64)


class SupportSettings(_Group):
    """Support: knowledge base (local hybrid index in the home, or a Bedrock Knowledge Base on AWS)
    and the customer DB ("auto" = database_url, else the home's SQLite locally; "off" = none:
    tickets get a placeholder profile marked as such)."""

    kb_bucket: str = "kb-docs"
    kb_backend: Literal["local", "bedrock"] = "local"
    bedrock_kb_id: str | None = None
    bedrock_kb_data_source_id: str | None = None
    kb_chunk_tokens: int = 300
    kb_chunk_overlap_tokens: int = 50
    customer_db: Literal["auto", "off"] = "auto"
    interaction_ttl_days: int = 180


class ExportsSettings(_Group):
    download_concurrency: int = 32
    embed_concurrency: int = 48  # Titan calls in flight: 48 x 1/0.15 s >= 32 downloads x 1/0.1 s (README)
    source_url: str | None = None
    image_embedder: Literal["offline", "titan"] = "offline"
    images_bucket: str = "smartgo-images"
    embeddings_bucket: str = "smartgo-embeddings"  # embedding cache by image sha256
    iceberg_catalog: Literal["sql", "glue", "rest"] = "sql"
    iceberg_uri: str | None = None  # SQL catalog URL / S3 Tables REST endpoint
    iceberg_warehouse: str | None = None  # e.g. s3://bucket/warehouse or an S3 Tables ARN
    flush_rows: int = 5000


class CopilotSettings(_Group):
    conversation_ttl_days: int = 30
    athena_workgroup: str = "primary"
    athena_database: str = "retail"
    athena_output_location: str | None = None
    query_timeout_seconds: float = 20.0
    memory_limit: str = "1GB"


class TutorSettings(_Group):
    """The tutor has no settings of its own yet: it uses ``llm``, ``text_embedder`` and the databases."""


# Environment name (without COMMERCE_) -> nested field. Names not listed are top-level fields of
# the same name. The only table of the nesting: config and scripts/nest_settings.py read it.
FLAT_FIELDS: dict[str, str] = {
    "llm_provider": "llm.provider",
    "gemini_api_key": "llm.gemini_api_key",
    "gemini_model": "llm.gemini_model",
    "bedrock_model_id": "llm.bedrock_model_id",
    "api_key": "api.api_key",
    "api_keys": "api.api_keys",
    "reviewers": "api.reviewers",
    "reviewer_group": "api.reviewer_group",
    "reviewer_claim": "api.reviewer_claim",
    "cors_origins": "api.cors_origins",
    "cache_ttl_seconds": "cache.ttl_seconds",
    "cache_max_size": "cache.max_size",
    "aws_region": "aws.region",
    "dynamodb_table_prefix": "aws.dynamodb_table_prefix",
    "dynamodb_endpoint_url": "aws.dynamodb_endpoint_url",
    "s3_endpoint_url": "aws.s3_endpoint_url",
    "lemonsoft_password_parameter": "aws.lemonsoft_password_parameter",
    "lemonsoft_api_key_parameter": "aws.lemonsoft_api_key_parameter",
    "gemini_api_key_parameter": "aws.gemini_api_key_parameter",
    "database_url_parameter": "aws.database_url_parameter",
    "export_source_url_parameter": "aws.export_source_url_parameter",
    "secrets_max_age_seconds": "aws.secrets_max_age_seconds",
    "offers_bucket": "offers.bucket",
    "lemonsoft_url": "offers.lemonsoft_url",
    "lemonsoft_username": "offers.lemonsoft_username",
    "lemonsoft_password": "offers.lemonsoft_password",
    "lemonsoft_database": "offers.lemonsoft_database",
    "lemonsoft_api_key": "offers.lemonsoft_api_key",
    "erp_timeout_seconds": "offers.erp_timeout_seconds",
    "erp_retries": "offers.erp_retries",
    "erp_concurrency": "offers.erp_concurrency",
    "kb_bucket": "support.kb_bucket",
    "kb_backend": "support.kb_backend",
    "bedrock_kb_id": "support.bedrock_kb_id",
    "bedrock_kb_data_source_id": "support.bedrock_kb_data_source_id",
    "kb_chunk_tokens": "support.kb_chunk_tokens",
    "kb_chunk_overlap_tokens": "support.kb_chunk_overlap_tokens",
    "support_customer_db": "support.customer_db",
    "support_interaction_ttl_days": "support.interaction_ttl_days",
    "export_download_concurrency": "exports.download_concurrency",
    "export_embed_concurrency": "exports.embed_concurrency",
    "export_source_url": "exports.source_url",
    "export_image_embedder": "exports.image_embedder",
    "export_images_bucket": "exports.images_bucket",
    "export_embeddings_bucket": "exports.embeddings_bucket",
    "export_iceberg_catalog": "exports.iceberg_catalog",
    "export_iceberg_uri": "exports.iceberg_uri",
    "export_iceberg_warehouse": "exports.iceberg_warehouse",
    "export_flush_rows": "exports.flush_rows",
    "conversation_ttl_days": "copilot.conversation_ttl_days",
    "athena_workgroup": "copilot.athena_workgroup",
    "athena_database": "copilot.athena_database",
    "athena_output_location": "copilot.athena_output_location",
    "copilot_query_timeout_seconds": "copilot.query_timeout_seconds",
    "copilot_memory_limit": "copilot.memory_limit",
}
_NESTED_TO_FLAT = {path: flat for flat, path in FLAT_FIELDS.items()}


class Settings(BaseSettings):
    """Platform settings. Every field is set by its flat environment name ``COMMERCE_<NAME>`` (or
    in ``.env``); keyword arguments take the same flat names (or whole groups)."""

    model_config = SettingsConfigDict(env_prefix="COMMERCE_", env_file=".env", extra="ignore")

    home: Path = Field(default=Path(".commerce"), description="local data home")
    profile: Literal["local", "aws"] = "local"
    environment: str = Field(default="development", validation_alias="ENVIRONMENT")
    log_level: str = "INFO"
    # text (one readable line per record) or json (seed 000's JSON lines); unset: json inside Lambda, else text
    log_format: Literal["text", "json"] | None = None

    # Key-value tables: a SQLAlchemy URL locally (default <home>/platform.db), DynamoDB on aws.
    kv_url: str | None = None
    # Databases for services (SQLite in the home by default).
    database_url: str | None = None
    redis_url: str | None = None
    # Text embeddings (support, tutor, offers): offline char n-gram by default.
    text_embedder: Literal["ngram", "minilm", "titan"] = "ngram"
    # Hosts or CIDRs that URL fetching may reach besides public addresses (comma-separated).
    fetch_allow_hosts: str = ""

    llm: LLMSettings = Field(default_factory=LLMSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    aws: AwsSettings = Field(default_factory=AwsSettings)
    offers: OffersSettings = Field(default_factory=OffersSettings)
    support: SupportSettings = Field(default_factory=SupportSettings)
    exports: ExportsSettings = Field(default_factory=ExportsSettings)
    copilot: CopilotSettings = Field(default_factory=CopilotSettings)
    tutor: TutorSettings = Field(default_factory=TutorSettings)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment (and .env) is read by flat name; keyword arguments win over it.
        return (init_settings, _FlatEnvironment(settings_cls))

    @model_validator(mode="before")
    @classmethod
    def _nest_flat_names(cls, data: Any) -> Any:
        return _nest(data) if isinstance(data, dict) else data

    @field_validator("home", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        if isinstance(value, str):
            return Path(os.path.expanduser(value))
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @classmethod
    def env_names(cls) -> dict[str, str]:
        """Every field settable from the environment: flat name (``COMMERCE_`` + upper) -> dotted path."""
        top = {name: name for name, f in cls.model_fields.items() if not _is_group(f)}
        return {**top, **FLAT_FIELDS}

    @classmethod
    def field_info(cls, flat_name: str) -> FieldInfo:
        """The field behind a flat (environment) name."""
        path = cls.env_names()[flat_name].split(".")
        model: type[BaseModel] = cls
        for part in path[:-1]:
            model = model.model_fields[part].annotation  # type: ignore[assignment]
        return model.model_fields[path[-1]]

    def value(self, flat_name: str) -> Any:
        """The value behind a flat (environment) name."""
        target: Any = self
        for part in self.env_names()[flat_name].split("."):
            target = getattr(target, part)
        return target

    def with_values(self, **changes: Any) -> Settings:
        """A validated copy with fields changed, by flat name or whole group."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return type(self).model_validate(_nest(data))

    @cached_property
    def paths(self) -> HomePaths:
        return HomePaths(Path(self.home).resolve())

    @property
    def is_production(self) -> bool:
        return self.environment.lower() == "production"

    def platform_db_url(self) -> str:
        """SQLAlchemy URL of the key-value store (SQLite in the home unless configured)."""
        if self.kv_url:
            return self.kv_url
        self.paths.ensure()
        return f"sqlite:///{self.paths.platform_db}"

    def service_db_url(self) -> str:
        """SQLAlchemy URL for relational service data (support, tutor)."""
        return self.database_url or self.platform_db_url()

    def api_principals(self) -> dict[str, str]:
        """API key -> principal name, from COMMERCE_API_KEYS and COMMERCE_API_KEY (principal "local")."""
        keys: dict[str, str] = {}
        raw = self.api.api_keys.get_secret_value() if self.api.api_keys else ""
        for n, entry in enumerate(e.strip() for e in raw.split(",")):
            if not entry:
                continue
            name, sep, key = (p.strip() for p in entry.partition("="))
            if not sep or not name or not key:  # never echo the entry: it holds a key
                raise ConfigurationError(f"COMMERCE_API_KEYS: entry {n + 1} is not name=key", field="api_keys",
                                         hint='use "alice=KEY1,bob=KEY2"')
            if key in keys and keys[key] != name:
                raise ConfigurationError(f"COMMERCE_API_KEYS: one key is given to {keys[key]!r} and {name!r}",
                                         field="api_keys", hint="give every principal its own key")
            keys[key] = name
        if self.api.api_key and self.api.api_key.get_secret_value():
            keys.setdefault(self.api.api_key.get_secret_value(), LOCAL_PRINCIPAL)
        return keys

    def reviewer_names(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.api.reviewers.split(",") if r.strip())

    def allowed_fetch_hosts(self) -> list[str]:
        return [h.strip() for h in self.fetch_allow_hosts.split(",") if h.strip()]


def _is_group(field: FieldInfo) -> bool:
    return isinstance(field.annotation, type) and issubclass(field.annotation, _Group)


def _nest(data: dict[str, Any]) -> dict[str, Any]:
    """Flat names (``offers_bucket``) moved into their groups (``{"offers": {"bucket": ...}}``)."""
    out: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        (flat if key in FLAT_FIELDS else out)[key] = value
    for key, value in flat.items():  # a flat name wins over the same field inside a group
        group, leaf = FLAT_FIELDS[key].split(".")
        current = out.get(group)
        if isinstance(current, BaseModel):
            current = current.model_dump()
        out[group] = {**(current or {}), leaf: value}
    return out


def is_secret(field: FieldInfo) -> bool:
    """A secret is a field typed SecretStr (or SecretStr | None), whatever its name."""
    annotation = field.annotation
    if annotation is SecretStr:
        return True
    return get_origin(annotation) in (Union, type(SecretStr | None)) and SecretStr in get_args(annotation)


def _flat_environment_model() -> type[BaseSettings]:
    """A flat BaseSettings with every environment name and its field's type: pydantic-settings then
    reads and decodes ``COMMERCE_<NAME>`` (JSON lists included) exactly as for a flat model."""
    fields: dict[str, Any] = {}
    for flat in Settings.env_names():
        info = Settings.field_info(flat)
        # Scalars stay the raw strings (the nested model validates them and its error shows what was
        # set); lists are decoded from JSON here as pydantic-settings does for a flat model.
        annotation: Any = info.annotation if get_origin(info.annotation) is list else str
        fields[flat] = (annotation | None, FieldInfo(default=None, validation_alias=info.validation_alias))
    model: type[BaseSettings] = create_model("_FlatSettings", __base__=_FlatBase, **fields)
    return model


class _FlatBase(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMMERCE_", env_file=".env", extra="ignore")


class _FlatEnvironment(PydanticBaseSettingsSource):
    """Settings source: the flat environment names, as the nested dict Settings validates."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads every name at once

    def __call__(self) -> dict[str, Any]:
        try:
            flat = _flat_model()()
        except ValidationError as exc:
            raise _settings_error(exc) from None
        values = flat.model_dump(exclude_unset=True)
        for name, field in Settings.model_fields.items():  # a top-level alias (ENVIRONMENT) is its key
            if isinstance(field.validation_alias, str) and name in values:
                values[field.validation_alias] = values.pop(name)
        return _nest(values)


_FLAT_MODEL: list[type[BaseSettings]] = []


def _flat_model() -> type[BaseSettings]:
    if not _FLAT_MODEL:
        _FLAT_MODEL.append(_flat_environment_model())
    return _FLAT_MODEL[0]


def load_settings(home: str | Path | None = None, **overrides: object) -> Settings:
    """Settings from the environment; ``home`` (the CLI's ``--home``) wins over COMMERCE_HOME."""
    if home is not None:
        overrides["home"] = Path(home)
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise _settings_error(exc) from None
    if settings.profile == "aws":
        from .ports.secrets import resolve_secrets

        settings = resolve_secrets(settings)
    return settings


def _settings_error(exc: ValidationError) -> ConfigurationError:
    """A bad setting names its environment variable and what it must be, not a traceback."""
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ())]
    name = ""
    if loc:
        name = _NESTED_TO_FLAT.get(".".join(loc[:2]), loc[0])
    variable = f"COMMERCE_{name.upper()}" if name else "a COMMERCE_ setting"
    value = err.get("input")
    shown = "" if isinstance(value, dict | BaseModel) or name.endswith(("password", "key", "keys", "secret", "token")) \
        else f" (got {value!r})"
    return ConfigurationError(f"{variable}: {err['msg']}{shown}", field=name or None,
                              hint=f"fix {variable} in the environment or .env")
