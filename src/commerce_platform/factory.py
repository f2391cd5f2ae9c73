"""Pick adapters from Settings. Adding a backend is adding one module and one line here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Settings
from .ports.kv import KeyValueTable, TableSpec
from .ports.sql import sql_engine

if TYPE_CHECKING:
    from .ports.bedrock_kb import BedrockKnowledgeBase
    from .ports.customer_store import CustomerStore
    from .ports.ticket_store import TicketStore
    from .ports.tutor_store import TutorStorePort



def object_store(settings: Settings):
    if settings.profile == "aws":
        from .ports.objectstore import S3ObjectStore

        return S3ObjectStore(region=settings.aws_region, endpoint_url=settings.s3_endpoint_url)
    from .ports.objectstore import LocalObjectStore

    return LocalObjectStore(settings.paths.objects)


def kv_table(settings: Settings, spec: TableSpec) -> KeyValueTable:
    if settings.profile == "aws":
        from .ports.kv import DynamoKeyValueTable

        return DynamoKeyValueTable(spec, prefix=settings.dynamodb_table_prefix, region=settings.aws_region,
                                   endpoint_url=settings.dynamodb_endpoint_url)
    from .ports.kv import SqlKeyValueTable

    return SqlKeyValueTable(sql_engine(settings.platform_db_url()), spec)


def llm(settings: Settings):
    """The configured LLM, or None for offline (callers then use their deterministic path)."""
    if settings.llm_provider == "gemini":
        from .ports.llm import GeminiLLM

        key = settings.gemini_api_key.get_secret_value() if settings.gemini_api_key else None
        return GeminiLLM(api_key=key, model=settings.gemini_model)
    if settings.llm_provider == "bedrock":
        from .ports.llm import BedrockLLM

        return BedrockLLM(model_id=settings.bedrock_model_id, region=settings.aws_region)
    return None


def erp(settings: Settings):
    if settings.lemonsoft_url:
        from .ports.erp import LemonsoftERP

        secret = settings.lemonsoft_password.get_secret_value() if settings.lemonsoft_password else ""
        api_key = settings.lemonsoft_api_key.get_secret_value() if settings.lemonsoft_api_key else ""
        return LemonsoftERP(settings.lemonsoft_url, settings.lemonsoft_username or "", secret,
                            settings.lemonsoft_database or "", api_key, timeout=settings.erp_timeout_seconds,
                            retries=settings.erp_retries, concurrency=settings.erp_concurrency)
    from .ports.erp import LocalERP

    return LocalERP(settings.paths.erp)


def text_embedder(settings: Settings):
    from .ports.text_embeddings import get_text_embedder

    if settings.text_embedder == "titan":
        return get_text_embedder("titan", region=settings.aws_region)
    return get_text_embedder(settings.text_embedder)


def vector_index(settings: Settings, name: str):
    """Local numpy index at ``<home>/indexes/<name>``."""
    from .ports.vector_index import LocalVectorIndex

    return LocalVectorIndex(settings.paths.indexes / name)


def customer_store(settings: Settings) -> CustomerStore:
    """The support desk's customer database (SQL; its tables migrated on first use)."""
    from .ports.customer_store import SqlCustomerStore

    return SqlCustomerStore(sql_engine(settings.service_db_url()))


def ticket_store(settings: Settings) -> TicketStore:
    from .ports.ticket_store import TICKETS, TICKETS_BY_TIME, TicketStore

    return TicketStore(kv_table(settings, TICKETS), kv_table(settings, TICKETS_BY_TIME))


def tutor_store(settings: Settings) -> TutorStorePort:
    """The tutor's exercises, attempts and mastery (SQL; its tables migrated on first use)."""
    from .ports.tutor_store import SqlTutorStore

    return SqlTutorStore(sql_engine(settings.service_db_url()))


def bedrock_knowledge_base(settings: Settings) -> BedrockKnowledgeBase | None:
    """Bedrock Knowledge Bases when ``kb_backend=bedrock``, else None (the local index)."""
    if settings.kb_backend != "bedrock":
        return None
    from .ports.bedrock_kb import BedrockKnowledgeBase

    return BedrockKnowledgeBase.from_settings(settings)
