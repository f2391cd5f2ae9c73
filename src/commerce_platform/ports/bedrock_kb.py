"""Bedrock Knowledge Bases adapter: ``retrieve`` on bedrock-agent-runtime for search,
``start_ingestion_job`` on bedrock-agent for sync (Bedrock reads the kb-docs S3 bucket itself).
Answers in the knowledge base's own types (ports/kb_models.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError, UpstreamError, require
from .kb_models import KbResult, SyncReport

if TYPE_CHECKING:
    from ..config import Settings


def _filter(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not filters:
        return None
    parts = []
    for key, value in filters.items():
        if isinstance(value, list | tuple | set):
            parts.append({"in": {"key": key, "value": list(value)}})
        else:
            parts.append({"equals": {"key": key, "value": value}})
    return parts[0] if len(parts) == 1 else {"andAll": parts}


def _source(location: dict[str, Any]) -> str:
    uri: str = (location.get("s3Location") or {}).get("uri", "")
    if uri.startswith("s3://"):
        return uri[5:].split("/", 1)[1] if "/" in uri[5:] else uri
    kind: str = location.get("type", "")
    return uri or kind


class BedrockKnowledgeBase:
    def __init__(self, knowledge_base_id: str, data_source_id: str | None = None, *, runtime_client: Any = None,
                 agent_client: Any = None, region: str | None = None) -> None:
        self.knowledge_base_id = knowledge_base_id
        self.data_source_id = data_source_id
        if runtime_client is None or agent_client is None:
            boto3 = require("boto3", "aws")
            runtime_client = runtime_client or boto3.client("bedrock-agent-runtime", region_name=region)
            agent_client = agent_client or boto3.client("bedrock-agent", region_name=region)
        self.runtime = runtime_client
        self.agent = agent_client

    @classmethod
    def from_settings(cls, settings: Settings) -> BedrockKnowledgeBase:
        if not settings.support.bedrock_kb_id:
            raise ConfigurationError("kb_backend=bedrock needs a knowledge base id",
                                     hint="set COMMERCE_BEDROCK_KB_ID (and COMMERCE_BEDROCK_KB_DATA_SOURCE_ID)")
        return cls(settings.support.bedrock_kb_id, settings.support.bedrock_kb_data_source_id, region=settings.aws.region)

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[KbResult]:
        vector_cfg: dict[str, Any] = {"numberOfResults": k, "overrideSearchType": "HYBRID"}
        flt = _filter(filters)
        if flt:
            vector_cfg["filter"] = flt
        try:
            resp = self.runtime.retrieve(knowledgeBaseId=self.knowledge_base_id, retrievalQuery={"text": query},
                                         retrievalConfiguration={"vectorSearchConfiguration": vector_cfg})
        except Exception as exc:
            raise UpstreamError(f"Bedrock knowledge base retrieve failed: {exc}") from exc
        out = []
        for i, r in enumerate(resp.get("retrievalResults", [])):
            meta = r.get("metadata") or {}
            out.append(KbResult(source=_source(r.get("location") or {}), text=(r.get("content") or {}).get("text", ""),
                                score=float(r.get("score", 0.0)), heading=str(meta.get("heading", "")),
                                id=str(meta.get("x-amz-bedrock-kb-chunk-id", f"bedrock#{i}")),
                                category=meta.get("category")))
        return out

    def sync(self) -> SyncReport:
        if not self.data_source_id:
            raise ConfigurationError("Bedrock KB sync needs the data source id",
                                     hint="set COMMERCE_BEDROCK_KB_DATA_SOURCE_ID")
        try:
            resp = self.agent.start_ingestion_job(knowledgeBaseId=self.knowledge_base_id,
                                                  dataSourceId=self.data_source_id,
                                                  description="commerce kb sync")
        except Exception as exc:
            raise UpstreamError(f"Bedrock ingestion job could not start: {exc}") from exc
        job = resp.get("ingestionJob", {})
        return SyncReport(backend="bedrock", ingestion_job_id=job.get("ingestionJobId"))
