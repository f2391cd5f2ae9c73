"""Pick adapters from Settings. Adding a backend is adding one module and one line here."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .config import Settings
from .ports.kv import KeyValueTable, TableSpec

if TYPE_CHECKING:  # the port types only: their modules (numpy, the offer models) load on first use
    from sqlalchemy.engine import Engine

    from .ports.erp import ERP
    from .ports.llm import LLM
    from .ports.objectstore import ObjectStore
    from .ports.text_embeddings import TextEmbedder
    from .ports.vector_index import VectorIndex


@lru_cache(maxsize=16)
def sql_engine(url: str) -> Engine:
    """One SQLAlchemy engine per URL per process."""
    import sqlalchemy as sa

    kwargs: dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    engine = sa.create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # WAL lets readers and one writer work at once
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    return engine


def object_store(settings: Settings) -> ObjectStore:
    if settings.profile == "aws":
        from .ports.objectstore import S3ObjectStore

        return S3ObjectStore(region=settings.aws.region, endpoint_url=settings.aws.s3_endpoint_url)
    from .ports.objectstore import LocalObjectStore

    return LocalObjectStore(settings.paths.objects)


def kv_table(settings: Settings, spec: TableSpec) -> KeyValueTable:
    if settings.profile == "aws":
        from .ports.kv import DynamoKeyValueTable

        return DynamoKeyValueTable(spec, prefix=settings.aws.dynamodb_table_prefix, region=settings.aws.region,
                                   endpoint_url=settings.aws.dynamodb_endpoint_url)
    from .ports.kv import SqlKeyValueTable

    return SqlKeyValueTable(sql_engine(settings.platform_db_url()), spec)


def llm(settings: Settings) -> LLM | None:
    """The configured LLM, or None for offline (callers then use their deterministic path)."""
    if settings.llm.provider == "gemini":
        from .ports.llm import GeminiLLM

        key = settings.llm.gemini_api_key.get_secret_value() if settings.llm.gemini_api_key else None
        return GeminiLLM(api_key=key, model=settings.llm.gemini_model)
    if settings.llm.provider == "bedrock":
        from .ports.llm import BedrockLLM

        return BedrockLLM(model_id=settings.llm.bedrock_model_id, region=settings.aws.region)
    return None


def erp(settings: Settings) -> ERP:
    if settings.offers.lemonsoft_url:
        from .ports.erp import LemonsoftERP

        secret = settings.offers.lemonsoft_password.get_secret_value() if settings.offers.lemonsoft_password else ""
        api_key = settings.offers.lemonsoft_api_key.get_secret_value() if settings.offers.lemonsoft_api_key else ""
        return LemonsoftERP(settings.offers.lemonsoft_url, settings.offers.lemonsoft_username or "", secret,
                            settings.offers.lemonsoft_database or "", api_key, timeout=settings.offers.erp_timeout_seconds,
                            retries=settings.offers.erp_retries, concurrency=settings.offers.erp_concurrency)
    from .ports.erp import LocalERP

    return LocalERP(settings.paths.erp)


def text_embedder(settings: Settings) -> TextEmbedder:
    from .ports.text_embeddings import get_text_embedder

    if settings.text_embedder == "titan":
        return get_text_embedder("titan", region=settings.aws.region)
    return get_text_embedder(settings.text_embedder)


def vector_index(settings: Settings, name: str) -> VectorIndex:
    """Local numpy index at ``<home>/indexes/<name>``."""
    from .ports.vector_index import LocalVectorIndex

    return LocalVectorIndex(settings.paths.indexes / name)
