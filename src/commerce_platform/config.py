"""One Settings object for the whole platform (environment prefix ``COMMERCE_``)."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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


class Settings(BaseSettings):
    """Platform settings. Every field can be set as ``COMMERCE_<FIELD>`` or in ``.env``."""

    model_config = SettingsConfigDict(env_prefix="COMMERCE_", env_file=".env", extra="ignore")

    home: Path = Field(default=Path(".commerce"), description="local data home")
    profile: Literal["local", "aws"] = "local"
    environment: str = Field(default="development", validation_alias="ENVIRONMENT")
    log_level: str = "INFO"
    # text (one readable line per record) or json (seed 000's JSON lines); unset: json inside Lambda, else text
    log_format: Literal["text", "json"] | None = None

    # LLMs: offline means the deterministic algorithms only.
    llm_provider: Literal["offline", "gemini", "bedrock"] = "offline"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    bedrock_model_id: str = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    aws_region: str = "eu-north-1"

    # Object store buckets (seed names) and their AWS names.
    offers_bucket: str = "offer-learning-data"
    kb_bucket: str = "kb-docs"

    # Key-value tables: a SQLAlchemy URL locally (default <home>/platform.db), DynamoDB on aws.
    kv_url: str | None = None
    dynamodb_table_prefix: str = "commerce-"
    dynamodb_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None

    # ERP: local folder unless a Lemonsoft URL is configured.
    lemonsoft_url: str | None = None
    lemonsoft_username: str | None = None
    lemonsoft_password: SecretStr | None = None
    lemonsoft_database: str | None = None
    lemonsoft_api_key: SecretStr | None = None
    erp_timeout_seconds: float = 30.0
    erp_retries: int = 3
    # Offer documents fetched at once from a remote ERP (the local folder is read in order).
    erp_concurrency: int = Field(default=8, ge=1, le=64)

    # Text embeddings: offline char n-gram by default.
    text_embedder: Literal["ngram", "minilm", "titan"] = "ngram"

    # Support knowledge base: local hybrid index in the home, or a Bedrock Knowledge Base on AWS.
    kb_backend: Literal["local", "bedrock"] = "local"
    bedrock_kb_id: str | None = None
    bedrock_kb_data_source_id: str | None = None
    kb_chunk_tokens: int = 300
    kb_chunk_overlap_tokens: int = 50
    # Support customer DB: "auto" = database_url, else the home's SQLite (locally); "off" = no
    # customer database (tickets get a placeholder profile marked as such).
    support_customer_db: Literal["auto", "off"] = "auto"
    support_interaction_ttl_days: int = 180

    # Databases for services (SQLite in the home by default).
    database_url: str | None = None
    # On AWS: names of SSM SecureStrings holding the secrets above (resolved at start-up).
    lemonsoft_password_parameter: str | None = None
    lemonsoft_api_key_parameter: str | None = None
    gemini_api_key_parameter: str | None = None
    database_url_parameter: str | None = None
    export_source_url_parameter: str | None = None
    redis_url: str | None = None

    # HTTP. Callers: one shared key (one principal), or named keys "alice=KEY1,bob=KEY2" (each key
    # names its principal). With neither, a local app is open as one "local" principal; on AWS the
    # principal is the JWT ``sub`` from the API Gateway authorizer.
    api_key: SecretStr | None = None
    api_keys: SecretStr | None = None
    # Who may approve a copilot answer as a shared few-shot example: principal names locally,
    # members of ``reviewer_group`` (in the JWT claim ``reviewer_claim``) on AWS.
    reviewers: str = ""
    reviewer_group: str = "copilot-reviewers"
    reviewer_claim: str = "cognito:groups"
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:8501"])
    fetch_allow_hosts: str = ""

    # Caches
    cache_ttl_seconds: int = 300
    cache_max_size: int = 1024

    # Exports
    export_download_concurrency: int = 32
    export_embed_concurrency: int = 48  # Titan calls in flight: 48 x 1/0.15 s >= 32 downloads x 1/0.1 s (README)
    export_source_url: str | None = None
    export_image_embedder: Literal["offline", "titan"] = "offline"
    export_images_bucket: str = "smartgo-images"
    export_embeddings_bucket: str = "smartgo-embeddings"  # embedding cache by image sha256
    export_iceberg_catalog: Literal["sql", "glue", "rest"] = "sql"
    export_iceberg_uri: str | None = None  # SQL catalog URL / S3 Tables REST endpoint
    export_iceberg_warehouse: str | None = None  # e.g. s3://bucket/warehouse or an S3 Tables ARN
    export_flush_rows: int = 5000

    # Copilot
    conversation_ttl_days: int = 30
    athena_workgroup: str = "primary"
    athena_database: str = "retail"
    athena_output_location: str | None = None
    copilot_query_timeout_seconds: float = 20.0
    copilot_memory_limit: str = "1GB"

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
        from .errors import ConfigurationError

        keys: dict[str, str] = {}
        raw = self.api_keys.get_secret_value() if self.api_keys else ""
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
        if self.api_key and self.api_key.get_secret_value():
            keys.setdefault(self.api_key.get_secret_value(), LOCAL_PRINCIPAL)
        return keys

    def reviewer_names(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.reviewers.split(",") if r.strip())

    def allowed_fetch_hosts(self) -> list[str]:
        return [h.strip() for h in self.fetch_allow_hosts.split(",") if h.strip()]


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


def _settings_error(exc: ValidationError):
    """A bad setting names its environment variable and what it must be, not a traceback."""
    from .errors import ConfigurationError

    err = exc.errors()[0]
    name = str(err["loc"][0]) if err.get("loc") else ""
    variable = f"COMMERCE_{name.upper()}" if name else "a COMMERCE_ setting"
    value = err.get("input")
    shown = "" if isinstance(value, dict) or name.endswith(("password", "key", "secret", "token")) else f" (got {value!r})"
    return ConfigurationError(f"{variable}: {err['msg']}{shown}", field=name or None,
                              hint=f"fix {variable} in the environment or .env")
