""""and for the whole year?" after Q3 2026: the whole of the year (quarter, month) the previous period lies in, up to
the as-of day (was: refused, or the previous figure split by year)."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .periods import _month_end
from .query import Period, QueryForm

if TYPE_CHECKING:
    from .parser import _State


def _whole(unit: str, start: date, end: date) -> tuple[date, date, str] | None:
    """The one ``unit`` holding both ``start`` and ``end`` (its first and last day, its name); None when they lie in
    two of them."""
    if start.year != end.year:
        return None
    if unit == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31), str(start.year)
    if unit == "quarter" and (start.month - 1) // 3 == (end.month - 1) // 3:
        first = 3 * ((start.month - 1) // 3) + 1
        last = _month_end(start.year, first + 2)
        return date(start.year, first, 1), last, f"Q{(first - 1) // 3 + 1} {start.year}"
    if unit == "month" and start.month == end.month:
        last = _month_end(start.year, start.month)
        return date(start.year, start.month, 1), last, f"{calendar.month_name[start.month]} {start.year}"
    return None


def whole_of_previous_period(state: _State, context: QueryForm) -> None:
    """A follow-up naming no period but "the whole year" (layer grammar whole_period): the previous period widened
    to the whole unit it lies in, the as-of day's data the last (the period the question then names)."""
    said = state.layer.grammar.get("whole_period", {})
    words, units = set(said.get("words", [])), set(said.get("units", []))
    if state.periods or context.period is None or context.period.start_date <= date(1900, 1, 1):
        return
    spans = state.spans
    for a, b in zip(spans, spans[1:], strict=False):
        if a.text in words and b.first("grain") is not None and str(b.arg("grain")) in units and not b.used:
            whole = _whole(str(b.arg("grain")), context.period.start_date, context.period.end_date)
            if whole is None:
                return
            start, end, name = whole
            end = min(end, state.as_of - timedelta(days=1))
            state.periods.append(Period(start.isoformat(), end.isoformat(), f"the whole of {name}"))
            a.used = b.used = True
            return
