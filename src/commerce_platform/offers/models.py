"""Models for every seed file format of the offers service (ARCHITECTURE 5.1-5.3)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The ERP and catalog models are shared with the ERP port; re-exported here for existing callers.
from ..erp_models import CatalogProduct as CatalogProduct
from ..erp_models import ErpOffer as ErpOffer
from ..erp_models import ErpRow as ErpRow

SWAP_HEADER = [
    "customer_term", "matched_product_code", "matched_product_name", "confidence_score",
    "reasoning", "match_type", "timestamp", "source_files",
]

ReviewStatus = Literal["pending", "approved", "rejected"]


class MatchDetails(BaseModel):
    model_config = ConfigDict(extra="allow")
    original_customer_term: str = ""


class AiMatchedProduct(BaseModel):
    """One AI-proposed offer line (seed's ``ai_matched_products[]``)."""

    model_config = ConfigDict(extra="allow")
    product_code: str
    product_name: str = ""
    quantity: float = 0
    unit: str = ""
    price: float | None = None
    confidence_score: float | None = None
    match_method: str | None = None
    product_group: str = ""
    match_details: MatchDetails = Field(default_factory=MatchDetails)
    pricing: dict[str, Any] | None = None

    @property
    def customer_term(self) -> str:
        return self.match_details.original_customer_term


class OfferRequest(BaseModel):
    """``offer-requests/{offer_number}_{timestamp}.json``: the AI offer context. Extra fields are kept."""

    model_config = ConfigDict(extra="allow")
    offer_number: str = Field(min_length=1)
    timestamp: str
    email: dict[str, Any] | str | None = None
    customer: dict[str, Any] | str | None = None
    ai_matched_products: list[AiMatchedProduct] = Field(default_factory=list)

    @field_validator("offer_number", mode="before")
    @classmethod
    def _offer_number_str(cls, value: Any) -> Any:
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9-]+", value):
            raise ValueError("offer_number may contain only letters, digits and '-'")
        return value


class LearningState(BaseModel):
    """``learning-state/{offer_number}.json``."""

    offer_number: str
    last_processed_hash: str
    last_check_timestamp: str


class SwapRow(BaseModel):
    """A row of ``learnings/product_swaps.csv`` (header SWAP_HEADER, exactly)."""

    customer_term: str
    matched_product_code: str
    matched_product_name: str
    confidence_score: float = Field(ge=0, le=1)
    reasoning: str = ""
    match_type: str = "learned_swap"
    timestamp: str = ""
    source_files: str = ""  # ';'-separated offer request file names

    @property
    def sources(self) -> list[str]:
        # "+N more in learning_meta.json" stands for files the CSV leaves out; not a file itself
        return [s for s in self.source_files.split(";") if s and not s.startswith(MORE_PREFIX)]


MORE_PREFIX = "+"  # a source_files entry counting the files the CSV leaves out

_RULE_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}):\s*(.+?)\s*$")


class RuleLine(BaseModel):
    """A line of ``learnings/general_rules.txt``: ``YYYY-MM-DD: rule``."""

    day: date
    rule: str = Field(min_length=1)

    @classmethod
    def parse(cls, line: str) -> RuleLine:
        m = _RULE_LINE.match(line)
        if not m:
            raise ValueError(f"rule line {line!r} is not 'YYYY-MM-DD: rule'")
        return cls(day=date.fromisoformat(m.group(1)), rule=m.group(2))

    def format(self) -> str:
        return f"{self.day.isoformat()}: {self.rule}"
