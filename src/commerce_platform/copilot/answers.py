"""Short prose answers from the result shape and what the question meant (offline)."""

from __future__ import annotations

from typing import Any

MONEY_COLUMNS = ("revenue", "total_amount", "average_order_value", "unit_price", "unit_cost", "line_amount")


def _fmt(value: Any, column: str = "") -> str:
    if isinstance(value, float):
        if "margin" in column:
            return f"{value:.1%}"
        if column in MONEY_COLUMNS or column.endswith("revenue"):
            return f"{value:,.2f} EUR"
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "none" if value is None else str(value)


def compose(question: str, columns: list[str], rows: list[list[Any]], interpretation: str = "",
            truncated: bool = False) -> str:
    if not rows:
        return f"No matching rows ({interpretation})." if interpretation else "No matching rows."
    if len(rows) == 1 and len(columns) == 1:
        return f"{columns[0].replace('_', ' ')}: {_fmt(rows[0][0], columns[0])} ({interpretation})."
    if len(rows) == 1:
        pairs = ", ".join(f"{c.replace('_', ' ')} {_fmt(v, c)}" for c, v in zip(columns, rows[0], strict=False))
        return f"{pairs}."
    numeric = [i for i, v in enumerate(rows[0]) if isinstance(v, (int, float)) and not isinstance(v, bool)
               and not columns[i].endswith("_id")]
    label_idx = next((i for i, v in enumerate(rows[0]) if isinstance(v, str)), 0)
    more = " (first 1000 shown)" if truncated else ""
    text = f"{len(rows)} rows{more} ({interpretation})."
    if numeric:
        vi = numeric[-1]
        top = rows[0]
        text += (f" First: {_fmt(top[label_idx], columns[label_idx])} with {columns[vi].replace('_', ' ')} "
                 f"{_fmt(top[vi], columns[vi])}.")
        if all(isinstance(r[vi], (int, float)) for r in rows) and columns[vi] not in ("quantity_on_hand",):
            total = sum(r[vi] for r in rows)
            if columns[vi] in ("revenue", "orders", "units_sold", "customers", "products", "shipments", "stock"):
                text += f" Total {columns[vi].replace('_', ' ')}: {_fmt(total, columns[vi])}."
    else:
        names = ", ".join(_fmt(r[label_idx]) for r in rows[:5])
        text += f" E.g. {names}{', ...' if len(rows) > 5 else ''}."
    return text
