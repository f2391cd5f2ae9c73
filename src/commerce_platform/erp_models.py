"""Models shared by the ERP port and the services that use it: the catalog product and the final
ERP offer (ARCHITECTURE 5.3). Neither ports nor services own them, so neither imports the other."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CatalogProduct(BaseModel):
    """A row of ``<home>/erp/products.csv``."""

    product_code: str = Field(min_length=1)
    product_name: str = Field(min_length=1)
    product_group: str = ""
    unit: str = "kpl"
    price: float = 0.0


class ErpRow(BaseModel):
    model_config = ConfigDict(extra="allow")
    product_code: str
    product_name: str = ""
    quantity: float = 0
    unit: str = ""
    price: float | None = None
    discount_percent: float | None = 0.0


class ErpOffer(BaseModel):
    """The final offer as the ERP (Lemonsoft) returns it (format 5.3)."""

    offer_number: str
    updated_at: str = ""
    rows: list[ErpRow] = Field(default_factory=list)

    @field_validator("offer_number", mode="before")
    @classmethod
    def _str(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value
