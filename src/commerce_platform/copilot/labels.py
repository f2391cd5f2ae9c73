"""Labels a grouping's own rows are asked in: "revenue per month this year (month number)" asks the months
shown as their numbers, which the month rows are already (one year's months by their first days); the words
restate the grouping and are placed only when the question groups by that grain within one year (elsewhere
they stay unplaced: the month numbers of several years would merge the years' months, another figure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lexicon import Span
    from .query import QueryForm


def place_grain_labels(spans: list[Span], form: QueryForm, table: dict) -> None:
    """Marks used the words of a label of the grain the form groups by (the layer's grain_labels), said as one
    run of words ("month number", "month as a number"), of a period in one year; a label of another grain, or of
    months over several years, is left unplaced. A date format of the grain (table ``formats``: "as YYYY-MM" of
    months) is placed over any years: the rows name the same periods by their first days."""
    if not form.grain:
        return
    _place(spans, (table.get("formats") or {}).get(form.grain, []))
    period = form.period
    if period is None or period.start_date.year != period.end_date.year:
        return
    _place(spans, table.get(form.grain, []))


def _place(spans: list[Span], labels: list[str]) -> None:
    """Marks used each run of spans whose words are one of ``labels`` (longest first)."""
    phrases = [p.split() for p in labels]
    for words in sorted(phrases, key=len, reverse=True):
        for k in range(len(spans)):
            run, taken = [], 0
            for s in spans[k:]:
                run.append(s)
                taken += len(s.text.split())
                if taken >= len(words):
                    break
            if taken == len(words) and " ".join(s.text for s in run).split() == words:
                for s in run:
                    s.used = True
