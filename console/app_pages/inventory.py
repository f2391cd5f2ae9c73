"""Inventory: the products at or below their reorder level - stock against the reorder level per product,
out-of-stock ones marked - from the copilot service's low-stock overview (GET /copilot/inventory)."""

from __future__ import annotations

import pandas as pd
import services
import shared
import streamlit as st

HOME = shared.home()


@st.cache_data(ttl=30, show_spinner=False)
def low_stock(home: str) -> dict:
    return shared.copilot_for(home).inventory(limit=100)


st.title("Inventory")
st.caption("Products whose stock (all warehouses) is at or below their reorder level. Bars are the stock, the "
           "black tick the reorder level; a red dot and \"0 - out of stock\" mark products with nothing left.")

if st.button("Refresh", icon=":material/refresh:", key="inventory_refresh"):
    low_stock.clear()

with shared.panel("The low-stock overview"):
    doc = low_stock(HOME)
    items = doc["low_stock"]
    m = st.columns(3)
    m[0].metric("At or below reorder level", services.number_text(doc["count"]))
    m[1].metric("Out of stock", services.number_text(doc["out_of_stock"]))
    m[2].metric("Units short of the reorder levels",
                services.number_text(services.units_short(items)))
    if not items:
        st.success("Every product is above its reorder level.")
    else:
        st.subheader("Stock vs reorder level")
        st.altair_chart(services.stock_chart(items, label="name"), width="stretch")
        st.dataframe(services.styled(pd.DataFrame(items)[["sku", "name", "category", "stock", "reorder_level"]]),
                     hide_index=True, width="stretch")
        with st.expander("SQL"):
            st.code(doc["sql"], language="sql")
