"""Offline semantic parser: a question becomes a ``QueryForm``, the planner makes the SQL.

Not a list of intents: the question is cut into phrases of the lexicon (built from the
semantic layer and the lake), a small composition grammar (negation, "X vs Y", "by",
superlatives, comparators, "share of", growth, follow-ups) fills the form, and the parse is
accepted only when it explains every content word. Anything left over is "not understood",
naming the words it could not place and what it did understand.
"""

from __future__ import annotations

import calendar
import copy
import gc
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from ..errors import NotFound, NotUnderstood, ValidationFailed
from .followups import (
    EARLIER,
    FOLLOWUP_WORDS,
    INCLUDING,
    PRONOUNS,
    SORTING_VERBS,
    about_previous,
    adds_grouping,
    best_of_the_top,
    between_them,
    change_number,
    column_of_the_ranked,
    complementary,
    count_previous,
    counted,
    counted_of_the_ranked,
    drop_period,
    drop_value,
    earlier_note,
    earlier_period,
    elliptic_count,
    every_group_of_the_ranked,
    figure_of_the_one_answered,
    merge_verbs,
    negate_previous,
    of_the_ranked,
    of_them_counted,
    points_back,
    previous_words,
    ranked_in_another_period,
    related_of_previous,
    relative_to_previous,
    resort,
    same_columns,
    share_whole,
    stands_for_rows,
    that_one_ranked,
    the_related,
    the_superlative,
    total_of_previous,
    unknown_value,
    within_top,
)
from .lexicon import Lexicon, Span, tokenize
from .planner import DEFAULT_TOP, PREVIOUS_ROWS, Planner, fragment
from .query import Filter, Period, QueryForm
from .semantic import SemanticLayer, Vocabulary, per_engine, predicate_spec, vocabulary_for

if TYPE_CHECKING:  # models imports this module's limits
    from .models import QueryType

MAX_QUESTION_CHARS = 500

SUGGESTIONS = [
    "revenue by month in 2025",
    "open orders by channel",
    "top 5 products by units sold last month",
    "which product costs the most",
    "low stock products in Plumbing",
    "average delivery time per carrier in hours",
    "what percentage of orders were returned in 2025",
    "Finland vs Sweden revenue this year",
]

# "customers who ordered before but not (nothing, none) in the last 90 days": the "not" is of the
# ordering said before it ("but not at all in 2026" as "but not in 2026"; was: refused on 'not')
ORDERED_BEFORE_BUT_NOT = re.compile(r"\b(ordered|bought|purchased)(\s+(?:from\s+us\s+)?before)"
                                    r"\s+but\s+(?:not|nothing|none)\s+(?:at\s+all\s+)?"
                                    r"(?=(?:in|during|within|since)\b)")
# Words read by the parser's own patterns (periods, ids), so known to the typo mender too.
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
PARSER_WORDS = frozenset({*(m.lower() for m in calendar.month_name if m), "month", "months", "quarter", "quarters",
                          "year", "years", "week", "weeks", "since", "between", "yesterday", "today", "first",
                          "second", "third", "fourth", "order", "customer", "product", "shipment", "number",
                          "until", "through", "during", "previous", "current", "older", "ago", "thousand", *NUMBER_WORDS})
# Grouping words that name every group one by one: a ranking under them restarts in each group
EACH_WORDS = frozenset({"each", "every", "per", "for each", "for every", "in each", "at each", "within each"})


def _all_listed(m: re.Match[str]) -> str:
    """"all three channels (web, store and b2b)" -> "both web, store and b2b" when the list holds as many
    values as the number says (otherwise left as said)."""
    n = NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
    items = [x for x in re.split(r"\s*(?:,|\band\b|&)\s*", m.group(2).strip()) if x]
    return f"both {m.group(2).strip()}" if len(items) == n else m.group(0)


MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"
# A date in words or ISO: 2025-03-01 | 1 March 2025 | March 1, 2025 | 1.3.2025
DATE_RE = (rf"(?:(\d{{4}}-\d{{2}}-\d{{2}})|(?:the\s+)?{DAY_RE}\s+(?:of\s+)?({MONTH_RE})\s*,?\s*(\d{{4}})|({MONTH_RE})\s+{DAY_RE},?\s+(\d{{4}})"
           rf"|(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}))")




def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _period(start: date, end: date, label: str) -> Period:
    if end < start:
        start, end = end, start
    return Period(start.isoformat(), end.isoformat(), label)


def _date_from(groups: tuple) -> date:
    iso, d1, m1, y1, m2, d2, y2, d3, m3, y3 = groups
    try:
        if iso:
            return date.fromisoformat(iso)
        if d1:
            return date(int(y1), MONTHS[m1], int(d1))
        if m2:
            return date(int(y2), MONTHS[m2], int(d2))
        return date(int(y3), int(m3), int(d3))
    except ValueError as exc:
        raise ValidationFailed("the question names a date that does not exist", field="question",
                               hint="check the day and month") from exc


class Periods:
    """Finds every period in the text and replaces it with a slot ``__period0__``."""

    def __init__(self, as_of: date, change_words: tuple[str, ...] = ()) -> None:
        self.as_of = as_of
        self.found: list[Period] = []
        # "growth", "change": a question about how a figure moved, where "from March to April" names two months
        self.change_re = re.compile(rf"\b(?:{'|'.join(map(re.escape, change_words))})\b") if change_words else None

    def _slot(self, period: Period) -> str:
        self.found.append(period)
        return f" __period{len(self.found) - 1}__ "

    def _calendar(self, start: date, end: date, label: str) -> Period:
        """A named year, half, quarter or month; one that holds the as-of day ends where "this year" ends
        (the day before it): "in 2026" asked on 1 November 2026 is 2026 so far, not parcels shipped tomorrow."""
        if start <= self.as_of <= end:
            end = _through(start, self.as_of)
        return _period(start, end, label)

    def _named_year(self, words: str | None) -> int:
        """"Q3 this year", "H1 last year"; no words: the as-of year."""
        return self.as_of.year - 1 if words and words.startswith(("last", "previous")) else self.as_of.year

    def _month_period(self, name: str, year: str | None, default_year: int | None = None) -> Period:
        mo = MONTHS[name]
        y = int(year) if year else (default_year if default_year else
                                    (self.as_of.year if mo <= self.as_of.month else self.as_of.year - 1))
        return self._calendar(date(y, mo, 1), _month_end(y, mo), f"{calendar.month_name[mo]} {y}")

    def extract(self, text: str) -> str:
        sub = re.sub
        # "september twenty twenty-six", "in twenty twenty-five": a year said in words after a month or a period's
        # preposition is that year (was: 'twenty', 'six' left unplaced)
        units = "one|two|three|four|five|six|seven|eight|nine"
        teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"

        def year_in_words(m: re.Match) -> str:
            tens, unit = m.group(2), m.group(3)
            value = NUMBER_WORDS[tens] + (NUMBER_WORDS[unit] if unit else 0)
            return f"{m.group(1)} {2000 + value}"
        text = sub(rf"\b({MONTH_RE}|in|of|for|during|year)\s+twenty[\s-]+({teens}|twenty|thirty)"
                   rf"(?:[\s-]+({units}))?\b", year_in_words, text)
        # "since jan 1 this year", "1 March last year": a day whose year is said in words is that year's day
        # (was: read as two periods)
        text = sub(rf"\b((?:{DAY_RE}\s+(?:of\s+)?(?:{MONTH_RE})|(?:{MONTH_RE})\.?\s+{DAY_RE}))\s*,?\s+(?:of\s+)?"
                   r"(?P<which>this|last)\s+year\b",
                   lambda m: f"{m.group(1)} {self.as_of.year - (m.group('which') == 'last')}", text)
        # "Q1 vs Q2 2026", "H1 vs H2 2025", "March vs April 2025": the year is said once, for both
        side = r"\s+(vs\.?|versus|compared\s+(?:to|with)|against|and|to|or)\s+"
        text = sub(rf"\b(q[1-4]|h[12]){side}(q[1-4]|h[12])\s+((?:19|20)\d{{2}})\b", r"\1 \4 \2 \3 \4", text)
        text = sub(rf"\b({MONTH_RE}){side.replace('|and|to|or', '')}({MONTH_RE})\s+((?:19|20)\d{{2}})\b",
                   r"\1 \4 \2 \3 \4", text)
        # "2026 YTD", "YTD 2025": that year up to the as-of day's date (one period, not a year and "this year")
        def year_to_date(m: re.Match) -> str:
            y = int(m.group(1) or m.group(2))
            last = _through(date(self.as_of.year, 1, 1), self.as_of)
            try:
                end = last.replace(year=y)
            except ValueError:  # 29 February in a year without one
                end = date(y, 2, 28)
            return self._slot(_period(date(y, 1, 1), end, f"{y} year to date"))
        ytd = r"(?:ytd|year[\s-]+to[\s-]+date|so\s+far)"
        text = sub(rf"\b(?:((?:19|20)\d{{2}})\s+{ytd}|{ytd}\s+((?:19|20)\d{{2}}))\b", year_to_date, text)
        # "last year to date": last year up to the same day (was the whole of last year, "to date" dropped)
        last_ytd = re.match(r"(\d+)()", str(self.as_of.year - 1))
        text = sub(r"\b(?:last|previous|prior)\s+year[\s-]+to[\s-]+date\b",
                   lambda m: year_to_date(last_ytd) if last_ytd else m.group(0), text)
        # explicit ranges of dates
        text = sub(rf"\b(?:from|between)?\s*{DATE_RE}(?:\s+(?:to|and|until|till|through|-)\s+|\s*\.\.\s*){DATE_RE}",
                   lambda m: self._slot(_period(_date_from(m.groups()[:10]), _date_from(m.groups()[10:]),
                                                f"{_date_from(m.groups()[:10])} to {_date_from(m.groups()[10:])}")),
                   text)
        # day ranges that share a year: "1 March and 15 March 2026", "1 July to 15 August 2026",
        # "March 1 to April 15, 2026", "1-15 March 2026"
        def shared_year(start: tuple[str, str], end: tuple[str, str], year: str | None) -> str:
            try:
                # no year ("from the 25th to the 31st of October"): the latest such range begun by the as-of day
                y = int(year) if year else (self.as_of.year if date(self.as_of.year, MONTHS[start[1]], 1)
                                            <= self.as_of else self.as_of.year - 1)
                a = date(y, MONTHS[start[1]], int(start[0]))
                b = date(y, MONTHS[end[1]], int(end[0]))
            except ValueError as exc:
                raise ValidationFailed("the question names a date that does not exist", field="question",
                                       hint="check the day and month") from exc
            return self._slot(_period(a, b, f"{a} to {b}"))
        to = r"\s+(?:to|and|until|till|through|-)\s+"
        text = sub(rf"\b(?:from|between)?\s*(?:the\s+)?{DAY_RE}\s+(?:of\s+)?({MONTH_RE}){to}(?:the\s+)?{DAY_RE}\s+"
                   rf"(?:of\s+)?({MONTH_RE})(?:\s*,?\s*(\d{{4}}))?\b", lambda m: shared_year((m.group(1), m.group(2)), (m.group(3), m.group(4)),
                                                               m.group(5)), text)
        text = sub(rf"\b(?:from|between)?\s*({MONTH_RE})\s+{DAY_RE}{to}({MONTH_RE})\s+{DAY_RE}(?:\s*,?\s*(\d{{4}}))?\b",
                   lambda m: shared_year((m.group(2), m.group(1)), (m.group(4), m.group(3)), m.group(5)), text)
        # "between the 1st and the 15th of June 2025"
        text = sub(rf"\b(?:week\s+(?:of\s+)?)?(?:from|between)?\s*(?:the\s+)?{DAY_RE}\s*(?:-|to|until|and)\s*(?:the\s+)?{DAY_RE}\s+(?:of\s+)?"
                   rf"({MONTH_RE})(?:\s*,?\s*(\d{{4}}))?\b",
                   lambda m: shared_year((m.group(1), m.group(3)), (m.group(2), m.group(3)), m.group(4)), text)
        # bounds that hold the day itself: "placed on or after 20 Oct 2026", "from 2026-10-20 onwards" (from that
        # day), "on or before 2026-10-20", "until 20 October 2026" (up to and with it); was the day left out
        def from_day(m: re.Match) -> str:
            d = _date_from(m.groups()[:10] if any(m.groups()[:10]) else m.groups()[10:])
            return self._slot(_period(d, self.as_of, f"since {d}"))
        text = sub(rf"\b(?:on\s+or\s+after\s+{DATE_RE}|from\s+{DATE_RE}\s+onwards?\b)", from_day, text)
        text = sub(rf"\b(?:on\s+or\s+before|until|till|up\s+to|through)\s+{DATE_RE}", lambda m: self._slot(_period(
            date(1900, 1, 1), _date_from(m.groups()), f"until {_date_from(m.groups())}")), text)
        # open ranges: "before 15 October 2026", "after 2025-06-30"
        text = sub(rf"\b(?:before|prior\s+to)\s+{DATE_RE}", lambda m: self._slot(_period(
            date(1900, 1, 1), _date_from(m.groups()) - timedelta(days=1), f"before {_date_from(m.groups())}")), text)
        text = sub(rf"\bafter\s+{DATE_RE}", lambda m: self._slot(_period(
            _date_from(m.groups()) + timedelta(days=1), self.as_of, f"after {_date_from(m.groups())}")), text)
        # ranges of months: "from March to April 2025", "January-June 2026"
        def month_range(m: re.Match) -> str:
            a, ya, b, yb = m.group(1), m.group(2), m.group(3), m.group(4)
            if m.group(5):  # "Jan-Oct last year": the months of the year named (was this year's, "last year" lost)
                yb = str(self.as_of.year - (m.group(5) != "this"))
            year = yb or ya
            first = self._month_period(a, ya or year)
            last = self._month_period(b, yb or year)
            if m.group(0).lstrip().startswith("from") and re.search(r"\bto\b", m.group(0)) and self.change_re \
                    and self.change_re.search(m.string):
                # "the percentage change from September to October": the two months compared, not both together
                return f"from {self._slot(first)} to {self._slot(last)}"
            if re.search(r"\band\b", m.group(0)) and not m.group(0).lstrip().startswith("between") and \
                    last.start_date != first.end_date + timedelta(days=1):
                # "October 2025 and October 2026": two months apart are two periods, not every month between
                # them (was: one span from the first to the last, thirteen months summed)
                return f" {self._slot(first)} and {self._slot(last)}"
            return self._slot(_period(first.start_date, last.end_date, f"{first.label} to {last.label}"))
        text = sub(rf"\b(?:from|between|over)?\s*({MONTH_RE})(?:\s+(\d{{4}}))?\s*(?:to|and|until|till|through|-)\s*"
                   rf"({MONTH_RE})(?:\s+(\d{{4}})|\s+(?:of\s+)?(this|last|previous)\s+year)?\b", month_range, text)
        # "from Oct 25 onwards", "from 3 March 2026 on", "from August onward": from that day (the month's first) to date
        def onwards(m: re.Match) -> str:
            month = MONTHS[m.group("m1") or m.group("m2")]
            day = int(m.group("d1") or m.group("d2") or 1)
            try:
                d = date(int(m.group("y")) if m.group("y") else self.as_of.year, month, day)
                if not m.group("y") and d > self.as_of:
                    d = date(self.as_of.year - 1, month, day)
            except ValueError as exc:
                raise ValidationFailed("the question names a date that does not exist", field="question",
                                       hint="check the day and month") from exc
            return self._slot(_period(d, self.as_of, f"since {d}"))
        text = sub(rf"\bfrom\s+(?:the\s+)?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{MONTH_RE})|(?P<m2>{MONTH_RE})\.?"
                   rf"(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?)(?:\s*,?\s*(?P<y>\d{{4}}))?\s+(?:onwards?|on)\b(?!\s+\w)",
                   onwards, text)
        text = sub(rf"\bsince\s+{DATE_RE}", lambda m: self._slot(
            _period(_date_from(m.groups()), self.as_of, f"since {_date_from(m.groups())}")), text)
        text = sub(rf"\b(?:on\s+)?{DATE_RE}", lambda m: self._slot(
            _period(_date_from(m.groups()), _date_from(m.groups()), _date_from(m.groups()).isoformat())), text)
        # a date without a year ("before Oct 12", "since 20 Oct"): the as-of year, or the year before
        # when that day is still to come (nobody asks about data after the as-of day)
        def yearless(m: re.Match) -> str:
            word, day, month = m.group(1), m.group(2) or m.group(5), m.group(3) or m.group(4)
            try:
                d = date(self.as_of.year, MONTHS[month], int(day))
                if d > self.as_of:
                    d = date(self.as_of.year - 1, MONTHS[month], int(day))
            except ValueError as exc:
                raise ValidationFailed("the question names a date that does not exist", field="question",
                                       hint="check the day and month") from exc
            word = re.sub(r"\s+", " ", word)
            if word in ("before", "prior to"):
                return self._slot(_period(date(1900, 1, 1), d - timedelta(days=1), f"before {d}"))
            if word == "after":
                return self._slot(_period(d + timedelta(days=1), self.as_of, f"after {d}"))
            if word in ("since", "on or after"):
                return self._slot(_period(d, self.as_of, f"since {d}"))
            if word in ("until", "till", "up to", "on or before"):
                return self._slot(_period(date(1900, 1, 1), d, f"until {d}"))
            return self._slot(_period(d, d, d.isoformat()))
        text = sub(rf"\b(on\s+or\s+after|on\s+or\s+before|before|prior\s+to|after|since|until|till|up\s+to|on)\s+(?:(?:the\s+)?{DAY_RE}\s+(?:of\s+)?({MONTH_RE})"
                   rf"|({MONTH_RE})\.?\s+{DAY_RE})\b(?!\s*,?\s*\d{{4}})(?!\s*(?:-|to|and|until|till|through)\s)",
                   yearless, text)
        # "since August", "since Aug 2025": from the month's first day to date
        def since_month(m: re.Match) -> str:
            first = self._month_period(m.group(1), m.group(2))
            return self._slot(_period(first.start_date, _through(first.start_date, self.as_of),
                                      f"since {first.label}"))
        # "from the start of August until now", "since the beginning of March": the month's first day to date
        text = sub(rf"\b(?:from|since)\s+(?:the\s+(?:start|beginning)\s+of\s+)?({MONTH_RE})(?:\s+((?:19|20)\d{{2}}))?"
                   r"\s+(?:until|till|to|up\s+to|through)\s+(?:now|today|date|the\s+present)\b", since_month, text)
        text = sub(rf"\bsince\s+the\s+(?:start|beginning)\s+of\s+({MONTH_RE})(?:\s+((?:19|20)\d{{2}}))?\b", since_month, text)

        def past_month(m: re.Match) -> str:
            # "whose last order was before June 2026", "since the end of April", "after March 2026": the days
            # before the month's first day, or after its last day up to the as-of day
            if re.search(r"\b(?:day|week|month|quarter|year)s?\s+$", m.string[:m.start()]):
                return m.group(0)  # "the month before March": a period counted back, not the days before it
            month = self._month_period(m.group(2), m.group(3))
            if m.group(1).startswith(("before", "prior")):
                return self._slot(_period(date(1900, 1, 1), month.start_date - timedelta(days=1),
                                          f"before {month.label}"))
            after = month.end_date + timedelta(days=1)
            return self._slot(_period(after, _through(after, self.as_of), f"after {month.label}"))
        text = sub(rf"\b(before|prior\s+to|after|since\s+the\s+end\s+of)\s+({MONTH_RE})(?:\s+((?:19|20)\d{{2}}))?\b"
                   rf"(?!\s*(?:-|to|and|until|till|through)\s)", past_month, text)
        text = sub(rf"\bsince\s+({MONTH_RE})(?:\s+((?:19|20)\d{{2}}))?\b", since_month, text)
        numbers = "|".join(NUMBER_WORDS)

        def last_n(m: re.Match) -> str:
            n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
            unit = m.group(2).rstrip("s")
            days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
            return self._slot(_period(self.as_of - timedelta(days=days), _through(self.as_of - timedelta(days=days),
                                                                                 self.as_of), f"the last {n} {unit}s"))
        text = sub(rf"\b(?:in\s+|during\s+|for\s+|over\s+)?(?:the\s+)?(?:last|past|previous)\s+(\d+|{numbers})\s+"
                   r"(days?|weeks?|months?|years?)\b", last_n, text)

        def older_than(m: re.Match) -> str:
            # "open orders older than 2 weeks", "placed more than 30 days ago": dated before that day
            n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1), 1)  # "a year ago"
            unit = m.group(2).rstrip("s")
            cutoff = self.as_of - timedelta(days={"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n)
            return self._slot(_period(date(1900, 1, 1), cutoff - timedelta(days=1), f"before {cutoff}"))
        text = sub(rf"\bolder\s+than\s+(\d+|{numbers})\s+(days?|weeks?|months?|years?)\b(?:\s+old)?", older_than, text)
        # ("more than three weeks before today": ago said the long way)
        text = sub(rf"\b(?:more|over)\s+than\s+(\d+|{numbers}|an?)\s+(days?|weeks?|months?|years?)\s+"
                   r"(?:ago|before\s+today|before\s+now|prior\s+to\s+today)\b", older_than, text)
        # "open orders more than three weeks old": the same age said with "old"
        text = sub(rf"\b(?:(?:more|over)\s+than|over)\s+(\d+|{numbers}|an?)\s+(days?|weeks?|months?|years?)\s+old\b",
                   older_than, text)

        def quarter(m: re.Match) -> str:
            word = m.group(1)
            qn = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(word.split()[0]) or int(word[1])
            y = int(m.group(2)) if m.group(2) else self._named_year(m.group(3))
            return self._slot(self._calendar(date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn), f"Q{qn} {y}"))
        this_last = r"(?:\s+(?:of\s+)?(?:(\d{4})|(this year|last year|previous year)))?"
        text = sub(r"\b(q[1-4]|(?:first|second|third|fourth) quarter)" + this_last + r"\b", quarter, text)

        def half(m: re.Match) -> str:
            h = 1 if m.group(1) in ("h1", "first half") else 2
            y = int(m.group(2)) if m.group(2) else self._named_year(m.group(3))
            return self._slot(self._calendar(date(y, 6 * h - 5, 1), _month_end(y, 6 * h), f"H{h} {y}"))
        text = sub(r"\b(h1|h2|first half|second half)" + this_last + r"\b", half, text)

        def first_months(m: re.Match) -> str:
            # "the first six months of 2026": January to the end of the sixth month of that year
            n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1), 0)
            if not 1 <= n <= 12:
                return m.group(0)
            y = int(m.group(2)) if m.group(2) else self._named_year(m.group(3))
            return self._slot(self._calendar(date(y, 1, 1), _month_end(y, n), f"the first {n} months of {y}"))
        text = sub(rf"\b(?:in\s+|during\s+|for\s+|over\s+)?(?:the\s+)?first\s+(\d+|{numbers})\s+months\s+of\s+(?:(\d{{4}})|(this year|last year|"
                   r"previous year))\b", first_months, text)

        def first_days(m: re.Match) -> str:
            # "the first two weeks of October": the month's first 14 days ("the first 10 days of March 2026")
            n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1), 0)
            month = self._month_period(m.group(3), m.group(4))
            days = n * (7 if m.group(2).startswith("week") else 1)
            if not 1 <= days <= 28:
                return m.group(0)
            end = month.start_date + timedelta(days=days - 1)
            return self._slot(_period(month.start_date, end, f"the first {days} days of {month.label}"))
        text = sub(rf"\b(?:in\s+|during\s+|for\s+|over\s+)?(?:the\s+)?first\s+(\d+|{numbers})\s+(days|weeks)\s+of\s+"
                   rf"({MONTH_RE})(?:\s+(\d{{4}}))?\b", first_days, text)

        def days_restated(m: re.Match) -> str:
            # "the first two weeks of October (1st to 14th)": a bracket naming the same days of the month again
            p = self.found[int(m.group(1))]
            same = p.start_date.month == p.end_date.month and p.start_date.year == p.end_date.year and \
                (int(m.group(2)), int(m.group(3))) == (p.start_date.day, p.end_date.day)
            return f" __period{m.group(1)}__ " if same else m.group(0)
        text = re.sub(rf"\s__period(\d+)__\s*\(\s*(?:the\s+)?{DAY_RE}\s*(?:to|-|–|through|until|till)\s*(?:the\s+)?{DAY_RE}"
                      r"\s*\)", days_restated, text)
        text = sub(r"\b(\d{4})-(\d{2})\b", lambda m: self._slot(self._month_period(
            calendar.month_name[int(m.group(2))].lower(), m.group(1))) if 1 <= int(m.group(2)) <= 12 else m.group(0),
            text)
        text = sub(rf"\b(?:in\s+|during\s+|for\s+|of\s+)?({MONTH_RE})\s+(\d{{4}})\b",
                   lambda m: self._slot(self._month_period(m.group(1), m.group(2))), text)
        # "October this year", "March of last year": that month of the year named (one period, not two)
        text = sub(rf"\b(?:in\s+|during\s+|for\s+|of\s+)?({MONTH_RE})\s+(?:of\s+)?(this|last|previous)\s+year\b",
                   lambda m: self._slot(self._month_period(m.group(1), str(self._named_year(m.group(2))))), text)
        # "ytd vs the same period last year": the days of the period named, one year earlier (resolved below)
        # (only after a comparison word: "same period last year?" alone is a follow-up on the previous question)
        text = sub(r"\b(vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:the\s+)?same\s+(?:period|days|dates|months)\s+"
                   r"(?:(?:of|in)\s+)?(?:(?:the\s+)?(?:last|previous|prior)\s+year|a\s+year\s+(?:earlier|before|ago)|"
                   r"the\s+year\s+before)\b", r"\1 __sameprev__ ", text)
        # "last month vs the previous month", "2025 compared with the year before": the unit before the period
        # named first (resolved below; was: "the previous month" read as last month, the same month twice)
        text = sub(r"\b(vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:the\s+)?(?:(?:previous|prior|preceding)\s+"
                   r"(month|quarter|year|week)|(month|quarter|year|week)\s+before)\b(?!\s+(?:that|it|last|this|\d|__))",
                   lambda m: f"{m.group(1)} __unitbefore_{m.group(2) or m.group(3)}_{'p' if m.group(2) else 'b'}__ ",
                   text)
        # "shipments sent in 2026 (up to yesterday)": the year that runs is counted to date already, so the
        # bracket restates it (not a second period)
        text = re.sub(r"\b((?:19|20)\d{2})\s*\(\s*(?:(?:up\s+)?(?:to|until|till|through)\s+(?:yesterday|today|now)|"
                      r"so\s+far|to\s+date)\s*\)",
                      lambda m: m.group(1) if int(m.group(1)) == self.as_of.year else m.group(0), text)
        relative = [
            (r"last\s+month|previous\s+month|past\s+month", "last_month"),
            (r"this\s+month|month\s+to\s+date|mtd|current\s+month", "this_month"),
            (r"last\s+year|previous\s+year|past\s+year", "last_year"),
            (r"this\s+year|year\s+to\s+date|ytd|so\s+far\s+this\s+year|current\s+year|(?:whole\s+|full\s+)?year\s+so\s+far",
             "this_year"),  # "the (whole) year so far": the as-of year up to now
            (r"last\s+quarter|previous\s+quarter", "last_quarter"), (r"this\s+quarter|current\s+quarter", "this_quarter"),
            (r"last\s+week|previous\s+week|past\s+week", "last_week"), (r"this\s+week|current\s+week", "this_week"),
            (r"yesterday", "yesterday"), (r"today", "today"),
        ]
        for pattern, kind in relative:
            slot = self._slot(relative_period(kind, self.as_of)) if re.search(rf"\b(?:{pattern})\b", text) else ""
            text = sub(rf"\b(?:in\s+|during\s+|for\s+|from\s+|over\s+)?(?:the\s+)?(?:{pattern})\b", slot, text)
        # a month without a year: "in March" (the latest March up to as_of); "may" only after "in";
        # a full month name alone too ("October vs September")
        text = sub(rf"\b(?:in|during|for|of)\s+({MONTH_RE})\b", lambda m: self._slot(self._month_period(m.group(1), None)),
                   text)
        full = "|".join(m.lower() for m in calendar.month_name if m and m != "May")
        text = sub(rf"\b({full})\b", lambda m: self._slot(self._month_period(m.group(1), None)), text)
        # an abbreviation alone ("late parcels oct"), save those that are also words or names (may, mar, jan)
        short = "|".join(m.lower() for m in (*calendar.month_abbr, "Sept") if m and m not in ("May", "Mar", "Jan"))
        text = sub(rf"(?<![\w-])({short})(?![\w-])", lambda m: self._slot(self._month_period(m.group(1), None)), text)
        # open ranges by year: "before 2024", "after 2024", "since 2025"
        text = sub(r"\b(?:before|prior\s+to)\s+((?:19|20)\d{2})\b", lambda m: self._slot(_period(
            date(1900, 1, 1), date(int(m.group(1)) - 1, 12, 31), f"before {m.group(1)}")), text)
        text = sub(r"\b(?:after)\s+((?:19|20)\d{2})\b", lambda m: self._slot(_period(
            date(int(m.group(1)) + 1, 1, 1), self.as_of, f"after {m.group(1)}")), text)
        text = sub(r"\bsince\s+((?:19|20)\d{2})\b", lambda m: self._slot(_period(
            date(int(m.group(1)), 1, 1), self.as_of, f"since {m.group(1)}")), text)
        def same_period(m: re.Match, back: int = 0) -> str:
            # "from 1 January to 31 October 2026 versus the same period of 2025": those days in the year named
            # ("the same period last year": in the year before the period's own)
            first = self.found[-1] if len(self.found) == 1 else None
            if first is None or first.start_date.year != first.end_date.year:
                return m.group(0)
            y = first.start_date.year - back if back else int(m.group(1))
            try:
                start, end = first.start_date.replace(year=y), first.end_date.replace(year=y)
            except ValueError:  # 29 February in a year without one
                return m.group(0)
            return self._slot(_period(start, end, f"{start} to {end}"))
        text = sub(r"\b(?:the\s+)?same\s+(?:period|days|dates|months)\s+(?:of|in)\s+((?:19|20)\d{2})\b", same_period, text)
        text = sub(r"__sameprev__", lambda m: same_period(m, back=1).replace("__sameprev__", "same period the year before"),
                   text)
        def year(m: re.Match) -> str:
            # "more than 2000 orders", "top 2000": a count, not a year ("spent the most in 2025": a year)
            if m.group(0)[:1].isdigit() and re.search(r"\b(?:than|over|above|under|below|least|most|exactly|top|first|last)\s*$",
                                                       m.string[:m.start()]):
                return m.group(0)
            return self._slot(self._calendar(date(int(m.group(1)), 1, 1), date(int(m.group(1)), 12, 31), m.group(1)))
        # "for the full calendar year 2025", "in the whole year 2025": that year
        text = sub(r"(?<![€$])\b(?:in\s+|during\s+|for\s+|of\s+)?(?:(?:the\s+)?(?:(?:full|whole|entire|complete)\s+)?"
                   r"(?:calendar\s+)?year\s+)?((?:19|20)\d{2})\b(?!\s*(?:€|eur|euros?|\$))", year,
                   text)

        def unit_before(m: re.Match) -> str:
            # the unit before the one period named ("last month vs the previous month"); none or several (a
            # follow-up's "growth vs the previous month"): read as before, "the previous month" the last one and
            # "the month before" left to a growth's default
            if len(self.found) == 1:
                return self._slot(shift_back(self.found[0], m.group(1)))
            if m.group(2) == "p":
                return self._slot(relative_period(f"last_{m.group(1)}", self.as_of))
            return f" the {m.group(1)} before "
        return sub(r"__unitbefore_([a-z]+)_([pb])__", unit_before, text)


def _one_unit(period: Period, grain: str) -> bool:
    """Whether a period lies within one unit of the grain (2025 within one year, March within one month)."""
    a, b = period.start_date, period.end_date
    if grain == "year":
        return a.year == b.year and (a.month, a.day) == (1, 1)
    if grain == "quarter":
        return a.year == b.year and a.day == 1 and a.month % 3 == 1 and b.month - a.month < 3
    if grain == "month":
        return (a.year, a.month) == (b.year, b.month) and a.day == 1
    return False


def _through(start: date, as_of: date) -> date:
    """The last whole day of a period "to date": the day before the as-of day (ARCHITECTURE 7.1:
    periods are relative to --as-of, default today, a day whose data is still coming in), or the
    as-of day itself when the period starts on it ("this month" on the 1st)."""
    return max(start, as_of - timedelta(days=1))


def relative_period(kind: str, as_of: date) -> Period:
    if kind == "last_month":
        end = as_of.replace(day=1) - timedelta(days=1)
        return _period(end.replace(day=1), end, f"last month ({calendar.month_name[end.month]} {end.year})")
    if kind == "this_month":
        return _period(as_of.replace(day=1), _through(as_of.replace(day=1), as_of), "this month")
    if kind == "last_year":
        y = as_of.year - 1
        return _period(date(y, 1, 1), date(y, 12, 31), f"last year ({y})")
    if kind == "this_year":
        return _period(date(as_of.year, 1, 1), _through(date(as_of.year, 1, 1), as_of), f"this year ({as_of.year})")
    q = (as_of.month - 1) // 3
    if kind == "this_quarter":
        start = date(as_of.year, 3 * q + 1, 1)
        return _period(start, _through(start, as_of), "this quarter")
    if kind == "last_quarter":
        y, q = (as_of.year, q - 1) if q > 0 else (as_of.year - 1, 3)
        return _period(date(y, 3 * q + 1, 1), _month_end(y, 3 * q + 3), f"Q{q + 1} {y}")
    monday = as_of - timedelta(days=as_of.weekday())
    if kind == "this_week":
        return _period(monday, _through(monday, as_of), "this week")
    if kind == "last_week":
        return _period(monday - timedelta(days=7), monday - timedelta(days=1), "last week")
    if kind == "yesterday":
        d = as_of - timedelta(days=1)
        return _period(d, d, "yesterday")
    return _period(as_of, as_of, "today")


def shift_back(period: Period, grain: str | None, *, whole: bool = False) -> Period:
    """The period before: a month before a month, a year before a year, else the same length.
    ``whole``: the unit was named ("and the year before?"), so the whole calendar year before."""
    start, end = period.start_date, period.end_date
    if whole and grain == "year":
        y = start.year - 1
        return _period(date(y, 1, 1), date(y, 12, 31), f"{y}")
    if grain == "year" or (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        years = max(1, end.year - start.year + 1) if grain != "year" else 1
        s, e = date(start.year - years, start.month, start.day), date(end.year - years, end.month, min(end.day, 28)
                                                                       if end.month == 2 else end.day)
        return _period(s, e, f"{s.year}" if s.year == e.year and (s.month, e.month) == (1, 12) else f"{s} to {e}")
    # (a quarter named that holds one month so far, "this quarter" in October, is still a quarter: was the month before)
    if grain == "month" or (grain != "quarter" and start.day == 1 and end == _month_end(end.year, end.month)
                            and start.month == end.month):
        prev_end = start - timedelta(days=1)
        return _period(prev_end.replace(day=1), prev_end, f"{calendar.month_name[prev_end.month]} {prev_end.year}")
    if grain == "quarter":
        prev_end = start - timedelta(days=1)
        s = date(prev_end.year, 3 * ((prev_end.month - 1) // 3) + 1, 1)
        return _period(s, prev_end, f"Q{(s.month - 1) // 3 + 1} {s.year}")
    if (start.month, start.day) == (1, 1) and end.year == start.year and not (end.month == 2 and end.day == 29):
        # a year to date ("this year", "2026" while it runs): the same days of the year before, as analysts
        # compare, not the equal number of days that end on 31 December
        s, e = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
        return _period(s, e, f"{s} to {e}")
    length = (end - start).days + 1
    return _period(start - timedelta(days=length), start - timedelta(days=1), f"the {length} days before")


@dataclass
class ParseResult:
    sql: str
    query_type: QueryType
    form: QueryForm
    interpretation: str
    lookup: tuple[str, int] | None = None  # an id the question is about (for "not found")

    @property
    def frame(self) -> QueryForm:  # the stored context of a turn
        return self.form


class SemanticParser:
    def __init__(self, vocabulary: Vocabulary | None, layer: SemanticLayer | None = None) -> None:
        self.layer = layer or SemanticLayer.load()
        self.vocab = vocabulary
        self.lexicon = Lexicon.build(self.layer, vocabulary, extra_words=PARSER_WORDS | FOLLOWUP_WORDS)
        self.planner = Planner(self.layer)
        # the commentary set-aside's tables (set_aside_commentary), read and compiled once
        spec = self.layer.grammar.get("commentary", {})
        blockers, plan = frozenset(spec.get("blockers", [])), spec.get("plans", {})
        # the longest opener first: "might be worth" over "might"
        opener = re.compile(r"^\s*(?:" + "|".join(map(re.escape, sorted(plan.get("openers", []), key=len, reverse=True)))
                            + r")\b", re.IGNORECASE) if plan.get("openers") else None
        self.commentary = (blockers, plan, opener, blockers - set(plan.get("allowed", [])))
        remarks = spec.get("remarks", {}).get("openers", [])
        self.remark_re = re.compile(r"^\s*(?:" + "|".join(map(re.escape, sorted(remarks, key=len, reverse=True)))
                                    + r")\b", re.IGNORECASE) if remarks else None
        self.abbreviations = {k: v for k, v in self.layer.grammar.get("abbreviations", {}).items() if not k.startswith("_")}
        self.abbreviations_re = re.compile(r"(?<![\w/'-])(?:" + "|".join(
            map(re.escape, sorted(self.abbreviations, key=len, reverse=True))) + r")(?![\w/'-])")
        # "bring in", "took in": a phrase of the layer that ends in a preposition the period patterns take
        # ("in last month"); it is kept whole, else "bring" is left alone and read as the carrier Bring
        phrasal = sorted((" ".join(key) for key, senses in self.lexicon.phrases.items()
                          if len(key) > 1 and key[-1] in ("in", "during", "for")
                          and any(x[0] in ("measure", "activity") for x in senses)), key=len, reverse=True)
        self.phrasal_re = re.compile(rf"\b({'|'.join(map(re.escape, phrasal))})\b") if phrasal else None
        # the lexicon lives as long as the engine (300,000 names: millions of objects); frozen out of the cyclic
        # collector's view, a full collection no longer walks it in the middle of a question (was: ~35 ms pauses)
        gc.collect()
        gc.freeze()

    # ------------------------------------------------------------------ entry
    def parse(self, question: str, as_of: date, context: QueryForm | None = None) -> ParseResult:
        question = (question or "").strip()
        if not question:
            raise ValidationFailed("the question is empty", field="question", hint="ask about orders, stock, sales")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValidationFailed(f"the question is longer than {MAX_QUESTION_CHARS} characters", field="question",
                                   hint="ask a shorter question")
        question, asides = self.set_aside_commentary(question, as_of)
        any_of = ANY_OF_RANKING_RE.match(question)
        if any_of is not None:
            # "Are any of our top 20 sellers this year at or below their reorder level?": the condition within the
            # ranking, as "among our top 20 ..., which ones are ..." (was: the condition first, then a top 20 of them)
            question = f"among {any_of.group('ranking')}, which ones are {any_of.group('rest')}"
        among = AMONG_RE.match(question)
        if among is not None:
            # "Among our ten best sellers this year, which ones have a margin under 30%?": the condition is
            # tested within the ranking as it stands (a top 10 of the low-margin ones would name others)
            ranked = self.parse(among.group("ranking"), as_of, context)
            if ranked.form.limit and ranked.form.kind == "aggregate":
                within = self.parse(f"which of them {among.group('rest')}", as_of, ranked.form)
                if asides:
                    from .answers import describe_form
                    within.form.notes += [f"aside:{a}" for a in asides]
                    within.interpretation = describe_form(within.form, self.layer)
                return within
        question = self._columns_after_colon(question, as_of)
        state = _State(self, question, as_of)
        # "what sold best in Lighting? want to feature it": the aside's "it" says one thing is asked
        state.pointer_one = any(re.search(r"\b(?:it|that\s+one|this\s+one)\b", a, re.IGNORECASE) for a in asides)
        form = state.interpret(context)
        counted = [a for a in asides if COUNT_SAID_RE.match(a.strip(" .!?"))]
        if counted and not any(m == "count" or m.startswith(("count:", "distinct:")) for m in form.measures):
            if form.measures:
                # "(count)" said of a figure that is not a count: the reader asked another figure than the one read
                raise NotUnderstood("'count' was said, but the figure I read is not a count",
                                    hint="say what to count, e.g. 'the number of late shipments per carrier'")
            # "open orders from the web channel - count": things listed, "count" asks how many (read with it)
            asides = [a for a in asides if a not in counted]
            question = f"{question} - {' '.join(counted)}"
            state = _State(self, question, as_of)
            state.pointer_one = any(re.search(r"\b(?:it|that\s+one|this\s+one)\b", a, re.IGNORECASE) for a in asides)
            form = state.interpret(context)
        form.notes += [f"aside:{a}" for a in asides if f"aside:{a}" not in form.notes]
        from .answers import describe_form  # the same words the answer uses

        if not form.as_of and any("AS_OF_DAY" in str(self.layer.measures.get(m.split(":")[-1], {}).get("sql", ""))
               for m in (*form.measures, *form.show, form.order_by or "")):
            form.as_of = as_of.isoformat()  # an age: counted up to the as-of day
        sql = self.planner.plan(form).sql(dialect="duckdb")
        lookup = None
        if form.lookup:
            lookup = (form.lookup["entity"], int(form.lookup["id"]))
        return ParseResult(sql, query_type(form), form, describe_form(form, self.layer), lookup)


    def set_aside_commentary(self, question: str, as_of: date) -> tuple[str, list[str]]:
        """The question without the clauses after it that only say why it is asked ("Which brand had the lowest
        turnover last year? Considering dropping it."), and those clauses. A clause is a sentence, a part set
        off by a spaced dash, or a bracket; it is set aside only when it follows a clause that names data,
        none of its words is in the data (no measure, thing, value, period, number, condition: only words the
        lexicon does not hold, stop words, purposes or concepts the lake lacks) and none may narrow or ask
        (the layer's blockers: "only", "except", "first", "more", "need", "show", "which" ...)."""
        clauses = [c for c in COMMENTARY_SPLIT.split(question) if c and c.strip(" ?.!;:,()-—–")]
        for k in range(len(clauses) - 1, 0, -1):
            # "Which warehouse has the most of it so we can transfer?": a purpose clause with no comma before it
            # that names a purpose of the layer stays in the question, where the purpose is read
            if re.match(r"so\s+(?:we|i)\s", clauses[k], re.IGNORECASE) and \
                    not re.search(r"[?.!;:,()\-—–]\s*$", clauses[k - 1]) and any(
                        x[0] == "purpose" for sp in _State(self, clauses[k], as_of).spans for x in sp.senses):
                clauses[k - 1:k + 1] = [f"{clauses[k - 1]} {clauses[k]}"]
        if len(clauses) < 2:
            return question, []
        blockers, plan, opener, plan_blockers = self.commentary
        together_restated = set(self.layer.grammar.get("bought_together_restated", []))
        data_free = []
        states = [_State(self, clause.strip(" ()"), as_of) for clause in clauses]
        for clause, state in zip(clauses, states, strict=True):
            words = {w for s in state.spans for w in s.text.split()}
            # ("(zero included)" asks for the things with none too: never an aside; was: set aside, zeros left out)
            free = not state.periods and not state.ids and not state.texts and not state.zero_included and \
                not (words & blockers) and (all(
                all(x[0] in ("stop", "unknown", "purpose", "intent") for x in s.senses) for s in state.spans)
                or ADVICE_ASKED_RE.match(clause.strip(" ()")) is not None)
            if not free and clause.strip().startswith("(") and \
                    " ".join(clause.strip(" ()").lower().split()) in together_restated and \
                    any(sp.has("grammar", "bought_together") for j, other in enumerate(states) if other is not state
                        for sp in other.spans):
                free = True  # "bought together with the X (same order)": the bracket restates what 'together' says
            if not free and clause.strip().startswith("(") and re.search(r"\bat\s+least\s+one\b", question, re.I) and \
                    " ".join(sp.text for sp in state.spans) in self.layer.grammar.get("at_least_one_restated", []):
                # "out of stock in at least one warehouse? (not necessarily all of them)": the bracket restates
                # "at least one" (was: 'not' refused)
                free = True
            data_free.append(free)
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            words = {w for sp in state.spans for w in sp.text.split()}
            if not data_free[k] and self.remark_re is not None and self.remark_re.match(clause.strip(" ()-—–")) \
                    and not (state.periods or state.ids or state.texts or words & blockers) and not any(
                        x[0] == "value" and tuple(x) not in {tuple(y) for j, other in enumerate(states) if j != k
                                                            for sp in other.spans for y in sp.senses}
                        for sp in state.spans for x in sp.senses):
                # "- it felt really slow to the customer": how it felt to someone, an opinion; it names no
                # condition, whatever its words (none may narrow or ask: the blockers; no value not said before)
                data_free[k] = True
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            if data_free[k] or k == 0 or state.periods or state.ids or state.texts or \
                    RESTATED_RE.match(clause.strip(" ()-—–")) is None:
                continue
            # "Rate, not count.": a word the question says, said again against another it does not say, only
            # says which reading is meant; set aside when the question already reads it so (every sense of the
            # first part said elsewhere, none of the second's) and no function word may narrow (the blockers)
            cut = next((j for j, sp in enumerate(state.spans) if sp.text == "not"), None)
            if cut is None:
                continue
            said = {tuple(x) for j, other in enumerate(states) if j != k for sp in other.spans for x in sp.senses}
            restated = [sp for sp in state.spans[:cut] if any(x[0] != "stop" for x in sp.senses)]
            rejected = [sp for sp in state.spans[cut + 1:] if any(x[0] != "stop" for x in sp.senses)]
            words = {w for sp in state.spans[:cut] + state.spans[cut + 1:] if sp not in restated and sp not in rejected
                     for w in sp.text.split()}  # the two parts' own words may be blockers ("rate", "count")
            data_free[k] = bool(restated) and bool(rejected) and not (words & blockers) and all(
                all(tuple(x) in said for x in sp.senses if x[0] != "stop") for sp in restated) and not any(
                tuple(x) in said for sp in rejected for x in sp.senses if x[0] != "stop")
        for k, (clause, state) in enumerate(zip(clauses, states, strict=True)):
            if data_free[k] or opener is None or (m := opener.match(clause.strip(" ()").replace("’", "'"))) is None:
                continue
            # "I want someone to call and confirm them.", "We should move some garden items there.": the asker's
            # plan, said after the question (an opener says so); it may restate what the question names (the
            # same value, measure or condition) or name things, but never anything new, nor narrow
            said = {tuple(x) for j, other in enumerate(states) if j != k for sp in other.spans for x in sp.senses}
            said_first = set(re.sub(r"'s\b", " is", m.group(0).lower()).split())
            lead = next((j for j, sp in enumerate(state.spans) if not set(sp.text.split()) <= said_first),
                        len(state.spans))
            rest = state.spans[lead:]
            if rest and rest[-1].text in plan.get("last_words", []):
                rest = rest[:-1]  # "I'd clear that one first": the order of the asker's own steps
                # "I'll call the worst ones first": which of the ones found the asker acts on first, no ranking asked
                # (was: refused, the superlative read as a ranking of the data)
                rest = [sp for sp in rest if not (sp.first("superlative") and len(sp.senses) == 1)]
            # "maybe we discount too much": an excess in the asker's view, not "too" as "also" nor "much" as an amount
            opinion = set(plan.get("opinions", []))
            rest = [sp for j, sp in enumerate(rest)
                    if not (sp.text == "too" and j + 1 < len(rest) and f"too {rest[j + 1].text}" in opinion)
                    and not (j > 0 and rest[j - 1].text == "too" and f"too {sp.text}" in opinion)]
            # "we could move some from there", "so I know which to reorder first": a purpose or intent phrase of the
            # layer is the plan's own words, its "from" or "first" narrows nothing (was: every word of the plan
            # tested against the blockers, the phrase's too)
            words = {w for sp in rest if not (sp.senses and all(x[0] in ("purpose", "intent") for x in sp.senses))
                     for w in sp.text.split()}
            # "discount" said again as a verb: the column a measure already said is computed over is that measure
            said |= {("attribute", col) for x in said if x[0] == "measure" and x[1] in self.layer.measures
                     for col in re.findall(r"\b[a-z_]+\.[a-z_]+\b", " ".join(
                         str(self.layer.measures[x[1]].get(key) or "") for key in ("sql", "line_sql")))}
            data_free[k] = not state.periods and not state.ids and not state.texts and not (words & plan_blockers) \
                and all(all(x[0] in ("stop", "unknown", "purpose", "intent", "entity", "dimension") or tuple(x) in said
                            or tuple(x) in PLAN_OWN_SENSES for x in sp.senses)
                        for sp in rest if sp.text not in plan.get("own_words", []))
        for k, clause in enumerate(clauses):
            if k > 0 and not data_free[k] and COUNT_SAID_RE.match(clause.strip(" ()-—–.!?")) is not None:
                # "(count)", "count them" after the question: says its figure is a count (checked once read)
                data_free[k] = True
        if all(data_free):
            return question, []
        # only what follows the question: a preface ("Bundle idea: which two products ...") may say what is asked,
        # unless it ends with a colon or a spaced dash and names nothing the question does not name itself
        # ("Cross-sell idea: which business customers ...", "For a Norwegian promo - top products sold in Norway"):
        # then it says why the question is asked, as a plan after it does
        preface = self._preface(clauses, states, question)
        first = next((k for k in range(preface, len(clauses)) if not data_free[k]), None)
        if first is None:
            return question, []
        data_free = [k < preface or (free and k > first) for k, free in enumerate(data_free)]
        if not any(data_free):
            return question, []
        kept = " ".join(c.strip() for c, free in zip(clauses, data_free, strict=True) if not free)
        asides = [c.strip(" ()-—–:").strip() for c, free in zip(clauses, data_free, strict=True) if free]
        return kept, asides

    def _columns_after_colon(self, question: str, as_of: date) -> str:
        """"List shipments still in transit: order id, carrier and ship date.": after a list asked for, a colon
        and only columns of the data (two or more, each a column's name) say what to show of each, as "with order
        id, carrier and ship date" does (not a count per carrier); anything else after the colon is kept as is."""
        m = COLUMNS_AFTER_COLON_RE.match(question)
        if m is None:
            return question
        spans = _State(self, m.group("cols"), as_of).spans
        named = [sp for sp in spans if not all(x[0] == "stop" or x == ("grammar", "followup") for x in sp.senses)]
        if len(named) < 2 or not all(any(x[0] == "attribute" for x in sp.senses) for sp in named):
            return question
        return f"{m.group('head')} with {m.group('cols')}"

    def _preface(self, clauses: list[str], states: list[_State], question: str) -> int:
        """1 when the first clause is a preface that only says why the question is asked ("Cross-sell idea:",
        "For a Norwegian promo -"): it ends with a colon or a spaced dash, names no period, id or text, none of
        its words may narrow or ask (the layer's commentary blockers), and its words are function words, words
        the lake does not hold, or what the question after it names itself (the same value, measure or thing);
        else 0. A purpose ("Bundle idea:") is kept: it says which reading of the question is meant."""
        head, rest = clauses[0].strip(), clauses[1].strip() if len(clauses) > 1 else ""
        # "We need to free up space. Which warehouse ...?": a sentence said before the question, the asker's need
        # or plan; its own verbs ("need", "want") are the plan's, not a narrowing (the plan's blockers)
        # (the question may go on after a comma: "..., so I know which to reorder first?"; was: its first part had to
        # end with the question mark)
        sentence = head.endswith(".") and (rest.endswith("?") or (rest.endswith(",") and question.rstrip().endswith("?")))
        blockers = self.commentary[3] if sentence else self.commentary[0]
        state = states[0]
        spans = state.spans
        # "Stock up for Q4: the 5 best sellers by units in Q4 2025": "for" a period closing a preface set off by a
        # colon, before a question with its own period, is the time the asker acts for, not a second period asked
        # (was: refused, two periods named)
        acts_for = head.endswith(":") and len(state.periods) == 1 and len(spans) > 2 and \
            spans[-1].text == "__period0__" and spans[-2].text == "for" and len(states) > 1 and bool(states[1].periods)
        if acts_for:
            spans = spans[:-2]
        if len(clauses) < 2 or state.periods and not acts_for or state.ids or state.texts:
            return 0
        if spans and spans[0].text in ("before", "after") and len(spans) > 1 and any(o.periods for o in states[1:]):
            # "Before winter: which 3 Heating products sold the most in Q4 last year?": a time the lake cannot place
            # said before a question with its own period is when the asker acts, not a bound on that period (was:
            # refused on 'before', 'winter')
            spans = spans[1:]
        if {w for s in spans for w in s.text.split()} & blockers:
            return 0
        said = {tuple(x) for other in states[1:] for sp in other.spans for x in sp.senses}
        if not all(x[0] in ("stop", "unknown", "intent") or tuple(x) in said
                   or tuple(x) == ("grammar", "recommend") for sp in spans for x in sp.senses):
            return 0
        end = question.index(head) + len(head)
        joint = question[end:question.index(rest, end)]
        return 1 if sentence or head.endswith(":") or re.fullmatch(r"\s+[—–-]\s+", joint) else 0


# "are any of our top 20 sellers ... at or below their reorder level": a condition asked of a ranking, read as "among"
ANY_OF_RANKING_RE = re.compile(r"^\s*(?:are|is)\s+any\s+of\s+(?P<ranking>(?:our|the)\s+(?:top|bottom)\s+\d+\s[^?]*?)\s+"
                               r"(?P<rest>(?:at|below|above|under|over|out|low|running|still|currently|not)\b[^?]*)\?*\s*$",
                               re.IGNORECASE)
# "among our top 10 ..., which ones ...": a condition within a ranking said first
AMONG_RE = re.compile(r"^\s*(?:among|of)\s+(?P<ranking>(?:our|the)\s+[^,]+?),\s*which\s+(?:ones|of\s+(?:them|those|these))?\s*"
                      r"(?P<rest>.+)$", re.IGNORECASE)
# "should we cancel them?": asks whether to act on the ones asked about, a verb and a pointer only (its verb may be a
# word of the data, "cancel", but names no condition: it is the decision the answer informs)
ADVICE_ASKED_RE = re.compile(r"^(?:should|shall)\s+(?:we|i)\s+[a-z]+\s+(?:them|those|these|it|this\s+one|that\s+one)\s*[?.!]*$",
                             re.IGNORECASE)
# in a plan said after the question: "just" and the asker's own act of offering or recommending ("maybe offer them a
# trade account", "deciding where to push upsells"): what the asker will do with the answer, never a condition on it
# "those need an urgent reorder", "we should restock those": reordering the ones found is the asker's act too, not a
# low-stock condition on them; "that's where I'd send the buyer": sending is the asker's act, not a carrier's
PLAN_OWN_SENSES = {("grammar", "followup"), ("grammar", "recommend"), ("predicate", "low_stock"), ("grammar", "carrying")}
# "List shipments ...: order id, carrier and ship date": a list asked for, then after a colon what to show
COLUMNS_AFTER_COLON_RE = re.compile(r"^(?P<head>\s*(?:list|show)\b[^:]*?)\s*:\s*(?P<cols>[\w\s]+?(?:,|\band\b)[\w\s,]*?)"
                                    r"\s*[.!?]*$", re.IGNORECASE)
# "Rate, not count.", "revenue - not units": a word or two said again against another (set_aside_commentary)
RESTATED_RE = re.compile(r"^[a-z]+(?:\s+[a-z]+){0,2}\s*,?\s+not\s+(?:the\s+|a\s+|an\s+)?[a-z]+(?:\s+[a-z]+){0,2}\s*[.!]*$",
                         re.IGNORECASE)
ENTITY_DIMENSION = {"products": "product", "customers": "customer"}
# "rank all brands by revenue", "sort every category by units", "all cities ranked by customers": each one, ranked
EVERY_ONE_RANKED_RE = re.compile(r"\b(?:rank|sort|order)(?:ed)?\s+(?:all|every|each)\b|\b(?:all|every)\s+(?:the\s+|our\s+)?"
                                 r"[a-z]+s\s+(?:ranked|sorted)\b", re.IGNORECASE)
# "(count)", "count them" after a question: its figure is said to be a count, which it must then be
COUNT_SAID_RE = re.compile(r"^(?:count|count them|count it|count those|counts|a count|the count|as a count)$",
                           re.IGNORECASE)
# "all of those placed on the earliest date": every thing of the first (or last) day of a ranking by date
ALL_ON_EXTREME_DAY_RE = re.compile(r"\ball\b[^?.!]*\b(?:on|from)\s+the\s+(?:earliest|latest|oldest|newest|first|last)"
                                   r"\s+(?:date|day)\b", re.IGNORECASE)
# a clause boundary: after a sentence's end, around a spaced dash, a bracketed aside, and before a last clause
# after a comma that opens with "we" or "I" ("just the ids, we keep forgetting these": the asker's own remark), "to send",
# "to thank" ("top 5 customers by revenue, to send a thank-you gift": the asker's plan) or "so
# we"/"so I" (", so I know which to reorder first": the asker's purpose; was: a comma never parted "so I ...")
COMMENTARY_SPLIT = re.compile(r"(?<=[?.!;:])\s+|(\s+[—–-]\s+)|(\([^()]*\))"
                              r"|(?<=,)\s+(?=(?:(?:so\s+)?(?:we|i)|to\s+(?:send|thank|reward|invite))\s[^,?.!;:()]*[?.!]*\s*$)"
                              # "show the 3 oldest open orders so we can chase them": a purpose clause at the end,
                              # with or without a comma (was: 'chase' left unplaced)
                              r"|\s+(?=so\s+(?:we|i)\s+(?:can|could)\s[^,?.!;:()]*[?.!]*\s*$)",
                              re.IGNORECASE)


@per_engine
def parser_for(engine) -> SemanticParser:
    """The parser over the engine's lake vocabulary, built once per engine: the lexicon of a lake
    with 300,000 customer names takes over a second to build."""
    return SemanticParser(vocabulary_for(engine))


def _tied_note(tied: tuple[str, ...]) -> str:
    """" (could be 'stats' or 'status')": a slip the lexicon would not guess between."""
    if not tied:
        return ""
    shown = [repr(w) for w in tied[:4]]
    return f" (could be {', '.join(shown[:-1])} or {shown[-1]})"


def query_type(form: QueryForm) -> QueryType:
    if form.kind in ("bought_together", "recommend_customer"):
        return "recommendation"
    if form.order_by == "units_sold" and (form.subject == "products" or "product" in form.dimensions):
        return "recommendation"  # best sellers
    subject = form.subject or ""
    measures = set(form.measures)
    if measures & {"stock"} or any(p in ("low_stock", "below_reorder", "out_of_stock") for p in form.predicates) \
            or "warehouse" in form.dimensions:
        return "inventory"
    if subject == "shipments" or measures & {"delivery_time"} or form.lookup and form.lookup["entity"] == "order":
        return "order_status"
    if measures & {"revenue", "units_sold", "margin", "discount"}:
        return "sales_report"
    if subject == "customers" or "customer" in form.dimensions:
        return "customers"
    if subject == "products":
        return "inventory"
    return "orders"


ID_RE = re.compile(r"\b(order|customer|product|shipment)(?:\s+(?:number|no\.?|id|nr|#))?\s*#?\s*(\d+)\b")
# "status of orders 148, 507 and 825": several ids after the plural noun
MULTI_ID_RE = re.compile(r"\b(order|customer|product|shipment)s\s+(?:(?:numbers?|ids?|nos?\.?|nrs?)\s+)?#?\s*"
                         r"(\d+(?:\s*(?:,|&|\band\b|\bor\b)\s*(?:and\s+|or\s+)?#?\s*\d+)+)\b")
# a quoted text; an apostrophe inside a word ("who've", "haven't") neither opens nor closes one
TEXT_RE = re.compile(r"(?:[\"“‘]|(?<![a-z0-9])')([^\"'”’]{1,60})(?:[\"”’]|'(?![a-z0-9]))")
# a domain, or an address whose name may hold dots ("sami.johansson@mail.example")
DOMAIN_RE = re.compile(r"(?<![\w.@])@?([a-z0-9][\w-]*(?:\.[\w-]+)*@[a-z0-9][\w-]+(?:\.[a-z][\w-]+)+|"
                       r"[a-z0-9][\w-]+(?:\.[a-z][\w-]+)+)(?![\w@])", re.IGNORECASE)
CODE_RE = re.compile(r"(?<![\w-])([A-Z]{2,}[A-Z0-9]*-[A-Z0-9-]*)(?![\w-])")
MONEY_RE = re.compile(r"(?:€|eur\s*|\$)\s*(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*(?:€|eur|euros?|\$)(?![a-z])")


class _State:
    """One parse: the spans, what each was used for, and the form being filled."""

    def __init__(self, parser: SemanticParser, question: str, as_of: date) -> None:
        self.p = parser
        self.layer = parser.layer
        self.as_of = as_of
        self.question = question
        self.widened: list[str] = []  # fields whose condition "not just <value>" drops
        text = " " + question.lower().replace("’", "'") + " "
        # a dash joining two words or numbers ("Jan–Oct", "2024–2025") is a hyphen; spaced, it separates clauses
        text = re.sub(r"(?<=\w)[\u2010-\u2013\u2212](?=\w)", "-", text)
        text = parser.abbreviations_re.sub(lambda m: parser.abbreviations[m.group(0)], text)  # "qtr", "wh", "w/"
        text = re.sub(r"\b(what|that|it|there|who|where|here|how)'s\b", r"\1 is", text)
        text = re.sub(r"\b(who|we|they|you|i)'ve\b", r"\1 have", text)  # "customers who've spent over 5000"
        text = re.sub(r"(?<=[a-z0-9])'s\b", "", text)      # "this year's orders", "customer 15's"
        # "share of delivered shipments taking more than 3 days": the things that took that long (a participle
        # after the things, read before "taking" is mended to "takings"; "are taking", of parcels still on the
        # road, is left as said)
        text = re.sub(r"\b([a-z]+s)\s+taking\s+(?=(?:more|less|over|under|at|longer|within|up)\b)",
                      lambda m: m.group(0) if m.group(1) in ("is", "was", "has", "this") else f"{m.group(1)} that took ",
                      text)
        self.corrections: list[tuple[str, str]] = []

        self.unsure: dict[str, tuple[str, ...]] = {}  # a slip equally near two known words: left, both named

        def mend(m: re.Match) -> str:
            better, tied = parser.lexicon.mend(m.group(0))
            if better is None and tied:
                # "runing low": of the words equally near, the one that makes a phrase with its neighbour
                after = re.match(r"\s*([a-zåäöøæ]+)", m.string[m.end():])
                before = re.search(r"([a-zåäöøæ]+)\s*$", m.string[:m.start()])
                fits = [w for w in tied if any(
                    after and key[:2] == (w, after.group(1)) or before and key[-2:] == (before.group(1), w)
                    for key in parser.lexicon.phrases if len(key) > 1)]
                better = fits[0] if len(fits) == 1 else None
                if better is not None:
                    self.corrections.append((m.group(0), better))
                    return better
            if better is None:
                if tied:
                    self.unsure[m.group(0)] = tied
                return m.group(0)
            if m.group(0) in named and parser.lexicon.word_senses.get(better) and \
                    all(x == ("stop",) for x in parser.lexicon.word_senses[better]):
                # "what sells together with the Stihl Chainsaw?": a word written with a capital inside the
                # sentence is a name, never a slip for a function word ("still"; was: read as one, the name lost)
                return m.group(0)
            self.corrections.append((m.group(0), better))
            return better
        # typos mended before the rewrites below read the words ("sholud", "levle", "oredr"), save in a quoted
        # text, a code or a domain (kept as written); the pass after the slots mends what these rewrites made
        kept_spans = [m.span() for rx in (TEXT_RE, DOMAIN_RE) for m in rx.finditer(text)]
        for code in dict.fromkeys(CODE_RE.findall(question)):
            kept_spans += [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(code.lower())}(?![\w-])", text)]

        # words written with a capital inside a sentence (the shape of a name, as _titled reads it)
        named = {w.lower() for sentence in re.split(r"[.?!:;\u2014]\s+", question)
                 for w in re.findall(r"[\w'-]+", sentence)[1:] if w[:1].isupper() and w[1:2].islower()}

        def mend_free(m: re.Match) -> str:
            if any(a < m.end() and m.start() < b for a, b in kept_spans):
                return m.group(0)
            return mend(m)
        text = re.sub(r"(?<![\w])[a-zåäöøæ]{4,}(?![\w'])", mend_free, text)
        text = re.sub(r"\bwhoever\b", "who", text)        # "the email of whoever placed order 2769"
        text = re.sub(r"\bwhos\b", "who's", text)         # "whos fastest": the apostrophe left out, as "whats"
        # "Juha Lund called - which of his orders ...", "Erik rang: ...": a verb of getting in touch (layer
        # reporting_verbs) ending the few words that open the question, before a dash or colon, only says who asks
        # (as the filler "has called"); "products called 'x'" has no break after the verb
        # "their big order 2956": of one order named by its number, a word of its size or urgency (layer
        # id_adjectives) only describes it; it ranks nothing
        adjectives = "|".join(map(re.escape, self.layer.grammar.get("id_adjectives", [])))
        if adjectives:
            text = re.sub(rf"\b(?:{adjectives})\s+(?=(?:order|shipment)\s+(?:#\s*|no\.?\s*|number\s+|nr\.?\s*)?\d)", "",
                          text)
        reporting = "|".join(map(re.escape, sorted(self.layer.grammar.get("reporting_verbs", []), key=len, reverse=True)))
        if reporting:
            text = re.sub(rf"^(\s*(?:[\w.'-]+\s+){{1,5}}?)(?:{reporting})(?=\s*(?:\s[-\u2013\u2014]\s|:))", r"\1has called",
                          text)
        text = re.sub(r"\bnon-(?=[a-z])", "non ", text)     # "non-Finnish" is "not Finnish"
        # "order the categories by revenue", "sort products by price": a sorting verb opening the question is
        # "<things> sorted by <figure>" (the first "order" is not the orders table, nor a ranking of one)
        text = re.sub(r"^\s*(?:please\s+)?(?:(?:order|sort|rank|arrange)\s+(?:the|our|all|all\s+the|these|those|my)"
                      r"|(?:sort|rank|arrange))\s+(?![\d#])(.+?)\s+by\s+", r" \1 sorted by ", text)
        text = re.sub(r"#\s*(?:of\s+)?(?=[a-z])", " number of ", text)  # "# of orders", "# orders"
        # "across customers who never ordered, how many are business": an opening "across <things>," set off by a
        # comma before the question says which things are asked about ("among"), not a grouping by them
        text = re.sub(r"^(\s*)across\s+(?!(?:each|every)\b)(?=[^,?]{3,},\s*(?:how|what|which|who)\b)", r"\1among ",
                      text)
        # "average stock per product, across all 120 products": a number between "all" and the things' noun only
        # restates how many there are (never a year: "all 2025 orders"; was: refused, '120' not placed)
        text = re.sub(r"\b(?:across|over|of|for)\s+all\s+(?!(?:19|20)\d\d\b)\d+\s+(?=[a-z]+s\b)",
                      lambda m: m.group(0).split()[0] + " all ", text)
        # "do we have enough of it in stock? how many units on hand": whether it is enough is the asker's call on
        # the quantity held of the thing pointed at, which is what is read (was: refused, 'enough' not placed)
        text = re.sub(r"\b(have|hold|got)\s+enough\s+(?=of\s+(?:it|them|those|these|that)\b)", r"\1 ", text)
        # "at or below reorder level in any single warehouse": in any one of them, as "in any warehouse"
        text = re.sub(r"\bin\s+any\s+(?:single|individual|one)\s+(?=[a-z]+\b)", "in any ", text)
        # "the largest number of customers": the highest count (not the largest amount of something)
        text = re.sub(r"\b(?:largest|biggest|greatest)\s+(number|count)\s+of\b", r"highest \1 of", text)
        text = re.sub(r"\bunit\s+counts?\b", "units", text)  # "with their unit counts": the units
        text = re.sub(r"\bcounted\s+(?=(?:by|per)\b)", "number ", text)  # "shipped orders, counted by carrier"
        # "when was her last parcel shipped and by whom?": a parcel is carried by a carrier
        if re.search(r"\b(?:parcels?|shipments?|shipped|dispatched|delivered)\b", text):
            text = re.sub(r"\bby\s+whom\b", "by which carrier", text)
        # "how many products appeared in orders placed in October": were in them
        text = re.sub(r"\b(?:appeared|appear|appears|featured)\s+(?=(?:in|on)\b)", "were ", text)
        # "how many items (units) were on order 1234": of one order, items are counted as the units on its
        # lines already, so a bracket naming that unit restates them (elsewhere the bracket is left to refuse:
        # units are the glossary's units sold, of sales orders only, and items there are distinct products)
        if re.search(r"\border\s+(?:#|no\.?\s*|number\s+)?\d+", text):
            text = re.sub(r"\b(items?|pieces?)\s*\(\s*(?:units?|pieces?|quantity|qty)\s*\)", r"\1", text)
        # "(cancelled/returned orders don't count)": those orders left out, as "excluding cancelled and returned
        # orders" says it (the words before "orders" must still be read as the orders' own values)
        text = re.sub(r"(^|[(,;:\u2013\u2014-])\s*((?:[a-z]+\s*(?:/|&|\band\b|\bor\b)\s*){0,3}[a-z]+)\s+orders?\s+(?:don't|"
                      r"do\s+not|doesn't|does\s+not|won't|will\s+not|shouldn't|should\s+not)\s+count\b",
                      lambda m: f"{m.group(1)} excluding " + re.sub(r"\s*/\s*", " and ", m.group(2)) + " orders ", text)
        # "orders shipped two calendar days or more after the order date": the days from the order date to the ship
        # date, bounded (the layer's calendar-day measure)
        text = re.sub(r"\b(?:(?:were|was|got|are|is)\s+)?shipped\s+(?:(more\s+than|at\s+least|over|less\s+than|fewer\s+than|"
                      r"at\s+most|under)\s+)?([a-z0-9]+)\s+(?:calendar\s+)?days?\s*(or\s+more|or\s+later|or\s+longer|or\s+less|"
                      r"or\s+fewer)?\s+after\s+(?:the\s+|their\s+|its\s+)?order(?:\s+date)?\b",
                      lambda m: m.group(0) if bool(m.group(1)) == bool(m.group(3)) else
                      f" had {m.group(1) or ('at least' if m.group(3).split()[-1] in ('more', 'later', 'longer') else 'at most')} "
                      f"{m.group(2)} days between order date and ship date ", text)
        # "if we only count active products", "counting only web orders": a restriction to those things, as
        # "only" says it (no count is asked)
        text = re.sub(r"\b(?:(?:if|when)\s+(?:we|you)\s+(?:only\s+count|count\s+only)|only\s+counting|counting\s+only)\b",
                      "only", text)
        # "How much did we give away in discounts? Only count orders that weren't cancelled": a sentence after the
        # question opening with "only count" restricts the things, as "only" says it (was: a count asked too)
        text = re.sub(r"(?<=[.?!;:(])(\s*)(?:please\s+)?(?:only\s+count|count\s+only)\b", r"\1only", text)
        # "how many customers ordered ...? count each customer once": the things counted are each counted once
        # already (a count of things is of distinct ones), so it says nothing more (was: "each customer" read as a
        # grouping by customer, refused); said of another thing than the one counted it is left to refuse
        text = re.sub(r"[.,;:(]?\s*\b(?:count|counting|counted)\s+each\s+([a-z]+?)s?\s+(?:only\s+)?once\b\s*\)?",
                      lambda m: " " if re.search(rf"\bhow\s+many\s+(?:[a-z]+\s+){{0,2}}{m.group(1)}s\b", text) else m.group(0),
                      text)
        # "consumers who placed only two orders", "customers with only one order": that many and no more, as
        # "exactly" says it (else "only" reads as a restriction and "one order" as having ordered at all)
        text = re.sub(r"\b(placed|made|with|have|has|had)\s+(?:only|just)\s+([a-z0-9]+)\s+(orders?)\b",
                      lambda m: f"{m.group(1)} exactly {m.group(2)} {m.group(3)}"
                      if m.group(2).isdigit() or m.group(2) in NUMBER_WORDS else m.group(0), text)
        # "which 4 products appear in returned orders most often": the things ranked by how many of those
        # orders they are in, as "appear in the most returned orders" says it
        text = re.sub(r"\b(in|on)\s+((?:[a-z0-9-]+\s+){0,2}?orders)\s+(?:the\s+)?most\s+(?:often|frequently)\b",
                      r"\1 the most \2", text)
        # "customers who ordered before but not in the last 90 days": the "not" is of the ordering said before it
        text = ORDERED_BEFORE_BUT_NOT.sub(r"\1\2 but have not ordered ", text)
        # "through all three channels (web, store and b2b)": every one of the values listed, as "both" says it
        text = re.sub(r"\ball\s+(two|three|four|five|[2-9])\s+[a-z]+s\s*\(([^()]+)\)", _all_listed, text)
        # "more than twice their reorder level": 2 times it (the layer's stock multiple)
        text = re.sub(r"\btwice\s+(?=(?:their|its|the)\s+(?:own\s+)?reorder\s+(?:level|point)s?\b)", "2 times ", text)
        # "since the start of this year": this year to date, the period the calendar words name
        text = re.sub(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?=this\s+(?:year|month|quarter|week)\b)", "in ",
                      text)
        # "how much would it cost (at unit cost) to bring every low-stock product back up to its reorder level": the
        # shortfall's cost (the layer's shortfall_cost) summed, as the units needed are the shortfall; only of things
        # said to be low (above the level the difference is no cost but a surplus)
        text = re.sub(r"\bhow\s+much\s+would\s+it\s+cost\s+(?:at\s+(?:unit\s+)?cost\s+)?to\s+(?:bring|get)\s+"
                      r"(?:(?:every|each|all(?:\s+the)?|the|our)\s+)?(.+?)\s+"
                      r"back\s+(?:up\s+)?to\s+(?:its|their|the)\s+(?:own\s+)?reorder\s+(?:level|point)s?\b",
                      lambda m: f" total shortfall cost of {m.group(1)} "
                      if re.search(r"\blow[\s-]?stock\b|\bbelow\b|\bout\s+of\s+stock\b", m.group(1)) else m.group(0), text)
        # "how many units it takes to get back up to that level", "how many units would bring each one back up to
        # it": the units short of the reorder level (the layer's shortfall), not units sold nor a count
        text = re.sub(r"\bhow\s+many\s+units\s+(?:(?:would\s+)?it\s+(?:takes?|would\s+take)|would\s+it\s+take|would|"
                      r"do\s+we\s+need(?:\s+to\s+order)?|we\s+need(?:\s+to\s+order)?|are\s+needed)\s+(?:to\s+)?"
                      r"(?:get|bring)\s+(?:it\s+|them\s+|each\s+(?:one\s+)?)?back\s+(?:up\s+)?to\s+(?:(?:its|their|the|that)"
                      r"\s+(?:reorder\s+)?level|it|them)\b", " shortfall ", text)
        # "how many units should we order of each low-stock item to get it back up to its reorder level", "how many
        # <products> do we need to order to get back to the reorder level": the same shortfall, asked with the act
        # of ordering first and the level it must reach in a purpose clause after
        back = re.search(r"\s+(?:in\s+order\s+)?to\s+(?:get|bring|top)\s+((?:[a-z0-9-]+\s+){0,4}?)(?:(?:back\s+)?up|back)\s+"
                         r"to\s+(?:(?:its|their|the|that)\s+)?(?:own\s+)?reorder\s+(?:level|point)s?\b", text)
        if back is not None:
            # ("how many units of each product below reorder level do we need to order ...": whose, said after "of")
            asked = re.search(r"\bhow\s+many\s+(units(?:\s+of\s+(?:[a-z0-9-]+\s+){0,6}?[a-z0-9-]+)?|"
                              r"(?:[a-z0-9-]+\s+){0,3}?[a-z0-9-]+?s)\s+(?:should|do|would|must|will|shall)"
                              r"\s+we\s+(?:need\s+to\s+|have\s+to\s+)?(?:order|buy|reorder|restock|purchase)\b",
                              text[:back.start()])
            if asked is not None:
                of_whom = asked.group(1).startswith("units ")
                what = "" if asked.group(1) == "units" or of_whom else asked.group(1)
                held = back.group(1).strip()  # "to get the low-stock products back up to ...": whose shortfall
                held = "" if re.fullmatch(r"(?:it|them|those|these|stock|each(?:\s+one)?)?", held) else f" of {held}"
                if of_whom and not held:
                    held = " " + asked.group(1)[len("units "):]  # "shortfall of each product below reorder level"
                text = (text[:asked.start()] + f" {what} shortfall " + text[asked.end():back.start()] + held + " "
                        + text[back.end():])
        # "ordered more than once": a count of orders ("bought at least twice", "ordered 3 times or more")
        # ("at least once" is the layer's has_ordered condition: there is such an order)
        text = re.sub(r"\b(ordered|bought|purchased|shopped)\s+(?!at\s+least\s+once\b)(more\s+than|at\s+least|fewer\s+than|less\s+than|"
                      r"at\s+most|exactly)\s+(once|twice|(\d+)\s+times)\b",
                      lambda m: f"{m.group(1)} {m.group(2)} {1 if m.group(3) == 'once' else 2 if m.group(3) == 'twice' else m.group(4)} orders",
                      text)
        # "have ordered in a store at least once": of an ordering said with its value between, "at least once" only
        # restates that there is such an order (a join on the value already says it)
        text = re.sub(r"\b(ordered|bought|purchased|shopped)\s+((?:(?!but\b|and\b|or\b|never\b|not\b|no\b)[a-z0-9-]+\s+)"
                      r"{1,4}?)at\s+least\s+once\b", r"\1 \2", text)
        # "which customers signed up in 2025? name and city": a list of words after the question is what to show
        text = re.sub(r"\?\s+([a-zåäö]+(?:\s*(?:,|\band\b)\s*[a-zåäö]+)+)\s*[.?]?\s*$", r", show \1 ", text)
        self.pointer_one = False  # an aside set apart points at one thing ("want to feature it")
        self.in_percent: set[str] = set()  # fraction measures asked in percent ("margin in percent")
        self.texts: list[str] = []
        self.ids: list[tuple[str, int]] = []

        def text_slot(m: re.Match) -> str:
            # "orders still in status 'shipped'": a quoted value of the field named right before it is that value
            # (was: a text looked for in the order id)
            said = tuple(tokenize(m.group(1).strip().lower()))
            before = re.findall(r"[a-z]+", m.string[:m.start()].lower())[-1:]
            dims = {x[1] for x in parser.lexicon.phrases.get(tuple(before), []) if x[0] == "dimension"}
            if said and dims and any(x[0] == "value" and x[1] in dims for x in parser.lexicon.phrases.get(said, [])):
                return f" {' '.join(said)} "
            self.texts.append(m.group(1).strip())
            return f" __text{len(self.texts) - 1}__ "
        text = TEXT_RE.sub(text_slot, text)
        # a code written in capitals with a hyphen ("AB-", "XY-000123") that the lexicon does not know
        # is a text to look for, kept as written (tokens would lose the hyphen)
        self.codes: set[str] = set()
        for code in dict.fromkeys(CODE_RE.findall(question)):
            prefix = code.split("-")[0].lower()  # "SKU-009999" names a field the lexicon knows: not free text
            if tuple(tokenize(code.lower())) not in parser.lexicon.phrases and (prefix,) not in parser.lexicon.phrases:
                self.texts.append(code)
                self.codes.add(code)
                text = re.sub(rf"(?<![\w-]){re.escape(code.lower())}(?![\w-])", f" __text{len(self.texts) - 1}__ ", text)
        # a domain or address unquoted ("an email at shop.example") is a text to look for, not words
        self.addresses = {m.group(1).strip().lower() for m in DOMAIN_RE.finditer(text)}
        text = DOMAIN_RE.sub(text_slot, text)
        # typos first: "last motnh" and "ordre 1234" must reach the period and id patterns mended
        text = re.sub(r"(?<![\w])[a-zåäöøæ]{4,}(?![\w'])", mend, text)
        if self.corrections:  # "orderd before but not since May": the mended words read as the rewrite reads them
            text = ORDERED_BEFORE_BUT_NOT.sub(r"\1\2 but have not ordered ", text)
        text = parser.abbreviations_re.sub(lambda m: parser.abbreviations[m.group(0)], text)  # "csuts": "custs"
        # "how many consumers signed up", "which consumer placed the most orders": a value that is also a noun for
        # its things (layer value_nouns), asked about with no noun of its own after it, names those things
        nouns = {w: f"{w} {entity}" for entity, words in self.layer.grammar.get("value_nouns", {}).items()
                 if not entity.startswith("_") for w, entity in words.items()}
        if nouns:
            heads = {w for spec in self.layer.tables.values() for syn in spec.get("synonyms", []) for w in syn.split()}
            heads |= {w for spec in self.layer.dimensions.values() for syn in spec["synonyms"] for w in syn.split()}
            text = re.sub(rf"\b(which|what|how\s+many|number\s+of)\s+({'|'.join(map(re.escape, nouns))})\b"
                          rf"(?![\w-]|\s+(?:{'|'.join(map(re.escape, sorted(heads)))})\b)",
                          lambda m: f"{m.group(1)} {nouns[m.group(2)]}", text)
        # "with their number of orders, including those with zero": every thing listed, one with none at 0 (a note the
        # planner reads; refused where it cannot join the figure's rows outer)
        zeros = self.layer.grammar.get("zero_included", {}).get("words", [])
        self.zero_included = bool(zeros) and re.search(
            rf"\b(?:{'|'.join(map(re.escape, sorted(zeros, key=len, reverse=True)))})\b", text) is not None
        if self.zero_included:
            text = re.sub(rf",?\s*\b(?:{'|'.join(map(re.escape, sorted(zeros, key=len, reverse=True)))})\b", " ", text)
        # "with at least 5 revenue orders": a number of the orders that count as revenue, not 5 EUR of revenue
        counted = self.layer.grammar.get("counted_sales_orders")
        if counted:
            numbers = "|".join([r"\d+", *NUMBER_WORDS])
            text = re.sub(rf"\b({numbers})\s+(?:{'|'.join(map(re.escape, counted['words']))})\b",
                          lambda m: f"{m.group(1)} {counted['as']}", text)

        def id_slot(m: re.Match) -> str:
            if re.fullmatch(r"[a-z]+\s+\d+", m.group(0)) and 1990 <= int(m.group(2)) <= 2100 and re.search(
                    r"\b(?:per|each|every)\s+(?:[a-z]+\s+)?$", m.string[:m.start()]):
                return m.group(0)  # "avg revenue per buying customer 2025": one of many things is no one id; a year
            self.ids.append((m.group(1), int(m.group(2))))
            return f" __id{len(self.ids) - 1}__ "
        self.id_lists: dict[int, list[int]] = {}

        def ids_slot(m: re.Match) -> str:
            numbers = [int(n) for n in re.findall(r"\d+", m.group(2))]
            if all(1990 <= n <= 2100 for n in numbers):
                return m.group(0)  # "orders 2024 and 2025": years
            self.id_lists[len(self.ids)] = list(dict.fromkeys(numbers))
            self.ids.append((m.group(1), numbers[0]))
            return f" {m.group(1)}s __id{len(self.ids) - 1}__ "
        text = MULTI_ID_RE.sub(ids_slot, text)
        text = ID_RE.sub(id_slot, text)
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)   # 1,000 -> 1000
        # "the most Heating stock above reorder levels": a superlative of the stock above the level is of the
        # surplus (the stock less the level), not a condition that stock exceeds it
        text = re.sub(r"\b(most|least|highest|lowest|largest|biggest|greatest)\s+((?:(?!spare\b|excess\b|surplus\b)[\w-]+\s+){0,2}?)stock\s+"
                      r"(?:above|over|in\s+excess\s+of)\s+(?:the\s+|their\s+|its\s+)?reorder\s+(?:levels?|points?)\b",
                      r"\1 \2surplus over reorder level", text)
        kept: list[str] = []

        def keep(m: re.Match) -> str:
            if re.search(r"\b(?:with|by|via|through|using|from|on|at|of)\s+$", m.string[:m.start()]):
                return m.group(0)  # "shipped with bring in 2025": after a preposition it is a name, not the verb
            first = m.group(1).split()[0]
            if re.search(rf"(?<![\w-]){re.escape(first)}(?![\w-])", question.replace("’", "'")) is None:
                return m.group(0)  # "Bring in 2025: late deliveries": written as a name
            kept.append(m.group(1))
            return f" __keep{len(kept) - 1}__ "
        if parser.phrasal_re is not None:
            text = parser.phrasal_re.sub(keep, text)
        # "records not updated since 13 October": a row's one date (a column, not a count of events) is
        # before that day ("customers who haven't ordered since" stays a test of their orders); "since
        # before 18 October" says the same
        dated = {w for spec in self.layer.tables.values() for col in spec["columns"].values()
                 if col["type"] in ("DATE", "TIMESTAMP") for w in col.get("synonyms", []) if " " not in w}
        if dated:
            text = re.sub(rf"\b(?:haven't|hasn't|have\s+not|has\s+not|not)\s+(?:been\s+)?"
                          rf"({'|'.join(map(re.escape, sorted(dated)))})\s+since(?:\s+before)?\b", r"\1 before", text)
            # "last updated before 15 October", "(last update before ...)": that one date, not a ranking
            stems = {w: w for w in dated} | {w[:-1]: w for w in dated if w.endswith("ed")}
            text = re.sub(rf"\blast\s+({'|'.join(map(re.escape, sorted(stems)))})\s+"
                          r"(?=(?:before|prior\s+to|since|after|until|on)\b)", lambda m: f"{stems[m.group(1)]} ", text)
        # "not updated since 2026-10-20 (last update before that date)": "that date" is the one date the question
        # names, said again (was: 'before' left unplaced)
        named_dates = list(dict.fromkeys(m.group(0).strip() for m in re.finditer(DATE_RE, text)))
        if len(named_dates) == 1:
            text = re.sub(r"\b(?:that|this|the\s+same)\s+(?:date|day)\b", named_dates[0], text)
        # "within 48 hours (2 days) of shipping": a duration restated in brackets in another unit is one duration
        hours = {"hour": 1, "hours": 1, "day": 24, "days": 24, "week": 168, "weeks": 168}
        text = re.sub(r"\b(\d+(?:\.\d+)?)\s*(hours?|days?|weeks?)\s*\(\s*(?:i\.e\.\s*|or\s+|=\s*)?(\d+(?:\.\d+)?)\s*"
                      r"(hours?|days?|weeks?)\s*\)", lambda m: f"{m.group(1)} {m.group(2)}" if float(m.group(1)) * hours[
                          m.group(2)] == float(m.group(3)) * hours[m.group(4)] else m.group(0), text)
        periods = Periods(as_of, tuple(w for w in self.layer.grammar["growth"] if w.replace(" ", "").isalpha()))
        text = periods.extract(text)
        # "how many orders did customer 42 place in 2025 and how many in 2026": the same figure asked again for a
        # second period, the two side by side as "in 2025 vs 2026" says it
        if re.match(r"\s*how\s+(?:many|much)\b", text):
            text = re.sub(r"(__period\d+__)\s*,?\s*and\s+how\s+(?:many|much)\s+(?:(?:in|for|during)\s+)?(__period\d+__)\s*\??\s*$",
                          r"\1 vs \2 ", text)
        # "over 200 EUR": the currency stays as a slot after the number, so it must be placed (an amount)
        text = MONEY_RE.sub(lambda m: f" {m.group(1) or m.group(2)} __money__ ", text)
        # "above 50%": a number in percent (a fraction for measures kept as fractions, like margin)
        text = re.sub(r"(\d+(?:[.,]\d+)?)\s*(?:%|percent\b)", r" \1 __pct__ ", text)
        self.periods = periods.found
        # a period wholly after the as-of day has no rows yet: a forecast, which the lake cannot answer
        future = [p for p in periods.found if p.start_date > as_of]
        if future:
            raise NotUnderstood(f"{future[0].label} is after {as_of}: the lake has no data for the future and I do "
                                "not forecast", field="question", hint="ask about a period up to today")
        words = [w for tok in tokenize(text) for w in (
            tokenize(kept[int(tok[6:-2])]) if tok.startswith("__keep") else [tok])]
        # "two thousand", "3 hundred": the number times the multiplier
        merged: list[str] = []
        for w in words:
            factor = {"thousand": 1000, "hundred": 100}.get(w)
            prev = merged[-1] if merged else ""
            base = NUMBER_WORDS.get(prev) if prev in NUMBER_WORDS else (float(prev) if prev.replace(".", "", 1).isdigit()
                                                                        else None)
            if factor and base:
                merged[-1] = str(int(base * factor))
                continue
            merged.append(w)
        words = merged
        # "one" is a number after a comparator ("at least one", "more than one"), "top" ("just the top
        # one") or before a time unit ("one day"), else a pronoun
        # "zero" is a number only after a comparator ("more than zero"); else a word of the layer's
        # phrases ("zero stock", "at zero on hand", "zero orders")
        words = [str(NUMBER_WORDS[w]) if w in NUMBER_WORDS and (w not in ("one", "zero") or k > 0 and words[k - 1] in (
                     "least", "than", "most", "exactly", "to") or w == "one" and k > 0 and words[k - 1] == "top"
                     # "within one day of shipping": one of a time unit
                     or w == "one" and words[k + 1:k + 2] in (["day"], ["week"], ["hour"]))
                 else w for k, w in enumerate(words)]
        # a period restated in brackets ("last quarter (shipped in Q3)") is one period, not two:
        # every slot of the same dates names the first of them
        unique: list[Period] = []
        index: dict[int, int] = {}
        for k, p in enumerate(periods.found):
            same = next((u for u, q in enumerate(unique) if (q.start, q.end) == (p.start, p.end)), None)
            if same is None:
                unique.append(p)
                same = len(unique) - 1
            index[k] = same
        words = [f"__period{index[int(w[8:-2])]}__" if w.startswith("__period") else w for w in words]
        self.periods = unique
        self.spans: list[Span] = parser.lexicon.spans(words)
        self.unplaced: list[Span] = []  # stop words that asked for something here: never dropped silently
        self.counts_shown: set[int] = set()  # spans of things counted per listed thing ("with their number of orders")
        self.form = QueryForm()

    # ----- helpers
    def content(self) -> list[Span]:
        return [s for s in self.spans if not s.used and not (len(s.senses) == 1 and s.senses[0][0] == "stop")]

    def next_content(self, i: int, skip_stop: bool = True) -> tuple[int, Span] | None:
        for j in range(i + 1, len(self.spans)):
            s = self.spans[j]
            if skip_stop and s.has("stop") and not s.used and not self._meaningful(s):
                continue
            return j, s
        return None

    def prev_content(self, i: int) -> tuple[int, Span] | None:
        for j in range(i - 1, -1, -1):
            s = self.spans[j]
            if s.has("stop") and not self._meaningful(s):
                continue
            return j, s
        return None

    @staticmethod
    def _meaningful(s: Span) -> bool:
        return any(x[0] not in ("stop", "grammar") for x in s.senses) or s.has("grammar", "negation")

    def values_of(self, s: Span) -> list[tuple[str, str]]:
        return [(x[1], x[2]) for x in s.senses if x[0] == "value"]

    # ----- the grammar
    def _cost_of_shipping(self) -> None:
        """A cost said of the shipping verb with no product named is a shipping cost, which the lake lacks
        ("what did shipping with DHL cost us in 2025"); "what did the products we shipped cost us" keeps unit cost."""
        senses = [tuple(x) for s in self.spans for x in s.senses]
        product_side = any(x[0] == "entity" and x[1] == "products"
                           or x[0] in ("value", "dimension") and x[1] in ("product", "category", "brand")
                           for x in senses)
        if (("activity", "shipments") in senses and ("attribute", "products.unit_cost") in senses
                and not product_side):
            raise NotUnderstood("the retail lake has no data about shipping cost",
                                hint="try: " + "; ".join(SUGGESTIONS[:4]))

    def interpret(self, context: QueryForm | None) -> QueryForm:
        unknown = [s.text for s in self.spans if s.senses and all(x[0] == "unknown" for x in s.senses)]
        if unknown:
            raise NotUnderstood(f"the retail lake has no data about {', '.join(unknown)}",
                                hint="try: " + "; ".join(SUGGESTIONS[:4]))
        self._cost_of_shipping()
        followup = context is not None and self._is_followup(context)
        self.context = context if followup else None
        if context is None:
            self._pointer_without_referent()
        self._action_requested()
        f = self.form
        self._instead_of_previous()
        self._compound_noun()
        self._out_in_a_warehouse()
        self._lines_of_stock()
        self._other_scopes()
        self._by_how_many_below()
        self._slots()
        self._measure_split_by_verb()
        self._in_any_scope()
        self._compared_predicates()
        self._valuations()
        self._worth()
        self._verbs_not_values()
        self._single_items()
        self._carrying_verbs()
        self._widen()
        self._negation_after_values()
        self._negations()
        self._ages()
        self._how_long()
        self._comparisons()
        self._predicate_bounds()
        self._ranges_and_comparators()
        self._little_sales_bounded()
        self._duration_anchors()
        self._money_placed()
        self._percent_values()
        self._shares_and_growth()
        self._split_between()
        self._residence()
        self._groupings()
        self._every_period_of_grain()
        self._movers()
        self._age_figures()
        self._duration_aggregates()
        self._sorted_first()
        if re.search(r"\b(?:that|which|who) (?:sold|bought|ordered) (?:anything|something)\b",
                     " ".join(x.text for x in self.spans)):
            # "the lowest revenue (among brands that sold anything)": only those with sales are ranked, none at 0
            f.notes.append("with_rows")
        self._superlatives()
        self._extreme_of_column_per_group()
        self._counts()
        self._contains()
        self._possessives()
        self._rest()
        self._group_ranked_by_column_extreme()
        self._units_said_of_a_figure()
        self._each_did()
        self._those_with_figure()
        self._never_ordered_values()
        self._both()
        self._values_held_together()
        self._fraction_scale_said()
        self._only_through()
        self._units_of_stock()
        self._shown_beside()
        self._figure_restated()
        self._one_row_per()
        self._dimension_mix()
        self._over_the_things()
        self._event_predicate_dated()
        self._period_of_parent_rows()
        self._status_of_shipment()
        self._status_of_ones_orders()
        self._undelivered_orders()
        self._which_order_ranked()
        self._measures_shown_per_item()
        self._average_over_periods()
        self._that_period()
        self._values_never_bought()
        self._unknown_names()
        self._bound_on_each_row()
        self._shown_too()
        if followup:
            assert context is not None
            new = self.form
            f = self._merge(context)
            if new.offset or new.limit or new.order_by:
                f.offset = new.offset  # a ranking said again says its own place ("top 5 instead": none skipped)
            if f.limit != 1:
                f.offset = 0
        else:
            self._which_value_ranked()
            self._reorder_advice()
            explicit_limit = self.form.limit
            self._decide_kind()
            f = self.form
            self._all_on_the_extreme_date(f)
            self._duration_counted_from(f)
            if self.zero_included:
                f.notes.append("zero_included")
            self._amount_not_count(f)
            self._purchases_are_sales(f)
            self._where_is_product(f)
            if explicit_limit is None and EVERY_ONE_RANKED_RE.search(self.question):
                f.notes.append("sorted")  # "rank all brands by revenue": every brand, in that order (was a top 10)
            if "sorted" in f.notes and explicit_limit is None and f.kind == "aggregate":
                f.limit = None  # "revenue per category, highest first": every group, in that order
            self._entity_words_shown(f)
            self._own_columns_listed(f)
            self._amount_of_measure(f)
            self._per_group(f, explicit_limit)
            self._share_of_predicate_entity(f)
            self._ordered_most(f)
            self._no_such_orders(f)
            self._counted_where(f)
            self._which_per_scope(f)
        try:
            self._periods_and_fields(f)
            self._growth_direction(f)
            self._growth_bound(f)
            self._evaluative_direction(f)
            self._purposes(f)
            self._slow_things(f)
            self._net_of_discount(f)
            self._accept(f)
        except NotUnderstood as refused:
            if followup and context is not None and "previous question" not in refused.message:
                # a follow-up refused says which question it could not be applied to
                raise NotUnderstood(f"{refused.message}; as a follow-up to the previous question: "
                                    f"{previous_words(context, self.layer)}", field=refused.field,
                                    hint=refused.hint) from refused
            raise
        return f

    def _bound_on_each_row(self) -> None:
        """"revenue from orders worth more than 500 euros each": "each" right after a bound on a column of the
        things' own rows (an order's total amount) says the bound is on each one, as it already is (was: 'each'
        unplaced, refused). A bound on a figure summed per thing ("customers who spent over 500 each") is not read."""
        for k, s in enumerate(self.spans):
            if s.used or s.text != "each" or k < 2:
                continue
            j = k - 1
            if self.spans[j].text == "__money__" or self.spans[j].first("currency") or self.spans[j].first("unit"):
                j -= 1
            num = self.spans[j]
            if j < 1 or not num.first("number") or not self.spans[j - 1].has("comparator"):
                continue
            value = num.arg("number")
            if any("." in x.field and x.field.split(".")[0] in {e.get("table") for e in self.layer.entities.values()}
                   and x.op in ("<", "<=", ">", ">=") and value in x.values for x in self.form.filters):
                s.used = True

    def _shown_too(self) -> None:
        """"Which customers have placed more than 30 orders? Show the number of orders too.": a last "too" / "as
        well" after a figure placed, in a clause that asks to show it, of a question grouped by the things (the
        figure is each one's) adds nothing to read (was: 'too' unplaced, refused)."""
        if len(self.spans) < 3 or not self.spans[-1].has("grammar", "adding") or self.spans[-1].used:
            return
        figure = self.spans[-2]
        if not figure.used or not any(x[0] in ("measure", "entity", "attribute", "dimension") for x in figure.senses):
            return
        bounded = not self.form.measures and figure.first("measure") is not None and any(
            x.field == figure.arg("measure") and x.op in ("<", "<=", ">", ">=", "between") for x in self.form.filters)
        if not self.form.dimensions and not bounded:
            # "anything to reorder? show stock too": a figure beside listed things, not read here: refused ("which
            # products have more than 900 units in stock? give the stock too": the figure bounded, which a list
            # shows beside each row, is read)
            return
        k = len(self.spans) - 2
        while k > 0 and self.spans[k - 1].text not in ("show", "display", "give", "include", "list"):
            if self.spans[k - 1].text in (".", "?", ",", "and") or self.spans[k - 1].first("comparator"):
                return
            k -= 1
        if k > 0:
            self.spans[-1].used = True

    def _own_columns_listed(self, f: QueryForm) -> None:
        """"which stock records are below reorder level": a figure shown beside each listed row that only sums a
        column of the rows' own table (stock: SUM(inventory.quantity_on_hand)) is that row's column (was: a SUM
        beside ungrouped columns, which failed)."""
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        if f.kind != "list" or not table:
            return
        for k, m in enumerate(f.show):
            sql = str(self.layer.measures.get(m, {}).get("sql", ""))
            match = re.fullmatch(r"SUM\((\w+)\.(\w+)\)", sql)
            if match and match.group(1) == table:
                f.show[k] = f"{table}.{match.group(2)}"
        for k, x in enumerate(f.filters):
            # "which stock records have more than 390 units on hand": a bound on such a figure is on each row's
            # own column (was: a HAVING over ungrouped columns, which failed)
            sql = str(self.layer.measures.get(x.field, {}).get("sql", ""))
            match = re.fullmatch(r"SUM\((\w+)\.(\w+)\)", sql)
            if match and match.group(1) == table and x.op in ("<", "<=", ">", ">=", "=", "between"):
                f.filters[k] = replace(x, field=f"{table}.{match.group(2)}")

    def _reorder_advice(self) -> None:
        """"what should we reorder?", "what needs restocking in Vantaa": every product at or below its reorder
        level (the glossary's low stock, as most writers and the shipped set read it), each shown with whether it
        is still active, and the answer says discontinued ones are included (a discontinued product is not
        reordered; the user sees which they are and can ask for active products only). Where the condition is
        also said in facts ("low on stock", "out of stock") or active / discontinued products are named, the
        question says itself which ones."""
        spec = self.layer.grammar.get("reorder_advice")
        f = self.form
        if not spec or spec["predicate"] not in f.predicates:
            return
        words = set(spec["words"])
        conditions = [s for s in self.spans if s.first("predicate") and s.used
                      and self.layer.predicates.get(s.arg("predicate"), {}).get("entity") == "products"]
        advice = [s for s in conditions if s.arg("predicate") == spec["predicate"] and s.text in words]
        if not advice or len(advice) != len(conditions):
            return  # no advice word, or a stated condition beside it (or active / discontinued named)
        if "products.active" not in f.show:
            f.show.append("products.active")
        f.notes.append("reorder_advice")

    def _which_value_ranked(self) -> None:
        """"which physical store sold the most?": a value of a dimension asked for as if it were a kind of thing
        (which one of the stores) names nothing the lake can rank; ranking products within it would answer
        another question. A value of a ranked thing's own table is a kind of it ("which consumer spent most")."""
        ranks = bool(self.form.order_by or "ranked" in self.form.notes)
        dims, entities = self.layer.dimensions, self.layer.entities
        kinds = {dims[e["singular"]]["column"].split(".")[0] for e in entities.values()  # things ranked by name
                 if e.get("singular") in dims and not dims[e["singular"]]["column"].endswith("_id")}
        for k, s in enumerate(self.spans[1:], start=1):
            if self.spans[k - 1].text not in ("which", "what") or not self.values_of(s) or not ranks:
                continue
            nxt = self.next_content(k)
            dim, value = self.values_of(s)[0]
            if dims.get(dim, {}).get("column", "").split(".")[0] in kinds:
                continue
            if nxt is None or not (nxt[1].first("entity") or nxt[1].first("dimension")):
                raise NotUnderstood(f"'{s.text}' is a {dim} ({value}), not a kind of thing to pick one of",
                                    hint=f"e.g. 'which {dim} sold the most', 'best selling products in {value}'")

    def _compound_noun(self) -> None:
        """"which business customer order was the largest", "how many customer orders last month": a thing named
        in the singular right before another thing is a modifier of it (orders of customers), not a thing asked
        (was: orders counted per customer, or the customers counted)."""
        for a, b in zip(self.spans, self.spans[1:], strict=False):
            ea, eb = a.first("entity"), b.first("entity")
            if ea and eb and ea[1] != eb[1] and not a.used and not a.text.endswith("s") and \
                    a.text == self.layer.entities[ea[1]].get("singular"):
                a.senses, a.used = [("stop",)], True

    def _instead_of_previous(self) -> None:
        """"by segment rather than country", "maximum delivery time instead of average": in a follow-up, the words
        right after "instead of" / "rather than" that name what the previous question had (a grouping, a figure,
        its aggregate) say what the new words replace; read as "instead", they add nothing themselves."""
        c = self.context
        if c is None:
            return
        aggregates = self.layer.grammar.get("aggregates", {})
        for k, (a, b) in enumerate(zip(self.spans, self.spans[1:], strict=False)):
            if (a.text, b.text) not in (("instead", "of"), ("rather", "than")):
                continue
            named = []
            fillers = ("the", "a", "an", "per", "by")  # "per month instead of per carrier": the grouping word said again
            for x in self.spans[k + 2:]:
                if x.text in fillers or x.has("dimension") and x.arg("dimension") in c.dimensions or \
                        x.first("grain") and x.arg("grain") == c.grain or \
                        x.first("measure") and x.arg("measure") in c.measures or \
                        (x.text in aggregates or x.has("grammar", "average")) and bool(c.measures):
                    named.append(x)
                elif any(m.startswith("count") for m in c.measures) and (x.has("grammar", "count") or x.first(
                        "entity") and x.arg("entity") == (c.subject or "orders") and x is not self.spans[-1]
                        and self.spans[self.spans.index(x) + 1].has("grammar", "count")):
                    named.append(x)  # "revenue instead of order count" after orders counted: the count replaced
                else:
                    break
            if not any(x.text not in fillers for x in named):
                continue
            for x in (a, b, *named) if a.text == "rather" else (b, *named):
                x.senses, x.used = [("stop",)], True
            if a.text == "rather":
                a.text = "instead"  # the replacing reading of "instead" (not adding beside the previous grouping)

    def _compared_predicates(self) -> None:
        """"products with stock under 50", "with stock over 500 units": a condition's words followed by a
        comparator name the measure compared (layer measure_when_compared), not the condition (in stock)."""
        for k, s in enumerate(self.spans):
            name = s.arg("predicate") if s.first("predicate") else None
            measure = self.layer.predicates.get(name or "", {}).get("measure_when_compared")
            nxt = self.next_content(k)
            num = self.next_content(nxt[0]) if measure and nxt is not None else None
            place = self.next_content(num[0]) if num is not None and num[1].first("number") else None
            # "still have units in at least one warehouse": the comparator counts the places, the condition stays
            places = place is not None and place[1].has("dimension", self.layer.predicates[name or ""].get("scoped_by"))
            if measure and nxt is not None and nxt[1].first("comparator") and not places:
                s.senses = [("measure", measure)]
            figure = measure or (s.arg("measure") if s.first("measure") else None)
            if figure and nxt is not None and nxt[1].first("predicate") and figure in self.layer.predicates.get(
                    nxt[1].arg("predicate"), {}).get("show", []) and any(
                    x.first("entity") and (x.arg("entity") == self.layer.predicates[nxt[1].arg("predicate")].get("entity")
                                           # "in which warehouse rows is stock below ...": the rows the condition sums
                                           or self.layer.entities[x.arg("entity")]["table"] + "." in
                                           self.layer.predicates[nxt[1].arg("predicate")].get("sql", ""))
                    for x in self.spans[:k]):
                # "products whose total stock is below their reorder level", "items that have stock at or under
                # the reorder level": the figure the condition itself compares, named as its subject; neither a
                # figure asked (a total of it) nor a second condition (in stock)
                s.senses = [("stop",)]
                s.used = True
                continue
            stock_condition = any(x.first("predicate") and "inventory." in self.layer.predicates.get(
                x.arg("predicate"), {}).get("sql", "") for x in self.spans)
            if stock_condition and s.text in self.layer.grammar.get("stock_quantity_words", []) and k > 0 and \
                    self.spans[k - 1].text in ("with", "and", "plus") and (nxt is None or not nxt[1].first("activity")):
                # "in-stock products, list them with quantities": the quantity on hand the condition is about
                s.senses = [("measure", "stock")]
            other_condition = any(x is not s and x.first("predicate") and "stock" in self.layer.predicates.get(
                x.arg("predicate"), {}).get("show", []) for x in self.spans)
            # "... at or below their reorder level, with stock and reorder level": the other figure the
            # condition shows, joined by "and", closes the request the same way
            shown_too = nxt is not None and nxt[0] == k + 2 and self.spans[k + 1].text == "and" and \
                self.next_content(nxt[0]) is None and bool(nxt[1].first("measure")) and any(
                    x is not s and x.first("predicate") and nxt[1].arg("measure") in self.layer.predicates.get(
                        x.arg("predicate"), {}).get("show", []) for x in self.spans)
            # ("products at or below their reorder level, with stock": the same figure set off by a comma at the end)
            after_comma = nxt is None and bool(re.search(rf",\s*{re.escape(s.text)}\W*$", self.question, re.IGNORECASE))
            if other_condition and (nxt is None and any(x.text in ("show", "list", "display", "give")
                                                        for x in self.spans[:k]) or shown_too or after_comma) and \
                    s.first("predicate") and s.text.startswith("with ") and \
                    self.layer.predicates.get(s.arg("predicate"), {}).get("measure_when_compared"):
                # "show products at or below their reorder level with stock": the last words of a request to
                # show a stock condition's products name the figure shown, not a second condition (stock > 0)
                s.senses = [("measure", self.layer.predicates[s.arg("predicate")]["measure_when_compared"])]
            if s.first("attribute") and nxt is not None and nxt[1].first("measure") and \
                    s.text in self.layer.measures.get(nxt[1].arg("measure"), {}).get("label", "").lower().split():
                # "the total value of our inventory at cost": the measure's own noun, not the order amount
                s.senses = [("stop",)]
                s.used = True

    def _valuations(self) -> None:
        """"value of stock in Drammen at list price": the valuation named (layer grammar valued_at) picks which
        of the valued measures is meant, wherever it stands; with no such measure it stays unplaced."""
        table = self.layer.grammar.get("valued_at", {})
        family = set(table.values())
        for s in self.spans:
            if s.used or not s.first("valued_at"):
                continue
            valued = [x for x in self.spans if x.first("measure") and x.arg("measure") in family]
            if valued:
                for x in valued:
                    x.senses = [("measure", s.arg("valued_at"))]
                s.used = True
                continue
            # "the total value of our inventory at unit cost", "the stock in Vantaa worth at list price": the
            # figure the valuation values (layer "values"), said with "value" / "worth", is the valued measure
            base = self.layer.measures.get(str(s.arg("valued_at")), {}).get("values")
            values = [x for x in self.spans if x.first("measure") and x.arg("measure") == base]
            worth = [x for x in self.spans if x.text in ("worth", "value", "valued") and not x.used]
            if values and worth:
                for x in values:
                    x.senses = [("measure", s.arg("valued_at"))]
                for x in worth:
                    x.senses, x.used = [("stop",)], True
                s.used = True

    def _worth(self) -> None:
        """"orders worth more than 500": the amount compared, said with a verb (the comparator places it);
        "which of them cost more than 30 euros": the verb of the layer's "costs" column, with a plural subject."""
        priced = [f"{t}.{c}" for t, spec in self.layer.tables.items() for c, col in spec.get("columns", {}).items()
                  if "costs" in col.get("synonyms", [])]
        for k, s in enumerate(self.spans[:-2]):
            if s.text == "cost" and not s.senses and len(priced) == 1 and self.spans[k + 1].first("comparator") \
                    and self.spans[k + 2].first("number") is not None:
                s.senses = [("attribute", priced[0])]
        for k, s in enumerate(self.spans[:-1]):
            prev = self.prev_content(k)
            if s.text == "worth" and not s.senses and self.spans[k + 1].first("comparator") and prev is not None \
                    and prev[1].first("entity") and self.layer.entities[prev[1].arg("entity")].get("amount"):
                s.senses, s.used = [("stop",)], True

    def _never_bought_values(self, f: QueryForm) -> None:
        """"customers who bought Bosch but never Makita": a customer with no line of Makita at all, which a
        per-line condition (brand not Makita) does not say; refused, never answered as the per-line one."""
        if f.subject != "customers" and not any(s.first("entity") and s.arg("entity") == "customers" for s in self.spans):
            return
        product_side = [x for x in f.filters if x.field in self.layer.dimensions
                        and not self.layer.dimensions[x.field]["column"].startswith("customers.")
                        and self.layer.dimensions[x.field]["column"].split(".")[0] in ("products", "order_items")]
        # a negated buying verb ("never bought", "haven't ordered"); "excluding Bosch" is of the lines
        said_never = any(s.text in ("never", "not", "haven't", "hasn't", "didn't", "don't", "doesn't", "havent",
                                    "hasnt", "didnt", "dont", "doesnt") for s in self.spans) and any(
            s.has("activity", "orders") or s.first("predicate") for s in self.spans)
        never = [x for x in product_side if x.op == "not in" and said_never]
        if "never_ordered" in f.predicates and any(x.op in ("=", "in") for x in product_side):
            # "buy Tools but have never bought anything in Garden": the values said after "never" are the ones
            # never bought (one filter may hold both sides: it is split where "never" stands)
            at = next((k for k, x in enumerate(self.spans) if x.has("predicate", "never_ordered")), len(self.spans))
            after = {v for x in self.spans[at + 1:] for _, v in self.values_of(x)}
            for x in [x for x in product_side if x.op in ("=", "in")]:
                later = [v for v in x.values if str(v) in after]
                if later and len(later) < len(x.values):
                    x.values = [v for v in x.values if str(v) not in after]
                    x.op = "=" if len(x.values) == 1 else "in"
                    split = Filter(x.field, "in", later)
                    f.filters.append(split)
                    product_side.append(split)
                    never.append(split)
                elif later:
                    never.append(x)
        if never and all(self.layer.dimensions[x.field]["column"].startswith("products.") for x in product_side):
            # a customer none of whose purchases has a line of it (not: a line that is not of it); what they did
            # buy is tested the same way, on purchases (every blind writer read "bought" so here)
            for x in product_side:
                x.op = "never bought in" if x in never else "bought in" if x.op in ("=", "in") else x.op
            if "never_ordered" in f.predicates:
                f.predicates.remove("never_ordered")
            f.subject = "customers"
        elif never:
            raise NotUnderstood(f"customers who never bought {', '.join(map(str, never[0].values))}: I can say which "
                                "order lines are not of it, not which customers have no such line at all",
                                field="question", hint="e.g. 'customers who bought Bosch products', "
                                                       "'customers who never ordered'")

    def _split_between(self) -> None:
        """"the split of revenue between consumer and business customers": one row per value named,
        the values' dimension grouped (layer grammar split_between), the values kept as the filter."""
        # read by the words themselves, not as lexicon senses: a follow-up's "split that by" reads them too
        words = set(self.layer.grammar.get("split_between", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in words:
                continue
            for k in range(i, len(self.spans)):
                t = self.spans[k]
                # "revenue split business vs consumer": the values right after the word, no "between"
                bare = k == i and i + 1 < len(self.spans) and bool(self.values_of(self.spans[i + 1]))
                if not bare and (k == i or t.used or t.text not in ("between", "among", "across")):
                    continue
                after = self.next_content(k)
                if t.text == "across" and k == i + 1 and after is not None and after[1].first("dimension") and \
                        not self.values_of(after[1]):
                    s.used = True  # "how is the stock spread across the warehouses": per warehouse ("across")
                    break
                named: list[set[str]] = []
                joints = []
                for u in self.spans[k + 1:]:
                    if self.values_of(u):
                        named.append({d for d, _ in self.values_of(u)})
                    elif u.text in ("and", "or", "vs", ","):
                        joints.append(u)
                    else:
                        break
                dims = set.intersection(*named) if len(named) > 1 else set()
                if len(dims) != 1:
                    break
                (dim,) = dims
                if dim not in self.form.dimensions:
                    self.form.dimensions.append(dim)
                for u in (s, t, *joints):
                    u.used = True
                break

    def _residence(self) -> None:
        """"customers who live in Oslo": the place is the filter; "where does <customer> live": that
        customer's place (the layer's residence dimension). A pronoun ("which segment is he") is the
        customer the same question names."""
        spec = self.layer.grammar.get("residence") or {}
        customers = [k for k, s in enumerate(self.spans) if any(d == "customer" for d, _ in self.values_of(s))]
        for k, s in enumerate(self.spans):
            if s.used:
                continue
            if s.has("grammar", "person_pronoun") and customers:
                s.used = True
            if not s.has("grammar", "residence"):
                continue
            nxt = self.next_content(k)
            place = nxt is not None and any(
                self.layer.dimensions[d]["column"].startswith("customers.") and d != "customer"
                for d, _ in self.values_of(nxt[1]))
            if place:
                s.used = True
            elif customers and spec.get("dimension"):
                s.used = True
                if spec["dimension"] not in self.form.dimensions:
                    self.form.dimensions.append(spec["dimension"])

    def _is_followup(self, context: QueryForm) -> bool:
        first = next((s for s in self.spans if s.senses), None)
        if first is not None and (first.has("grammar", "followup") or first.text in ("same", "what about", "how about")):
            return True
        if first is not None and first.has("grammar", "drop_filter") and first.text not in ("all", "any", "every"):
            return True  # "forget the category, all products"
        after = self.next_content(self.spans.index(first)) if first is not None else None
        if first is not None and first.text in ("all", "any", "every") and after is not None \
                and after[1].first("dimension") and context.filter_on(str(after[1].arg("dimension"))):
            return True  # "all channels but only norwegian customers" after b2b orders: that filter dropped
        if first is not None and first.text in ("except", "excluding", "apart from", "but not", "minus"):
            return True  # "except web orders": a condition added to the previous question
        if first is not None and first.text == "for" and not self.ids and any(s.first("entity") for s in self.spans) \
                and all(x[0] in ("stop", "entity", "value", "activity", "slot", "predicate")
                        for s in self.spans for x in s.senses):
            # "for shipments sent in 2025", "for b2b orders?" after a figure: an opening "for" that names only
            # things and their conditions (no figure, ranking or question word) narrows the previous question
            # (was: the shipments of 2025 listed, a new question)
            return True
        if any(context.filter_on(dim) for _, _, dim in self._not_just()):
            return True  # "all Makita products, not just tools": the previous question, a condition of it dropped
        # "how many units is that?", "which of those ...": a pointer back to the previous answer
        words = [s.text for s in self.spans]
        # ("instead" anywhere: "show that as a share of delivered shipments instead")
        # ("then" closing a clause: "avg delivery time per carrier then? in days", asked on from the previous one)
        pointer = (words[-1:] and words[-1] in ("that", "those", "them", "these", "it", "instead")) or bool(
            re.search(r"\b(?<!ok )(?<!okay )(?<!so )(?<!and )(?<!right )then\s*(?:\?|$)", self.question.lower())) or any(
            " ".join(words[k:k + 2]) in ("of those", "of them", "of these", "is that", "was that", "are they",
                                         "that one", "each one", "of that", "which one", "instead of")
            for k in range(len(words) - 1))
        # "those" standing alone ("which products are those there?"), not heading a clause ("those who ...")
        alone = any(w in ("those", "these") and words[k + 1:k + 2] not in (["who"], ["which"], ["that"], ["with"],
                                                                          ["whose"], ["where"], ["of"])
                    and not (k + 1 < len(self.spans) and self.spans[k + 1].first("entity"))
                    for k, w in enumerate(words))
        # "how much are those orders worth in total?" after orders listed: "those" with the previous rows' own noun
        same_noun = context.subject is not None and any(
            w in ("those", "these") and k + 1 < len(self.spans) and self.spans[k + 1].has("entity", context.subject)
            and words[k + 2:k + 3] not in (["who"], ["which"], ["that"], ["with"], ["whose"], ["where"], ["of"])
            for k, w in enumerate(words))
        # "how many units of each did we sell last month?", "units sold last month for each?": "each" with no noun of
        # its own stands for the previous answer's rows
        each_alone = any(s.text in ("each", "for each") and (s.text == "for each" or k > 0 and words[k - 1] == "of")
                         and ((nxt := self.next_content(k)) is None or not (nxt[1].first("dimension")
                                                                              or nxt[1].first("entity")))
                         for k, s in enumerate(self.spans))
        if pointer or alone or same_noun or each_alone or any(s.text in ("they", "them", "their", "it", "its", "she", "he", "her", "his", "him",
                                              "ones") for s in self.spans):
            return True  # "who placed it?", "late ones only": about the previous answer
        if stands_for_rows(context) and the_related(self) not in (None, context.subject or "orders"):
            return True  # "who are the customers?" after (a count of) orders: the definite ones of those rows
        if elliptic_count(self):
            return True  # "how many came from business customers?": the previous answer's things counted
        strong = [s for s in self.spans if any(x[0] in ("measure", "entity", "ranking", "predicate") for x in s.senses)]
        if context.period and not self.periods and any(
                a.text == "that" and (b.text in ("time", "period", "timeframe") or b.first("grain") is not None)
                for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "how many orders did we get in that time?": the previous question's period
        if any(a.text in ("that", "this") and context.subject and b.has("entity", context.subject)
               for a, b in zip(self.spans, self.spans[1:], strict=False)) and context.kind == "list":
            return True  # "which products were in that order?" after the biggest order: that one, not any
        if context.kind == "aggregate" and context.limit == 1 and len(context.dimensions) == 1 and any(
                a.text in ("that", "this") and b.has("dimension", context.dimensions[0]) and not b.text.endswith("s")
                for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "that brand's best products" after the top brand: the one brand answered
        content = [s for s in self.spans if s.senses and not all(x[0] in ("stop", "grammar") for x in s.senses)]
        if first is not None and first.text in ("by", "per") and context.kind == "aggregate" and content and all(
                s.first("dimension") is not None and not self.values_of(s) for s in content):
            return True  # "per product" after a figure: the same figure regrouped (a thing named as its group)
        if first is not None and first.text == "who" and not self.ids and not any(
                x[0] in ("entity", "dimension", "value") for s in self.spans for x in s.senses) and (
                context.subject == "customers" and not context.dimensions or context.dimensions == ["customer"]):
            return True  # "who spent the most?" after customers: no one named, so among those
        if context.kind == "aggregate" and not self.ids and not self.periods and len(self.content()) <= 3 and not any(
                x[0] in ("entity", "dimension", "value", "predicate", "ranking", "attribute") for s in self.spans
                for x in s.senses) and any(s.first("measure") for s in self.spans):
            # "how many units?", "revenue?": a figure alone, of the previous figure's things (after a list it
            # would be a column beside each row, which a new question "total revenue" does not ask)
            return True
        if self._condition_alone(strong):
            return True
        if first is not None and first.text == "which" and context.kind == "aggregate" and len(context.dimensions) == 1 \
                and not context.limit and not (self.ids or self.periods) and content \
                and content[0].has("dimension", context.dimensions[0]) and not self.values_of(content[0]) \
                and any(s.first("ranking") or s.first("superlative") for s in content[1:]) \
                and all(s.first("ranking") or s.first("superlative")
                        or s.first("measure") and s.arg("measure") in context.measures for s in content[1:]):
            # "which category sold the most?", "which category had the highest sales?" after sales by category
            # last month: the top one of the groups just shown, in their period and conditions (was: a new
            # question over all time)
            return True
        return not strong and not self.ids

    def _condition_alone(self, strong: list[Span]) -> bool:
        """"with no discount only", "only the discontinued" after a figure: a condition alone, said as a
        restriction ("only", "just", or opening with "with"/"without"), narrows the previous question (was: a
        new question about the condition's own rows, the order lines without discount listed)."""
        words = [s.text for s in self.spans if s.senses]
        said = bool(words) and (words[0].split()[0] in ("with", "without") or bool({"only", "just"} & set(words)))
        return said and bool(strong) and not self.ids and all(
            s.first("predicate") is not None and not any(x[0] in ("measure", "entity", "ranking") for x in s.senses)
            for s in strong)

    def _action_requested(self) -> None:
        """"Please email all Oslo customers a 10% discount code", "cancel order 1234": a question that opens (after
        a courtesy) with a verb of acting on the data (layer grammar ``action_verbs``) and then its object (an
        article, a value, a number or a noun of the data) asks to do something, which a read-only copilot never
        does: refused, naming the verb (was: the customers listed with their email, as if that were asked)."""
        spec = self.layer.grammar.get("action_verbs", {})
        verbs, courtesy, objects = (set(spec.get(k, [])) for k in ("verbs", "courtesy", "objects"))
        k = 0
        while k < len(self.spans) and self.spans[k].text in courtesy:
            k += 1
        # the verb as typed ("cancel order 1234" is mended to "cancelled order" before the spans are read)
        typed = next((w for w in re.findall(r"[a-z][a-z-]*", self.question.lower()) if w not in courtesy), None)
        # a verb alone, not the start of a phrase of the data ("reorder level of X", "email address")
        if k + 1 >= len(self.spans) or typed is None or typed not in verbs or " " in self.spans[k].text or \
                not self.spans[k].text.startswith(typed[:4]):
            return
        after = self.spans[k + 1]
        if after.text in objects or any(x[0] in ("value", "entity", "number", "slot") for x in after.senses):
            raise NotUnderstood(f"I could not place '{typed}': I only read the lake and answer "
                                "questions about it, I cannot act on it", field=typed,
                                hint="ask about the data instead, e.g. 'customers in Oslo with their email'")

    def _pointer_without_referent(self) -> None:
        """"shortfall of it", "what is its stock", "how many of those are active" asked first: the pointer
        stands for something said before, and nothing was (no earlier turn, and nothing in the question before
        it names things: only figures and function words); refused rather than read as every thing."""
        words = [s.text for s in self.spans]
        for k in range(1, len(words) - 1):
            if words[k:k + 2] == ["that", "one"] and words[k - 1] in ("of", "for", "about", "on", "in", "from", "with") \
                    and not self.ids and not self.texts:
                # "who is the customer on that one?": the one thing of an answer given before, and none was
                raise NotUnderstood("I could not tell what 'that one' refers to: there is no earlier question",
                                    field="question", hint="name it, e.g. 'who placed order 217?'")
        for k, w in enumerate(words):
            before = words[k - 1] if k > 0 else ""
            after = words[k + 1] if k + 1 < len(words) else None
            pointer = w in ("its", "their", "them") or (w in ("it", "they") and (
                after is None or before in ("of", "for", "about", "on", "in", "from", "with"))) or (
                w in ("those", "these") and (after is None or before == "of") and not (
                    after is not None and self.spans[k + 1].first("entity")))
            if not pointer:
                continue
            named = any(x[0] not in ("stop", "grammar", "measure") for s in self.spans[:k] for x in s.senses)
            if not named and not self.ids and not self.texts:
                raise NotUnderstood(f"I could not tell what '{w}' refers to: there is no earlier question, and "
                                    "the question names nothing before it", field="question",
                                    hint="name the things, e.g. 'shortfall of the Makita Copper Pipe'")

    def _carrying_verbs(self) -> None:
        """"which carrier took order 7": a verb of carrying (layer carrying_verbs) right before an id or a thing
        is placed as a verb; "took" is a delivery time only with a span of time ("took more than 4 days")."""
        verbs = set(self.layer.grammar.get("carrying_verbs", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in verbs:
                continue
            nxt, prev = self.next_content(i), self.prev_content(i)
            if nxt is not None and (nxt[1].text.startswith("__id") or nxt[1].first("entity")):
                s.used = True
            elif prev is not None and any(dim == "carrier" for dim, _ in self.values_of(prev[1])):
                s.used = True  # "how many shipments did Bring send": the carrier's verb
            elif s.text == "used" and prev is not None and prev[1].first("dimension") \
                    and prev[1].arg("dimension") == "carrier":
                s.used = True  # "which carriers have we used for customers in Oslo": the carriers that carried

    def _slots(self) -> None:
        f = self.form
        for s in self.spans:
            if s.text.startswith("__id"):
                entity, ident = self.ids[int(s.text[4:-2])]
                s.used = True
                table = {"order": "orders", "customer": "customers", "product": "products", "shipment": "shipments"}[entity]
                several = self.id_lists.get(int(s.text[4:-2]))
                f.filters.append(Filter(f"{table}.{entity}_id", "in", several) if several
                                 else Filter(f"{table}.{entity}_id", "=", [ident]))
                f.lookup = {"entity": entity, "id": ident}

    OUT_IN = {"are out in", "is out in", "are out at", "is out at"}

    def _out_in_a_warehouse(self) -> None:
        """"which products are out in Kuopio / in at least one warehouse": 'out' is out of stock only when a
        warehouse follows (Kuopio, the Kuopio warehouse, at least one/any/every warehouse) and products are
        said just before it; elsewhere ("orders that are out in Finland", "which orders are out at
        the Kuopio warehouse": a parcel sent) it is left unplaced, so the question is refused, not guessed."""
        def warehouse(t: Span) -> bool:
            return any(col == "warehouse" for col, _ in self.values_of(t)) or t.has("dimension", "warehouse")
        for i, s in enumerate(self.spans):
            if s.text not in self.OUT_IN:
                continue
            after = [t for t in self.spans[i + 1:] if not (len(t.senses) == 1 and t.senses[0][0] == "stop")
                     and not t.has("number", 1.0) and t.text != "one"]
            before = self.prev_content(i)
            of_products = before is not None and before[1].has("entity", "products")
            if of_products and after and (warehouse(after[0]) or after[0].text in {"at least", "any", "every", "each", "all"}
                          and len(after) > 1 and warehouse(after[1])):
                continue
            s.senses = []

    def _lines_of_stock(self) -> None:
        """"how many Nordline lines in Kuopio are under the reorder level", "the most warehouse lines below reorder
        level": bare "lines" in a question that names a warehouse or a stock condition and nothing of orders or
        sales (every other word is of products and their stock) are stock records, one per product and warehouse
        (was: order lines, counted through every sale of the products)."""
        stock_tables = {self.layer.entities[n]["table"] for n in ("products", "stock_records") if n in self.layer.entities}
        if "stock_records" not in self.layer.entities or "order_lines" not in self.layer.entities:
            return

        def tables(s: Span) -> set[str]:
            out: set[str] = set()
            for sense in s.senses:
                kind, name = sense[0], str(sense[1]) if len(sense) > 1 else ""
                if kind == "entity":
                    out.add(self.layer.entities[name]["table"])
                elif kind in ("dimension", "value") and name in self.layer.dimensions:
                    out.add(self.layer.dimensions[name]["column"].split(".")[0])
                elif kind in ("measure", "predicate"):
                    spec = (self.layer.measures if kind == "measure" else self.layer.predicates).get(name, {})
                    out.add(self.layer.entities.get(spec.get("entity", ""), {}).get("table", "?"))
                elif kind == "activity":
                    out.add("orders")
            return out
        lines = [s for s in self.spans if s.text in ("line", "lines") and s.senses == [("entity", "order_lines")]]
        if not lines:
            return
        others = [s for s in self.spans if s not in lines]
        stock_said = any(s.has("dimension", "warehouse") or any(c == "warehouse" for c, _ in self.values_of(s))
                         or (s.first("predicate") and predicate_spec(self.layer, s.arg("predicate")).get("scoped_by"))
                         for s in others)
        if not stock_said or any(not tables(s) <= stock_tables for s in others):
            return
        for s in lines:
            s.senses = [("entity", "stock_records")]

    def _by_how_many_below(self) -> None:
        """"which products are below their reorder level and by how many units": 'by how many (units)' / 'by
        how much' said right after a below-the-reorder-level condition asks the shortfall (reorder level
        minus stock). Elsewhere ("by how much did revenue grow") it is not touched."""
        for i, s in enumerate(self.spans[:-1]):
            nxt = self.spans[i + 1]
            split = nxt.text == "how" and i + 2 < len(self.spans) and self.spans[i + 2].text in ("many", "much")
            if s.text != "by" or nxt.text not in ("how many", "how much") and not split:
                continue
            if any(x.has("grammar", "growth") or x.has("grammar", "growth_absolute") for x in self.spans[i + 2:]):
                # "by how much / by how many percent did revenue grow": the size of the growth, neither a
                # grouping ("by") nor a count ("how many")
                for x in self.spans[i:(i + 3 if split else i + 2)]:
                    x.senses = [("stop",)]
                continue
            prev = self.prev_content(i)
            # "below the reorder level in Kuopio, and by how much": the warehouse the condition is tested in
            while prev is not None and (prev[1].text == "and" or any(d == "warehouse" for d, _ in
                                                                     self.values_of(prev[1]))):
                prev = self.prev_content(prev[0])
            name = prev[1].arg("predicate") if prev is not None and prev[1].first("predicate") else ""
            if not re.search(r"SUM\(inventory\.quantity_on_hand\) <=? SUM\(inventory\.reorder_level\)",
                             self.layer.predicates.get(name, {}).get("sql", "")):
                continue
            s.senses = [("stop",)]
            nxt.senses = [("measure", "shortfall")]
            k = i + 3 if split else i + 2
            if split:
                self.spans[i + 2].senses = [("stop",)]
            if k < len(self.spans) and self.spans[k].text == "units":
                self.spans[k].senses = [("stop",)]

    def _other_scopes(self) -> None:
        """"out of stock in Vantaa but still available in some/any other warehouse(s)": the second condition,
        said after one named warehouse and another condition of the same scope, holds in the warehouses
        other than the named one, together (note others:<predicate>); 'but stock in other warehouses' is
        in stock there. Only that shape; elsewhere 'other' stays unplaced and the question is refused."""
        for i, s in enumerate(self.spans):
            # "any/some other warehouse" (not "all other": each of them)
            after = [t for t in self.spans[i + 1:] if not (len(t.senses) == 1 and t.senses[0][0] == "stop")
                     and t.text not in ("any", "some")]
            if s.text == "stock" and i > 0 and self.spans[i - 1].text == "but" and after and \
                    after[0].text in ("other", "another"):
                s.senses = [("predicate", "in_stock")]  # "zero in Kuopio but stock in other warehouses"
            name = s.arg("predicate") if s.first("predicate") else None
            scope = self.layer.predicates.get(name or "", {}).get("scoped_by")
            if not scope or name != "in_stock":
                # only stock held: "in some other warehouse", "in the other warehouses together" and "in any
                # other" are then one test; "out of stock in another warehouse" (in one? in all?) is not
                continue
            if len(after) < 2 or after[0].text not in ("other", "another") or not after[1].has("dimension", scope):
                continue
            before = self.spans[:i]
            named = {v for t in before for d, v in self.values_of(t) if d == scope}
            said = [t for t in before if t.first("predicate") and
                    self.layer.predicates.get(t.arg("predicate"), {}).get("scoped_by") == scope]
            if len(named) != 1 or len(said) != 1 or said[0].arg("predicate") == name or \
                    any(d == scope for t in self.spans[i + 1:] for d, _ in self.values_of(t)):
                continue
            after[0].used = after[1].used = True
            self.form.notes.append(f"others:{name}")

    def _measure_split_by_verb(self) -> None:
        """"how many spare units does it have above the reorder level": a measure's words ("spare units above the
        reorder level") said around a verb are that one measure; the part after the verb (a preposition, then a
        figure said whole) restates it, when the two parts together are one of the measure's own names."""
        for i, s in enumerate(self.spans):
            if s.used or not s.first("measure") or s.text in ("above", "over"):
                continue
            synonyms = set(self.layer.measures.get(s.arg("measure"), {}).get("synonyms", []))
            for j in range(i + 1, len(self.spans)):
                prep = self.spans[j]
                if prep.used or prep.text not in ("above", "over", "below", "under"):
                    continue
                for k in range(j + 1, min(j + 4, len(self.spans))):
                    tail = self.spans[j:k + 1]
                    if self.spans[k].first("measure") and \
                            f"{s.text} {' '.join(x.text for x in tail)}" in synonyms:
                        for x in tail:
                            x.used = True
                        break
                break

    def _in_any_scope(self) -> None:
        """"zero qty in at least one warehouse": a stock condition held in some one warehouse, tested per
        (product, warehouse), neither over all warehouses together nor split by warehouse."""
        scopes = {p["scoped_by"] for p in self.layer.predicates.values() if p.get("scoped_by")}
        for i, s in enumerate(self.spans[:-2]):
            num, dim = self.spans[i + 1], self.spans[i + 2]
            if s.has("comparator", ">=") and s.text == "at least" and num.has("number", 1.0) and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and \
                    any(x.first("predicate") and self.layer.predicates.get(x.arg("predicate"), {}).get("scoped_by")
                        == dim.arg("dimension") for x in self.spans):
                s.used = num.used = dim.used = True
                said = next((x.arg("predicate") for x in reversed(self.spans[:i]) if x.first("predicate")), None)
                if said and self.layer.predicates.get(said, {}).get("some_scope_is_summed"):
                    continue  # "low on stock overall but still have units in at least one warehouse": in stock
                self.form.notes.append(f"each:{dim.arg('dimension')}")
        for i, s in enumerate(self.spans[:-1]):
            dim = self.spans[i + 1]
            if s.text in ("any", "some") and not s.used and i > 0 and self.spans[i - 1].text == "in" and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and not self.values_of(dim) and \
                    any(x.first("predicate") and self.layer.predicates.get(x.arg("predicate"), {}).get("scoped_by")
                        == dim.arg("dimension") for x in self.spans):
                # "out of stock in any (some) warehouse": held in some one warehouse, as "at least one"
                s.used = dim.used = self.spans[i - 1].used = True
                self.form.notes.append(f"each:{dim.arg('dimension')}")
        for i, s in enumerate(self.spans[:-2]):
            num, dim = self.spans[i + 1], self.spans[i + 2]
            if s.text in ("only", "just") and (num.text == "one" or num.has("number", 1.0)) and dim.first("dimension") and \
                    dim.arg("dimension") in scopes and not self.values_of(dim):
                # "products with stock in only one warehouse": a count of the places holding each thing
                raise NotUnderstood(f"I cannot count the {dim.arg('dimension')}s each thing is held in",
                                    hint=f"e.g. 'stock per {dim.arg('dimension')} of <product>'")
        for i, s in enumerate(self.spans[:-1]):
            # "in every single warehouse": every one of them
            last = i + 2 if s.text == "every" and self.spans[i + 1].text == "single" and i + 2 < len(self.spans) else i + 1
            dim = self.spans[last]
            if s.text in ("every", "all") and i > 0 and self.spans[i - 1].text == "in" and dim.first("dimension") and \
                    dim.arg("dimension") in scopes and not self.values_of(dim):
                held = [x.arg("predicate") for x in self.spans[:i] if x.first("predicate") and self.layer.predicates.get(
                    x.arg("predicate"), {}).get("scoped_by") == dim.arg("dimension")]
                bounded = s.text == "every" and any(x.first("comparator") for x in self.spans[:i])
                if bounded and not held:
                    # "fewer than 50 units in every warehouse": the bound holds in each one (tested on each stock
                    # record by the planner; a figure that is no sum of them is refused there)
                    for x in self.spans[i - 1:last + 1]:
                        x.used = True
                    self.form.notes.append(f"every:{dim.arg('dimension')}")
                    continue
                zero = self.spans[i - 2] if i >= 2 else None
                if held and zero is not None and not zero.used and not bounded and (
                        zero.text in ("zero", "0", "nothing", "none") or zero.has("number", 0.0)) and all(
                        "= 0" in str(self.layer.predicates[x].get("sql", "")) and
                        self.layer.predicates[x].get("every_scope_is_summed") for x in held):
                    # "out of stock (zero in every warehouse)": nothing in each one restates a sum of 0 over them
                    zero.used = True
                if held and not all(self.layer.predicates[x].get("every_scope_is_summed") for x in held) or bounded:
                    # "below their reorder level in every warehouse", "more than 200 units in every warehouse":
                    # held in each one, which the summed stock of all of them does not test
                    place = dim.arg("dimension")
                    raise NotUnderstood(f"I can test that condition only on the {place}s together or in one "
                                        f"{place} at a time, not in every {place} each",
                                        hint="e.g. 'products below their reorder level' (all warehouses together)")

    def _verbs_not_values(self) -> None:
        """"did Norway bring ...", "does it post ...": a lake value that is also an English verb, written
        in lower case right after an auxiliary and its subject, is the verb, not the value (the carrier
        Bring). Its value sense is dropped; unless a layer phrase explains it, the question is refused."""
        auxiliaries = set(self.layer.grammar.get("auxiliaries", []))
        subjects = {"we", "they", "you", "it", "he", "she", "i"}
        determiners = {"our", "the", "their", "its", "those", "these", "all", "my", "your"}
        for i, s in enumerate(self.spans):
            if not self.values_of(s) or i < 2 or " " in s.text:
                continue
            if re.search(rf"(?<![\w-]){re.escape(s.text)}(?![\w-])", self.question) is None:
                continue  # written capitalized somewhere: a name
            # "did Norway bring", "did business customers bring": the words between the auxiliary and
            # the verb are its subject (values, an entity, a pronoun, a determiner)
            j = i - 1
            while j > 0 and (self.spans[j].text in subjects | determiners or self.values_of(self.spans[j])
                             or self.spans[j].first("entity")):
                j -= 1
            if j < i - 1 and self.spans[j].text in auxiliaries and \
                    any(x.text not in determiners for x in self.spans[j + 1:i]):
                s.senses = [x for x in s.senses if x[0] != "value"]
                if any(x.first("measure") and self.layer.measures[x.arg("measure")].get("unit") == "EUR"
                       for x in self.spans[:j]):
                    # "how much revenue did business customers bring": the verb of the amount already named
                    s.senses = [("stop",)]

    def _how_long(self) -> None:
        """"how long did delivery take for order 3455": "how long" asks the duration a measure in days names
        (was: "long" unplaced); with no such measure it stays unplaced."""
        durations = [x for x in self.spans if x.first("measure")
                     and self.layer.measures.get(str(x.arg("measure")), {}).get("unit") in ("days", "hours")]
        for k, s in enumerate(self.spans[1:], start=1):
            if s.text == "long" and not s.senses and self.spans[k - 1].text == "how" and durations:
                s.senses, s.used = [("stop",)], True

    def _single_items(self) -> None:
        """"the biggest single order", "the single largest customer": the word stresses that one row of
        a ranking is meant, which the ranking says itself. Elsewhere ("customers with a single order":
        exactly one) it stays unplaced, so such a question is refused, not read as "a order"."""
        def ranks(t: Span) -> bool:
            return bool(t.first("superlative") or t.first("superlative_attribute") or t.first("ranking"))
        for i, s in enumerate(self.spans):
            if not s.has("grammar", "single_item"):
                continue
            prev, nxt = self.prev_content(i), self.next_content(i)
            if nxt is not None and (ranks(nxt[1]) or nxt[1].first("entity") and prev is not None and ranks(prev[1])):
                s.senses = [("stop",)]  # said by the ranking: skipped like any other function word
            elif nxt is not None and i > 0 and self.spans[i - 1].text == "which" and not nxt[1].text.endswith("s") \
                    and (nxt[1].first("grain") or nxt[1].first("dimension") or nxt[1].first("entity")) \
                    and any(ranks(x) for x in self.spans[nxt[0] + 1:]):
                s.senses = [("stop",)]  # "which single day saw the most orders": the one day of the ranking
            elif nxt is not None and i > 0 and self.spans[i - 1].text == "any" and nxt[1].first("entity") \
                    and not nxt[1].text.endswith("s") and any(ranks(x) for x in self.spans[:i]):
                s.senses = [("stop",)]  # "the highest discount on any single order line": each one, ranked

    def _not_just(self) -> list[tuple[int, int, str]]:
        """"not just tools", "not only in Oslo": the value named is no longer the only one allowed, so the
        condition on its field goes (spans from, to and the field)."""
        found = []
        for i, s in enumerate(self.spans[:-2]):
            if s.text != "not" or self.spans[i + 1].text not in ("just", "only"):
                continue
            nxt = self._past_prepositions(self.next_content(i + 1))
            if nxt is not None and self.values_of(nxt[1]):
                found.append((i, nxt[0], self.values_of(nxt[1])[0][0]))
        return found

    def _widen(self) -> None:
        for i, j, dim in self._not_just():
            for s in self.spans[i:j + 1]:
                s.used = True
            self.widened.append(dim)
        # "which items are below the reorder level? include discontinued ones": the things of that condition are
        # among those asked (no condition), never the only ones; with a condition on the same columns named as
        # well ("active products, including discontinued ones") it is left unplaced
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if s.used or s.text not in ("include", "including", "incl") or nxt is None or not nxt[1].first("predicate") \
                    or nxt[1].used:
                continue
            if not any(x.first("entity") or x.first("predicate") for x in self.spans[:k]):
                continue  # "including inactive ones" alone: a follow-up's change of the previous question
            name = nxt[1].arg("predicate")
            if any(x is not nxt[1] and x.first("predicate") and same_columns(self.layer, name, x.arg("predicate"))
                   for x in self.spans):
                continue
            after = self.next_content(nxt[0])
            if after is not None and after[1].text not in ("ones", "too", "as well") and not after[1].first("entity"):
                continue
            s.used = nxt[1].used = True
            if after is not None:
                after[1].used = True
        counting = any(s.has("grammar", "count") for s in self.spans) and not any(s.first("measure") for s in self.spans)
        for k, s in enumerate(self.spans):
            if not counting or s.used or s.text not in ("included", "including", "too") or k < 2 \
                    or self.spans[k - 1].text != "ones" or len(self.values_of(self.spans[k - 2])) != 1 \
                    or self.values_of(self.spans[k - 2])[0][0] != "status" or k + 1 < len(self.spans) \
                    and self.spans[k + 1].text not in ("?", "."):
                continue
            # "how many orders they placed, cancelled ones included": a count of orders keeps every status, so the
            # status named is among those counted, never the only one (was: only the cancelled ones counted)
            for x in self.spans[k - 2:k + 1]:
                x.senses, x.used = [("stop",)], True

    def _negation_after_values(self) -> None:
        """"(cancelled and returned excluded)", "cancelled ones left out": a negation said after values of one
        dimension (layer grammar ``negation_after``), nothing named after it, leaves those values out as "excluding
        cancelled and returned" does (was: refused, 'excluded' not placed beside a filter keeping only them)."""
        after_words = set(self.layer.grammar.get("negation_after", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in after_words:
                continue
            nxt = self.next_content(i)
            if nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate")):
                continue  # "excluded Bosch": the negation before its value, read as such
            found: list[tuple[int, str, str]] = []
            nouns: list[int] = []
            k = i
            while (prev := self.prev_content(k)) is not None:
                k, t = prev
                if t.used:
                    break
                if t.text in ("and", "or", ",", "&"):
                    continue
                if (t.text == "ones" or t.first("entity")) and not found:
                    nouns.append(k)  # "cancelled ones excluded", "Bosch products removed": the things' noun
                    continue
                values = self.values_of(t)
                if not values or found and values[0][0] != found[0][1]:
                    break
                found.append((k, values[0][0], values[0][1]))
            if not found:
                continue
            dim = found[0][1]
            # "orders in 2025 with Bosch products left out": none of the order's lines has it, as "without Bosch"
            first = next((x.arg("entity") for x in self.spans if x.first("entity")), None)
            op = "no line in" if self.layer.dimensions[dim]["column"].startswith("products.") and first == "orders" \
                else "not in"
            self.form.filters.append(Filter(dim, op, [v for _, _, v in reversed(found)]))
            s.used = True
            for k in [*nouns, *(k for k, _, _ in found)]:
                self.spans[k].used = True
            for k in range(min(k for k, _, _ in found), i):
                if self.spans[k].text in ("and", "or", "ones", "&"):
                    self.spans[k].used = True

    def _negations(self) -> None:
        for i, s in enumerate(self.spans):
            if not s.has("grammar", "negation") or s.used:
                continue
            # "not made by Bosch", "not from Finland": the preposition leads to the value
            nxt = self._past_prepositions(self.next_content(i))
            if nxt is None:
                continue
            j, t = nxt
            negated_phrase = self.p.lexicon.phrases.get(("not", *t.text.split()), [])
            named = next((x[1] for x in negated_phrase if x[0] == "predicate"), None)
            if named and not t.used:
                # "haven't been delivered": the layer names "not delivered" itself
                self.form.predicates.append(named)
                s.used = t.used = True
            elif t.has("predicate") and not t.used:
                name = t.arg("predicate")
                self.form.predicates.append("not_" + name)
                s.used = t.used = True
            elif self.values_of(t) and not t.used:
                dim, value = self.values_of(t)[0]
                self._type_noun(j, dim)
                before = self.prev_content(i)
                table = self.layer.dimensions[dim]["column"].split(".")[0]
                grouped = before is not None and before[0] > 0 and self.spans[before[0] - 1].has("grammar", "group_by")
                # "the most orders (excluding cancelled)": the noun is what is ranked or counted; left to that pass
                counted = before is not None and (pb := self.prev_content(before[0])) is not None and bool(
                    pb[1].first("superlative") or pb[1].has("grammar", "count"))
                if before and not before[1].used and not grouped and not counted and (before[1].has("dimension", dim) or (
                        before[1].first("entity") and self.layer.entities[before[1].arg("entity")]["table"] == table)):
                    before[1].used = True  # "categories other than Tools", "customers outside Finland"
                    if before[1].has("dimension", dim) and before[0] > 0 and \
                            self.spans[before[0] - 1].text in ("which", "what") and dim not in self.form.dimensions:
                        # "which city except Oslo has the most revenue": the cities are still what is asked
                        self.form.dimensions.append(dim)
                    # the subject is the first thing named: "orders from customers outside Finland" are orders
                    if before[1].first("entity") and not any(x.first("entity") for x in self.spans[:before[0]]):
                        self.form.subject = self.form.subject or before[1].arg("entity")
                # "customers who never ordered online": none of their orders, not some order of another channel
                op = "never in" if s.text == "never" and table == "orders" and any(
                    x.has("entity", "customers") for x in self.spans) else "not in"
                # "orders that contained Makita products but no Bosch products": none of the order's lines has the
                # value (not: some line of another brand); the orders are the first thing named
                first = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
                if table == "products" and first == "orders" and s.text in (
                        "no", "without", "never", "not", "didn't", "don't", "doesn't", "didnt", "dont", "doesnt"):
                    op = "no line in"
                existing = next((x for x in self.form.filters if x.field == dim and x.op == op), None)
                if existing:
                    existing.values.append(value)
                else:
                    self.form.filters.append(Filter(dim, op, [value]))
                s.used = t.used = True
                # "not web or store": the negation reaches a list of values
                k = j
                while True:
                    nn = self.next_content(k)
                    if nn is None or not self.values_of(nn[1]) or nn[1].used:
                        break
                    k, u = nn
                    d2, v2 = self.values_of(u)[0]
                    if d2 != dim:
                        break
                    negated = next((x for x in self.form.filters if x.field == dim and x.op == op), None)
                    if negated is not None:
                        negated.values.append(v2)
                    u.used = True
                    self._type_noun(k, dim)
            elif t.has("activity", "orders") and self._entity_before(i) == "orders":
                # "orders not placed on the web": the verb of the orders themselves; the value follows
                t.used = True
                after = self._past_prepositions(self.next_content(j))
                if after is not None and self.values_of(after[1]) and not after[1].used:
                    dim, value = self.values_of(after[1])[0]
                    self.form.filters.append(Filter(dim, "not in", [value]))
                    s.used = after[1].used = True
            elif (t.has("activity", "orders") or t.has("activity", "sales")) and \
                    s.text in ("never", "not", "no", "haven't", "hasn't", "didn't"):
                # "customers who never ordered" / "products never ordered": a period is of those orders;
                # "never sold" counts sales only (the glossary: not cancelled or returned)
                sold = t.has("activity", "sales") and "never_sold" in self.layer.predicates
                if not sold and self._never_ordered_with(j):
                    s.used = t.used = True
                    continue
                self.form.predicates.append("never_sold" if sold else "never_ordered")
                self.form.notes.append("activity:orders")
                s.used = t.used = True
                obj = self.next_content(j)
                if obj is not None and obj[1].text in ("any", "a", "an", "single") and not obj[1].used:
                    obj = self.next_content(obj[0])
                if not sold and obj is not None and not obj[1].used and obj[1].text in ("order", "orders") \
                        and t.text in ("placed", "place", "made", "make"):
                    # "who ordered in 2025 but hasn't placed any order this year": the order is what is not placed,
                    # not the things asked for (was: read as orders, the two periods refused)
                    obj[1].used = True
                    for k in range(j + 1, obj[0]):
                        self.spans[k].used = True

    def _little_sales_bounded(self) -> None:
        """"high margin but not selling: products that sold under 100 units this year": an upper bound on a sales
        figure says how little "not selling" means; the products under it are listed, those with none at 0 (was:
        only those with no sale at all, which the bound then could not change)."""
        f = self.form
        if "never_sold" not in f.predicates:
            return
        measures = self.layer.measures
        if any(x.op in ("<", "<=") and x.field in measures and measures[x.field].get("filter")
               and measures[x.field].get("line_sql") for x in f.filters):
            f.predicates.remove("never_sold")

    def _never_ordered_with(self, j: int) -> bool:
        """"customers who never ordered online (or b2b)": no order of theirs with those values, kept as
        one condition (a channel filter beside "never ordered" would contradict it)."""
        if not any(x.has("entity", "customers") for x in self.spans):
            return False
        found: list[tuple[int, str, str]] = []
        k = j
        while (nxt := self._past_prepositions(self.next_content(k))) is not None:
            k, u = nxt
            vals = self.values_of(u)
            if u.used or not vals or not self.layer.dimensions[vals[0][0]]["column"].startswith("orders."):
                break
            if found and vals[0][0] != found[0][1]:
                break
            found.append((k, *vals[0]))
        if not found:
            return False
        self.form.filters.append(Filter(found[0][1], "never in", [v for _, _, v in found]))
        for k, dim, _ in found:
            self.spans[k].used = True
            self._type_noun(k, dim)
        return True

    def _never_ordered_values(self) -> None:
        """"customers who never ordered online": the value said right after "never ordered" is of the
        orders that are not there (a filter beside the predicate would keep no customer at all)."""
        f = self.form
        if "never_ordered" not in f.predicates or f.subject not in (None, "customers") or any(
                x.text.startswith("__period") for x in self.spans):
            return  # a period belongs to the orders inside the predicate (period_inside), kept as it was
        at = next((k for k, x in enumerate(self.spans) if x.has("predicate", "never_ordered")), None)
        if at is None:
            return
        values: list[tuple[str, str]] = []
        k = at
        while (nxt := self._past_prepositions(self.next_content(k))) is not None and self.values_of(nxt[1]):
            k = nxt[0]
            values += self.values_of(nxt[1])[:1]
        dims = {d for d, _ in values}
        if len(dims) != 1 or not self.layer.dimensions[next(iter(dims))]["column"].startswith("orders."):
            return
        dim = next(iter(dims))
        x = next((x for x in f.filters if x.field == dim and x.op in ("=", "in")
                  and {str(v) for v in x.values} == {v for _, v in values}), None)
        if x is not None:
            x.op = "never in"
            f.predicates.remove("never_ordered")

    def _entity_words_shown(self, f: QueryForm) -> None:
        """"which SKUs are out of stock": the things listed are named by that code, so it is shown."""
        if f.kind != "list":
            return
        shown = self.layer.grammar.get("entity_words_shown", {})
        for s in self.spans:
            column = shown.get(s.text)
            if column and s.first("entity") and self.layer.entities[s.arg("entity")]["table"] == \
                    column.split(".")[0] and f.subject == s.arg("entity") and column not in f.show:
                f.show.append(column)

    def _attribute(self, s: Span) -> str:
        """Of a word that names columns of several tables ("name"), the column of the subject's table."""
        names = [x[1] for x in s.senses if x[0] == "attribute"]
        table = self.layer.entities[self.form.subject]["table"] if self.form.subject else None
        return next((n for n in names if n.split(".")[0] == table), names[0])

    def _number_before_entity(self) -> int | None:
        for i, s in enumerate(self.spans[:-1]):
            if not s.used and s.first("number") and self.spans[i + 1].first("entity"):
                s.used = True
                return int(s.arg("number"))
        return None

    def _past_prepositions(self, nxt: tuple[int, Span] | None) -> tuple[int, Span] | None:
        while nxt is not None and all(x[0] == "grammar" for x in nxt[1].senses) and \
                nxt[1].text in ("by", "from", "in", "with", "of", "on", "via", "through"):
            nxt = self.next_content(nxt[0])
        return nxt

    def _entity_before(self, i: int) -> str | None:
        return next((self.spans[k].arg("entity") for k in range(i - 1, -1, -1) if self.spans[k].first("entity")),
                    None)

    def _ages(self) -> None:
        """"orders sitting in pending for more than two weeks", "shipments in transit for more than 10 days": a
        span of time after "for", with no duration that is defined for the things spoken of, is their age
        (layer age_since): started more than N days before the as-of date."""
        g = self.layer.grammar
        durations = {m for m, spec in self.layer.measures.items() if spec.get("row_sql")}
        named = {x.arg("measure") for x in self.spans if x.first("measure")} & durations
        predicates = {x.arg("predicate") for x in self.spans if x.first("predicate")}
        undefined = {m for m in named if set(self.layer.measures[m].get("undefined_with", [])) & predicates}
        if named - undefined:
            return  # "deliveries that took more than 4 days": a delivery time
        days = {"days": 1, "weeks": 7}
        # "pending orders older than a week": an age said by a comparative (layer age_comparatives), one unit
        for i in range(len(self.spans) - 2):
            older, than = self.spans[i:i + 2]
            rest = self.spans[i + 2:i + 4]
            if older.text not in g.get("age_comparatives", []) or than.text != "than" or not rest:
                continue
            article = rest[0] if rest[0].text in ("a", "an", "one") else None
            unit = rest[1] if article is not None and len(rest) > 1 else rest[0]
            if not unit.first("unit") or unit.arg("unit") not in days or unit.text not in ("day", "week"):
                continue
            spoken = {x.arg("entity") for x in self.spans if x.first("entity")} | {
                predicate_spec(self.layer, p)["entity"] for p in predicates}
            aged = [e for e in ("shipments", "orders") if e in spoken and e in g.get("age_since", {})]
            if not aged:
                return
            since = self.as_of - timedelta(days=days[unit.arg("unit")])
            self.form.filters.append(Filter(g["age_since"][aged[0]], "<", [since.isoformat()]))
            older.used = than.used = unit.used = True
            if article is not None:
                article.used = True
            return
        for i in range(1, len(self.spans) - 2):
            before, comp, num, unit = self.spans[i - 1:i + 3]
            if (before.text != "for" and before.text not in g.get("age_states", [])) or not comp.first("comparator") or not num.first("number") or \
                    unit.arg("unit") not in days if unit.first("unit") else True:
                continue
            op = comp.arg("comparator")
            if op not in (">", ">="):
                continue
            if before.text != "for" and not (predicates or any(x[0] != "stop" for x in before.senses) or any(
                    d == "status" for x in self.spans for d, _ in self.values_of(x))):
                continue  # "orders waiting more than 2 weeks": which orders wait (a status) is not said
            spoken = {x.arg("entity") for x in self.spans if x.first("entity")} | {
                predicate_spec(self.layer, p)["entity"] for p in predicates}
            aged = [e for e in ("shipments", "orders") if e in spoken and e in g.get("age_since", {})]
            if not aged:
                return  # "customers waiting for more than 10 days": no order or parcel to take the age of
            field = g["age_since"][aged[0]]
            since = self.as_of - timedelta(days=num.arg("number") * days[unit.arg("unit")])
            self.form.filters.append(Filter(field, "<" if op == ">" else "<=", [since.isoformat()]))
            comp.used = num.used = unit.used = True
            before.used = before.used or before.text == "for"  # a state word before keeps its own meaning
            for m in undefined:  # the delivery time the words named is not what is asked
                for x in self.spans:
                    if x.first("measure") and x.arg("measure") == m:
                        x.used = True

    def _share_of_predicate_entity(self, f: QueryForm) -> None:
        """"on-time rate by carrier": with no things named, a share of a condition is taken of the things the
        condition is about (parcels), not of the default orders (which counted orders and put the period on
        the order date)."""
        # the share's condition is still among the predicates here (it becomes the condition later)
        name = ((f.derived or {}).get("condition") or {}).get("predicate") or (
            f.predicates[0] if len(f.predicates) == 1 else "")
        predicate = self.layer.predicates.get(name) or self.layer.predicates.get(name.removeprefix("not_"))
        if f.derived is None or f.derived.get("kind") != "share" or predicate is None or f.measures != ["count"]:
            return
        if any(s.first("entity") for s in self.spans) or f.subject not in (None, "orders"):
            return
        f.subject = predicate["entity"]

    def _unknown_names(self) -> None:
        """"How many parcels did Acme Post deliver late": a capitalised word the lake does not know, standing where
        a name of a dimension stands (layer name_slots: a word before it and one after), is a name that is not
        there: "not found", not a word left unexplained."""
        capitalised = {w.lower() for w in re.findall(r"(?<![\w-])([A-Z][\w-]+)", self.question)}
        for dim, slot in self.layer.grammar.get("name_slots", {}).items():
            for i, s in enumerate(self.spans):
                if s.senses or s.used or s.text not in capitalised or i == 0:
                    continue
                before = self.spans[i - 1].text
                after = next((x.text for x in self.spans[i + 1:] if x.senses or x.text not in capitalised), "")
                if before in slot["before"] and after in slot["after"]:
                    raise NotFound(f"there is no {dim} named {self.question[self.question.lower().find(s.text):][:len(s.text)]!r}"
                                   " in the lake", field="question", hint=f"check the {dim}'s name")

    def _duration_anchors(self) -> None:
        """"more than 3 days after shipping": the words after a placed span of time name where a delivery time
        starts (layer duration_anchors); only there, so "profit after shipping costs" stays unplaced."""
        anchors = [tuple(a) for a in self.layer.grammar.get("duration_anchors", [])]
        for i, s in enumerate(self.spans[:-2]):
            if not (s.first("unit") and s.used):
                continue
            after = tuple(x.text for x in self.spans[i + 1:i + 3])
            if after in anchors:
                self.spans[i + 1].used = self.spans[i + 2].used = True

    def _comparisons(self) -> None:
        for i, s in enumerate(self.spans):
            if s.used or not (s.has("grammar", "compare") or s.text == "over" and self._between_periods(i)):
                continue
            if s.text == "compare":
                # "compare revenue for Jan-Oct 2026 with Jan-Oct 2025": the verb's two periods joined by "with"
                slots = [k for k, x in enumerate(self.spans) if k > i and x.text.startswith("__period") and not x.used]
                if len(slots) == 2 and slots[1] == slots[0] + 2 and self.spans[slots[0] + 1].text in ("with", "to",
                                                                                                      "and", "against"):
                    a, b = self.spans[slots[0]], self.spans[slots[1]]
                    self.form.derived = self.form.derived or {"kind": "periods"}
                    self.form.period = self.periods[int(a.text[8:-2])]
                    self.form.compare_period = self.periods[int(b.text[8:-2])]
                    s.used = a.used = b.used = self.spans[slots[0] + 1].used = True
                    continue
            left, right = self.prev_content(i), self.next_content(i)
            if left is not None and (left[1].first("entity") or left[1].first("measure")) and not left[1].used:
                left = self.prev_content(left[0]) or left  # "web orders vs store orders"
            if left is None or right is None:
                continue
            a, b = left[1], right[1]
            if a.text.startswith("__period") and b.text.startswith("__period"):
                self.form.derived = self.form.derived or {"kind": "periods"}
                self.form.period = self.periods[int(a.text[8:-2])]
                self.form.compare_period = self.periods[int(b.text[8:-2])]
                s.used = a.used = b.used = True
                continue
            pa, pb = a.first("predicate"), b.first("predicate")
            if pa and pb and not a.used and not b.used and pa[1] != pb[1]:
                if predicate_spec(self.layer, pa[1])["entity"] != predicate_spec(self.layer, pb[1])["entity"]:
                    raise NotUnderstood(f"'{a.text}' and '{b.text}' are conditions on different things; I can put "
                                        "side by side conditions of one kind", hint="e.g. 'active vs inactive products'")
                # "discounted lines vs full-price lines": one row per condition
                self.form.derived = {"kind": "predicates", "values": [pa[1], pb[1]]}
                s.used = a.used = b.used = True
                continue
            va, vb = self.values_of(a), self.values_of(b)
            common = {d for d, _ in va} & {d for d, _ in vb}
            if common:
                dim = sorted(common)[0]
                values = [next(v for d, v in va if d == dim), next(v for d, v in vb if d == dim)]
                # more values in the chain: "web vs store vs b2b"
                k = right[0]
                while True:
                    nxt = self.next_content(k)
                    if nxt is None or not (nxt[1].has("grammar", "compare")):
                        break
                    after = self.next_content(nxt[0])
                    if after is None or dim not in {d for d, _ in self.values_of(after[1])}:
                        break
                    values.append(next(v for d, v in self.values_of(after[1]) if d == dim))
                    nxt[1].used = after[1].used = True
                    k = after[0]
                self.form.compare = {"dimension": dim, "values": values}
                self.form.filters.append(Filter(dim, "in", values))
                if dim not in self.form.dimensions:
                    self.form.dimensions.append(dim)
                s.used = a.used = b.used = True
        if any(s.used and s.has("grammar", "compare") for s in self.spans):
            for s in self.spans:  # "compare revenue 2025 vs 2024": the verb says what "vs" does
                if not s.used and s.text == "compare":
                    s.used = True

    def _predicate_bounds(self) -> None:
        """"with a discount of 15% or more", "discounted by 20%", "with a discount above 15%": a number right after
        a condition that a column is above zero (the layer's bounded_by) bounds that column instead."""
        for i, s in enumerate(self.spans):
            name = s.arg("predicate") if s.first("predicate") and not s.used else None
            spec = self.layer.predicates.get(str(name), {})
            if spec.get("entity") == "order_lines" and i > 1 and self.spans[i - 1].text in ("item", "items") and \
                    self.spans[i - 2].text in ("some", "any", "an", "a"):
                self.spans[i - 1].used = True  # "had some item with a discount": the line the condition is on
            column = spec.get("bounded_by")
            if not column:
                continue
            k = i + 1
            if k < len(self.spans) and self.spans[k].text in ("of", "by", "at"):
                k += 1
            op = "="
            if k < len(self.spans) and self.spans[k].first("comparator"):
                op = str(self.spans[k].arg("comparator"))
                k += 1
            if k >= len(self.spans) or not self.spans[k].first("number"):
                continue
            number = self.spans[k]
            last = k + 1 if k + 1 < len(self.spans) and self.spans[k + 1].text == "__pct__" else k
            after = self.spans[last + 1] if last + 1 < len(self.spans) else None
            if op == "=" and after is not None and after.first("comparator") and after.text.startswith("or "):
                op = str(after.arg("comparator"))  # "15% or more"
                last += 1
            if op not in ("=", "<", "<=", ">", ">="):
                continue
            self.form.filters.append(Filter(column, op, [number.arg("number")]))
            for t in self.spans[i:last + 1]:
                t.used = True

    def _between_periods(self, i: int) -> bool:
        """"growth in Q3 2026 over Q2 2026": "over" right between two periods, a growth asked, compares them."""
        left, right = self.prev_content(i), self.next_content(i)
        return bool(left and right and left[0] == i - 1 and right[0] == i + 1 and left[1].text.startswith("__period")
                    and right[1].text.startswith("__period") and any(x.has("grammar", "growth") for x in self.spans))

    def _field_near(self, i: int, direction: int, counts: bool = True) -> tuple[str, Span | None] | None:
        """The attribute or measure a comparator refers to, looking left (-1) or right (+1); ``counts``: a
        thing named on the right may be counted ("more than 10 orders"; not after an amount of money)."""
        rng = range(i - 1, max(-1, i - 5), -1) if direction < 0 else range(i + 1, min(len(self.spans), i + 4))
        for j in rng:
            s = self.spans[j]
            if direction > 0 and counts and s.first("dimension") and not s.first("value") and not s.first("entity") \
                    and s.text.endswith("s") and s.arg("dimension") in self.layer.dimensions and all(
                        t.text in ("different", "distinct", "unique") for t in self.spans[i + 1:j]):
                # "customers who ordered from at least 5 different categories": how many values of it each has
                # (was: the number read as a bound on a figure of the thing on the left, the price of products)
                column = self.layer.dimensions[str(s.arg("dimension"))]["column"]
                head = next((t for t in self.spans if t.first("entity")), None)
                # ("products in at least 3 categories": one value of its own each, never counted)
                if head is not None and self.layer.entities[str(head.arg("entity"))]["table"] != column.split(".")[0]:
                    for t in self.spans[max(0, i - 4):i]:  # "ordered products from at least 5 categories": theirs
                        if t.first("entity") and self.layer.entities[str(t.arg("entity"))]["table"] == column.split(".")[0]:
                            t.used = True
                    return "ndistinct:" + column, s
            if s.first("attribute") and self.layer.column(s.arg("attribute"))["type"] in ("VARCHAR", "BOOLEAN"):
                continue  # "above 500 across warehouses": a number is never compared with a name
            if s.first("attribute"):
                return s.arg("attribute"), s
            if s.first("measure"):
                return s.arg("measure"), s
            if direction > 0 and s.first("entity"):
                return ("count:" + s.arg("entity"), s) if counts else None
            if direction < 0 and s.first("entity"):
                entity = self.layer.entities[s.arg("entity")]
                if entity.get("amount"):
                    return f"{entity['table']}.{entity['amount']}", None  # "orders over 500" = their total
                return None
            if direction > 0 and j + 1 < len(self.spans) and self.spans[j + 1].first("entity") and \
                    self._said_of(s, str(self.spans[j + 1].arg("entity"))):
                continue  # "customers with more than 2 returned orders": the orders counted are those returned
            if s.first("value") or s.first("predicate"):
                return None
        return None

    def _said_of(self, s: Span, entity: str) -> bool:
        """``s`` is a value or condition of the entity's own rows ("returned" of orders, "open" of orders)."""
        table = self.layer.entities[entity]["table"]
        values = self.values_of(s)
        if values and not s.first("predicate"):
            return all(self.layer.dimensions.get(d, {}).get("column", "").split(".")[0] == table for d, _ in values)
        if s.first("predicate") and not values:
            return predicate_spec(self.layer, str(s.arg("predicate")))["entity"] == entity
        return False

    def _ranges_and_comparators(self) -> None:
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            if s.has("grammar", "range") and i + 3 < len(self.spans):
                lo, mid, hi = self.spans[i + 1], self.spans[i + 2], self.spans[i + 3]
                if lo.first("number") and hi.first("number") and mid.text in ("and", "to", "-"):
                    # the field after the range first ("between 500 and 600 units in stock"), as for comparators
                    target = self._field_near(i + 3, +1) or self._field_near(i, -1)
                    if target:
                        self._attach(target, "between", [lo.arg("number"), hi.arg("number")])
                        for x in (s, lo, mid, hi):
                            x.used = True
                continue
            comp = s.first("comparator")
            if not comp:
                continue
            op = comp[1]
            # "10 or more" puts the number first
            if s.text.startswith("or "):
                prev = self.prev_content(i)
                if prev and prev[1].first("number"):
                    target = self._field_near(i, +1) or self._field_near(prev[0], -1)
                    if target:
                        self._attach(target, op, [prev[1].arg("number")])
                        s.used = prev[1].used = True
                elif prev and prev[1].first("unit") and prev[0] > 0 and self.spans[prev[0] - 1].first("number"):
                    # "took five days or longer": the number and its unit first, as "at least five days"
                    # (was: the number and 'longer' left unplaced, the question refused)
                    said, per = self.spans[prev[0] - 1], prev[1]
                    target = self._field_near(i, +1) or self._field_near(prev[0] - 1, -1)
                    if target is None and self._about_shipping():
                        target = (next(m for m, spec in self.layer.measures.items() if spec.get("units")), None)
                    if target:
                        self._attach(target, op, [said.arg("number")], per.arg("unit"))
                        s.used = said.used = per.used = True
                continue
            nxt = self.next_content(i)
            if nxt is None or not nxt[1].first("number"):
                continue
            j, num = nxt
            after = self.next_content(j)
            if op == ">=" and num.arg("number") == 1 and after is not None and after[1].first("predicate"):
                s.used = num.used = True  # "at least one discounted line": there is such a line
                continue
            if op == ">=" and num.arg("number") == 1 and after is not None and self.values_of(after[1]):
                k: tuple[int, Span] | None = after
                while k is not None and (self.values_of(k[1]) or k[1].first("predicate")) and not k[1].first("entity"):
                    k = self.next_content(k[0])
                if k is not None and k[1].first("entity"):
                    s.used = num.used = True  # "customers with at least one cancelled order": such an order exists
                    continue
            # "more than 48 hours": the unit belongs to the number; the field is then looked for
            # on the right ("more than 10 orders"), else on the left ("took more than", "orders over")
            unit = self.spans[j + 1] if j + 1 < len(self.spans) and self.spans[j + 1].first("unit") else None
            pct = j + 1 < len(self.spans) and self.spans[j + 1].text == "__pct__"
            if pct:
                self.spans[j + 1].used = True
            money = j + 1 < len(self.spans) and self.spans[j + 1].text == "__money__"
            # ("above 30,000 EUR from Finnish customers": money is never a count of the customers)
            right = self._field_near(j + (1 if unit or money else 0), +1, counts=not money)
            if money and right is not None and "." in right[0] and ":" not in right[0] and \
                    self.layer.column(right[0]).get("unit") != "EUR":
                right = None  # "orders worth over 1000 euros: which order ids?": an amount is never an id
            target = right or self._field_near(i, -1)
            if after is not None and after[0] == j + 1 and not self._field_near(j, +1) and after[1].has("activity", "sales") \
                    and not unit and not money and "units_sold" in self.layer.measures and \
                    (target is None or target[0].startswith("products.")):
                # "products with under 20 sold in September": a bare number said of selling counts units sold
                target = ("units_sold", None)
                after[1].used = True
            if target is None and money:
                target = self._amount_near(i)  # "web orders in Oslo this year over 200 EUR": the orders' total
            if target is None and unit is not None and self._about_shipping():
                # "delivered within 2 days": a time span measures the layer's duration; not "orders sitting
                # in pending for more than two weeks", where no parcel is spoken of
                target = (next(m for m, spec in self.layer.measures.items() if spec.get("units")), None)
            if target is None:
                continue
            name = target[0]
            if pct and op in ("<", "<=", ">", ">=") and any(x.has("grammar", "growth") for x in self.spans[:i]):
                # "grew revenue (units sold) by more than 50%": a bound on the growth in percent, not on the figure;
                # placed (its words used) only once a growth of two periods is read (_growth_bound)
                by = self.spans[i - 1] if self.spans[i - 1].text == "by" else None
                self.growth_bound = (op, float(num.arg("number")), [s, num, *([by] if by else [])])
                continue
            if pct and (self._in_eur(name) or "." in name and name.count(".") == 1 and ":" not in name
                        and name.split(".")[0] in self.layer.tables
                        and self.layer.tables[name.split(".")[0]]["columns"].get(name.split(".")[1], {}).get("unit") == "EUR"):
                # "more than 40% of their lines discounted": a percent is never a price or an amount in EUR
                raise NotUnderstood(f"{num.arg('number'):g}% is a share, and the figure it would be compared with "
                                    "is an amount in EUR", hint="ask for the share itself, e.g. "
                                    "'share of discounted order lines by product'")
            value = num.arg("number")
            if pct and self.layer.measures.get(target[0], {}).get("fraction"):
                value = value / 100
            self._attach(target, op, [value], unit.arg("unit") if unit else None)
            s.used = num.used = True
            if unit is not None:
                unit.used = True

    def _about_shipping(self) -> bool:
        """Does the question speak of parcels (shipments, their dates, carriers, arrivals)?"""
        for s in self.spans:
            if s.has("entity", "shipments") or s.has("dimension", "carrier") or any(
                    x[0] == "activity" and x[1] in ("delivered", "shipments") for x in s.senses):
                return True
            if any(x[0] == "predicate" and predicate_spec(self.layer, x[1])["entity"] == "shipments" for x in s.senses):
                return True
            if any(x[0] == "measure" and self.layer.measures[x[1]].get("units") for x in s.senses):
                return True
        return False

    def _amount_near(self, i: int) -> tuple[str, Span | None] | None:
        """The money attribute of the nearest entity before ``i`` (else after it) that has an amount."""
        order = [*range(i - 1, -1, -1), *range(i + 1, len(self.spans))]
        for k in order:
            ent = self.spans[k].first("entity")
            if ent and self.layer.entities[ent[1]].get("amount"):
                spec = self.layer.entities[ent[1]]
                return f"{spec['table']}.{spec['amount']}", None
        context: QueryForm | None = getattr(self, "context", None)
        previous = self.layer.entities.get(context.subject or "", {}) if context is not None else {}
        if previous.get("amount") and context is not None and context.kind == "list" and points_back(self.spans):
            # "which of those were over 300 EUR?" after orders listed: the amount of the things listed
            return f"{previous['table']}.{previous['amount']}", None
        return None

    def _money_placed(self) -> None:
        """A currency after a number that was read as a value ("between 100 and 200 EUR") is its unit."""
        for k, s in enumerate(self.spans):
            if s.text == "__money__" and k > 0 and self.spans[k - 1].used and self.spans[k - 1].first("number"):
                s.used = True
                # "a margin below 2 euros": an amount in money bounds the money variant of a fraction measure
                # (a margin in euros per unit), never the fraction itself (every product is below 2)
                number = self.spans[k - 1].arg("number")
                for j, flt in enumerate(self.form.filters):
                    variant = self.layer.measures.get(flt.field, {}).get("in_eur")
                    if variant and number in flt.values and self.layer.measures[flt.field].get("fraction"):
                        self.form.measures = [variant if x == flt.field else x for x in self.form.measures]
                        self.form.filters[j] = replace(flt, field=variant)
                # "less than 2 euros per unit": the amount's unit, when what it bounds is a figure per unit (a
                # measure the layer marks per_unit, or a column it describes per unit: list price, unit cost)
                after = [x.text for x in self.spans[k + 1:k + 3]]
                if after == ["per", "unit"] and not any(x.used for x in self.spans[k + 1:k + 3]) and any(
                        self._per_unit(flt.field) and self.spans[k - 1].arg("number") in flt.values
                        for flt in self.form.filters):
                    for x in self.spans[k + 1:k + 3]:
                        x.used = True

    def _per_unit(self, field: str) -> bool:
        """A figure stated per unit of a product: a measure the layer marks so, or a column described so."""
        if self.layer.measures.get(field, {}).get("per_unit"):
            return True
        table, _, column = field.partition(".")
        return bool(column) and "per unit" in self.layer.tables.get(table, {}).get("columns", {}).get(
            column, {}).get("description", "")

    def _percent_values(self) -> None:
        """"lines with a 20% discount": a number in percent just before a column kept in percent is
        that column's value (row by row, not an average)."""
        for i, s in enumerate(self.spans[:-2]):
            pct, target = self.spans[i + 1], self.spans[i + 2]
            if s.used or not s.first("number") or pct.text != "__pct__" or target.used:
                continue
            attr = next((x[1] for x in target.senses if x[0] == "attribute"
                         and self.layer.column(x[1]).get("unit") == "%"), None)
            if attr:
                self.form.filters.append(Filter(attr, "=", [s.arg("number")]))
                s.used = pct.used = target.used = True

    def _attach(self, target: tuple[str, Span | None], op: str, values: list, unit: str | None = None) -> None:
        name, span = target
        if span is not None:
            span.used = True
        if unit and not self.layer.measures.get(name, {}).get("units"):
            raise NotUnderstood(f"'{unit}' only applies to delivery times", field="question",
                                hint="e.g. 'deliveries that took more than 48 hours'")
        self.form.filters.append(Filter(name, op, values, unit))
        if name.startswith("count:"):
            self.form.notes.append(f"count_of:{name[6:]}")

    def _shares_and_growth(self) -> None:
        f = self.form
        growth = [s for s in self.spans if not s.used and s.has("grammar", "growth")]
        for s in growth:
            s.used = True
            f.derived = {"kind": "growth"}
        absolute = [s for s in self.spans if not s.used and s.has("grammar", "growth_absolute")]
        # "which brand grew the most in euros": the euros a growth is asked in are the change itself (README:
        # growth in percent unless euros are asked)
        absolute += [s for k, s in enumerate(self.spans) if k > 0 and not s.used and s.first("currency")
                     and (s.text.startswith("in ") or self.spans[k - 1].text == "in")]
        if growth and absolute and f.derived is not None:
            # "grew the most in absolute euros": the change as a difference, not in percent
            for s in absolute:
                s.used = True
            f.derived["absolute"] = True
        for k, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "share"):
                continue
            s.used = True
            before = self.prev_content(k)
            named = before and (before[1].first("measure") or before[1].first("ranking"))
            if s.text in self.layer.grammar.get("percent_words", []) and named and \
                    self.layer.measures.get(named[1], {}).get("in_pct"):
                # "the highest margin in percent", "margin percentage": a fraction figure (0-1) asked in percent
                # is its percent variant (0-100), never a share of a total of it
                self.in_percent.add(str(named[1]))
                continue
            if k > 0 and self._unit_of(self.spans[k - 1]) == "%":
                continue  # "discount pct", "margin percent": the unit of a figure kept in percent
            pct = self._sole_figure_in_percent(k)
            if pct is not None:
                self.in_percent.add(pct)
                continue
            if k > 1 and self.spans[k - 1].text in ("in", "as") and self._unit_of(self.spans[k - 2]) == "%":
                continue  # "the margin in percent": that figure's unit, not a share of a total
            if not growth:  # "growth in %": the percent is the growth's unit
                ratio = s.text in self.layer.grammar.get("ratio_words", ["ratio"])  # "web divided by store"
                f.derived = {"kind": "ratio" if ratio else "share"}
        if f.derived and f.derived.get("kind") == "share":
            for k, s in enumerate(self.spans[:-2]):
                if s.text == "out" and not s.used and self.spans[k + 1].text == "of" and self.spans[k + 2].text == "all":
                    # "the share of late ones, out of all their shipments": of the whole named, every one ("out of
                    # delivered shipments" names a condition of the whole, left unplaced)
                    s.used = True
            # the layer's scale: a share is a 0-1 fraction unless the question says percent
            percent = set(self.layer.grammar.get("percent_words", []))
            f.derived["scale"] = "percent" if any(s.text in percent for s in self.spans) else "fraction"

    def _sole_figure_in_percent(self, k: int) -> str | None:
        """"Average margin of the active Tools products, as a percent": a closing "as a percent" / "in percent"
        after a question whose one figure is a fraction (0-1) with a percent variant, and nothing counted or
        bounded a share could be of, asks that figure in percent (was: a share of active products among all,
        100%)."""
        words = [s.text for s in self.spans]
        if words[k] not in self.layer.grammar.get("percent_words", []) or \
                not (words[k - 1:k] in (["in"], ["as"]) or words[max(k - 2, 0):k] == ["as", "a"]):
            return None
        if self.next_content(k) is not None:
            return None  # "as a percent of all orders": more said after it
        figures = {str(s.arg("measure")) for s in self.spans if s.first("measure")}
        if len(figures) != 1 or any(s.first("comparator") or s.first("count") or s.has("grammar", "share")
                                    for j, s in enumerate(self.spans) if j != k):
            return None
        figure = next(iter(figures))
        return figure if self.layer.measures.get(figure, {}).get("in_pct") else None

    def _scale_only(self) -> bool:
        """"as a percent", "in percent": every share word of the question only says the scale of a share."""
        percent = set(self.layer.grammar.get("percent_words", []))
        words = [s.text for s in self.spans]
        said = [k for k, s in enumerate(self.spans) if s.has("grammar", "share")]
        return bool(said) and all(words[k] in percent and (words[k - 1:k] in (["in"], ["as"]) or
                                                           words[max(k - 2, 0):k] == ["as", "a"]) for k in said)

    def _unit_of(self, s: Span) -> str | None:
        measure, attribute = s.first("measure"), s.first("attribute")
        if measure:
            return self.layer.measures[measure[1]].get("unit")
        return self.layer.column(attribute[1]).get("unit") if attribute else None

    def _value_before_grouped(self, j: int) -> tuple[int, Span] | None:
        """"in each Finnish city", "per Swedish city": a value of the same table right before the dimension grouped
        by stays a filter on its rows; the grouping is by the dimension after it (was: the grouping word left
        unplaced)."""
        t, after = self.spans[j], self.next_content(j)
        if after is None or after[0] != j + 1 or t.first("dimension") or t.used or after[1].used or \
                not after[1].first("dimension") or after[1].first("entity"):
            return None
        table = self.layer.dimensions[str(after[1].arg("dimension"))]["column"].split(".")[0]
        values = self.values_of(t)
        if values and all(self.layer.dimensions[d]["column"].split(".")[0] == table for d, _ in values
                          if d in self.layer.dimensions):
            return after
        return None

    def _every_period_of_grain(self) -> None:
        """"revenue per year, all years we have": "all"/"every" before the plural of the grain already asked
        says every period of it, no period limit (was: 'years' left unplaced and the question refused)."""
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            if s.text in ("all", "every") and not s.used and not t.used and t.text.endswith("s") and \
                    self.form.grain is not None and t.has("grain", self.form.grain):
                s.used = t.used = True

    def _groupings(self) -> None:
        f = self.form
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            # "for every carrier combined": every one summed together, not a figure for each (was: split by it)
            summed = s.text == "for every" and i + 2 < len(self.spans) and self.spans[i + 2].text in (
                "together", "combined")
            ranked_each = i > 0 and self.spans[i - 1].text in SORTING_VERBS or i + 2 < len(self.spans) and \
                self.spans[i + 2].text in SORTING_VERBS
            each_dim = t.arg("dimension") if t.first("dimension") else \
                ENTITY_DIMENSION.get(str(t.arg("entity"))) if t.first("entity") else None
            if s.text in ("all", "every", "each") and ranked_each and each_dim and not s.used and not t.used \
                    and each_dim not in f.dimensions:
                # "rank all cities by customers", "every product sorted by stock": one row each, ranked (was: "all
                # cities" read as no split, one total)
                s.used = t.used = True
                f.dimensions.append(str(each_dim))
                continue
            if (s.text in ("any", "all", "every") or summed) and not s.used and not t.used and t.first("dimension"):
                s.used = t.used = True  # "(any status)", "all channels", "across all warehouses": no split
                f.notes.append(f"any:{t.arg('dimension')}")  # "any status": not even the glossary's status filter
                if i > 0 and self.spans[i - 1].has("grammar", "group_by"):
                    self.spans[i - 1].used = True
                if i + 2 < len(self.spans) and self.spans[i + 2].text in ("included", "includes", "counted"):
                    self.spans[i + 2].used = True  # "all statuses included": every status, as "any status"
            elif s.text == "whatever" and not s.used:
                nxt = self.next_content(i)  # "(by order total, whatever its status)": as "any status"
                if nxt is not None and not nxt[1].used and nxt[1].first("dimension") and not self.values_of(nxt[1]):
                    s.used = nxt[1].used = True
                    f.notes.append(f"any:{nxt[1].arg('dimension')}")
            elif s.text == "regardless of" and s.has("grammar", "drop_filter") and not s.used:
                nxt = self.next_content(i)  # "regardless of (order) status": as "any status", no split
                if nxt is not None and not nxt[1].used and nxt[1].first("dimension") and not self.values_of(nxt[1]):
                    s.used = nxt[1].used = True
                    f.notes.append(f"any:{nxt[1].arg('dimension')}")
        stock_verbs = set(self.layer.grammar.get("stock_verbs", []))
        # "how many X are in the warehouses altogether": the places summed, as "in total" says
        together = any(x.text in self.layer.grammar.get("overall", []) and x.text != "overall"
                       or x.text in ("total", "combined") for x in self.spans)
        for i, s in enumerate(self.spans[1:-1], start=1):
            k = i + 1
            while k < len(self.spans) - 1 and self.spans[k].text in ("our", "the", "your"):
                k += 1  # "sitting in our warehouses"
            place, held = self.spans[k], self.spans[i - 1]
            # "the most of in the warehouses overall": the places said with "overall" right after them are summed
            summed_here = k + 1 < len(self.spans) and self.spans[k + 1].text in self.layer.grammar.get("overall", [])
            stocked = held.text in stock_verbs or held.first("predicate") and "inventory." in \
                self.layer.predicates.get(held.arg("predicate"), {}).get("sql", "") or together or summed_here
            if s.text == "in" and stocked and not s.used and not place.used and place.first("dimension") and \
                    not self.values_of(place) and place.text.endswith("s"):
                # "stock sitting in warehouses": where stock is held, all of them together; not a split
                for x in self.spans[i:k + 1]:
                    x.used = True
                f.notes.append(f"any:{place.arg('dimension')}")
        places = [d for d, spec in self.layer.dimensions.items() if spec.get("column", "").startswith("inventory.")]
        for i, s in enumerate(self.spans[1:], start=1):
            held = self.spans[i - 1]
            if s.text == "everywhere" and not s.used and len(places) == 1 and held.first("predicate") and \
                    self.layer.predicates.get(held.arg("predicate"), {}).get("every_scope_is_summed"):
                # "out of stock everywhere": a stock condition that holds in every place exactly when it holds
                # summed over them (layer every_scope_is_summed), as "in all warehouses" (was: 'everywhere' left
                # unplaced; "low on stock everywhere" stays refused, each place and the sum differ there)
                s.used = True
                f.notes.append(f"any:{places[0]}")
        for i, s in enumerate(self.spans[2:], start=2):
            place = self.spans[i - 1]
            every = self.spans[i - 2].text in ("every", "for every")  # "every carrier combined": one noun each
            if not s.used and s.text in ("together", "combined") and (self.spans[i - 2].text == "all" or every) \
                    and place.first("dimension") and not self.values_of(place) and (place.text.endswith("s") or every) \
                    and sum(x.first("dimension") == place.first("dimension") for x in self.spans) == 1:
                s.used = True  # "(reorder level minus stock, all warehouses together)": summed over them, not split
        for i, s in enumerate(self.spans):
            if not s.used and s.has("grammar", "summed_over"):
                # "less than 300 units in total across (all) warehouses": summed over them, never split by them
                k = i + 1
                while k < len(self.spans) and (self.spans[k].text in ("all", "every") or self.spans[k].has("stop")):
                    k += 1  # "in total across all of our warehouses"
                if k < len(self.spans) and self.spans[k].first("dimension"):
                    for x in self.spans[i:k + 1]:
                        x.used = True
                continue
            if s.used or not s.has("grammar", "group_by"):
                continue
            nxt = self.next_content(i)
            if nxt is None:
                continue
            j, t = nxt
            if i + 1 < len(self.spans) and self.spans[i + 1].text in ("all", "every") and t.first("dimension"):
                s.used = t.used = True  # "across all warehouses": summed over them, not split
                continue
            if s.text in ("across", "over") and self.spans[i + 1].text in ("its", "their") and t.first("entity") \
                    and any(x.has("grammar", "average") for x in self.spans[:i]):
                s.used = t.used = True  # "the average margin across its products": averaged over them, not split
                continue
            if s.text == "across" and t.first("dimension") and not self.values_of(t) and j == i + 1 and any(
                    x.text in ("total", "in total") for x in self.spans[:i]):
                s.used = t.used = True  # "total stock and total reorder level across warehouses": one total
                continue
            if s.text == "across" and self.prev_content(i) is None and j == i + 1 and t.first("entity") \
                    and not t.first("dimension"):
                s.used = True  # "Across order lines with a discount, what is the average ...": over those rows
                continue
            if i + 1 < len(self.spans) and self.spans[i + 1].text in ("all", "every") and t.first("entity") \
                    and s.text in ("across", "over"):
                s.used = self.spans[i + 1].used = True  # "across all order lines": over every one of them
                continue
            if s.text == "per" and j == i + 1 and t.first("entity") and self._averaged_over(t.arg("entity"), i):
                s.used = t.used = True  # "average discount per order line": the rows it averages, not a grouping
                continue
            per: tuple[int, Span] | None = nxt
            taking_part: list[Span] = []
            # "revenue by Makita product" groups as "per Makita product" does (singular: "bought by business
            # customers" names who bought)
            grouping = s.text == "per" or s.text == "by" and self._by_value_then_singular_entity(i)
            while grouping and per is not None and not per[1].first("entity") and not per[1].used and (
                    self.values_of(per[1]) or per[1].first("predicate") or per[1].has("grammar", "participating")):
                if per[1].has("grammar", "participating"):
                    taking_part.append(per[1])  # "per ordering customer": those with orders, as figures per one are
                per = self.next_content(per[0])  # "per Heating product": the value stays a filter on them
            if per is not None and per[1].first("entity") and per[0] != j and grouping:
                j, t = per
            elif (grouped := self._value_before_grouped(j)) is not None:
                j, t = grouped
            if t.first("entity") and not t.used and s.text == "per" and not t.text.endswith("s") and any(
                    x.has("grammar", "average") or x.text == "median" and not x.used for x in self.spans[:i]) and any(
                    d.get("entity") == t.arg("entity") for d in self.layer.dimensions.values()):
                # "average units per order", "avg number of orders per customer": per-entity figures, averaged
                # ("the median number of orders per customer": their median)
                f.derived = {"kind": "average_per", "entity": t.arg("entity")}
                s.used = t.used = True
                for x in taking_part:
                    x.used = True
                for x in self.spans[:i]:
                    if x.has("grammar", "average"):
                        x.used = True
                    elif x.text == "median" and not x.used:
                        x.used = True
                        f.derived["fn"] = "median"
                continue
            if t.first("activity") and not t.first("grain") and j + 1 < len(self.spans) and self.spans[j + 1].first("grain"):
                # "customers by signup year", "orders by order month": the grain of that event's date
                f.notes.append(f"activity:{t.arg('activity')}")
                t.used = True
                j, t = j + 1, self.spans[j + 1]
            if t.first("grain"):
                f.grain = t.arg("grain")
                s.used = t.used = True
            elif t.first("dimension") and not t.used:
                dim = t.arg("dimension")
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                if s.text in EACH_WORDS:
                    f.notes.append(f"each:{dim}")  # a ranking restarts in each of these groups
                s.used = t.used = True
            elif t.first("entity") and not t.used and t.arg("entity") in ("customers", "products"):
                dim = {"customers": "customer", "products": "product"}[t.arg("entity")]
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                s.used = t.used = True
            elif s.text == "by" and t.first("attribute") and any(x.text.startswith("__period") for x in self.spans) \
                    and not any(x.first("ranking") or x.first("superlative") for x in self.spans) \
                    and t.arg("attribute") in {f"{e['table']}.{e['period']}" for e in self.layer.entities.values()
                                               if e.get("period")}:
                # "revenue of orders shipped with DHL this year (by order date)": the date the period is on
                f.period_field = str(t.arg("attribute"))
                f.notes.append("period_field:said")
                s.used = t.used = True
            elif s.text == "by" and t.has("grammar", "average") and not t.used and j + 1 < len(self.spans) and \
                    self.spans[j + 1].first("measure") and str(self.layer.measures.get(
                        str(self.spans[j + 1].arg("measure")), {}).get("sql", "")).upper().startswith("AVG("):
                # "rank carriers by average delivery days": a measure that is itself an average is the ranking key,
                # "average" its own (was: refused, 'by' not placed)
                key = str(self.spans[j + 1].arg("measure"))
                f.order_by = key
                f.notes.append("order:explicit")
                if key not in f.measures:
                    f.measures.append(key)
                s.used = t.used = self.spans[j + 1].used = True
            elif (t.first("measure") or t.first("attribute") or t.first("ranking")) and s.text in ("by", "per"):
                # "top products by revenue": the ranking key
                key = next(t.arg(kind) for kind in ("measure", "ranking", "attribute") if t.first(kind))
                f.order_by = key
                f.notes.append("order:explicit")
                if t.first("measure") or t.first("ranking"):
                    if key not in f.measures:
                        f.measures.append(key)
                s.used = t.used = True
            elif s.text == "by" and t.first("entity") and j + 1 < len(self.spans) \
                    and self.spans[j + 1].text == "count":
                # "top customers by order count": as "by number of orders"
                f.order_by = f"count:{t.arg('entity')}"
                f.notes.extend([f"count_of:{t.arg('entity')}", "order:explicit"])
                s.used = t.used = self.spans[j + 1].used = True
            elif (t.text.startswith("__id") or self.values_of(t)) and s.text == "by":
                s.used = True  # "placed by customer 150", "made by Bosch": the by of an agent
            elif t.first("predicate") and s.text == "by" and (after := self.next_content(j)) is not None and \
                    after[1].has("grammar", "share"):
                s.used = True  # "best carrier by on-time percentage": ranked by that share (read with the share)
            elif t.first("grammar") and t.text in ("number of", "count", "count of") and s.text == "by":
                after = self.next_content(j)
                while after is not None and after[1].first("predicate") and not after[1].first("entity"):
                    after = self.next_content(after[0])  # "by number of late deliveries": the late ones counted
                if after and after[1].first("entity"):
                    f.order_by = f"count:{after[1].arg('entity')}"
                    # an explicit key: a ranking phrase ("top spenders by number of orders") does not override it
                    f.notes.extend([f"count_of:{after[1].arg('entity')}", "order:explicit"])
                    s.used = t.used = after[1].used = True
        # "orders by channel and month": "and" continues a grouping with a dimension or a grain
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            before = self.prev_content(i)
            if s.text != "and" or s.used or t.used or before is None or not before[1].used \
                    or not (before[1].first("dimension") and before[1].arg("dimension") in f.dimensions
                            or before[1].first("grain") and f.grain):
                continue
            if t.first("grain") and not f.grain:
                f.grain = t.arg("grain")
                s.used = t.used = True
            elif t.first("dimension") and not self.values_of(t):
                if t.arg("dimension") not in f.dimensions:
                    f.dimensions.append(t.arg("dimension"))
                s.used = t.used = True
        # "stock levels for all Tikkurila products": a measure for every one of them, one row each
        asks_measure = any(x.first("measure") for x in self.spans)
        totals = {x.text for x in self.spans} & {"total", "sum", "combined", "overall", "altogether"}
        for i, s in enumerate(self.spans):
            each = s.text in EACH_WORDS and s.has("grammar", "group_by")  # "revenue per business customer"
            if s.used or not (each or s.text in ("all", "every") and i > 0 and self.spans[i - 1].text == "for") \
                    or not asks_measure or totals:
                continue
            nxt = self.next_content(i)
            while nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate")) and not nxt[1].first("entity"):
                nxt = self.next_content(nxt[0])
            ent = nxt[1].first("entity") if nxt else None
            sub_dim = {"customers": "customer", "products": "product"}.get(ent[1] if ent else "")
            if nxt is not None and sub_dim and (each or nxt[1].text.endswith("s")) and sub_dim not in f.dimensions:
                f.dimensions.append(sub_dim)
                s.used = True
        for i, s in enumerate(self.spans[:-3]):
            # "in which warehouses is stock below the reorder level? Give warehouse and product": the thing named
            # beside a group as a column asked is a group too, one row per pair (as "each warehouse and product")
            d, conj, e = self.spans[i + 1], self.spans[i + 2], self.spans[i + 3]
            ent = e.first("entity")
            sub_dim = {"customers": "customer", "products": "product"}.get(ent[1] if ent else "")
            scoping = d.first("dimension") and any(
                x.first("predicate") and self.layer.predicates.get(x.arg("predicate"), {}).get("scoped_by")
                == d.arg("dimension") for x in self.spans)  # a state held per warehouse
            if s.text in ("give", "list", "show") and scoping and conj.text == "and" and sub_dim \
                    and not e.text.endswith("s") and sub_dim not in f.dimensions:
                f.dimensions += [x for x in (d.arg("dimension"), sub_dim) if x not in f.dimensions]
                s.used = d.used = conj.used = e.used = True
        # a monthly/weekly word without "by"; "which day had the most orders"
        for i, s in enumerate(self.spans):
            if not s.used and s.first("grain") and (s.text.endswith("ly") or " by " in s.text or self._is_which(i)):
                f.grain = s.arg("grain")
                s.used = True

    def _age_figures(self) -> None:
        """"how many days has the oldest open order been waiting", "on average how many days have the paid
        orders been waiting since they were placed": "how many days/weeks" with a verb of waiting (layer
        age_figures) and no duration named asks a figure of each thing's age, up to the as-of day, under the
        aggregate said ("oldest": the largest age, "on average": the mean). No aggregate said: left (refused)."""
        spec = self.layer.grammar.get("age_figures")
        if not spec:
            return
        spans = self.spans
        if any(x.first("measure") and self.layer.measures[x.arg("measure")].get("row_sql") for x in spans):
            return  # "how many days did delivery take": a duration of its own
        ask = next((k for k in range(1, len(spans)) if spans[k - 1].text == "how many" and spans[k].first("unit")
                    and spans[k].arg("unit") in ("days", "weeks") and not spans[k].used), None)
        verbs = [x for x in spans if x.text in spec["verbs"] and not x.used]
        aggs = [x for x in spans if x.text in spec["aggregates"] and not x.used]
        if ask is None or not verbs or len({spec["aggregates"][x.text] for x in aggs}) != 1:
            return
        predicates = {x.arg("predicate") for x in spans if x.first("predicate")}
        spoken = {x.arg("entity") for x in spans if x.first("entity")} | {
            predicate_spec(self.layer, p)["entity"] for p in predicates}
        aged = [e for e in spec["measures"] if e in spoken]
        if len(aged) != 1:
            return
        fn, measure = spec["aggregates"][aggs[0].text], spec["measures"][aged[0]]
        self.form.measures.append(measure if fn == "avg" else f"{fn}:{measure}")
        self.form.unit = spans[ask].arg("unit")
        for x in (spans[ask - 1], spans[ask], *verbs, *aggs):
            x.used = True
        for k in range(len(spans)):  # "(up to today, 1 November 2026)": the as-of day itself, said again
            said = next((spans[k:j] for j in (k + 1, k + 2) if " ".join(y.text for y in spans[k:j]) in spec["up_to"]),
                        None)
            days = [y for y in spans[k + len(said or ()):] if y.text.startswith("__period")][:2]
            if said and not any(y.used for y in said) and days and \
                    spans[k + len(said):k + len(said) + len(days)] == days and all(
                    self.periods[int(y.text[8:-2])].start == self.periods[int(y.text[8:-2])].end
                    == self.as_of.isoformat() for y in days):
                for y in said:
                    y.used = True
                for y in days:
                    y.text, y.used = "__as_of__", True  # not a period of the things counted
        for k, x in enumerate(spans):  # "since they were placed": the age's own start, said again
            if x.text == "since" and not x.used and all(y.text in spec["since"] or y.first("activity")
                                                        for y in spans[k + 1:k + 4] if not y.text.startswith("?")):
                for y in spans[k:k + 4]:
                    if y.text in spec["since"] or y.first("activity"):
                        y.used = True

    def _duration_aggregates(self) -> None:
        """"median delivery days by carrier", "longest delivery in hours for each carrier", "how many days did
        delivery take for order 1": an aggregate of a per-row duration (layer duration_extremes, aggregates),
        or the duration a thing's time unit asks about (layer duration_of_entity). Not a ranking: "which carrier
        has the longest delivery time" ranks carriers and is left to the superlatives."""
        f, g = self.form, self.layer.grammar
        if any(x.first("dimension") and self._is_which(k) for k, x in enumerate(self.spans)):
            return
        for i, s in enumerate(self.spans):
            fn = g.get("duration_extremes", {}).get(s.text) or g["aggregates"].get(s.text)
            how_many = s.first("unit") and i > 0 and self.spans[i - 1].text == "how many"
            if s.used or not (fn or how_many) or fn == "avg":  # a duration measure is already an average
                continue
            nxt = self.next_content(i)
            while nxt is not None and not nxt[1].used and self.values_of(nxt[1]) and not (
                    nxt[1].first("measure") or nxt[1].first("entity")):
                nxt = self.next_content(nxt[0])  # "longest DHL delivery": past the value naming whose parcels
            if nxt is None or nxt[1].used:
                continue
            measure = nxt[1].arg("measure") if nxt[1].first("measure") else None
            entity = nxt[1].arg("entity") if nxt[1].first("entity") else None
            duration = measure if measure and self.layer.measures[measure].get("row_sql") else \
                g.get("duration_of_entity", {}).get(entity or "")
            if not duration:
                continue
            ranked = any(x.first("number") or x.text in ("list", "top") for x in self.spans[max(0, i - 3):i])
            if ranked and not how_many and not self.form.dimensions and not any(
                    x.first("dimension") for x in self.spans):
                # "top 5 longest deliveries": parcels ranked one by one by their own time, not a figure
                raise NotUnderstood("I can give the longest or shortest delivery time (overall or per carrier), "
                                    "not a list of parcels ranked by their delivery time",
                                    hint="e.g. 'longest delivery time per carrier in 2025'")
            if how_many:  # "how many days did delivery take": the duration itself, in that unit
                f.unit = s.arg("unit")
                f.measures.append(duration)
                self.spans[i - 1].used = True
            else:
                f.measures.append(f"{fn}:{duration}")
            self._unit_in_words(nxt[1])
            s.used = nxt[1].used = True
            for k, x in enumerate(self.spans):  # "did delivery take", "has taken to be delivered": its own verbs
                if x.text in ("take", "taken", "takes", "took") and not x.used:
                    x.used = True
                    after = [y for y in self.spans[k + 1:k + 4] if y.text in g["events"]]
                    if after and [y.text for y in self.spans[k + 1:k + 3]] == ["to", "be"]:
                        after[0].used = True

    def _possessives(self) -> None:
        """"business customers' orders by status": of two things joined by a possessive the second is what
        is counted or listed; the owner (with its values) only restricts it."""
        owners = {(m.group(1) + ("s" if m.group(2) == "s'" else ""), m.group(3))
                  for m in re.finditer(r"\b([a-zåäö]+?)(s'|'s)\s+([a-zåäö]+)", self.question.lower().replace("’", "'"))}
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            if s.used or nxt is None or (s.text, nxt[1].text) not in owners or self.form.subject:
                continue
            if s.first("entity") and nxt[1].first("entity") and s.arg("entity") != nxt[1].arg("entity"):
                self.form.subject = nxt[1].arg("entity")
                s.used = nxt[1].used = True

    def _extreme_of_attribute(self, sa: tuple, t: Span) -> bool:
        """"smallest order amount", "highest unit price": a superlative naming the very amount it is followed by,
        asked as a figure (no "which", list word or count of things ranked)."""
        attr = t.arg("attribute")
        table, column = attr.split(".", 1)
        entity: dict[str, Any] = next((e for e in self.layer.entities.values() if e["table"] == table), {})
        same = sa[1] == column or (sa[1] == "@amount" and entity.get("amount") == column)
        words = {x.text for x in self.spans}
        listing = words & {"which", "list", "show", "who"} or any(x.first("number") for x in self.spans)
        return bool(same and not listing and self.layer.column(attr)["type"] in ("INT", "DOUBLE"))

    def _extreme_of_column_per_group(self) -> None:
        """"earliest signup date per city", "latest order date by channel", "highest unit price per category": a
        superlative right before a date or number column, said per group and of no thing ranked, is that column's
        minimum / maximum in each group (was: read as a ranking of the groups, by revenue, or refused)."""
        f = self.form
        if not f.dimensions or f.measures or f.limit or any(s.first("entity") or s.first("number") for s in self.spans):
            return
        for i, s in enumerate(self.spans):
            sup, sa = s.first("superlative"), s.first("superlative_attribute")
            nxt = self.next_content(i)
            if not (sup or sa and sa[1] == "@date") or nxt is None or not nxt[1].first("attribute"):
                continue
            attr = str(nxt[1].arg("attribute"))
            if self.layer.column(attr).get("type") not in ("DATE", "TIMESTAMP", "INT", "DOUBLE") \
                    or f.order_by not in (attr, "@date"):
                return
            f.measures = [f"{'min' if f.direction == 'asc' else 'max'}:{attr}"]
            f.order_by, f.direction = None, "desc"
            f.notes = [n for n in f.notes if n != "ranked"]
            s.used = nxt[1].used = True
            return

    def _group_ranked_by_column_extreme(self) -> None:
        """"which warehouse has the oldest stock update?": a superlative right before a date column of the group's own
        table ranks the groups by that column's minimum / maximum (was: refused, nothing to rank by)."""
        f = self.form
        if len(f.dimensions) != 1 or f.measures or f.order_by != "@date" or f.grain or f.compare:
            return
        table = self.layer.dimensions[f.dimensions[0]]["column"].split(".")[0]
        for i, s in enumerate(self.spans):
            sa = s.first("superlative_attribute")
            nxt = self.next_content(i)
            if not (sa and sa[1] == "@date") or nxt is None or nxt[1].used or not nxt[1].first("attribute"):
                continue
            attr = str(nxt[1].arg("attribute"))
            if attr.split(".")[0] != table or self.layer.column(attr).get("type") not in ("DATE", "TIMESTAMP"):
                return
            f.measures = [f"{'min' if f.direction == 'asc' else 'max'}:{attr}"]
            f.order_by = f.measures[0]
            s.used = nxt[1].used = True
            return

    def _superlatives(self) -> None:
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            rank = s.first("ranking")
            if rank:
                if "order:explicit" not in f.notes:  # "best-selling brand ... by revenue": by revenue
                    f.order_by = rank[1]
                    if rank[1] not in f.measures:
                        f.measures.append(rank[1])
                f.direction = "asc" if any(w in s.text for w in ("worst", "least")) else "desc"
                s.used = True
                # "the biggest spenders": the phrase names who is ranked (a word of the entity's table)
                named = [n for n, e in self.layer.entities.items() if e.get("table") and set(s.text.split()) &
                         set(e.get("synonyms") or self.layer.tables[e["table"]]["synonyms"])]
                if len(named) == 1 and f.subject is None:
                    f.subject = named[0]
                continue
            sa = s.first("superlative_attribute")
            sup = s.first("superlative")
            when = self.spans and self.spans[0].text == "when"
            nxt = self.next_content(i)
            if when and sa and sa[1] == "@date" and nxt and nxt[1].first("attribute") and \
                    self.layer.column(nxt[1].arg("attribute"))["type"] in ("DATE", "TIMESTAMP"):
                # "when was the inventory last updated": the latest date itself
                attr = nxt[1].arg("attribute")
                f.measures.append(f"{'max' if sa[2] == 'desc' else 'min'}:{attr}")
                s.used = nxt[1].used = self.spans[0].used = True
                table = attr.split(".")[0]
                for x in self.spans:  # "the inventory": the table the date belongs to, no measure of it
                    if x.text in (table, *self.layer.tables[table]["synonyms"]):
                        x.used = True
                continue
            if when and sa and sa[1] == "@date" and any(
                    m.startswith(f"{'max' if sa[2] == 'desc' else 'min'}:") for m in f.measures):
                # "when was it most recently updated (latest across warehouses)?": the same extreme said again,
                # over the places named, never a split by them (was: refused, nothing to rank by)
                s.used = True
                places = self.spans[i + 2] if i + 2 < len(self.spans) else None
                if places is not None and self.spans[i + 1].text in ("across", "over") and places.first("dimension") \
                        and not self.values_of(places) and places.text.endswith("s"):
                    f.dimensions = [d for d in f.dimensions if d != places.arg("dimension")]
                continue
            fn = self.layer.grammar["aggregates"].get(s.text)
            if sup and fn in ("max", "min") and nxt and nxt[1].first("attribute") and not nxt[1].used and \
                    self.layer.column(nxt[1].arg("attribute"))["type"] in ("INT", "DOUBLE"):
                # "maximum order amount per channel": that aggregate of the column (was a ranking by revenue);
                # "which channel had the maximum order amount": the groups ranked by it
                f.measures.append(f"{fn}:{nxt[1].arg('attribute')}")
                if any(x.first("dimension") and self._is_which(k) for k, x in enumerate(self.spans)):
                    f.order_by, f.direction = f.measures[-1], "desc" if fn == "max" else "asc"
                    f.notes.append("ranked")
                s.used = nxt[1].used = True
                continue
            if sa and nxt and nxt[1].first("attribute") and not nxt[1].used and self._extreme_of_attribute(sa, nxt[1]):
                # "the smallest order amount ever": the smallest amount itself, a figure (not the order ranked)
                attr = nxt[1].arg("attribute")
                f.measures.append(f"{'max' if sa[2] == 'desc' else 'min'}:{attr}")
                s.used = nxt[1].used = True
                continue
            movers = self.layer.grammar.get("movers", {})
            earlier = getattr(self, "context", None)
            if sa and not f.measures and f.order_by is None and earlier is not None and \
                    earlier.order_by in earlier.measures and earlier.kind == "aggregate" and \
                    s.text in (*movers.get("slow", []), *movers.get("fast", [])) and \
                    self.layer.measures.get(earlier.order_by or "", {}).get("line_sql"):
                # "just the three slowest then" after a ranking by units sold: the same figure, slow the fewest
                f.order_by, f.measures = earlier.order_by, [str(earlier.order_by)]
                f.notes.append("order:explicit")
            if sa and "order:explicit" in f.notes and f.order_by not in (None, sa[1]) and \
                    s.text in (*movers.get("slow", []), *movers.get("fast", [])) and \
                    self.layer.measures.get(f.order_by or "", {}).get("line_sql"):
                # "the 5 slowest products by units sold": a speed said of a sales figure is how fast things sell
                # (slow: the fewest first), not a delivery time beside it
                f.direction = "asc" if s.text in movers["slow"] else "desc"
                s.used = True
                nxt = self.next_content(i)
                if nxt and nxt[1].first("number") and not nxt[1].used and f.limit is None:
                    f.limit = int(nxt[1].arg("number"))
                    nxt[1].used = True
                continue
            if sa and s.text == "first" and i > 0 and self.spans[i - 1].text == "there" and "ranked" in f.notes:
                # "which warehouse has the most ..., so we should restock there first": where to act first is the
                # place already ranked, not a second ranking by date
                s.used = True
                continue
            if sa and not (sup and self._sup_target(i)):
                if "order:explicit" not in f.notes or f.order_by is None:
                    f.order_by = sa[1]  # "the biggest customer by number of orders": by what is named
                f.direction = sa[2]
                if sa[1] in self.layer.measures and sa[1] not in f.measures:
                    f.measures.append(sa[1])
                s.used = True
                self._field_of_ranked_one(i)
                nxt = self.next_content(i)
                if nxt and nxt[1].first("number") and not nxt[1].used:
                    f.limit = int(nxt[1].arg("number"))
                    nxt[1].used = True
                continue
            if not sup:
                continue
            f.direction = sup[1]
            f.notes.append("ranked")
            s.used = True
            nxt = self.next_content(i)
            if nxt and nxt[1].first("number") and not nxt[1].used:
                f.limit = int(nxt[1].arg("number"))
                nxt[1].used = True
            target = self._sup_target(i) or self._sup_target_left(i)
            if target is not None:
                kind, name, span = target
                span.used = True
                if kind == "measure":
                    f.order_by = name
                    if name not in f.measures:
                        f.measures.append(name)
                elif kind == "attribute":
                    f.order_by = name
                    extremes = self.layer.grammar.get("duration_extremes", {})
                    if name == "@date" and s.text in extremes and span.first("superlative_attribute"):
                        # "in transit the longest (oldest shipment ...)": the longest since its date is the oldest
                        f.direction = "asc" if extremes[s.text] == "max" else "desc"
                elif kind == "entity":
                    f.order_by = f"count:{name}"
                    f.notes.append(f"count_of:{name}")
            elif s.text in self.layer.grammar.get("duration_extremes", {}) and f.order_by is None:
                # "shipments waiting the longest", "on the road the longest": no duration named, so the time
                # since their own date (the oldest first); was the default newest-first list
                f.order_by = "@date"
                f.direction = "asc" if self.layer.grammar["duration_extremes"][s.text] == "max" else "desc"
        # "the 5 products with the lowest margin": a number just before what is ranked
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            # past the conditions on what is ranked: "the 5 active products", "top 3 Bosch products"
            k = i + 1
            while nxt is not None and nxt[0] == k and (nxt[1].first("predicate") or self.values_of(nxt[1])) \
                    and not (nxt[1].first("entity") or nxt[1].first("dimension")):
                after = self.next_content(k)
                k += 1
                nxt = (i + 1, after[1]) if after is not None and after[0] == k else None
            if nxt is not None and k > i + 1:
                nxt = (i + 1, nxt[1])  # read as if the noun followed the number
            ranked = f.order_by or "ranked" in f.notes or {"together", "recommend"} & set(f.notes)
            if (not s.used and s.first("number") and nxt and nxt[0] == i + 1 and ranked and
                    (nxt[1].first("entity") or nxt[1].first("dimension")) and nxt[1].text.endswith("s")):
                f.limit = int(s.arg("number"))
                s.used = True
            elif not s.used and s.first("number") and ranked and k > i + 1 and k < len(self.spans) and \
                    self.spans[k].text == "ones":
                f.limit = int(s.arg("number"))  # "the 5 active ones with the best margin": "ones" is the noun
                s.used = True
        # "which customers spend the most? Give me five": a bare number asked for is how many of the ranking
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            asked = [x.text for x in self.spans[max(0, i - 2):i]]
            if not s.used and s.first("number") and f.order_by and asked and asked[-1] in ("me", "us") and \
                    len(asked) == 2 and asked[0] in ("give", "show", "list", "name") and \
                    (nxt is None or nxt[1].first("purpose") or nxt[1].first("intent")):
                f.limit = int(s.arg("number"))
                s.used = True
        # "5 best-selling products", "three biggest customers": a number just before a ranking word
        for i, s in enumerate(self.spans):
            if s.used and (s.first("ranking") or s.first("superlative") or s.first("superlative_attribute")):
                prev = self.prev_content(i)
                if prev and prev[1].first("number") and not prev[1].used:
                    f.limit = int(prev[1].arg("number"))
                    prev[1].used = True
                elif prev and prev[1].first("ordinal") and not prev[1].used and f.limit in (None, 1):
                    # "the second best seller": the one ranked after the first (a place, not a count)
                    place = int(prev[1].arg("ordinal"))
                    nxt = self.next_content(i)
                    if nxt is not None and nxt[1].first("entity") and \
                            nxt[1].text == self.layer.entities.get(str(nxt[1].arg("entity")), {}).get("plural"):
                        # "the second best selling products": which places are many is not said
                        raise NotUnderstood(f"I can give place {place} of a ranking only when one thing is asked",
                                            hint="e.g. 'the second best selling product in 2025'")
                    f.offset, f.limit = place - 1, 1
                    prev[1].used = True

    def _field_of_ranked_one(self, i: int) -> None:
        """"status of her most recent order", "latest order status": a field of the things ranked by
        recency is shown beside them, not grouped by."""
        nxt = self.next_content(i)
        if nxt is None or nxt[1].used:
            return
        t = nxt[1]
        if t.first("dimension") and not t.first("entity"):  # "latest order status": the entity inside the words
            dim = self.layer.dimensions[t.arg("dimension")]
            name = next((n for n, e in self.layer.entities.items() if e["table"] == dim["column"].split(".")[0]
                         and t.text.split()[0] == e.get("singular")), None)
            if name:
                self.form.subject = self.form.subject or name
                self.form.show.append(dim["column"])
                self.form.limit = self.form.limit or 1  # "order status" is one order's, though it ends in "s"
                t.used = True
            return
        if t.first("attribute") and not t.first("entity") and not t.first("dimension"):
            # "Aino Dahl's most recent order number": the number of the one order ranked
            column = str(t.arg("attribute"))
            name = next((n for n, e in self.layer.entities.items() if e["table"] == column.split(".")[0]
                         and t.text.split()[0] == e.get("singular")), None)
            if name and len(t.text.split()) > 1:
                self.form.subject = self.form.subject or name
                self.form.show.append(column)
                self.form.limit = self.form.limit or 1
                self.form.notes.append(f"ranked_one:{column.split('.')[0]}:{nxt[0]}")
                t.used = True
            return
        while t.first("entity") is None and (self.values_of(t) or t.first("predicate")):
            # "Oskar's last delivered order": past the conditions on the one ranked to its noun
            after = self.next_content(nxt[0])
            if after is None:
                return
            nxt, t = after, after[1]
        ent_sense = t.first("entity")
        if ent_sense is None:
            return
        table = self.layer.entities[ent_sense[1]]["table"]
        if not t.text.endswith("s"):
            # its fields asked with "which" are shown (_decide_kind); the noun's place, for what is said after it
            self.form.notes.append(f"ranked_one:{table}:{nxt[0]}")
        k = i - 1
        while k >= 0 and (  # past "of", "her", "the 3", "Helmi Larsen's"
                self.spans[k].text == "of" or not self._meaningful(self.spans[k]) or self.spans[k].first("number")
                or self.values_of(self.spans[k]) or self.spans[k].has("grammar", "person_pronoun")):
            k -= 1
        between = {x.text for x in self.spans[k + 1:i]}
        d = self.spans[k] if k >= 0 else None
        # "the order date of our oldest pending order": a column of the one ranked, not a grouping, shown too
        # (was: only a dimension's; an attribute's words were left unplaced)
        field = d is not None and not d.first("dimension") and not d.first("measure") and d.first("attribute")
        if d is None or d.used or "of" not in between or not (d.first("dimension") or field):
            return
        column = str(d.arg("attribute")) if field else self.layer.dimensions[d.arg("dimension")]["column"]
        if column.split(".")[0] == table:
            self.form.show.append(column)
            d.used = True

    def _sup_target_left(self, i: int) -> tuple[str, str, Span] | None:
        """"which product costs the most": the attribute stands before the superlative."""
        prev = self.prev_content(i)
        if prev is None or prev[1].used:
            return None
        t = prev[1]
        if t.first("dimension"):
            return None
        if t.first("attribute"):
            return "attribute", t.arg("attribute"), t
        if t.first("measure"):
            return "measure", t.arg("measure"), t
        return None

    def _sup_target(self, i: int) -> tuple[str, str, Span] | None:
        nxt = self.next_content(i)
        if nxt is None:
            return None
        j, t = nxt
        # past a count, "average"/"total", and the values or conditions that qualify what is ranked:
        # "the worst average margin", "the most returned orders", "the 5 most open orders"
        while (t.first("number") or t.has("grammar", "average") or t.text in self.layer.grammar["aggregates"]
               or (self.values_of(t) or t.first("predicate")) and not t.first("measure")):
            nxt = self.next_content(j)
            if nxt is None:
                return None
            j, t = nxt
        if t.used:
            return None
        if t.first("entity") and self.spans[i].text in ("most", "fewest", "least", "more", "less", "fewer"):
            return "entity", t.arg("entity"), t  # "which city has the most customers"
        if t.first("dimension"):
            return None
        if t.first("measure"):
            return "measure", t.arg("measure"), t
        if t.first("attribute"):
            if self.spans[i].text in self.layer.grammar.get("duration_extremes", {}) and \
                    self.layer.column(t.arg("attribute"))["type"] not in ("INT", "DOUBLE", "DATE", "TIMESTAMP"):
                return None  # "on the road the longest? tracking number": a text is shown, never long or short
            return "attribute", t.arg("attribute"), t
        if t.first("superlative_attribute"):
            return "attribute", t.arg("superlative_attribute"), t
        return None

    def _counts(self) -> None:
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "count"):
                continue
            nxt = self.next_content(i)
            s.used = True
            counted = self.spans[i - 1].first("entity") if i > 1 and s.text == "count" else None
            listed = next((str(x.arg("entity")) for x in self.spans[:i - 1] if x.first("entity")), None)
            each_of = {"customers": "customer", "products": "product"}
            if counted and self.spans[i - 2].text in ("their", "its") and f.subject is None and listed in each_of \
                    and listed != counted[1] and each_of[listed] not in f.dimensions \
                    and not any(x.field == f"count:{counted[1]}" for x in f.filters):
                # "business customers in Tampere with their order count": each one's count of its orders beside
                # them (was the customers counted), as "with their number of orders" below
                f.subject = listed
                f.show.append(f"count:{counted[1]}")
                self.spans[i - 1].used = True
                self.counts_shown.add(i - 1)
                continue
            if nxt is not None and nxt[1].text in ("each", "apiece") and self.next_content(nxt[0]) is None and \
                    s.text == "how many" and i > 0 and self.spans[i - 1].text in ("with", "and") and \
                    any(x.field.startswith("count:") for x in f.filters):
                # "customers with more than 2 returned orders, and how many each": as "with how many" below
                nxt[1].used = True
                continue
            if nxt is None:
                # "..., how many?"; "paid orders not shipped yet — count": a count asked after a dash or comma
                # the word as written: a mended slip ("coutn") is the same count
                written = "|".join(re.escape(a) for a, b in [*self.corrections, ("count", "count")] if b == "count")
                # ("... in 2026 - count them": the things just named, counted; was: listed)
                tail_count = s.text == "count" and re.search(rf"[—–,:;-]\s*(?:{written})(?:\s+(?:them|those|these)"
                                                             rf"(?:\s+all)?)?\W*$", self.question,
                                                             re.IGNORECASE)
                before = self.prev_content(i)
                said_before = self.spans[i - 1].text if i > 0 else ""
                if s.text == "how many" and said_before in ("with", "and") and \
                        any(x.field.startswith("count:") for x in f.filters):
                    # "customers with more than 2 open orders, with how many": the count the condition is on,
                    # shown beside each one (a list of them), not how many of them there are
                    continue
                if "count" not in f.measures and (s.text == "how many" or tail_count):
                    f.measures.append("count")
                elif s.text == "count" and before is not None and before[1].first("entity") and not any(
                        t.text in PRONOUNS for t in self.spans):
                    # "what about order count": a count of the things named right before it
                    f.subject = f.subject or before[1].arg("entity")
                    f.measures.append("count")
                    before[1].used = True
                elif s.text != "how many":
                    s.used = False  # "their order count": not placed, so not guessed
                    self.unplaced.append(s)  # a stop word too, but here it asked for a count: refused if left
                continue
            j, t = nxt
            if t.first("measure") and t.arg("measure") in ("units_sold", "stock"):
                continue  # "how many units": the measure itself
            ent = t.first("entity")
            if ent is None and t.first("dimension"):
                # "how many categories": distinct values of a dimension
                dim = t.arg("dimension")
                f.notes.append(f"count_distinct:{dim}")
                t.used = True
                continue
            if ent is None:
                # "how many open orders": skip predicates/values before the entity
                k = j
                while nxt is not None and (nxt[1].first("predicate") or self.values_of(nxt[1]) or nxt[1].first("activity")) \
                        and not nxt[1].first("entity"):
                    k = nxt[0]
                    nxt = self.next_content(k)
                if nxt is not None and nxt[1].first("measure"):
                    continue  # "how many Makita units": the measure itself
                if nxt is None or not nxt[1].first("entity"):
                    named = [self.layer.dimensions[d]["column"].split(".")[0] for d, _ in self.values_of(t)
                             if d in self.layer.dimensions]
                    owner = next((n for n, e in self.layer.entities.items() if named and e["table"] == named[0]), None)
                    if owner and k == j and any(x.field == f"count:{owner}" for x in f.filters) and any(
                            x is not t and set(self.values_of(x)) & set(self.values_of(t)) for x in self.spans):
                        # "customers with more than two orders cancelled ... the number of cancellations": the
                        # orders the condition counts, each customer's (not a count of the customers)
                        own = {"customers": "customer", "products": "product"}.get(f.subject or "")
                        if own and own not in f.dimensions:
                            f.dimensions.append(own)
                        f.subject = owner
                        if "count" not in f.measures:
                            f.measures.append("count")
                        t.used = True
                        continue
                    if any(x.has("activity", "sales") for x in self.spans):
                        # "how many (Bosch drills) did we sell": units, not orders (the orders are no things
                        # sold); a new question reads it so (_decide_kind), a follow-up keeps the unnamed count
                        f.notes.append("count:sold")
                    elif self._items_of_stock(j, k):
                        f.notes.append("count:stock")  # "how many Bosch Garden Hoses do we have in Vantaa"
                    if "count" not in f.measures:  # "..., how many?": a count of whatever the subject is
                        f.measures.append("count")
                    continue
                t = nxt[1]
                ent = t.first("entity")
            back = i - 1  # "with their revenue and number of orders": the figures joined by "and" after "their"
            while back > 0 and (self.spans[back].text in ("and", ",", "the", "total") or
                                self.spans[back].first("measure") and not self.spans[back].used):
                back -= 1
            leading = {x.text for x in self.spans[max(0, i - 2):i]} | {self.spans[back].text}
            owner = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
            # "customers with the number of orders each has placed": "each" after the counted things says it is
            # each one's count, as "their" before it does (was: 'each' not placed, refused)
            each_after = self.next_content(self.spans.index(t))
            each_after = each_after if each_after is not None and each_after[1].text in ("each", "apiece") and \
                "with" in leading else None
            if (leading & {"their", "its", "with their", "with its"} or each_after) and owner and owner != t.arg("entity") \
                    and f.subject in (None, owner) and self.layer.entities[owner].get("table") \
                    and any(d.get("entity") == owner for d in self.layer.dimensions.values()):
                # "customers in Oslo with their number of orders": each customer's count beside them, not one
                # count of all their orders
                f.subject = owner
                f.show.append(f"count:{t.arg('entity')}")
                t.used = True
                if each_after is not None:
                    each_after[1].used = True
                self.counts_shown.add(j)
                continue
            f.subject = f.subject or t.arg("entity")
            if "count" not in f.measures:
                f.measures.append("count")
            t.used = True

    def _held_not_sold(self) -> bool:
        """"which product do we have the most of (in the warehouses)": a ranking of things held (a phrase of
        holding or a verb of keeping), nothing said of selling, buying or a period, ranks them by what is held
        (the layer's ``ranking_default_held``; was: by units sold)."""
        held = "|".join(re.escape(w) for w in self.layer.grammar.get("holding_phrases", []))
        keeping = {s.text for s in self.spans} & set(self.layer.grammar.get("stock_verbs", []))
        if not (keeping or held and re.search(rf"\b(?:{held})\b", self.question, re.IGNORECASE)):
            return False
        return not self.periods and not any(n.startswith("activity:") for n in self.form.notes) and not any(
            s.first("activity") for s in self.spans)

    def _items_of_stock(self, first: int, last: int) -> bool:
        """"how many <a product> ... in Vantaa / sitting": the items counted are a product's pieces in
        stock (the words name no thing counted, a product is named, and a warehouse or a keeping verb)."""
        named = [v for k in range(first, last + 1) for v in self.values_of(self.spans[k])]
        if not any(dim == "product" for dim, _ in named):
            return False
        keeping = set(self.layer.grammar.get("stock_verbs", []))
        held = "|".join(re.escape(w) for w in self.layer.grammar.get("holding_phrases", []))
        if held and re.search(rf"\b(?:{held})\b", self.question, re.IGNORECASE):
            return True  # "how many Bosch Garden Hoses do we have": what is held, not orders
        return any(s.text in keeping or s.has("dimension", "warehouse")
                   or any(dim == "warehouse" for dim, _ in self.values_of(s)) for s in self.spans)

    def _contains(self) -> None:
        f = self.form
        for i, s in enumerate(self.spans):
            if s.text.startswith("__text"):
                text = self.texts[int(s.text[6:-2])]
                s.used = True
                prev = self.prev_content(i)
                starts = prev is not None and prev[1].has("grammar", "starts_with")
                if prev and (prev[1].has("grammar", "contains") or starts):
                    prev[1].used = True
                nxt = self.next_content(i)
                if nxt and nxt[1].has("grammar", "name_field"):
                    nxt[1].used = True
                # "names that start with 'Bygg'": the text at the start, else anywhere in the name
                f.notes.append(f"{'starts' if starts else 'contains'}:{text}")
            elif s.has("grammar", "starts_with") and not s.used and self._text_after(i) is not None:
                pass  # the text slot after it places it ("tracking numbers that start with AB-")
            elif s.has("grammar", "contains") and not s.used and self._holds_items(i):
                s.used = True  # "orders containing Kitchen products": what the orders hold, not a text match
            elif s.has("grammar", "contains") and not s.used:
                nxt = self.next_content(i, skip_stop=False)
                if nxt and not nxt[1].senses:
                    f.notes.append(f"contains:{nxt[1].text}")
                    s.used = nxt[1].used = True
                    after = self.next_content(nxt[0])
                    if after and after[1].has("grammar", "name_field"):
                        after[1].used = True
        for s in self.spans:
            if not s.used and s.has("grammar", "name_field") and any(n.startswith(("contains:", "starts:"))
                                                                    for n in f.notes):
                s.used = True

    def _text_after(self, i: int) -> int | None:
        nxt = self.next_content(i)
        return nxt[0] if nxt is not None and nxt[1].text.startswith("__text") else None

    def _of_own_entity(self, i: int, table: str) -> bool:
        """"value of cancelled orders": past the conditions, "of" leads to the column's own things."""
        nxt = self.next_content(i)
        last = None
        while nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate")) and not nxt[1].first("entity"):
            last, nxt = nxt[1], self.next_content(nxt[0])
        ent = nxt[1].first("entity") if nxt is not None else None
        if ent is None and (nxt is None or nxt[1].text.startswith("__period")) and last is not None \
                and last.text.endswith("s") and any(
                str(self.layer.dimensions.get(d, {}).get("column", "")).startswith(f"{table}.")
                for d, _ in self.values_of(last)):
            return True  # "the value of those returns": a value said as a noun of the column's own things (orders)
        return ent is not None and self.layer.entities[ent[1]]["table"] == table

    def _holds_items(self, i: int) -> bool:
        nxt = self.next_content(i)
        while nxt is not None and (nxt[1].first("number") or nxt[1].first("comparator") or nxt[1].has("grammar", "both")):
            nxt = self.next_content(nxt[0])
        if nxt is None or self._entity_before(i) != "orders":
            return False
        t = nxt[1]
        item_side = {d for d, spec in self.layer.dimensions.items()
                     if spec["column"].split(".")[0] in ("products", "order_items")}
        return bool({d for d, _ in self.values_of(t)} & item_side or t.has("entity", "products")
                    or t.has("entity", "order_lines") or t.has("measure", "units_sold") or t.first("predicate"))

    def _each_did(self) -> None:
        """"For customers in Tampere, the number of orders each placed": "each" before the verb is each of the
        things named before (another entity than the one counted), so the figure is per one of them. "Which business
        customers bought last year, and how much did each spend?": "each" before the figure's own verb is each of the
        things listed (was: refused on 'each')."""
        f = self.form
        if f.dimensions or len(f.measures) != 1 or f.derived:
            return
        for k, s in enumerate(self.spans):
            if s.used or s.text != "each" or k + 1 >= len(self.spans):
                continue
            verb = self.spans[k + 1]
            if verb.text in ("has", "have", "had") and k + 2 < len(self.spans):
                verb = self.spans[k + 2]  # "how many orders each has placed": the perfect's own verb
            figure = verb.has("measure", f.measures[0]) and not verb.first("activity")
            if not (verb.first("activity") or figure):
                continue
            named = [x for x in self.spans[:k] if x.first("entity") and x.first("dimension")
                     and (figure or x.arg("entity") != f.subject)]
            if len(named) == 1:
                f.dimensions.append(str(named[0].arg("dimension")))
                s.used = True
            elif not named and f.subject and f.measures[0] in self.layer.measures and any(
                    a.text == "and" and b.text == "how many" and any(x.has("entity", f.subject) for x in self.spans[:j])
                    for j, (a, b) in enumerate(zip(self.spans[:k], self.spans[1:k], strict=False))):
                # "low stock products and how many units each sold this year": the figure of each of the things
                # listed, shown beside them as "with their units sold" (was: refused, 'each' not placed)
                f.show.append(f.measures.pop())
                s.used = True
            return

    def _those_with_figure(self) -> None:
        """"number of orders per customer, only those with 8 or more": a bound said last, after "with", of the one
        figure asked per group, is a condition on that figure (a HAVING)."""
        f = self.form
        if len(f.measures) != 1 or not f.dimensions or f.derived:
            return
        name = f.measures[0]
        field = f"count:{f.subject}" if name == "count" and f.subject else name
        if not (field.startswith("count:") or name in self.layer.measures):
            return
        left = [k for k, s in enumerate(self.spans) if not s.used and not s.has("stop") and not s.text.startswith("__")]
        if len(left) != 2 or left[1] != left[0] + 1 or self.next_content(left[1]) is not None:
            return
        a, b = self.spans[left[0]], self.spans[left[1]]
        if a.first("number") and b.text in ("or more", "or less") and b.first("comparator"):
            op, value = b.arg("comparator"), a.arg("number")
        elif a.first("comparator") and b.first("number"):
            op, value = a.arg("comparator"), b.arg("number")
        else:
            return
        if left[0] == 0 or self.spans[left[0] - 1].text != "with":
            return
        f.filters.append(Filter(field, op, [value]))
        a.used = b.used = True

    def _rest(self) -> None:
        """Values, predicates, measures, entities, attributes, units, activity words left."""
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            durations = {m for m, spec in self.layer.measures.items() if spec.get("units")}
            if s.first("unit") and (any(x.first("measure") and x.arg("measure") in durations for x in self.spans)
                                    or durations & {f.order_by, *(m.split(":")[-1] for m in f.measures)}):
                f.unit = s.arg("unit")
                s.used = True
                continue
            nxt_span = self.spans[i + 1] if i + 1 < len(self.spans) else None
            if s.text in self.layer.grammar.get("present_words", []) and nxt_span is not None and nxt_span.first("measure"):
                s.used = True  # "current stock levels": the stock now, not a condition on the products
                continue
            if s.first("product_kind"):
                # "cordless drills": every product whose name holds the kind, whatever its brand
                f.filters.append(Filter("product", "contains", [s.arg("product_kind")]))
                s.used = True
                continue
            values = self.values_of(s)
            if values and self._event_of_another_entity(i, values):
                s.used = True
                continue
            if values and not s.first("measure") and not s.first("predicate"):
                dim, value = values[0]
                if len(values) > 1:
                    # a word that is two values ("Kuopio" a city and a warehouse): the one the question's subject has
                    dims = [d for d, _ in values]
                    dim, value = values[self._pick_dim(dims)]
                self._type_noun(i, dim)
                # "paid but not shipped": the positive filter beside the negated one, never merged into it
                existing = next((x for x in f.filters if x.field == dim and x.op in ("=", "in")), None)
                earlier = next((k for k in range(i - 1, -1, -1) if any(d == dim for d, _ in self.values_of(self.spans[k]))),
                               None)
                if existing is not None and earlier is not None and any(
                        x.text in ("also", "as well", "too") for x in self.spans[earlier + 1:i]):
                    # "orders with the Makita Copper Pipe that also contain the Gustavsberg Cable Reel": both, not
                    # either; said of a share it has two wholes, which is not read
                    if any(x.has("grammar", "share") for x in self.spans):
                        raise NotUnderstood(f"a share of the ones with {existing.values[0]} that also have {value}: I "
                                            "can give the orders with both, or each one's share, not one within the other",
                                            hint=f"e.g. 'how many orders contain both {existing.values[0]} and {value}'")
                    existing.op = "all of"
                if existing is not None:
                    if value not in existing.values:
                        existing.values.append(value)
                        existing.op = "all of" if existing.op == "all of" else "in"
                else:
                    f.filters.append(Filter(dim, "=", [value]))
                s.used = True
                continue
            if s.first("predicate"):
                name = s.arg("predicate")
                if name not in f.predicates:
                    f.predicates.append(name)
                    f.show += [m for m in predicate_spec(self.layer, name).get("show", []) if m not in f.show]
                s.used = True
                continue
            if s.first("measure"):
                name = s.arg("measure")
                if name not in f.measures:
                    f.measures.append(name)
                self._unit_in_words(s)
                s.used = True
                continue
            if s.first("entity"):
                name = s.arg("entity")
                if f.subject is None:
                    f.subject = name
                    s.used = True
                elif f.subject == name:
                    s.used = True
                elif name == "order_lines" and any(
                        sp.first("measure") and not self.layer.measures[sp.arg("measure")].get("sql")
                        and "order_items." in self.layer.measures[sp.arg("measure")].get("line_sql", "")
                        for sp in self.spans):
                    # "the average discount on their (sales) lines": the lines the measure is computed over
                    s.used = True
                elif name in ("customers", "products") and ({"customers": "customer", "products": "product"}[name]
                                                            not in f.dimensions) and self._is_which(i):
                    # "which customer has the most orders": the entity the ranking is over
                    f.dimensions.append({"customers": "customer", "products": "product"}[name])
                    s.used = True
                elif name in ("orders", "shipments") and f.subject == "customers" and s.text.endswith("s") and \
                        (self._is_which(i) or self._whole_of_share(i)) and not f.dimensions:
                    # "Stockholm customers with a parcel in transit - which orders?": the things asked for are
                    # listed; the customers named first only restrict them
                    f.subject = name
                    s.used = True
                elif name == "orders" and f.subject in ("customers", "products"):
                    s.used = True  # "customers with orders"/"products ordered": the activity
                    f.notes.append("activity:orders")
                elif (f.derived or {}).get("kind") == "average_per" and (f.derived or {}).get("entity") == name \
                        and i > 0 and self.spans[i - 1].text in ("all", "every"):
                    # "lines per order in 2026 (all orders, any status)": every one of the things averaged over,
                    # as they are (was: 'orders' left unplaced)
                    s.used = self.spans[i - 1].used = True
                continue
            if s.first("activity"):
                f.notes.append(f"activity:{s.arg('activity')}")
                s.used = True
                continue
            if s.first("dimension"):
                dim = s.arg("dimension")
                nxt_value = self.spans[i + 1] if i + 1 < len(self.spans) else None
                if nxt_value is not None and not nxt_value.used and dim in {d for d, _ in self.values_of(nxt_value)}:
                    s.used = True  # "orders in status shipped": the dimension names the value after it, no grouping
                    continue
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                s.used = True
                continue
            subject = self.layer.entities.get(f.subject or "")
            key = f"{subject['table']}.{subject['key']}" if subject else None
            if f.order_by is not None and key and any(x[0] == "attribute" and x[1] == key for x in s.senses):
                # "biggest order in 2025: id and amount": the key of what is ranked is shown, not ranked by
                if key not in f.show:
                    f.show.append(key)
                s.used = True
                continue
            ranked_labels = {f"{e['table']}.{e['label']}" for n, e in self.layer.entities.items()
                             if e.get("label") and (n == f.subject or n in f.dimensions)}
            if f.order_by is not None and s.first("attribute") and str(s.arg("attribute")) in ranked_labels:
                s.used = True  # "top 10 customers by revenue - names and revenue": each ranked one is named anyway
                continue
            if f.order_by is not None and subject and s.first("attribute") and any(
                    x.first("superlative") or x.first("superlative_attribute") or x.first("ranking")
                    for x in self.spans[:i]) and s.arg("attribute").split(".")[0] == subject["table"] and \
                    self.layer.column(s.arg("attribute"))["type"] not in ("INT", "DOUBLE", "DATE", "TIMESTAMP"):
                # "the shipment on the road the longest? tracking number": a text of what is ranked is shown beside
                # it, never ranked by
                if s.arg("attribute") not in f.show:
                    f.show.append(s.arg("attribute"))
                s.used = True
                continue
            subject_date = f.order_by == "@date" and subject is not None and bool(s.first("attribute")) and \
                s.arg("attribute") == f"{subject['table']}.{subject.get('period')}"
            # "the three oldest open orders and their order dates": the date ranked by (the subject's own), shown
            if s.first("attribute") and (f.order_by is None or f.order_by == s.arg("attribute") or subject_date):
                attr = self._attribute(s)
                column = self.layer.column(attr)
                before = self.prev_content(i)
                after = self.next_content(i)
                # "cancelled orders value last month": the amount said right after its own things (plural), as
                # "the value of cancelled orders"
                owned_before = before is not None and before[0] == i - 1 and before[1].first("entity") is not None and \
                    self.layer.entities[str(before[1].arg("entity"))]["table"] == attr.split(".")[0] and \
                    before[1].text == self.layer.entities[str(before[1].arg("entity"))]["plural"] and \
                    (after is None or after[1].text.startswith("__period")) and not f.measures and not f.dimensions \
                    and not re.search(rf"\b{re.escape(before[1].text)}\s*[,;:—–-]", self.question, re.IGNORECASE)
                # ("paid orders, total amount": a column named after a comma is shown beside each)
                if f.order_by is None and column.get("unit") and column["type"] in ("INT", "DOUBLE") and \
                        not f.lookup and (owned_before or i + 1 < len(self.spans) and self.spans[i + 1].text == "of"
                                          and self._of_own_entity(i + 1, attr.split(".")[0])):
                    # "the value of cancelled orders": an amount of a set of things is their sum
                    if f"sum:{attr}" not in f.measures:
                        f.measures.append(f"sum:{attr}")
                elif f.order_by is None:
                    f.show.append(attr)
                s.used = True  # "costs us the most to buy in": a second name of the same attribute
                continue
            if s.text in self.layer.grammar["aggregates"]:
                # "average reorder level", "total value of ...": an aggregate of an attribute
                nxt = self.next_content(i)
                plain_sum = nxt is not None and nxt[1].first("measure") and nxt[1].first("attribute") and \
                    f"SUM({nxt[1].arg('attribute')})" in (self.layer.measures[nxt[1].arg("measure")].get("sql"),
                                                          self.layer.measures[nxt[1].arg("measure")].get("line_sql"))
                if nxt and nxt[1].first("attribute") and not nxt[1].used and (not nxt[1].first("measure") or plain_sum):
                    # a measure that is the plain sum of a column: "average reorder level" averages the column
                    attr = nxt[1].arg("attribute")
                    fn = self.layer.grammar["aggregates"][s.text]
                    named = next((m for m, spec in self.layer.measures.items()  # a glossary measure keeps its filter
                                  if spec.get("sql") == f"{fn.upper()}({attr})" and not spec.get("filter")), None)
                    if self.layer.column(attr)["type"] in ("INT", "DOUBLE") or fn in ("min", "max"):
                        f.measures.append(named or f"{fn}:{attr}")
                        s.used = nxt[1].used = True
                        per = self.next_content(nxt[0])
                        row = self.next_content(per[0]) if per is not None and per[1].text in ("per", "across") else None
                        if per is not None and row is not None and row[1].first("entity") and \
                                self.layer.entities[row[1].arg("entity")]["table"] == attr.split(".")[0]:
                            per[1].used = row[1].used = True  # "average quantity per order line": one row each
                elif nxt and nxt[1].first("measure") and not s.has("grammar", "average"):
                    s.used = s.used or s.has("stop")  # "total revenue": the sum is the measure itself
                continue
            if s.has("grammar", "bought_together") or s.has("grammar", "recommend"):
                f.notes.append("together" if s.has("grammar", "bought_together") else "recommend")
                s.used = True
                for x in self.spans[max(0, i - 4):i]:
                    if x.text == "else" and not x.senses:  # "what else do they buy with it": the other products
                        x.used = True
                continue

    def _whole_of_share(self, i: int) -> bool:
        """"what fraction of their shipments": the things right after a share word are its whole (for Oslo
        customers, their parcels are counted, not the customers)."""
        k = i - 1
        while k > 0 and self.spans[k].text in ("of", "their", "the", "all", "his", "her"):
            k -= 1
        return k < i - 1 and self.spans[k].has("grammar", "share")

    def _both(self) -> None:
        """"orders with both the Fiskars Radiator and the Oras Wall Paint": every one of the values,
        not any of them; "both numbers side by side" beside a comparison says nothing more."""
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "both"):
                continue
            nxt = self.next_content(i)
            slots = [k for k, x in enumerate(self.spans) if x.text.startswith("__period")]
            # "which categories sold less in October than in September? show both months' revenue": said after the
            # two periods, of their grain, it asks for the two figures the comparison already shows (the
            # comparison is read later; "ordered in both 2025 and 2026" says it before the periods)
            restated = nxt is not None and nxt[1].first("grain") and nxt[1].text.endswith("s") and \
                len({self.spans[k].text for k in slots}) >= 2 and all(k < i for k in slots)
            if f.compare or (f.derived or {}).get("kind") in ("periods", "predicates", "growth") or restated:
                s.used = True  # "both quarters' revenue": the two periods compared
                if nxt is not None and not nxt[1].used and nxt[1].first("grain") and nxt[1].text.endswith("s") \
                        and len({x.text for x in self.spans if x.text.startswith("__period")}) >= 2:
                    nxt[1].used = True
                continue
            nxt = self.next_content(i)
            values = self.values_of(nxt[1]) if nxt is not None else []
            flt = next((x for x in f.filters if values and x.field == values[0][0] and x.op == "in"
                        and len(x.values) >= 2), None)
            if flt is not None:
                flt.op = "all of"
                s.used = True

    def _values_held_together(self) -> None:
        """"How many Fiskars units do Kuopio and Vantaa hold together?": a closing "together" after two or more
        values of one place, neither split by nor of products (not "bought together"), is their sum, as the
        filter already reads them (was: refused, 'together' not placed)."""
        f = self.form
        last = self.prev_content(len(self.spans))
        if last is None or last[1].used or last[1].text != "together" or f.notes and "together" in f.notes:
            return
        if f.kind == "list" or not f.measures:
            return
        said = [x for x in f.filters if x.op == "in" and len(x.values) >= 2 and x.field in self.layer.dimensions
                and x.field not in f.dimensions and not self.layer.dimensions[x.field]["column"].startswith("products.")]
        if said:
            last[1].used = True

    def _fraction_scale_said(self) -> None:
        """"on-time rate for Schenker last month (0 to 1)": a bracketed 0-to-1 range beside a share says its scale,
        the fraction a share already is (was: refused, '0' and '1' not placed); a percent asked stays refused."""
        f = self.form
        if (f.derived or {}).get("kind") != "share" or (f.derived or {}).get("scale") != "fraction" or \
                not re.search(r"\(\s*0\s*(?:to|-|–)\s*1\s*\)", self.question) and not re.search(
                    # "Share 0-1 please.", "as a 0 to 1 fraction": the range said beside a share word
                    r"\b(?:share|fraction|proportion|rate|ratio)\s+(?:as\s+)?0\s*(?:to|-|–)\s*1\b|"
                    r"\b0\s*(?:to|-|–)\s*1\s+(?:share|fraction|proportion|rate|ratio|scale)\b", self.question, re.I):
            return
        for k in range(len(self.spans) - 1):
            zero, between = self.spans[k:k + 2]
            one = self.spans[k + 2] if k + 2 < len(self.spans) else between
            if zero.has("number", 0.0) and one.has("number", 1.0) and between.text in ("to", "-", "–") \
                    and not zero.used and not one.used:
                zero.used = one.used = between.used = True
                return
            if zero.has("number", 0.0) and between.has("number", 1.0) and not zero.used and not between.used:
                zero.used = between.used = True  # "0-1": the dash is not a word of its own
                return

    def _only_through(self) -> None:
        """"customers who have ordered exclusively through the store channel", "only via web": customers none of
        whose orders went another way, not customers with one store order among others."""
        f = self.form
        preps = ("through", "via", "in", "on", "from", "using", "to", "by")
        verbs = ("ordered", "bought", "purchased", "shopped", "sold", "order", "buy", "purchase", "shop")
        n = len(self.spans)
        for i, s in enumerate(self.spans):
            if s.text not in ("only", "exclusively", "solely") or i + 1 >= n:
                continue
            # "who only ordered in store", "with only web orders": the verb before the way, or the way said
            # as the orders' adjective, say the same "every order that way"; "only ever ordered in store" too
            # (was: 'ever' hid the verb, and one store order among others counted)
            k = i + 1 + (i + 2 < n and self.spans[i + 1].text == "ever")
            # ("ever ordered" is one span, the layer's ever_ordered)
            verb = self.spans[k].text in verbs or self.spans[k].text.removeprefix("ever ") in verbs
            k += verb
            prep = k < n and self.spans[k].text in preps
            k += prep
            k += k < n and self.spans[k].text == "the"
            if not (prep or verb or k + 1 < n and self.spans[k + 1].text in ("orders", "order")):
                continue
            values = self.values_of(self.spans[k]) if k < n else []
            flt = next((x for x in f.filters if values and x.field == values[0][0] and x.op in ("=", "in")), None)
            if f.subject != "customers" or flt is None or \
                    self.layer.dimensions.get(flt.field, {}).get("column", "").split(".")[0] != "orders":
                if verb and values and f.subject not in ("orders", None):
                    # "products only sold to business customers": every sale to them is not a restriction
                    raise NotUnderstood(f"I cannot yet answer '{s.text} {self.spans[i + 1].text}' (every one "
                                        "of their orders) of this", field=s.text)
                continue
            flt.op = "only of"
            flt.values = list(flt.values)
            s.used = True

    def _units_said_of_a_figure(self) -> None:
        """"show the shortfall in units", "stock in units": "in units" after a figure counted in units is that
        figure's own unit, not a second figure (was: units sold added, and the ranking moved to it)."""
        f = self.form
        for k, s in enumerate(self.spans):
            if s.text != "units" or not s.has("measure", "units_sold") or "units_sold" not in f.measures:
                continue
            if k < 2 or self.spans[k - 1].text != "in":
                continue
            figure = self.spans[k - 2]
            named = str(figure.arg("measure")) if figure.first("measure") else None
            if not named or named == "units_sold" or named not in f.measures \
                    or self.layer.measures.get(named, {}).get("unit") != "units":
                continue
            if any(x is not s and x.has("measure", "units_sold") for x in self.spans):
                continue
            f.measures.remove("units_sold")
            if f.order_by == "units_sold":
                f.order_by = named
            s.used = self.spans[k - 1].used = True

    def _units_of_stock(self) -> None:
        """"how many units are in stock": units are the stock's unit, not units sold."""
        f = self.form
        for k, s in enumerate(self.spans[1:], 1):
            if "stock" in f.measures and s.text == "left" and not s.used and self.spans[k - 1].text in (
                    "have", "has", "is", "are", "got"):
                s.used = True  # "how much stock of it do we have left": the stock on hand (what is left)
        bare_units = any(s.text == "units" and s.has("measure", "units_sold") for s in self.spans)
        inventory = "stock" in f.measures or "warehouse" in f.dimensions or f.filter_on("warehouse") is not None or \
            any(s.has("dimension", "warehouse") for s in self.spans)  # "across all warehouses"
        # "which product do we hold the most units of": a verb of keeping, and nothing said of selling
        keeping = {s.text for s in self.spans} & set(self.layer.grammar.get("stock_verbs", []))
        inventory = inventory or bool(keeping) and not any(n == "activity:sales" for n in f.notes)
        # "Bosch products we have fewer than 500 units of": units held (a phrase of holding), nothing said of
        # selling or buying, nor a period the units would be counted over
        held = "|".join(re.escape(w) for w in self.layer.grammar.get("holding_phrases", []))
        inventory = inventory or bool(held) and re.search(rf"\b(?:{held})\b", self.question, re.IGNORECASE) \
            is not None and not self.periods and not any(
                n.startswith("activity:") for n in f.notes) and not any(s.first("activity") for s in self.spans)
        # "(over 300 on hand in Vantaa) that sold fewer than 5 units": a bound said right after a verb of
        # selling is of the units sold, whatever else the question says of stock
        sold_bounds = set()
        for i, s in enumerate(self.spans):
            before, after = self.prev_content(i), self.next_content(i)
            if s.first("comparator") and before is not None and before[1].has("activity", "sales") and \
                    after is not None and after[1].first("number"):
                sold_bounds.add(after[1].arg("number"))
        units = next((k for k, s in enumerate(self.spans) if s.text == "units"), None)
        if units is not None and not any(s.first("activity") for s in self.spans) and any(
                s.first("predicate") and s.text.endswith("in stock") and "inventory." in self.layer.predicates.get(
                    s.arg("predicate"), {}).get("sql", "") for s in self.spans[units + 1:]):
            inventory = True  # "how many units are still in stock": the units the stock condition holds
        if units is not None and not self.periods and not any(s.first("activity") for s in self.spans) and any(
                s.first("predicate") and "inventory." in self.layer.predicates.get(s.arg("predicate"), {}).get(
                    "sql", "") for s in self.spans[:units]) and not any(
                x.text == "with" for x in self.spans[max(0, units - 4):units]):
            # "inactive products that still have stock left: how many units?": a stock condition said first, nothing
            # said of selling nor a period to sell in, the units are those held (was: units sold); "..., with their
            # units" stays a column shown beside each (stock and units sold)
            inventory = True
        if bare_units and inventory:
            for x in f.filters:  # "fewer than 60 units across all warehouses": units in stock
                if x.field == "units_sold" and not set(x.values) <= sold_bounds:
                    x.field = "stock"
        if bare_units and inventory and "units_sold" in f.measures:
            f.measures.remove("units_sold")
            if "stock" not in f.measures:
                f.measures.append("stock")
            if f.order_by == "units_sold":
                f.order_by = "stock"

    def _event_of_another_entity(self, i: int, values: list[tuple[str, str]]) -> bool:
        """"shipped with DHL", "delivered last month" (of shipments), "shipped order 1500": a status
        word that describes an event of the shipment (or a verb), not the order's status."""
        if values[0][0] != "status":
            return False
        following = self.spans[i + 1] if i + 1 < len(self.spans) else None
        preceding = self.spans[i - 1] if i > 0 else None
        if any(x is not None and x.text.startswith("__id") for x in (following, preceding)):
            return True  # "which carrier shipped order 1500", "when was order 3 shipped"
        k = i - 1
        while k > 0 and self.spans[k].text in ("was", "were", "is", "been", "get", "got", "actually", "finally"):
            k -= 1
        if k < i - 1 and self.spans[k].text.startswith("__id") and self.ids[int(self.spans[k].text[4:-2])][0] == "order":
            return True  # "when order #777 was delivered": that order's shipment event
        if following is not None and following.first("comparator") and values[0][1] in self.layer.grammar["events"]:
            return True  # "delivered within 2 days": the time it took, not the order's status
        if i > 1 and self.spans[i - 2].text == "to" and self.spans[i - 1].text in ("be", "get") and \
                values[0][1] in self.layer.grammar["events"] and any(
                self.layer.measures.get(x.arg("measure") or "", {}).get("row_sql") for x in self.spans if x.first("measure")):
            return True  # "took more than 4 days to be delivered": the duration's own event, not the order's status
        event = self.layer.grammar["events"].get(values[0][1])
        about_shipments = any(x.has("entity", "shipments") or x.has("measure", "delivery_time")
                              or x.has("dimension", "carrier") or x.has("predicate", "late") for x in self.spans)
        after = self.next_content(i)
        while after is not None and after[1].text in ("by", "via", "through") and (
                nxt := self.next_content(after[0])) is not None and any(
                dim == "carrier" for dim, _ in self.values_of(nxt[1])):
            after = nxt  # "orders shipped by DHL last month": the carrier's, as "with DHL"
        while after is not None and any(dim == "carrier" for dim, _ in self.values_of(after[1])):
            # "orders shipped with DHL last month": the carrier said between the event and its period
            about_shipments = True
            after = self.next_content(after[0])
        # "orders shipped in September": a period right after the event that is its entity's own period
        # column (shipping periods are on shipped_at) is when it happened, not an order status plus the order
        # date; "orders delivered in August" stays the status and order date (delivered_at is no period column)
        own_period = bool(event) and any(f"{e['table']}.{e.get('period')}" == event for e in self.layer.entities.values())
        right_after = own_period and i + 1 < len(self.spans) and self.spans[i + 1].text.startswith("__period")
        if event and (about_shipments or right_after) and after is not None and after[1].text.startswith("__period"):
            if "period_field:said" not in self.form.notes:
                self.form.period_field = event
            return True
        if event and self._beside_shipment_noun(i):
            # "parcels shipped per carrier", "delivered parcels", "which carrier shipped the most": the parcel's
            # own event; a delivered parcel is one with a delivery date (the predicate stating that status)
            done = next((n for n, spec in self.layer.predicates.items() if spec.get("status_value") == values[0][1]
                         and spec.get("entity") == "shipments"), None)
            if done and done not in self.form.predicates:
                self.form.predicates.append(done)
            # "which carrier shipped the most orders this year": a carrier's act, so the period is when it
            # happened, unless a verb of ordering ("orders placed this year") claims the period first
            later = next((k for k in range(i + 1, len(self.spans)) if self.spans[k].text.startswith("__period")), None)
            if own_period and preceding is not None and self._is_carrier(preceding) and later is not None and \
                    not any(x.first("activity") for x in self.spans[i + 1:later]):
                self.form.period_field = event
            return True
        if i + 1 >= len(self.spans) or self.spans[i + 1].text not in ("with", "by", "via", "using", "through"):
            return False
        # "shipped by DHL": the word after the preposition ("by" is also a grouping word, not skipped as a stop)
        nxt = self.next_content(i + 1)
        if nxt is None:
            return False
        other = [d for d, _ in self.values_of(nxt[1])]
        if not other and nxt[1].first("dimension") and self._is_carrier(nxt[1]):
            other = [str(nxt[1].arg("dimension"))]  # "orders shipped by carrier": the carrier's act, per carrier
        return bool(other) and self.layer.dimensions[other[0]]["column"].split(".")[0] not in ("orders",)

    def _unit_in_words(self, s: Span) -> None:
        """"delivery hours", "hours to deliver": a time unit inside a duration measure's own words is its unit."""
        spec = self.layer.measures.get(s.arg("measure") or "", {}) if s.first("measure") else {}
        if not spec.get("units") or self.form.unit:
            return
        units = self.layer.grammar.get("units", {})
        named = [units[w] for w in s.text.split() if w in units]
        if named and named[0] in spec["units"]:
            self.form.unit = named[0]

    def _beside_shipment_noun(self, i: int) -> bool:
        """A word right after or before a parcel noun ("parcels shipped", "delivered parcels") or after a
        carrier ("which carrier shipped")."""
        before = self.spans[i - 1] if i > 0 else None
        after = self.spans[i + 1] if i + 1 < len(self.spans) else None
        k = i - 1
        while k > 0 and self.spans[k].text in ("have", "has", "had", "been", "was", "were", "are", "is", "already"):
            k -= 1
        # "the shipments sent in Q3 that have been delivered": a clause said of the parcel noun before it
        antecedent = next((x for x in reversed(self.spans[:k]) if x.first("entity")), None) \
            if k < i - 1 and self.spans[k].text in ("that", "which") else None
        return any(x is not None and x.has("entity", "shipments") for x in (before, after, antecedent)) or (
            before is not None and self._is_carrier(before))

    def _is_carrier(self, s: Span) -> bool:
        """The carrier word or a carrier's name ("Schenker delivered"): the one who ships and delivers."""
        return s.has("dimension", "carrier") or any(dim == "carrier" for dim, _ in self.values_of(s))

    def _type_noun(self, i: int, dim: str) -> None:
        """"the Vantaa warehouse", "in category Kitchen", "Helsinki customers": the dimension's or
        its entity's name beside a value says what the value is; it is no grouping."""
        table = self.layer.dimensions[dim]["column"].split(".")[0]
        before = self.prev_content(i)
        for j in {i - 1, i + 1, before[0] if before else -1}:
            if not 0 <= j < len(self.spans) or self.spans[j].used:
                continue
            t = self.spans[j]
            ent = t.first("entity")
            if t.has("dimension", dim) and j in (i - 1, i + 1):
                t.used = True
            elif ent and self.layer.entities[ent[1]]["table"] == table:
                t.used = True  # "Helsinki customers", "customers in Göteborg"
                # "orders with no Bosch products": the things named first are the subject, not the value's own
                if not any(x.first("entity") and x.arg("entity") != ent[1] for x in self.spans[:min(i, j)]):
                    self.form.subject = self.form.subject or ent[1]

    def _shown_beside(self) -> None:
        """"low-stock products with their stock", "discontinued products and their category",
        "... products, show the stock": a measure or dimension after "with/their/its/show" is a
        column beside the listed things."""
        f = self.form
        shows = {"show", "showing", "plus", "give", "display"}
        moved: set[int] = set()
        for k, s in enumerate(self.spans):
            before = {x.text for x in self.spans[max(0, k - 3):k]}
            if s.first("dimension") and s.arg("dimension") in f.dimensions and not f.measures and f.subject and \
                    self._is_which(k) and {x.text for x in self.spans[k + 1:k + 3]} & {"they", "it"} and any(
                    x.has("entity", f.subject) and self._is_which(j) for j, x in enumerate(self.spans[:k])):
                # "which products are low on stock, and what category are they in?": asked of each thing listed
                # (the pronoun is them), a column beside it, not a count per category
                f.dimensions.remove(s.arg("dimension"))
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
                continue
            j = k - 1
            while j > 0 and self.spans[j].text in ("and", "total", "the", ","):
                j -= 1
            # "with their total stock and total reorder level": a measure joined by "and" to one shown beside
            chained = j < k - 1 and "and" in {x.text for x in self.spans[j + 1:k]} and (j in moved or j in self.counts_shown)
            # "in transit - order id and carrier" ("carrier and order id"): a field joined by "and" to a column
            # shown beside each row is a column too (an id per row leaves nothing to group)
            shown = [x for x in (self.spans[j] if j < k - 1 else None,
                                 self.spans[k + 2] if k + 2 < len(self.spans) and self.spans[k + 1].text == "and" else None)
                     if x is not None and x.first("attribute") and str(x.arg("attribute")) in f.show]
            chained = chained or (bool(shown) and "and" in {x.text for x in self.spans[j + 1:k + 2]}
                                  and not {"by", "per"} & {x.text for x in self.spans[max(0, k - 1):k]})
            if not ({"their", "its", "with current", "with their", "with its"} & before or chained or
                    # ("with stock": the word inside the span read as a figure by _compared_predicates)
                    (("with" in before or s.text.startswith("with ")) and (f.predicates or f.subject)) or
                    (shows & before and any(x.first("entity") for x in self.spans[:k]))):
                continue
            if s.first("grain") and not s.used and s.arg("grain") == f.grain and shows & before:
                s.used = True  # "which months had revenue above 30,000? Show the month and the amount": the grouping
                continue
            if s.first("measure") and s.arg("measure") in f.measures and (f.predicates or f.subject) \
                    and not f.dimensions and "count" not in f.measures:
                f.measures.remove(s.arg("measure"))
                f.show.append(s.arg("measure"))
                moved.add(k)
            elif s.first("dimension") and s.arg("dimension") in f.dimensions and not f.measures:
                f.dimensions.remove(s.arg("dimension"))
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
            elif s.first("dimension") and s.arg("dimension") in f.dimensions and f.measures and f.subject and \
                    ("ranked" in f.notes or f.order_by in f.measures) and (own := self._own_dimension(f.subject)) and own not in f.dimensions and \
                    self.layer.dimensions[s.arg("dimension")]["column"].split(".")[0] == \
                    self.layer.entities[f.subject]["table"]:
                # "top 5 customers by revenue, show their city": the customers are ranked, the city beside
                f.dimensions[f.dimensions.index(s.arg("dimension"))] = own
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
            elif s.first("entity") and not s.used and f.subject and s.arg("entity") != f.subject and \
                    shows & before:
                # "stock records ..., show product" ("give product and warehouse"): the other entity's label beside each row
                other = self.layer.entities[s.arg("entity")]
                f.show.append(f"{other['table']}.{other['label']}")
                s.used = True

    def _sorted_first(self) -> None:
        """"revenue per product category for 2025, highest first": the groups sorted by the one figure asked,
        every one of them (no top N)."""
        f = self.form
        for k, s in enumerate(self.spans[:-1]):
            t = self.spans[k + 1]
            if s.used or t.used or not s.first("superlative") or t.text != "first" or self.next_content(k + 1):
                continue
            figures = {x.arg("measure") for x in self.spans if x.first("measure")}
            if not figures and any(x.has("grammar", "count") and x.text != "how many" for x in self.spans):
                figures = {"count"}  # "number of orders by month, highest first"
            if not figures and f.order_by is None and (f.grain or f.dimensions):
                # "orders by month in 2025, most first": a count per group to sort by, which I would read as the
                # newest orders first (a wrong answer); refused instead
                raise NotUnderstood("I can sort groups by a figure named in the question",
                                    field="question", hint="e.g. 'number of orders by month in 2025, highest first'")
            if len(figures) != 1 or f.order_by is not None:
                return
            f.order_by, f.direction = figures.pop(), s.arg("superlative")
            f.notes += ["order:explicit", "sorted"]
            s.used = t.used = True

    def _that_period(self) -> None:
        """"in 2025 ..., cancelled orders as a share of all orders placed that year": "that year" points back
        at the period already named (only when one was named before it)."""
        # the period must be named in the same sentence ("... in September 2026? I mean shipped that month" is a
        # second thought, read on its own)
        said = [x for x in re.split(r"[?!]\s+|(?<=[a-z0-9]{2})\.\s+", self.question.lower()) if re.search(r"\b(?:that|same)\s+[a-z]+", x)]
        if not said or not re.search(rf"\b(?:(?:19|20)\d{{2}}|q[1-4]|h[12]|this|last|{MONTH_RE})\b", said[0]):
            return
        for k, s in enumerate(self.spans):
            if k == 0 or s.used or not s.first("grain") or self.spans[k - 1].text not in ("that", "same"):
                continue
            if any(x.text.startswith("__period") for x in self.spans[:k]) and len(
                    {x.text for x in self.spans if x.text.startswith("__period")}) == 1:
                s.used = True

    def _after_article(self, k: int) -> bool:
        """Whether span k follows "a", "an" or "each", with only values or conditions read between ("a delivered")."""
        j = k - 1
        while j > 0 and self.spans[j].used and (self.values_of(self.spans[j]) or self.spans[j].first("predicate")):
            j -= 1
        return self.spans[j].text in ("a", "an", "each")

    def _average_over_periods(self) -> None:
        """"average monthly revenue in 2025", "average revenue per month", "median weekly orders": each
        period's figure first, then their average (or median); one figure, not a row per month."""
        f = self.form
        word = next((x for x in self.spans if not x.used and x.has("grammar", "average")), None)
        if word is not None and len(f.measures) == 1 and (f.measures == ["count"] or f.measures[0] in self.layer.measures) \
                and not f.grain and not f.dimensions and not f.derived and not f.order_by and not f.limit:
            # "on average, how many order lines does an order placed in 2026 have": lines per order, averaged;
            # "on average, how many units are in a delivered order": units per order (a value may come between)
            one = next((x for k, x in enumerate(self.spans) if k > 0 and self._after_article(k)
                        and x.first("entity") and not x.text.endswith("s")
                        and (x.arg("entity") != f.subject or f.measures != ["count"])
                        and any(d.get("entity") == x.arg("entity") for d in self.layer.dimensions.values())), None)
            if one is not None and f.subject and (f.subject != one.arg("entity") or f.measures != ["count"]):
                word.used = one.used = True
                f.derived = {"kind": "average_per", "entity": one.arg("entity")}
                return
        if not f.grain or f.dimensions or f.derived or len(f.measures) != 1 or f.order_by or f.limit:
            return
        if f.measures[0] not in self.layer.measures and f.measures[0] != "count":
            return
        word = next((x for x in self.spans if not x.used and (x.has("grammar", "average") or x.text == "median")),
                    None)
        grain_at = next((k for k, x in enumerate(self.spans) if x.first("grain") and x.used), None)
        if word is None or grain_at is None or self.spans.index(word) > grain_at:
            return
        word.used = True
        spec = self.layer.measures.get(f.measures[0], {})
        if word.text != "median" and str(spec.get("sql") or spec.get("line_sql") or "").upper().startswith("AVG("):
            # "avg delivery time per month", "average order value per quarter": the figure is an average
            # already, so the word restates it; one row per period, not an average of the periods' averages
            return
        f.derived = {"kind": "average_per", "grain": f.grain, "fn": "median" if word.text == "median" else "avg"}
        f.grain = None

    def _over_the_things(self) -> None:
        """"the average product margin per category, over active products only", "across its active products":
        the things a figure is taken over, named by a condition already read (not a comparator: no number)."""
        for k, s in enumerate(self.spans):
            if s.used or s.text not in ("over", "across", "among"):
                continue
            nxt = self.next_content(k)
            if nxt is None or not nxt[1].used or not (nxt[1].first("predicate") or self.values_of(nxt[1])):
                continue
            after = self.next_content(nxt[0])
            while after is not None and after[1].used and not after[1].first("entity") and (
                    after[1].first("predicate") or self.values_of(after[1])):
                after = self.next_content(after[0])  # "across active Makita products"
            if after is not None and after[1].first("entity") and not any(x.first("number") for x in self.spans[k:nxt[0] + 1]):
                s.used = True

    def _period_of_parent_rows(self) -> None:
        """"order lines of last year's orders", "lines of orders from 2025": the rows asked about belong (many to
        one) to the things named with the period, so the period is on those things' date (was: 'orders' left
        unplaced and the question refused)."""
        f = self.form
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        for k, s in enumerate(self.spans[1:], start=1):
            ent = s.first("entity")
            if s.used or ent is None or ent[1] == f.subject or table is None:
                continue
            spec = self.layer.entities[ent[1]]
            parent = any(j["left"].split(".")[0] == table and j["right"].split(".")[0] == spec["table"]
                         and j.get("cardinality") == "many_to_one" for j in self.layer.joins)
            before = self.spans[k - 1]
            nxt = self.next_content(k)
            dated = before.text.startswith("__period") and k > 1 and self.spans[k - 2].text in ("of", "in", "from") \
                or before.text in ("of", "in", "from") and nxt is not None and nxt[1].text.startswith("__period")
            field = f"{spec['table']}.{spec.get('period')}"  # ("of last year's orders", "of orders from 2025")
            if dated and parent and spec.get("period") and f.period_field in (None, field):
                s.used = True
                f.period_field = field

    def _sales_orders_restated(self, f: QueryForm) -> None:
        """"discount given on order lines in 2025 (sales orders only)": every figure asked already counts only the
        orders that are sales (layer grammar sales_orders_restated), so the words restate it (was: 'sales orders'
        left unplaced when the rows asked about are not the orders)."""
        spec = self.layer.grammar.get("sales_orders_restated", {})
        if not f.measures or any(self.layer.measures.get(m, {}).get("filter") != spec.get("filter") for m in f.measures):
            return
        for s in self.spans:
            if not s.used and s.text in spec.get("words", []):
                s.used = True

    def _one_row_per(self) -> None:
        """"2024 versus 2025, one row per year", "one row per country": the grouping said as the table's shape
        ("per year" is the grouping, read where it stands; "one row" adds nothing)."""
        for k, s in enumerate(self.spans[1:-1], start=1):
            t = self.spans[k + 1]
            if s.text in ("row", "rows") and not s.used and self.spans[k - 1].text in ("one", "a", "1") \
                    and t.has("grammar", "group_by") and t.used:
                s.used = True

    def _dimension_mix(self) -> None:
        """"status mix per month", "channel distribution of orders": a mix of a dimension is the count (or
        figure) per its values, so the word after a dimension that is grouped by says nothing more (layer
        grammar dimension_mix)."""
        f = self.form
        last = self.content()[-1] if self.content() else None
        if last is not None and not last.used and last.text == "each" and (f.dimensions or f.grain) and \
                any(m.startswith("count") for m in f.measures) and any(x.has("grammar", "count") for x in self.spans):
            # "which carriers ..., and how many parcels each?": the count per the grouping already asked
            last.used = True
        words = set(self.layer.grammar.get("dimension_mix", []))
        for k, s in enumerate(self.spans[1:], start=1):
            before = self.spans[k - 1]
            if not s.used and s.text in words and before.first("dimension") \
                    and before.arg("dimension") in self.form.dimensions:
                s.used = True

    def _figure_restated(self) -> None:
        """"which five products generated the most revenue? Include the revenue figure for each", "top five
        customers by revenue, with the revenue for each": a figure already asked, named again to be shown beside
        each thing (or "defined as" it), says nothing new ("include" is not a line's contents here, "for each" no new grouping)."""
        f = self.form
        for k, s in enumerate(self.spans):
            if not (s.first("measure") and s.arg("measure") in (*f.measures, *f.show, f.order_by) and s.used):
                continue
            before = self.prev_content(k)
            if before is not None and not before[1].used and before[1].text in ("include", "including", "includes"):
                before[1].used = True
            # "gross profit in 2025, defined as line revenue minus quantity times unit cost": the measure's
            # own definition, said after the measure was named, restates it
            if before is not None and not before[1].used and before[1].text in ("defined", "i.e.") \
                    and any(o.first("measure") and o.arg("measure") == s.arg("measure") for o in self.spans[:before[0]]):
                before[1].used = True
            after = self.next_content(k)
            if after is not None and not after[1].used and after[1].text in EACH_WORDS \
                    and after[1].has("grammar", "group_by") and self.next_content(after[0]) is None:
                after[1].used = True

    def _amount_of_measure(self, f: QueryForm) -> None:
        """"customers with more than 15,000 EUR of revenue, with the amount": the amount beside things that
        are not the orders is the money figure compared (their revenue), not each order's total (which
        would split every customer into its orders)."""
        own = self.layer.entities.get(f.subject or "", {}).get("table")
        figures = [m for m in dict.fromkeys([x.field for x in f.filters] + f.show + f.measures)
                   if m in self.layer.measures]
        for col in list(f.show):
            table, _, name = col.partition(".")
            entity = next((n for n, e in self.layer.entities.items() if e["table"] == table), None)
            if entity is None or table == own or self.layer.entities[entity].get("amount") != name:
                continue
            unit = self.layer.tables[table]["columns"][name].get("unit")
            same = [m for m in figures if self.layer.measures[m].get("entity") == entity
                    and self.layer.measures[m].get("unit") == unit]
            if (own or f.dimensions or f.grain) and len(same) == 1:
                f.show = [c for c in f.show if c != col]
                if same[0] not in f.show and same[0] not in f.measures:
                    f.show.append(same[0])

    def _own_dimension(self, entity: str) -> str | None:
        """The dimension that names the entity's things themselves ("customer" of customers)."""
        return next((d for d, spec in self.layer.dimensions.items() if spec.get("entity") == entity), None)

    def _pick_dim(self, dims: list[str]) -> int:
        preferred = {"products": ("warehouse", "category", "brand"), "customers": ("city", "country", "segment")}
        for k, d in enumerate(dims):
            if d in preferred.get(self.form.subject or "", ()):
                return k
        return 0

    def _own_entity_conflict(self, f: QueryForm) -> None:
        """"which best sellers has customer N never bought": a condition read for another entity
        ("never ordered" of products: by nobody) beside a filter on its own entity (one customer) would
        always be empty; refused rather than answered with no rows."""
        if f.kind in ("recommend_customer", "bought_together"):
            return  # these forms say "not yet bought by this customer" themselves
        ranked_entity = f.subject if f.subject in self.layer.entities else None
        for dim in f.dimensions:
            ranked_entity = ranked_entity or self.layer.dimensions.get(dim, {}).get("entity")
        for name in f.predicates:
            spec = self.layer.predicates.get(name)
            if spec is None or ranked_entity not in (spec.get("by_entity") or {}):
                continue
            own_table = self.layer.entities[spec["entity"]]["table"]
            if any(x.field.split(".")[0] == own_table or self.layer.dimensions.get(x.field, {}).get("column", "")
                   .startswith(own_table + ".") for x in f.filters):
                raise NotUnderstood(f"'{spec['label']}' of {ranked_entity} is over all {spec['entity']}; I cannot "
                                    f"yet restrict it to the {self.layer.entities[spec['entity']]['singular']} named",
                                    hint="e.g. 'recommend products to customer 7' (best sellers they have not bought)")

    def _status_of_ones_orders(self) -> None:
        """"what's the status of <one customer>'s orders from October": the status of each of that one
        customer's orders is asked (a list of them with their status), not a count per status; a count word
        ("how many"), a grouping ("by", "per") or several customers keep the breakdown."""
        f = self.form
        if f.measures not in ([], ["count"]) or f.dimensions != ["status"] or f.grain or f.limit or f.order_by \
                or f.derived or f.subject not in (None, "orders") or f.lookup:
            return
        who = f.filter_on("customer")
        if who is None or who.op != "=" or len(who.values) != 1:
            return
        # "status of every order she placed": each of the orders listed (no grouping word)
        each_order = [s for k, s in enumerate(self.spans[:-1]) if s.text in ("each", "every") and not s.used
                      and self.spans[k + 1].has("entity", "orders")]
        if any(s.has("grammar", "count") or s.has("grammar", "group_by") for s in self.spans if s not in each_order):
            return
        at = next((k for k, s in enumerate(self.spans) if s.first("dimension") and s.arg("dimension") == "status"), None)
        if at is None or at + 1 >= len(self.spans) or self.spans[at + 1].text != "of":
            return
        f.measures = []
        f.dimensions = []
        f.subject = "orders"
        if "orders.status" not in f.show:
            f.show.append("orders.status")
        for s in each_order:
            s.used = True

    def _event_predicate_dated(self) -> None:
        """"orders that have been shipped before 25 October", "has shipped this month": a period right after a
        condition that states an event of other rows (the layer predicate's ``event``) is when that event
        happened (was: the orders' own date)."""
        f = self.form
        if "period_field:said" in f.notes:
            return
        for k, s in enumerate(self.spans[:-1]):
            event = predicate_spec(self.layer, s.arg("predicate")).get("event") if s.first("predicate") else None
            if event and s.arg("predicate") in f.predicates and self.spans[k + 1].text.startswith("__period"):
                f.period_field = event
                return

    def _status_of_shipment(self) -> None:
        """"delivered orders that were not late": beside a condition on shipments, a status that a
        shipment predicate states (``status_value``) is that shipment fact, so orders delivered and
        later returned still count as delivered."""
        f = self.form
        # "Posti average delivery days in 2025 (delivered ones)": a figure of shipments alone, with no order noun
        # said, is of delivered parcels too (was: the order status 'delivered', dropping parcels of orders later
        # returned)
        of_parcels = bool(f.measures) and all(self.layer.measures.get(m, {}).get("entity") == "shipments"
                                              for m in f.measures) and f.subject in (None, "shipments") and \
            not any(x.has("entity", "orders") for x in self.spans)
        # "how many shipments have been delivered", "the share of shipments sent this year and already delivered":
        # the shipments counted, no order noun said, are delivered parcels (was: their order's status)
        of_parcels = of_parcels or f.subject == "shipments" and all(m == "count" for m in f.measures) and \
            not f.dimensions and not any(x.has("entity", "orders") for x in self.spans)
        if not of_parcels and not any(predicate_spec(self.layer, p)["entity"] == "shipments" for p in f.predicates):
            return
        for name, spec in self.layer.predicates.items():
            value = spec.get("status_value")
            flt = f.filter_on("status")
            if value and flt is not None and flt.op == "=" and flt.values == [value]:
                f.filters.remove(flt)
                if name not in f.predicates:
                    f.predicates.append(name)

    def _duration_counted_from(self, f: QueryForm) -> None:
        """"delivered within 24 hours of shipping": the event a bounded duration is counted from (layer
        counted_from) restates the duration, no condition of its own."""
        since = {w for x in f.filters for w in self.layer.measures.get(x.field, {}).get("counted_from", []) if x.unit}
        for k, s in enumerate(self.spans):
            if not s.used and k > 0 and s.text in since and self.spans[k - 1].text in ("of", "after", "from"):
                s.used = True

    def _all_on_the_extreme_date(self, f: QueryForm) -> None:
        """"the oldest open orders? all of those placed on the earliest date": every one of that first day (the
        ranking's ties kept), not the first ten in date order."""
        if f.kind != "list" or f.order_by is None or f.per_group or not ALL_ON_EXTREME_DAY_RE.search(self.question):
            return
        if f.order_by != "@date" and ("." not in f.order_by or
                                      self.layer.column(f.order_by)["type"] not in ("DATE", "TIMESTAMP")):
            return
        f.limit = 1
        f.notes.append("ties")

    def _which_order_ranked(self) -> None:
        """"which order(s) had the most units": orders asked for, ranked by a figure summed per order (was the
        figure summed over all orders, a silent wrong)."""
        f = self.form
        if f.subject != "orders" or f.dimensions or "order" not in self.layer.dimensions or \
                not (f.order_by in self.layer.measures and f.order_by in f.measures):
            return
        if any(x.has("entity", "orders") and self._is_which(k)
               for k, x in enumerate(self.spans)):
            f.dimensions.append("order")

    def _undelivered_orders(self) -> None:
        """"orders from last month that are not delivered": with nothing said of parcels (no parcel noun, carrier
        or shipping), orders not delivered are those whose status is not 'delivered' (pending and paid ones
        too), not the orders with a parcel in transit."""
        f = self.form
        if "not_delivered" not in f.predicates or f.subject != "orders":
            return
        if any(x.has("entity", "shipments") or self._is_carrier(x) or x.first("measure") or "ship" in x.text
               for x in self.spans):
            return
        # "which of Erik's orders are still in transit", "on the way": words that say a parcel is moving
        moving = set(self.layer.predicates["not_delivered"].get("said_of_parcels", []))
        if any(x.has("predicate", "not_delivered") and moving & set(x.text.split()) for x in self.spans):
            return
        value = self.layer.predicates["delivered"].get("status_value")
        if value is None:
            return
        f.predicates.remove("not_delivered")
        f.filters.append(Filter("status", "not in", [value]))

    def _intents_and_currency(self, f: QueryForm) -> None:
        """Words that say why a ranking is asked for ("candidates to drop", "to promote") are placed when
        the form ranks in their direction; a currency word when the form computes or compares money."""
        # "how many euros of discount did we give": with no growth asked, the words only ask for money (was: the
        # growth's "how many euros" left unplaced, the question refused)
        growth = (f.derived or {}).get("kind") in ("growth", "periods")
        asked = [s for s in self.spans if not s.used and not growth and s.has("grammar", "growth_absolute")
                 and s.text.startswith("how many ")]
        currency = [s for s in self.spans if not s.used and s.first("currency")] + asked
        for m in [m for m in {*f.measures, f.order_by} if m in self.in_percent]:
            variant = self.layer.measures[m]["in_pct"]  # "the highest margin in percent": the 0-100 figure
            f.measures = list(dict.fromkeys(variant if x == m else x for x in f.measures))
            f.show = [variant if x == m else x for x in f.show]
            if f.order_by == m:
                f.order_by = variant
        for k, m in enumerate(list(f.measures)):
            variant = self.layer.measures.get(m, {}).get("in_eur")
            # "discount in EUR", "how much discount did we give away": the money variant of a percent measure
            if variant and (currency or variant in f.measures):
                f.measures = [x for x in f.measures if x != variant]
                f.measures.insert(min(k, len(f.measures)), variant)
                f.measures = [x for x in f.measures if x != m]
                if f.order_by == m:
                    f.order_by = variant
                # "a margin below 2 euros": the bound is in the money variant too (never a fraction under 2)
                f.filters = [replace(x, field=variant) if x.field == m else x for x in f.filters]
        money = {m for m, spec in self.layer.measures.items() if spec.get("unit") == "EUR"}
        fields = [*f.measures, f.order_by or "", *(x.field for x in f.filters)]
        attrs = [x.split(":")[-1] for x in fields if "." in x]
        in_eur = any(x in money for x in fields) or any(
            self.layer.tables.get(a.split(".")[0], {}).get("columns", {}).get(a.split(".")[1], {}).get("unit") == "EUR"
            for a in attrs)
        choice = self.layer.grammar.get("choice_intents", {})
        for s in self.spans:
            if s.used or not s.first("intent") or s.text not in choice.get("phrases", []) or f.order_by:
                continue
            # "which carrier should we use for Norway?": a choice with no measure named is the dimension's default
            # ranking (the answer says which); else a count per value would pass for a recommendation
            default = choice.get("defaults", {}).get(f.dimensions[0]) if len(f.dimensions) == 1 else None
            if default is None or f.kind != "aggregate" or f.limit or f.compare or f.derived or \
                    set(f.measures) - {"count", default["measure"], self.layer.grammar["ranking_default"].get(f.dimensions[0])}:
                raise NotUnderstood("the question asks which one to choose, but names no measure to choose by",
                                    hint="say what to compare, e.g. 'which carrier has the fastest average delivery'")
            f.measures, f.order_by, f.direction, f.limit = [default["measure"]], default["measure"], \
                default["direction"], 1
            f.notes.append(f"purpose:{default['purpose']}")
            s.used = True
        # "which carrier should we drop? the one with the highest late share": ranked by the share of an undesirable
        # condition, the highest is the worst, so an intent to drop (the lowest) is met by the highest first
        worse_high = f.order_by is not None and self._worse_high(f)
        wanted = {"asc": "desc", "desc": "asc"}.get(f.direction) if worse_high else f.direction
        for s in self.spans:
            if s.used:
                continue
            intent = s.first("intent")
            if intent and (f.order_by or f.kind in ("recommend_customer", "bought_together")) and \
                    intent[1] in (None, wanted):
                s.used = True
            elif intent and intent[1] is None:
                s.used = True  # "win-back list": names the list's purpose, implies no ranking
            if (s.first("currency") or s in asked) and in_eur:
                s.used = True

    def _tied_tables(self, table: str) -> set[str]:
        """The tables whose row is one per row of ``table`` (or are its own lines): the first step along any
        join, then only towards the "one" side (an order's lines' product, not that product's stock rows)."""
        def ones(t: str) -> set[str]:
            out = set()
            for j in self.layer.joins:
                left, right = j["left"].split(".")[0], j["right"].split(".")[0]
                if left == t:
                    out.add(right)
                if right == t and j.get("cardinality") == "one_to_one":
                    out.add(left)
            return out
        first = {j["left"].split(".")[0] for j in self.layer.joins if j["right"].split(".")[0] == table} | ones(table)
        tied, todo = {table} | first, list(first)
        while todo:
            for t in ones(todo.pop()) - tied:
                tied.add(t)
                todo.append(t)
        return tied

    def _by_value_then_singular_entity(self, i: int) -> bool:
        """"by Makita product": after "by", values then the singular noun of a thing."""
        k = i + 1
        while k < len(self.spans) and self.values_of(self.spans[k]) and not self.spans[k].first("entity"):
            k += 1
        return k > i + 1 and k < len(self.spans) and bool(self.spans[k].first("entity")) and \
            not self.spans[k].text.endswith("s")

    def _ranked_column(self, f: QueryForm) -> str | None:
        """The column a ranking names, qualified: "unit price" as such, "cheapest products" (the things' price),
        "newest customers" (their period's date); None for a measure or an amount ranked."""
        if not f.order_by or f.order_by in self.layer.measures or f.order_by == "@amount":
            return None
        if "." in f.order_by:
            return f.order_by
        entity = self.layer.entities.get(f.subject or "", {})
        column = entity.get("period") if f.order_by == "@date" else f.order_by
        table = entity.get("table")
        if not table or not column or column not in self.layer.tables.get(table, {}).get("columns", {}):
            return None
        return f"{table}.{column}"

    def _one_to_one(self, table: str) -> set[str]:
        """The table and those joined to it one to one (an order and its shipment)."""
        return {table} | {j[side].split(".")[0] for j in self.layer.joins if j.get("cardinality") == "one_to_one"
                          for side in ("left", "right") if table in (j["left"].split(".")[0], j["right"].split(".")[0])}

    def _same_rows(self, entity: str | None, other: str | None) -> bool:
        """Whether a row of ``entity`` is one row of ``other``: the same entity, or tables joined one to one."""
        if entity is None or other is None:
            return False
        table, other_table = (self.layer.entities.get(e, {}).get("table") for e in (entity, other))
        return entity == other or table is not None and other_table in self._one_to_one(table)

    def _is_which(self, i: int) -> bool:
        if self.spans[i].first("grain") and not self.spans[i].text.endswith("s") and i > 0 and \
                self.spans[i - 1].has("superlative", "desc") and self.spans[i - 1].text not in ("more", "most"):
            return True  # "busiest day last month", "best month of 2025 by revenue": which one, the most first
        return any(x.text in ("which", "what", "who") for x in self.spans[max(0, i - 2):i])

    # ----- kinds
    def _decide_kind(self) -> None:
        f = self.form
        if f.kind == "not_bought":
            return  # decided by _values_never_bought
        notes = f.notes
        if self._attribute_ranked_per_group(f):
            return
        for note in [n for n in notes if n.startswith("ranked_one:")]:
            table, at = note.split(":")[1], int(note.split(":")[2])
            status = f.filter_on("status")
            said = [k for k, x in enumerate(self.spans) if any(d == "status" for d, _ in self.values_of(x))]
            # "her latest order that was shipped", "... with status delivered": a clause that picks the order
            restrictive = {"that", "which", "who", "whose", "with", "where", "status"}
            of_it = [k for k in said if k > at and not restrictive & {x.text for x in self.spans[at + 1:k]}]
            if table == "orders" and status is not None and status.op in ("=", "in") and of_it:
                # "has Mikko's most recent order been delivered yet?", "when was her latest order shipped": a
                # status said of the one order (after its noun) is asked, and shown with its parcel; "her last
                # delivered order" (before the noun) picks the order
                if len(of_it) == len(said):
                    f.filters.remove(status)
                f.show += [c for c in ("orders.status", "shipments.carrier", "shipments.tracking_number",
                                       "shipments.shipped_at", "shipments.delivered_at") if c not in f.show]
            # "Erik's last parcel: when was it shipped and by which carrier": the one parcel's carrier, shown;
            # so is a field of a table joined one to one ("which carrier delivered her last order")
            joined = self._one_to_one(table)
            asked = {x.arg("dimension") for k, x in enumerate(self.spans) if x.first("dimension") and self._is_which(k)}
            for dim in [d for d in f.dimensions if d in asked and
                        self.layer.dimensions[d]["column"].split(".")[0] in joined]:
                f.dimensions.remove(dim)
                f.show.append(self.layer.dimensions[dim]["column"])
            for k, x in enumerate(self.spans):
                # "Emma's most recent order: carrier and tracking number?": its fields named after it, shown
                column = str(x.arg("attribute")) if x.first("attribute") else ""
                if k <= at or column.split(".")[0] not in joined or x.first("entity") or \
                        self.spans[k - 1].text in ("by", "per", "each", "every"):
                    continue
                named = str(x.arg("dimension")) if x.first("dimension") else None
                if named in f.dimensions:
                    f.dimensions.remove(named)
                elif x.used:
                    continue
                if column not in f.show:
                    f.show.append(column)
                x.used = True
            if table == "orders" and (any(c.startswith("shipments.") for c in f.show) or "activity:shipments" in notes):
                # "when did Talo Laine Oy's last order ship, and with which carrier?": the one order's parcel
                f.show += [c for c in ("shipments.carrier", "shipments.tracking_number", "shipments.shipped_at",
                                       "shipments.delivered_at") if c not in f.show]
        ranked_one = [n.split(":")[1] for n in notes if n.startswith("ranked_one:")]
        owner = next((n for n, e in self.layer.entities.items() if ranked_one and e["table"] == ranked_one[0]), None)
        asker = next((x.arg("entity") for k, x in enumerate(self.spans) if x.first("entity") and self._is_which(k)
                      and not x.text.endswith("s")), None)
        if owner and asker and asker != owner and f.subject in (None, asker) and f.order_by == "@amount" \
                and not f.measures and not f.limit and self.layer.entities[owner].get("amount"):
            # "which customer placed the single largest order": the one largest order, shown with its customer
            # (not the customers ranked by their revenue)
            other = self.layer.entities[asker]
            f.subject, f.limit = owner, 1
            f.dimensions = [d for d in f.dimensions if self.layer.dimensions[d].get("entity") != asker]
            f.show.append(f"{other['table']}.{other['label']}")
        # "when did Sofia Lund sign up"; "list our Oslo customers and when they joined": the date shown beside them
        when = [k for k, x in enumerate(self.spans) if x.text == "when" and (k == 0 or self.spans[k - 1].text == "and") and any(
            y.first("activity") and y.arg("activity") == "signup" for y in self.spans[k + 1:k + 4])]
        if when and "activity:signup" in notes and not f.measures and "customers.signup_date" not in f.show:
            f.show.append("customers.signup_date")
            f.subject = f.subject or "customers"
        products = f.filter_on("product")
        if ("together" in notes or "recommend" in notes) and f.limit is None:
            f.limit = self._number_before_entity()  # "give me 5 products", "suggest 3 products"
        # "what is bought together with Paint products": a category's or brand's lines as the basket's anchor
        anchor = products or next((x for x in f.filters if x.op in ("=", "in") and x.field in self.layer.dimensions
                                   and self.layer.dimensions[x.field]["column"].startswith("products.")), None)
        pairs = [s for s in self.spans if s.has("grammar", "pairs") and not s.used]
        # "which two products are most often bought in the same order?": one pair, the two named as a number
        two = [k for k, s in enumerate(self.spans[:-1]) if s.first("number") and float(s.arg("number")) == 2
               and self.spans[k + 1].has("entity", "products") and self.spans[k + 1].text.endswith("s")
               and k > 0 and self.spans[k - 1].text in ("which", "what")]
        if "together" in notes and not anchor and two and not f.filters and not f.dimensions[1:] and \
                all(s.text in ("pair", "pairs") for s in pairs):
            f.kind, f.measures, f.dimensions, f.order_by, f.limit = "bought_together", [], [], None, 1
            self.spans[two[0]].used = self.spans[two[0] + 1].used = True
            for s in pairs:
                s.used = True  # "which two products ...? give the pair": the one pair
            return
        if "together" in notes and not anchor and pairs and not f.filters and not f.dimensions[1:]:
            # "the 5 product pairs most often bought together": every two products of one order, counted
            f.kind, f.measures, f.dimensions, f.order_by = "bought_together", [], [], None
            if any(s.text in ("pair", "combination", "pairing") for s in pairs) and f.limit is None:
                f.limit = 1  # "which product pair": one
            for s in pairs:
                s.used = True
                k = self.spans.index(s)
                if k > 0 and self.spans[k - 1].first("number") and not self.spans[k - 1].used:
                    f.limit = int(self.spans[k - 1].arg("number"))  # "the 5 product pairs"
                    self.spans[k - 1].used = True
            return
        if "together" in notes and not anchor and f.subject == "products" and not f.dimensions and not f.measures:
            # "which products are most often bought together": of what, or pairs? (was: every product listed)
            raise NotUnderstood("products bought together with what? name a product, a category or a brand, or "
                                "ask for the pairs", field="question",
                                hint="e.g. 'which product pairs are most often bought together'")
        if "together" in notes and products is not None and products.op == "in" and len(products.values) >= 2 \
                and f.subject == "orders" and f.measures == ["count"] and f.limit is None \
                and not any(x.text == "or" for x in self.spans):
            # "in how many orders were A and B bought together": the orders holding every one of them, counted
            # (not what else is bought with either)
            products.op = "all of"
            notes.remove("together")
            return
        if "together" in notes and anchor:
            f.kind = "bought_together"
            for k, s in enumerate(self.spans):
                if s.has("grammar", "together_shared"):
                    s.used = True  # "show how many orders they shared": the orders in common, shown anyway
                verb = self.next_content(k)
                if not s.used and s.has("entity", "customers") and s.text.endswith("s") and verb is not None and (
                        verb[1].has("grammar", "bought_together") or verb[1].first("activity")):
                    # "top 3 items customers buy together with X": the buyers, who buy every basket (was: refused)
                    s.used = True
            for k, s in enumerate(self.spans):
                # "top 5 products by number of shared orders": the key the products are ranked by anyway (the
                # orders in common counted); was: refused, 'by' not placed
                key = self.spans[k + 1:k + 4]
                if s.text == "by" and not s.used and key and key[-1].has("entity", "orders") and all(
                        x.text in ("number of", "count of", "count") or x.has("grammar", "together_shared")
                        or x is key[-1] for x in key) and (len(key) > 1 or k + 2 >= len(self.spans)):
                    for x in (s, *key):
                        x.used = True
                    break
            split = [d for d in f.dimensions if not self.layer.dimensions.get(d, {}).get("column", "")
                     .startswith("products.")]
            if split:
                # "what is bought with X, per channel": the basket counts are not split by an order's or
                # customer's field; refused rather than dropped
                raise NotUnderstood(f"products bought together with another cannot be split by {split[0]}",
                                    hint="ask without the split, e.g. 'what is most often bought with the X'")
            # "which categories ...": the other lines grouped by that dimension of theirs (else by product)
            f.dimensions = [d for d in f.dimensions if self.layer.dimensions.get(d, {}).get("column", "")
                            .startswith("products.") and d != "product"][:1]
            if f.measures == ["count"] and f.subject == "products" and not f.dimensions and f.limit is None \
                    and f.order_by is None and "ranked" not in notes:
                # "how many different products were bought in the same order as X": the other products counted,
                # one figure (was: the top 10 of them)
                notes.append("together_counted")
            f.measures = []
            if f.dimensions:
                for k, s in enumerate(self.spans):
                    if s.text in ("other", "others", "else") and not s.used:
                        s.used = True  # "what other category": the anchor's own value is left out
                    nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
                    if s.first("number") and not s.used and nxt is not None and nxt.has("dimension", f.dimensions[0]):
                        f.limit = int(s.arg("number"))  # "which 2 categories"
                        s.used = True
            if f.limit is None and (self._singular() or self._what_sells_best()):
                f.limit = 1
            return
        if "recommend" in notes:
            if f.lookup and f.lookup["entity"] == "customer" or f.filter_on("customer"):
                f.kind = "recommend_customer"
                return
            if products:
                f.kind = "bought_together"
                return
            f.subject = f.subject or "products"
            # "suggest the 3 with the lowest revenue": what is ranked is what is shown
            ranked_measure = f.order_by if f.order_by in self.layer.measures else None
            f.measures = f.measures or [ranked_measure or "units_sold"]
            f.order_by = f.order_by or "units_sold"
            f.limit = f.limit or (1 if self._singular() else 10)  # "suggest the best seller": one
            f.dimensions = f.dimensions or ["product"]
            notes.remove("recommend")
        for note in list(notes):
            if note.startswith("count_of:") and f.order_by == note.replace("count_of:", "count:"):
                # "which customer has the most orders": count orders per customer
                entity = note.split(":")[1]
                sub_dim = {"customers": "customer", "products": "product"}.get(f.subject or "")
                # "which carrier handled the most shipments to Norwegian customers": the group asked with
                # "which" is ranked; the customers only say whose shipments are counted
                which_group = any(x.first("dimension") and x.arg("dimension") in f.dimensions and self._is_which(k)
                            for k, x in enumerate(self.spans))
                if f.subject and f.subject != entity and sub_dim and sub_dim not in f.dimensions and not which_group:
                    f.dimensions.append(sub_dim)
                f.measures = [m for m in f.measures if m != "count"] + [f.order_by]
                f.subject = entity if f.subject is None or sub_dim else f.subject
        if "count:stock" in notes:
            f.measures = [m if m != "count" else "stock" for m in f.measures]
        if "count:sold" in notes and "units_sold" in self.layer.measures:
            f.measures = [m if m != "count" else "units_sold" for m in f.measures]
        if f.lookup and f.lookup["entity"] == "order" and f.measures == ["count"] and not f.dimensions and (
                f.subject in (None, "orders") and any(  # "how many Makita Copper Pipe were on order 1"
                    self.layer.dimensions.get(x.field, {}).get("column", "").startswith("products.") for x in f.filters)
                or f.subject == "products" and any(x.text in ("item", "items", "pieces") for x in self.spans)):
            # one order counted is one: the pieces on it (of the product named) are what is counted; "items" are
            # pieces ("how many products" counts the different products)
            f.measures = ["sum:order_items.quantity"]
            f.subject = None
        if f.lookup and f.predicates and self.spans and self.spans[0].text in (
                "is", "are", "was", "were", "does", "do", "did", "has", "have"):
            # "is product 90 still active?": answered by showing the flag, not by filtering it away
            for p in f.predicates:
                table = self.layer.entities[f.lookup["entity"] + "s"]["table"]
                own = [f"{table}.{c.name}" for c in fragment(predicate_spec(self.layer, p)["sql"]).find_all(exp.Column)
                       if c.table == table]
                # "was order 1042 delivered late?": a condition on another table's columns is shown as its
                # yes/no value (the order's own columns cannot say it)
                f.show += [c for c in own if c not in f.show] if own else [f"predicate:{p}"]
            f.predicates = []
        # an id question: its details (or its lines, with their quantities) unless a measure is asked
        text = " " + " ".join(s.text for s in self.spans) + " "
        item_words = any(f" {w} " in text for w in self.layer.grammar["item_words"])
        if f.lookup and f.lookup["entity"] == "order" and item_words:
            f.measures = [m for m in f.measures if m != "units_sold"]  # "products and qty": the lines' quantity
            texts = [x.text for x in self.spans]
            for k in range(len(texts) - 2):
                if texts[k:k + 3] == ["how many", "of", "each"] and f.measures == ["count"]:
                    # "what products are on order 1572 and how many of each?": the pieces per product (a product
                    # may stand on several lines)
                    f.measures, f.dimensions, f.subject = ["sum:order_items.quantity"], ["product"], None
                    self.spans[k + 2].used = True
        if f.lookup and not f.measures:
            entity = f.lookup["entity"] + "s"
            if f.lookup["entity"] == "order" and (f.subject == "products" or item_words):
                f.kind, f.subject = "list", "products"
                for x in self.spans:
                    if x.first("entity") and x.arg("entity") == "products":
                        x.used = True
                f.filters = [Filter("order_items.order_id", x.op, list(x.values)) if x.field == "orders.order_id" else x
                             for x in f.filters]
                f.show = ["order_items.quantity", "order_items.unit_price", "order_items.discount_percent"]
            else:
                f.kind = "list"
                # "who placed order 250", "which customer placed order 3385"
                who = any(x.text == "who" or x.has("entity", "customers") and self._is_which(k)
                          for k, x in enumerate(self.spans))
                if who and f.lookup["entity"] == "order":
                    f.subject = "customers"  # "who placed order 250"
                else:
                    f.subject = (f.subject if f.subject and f.subject != entity and f.lookup["entity"] == "customer"
                                 else entity)
                table = self.layer.entities[f.subject]["table"]
                if f.lookup["entity"] + "s" == f.subject:  # the details of one thing: all it has
                    f.show = [f"{table}.{c}" for c in self.layer.tables[table]["columns"]] + [
                        c for c in f.show if c.startswith("predicate:")]
                if f.subject == "orders" and f.lookup["entity"] == "order":
                    f.show += ["shipments.carrier", "shipments.tracking_number", "shipments.shipped_at",
                               "shipments.delivered_at"]
                    # "Order 2425: paid, shipped or still pending?", "was order 2781 cancelled or returned?":
                    # one order's status is what is asked; filtering that order by it answers nothing or echoes
                    several = any(x.field == "orders.order_id" and len(x.values) > 1 for x in f.filters)
                    status_asked = [x for x in f.filters if x.field in ("status", "orders.status") and not several]
                    texts = [x.text for x in self.spans]
                    if status_asked and ("how much" in texts or any(texts[k:k + 2] == ["how", "much"]
                                                                    for k in range(len(texts)))):
                        # "how much was refunded for order 1921?": an amount of the status the lake does not hold
                        raise NotUnderstood(f"I can show order {f.lookup['id']}'s status and amount, not how much of "
                                            f"it was {' or '.join(map(str, status_asked[0].values))}", field="question")
                    f.filters = [x for x in f.filters if x not in status_asked]
                # "which carrier shipped order 1500": the dimension asked about is shown, not grouped; one
                # that the thing has many of through another table's rows is not its own ("which warehouse was
                # order 2956 shipped from": the stock of its products sits in several)
                tied = self._tied_tables(self.layer.entities[entity]["table"])
                foreign = [d for d in f.dimensions if self.layer.dimensions[d]["column"].split(".")[0] not in tied]
                if foreign and f.lookup["entity"] == "order":
                    raise NotUnderstood(f"the lake does not tie one {f.lookup['entity']} to a "
                                        f"{' or '.join(foreign)}", field=foreign[0])
                f.show += [self.layer.dimensions[d]["column"] for d in f.dimensions]
                f.dimensions = []
                if f.order_by and f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP  # "customer 15's most recent order"
            return
        filtered = {x.field for x in f.filters if self.layer.measures.get(x.field, {}).get("row_sql")}
        if any(m.startswith("count") for m in f.measures):
            # "how many shipments took more than 4 days to arrive": the duration only filters
            f.measures = [m for m in f.measures if m not in filtered]
        elif f.measures and set(f.measures) <= filtered and f.subject in self.layer.entities and not f.dimensions \
                and not f.grain and f.order_by is None and f.limit is None and not self._asks_aggregate():
            # "orders shipped in September that took more than 4 days to arrive": the figure named again after its
            # own bound ("to arrive") restates the condition on each one; they are listed (was: the average
            # delivery time of those orders)
            f.measures = []
        ranking = f.order_by is not None or f.limit is not None or "ranked" in notes
        shown_by_condition = {m for p in f.predicates for m in predicate_spec(self.layer, p).get("show", [])}
        if f.predicates and f.measures and f.subject in ("products", "customers") and not f.dimensions \
                and not f.grain and not ranking and {s.text for s in self.spans} & {
                    "which", "list", "show", "name", "names"} \
                and all(m in shown_by_condition for m in f.measures):
            # "which products should we restock (qty on hand under the reorder level)", "... - name and
            # total stock": the measure restates the condition; the products are listed with it
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        measure_filters = [x.field for x in f.filters if x.field in self.layer.measures]
        if f.measures and f.subject in ("products", "customers") and not f.dimensions and not f.grain \
                and not ranking and all(m in measure_filters for m in f.measures) and not self._asks_aggregate():
            # "products with stock over 500 units": the measure is the one compared; the products are listed
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        head = next((k for k, x in enumerate(self.spans) if x.first("entity") and x.arg("entity") == f.subject), None)
        shown = next((k for k, x in enumerate(self.spans) if x.first("measure") and x.arg("measure") in f.measures), None)
        if f.measures and f.subject in ("products", "customers") and (f.predicates or f.filters) and not f.dimensions \
                and not f.grain and not ranking and not f.derived and not f.compare and head is not None \
                and shown is not None and head < shown and not self._asks_aggregate():
            # "inactive items + qty on hand", "Tools products with their stock": the things named first, each
            # with the figure after them (a total is asked with "total stock of ...", "how much")
            if self._of_each() and len(f.measures) > 1:
                f.measures = [m for m in f.measures if m != "count"]  # "how many of each on hand": that figure's
            f.show += [m for m in f.measures if m not in f.show]
            f.measures = []
        # "share of shipments delivered in more than 3 days by carrier": a bound on a duration is the share's
        # condition (_share_condition), not the figure of each group
        share_of_duration = (f.derived or {}).get("kind") == "share" and any(
            self.layer.measures[m].get("row_sql") for m in measure_filters)
        # "shipments that took over 4 days by carrier": a bound on a figure of each shipment (a row figure of the
        # things named, or of their one-to-one partner: an order's shipment) picks the shipments, counted per group; an average bound ("carriers with an average
        # delivery time over 4 days") is said with its average
        row_bound = [m for m in measure_filters if self.layer.measures[m].get("row_sql")
                     and self._same_rows(self.layer.measures[m].get("entity"), f.subject)]
        if not f.measures and row_bound and (f.dimensions or f.grain) and not share_of_duration and head is not None \
                and not ranking and not re.search(r"\b(?:average|avg|mean|median|typical)", self.question.lower()):
            f.measures = ["count"]
        if not f.measures and measure_filters and (f.dimensions or f.grain) and not share_of_duration:
            # "brands with more than 2000 units sold": show the units; "which months had revenue above
            # 30,000": the months (a time grain is a grouping too), each with its revenue
            f.measures = [measure_filters[0]]
        counted = [x.field for x in f.filters if x.field.startswith("count:") and f.subject in (None, x.field[6:])]
        if not f.measures and counted and f.grain and not f.dimensions:
            f.measures = [counted[0]]  # "which months had more than 500 orders": the orders of each month
        activity = [n.split(":")[1] for n in notes if n.startswith("activity:")]
        words = {s.text for s in self.spans}
        # "with more than 300 units on hand in total": "in total" after a bound's figure says how that figure is
        # summed (over warehouses), not that a total is asked (was: the revenue of those products summed)
        of_bound = {k for k in range(2, len(self.spans)) if self.spans[k].text == "total"
                    and self.spans[k - 1].text == "in" and self.spans[k - 2].first("measure")
                    and self.spans[k - 2].arg("measure") in measure_filters}
        totals = {s.text for k, s in enumerate(self.spans) if k not in of_bound}
        sold_as_condition = f.subject == "products" and bool(measure_filters) and not ranking \
            and not totals & {"much", "many", "total", "sum"}
        # "the most expensive product we sell": "we sell" says which products, the ranking is by price
        by_attribute = f.order_by is not None and not f.order_by.startswith("@") and f.order_by not in self.layer.measures
        # "products that sold over 100 units": the selling is the condition on the products listed
        if not f.measures and "sales" in activity and f.subject == "customers" and "much" in words and not ranking \
                and not f.lookup:
            f.subject = None  # "how much did we sell to customers in Finland": the sales to them, not a list
        # "which products sold anything last month", "products that sold something in October": the products
        # with a sale in the period, listed (_purchases_are_sales), not the period's sales summed
        listed_sellers = f.subject == "products" and bool(self.periods) and not ranking and not f.dimensions \
            and not f.grain and not words & {"much", "many", "total", "sum", "how", "revenue", "units"}
        if not f.measures and "sales" in activity and f.subject in (None, "products") and not by_attribute \
                and not sold_as_condition and not listed_sellers and not any(m in self.layer.measures for m in f.show):
            # "how much did we sell" is revenue; "how many did we sell", "which brand sells best" units
            f.measures = ["units_sold"] if words & {"many", "any", "how many"} else ["revenue"]  # the glossary: sales = revenue
            if ranking and f.order_by is None:
                f.order_by = f.measures[0]
        if f.subject in self.layer.entities and not f.measures and (
                [d for d in f.dimensions if not (f.compare and d == f.compare["dimension"])] or f.grain
                or f.compare or (f.derived or {}).get("kind") in ("predicates", "periods")) and not ranking:
            # "orders per channel", "customers by country": a count per group
            self._amount_not_counted()
            f.measures = ["count"]
            self._how_much_per_group(f.subject)
        periods = any(x.text.startswith("__period") for x in self.spans)
        categorical = all(x.op in ("=", "in", "not in") and x.field in self.layer.dimensions
                          and self.layer.dimensions[x.field].get("entity") is None for x in f.filters)
        bounded = bool(self.periods) and all(x.start_date.year > 1900 for x in self.periods)  # not "older than"
        if (f.subject == "orders" or f.subject == "customers" and "activity:signup" in notes) \
                and bounded and categorical and not (
                f.measures or f.dimensions or f.grain or f.predicates or f.show or ranking or f.lookup
                or f.compare or f.derived) and not words & {"show", "list", "display", "give", "which", "what", "all",
                                                            "every", "each", "them", "ids", "id", "who"}:
            # "orders ytd", "b2b orders in September 2026", "new signups last quarter": things of a period, with
            # no condition beyond what they are, ask how many (most writers of eleven blind sets); "list the
            # orders ...", a state to act on ("open orders placed before 20 October") and orders older than a
            # day are lists
            f.measures = ["count"]
            if not words & {"number", "count", "many"}:
                notes.append("counted_not_listed")  # the answer says how to list them
        elif f.subject in self.layer.entities and bounded and categorical and f.predicates and all(
                predicate_spec(self.layer, p).get("counted_in_period") for p in f.predicates) and not (
                f.measures or f.dimensions or f.grain or ranking or f.lookup or f.compare or f.derived
                or [m for m in f.show if m not in shown_by_condition]) and not words & {
                    "show", "list", "display", "give", "which", "what", "all", "every", "each", "them", "ids", "id",
                    "who"}:
            # "late shipments in October 2026": a past event of a period's things (the layer's counted_in_period)
            # is counted as the orders of a period are (was: listed)
            f.measures = ["count"]
            if not words & {"number", "count", "many"}:
                notes.append("counted_not_listed")
        elif f.subject == "shipments" and periods and not (
                f.measures or f.dimensions or f.grain or f.filters or f.predicates or f.show or ranking or f.lookup
                or f.compare or f.derived) and not words & {"show", "list", "display", "give", "which", "what", "all"} \
                and self.question.rstrip().endswith("?"):
            f.measures = ["count"]  # "shipments sent yesterday?": asked as a question, how many
        count_dims = [n.split(":")[1] for n in notes if n.startswith("count_distinct:")]
        if count_dims:
            f.dimensions = [d for d in f.dimensions if d not in count_dims]
            f.measures = ["distinct:" + count_dims[0]]
            f.kind = "aggregate"
            return
        if f.measures and f.dimensions and f.order_by is None and "ranked" in notes and len(f.measures) == 1 \
                and (f.derived or {}).get("kind") == "share":
            f.order_by = f.measures[0]  # "which brand has the highest share of revenue": that share ranked
        if f.measures:
            f.kind = "aggregate"
            sales = all(self.layer.measures.get(m, {}).get("entity") == "orders" for m in f.measures)
            if ranking and not f.dimensions and f.subject is None and not f.grain and sales and self.spans and \
                    self.spans[0].text == "when":
                # "when did revenue peak": a time is asked, but not at which grain (was the products ranked)
                raise NotUnderstood("'when' beside a ranking: I cannot tell by which period to rank",
                                    hint="name it, e.g. 'in which month of 2025 did revenue peak'")
            who_orders = f.subject == "orders" and self.spans[0].text == "who" and not f.lookup and not f.show \
                and all(m in ("count", "count:orders") or self.layer.measures.get(m, {}).get("entity") == "orders"
                        for m in f.measures)
            if ranking and not f.dimensions and not f.grain and (f.subject is None and sales or who_orders):
                # "best sellers", "who spent most", "which consumer spent most" (a kind of customer); "who placed
                # the most orders": the orders counted per customer (was: every order counted, no one named)
                which_customer = any(self.spans[k - 1].text == "which" and any(
                    self.layer.dimensions[d]["column"].startswith("customers.") for d, _ in self.values_of(s))
                    for k, s in enumerate(self.spans) if k > 0)
                f.dimensions.append("customer" if "who" in words or which_customer else "product")
            per_product = all(self.layer.measures.get(m, {}).get("entity") == "products" for m in f.measures)
            if ranking and (f.limit or 0) > 1 and per_product and not f.dimensions and f.subject is None \
                    and not f.grain:
                # "Kuopio: biggest shortfalls, top 10": ten of a figure of products are ten products
                f.dimensions.append("product")
            duration = next((m for m in f.measures if self.layer.measures.get(m, {}).get("row_sql")), None)
            if duration and f.order_by == duration and not f.dimensions and not f.grain and f.limit:
                raise NotUnderstood("I can give the longest or shortest delivery time (overall or per carrier), "
                                    "not a list of parcels ranked by their delivery time",
                                    hint="e.g. 'slowest delivery time per carrier in 2025'")
            if duration and f.order_by == duration and not f.dimensions and not f.grain:
                # "longest delivery time": the longest one, not the average
                f.measures = [f"{'max' if f.direction == 'desc' else 'min'}:{duration}"]
                f.order_by = None
            if f.order_by is None and "ranked" in notes and f.dimensions and len(f.measures) == 1 and not f.grain:
                f.order_by = f.measures[0]  # "what's selling best in Heating (units)": ranked by the one figure
            if f.order_by is None and "ranked" in notes and f.grain and not f.dimensions and len(f.measures) == 1 \
                    and not f.derived and not f.compare and "sorted" not in notes:
                # "what was our best month for revenue?": the months ranked by the one figure (was every month in
                # date order, the superlative dropped)
                f.order_by = f.measures[0]
            if f.order_by and f.limit is None and (f.dimensions or f.grain or f.subject in ("products", "customers")):
                f.limit = 1 if self._singular() else DEFAULT_TOP
            # "top products by revenue": ranked per product (a count of them is not a ranking of them)
            counting_subject = any(m == "count" or m == f"count:{f.subject}" for m in f.measures)
            # "which order had the most units": ranked per order (one order's figure, not the period's total)
            sub_dim = {"customers": "customer", "products": "product", "orders": "order"}.get(f.subject or "")
            if sub_dim == "order" and f.order_by not in f.measures:
                sub_dim = None  # "revenue of orders ... (by order date)": no ranking of orders by a figure
            if sub_dim and sub_dim not in f.dimensions and ranking and not counting_subject and not f.dimensions:
                f.dimensions.append(sub_dim)
                if f.order_by is None and "ranked" in notes and len(f.measures) == 1 and not f.grain:
                    # "which product's units sold grew the most": ranked by the one figure, as per a named group
                    # (was every product's growth, the superlative dropped)
                    f.order_by = f.measures[0]
                if f.order_by and f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            if "count" in f.measures and f.subject is None:
                # "how many customer names ...": what the named column belongs to; else orders
                tables = [a.split(".")[0] for a in f.show]
                # "how many in stock products": a condition's phrase that names its own things names what is counted
                owning = {e for s in self.spans if s.first("predicate")
                          for e in [str(predicate_spec(self.layer, str(s.arg("predicate")))["entity"])] if e in s.text.split()}
                f.subject = next((n for n, e in self.layer.entities.items() if e["table"] in tables),
                                 owning.pop() if len(owning) == 1 else "orders")
            return
        if f.dimensions and (f.derived or {}).get("kind") == "share" and (
                not ranking or f.order_by is None or f.order_by.startswith("@")):
            # "cancellation rate per channel": a rate counts things; a money measure's own filter could
            # exclude the very condition (revenue leaves cancelled orders out); "which channel has the
            # highest cancellation rate" ranks that rate
            f.kind = "aggregate"
            f.measures = ["count"]
            if ranking:
                f.order_by = "count"
                if f.limit is None:
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        ranked_column = self._ranked_column(f)
        if f.dimensions and ranking and ranked_column and not f.derived and not f.measures and \
                self.layer.column(ranked_column).get("type") in ("INT", "DOUBLE", "DATE", "TIMESTAMP"):
            # "which category has the highest unit price": the groups ranked by that column's extreme in each
            # (was: ranked by revenue, the column dropped)
            f.kind = "aggregate"
            f.measures = [f"{'max' if f.direction == 'desc' else 'min'}:{ranked_column}"]
            f.order_by = f.measures[0]
            if f.limit is None:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        if f.dimensions and (ranking or f.derived):
            f.kind = "aggregate"
            default = self.layer.grammar["ranking_default"].get(f.dimensions[0], "revenue")
            if (f.derived or {}).get("kind") == "share":
                default = "count"  # "which channel has the highest cancellation rate": a rate counts, as above
            if default == "revenue" and {x.text for x in self.spans} & set(self.layer.grammar["ordering_verbs"]) \
                    and f.subject in (None, "orders") and not f.derived:
                default = "count"  # "which cities ordered the most": the most orders, as of customers
            if f.order_by == "@amount" and not f.derived:
                default = self.layer.grammar["ranking_default_amount"].get(f.subject or "", default)
            f.measures = [default if default in self.layer.measures else "count"]
            if f.order_by is None or f.order_by.startswith("@"):
                f.order_by = f.measures[0]
            if f.limit is None and ranking:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        texts = [x.text for x in self.spans]
        amount = self.layer.entities.get(f.subject or "", {}).get("amount")
        # "discontinued products we still have stock of, and how much": the figure the condition states (their
        # stock) is the how much, shown beside each; not their prices summed
        stated = [m for p in f.predicates for m in predicate_spec(self.layer, p).get("show", [])]
        if amount and not f.dimensions and not f.grain and not ranking and not stated and not self._of_each() and any(
                texts[k:k + 2] == ["how", "much"] for k in range(len(texts) - 1)):
            # "paid orders: how much (money) is that in total?": the things' amount summed, not a list of them
            table = self.layer.entities[f.subject or ""]["table"]
            f.kind = "aggregate"
            f.measures = [f"sum:{table}.{amount}"]
            f.show = [c for c in f.show if c != f"{table}.{amount}"]
            return
        if self.spans and self.spans[0].text == "who" and f.subject in (None, "products") and not f.measures \
                and not ranking and not f.dimensions and ("activity:sales" in notes or "activity:orders" in notes):
            f.subject = "customers"  # "who bought Makita products": the buyers, not the products bought
        if self.spans and self.spans[0].text == "who" and f.subject in ("orders", None) and not f.measures \
                and not ranking and not f.dimensions and not f.lookup and not f.show and any(
                    self.layer.dimensions[x.field]["column"].startswith("orders.") for x in f.filters
                    if x.field in self.layer.dimensions):
            f.subject = "customers"  # "who returned stuff this year", "who cancelled orders in May": the people
        if f.subject in self.layer.entities and ranking and f.grain and not f.dimensions and f.order_by is None \
                and not f.lookup and not f.show:
            # "in which month of 2025 did web orders peak": the things counted per period, the most first (was a
            # list of them, the ranking and the period dropped)
            f.kind, f.measures, f.order_by = "aggregate", ["count"], "count"
            f.limit = f.limit or (1 if self._singular() else DEFAULT_TOP)
            return
        if f.subject:
            sub_dim = {"customers": "customer", "products": "product"}.get(f.subject)
            f.kind = "list"
            entity = self.layer.entities[f.subject]
            if entity["table"] == "inventory":
                # "which stock records are below the reorder level": each record shows its own quantity and level;
                # the condition's sums over a product's records would not be figures of one record
                f.show = [m for m in f.show if m not in shown_by_condition]
            if f.order_by == "@amount" and not entity.get("amount") and sub_dim:
                f.order_by = None  # "biggest customers": ranked by the default measure below
            sorted_only = f.order_by is not None and f.limit is None and "ranked" not in notes and not any(
                x.first("superlative") or x.first("superlative_attribute") or x.first("ranking") for x in self.spans) \
                and re.search(
                r"\b(?:sort|sorted|ordered|arranged|listed)\s+(?:them\s+|it\s+)?by\b", self.question, re.IGNORECASE)
            if sorted_only:
                # "Garden products sorted by price": every one of them in that order, not a top 10; lowest first
                # unless said otherwise
                if not re.search(r"\b(?:desc|descending|highest|most|largest|biggest|newest|latest)\b", self.question,
                                 re.IGNORECASE):
                    f.direction = "asc"
            elif f.order_by is not None and f.limit is None:
                f.limit = 1 if self._singular() else DEFAULT_TOP
            if f.subject == "orders" and "who" in words and "customers.name" not in f.show:
                f.show.append("customers.name")  # "largest order last month, who placed it"
            if f.order_by is None and ranking and sub_dim:
                default = self.layer.grammar["ranking_default"][f.subject]
                if self._held_not_sold():
                    default = self.layer.grammar.get("ranking_default_held", {}).get(f.subject, default)
                f.kind = "aggregate"
                f.dimensions.append(sub_dim)
                if f.subject == "customers" and words & set(self.layer.grammar["ordering_verbs"]) and not any(
                        x.field in self.layer.dimensions and not self.layer.dimensions[x.field]["column"].startswith(
                            ("orders.", "customers.")) for x in f.filters):
                    # "which customers ordered most last month": ordering most is the most orders (not revenue)
                    f.subject, default = "orders", "count:orders"
                    f.notes.append("count_of:orders")
                if (f.derived or {}).get("kind") == "share" and f.subject == "products":
                    # "which product had the highest return rate": a rate counts the orders each is in, as a rate
                    # per group does (was: the share of units sold, whose own filter leaves the returns out)
                    f.subject, default = "orders", "count"
                f.measures = [default]
                f.order_by = default
                if f.limit is None:
                    # "who was our biggest customer last year?": the one (was every customer, ranked)
                    f.limit = 1 if self._singular() else DEFAULT_TOP
            return
        if f.dimensions:
            self._amount_not_counted()
            f.kind = "aggregate"
            if f.filters or f.predicates or self._how_much():
                subject = self._subject_from_fields()
                if self._how_much_per_group(subject):
                    f.subject = subject
                    return
            f.measures = ["distinct:" + f.dimensions[0]]
            f.dimensions = f.dimensions[1:]
            return
        named = next((n for a in f.show for n, e in self.layer.entities.items() if e["table"] == a.split(".")[0]), None)
        if named and any(n.startswith(("contains:", "starts:")) for n in notes):
            # "look up tracking number DH-123": the things whose named field holds the text
            f.kind, f.subject = "list", named
            return
        if f.filters or f.predicates:
            f.kind = "list"
            f.subject = self._subject_from_fields()
            if f.grain and not ranking:
                f.kind, f.measures = "aggregate", ["count"]  # "returns per month this year": a count per month
            return
        # "What has Rakennus Lindgren Oy ordered": nothing to compute but a name the lake does not hold: not found
        self._missing_names([s for s in self.spans if not s.used and not s.has("stop") and not s.first("slot")])
        raise NotUnderstood("I could not tell what to compute or list", hint="try: " + "; ".join(SUGGESTIONS[:4]))

    def _amount_not_count(self, f: QueryForm) -> None:
        """"how much was refunded for returned orders last month?": "how much" asks for an amount; when no
        amount was placed (only a number of things is left), counting them would answer another question.
        "how much was cancelled in 2025": the things of a lost status (layer lost_statuses) asked "how much" of
        are their worth summed (was a list of them)."""
        texts = [x.text for x in self.spans]
        much = "how much" in texts or any(texts[k:k + 2] == ["how", "much"] for k in range(len(texts)))
        worth = self.layer.entities.get(f.subject or "orders", {}).get("worth")
        lost = set(self.layer.grammar.get("lost_statuses", []))
        status = [x for x in f.filters if x.field == "status"]
        amount = f"{self.layer.entities['orders']['table']}.{worth}" if worth else ""
        # the status is what "how much" is of: "how much (value) was cancelled", not "how much was refunded for
        # returned orders" (a refund is no amount I hold)
        k = next((k for k, t in enumerate(texts) if t == "how much" or texts[k:k + 2] == ["how", "much"]), -1)
        k += 1 if k >= 0 and texts[k] == "how much" else 2
        while 0 < k < len(texts) and texts[k] in self.layer.grammar.get("lost_status_links", []):
            k += 1
        said = 0 < k < len(texts) and texts[k] in self.layer.grammar.get("lost_statuses", []) and any(
            d == "status" for d, _ in self.values_of(self.spans[k]))  # the status itself, not a synonym ("refunded")
        if much and said and worth and f.kind in ("list", "aggregate") and f.measures in ([], ["count"]) \
                and not (f.limit or f.order_by or f.derived or f.compare or f.lookup) and set(f.show) <= {amount} \
                and f.subject in (None, "orders") and len(status) == 1 and status[0].op in ("=", "in") \
                and status[0].values and {str(v) for v in status[0].values} <= lost \
                and not {"many", "how many", "number", "count"} & set(texts):
            f.kind, f.subject, f.measures, f.show = "aggregate", "orders", [f"sum:{amount}"], []
            return
        if f.measures != ["count"]:
            return
        if much and not {"many", "how many", "number", "count"} & set(texts):
            what = self.layer.entities.get(f.subject or "", {}).get("table", "things")
            raise NotUnderstood(f"'how much' asks for an amount, and the question names none I hold; I can count "
                                f"the {what}", field="question",
                                hint="ask 'how many ...' for a count, or name the amount (e.g. 'total value of ...')")

    def _where_is_product(self, f: QueryForm) -> None:
        """"where is the Bosch Garden Hose?", "where can I find ...": a product's place is the warehouses holding
        it (its stock per warehouse, those with some on hand), never its catalog row; asked of several products
        at once ("where are the Bosch products?") it is refused (one row per product and warehouse is not read)."""
        if not self.spans or self.spans[0].text != "where" or f.kind != "list" or f.subject != "products" \
                or f.measures or f.dimensions or f.grain or f.predicates or f.order_by or f.lookup \
                or any(s.text in ("we", "our", "should") for s in self.spans) and not self._we_hold():
            return
        one = [x for x in f.filters if x.field == "product" and x.op == "=" and len(x.values) == 1]
        if len(one) != 1 or len(f.filters) != 1:
            raise NotUnderstood("a product's place is its stock per warehouse: I can show it for one product at a time",
                                hint="e.g. 'where is the <product name>?' or 'stock per warehouse of Bosch products'")
        f.kind, f.measures, f.dimensions, f.show = "aggregate", ["stock"], ["warehouse"], []
        f.filters.append(Filter("stock", ">", [0]))
        for s in self.spans:
            if s.text in self.layer.grammar.get("stock_verbs", []):
                s.used = True  # "where is the X stocked / kept?": what "where" asks

    def _we_hold(self) -> bool:
        """"where do we have / keep / stock the X?": "we" holding it, nothing else said of us."""
        words = [s.text for s in self.spans]
        holding = {"have", "keep", "hold", *self.layer.grammar.get("stock_verbs", [])}
        return words[1:3] == ["do", "we"] and len(words) > 3 and words[3] in holding and \
            not any(w in ("our", "should") for w in words)

    def _kinds_together(self, f: QueryForm) -> None:
        """Two texts looked for in the same field ("a lawn mower and a garden hose"): one row's field never holds
        both. Said of orders or customers with "and", each text on a row of its own of the same thing (the order
        holds both); said of the rows themselves (products) or with "or", a row holding either."""
        either = any(s.text in ("or", "either", "any") for s in self.spans)
        whole = self.layer.entities.get(f.subject or "", {}).get("table")
        for x in f.filters:
            # "how many orders had the X and the Y in them": the orders holding both (each product on a line of
            # its own), not either; a figure of them ("revenue of X and Y") stays the two products' together
            column = self.layer.dimensions.get(x.field, {}).get("column", "")
            if x.op == "in" and self.layer.dimensions.get(x.field, {}).get("entity") and not either and whole \
                    and not column.startswith(whole + ".") and f.subject in ("orders", "customers") \
                    and f.measures in ([], ["count"]) and not f.dimensions and not f.derived and not f.compare \
                    and self._joined_by_and(x):
                x.op = "all of"
        for field in dict.fromkeys(x.field for x in f.filters if x.op == "contains"):
            same = [x for x in f.filters if x.field == field and x.op == "contains"]
            if len(same) < 2:
                continue
            owner = self.layer.dimensions.get(field, {}).get("column", field).split(".")[0]
            own = self.layer.entities.get(f.subject or "", {}).get("table") == owner or any(
                self.layer.dimensions.get(d, {}).get("column", "").startswith(owner + ".") for d in f.dimensions)
            either = own or any(s.text == "or" for s in self.spans)
            first = f.filters.index(same[0])
            f.filters = [x for x in f.filters if x not in same]
            f.filters.insert(first, Filter(field, "contains any" if either else "contains all",
                                           [v for x in same for v in x.values]))
            if not either:  # "orders with both a lawn mower and a garden hose": "both" says the all-of read
                head = str(same[0].values[0]).lower()
                for i, s in enumerate(self.spans):
                    nxt = self.next_content(i)
                    if not s.used and s.has("grammar", "both") and nxt is not None \
                            and head.startswith(nxt[1].text.lower()):
                        s.used = True

    def _joined_by_and(self, x: Filter) -> bool:
        """Whether the values of the filter are said in one list joined by "and" ("the X and the Y")."""
        at = [k for k, s in enumerate(self.spans) if any(d == x.field and v in x.values for d, v in self.values_of(s))]
        if len(at) < 2:
            return False
        between = {s.text for s in self.spans[at[0] + 1:at[-1]]}
        return "and" in between and between <= {"and", ",", "the", "a", "an"} | {
            s.text for k in at for s in [self.spans[k]]}

    def _share_of_dated_condition(self, f: QueryForm) -> None:
        """"share of repeat customers in 2025": the condition counts orders of its own (two or more), which the
        period would date, while a share's whole is dated by the things' own date; refused rather than read as the
        share among customers who signed up in 2025."""
        shared = ((f.derived or {}).get("condition") or {}).get("predicate")
        spec = self.layer.predicates.get(shared or "", {})
        if (f.derived or {}).get("kind") == "share" and spec.get("period_inside") and f.period \
                and f.period_field not in (None, "orders.order_date"):
            raise NotUnderstood(f"a share of {spec['label']} {spec['entity']} within a period: I cannot tell whether "
                                "the period dates their orders or their signup",
                                hint=f"e.g. 'how many {spec['label']} {spec['entity']} in 2025' or 'share of "
                                     f"{spec['label']} {spec['entity']}'")

    def _at_most_counted(self, f: QueryForm) -> None:
        """"how many customers have placed fewer than 3 orders": an upper bound on a count of related things admits
        those with none; a list joins the related rows outer (those with none at 0), but the count of the things
        keeps only those with some, so it is refused rather than answered without the ones that have none."""
        if f.kind != "aggregate":
            return
        for x in f.filters:
            counted = x.field.split(":")[1] if x.field.startswith("count:") else None
            if counted and counted != f.subject and x.op in ("<", "<=") and x.values and float(x.values[0]) > 0:
                plural = self.layer.entities[counted]["plural"] if counted in self.layer.entities else counted
                raise NotUnderstood(f"a count under an upper bound on the number of {plural} would leave out those "
                                    "with none", hint=f"list them instead, e.g. 'customers with fewer than 3 {plural}'")

    def _sold_products_counted(self, f: QueryForm) -> None:
        """"how many different products were sold in October": sold is the glossary's sales, order lines of orders
        not cancelled or returned (was every order line, a product only on cancelled orders counted); "how many sales
        lines", "order lines sold": the lines of those orders."""
        if f.subject in ("products", "order_lines") and f.measures == ["count"] and "activity:sales" in f.notes \
                and not f.filter_on("status") and not f.predicates and not f.derived and "units_sold" in self.layer.measures:
            flt = str(self.layer.measures["units_sold"].get("filter") or "")
            m = re.fullmatch(r"orders\.status NOT IN \(([^)]*)\)", flt)
            if m:
                f.filters.append(Filter("status", "not in", re.findall(r"'([^']+)'", m.group(1))))

    def _counted_per_itself(self, f: QueryForm) -> None:
        """"top 5 customers by revenue" -> "and the number of customers?": a count of things per one of those same
        things is 1 on every row, never what is asked; refused."""
        if f.kind != "aggregate":
            return
        for m in f.measures:
            entity = f.subject if m == "count" else m[6:] if m.startswith("count:") else None
            own = self._own_dimension(entity) if entity in self.layer.entities else None
            if own is not None and own in f.dimensions:
                plural = self.layer.entities[str(entity)]["plural"]
                raise NotUnderstood(f"the number of {plural} per {self.layer.entities[str(entity)]['singular']} is one "
                                    "each: I could not tell what to count",
                                    hint=f"e.g. 'how many {plural} ordered in total' or 'number of orders per "
                                         f"{self.layer.entities[str(entity)]['singular']}'")

    def _amount_not_counted(self) -> None:
        """"order value per channel", "order totals per status": an amount of each thing, per group, is a total
        or an average of it; never the count of the things (that would drop the amount named): refused, asking
        which."""
        amounts = [a for a in self.form.show if a.count(".") == 1 and self.layer.column(a)["type"] in ("INT", "DOUBLE")
                   and self.layer.column(a).get("unit")]
        if amounts:
            label = (self.layer.column(amounts[0]).get("synonyms") or [amounts[0]])[0]
            raise NotUnderstood(f"the {label} per group can be summed or averaged: say which",
                                hint=f"e.g. 'sum of the {label} per ...' or 'average {label} per ...'")

    def _of_each(self) -> bool:
        """"how much stock is left of each", "Garden products: how much stock does each have": "each" at the end
        (after "of", or as the subject of a last "have") is each of the things named."""
        texts = [s.text for s in self.spans]
        # "Bosch products in Vantaa: how many of each on hand?": the figure's own words after "of each"
        figure_after = len(texts) > 2 and texts[-3:-1] == ["of", "each"] and self.spans[-1].first("measure") is not None
        return len(texts) > 1 and texts[-2:] == ["of", "each"] or len(texts) > 2 and texts[-3] in ("does", "do") \
            and texts[-2] == "each" and texts[-1] in ("have", "hold", "carry") or figure_after

    def _asks_aggregate(self) -> bool:
        """Whether a word asks for one figure over the things ("how much", "total", "average"); "whose total
        stock" and "50 units total" are each one's own figure; "how much stock is left of each": "of each" at the
        end is each of the things named, so "how much"/"how many" asks each one's figure."""
        of_each = self._of_each()
        for k, s in enumerate(self.spans):
            if of_each and set(s.text.split()) & {"much", "many"} and not set(s.text.split()) & {"total", "sum"}:
                continue
            prev = self.spans[k - 1] if k > 0 else None
            if s.text in ("total", "sum") and prev is not None and (
                    prev.text in ("whose", "their", "its") or prev.first("number") or prev.first("measure")):
                continue
            if s.first("predicate") and len(s.text.split()) > 1:
                continue  # "at or below the total reorder level": the condition's own words, each thing's total
            if set(s.text.split()) & {"much", "many", "total", "sum", "average", "avg", "number", "count", "overall",
                                      "combined", "altogether", "mean", "median"}:
                return True
        return False

    def _attribute_ranked_per_group(self, f: QueryForm) -> bool:
        """"the cheapest product in each category", "newest customer in each country", "largest order per
        channel": a superlative of the things' own field (price, date, amount), said with "each"/"per", picks
        the ranked ones inside every group: a list ranked in each group (was one thing overall, or the groups
        ranked by a default measure)."""
        each = [n.split(":", 1)[1] for n in f.notes if n.startswith("each:")]
        entity = self.layer.entities.get(f.subject or "")
        if entity is None or not each or f.kind != "aggregate" or f.measures or f.derived or f.compare or f.grain \
                or f.lookup or f.within or sorted(f.dimensions) != sorted(set(each)) or f.order_by is None:
            return False
        if f.order_by in self.layer.measures or (f.order_by == "@amount" and not entity.get("amount")):
            return False  # "biggest customer per country": ranked by a measure, answered by _per_group
        tied = self._tied_tables(entity["table"])
        columns = [self.layer.dimensions[d]["column"] for d in f.dimensions]
        if any(c.split(".")[0] not in tied for c in columns):
            return False  # a group the thing has many of (a product's warehouses) would repeat it
        singular = any(n.startswith(f"ranked_one:{entity['table']}:") for n in f.notes)
        f.kind, f.per_group, f.dimensions = "list", list(f.dimensions), []
        f.show += [c for c in columns if c not in f.show]
        f.limit = f.limit or (1 if singular else DEFAULT_TOP)
        return True

    def _per_group(self, f: QueryForm, explicit_limit: int | None) -> None:
        """"top category by revenue in each country", "best-selling product per category": a ranking
        with a grouping said with "each"/"per" ranks inside every group of it."""
        each = [n.split(":", 1)[1] for n in f.notes if n.startswith("each:")]
        within = [d for d in each if d in f.dimensions]
        if f.kind != "aggregate" or not within or not (f.order_by or "ranked" in f.notes) or f.derived:
            return
        ranked = [d for d in f.dimensions if d not in within]
        sub_dim = {"customers": "customer", "products": "product"}.get(f.subject or "")
        if not ranked and sub_dim:
            ranked = [sub_dim]
            f.dimensions.append(sub_dim)
        if not ranked:
            return
        if explicit_limit is None:
            # the ranked noun's number: "the best-selling product" is one per group, "top products" ten
            nouns = [s for s in self.spans if s.has("dimension", ranked[0]) or (
                s.first("entity") and {"customers": "customer", "products": "product"}.get(s.arg("entity")) == ranked[0])]
            f.limit = 1 if nouns and not nouns[0].text.endswith("s") else DEFAULT_TOP
        f.order_by = f.order_by if f.order_by and not f.order_by.startswith("@") else (f.measures[0] if f.measures else None)
        f.per_group = within

    def _ordered_most(self, f: QueryForm) -> None:
        """"which customers ordered most and how much did they spend": a verb of ordering right before the
        superlative ranks by the number of orders; a ranking by another figure would answer another question,
        so it is refused (the order count ranking alone is answered)."""
        verbs = set(self.layer.grammar["ordering_verbs"])
        for k, s in enumerate(self.spans[:-1]):
            nxt = self.next_content(k)
            named = (nxt[0] + 1, self.spans[nxt[0] + 1]) if nxt is not None and nxt[0] + 1 < len(self.spans) else None
            revenue_ranked = any(self.layer.grammar["ranking_default"].get(d) == "revenue" for d in f.dimensions) or \
                "customer" in f.dimensions
            if s.text in verbs and nxt is not None and nxt[1].first("superlative") and f.order_by and \
                    not f.order_by.startswith("count") and f.order_by in self.layer.measures and revenue_ranked and \
                    not (named is not None and (named[1].first("measure") or named[1].first("entity"))):
                raise NotUnderstood("'ordered most' ranks by the number of orders, beside another figure I could not "
                                    "rank by it", hint="e.g. 'which customers placed the most orders' and ask the "
                                                       "other figure on its own")

    def _which_per_scope(self, f: QueryForm) -> None:
        """"which products are below the reorder level per warehouse / in which warehouse": the things asked
        with "which" are listed, each with the place (the layer's ``scoped_by`` of the condition stated) where the
        condition holds, one row per thing and place (was: a count per place, which names no thing)."""
        if f.kind != "aggregate" or len(f.dimensions) != 1 or f.order_by or f.limit:
            return
        dim = f.dimensions[0]
        scoped = [p for p in f.predicates if self.layer.predicates.get(p, {}).get("scoped_by") == dim]
        if not scoped:
            return
        # "Lighting products at or below reorder level - product, warehouse, on hand": the thing's own noun and the
        # place named in a list of columns (commas) beside the figures the condition shows, one row per thing and
        # place (was: the stock summed per warehouse, no product named)
        own = self.layer.entities.get(f.subject or "", {}).get("singular")
        columns = f.measures and set(f.measures) <= {m for p in scoped for m in self.layer.predicates[p].get("show", [])} \
            and re.search(rf"\b{own}\s*,\s*{re.escape(dim)}\s*(?:,|\band\b)", self.question, re.IGNORECASE)
        if f.measures != ["count"] and not columns:
            return
        if not columns and not any(x.has("entity", f.subject or "") and self._is_which(k) for k, x in enumerate(self.spans)):
            return  # "how many products are below the reorder level per warehouse": the count is asked
        column = self.layer.dimensions[dim]["column"]
        f.kind, f.measures = "list", []
        if column not in f.show:
            f.show.append(column)

    def _counted_where(self, f: QueryForm) -> None:
        """"total shortfall of Kitchen products": a figure that exists only under a condition (the layer's
        ``counted_where``: a shortfall only where stock is below the reorder level) summed over many things counts
        only those meeting it, unless the question states that condition or one it is shown with (else the
        surplus of the others makes the total negative). One product's own figure is left as asked."""
        if f.kind != "aggregate" or f.lookup or "product" in f.dimensions or f.filter_on("product"):
            return
        for m in f.measures:
            spec = self.layer.measures.get(m, {})
            cond = spec.get("counted_where")
            if cond and cond not in f.predicates and not set(spec.get("shown_with", [])) & set(f.predicates):
                f.predicates.append(cond)

    def _no_such_orders(self, f: QueryForm) -> None:
        """"customers with no delivered order", "... but have no delivered order": none of their orders in that
        state (a condition on all their orders), which the conditions on one order cannot say: refused."""
        if f.subject != "customers":
            return
        for k, s in enumerate(self.spans[:-2]):
            if s.text not in ("no", "without") or not s.has("grammar", "negation"):
                continue
            j = k + 1
            while j < len(self.spans) and self.spans[j].text in ("a", "an", "any"):
                j += 1
            if j + 1 < len(self.spans) and self.values_of(self.spans[j]) and self.spans[j + 1].has("entity", "orders"):
                raise NotUnderstood(f"customers with no {self.spans[j].text} order (none of their orders so) is not "
                                    "a condition I can state", hint="e.g. 'customers with a "
                                    f"{self.spans[j].text} order' or 'customers who never ordered'")

    def _how_much(self) -> bool:
        texts = [x.text for x in self.spans]
        return any(texts[k:k + 2] == ["how", "much"] for k in range(len(texts) - 1)) and "many" not in texts

    def _how_much_per_group(self, subject: str) -> bool:
        """"how much was cancelled per channel": "how much" of things named by a condition, per group, is their
        amount summed in each group (not a count of them); with no condition it is refused (revenue or a total
        of every order's amount would both be guesses)."""
        f = self.form
        entity = self.layer.entities[subject]
        amount = entity.get("amount") if entity.get("period") else None  # (a price summed is no figure)
        if not amount or not self._how_much() or f.compare or f.derived:
            return False
        if not (f.filters or f.predicates):
            raise NotUnderstood("'how much' per group: say which figure (a total amount, revenue or a count)",
                                hint="e.g. 'revenue per channel' or 'number of orders per channel'")
        f.measures = [f"sum:{self.layer.entities[subject]['table']}.{amount}"]
        return True

    def _subject_from_fields(self) -> str:
        f = self.form
        for p in f.predicates:
            return predicate_spec(self.layer, p)["entity"]
        for x in f.filters:
            if x.field in self.layer.dimensions:
                table = self.layer.dimensions[x.field]["column"].split(".")[0]
            else:
                table = x.field.split(".")[0]
            for name, e in self.layer.entities.items():
                if e["table"] == table:
                    return name
            if table == "inventory":
                return "products"
        return "orders"

    def _what_sells_best(self) -> bool:
        """"what sells best with X", "what's it most often bought with": "what" with a verb in the singular
        and a superlative asks for the one thing ranked first ("what is usually bought with X", no
        superlative, lists them)."""
        words = [s.text for s in self.spans]
        for k, w in enumerate(words[:-1]):
            if w == "what" and words[k + 1] in ("is", "sells", "goes", "'s", "s"):
                rest = self.spans[k + 2:]
                return any(s.text in ("best", "most") or s.text.startswith("most ") or s.first("superlative")
                           for s in rest)
        return False

    def _one_of_them(self) -> bool:
        """"which of those brands is the biggest?": "which of" the plural things, then "is"/"was", asks for one of
        them (was: the plural noun read as asking for all of them, every brand ranked)."""
        words = [s.text for s in self.spans]
        return any(words[k:k + 2] == ["which", "of"] and {"is", "was"} & set(words[k + 2:k + 6])
                   for k in range(len(words)))

    def _every_group_asked(self, f: QueryForm) -> None:
        """"break it down for all three channels, as % of the total" after the top channel: "all (N) <groups>" of
        the previous grouping asks every group, so the previous top N is dropped (was: the top one's share of the
        total, or refused on the number)."""
        if not f.limit or len(f.dimensions) != 1 or f.grain or f.per_group or any(
                x.text in ("together", "combined", "altogether", "overall", "in total") for x in self.spans):
            return  # "all carriers combined": one figure of them all, not each
        for k, s in enumerate(self.spans):
            if not s.has("dimension", f.dimensions[0]) or not s.text.endswith("s") or k == 0:
                continue
            j = k - 1
            counted = self.spans[j] if self.spans[j].first("number") is not None else None
            if counted is not None:
                j -= 1
            if j < 0 or not set(self.spans[j].text.split()) & {"all", "every"}:
                continue
            said = self.spans[j].text.split()[:-1] or ([self.spans[j - 1].text] if j > 0 else [])
            if not set(said) & {"for", "across", "over"}:
                continue  # "forget the category, all products": the condition dropped, the top N kept
            f.limit, f.offset = None, 0
            for x in (s, self.spans[j], *([counted] if counted is not None else [])):
                x.used = True
            return

    def _singular(self) -> bool:
        if self.pointer_one:
            return True
        if any(a.text == "which" and b.text == "one" for a, b in zip(self.spans, self.spans[1:], strict=False)):
            return True  # "which one sold the most units"
        if any(a.text == "which" and b.text in ("is", "was", "has") for a, b in zip(self.spans, self.spans[1:], strict=False)) \
                and any(s.first("superlative") or s.first("superlative_attribute") or s.first("ranking") for s in self.spans):
            return True  # "among the low-stock products, which is the most expensive": one thing (was: the top 10)
        if [s.text for s in self.spans[:2]] in (["what", "is"], ["who", "is"]) and any(
                s.first("superlative") or s.first("ranking") for s in self.spans):
            return True  # "what's selling best": one thing asked
        if [s.text for s in self.spans[:1]] == ["who"] and len(self.spans) > 1 and self.spans[1].text not in (
                "are", "were", "have", "do") and any(s.first("superlative") or s.first("ranking") for s in self.spans):
            return True  # "who bought the most drills this year": one person asked, as "who is our top customer"
        rankings = self.layer.grammar["ranking_measures"]
        if any(s.first("ranking") and s.text + "s" in rankings for s in self.spans):
            return True  # "the best seller" (of "best sellers"): one thing ranked
        for k, s in enumerate(self.spans):
            if k > 0 and self.spans[k - 1].text in ("their", "with their"):
                continue  # "which customers spent the most and what is their city": a column of each, not one thing
            ent = s.first("entity")
            if ent and not s.text.endswith("s") and s.text not in ("sales", "inventory"):
                return True  # "which product", "most recent signup"
            if self.values_of(s) and not s.text.endswith("s") and k > 0 and self.spans[k - 1].text in ("which", "what"):
                return True  # "which consumer in Stockholm"
            if s.first("dimension") and not s.text.endswith("s") and s.text not in ("status",):
                return True
            if s.first("grain") and not s.text.endswith("s") and self._is_which(self.spans.index(s)):
                return True  # "which day had the most orders"
        return False

    # ----- follow-ups
    def _every_of_one_value(self, context: QueryForm, i: int) -> bool:
        """"now for every segment" after revenue from consumer customers: every value of the one named before, so
        that condition goes and nothing is split (as "all segments"; "for each" / "by segment" still split)."""
        nxt = self.next_content(i)
        if self.spans[i].text != "for every" or nxt is None or nxt[0] != i + 1 or not nxt[1].first("dimension") \
                or self.values_of(nxt[1]):
            return False
        dim = nxt[1].arg("dimension")
        return dim not in context.dimensions and any(
            x.field == dim and x.op == "=" and len(x.values) == 1 for x in context.filters)

    def _merge(self, context: QueryForm) -> QueryForm:
        relative_to_previous(self, context)
        merge_verbs(self)
        unknown_value(self, context)
        for pointing_back in (that_one_ranked, figure_of_the_one_answered, every_group_of_the_ranked, about_previous, negate_previous, drop_period, ranked_in_another_period,
                              column_of_the_ranked, counted_of_the_ranked, change_number, count_previous, resort,
                              total_of_previous, best_of_the_top, related_of_previous):
            pointed = pointing_back(self, context)
            if pointed is not None:
                return pointed
        new = self.form
        if not new.measures and new.subject and (new.derived or {}).get("kind") == "share" \
                and (context.derived or {}).get("kind") == "share" and not any(
                    m.startswith("count") for m in context.measures) and any(
                s.has("grammar", "share") and [t.text for t in self.spans[i + 1:i + 2]] == ["of"]
                and any(t.has("entity", new.subject) for t in self.spans[i + 2:i + 4])
                for i, s in enumerate(self.spans)):
            # "what about the share of orders for web" after the web's share of revenue: the things named after
            # "share of" counted, as asked alone (was: the share of revenue again)
            new.measures = ["count"]
        if new.order_by and new.limit is None and any(
                a.text == "which" and b.text == "one" for a, b in zip(self.spans, self.spans[1:], strict=False)):
            new.limit = 1  # "which one had the most late deliveries?" after carriers: one of them, as "which carrier"
        ranking_said = [s for s in self.spans if s.first("ranking") or s.first("measure")]
        ranked_by, shown_figure = new.order_by, (context.measures[0] if len(context.measures) == 1 else None)
        measure_specs = self.layer.measures
        if len(ranking_said) == 1 and ranking_said[0].first("ranking") \
                and ranking_said[0].text in self.layer.grammar.get("ranking_measures", {}) \
                and context.kind == "aggregate" and context.dimensions and shown_figure and ranked_by \
                and ranked_by != shown_figure and ranked_by in measure_specs and shown_figure in measure_specs \
                and measure_specs[ranked_by].get("filter") and all(
                    measure_specs[ranked_by].get(k) == measure_specs[shown_figure].get(k) for k in ("filter", "entity")):
            # "which category sold the most?" after sales by category: a ranking said by its verb alone ranks the
            # figure shown of the same rows (sales), not the verb's own default figure (units sold)
            new.measures = [shown_figure if m == ranked_by else m for m in new.measures]
            new.order_by = shown_figure
        opening = next((s for s in self.spans if not s.has("stop")), None)
        if opening is not None and not opening.used and opening.text in ("add", "plus") and not opening.senses[1:] \
                and context.kind == "list" and (new.measures or new.show):
            # "add their stock value at price", "plus units sold" after a list: the figure shown beside each listed
            # one, as "also show" (was: refused, 'add' not placed)
            opening.used = True
        table = self.layer.entities.get(context.subject or "", {}).get("table")
        if not new.measures and len(new.show) == 1 and new.show[0].split(".")[0] == table and context.kind == "aggregate" \
                and context.measures == ["count"] and not (context.derived or context.compare or context.limit) \
                and self.layer.column(new.show[0]).get("unit") and points_back(self.spans) \
                and any("total" in x.text.split() for x in self.spans):
            # "and their total amount?" after orders counted per status: the amount of the counted things summed
            new.measures, new.show = [f"sum:{new.show[0]}"], []
        within = within_top(self, context, new)
        f = copy.deepcopy(context)
        f.notes = [n for n in f.notes if n.startswith(("contains:", "starts:", "activity:"))]
        self._every_group_asked(f)
        family = set(self.layer.grammar.get("valued_at", {}).values())
        for s in self.spans:
            if not s.used and s.first("valued_at") and not new.measures and any(m in family for m in f.measures):
                # "and at selling price?" after the stock's value at cost: the same value, the valuation named
                named = str(s.arg("valued_at"))
                f.measures = [named if m in family else m for m in f.measures]
                f.order_by = named if f.order_by in family else f.order_by
                s.used = True
            elif not s.used and s.first("valued_at") and not new.measures:
                # "and what's it worth at cost?" after the stock: the figure the valuation values (layer
                # "values"), in money; said with "worth" / "value"
                named = str(s.arg("valued_at"))
                base = self.layer.measures.get(named, {}).get("values")
                worth = [w for w in self.spans if w.text in ("worth", "value", "valued")]
                if base in f.measures and worth:
                    f.measures = [named if m == base else m for m in f.measures]
                    f.order_by = named if f.order_by == base else f.order_by
                    for w in [s, *worth]:
                        w.used = True
        texts = [s.text for s in self.spans]
        picking = texts[:1] in (["which"], ["who"]) and texts[1:2] == ["of"]  # "which of those went with DHL?"
        if counted(context) and not new.measures and not new.dimensions and not new.order_by and not new.limit \
                and ({s.text for s in self.spans} & {"list", "show"} or picking):
            # "list the business ones" after a count: the counted things listed, the new condition kept
            f.kind, f.measures, f.limit, f.order_by = "list", [], None, None
        elif context.kind == "aggregate" and context.measures in (["count"], [f"count:{context.subject}"]) \
                and len(context.dimensions) == 1 and context.subject \
                and not (context.grain or context.compare or context.derived) \
                and not (new.measures or new.dimensions or new.order_by or new.limit or new.derived) \
                and any(x.field == context.dimensions[0] and x.op in ("=", "in") for x in new.filters) \
                and ({s.text for s in self.spans} & {"list", "show"} or picking or any(
                    s.first("entity") and self._is_which(k) for k, s in enumerate(self.spans))):
            # "just the b2b ones - list them" after open orders by channel, "only Bring - which orders were
            # those?" after late deliveries by carrier: the counted things of that group listed (also after the
            # top one: "ok Vantaa then, which products there are low on stock?" after the warehouse with most)
            f.kind, f.measures, f.dimensions, f.limit, f.order_by = "list", [], [], None, None
            f.subject = new.subject or f.subject
            f.show += [c for c in new.show if c not in f.show]  # "... list them with the customer name"
        elif counted(context) and new.order_by and new.order_by.startswith("@") and not new.measures \
                and not new.dimensions:
            # "what's the most recent one?" after a count: the counted things, ranked on their own date or amount
            f.kind, f.measures = "list", []
        elliptic = elliptic_count(self)
        if new.measures == ["count"] and not new.subject and context.kind == "aggregate" and len(context.measures) == 1 \
                and self.layer.measures.get(context.measures[0], {}).get("unit") == "units" \
                and "count:sold" not in new.notes and not any(s.first("entity") for s in self.spans) \
                and any(s.text == "how many" for s in self.spans):
            # "how many across all warehouses?" after a product's stock: "how many" names no thing, so it asks the
            # previous figure, itself a number of units (was: the orders of the product counted)
            new.measures = list(context.measures)
        if elliptic and "count:sold" in new.notes and new.measures == ["count"] and context.kind == "aggregate" \
                and context.subject in (None, "products") and (context.subject == "products" or "product" in (
                    *context.dimensions, *(x.field for x in context.filters))):
            # "and how many did we sell?" after a product's stock: its units sold, as "how many X did we sell"
            new.measures, new.subject = ["units_sold"], None
        bare = [s for s in self.spans if not s.has("grammar", "followup") and not all(x[0] == "stop" for x in s.senses)]
        if not new.measures and context.kind == "aggregate" and context.measures == ["count"] and context.subject \
                and len(bare) == 1 and bare[0].first("entity") is not None \
                and bare[0].arg("entity") != context.subject and bare[0].text.endswith("s"):
            # "and distinct orders?" after a count of order lines per category: the other things counted
            f.subject = str(bare[0].arg("entity"))
            bare[0].used = True
        if new.measures == ["count"] and context.kind == "list" and not context.limit:
            # "and how many orders have they placed?" after a list of customers: counted, not listed;
            # "how many came from business customers?" names no thing counted: the listed ones
            f.kind, f.measures, f.show, f.order_by = "aggregate", ["count"], [], None
            # "how many of them went to customers in Sweden?": the listed things counted, the thing named after
            # them a condition on them (not the thing counted)
            f.subject = (None if elliptic or of_them_counted(self) else new.subject) or f.subject
            each = [s for i, s in enumerate(self.spans) if s.text == "each" and not s.used
                    and [t.text for t in self.spans[i + 1:i + 3]] in (["of", "them"], ["of", "those"], ["of", "these"])]
            own = {"customers": "customer", "products": "product"}.get(context.subject or "")
            if each and own and f.subject != context.subject:
                # "how many orders did each of them place?" after listed customers: counted per customer
                f.dimensions = [own]
                each[0].used = True
        elif new.measures and context.kind == "list":
            if new.measures == ["count"] and new.subject == "orders" and context.subject == "customers" \
                    and context.limit == 1 and not context.lookup and points_back(self.spans) and len(self.periods) <= 1:
                # "how many orders have they placed?" after the newest customer: the orders of the customer(s)
                # ranked as answered, counted (every status, as "how many orders did customer 7 place")
                return QueryForm(kind="aggregate", subject="orders", measures=["count"],
                                 filters=[Filter("orders.customer_id", "=", [PREVIOUS_ROWS])],
                                 period=self.periods[0] if self.periods else None,
                                 within=copy.deepcopy(context).to_dict())
            key = self.layer.entities.get(context.subject or "", {}).get("key")
            if new.measures == ["count"] and "count:sold" in new.notes and context.subject == "products" \
                    and context.limit and key and points_back(self.spans) and len(self.periods) <= 1 \
                    and "units_sold" in self.layer.measures:
                # "how many of it did we sell this year?" after the most expensive product: the units sold of the
                # product(s) listed as answered, in the period named
                return QueryForm(kind="aggregate", measures=["units_sold"], dimensions=["product"],
                                 filters=[Filter(f"products.{key}", "=", [PREVIOUS_ROWS])],
                                 period=self.periods[0] if self.periods else None,
                                 within=copy.deepcopy(context).to_dict())
            if any(m.startswith("count") for m in new.measures):
                # "how many did we sell?" after the cheapest product: no count stands beside listed rows
                raise NotUnderstood(f"I could not tell what to count beside the previous answer's rows ("
                                    f"{previous_words(context, self.layer)})",
                                    hint="e.g. 'units sold of it in 2025', 'how many are there?'")
            # "what about margin?" after a list: a column beside the listed things
            f.show += [m for m in new.measures if not m.startswith("count") and m not in f.show]
            for k, s in enumerate(self.spans):
                nxt = self.next_content(k)
                if not s.used and (s.text == "for each" or s.text == "each" and k > 0 and self.spans[k - 1].text == "of") \
                        and (nxt is None or not (nxt[1].first("dimension") or nxt[1].first("entity"))):
                    # "how many units of each did we sell last month?" after products listed: each listed one's
                    # own figure, one with none shown as 0 (was: 'each' not placed, refused)
                    s.used = True
                    if "zero_included" not in f.notes:
                        f.notes.append("zero_included")
            if f.subject == "products" and any(c.startswith("order_items.") for c in f.show) and any(
                    self.layer.measures.get(m, {}).get("entity") == "products" for m in new.measures):
                # "how much stock do we have of those products?" after an order's lines: one row per product
                # with its figure (a product on two lines would be listed, and its stock shown, twice)
                f.show = [c for c in f.show if not c.startswith("order_items.")]
        elif new.measures:
            f.measures = [m for m in new.measures if m != "count"] or new.measures
            if counted(context) and new.measures == ["count"] and new.subject and new.subject != context.subject \
                    and not new.dimensions and points_back(self.spans) and not of_them_counted(self):
                # "and how many orders was that?" after how many customers ordered on the web: the same conditions,
                # the other things counted
                f.subject = new.subject
            elif new.measures == ["count"] and new.subject and not new.dimensions \
                    and (context.subject is None or context.kind == "aggregate" and not context.dimensions
                         and new.subject != context.subject) \
                    and not any(m.startswith("count") for m in context.measures) \
                    and {"customers": "customer", "products": "product"}.get(new.subject) not in context.dimensions:
                # "what about the number of customers?" after revenue by country: those things counted under
                # the same conditions (never the orders, the default of a count that names no thing); "how many
                # orders had Makita items" after Makita's units sold: a figure's noun (products) was no thing
                # counted, so the things named now are (was: the products counted)
                f.subject = new.subject
            if new.subject and f.subject and new.subject != f.subject and (f.dimensions or f.lookup):
                # "top customers by revenue" -> "and the number of orders?": orders counted per customer,
                # never the customers counted per customer (one each)
                f.measures = [f"count:{new.subject}" if m == "count" else m for m in f.measures]
                if context.limit and context.order_by in context.measures:
                    # the same top ones, their count beside: a new ranking could name other customers
                    f.measures = [*context.measures, *(m for m in f.measures if m not in context.measures)]
            if f.order_by and f.order_by not in ("count",) and f.order_by in context.measures:
                f.order_by = f.measures[0]
            if of_the_ranked(self, context) and not new.order_by:
                # "how much stock do they have?" after a top 5: the same top ones, the new figure beside
                # (ranking by it could name others); a count of the subject is already there as count:<subject>
                had = {f"count:{context.subject}" if m == "count" else m for m in context.measures}
                f.measures = [*context.measures, *(m for m in f.measures
                                                   if (f"count:{f.subject}" if m == "count" else m) not in had)]
                f.order_by = context.order_by
                for k, s in enumerate(self.spans):
                    left_of, right_of = self.prev_content(k), self.next_content(k)
                    if s.used:
                        continue
                    if s.has("grammar", "adding"):
                        s.used = True  # "units sold for those products as well": beside, as said
                    elif s.text == "each" and [t.text for t in self.spans[k + 1:k + 3]] in (
                            ["of", "them"], ["of", "those"], ["of", "these"]):
                        s.used = True  # "how many orders did each of them place?": one figure per ranked one
                    elif s.text.isdigit() and int(s.text) == context.limit and (left_of is not None and left_of[1].text in (
                            "those", "these", "same", "the same") or k > 0 and self.spans[k - 1].text in ("those", "these")) \
                            and right_of is not None \
                            and (right_of[1].first("entity") and right_of[1].arg("entity") == context.subject
                                 or right_of[1].first("dimension") and right_of[1].arg("dimension") in context.dimensions):
                        s.used = True  # "those same five products": the N ranked, as many as there were
                measures = self.layer.measures
                for m in f.measures[len(context.measures):]:
                    row_filter = measures.get(m, {}).get("filter")
                    if row_filter and not all(measures.get(c, {}).get("filter") == row_filter for c in context.measures):
                        # "and their revenue?" after the top 3 by number of orders: revenue's own condition (no
                        # cancelled or returned orders) would recount the ranking, so the top ones could change
                        raise NotUnderstood(
                            f"their {str(measures[m].get('label', m)).lower()} cannot be put beside that ranking: it counts other "
                            f"rows than the ranking did, so the top ones could change ({previous_words(context, self.layer)})",
                            hint="ask for the ranking by that figure, or for the figure of the ones named")
            dated = {e["table"]: e.get("period") for e in self.layer.entities.values()}
            undated = all(m in self.layer.measures and all(
                t in dated and not dated[t] for t in re.findall(r"\b([a-z_]+)\.", str(self.layer.measures[m].get("sql", "x.")))
            ) for m in f.measures)
            if undated and f.period and not self.periods and not f.grain and not f.compare_period and not f.derived:
                # "and the average margin of the products in each category?" after revenue this year: a figure of
                # the catalog has no date, so the previous figure's period does not apply to it (the answer
                # names no period)
                f.period, f.period_field = None, None
            f.derived = new.derived or (context.derived if context.derived and context.derived.get("kind") == "share"
                                        and not context.derived.get("condition") else None)
        # "same for brands": the new grouping replaces the old one of the same role; a dimension
        # named to be dropped ("forget the category") is no new grouping
        dropped = set()
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            if (s.has("grammar", "drop_filter") and s.text not in ("all", "any", "every") or
                    self._every_of_one_value(context, i)) and nxt is not None and nxt[1].first("dimension"):
                dropped.add(nxt[1].arg("dimension"))
        # "and their categories?": a column named bare describes the ranked ones (a dimension of their table)
        shown = [d for d, spec in self.layer.dimensions.items() if spec.get("column") in new.show]
        # "do it by brand instead" after the top 5 products: "instead" replaces the grouping, even with a
        # pointer ("it") at the ranked ones (was: the brand beside each product)
        instead = any(s.text == "instead" for s in self.spans)
        beside = [d for d in [*new.dimensions, *shown]
                  if d not in dropped and d not in f.dimensions and not instead and of_the_ranked(self, context, d)]
        regrouped = [d for d in new.dimensions if d not in dropped]
        adding = bool(regrouped or new.grain) and adds_grouping(self)
        if beside:
            f.dimensions += beside  # "what city are they in?" after a top 3 customers: the city beside each
        elif regrouped:
            if adding:
                f.dimensions += [d for d in regrouped if d not in f.dimensions]  # "split that by channel too"
            else:
                f.dimensions = regrouped
                f.grain = None  # "by country instead": no longer per month (a grain named beside is set below)
            if context.kind == "list" and not context.limit and not new.measures and f.kind == "list" \
                    and ({"by", "per"} & set(texts) or any(s.has("grammar", "group_by") for s in self.spans)):
                # "break that down by channel", "by which carriers?" after a list: the listed rows counted per
                # group (a list has no groups: the grouping was dropped and the same rows listed again);
                # "which brands are they?" names a column beside each row instead; "per warehouse" after the
                # discontinued products with their stock: the figure shown beside them summed per group
                figures = [c for c in context.show if c in self.layer.measures]
                f.kind, f.measures, f.show, f.order_by = "aggregate", figures or ["count"], [], None
        for d in regrouped:
            if not any(x.field == d for x in new.filters):
                # "and by carrier?" after DHL's late shipments: every carrier, one row each (was: the one
                # carrier named before, grouped into one row); two or more values named stay ("Finland and Sweden")
                f.filters = [x for x in f.filters if not (x.field == d and x.op == "=" and len(x.values) == 1)]
        if new.grain:
            f.grain = new.grain
            if not adding and not regrouped and not beside:
                f.dimensions = []  # "now by month": the months replace the previous groups
        key = f"{new.lookup['entity']}_id" if new.lookup else None
        bare_units = any(s.text == "units" and s.first("measure") for s in self.spans)
        including = [s for s in self.spans if not s.used and (s.text in INCLUDING or s.has("grammar", "adding"))]
        for flt in new.filters:
            unit = self.layer.measures.get(flt.field, {}).get("unit")
            if bare_units and unit and any(
                    x.field != flt.field and x.op == flt.op and x.values == flt.values
                    and self.layer.measures.get(x.field, {}).get("unit") == unit for x in context.filters):
                continue  # "and all products under 100 units" after stock under 100 units: that bound said again
            if key and flt.field.endswith("." + key):
                # "and order 43?": the same question about another id, whichever table held the id
                same = [x for x in f.filters if x.field.endswith("." + key)]
                for x in same:
                    x.values = list(flt.values)
                if same:
                    continue
            kept = next((x for x in f.filters if x.field == flt.field and x.op in ("=", "in")), None)
            if including and kept is not None and flt.op in ("=", "in") and not set(flt.values) <= set(kept.values):
                # "include consumers too" after business customers' revenue: both values now, not the new one in
                # place of the old (was: refused, 'include' not placed)
                kept.op, kept.values = "in", list(dict.fromkeys([*kept.values, *flt.values]))
                for said in [*including, *(y for y in self.spans if y.text in ("too", "also", "as well"))]:
                    said.used = True
                continue
            left_out = next((x for x in f.filters if x.field == flt.field and x.op in ("not in", "!=")), None)
            if including and left_out is not None and flt.op in ("=", "in") and set(flt.values) <= set(left_out.values):
                # "include the cancelled ones too" after orders excluding cancelled: those values no longer left out
                # (was: refused, and the new value read as the only one)
                left_out.values = [v for v in left_out.values if v not in flt.values]
                if not left_out.values:
                    f.filters = [x for x in f.filters if x is not left_out]
                for said in [*including, *(y for y in self.spans if y.text in ("too", "also", "as well"))]:
                    said.used = True
                continue
            f.filters = [x for x in f.filters if x.field != flt.field]
            f.filters.append(flt)
            if f.compare and f.compare["dimension"] == flt.field and flt.op == "in" and len(flt.values) > 1:
                f.compare = {**f.compare, "values": list(flt.values)}  # "what about Denmark and Estonia?": compared
            elif f.compare and f.compare["dimension"] == flt.field:
                f.compare = None
                f.dimensions = [d for d in f.dimensions if d != flt.field]
        for k, s in enumerate(self.spans[:-2]):
            if s.first("predicate") and [x.text for x in self.spans[k + 1:k + 3]] == ["or", "not"]:
                # "active or not": the condition and its complement together are every one, so neither stays
                named = str(s.arg("predicate"))
                f.predicates = [q for q in f.predicates if not same_columns(self.layer, named, q)]
                new.predicates = [q for q in new.predicates if q != named]
                for said in self.spans[k:k + 3]:
                    said.used = True
        for p in new.predicates:
            together = [q for q in f.predicates if complementary(self.layer, p, q)]
            if together and including and p not in f.predicates:
                # "including inactive ones", "and the inactive ones too" after active products: a condition and
                # its complement together are every row, so neither stays
                f.predicates = [q for q in f.predicates if q not in together]
                for s in including:
                    s.used = True
                continue
            if p not in f.predicates:
                # "and inactive?" after "active products": a condition on the same columns replaces the old one;
                # never one said in the same follow-up ("how many of them were delivered late": late and
                # delivered together; was: the second replaced the first)
                f.predicates = [q for q in f.predicates if q in new.predicates or not same_columns(self.layer, p, q)]
                f.predicates.append(p)
        if new.limit:
            f.limit = new.limit
        elif new.order_by and ({s.text for s in self.spans} & {"which", "who", "one"} or the_superlative(self.spans)) \
                and (not any((s.first("entity") or s.first("dimension")) and s.text.endswith("s") for s in self.spans)
                     or self._one_of_them()):
            f.limit = 1  # "which of those spent the most?", "and the slowest?": one of them
        elif new.order_by and f.kind == "list" and new.order_by not in self.layer.measures and self._singular():
            f.limit = 1  # "when did they last order?": their one latest order, as asked without a context
        elif context.limit == 1 and new.measures and new.dimensions and new.dimensions == context.dimensions and \
                not new.order_by and "ranked" not in new.notes and not the_superlative(self.spans) and any(
                    s.has("grammar", "group_by") or s.text in EACH_WORDS for s in self.spans):
            f.limit = None  # "and in units sold per channel?" after the one channel ranked first: every channel
        if new.order_by and new.order_by not in f.measures and (
                new.order_by in self.layer.measures or new.order_by.startswith("count:") and not new.measures
                and f.kind == "aggregate" and f.dimensions):
            # ("by number of orders instead" after the top customers by spend: ranked on the count, which is
            # the figure shown; was: the count was the order and the old figure stayed, so it ranked by that)
            f.measures = [new.order_by]
            f.order_by = new.order_by
        elif new.order_by:
            f.order_by = new.order_by
        # "what about by units sold instead of revenue?" after the lowest revenue: the same end of the ranking,
        # on the new figure (a follow-up that says no direction does not turn "lowest" into "highest")
        said_way = any(s.first("superlative") or s.first("ranking") or s.has("mover") for s in self.spans)
        keep_way = bool(new.order_by) and not new.limit and not said_way and context.order_by is not None \
            and context.direction == "asc"
        f.direction = new.direction if (new.order_by or new.limit) and not keep_way else f.direction
        if "ranked" in new.notes and not new.order_by and not new.limit and len(f.measures) == 1 and f.dimensions \
                and f.kind == "aggregate" and not f.compare and (not f.derived or f.derived.get("kind") == "share"
                                                                 and not new.derived):
            # "and the lowest?", "which was the best?" after figures per group: ranked on that one figure
            f.order_by, f.direction = f.measures[0], new.direction
            f.limit = 1 if {s.text for s in self.spans} & {"which", "who", "one"} or the_superlative(self.spans) \
                else f.limit
        share_followup = bool(new.derived and new.derived.get("kind") == "share" and not new.measures)
        if share_followup:
            # "and the share of all orders?": the previous condition becomes the share's condition
            f.derived = {"kind": "share", "scale": new.derived.get("scale", "fraction")}  # type: ignore[union-attr]
            averaged = bool(context.measures) and all(self.layer.measures.get(m, {}).get("row_sql")
                                                      for m in context.measures)
            whole = share_whole(self, new) and len(context.predicates) == 1 and context.predicates[0] not in new.predicates
            if averaged and new.predicates and context.order_by in context.measures and not whole:
                # "and by late rate instead? lowest share of late deliveries" after the fastest carrier by average
                # delivery time: the share of the condition's things replaces the average as what is ranked
                # (was: refused, a share of an average delivery time)
                p = new.predicates[-1]
                f.measures, f.order_by = ["count"], "count"
                f.subject = self.layer.measures[context.measures[0]].get("entity") or f.subject
                f.derived["condition"] = {"predicate": p}
                f.predicates = [q for q in f.predicates if q != p]
                if any(s.first("superlative") or s.first("ranking") for s in self.spans):
                    f.direction = new.direction
            elif whole:
                # "now as a share of delivered shipments" after late ones: late of the delivered ones
                f.derived["condition"] = {"predicate": context.predicates[0]}
                f.predicates = [p for p in f.predicates if p != context.predicates[0]]
                f.predicates += [p for p in new.predicates if p not in f.predicates]
                if f.kind == "list":  # a share of listed things is a count of them (as _share_condition makes it)
                    f.kind, f.measures, f.show, f.order_by, f.limit = "aggregate", ["count"], [], None, None
            elif context.derived and context.derived.get("kind") == "share" and context.derived.get("condition") \
                    and not new.predicates and not new.derived.get("condition") and all(  # type: ignore[union-attr]
                        x.op in ("=", "in") and (context.filter_on(x.field) is not None or self._scale_only() and
                                                 x.field != (context.derived["condition"].get("filter") or {}).get(
                                                     "field")) for x in new.filters):
                # "give it as a percentage" after a share: the same share, on the scale asked; "and for web, as a
                # percent" after the b2b rate: a value swapped for one the whole was taken of, the same share too;
                # "and for web, as a percent" after the cancelled share: only the scale is said, so a new value
                # narrows the whole (a new share would name its share word: "and the share of web orders?")
                f.derived = {**context.derived, "scale": f.derived["scale"]}
        cond = ((context.derived or {}).get("condition") or {}).get("filter") \
            if (context.derived or {}).get("kind") == "share" else None
        swapped = [x for x in new.filters if cond and x.field == cond["field"] and x.op in ("=", "in")]
        if cond and not new.derived and len(swapped) == 1 and f.derived and f.derived.get("condition") and \
                f.derived["condition"].get("filter") == cond and (f.filter_on(cond["field"]) or None) is not None:
            # "and returned?" after "share of orders cancelled per channel": the value swapped is the share's
            # condition (the share of returned ones), not a filter on the whole it is taken of
            f.derived = {**f.derived, "condition": {"filter": {**cond, "op": swapped[0].op,
                                                               "values": list(swapped[0].values)}}}
            f.filters = [x for x in f.filters if x.field != cond["field"]]
        if new.lookup:
            f.lookup = new.lookup
        # "what about all channels?": drop the filter on that dimension
        dropping = bool(self.widened)
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            # "and for every carrier combined?": every one together (noted any:), as "all carriers"
            summed = s.text == "for every" and nxt is not None and nxt[1].first("dimension") is not None and \
                f"any:{nxt[1].arg('dimension')}" in new.notes or self._every_of_one_value(context, i)
            if s.has("grammar", "drop_filter") or s.text in ("all", "any", "every") or summed:
                target = None
                if nxt and nxt[1].first("dimension"):
                    target = nxt[1].arg("dimension")
                elif nxt and self.values_of(nxt[1]) and s.has("grammar", "drop_filter") \
                        and s.text not in ("all", "any", "every"):  # "all Makita products" keeps Makita
                    target, value = self.values_of(nxt[1])[0]  # "drop the web filter"
                    drop_value(f, context, target, value)
                    s.used = nxt[1].used = True
                    part = self.spans[nxt[0] + 1] if nxt[0] + 1 < len(self.spans) else None
                    if part is not None and part.text in ("part", "bit", "condition", "criterion"):
                        part.used = True  # "drop the store part": the condition on that value
                    continue
                elif nxt and nxt[1].first("entity"):
                    target = {"customers": "customer", "products": "product"}.get(nxt[1].arg("entity"))
                    if nxt[1].arg("entity") == "orders":
                        # "all orders": every status (of a share: the whole it is taken of)
                        if not share_followup:
                            f.filters = [x for x in f.filters if x.field != "status"]
                            f.predicates = []
                        s.used = nxt[1].used = True
                        continue
                    if share_followup and s.text == "all" and nxt[1].arg("entity") == f.subject and f.derived:
                        # "the share of late ones, out of all their shipments": of every one, not only those whose
                        # condition is already decided (delivered ones)
                        f.derived["of_all"] = True
                        s.used = nxt[1].used = True
                        continue
                if target and nxt is not None:
                    f.filters = [x for x in f.filters if x.field != target]
                    if nxt[1].first("entity") and s.text in ("all", "every"):
                        # "and for all customers?" after business customers: no condition on the customers' own
                        # columns is left (every customer)
                        table = self.layer.entities[str(nxt[1].arg("entity"))]["table"]
                        f.filters = [x for x in f.filters if not str(self.layer.dimensions.get(x.field, {}).get(
                            "column", x.field)).startswith(f"{table}.")]
                    if s.text not in ("all", "any", "every"):  # "forget the category": its grouping too
                        f.dimensions = [d for d in f.dimensions if d != target]
                    elif target not in context.dimensions:  # "all channels" drops a filter, it adds no grouping
                        f.dimensions = [d for d in f.dimensions if d != target] or [
                            d for d in context.dimensions if d != target]
                    elif i > 0 and self.spans[i - 1].text == "across" and not new.dimensions:
                        # "how many across all warehouses?" after stock by warehouse: summed over them, no longer
                        # split (was: the split kept, so nothing changed)
                        f.dimensions = [d for d in f.dimensions if d != target]
                        f.limit, f.order_by = None, f.order_by if f.order_by in f.measures else None
                    if f.compare and f.compare["dimension"] == target:
                        f.compare = None
                        f.dimensions = [d for d in f.dimensions if d != target]
                    s.used = nxt[1].used = True
                    trailing = self.spans[nxt[0] + 1] if nxt[0] + 1 < len(self.spans) else None
                    if trailing is not None and trailing.text == "again" and not trailing.senses:
                        trailing.used = True  # "all brands again" after only Oras: every one, as before it was narrowed
                    if i > 0 and self.spans[i - 1].text in INCLUDING:
                        self.spans[i - 1].used = True  # "include all channels": as "all channels"
                    dropping = True
            elif s.has("grammar", "every_customer") and not s.used and "customers" in self.layer.entities:
                # "now for everyone" after business customers: no condition on the customers is left, as "and for
                # all customers?" (was: "everyone" unread, so nothing changed)
                table = self.layer.entities["customers"]["table"]
                f.filters = [x for x in f.filters if x.field != "customer" and not str(
                    self.layer.dimensions.get(x.field, {}).get("column", x.field)).startswith(f"{table}.")]
                s.used = dropping = True
        for dim in self.widened:
            # "all Makita products, not just tools": the condition on that field goes (the rest kept)
            f.filters = [x for x in f.filters if x.field != dim]
        if dropping:
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "and all segments too": a condition dropped beside the one dropped before
        # "and overall?": the same figure without the groupings and filters of the dimensions
        for s in self.spans:
            if not s.used and s.text == "overall" and self.widened:
                s.used = True  # "and overall, not just tools": across every value, the rest of the question kept
            if not s.used and s.text in self.layer.grammar.get("overall", []) and not new.dimensions and not new.filters:
                f.filters = [x for x in f.filters if x.field not in self.layer.dimensions]
                f.dimensions, f.grain, f.compare, f.limit, f.per_group = [], None, None, None, []
                f.order_by = f.order_by if f.order_by in f.measures else None
                s.used = True
        # "and in total?" after figures per warehouse: the same figure summed over the groups (the filters kept)
        texts = [s.text for s in self.spans]
        total = [k for k in range(len(texts) - 1) if texts[k:k + 2] == ["in", "total"] and not self.spans[k + 1].used]
        if total and (f.dimensions or f.grain) and not new.dimensions and not new.grain and f.kind == "aggregate" \
                and not f.compare and not f.derived:
            f.dimensions, f.grain, f.limit, f.per_group = [], None, None, []
            f.order_by = f.order_by if f.order_by in f.measures else None
            self.spans[total[0]].used = self.spans[total[0] + 1].used = True
        # "and the month before?": the previous period of that grain
        previous = [s for s in self.spans if s.has("grammar", "previous") and not s.used]
        if previous and context.period and not new.period and not self.periods:
            grain = next((s.arg("grain") for s in self.spans if s.first("grain")), None)
            f.period = shift_back(context.period, grain, whole=True)
            counted_days = [(a, b) for a, b in zip(self.spans, self.spans[1:], strict=False)
                            if a.first("number") is not None and b.arg("grain") in ("day", "week") and not a.used]
            if len(counted_days) == 1:
                # "and the 30 days before that?": that many days (weeks) right before the previous period
                num, days = counted_days[0][0], 7 if counted_days[0][1].arg("grain") == "week" else 1
                length = int(float(num.arg("number"))) * days
                start = context.period.start_date
                f.period = _period(start - timedelta(days=length), start - timedelta(days=1),
                                   f"the {length} days before")
                num.used = True
            for s in self.spans:
                if s.has("grammar", "previous") or (s.first("grain") and not s.used):
                    s.used = True
        compare_word = [s for s in self.spans if s.has("grammar", "compare") and not s.used]
        if new.derived and new.derived.get("kind") == "growth" and f.period:
            # "what's the growth vs the previous month?": against the period before the previous answer's
            grain = next((s.arg("grain") for s in self.spans if s.first("grain")), None)
            other = [p for p in self.periods if (p.start, p.end) != (f.period.start, f.period.end)]
            earlier = earlier_period(context)
            if not other and earlier is not None and between_them(self.spans):
                # "what's the growth between them?" after two turns of two periods: the later over the earlier
                f.period, earlier = sorted((f.period, earlier), key=lambda p: p.start, reverse=True)
                other = [earlier]
                for s in self.spans:
                    if s.text == "between" or s.text in ("them", "those", "these", "both", "two"):
                        s.used = True
            f.derived, f.compare_period = {"kind": "growth"}, other[0] if other else shift_back(f.period, grain)
            for s in self.spans:
                if not s.used and (s.has("grammar", "previous") or s.has("grammar", "compare") or s.first("grain")
                                   or s.text.startswith("__period")):
                    s.used = True
        elif self.periods and compare_word and context.period and len(self.periods) == 1:
            # "compare that with last year": the previous period beside the new one
            f.period, f.compare_period = context.period, self.periods[0]
            f.derived = f.derived or {"kind": "periods"}
            for s in compare_word:
                s.used = True
        elif self.periods:
            f.period = self.periods[0]
            if new.period_field:
                f.period_field = new.period_field  # "which of those were shipped before May?": that event's date
            if len(self.periods) > 1:
                f.compare_period = self.periods[1]
            for s in self.spans:
                if s.text.startswith("__period"):
                    s.used = True
        if context.period and not self.periods and not new.period:
            # "how many orders did they place in that time?", "... that year": the previous period, kept
            for a, b in zip(self.spans, self.spans[1:], strict=False):
                if a.text in ("that", "the same") and not b.used and (b.text in ("time", "period", "timeframe")
                                                                      or b.first("grain") is not None):
                    b.used = True
        one_customer = any(x.field in ("customer", "customers.customer_id", "orders.customer_id") and x.op == "="
                           and len(x.values) == 1 for x in context.filters)
        for s in self.spans:
            if s.has("grammar", "followup") and not s.used:
                s.used = True
            elif s.has("grammar", "person_pronoun") and not s.used and one_customer:
                s.used = True  # "and his revenue?" after a question about one customer: that customer
        for s in self.spans:
            if not s.used and s.first("unit") and "delivery_time" in [m.split(":")[-1] for m in f.measures]:
                f.unit = s.arg("unit")  # "in hours instead"
                s.used = True
        for n in new.notes:
            if n.startswith("unit:"):
                f.unit = n.split(":", 1)[1]  # "in hours instead"
            elif n.startswith(("contains:", "starts:")) and n not in f.notes:
                f.notes.append(n)
            elif n.startswith("activity:") and n not in f.notes and self.periods and f.period_field is None:
                # "which of them ordered in October?" after customers: the new period is on that activity
                # (the order date), not on the customers' own date (signup)
                f.notes.append(n)
            elif n == "activity:orders" and n not in f.notes and not self.periods and f.subject == "customers":
                # "how many of them have ordered something?" after customers: the ones with an order (the
                # verb is a condition on them, kept as "customers who have ordered" keeps it)
                f.notes.append(n)
        for i, s in enumerate(self.spans):
            if s.has("grammar", "group_by") and s.text != "by" and not s.used and self.next_content(i) is None \
                    and (f.dimensions or f.grain) and f.kind == "aggregate" and (
                        not new.dimensions and not new.grain or any(x.used and (x.first("dimension") or x.first(
                            "grain")) for x in self.spans[:i])):
                # "and the number of late ones for each?": each of the previous answer's groups; "which categories
                # are they in, and how many in each": each of the groups just named (was: refused on "in each")
                s.used = True
        if new.unit:
            f.unit = new.unit
        self._aggregate_swap(f, new)
        self._on_those_rows(f, context)
        if f.unit and not new.unit and context.unit and not any(
                self.layer.measures.get(m.split(":")[-1], {}).get("units")
                for m in f.measures + [x.field for x in f.filters]):
            f.unit = None  # "and the number of undelivered shipments?" after days per carrier: the unit went with its time
        if new.subject and new.subject != f.subject and f.kind == "list" and not (picking and context.kind == "list"):
            # ("which of them have open orders?" after customers listed: the listed ones, the orders a condition)
            f.subject = new.subject
        if within:
            # the previous top N as it was answered; the new condition keeps some of them
            f.within, f.limit = replace(context, within=None).to_dict(), None
            # "which of them are at or below their reorder level?": the figures the condition shows beside each
            # row (stock, reorder level) are shown here too (was: dropped)
            f.show += [c for c in new.show if c not in f.show]
        if f.kind == "list" and context.kind == "list" and new.show and not new.measures and points_back(self.spans):
            # "what's its status?" after her latest order: the column asked, beside the same row(s)
            f.show += [c for c in new.show if c not in f.show]
            for s in self.spans:
                if s.has("grammar", "adding") and not s.used:
                    s.used = True  # "give me their emails too": beside the columns already shown, as said
        if f.kind == "list" and f.dimensions and context.kind == "list" and context.limit and not context.lookup:
            # "which carrier has it?" after the largest order: a list has no groups, so the group named is a
            # column beside the ranked rows (the same rows; was dropped unsaid); one with no column is not guessed
            columns = [self.layer.dimensions.get(d, {}).get("column", "") for d in f.dimensions]
            if not all(re.fullmatch(r"[a-z_]+\.[a-z_]+", c) for c in columns):
                raise NotUnderstood(f"I could not tell what {self.question!r} asks of the previous answer's rows ("
                                    f"{previous_words(context, self.layer)})",
                                    hint="e.g. 'who placed it?', 'how many are there?'")
            f.show += [c for c in columns if c not in f.show]
            f.dimensions = []
        before, after = context.to_dict(), f.to_dict()
        before.pop("notes"), after.pop("notes")
        if before == after and context.lookup and context.kind == "list" and new.show \
                and all(c in context.show for c in new.show):
            # "and the tracking number?" after the details of one order: already among its columns, so the
            # same row answers it (nothing changes, yet nothing is guessed)
            return f
        if before == after and context.limit == 1 and new.measures and context.measures \
                and all(m in context.measures for m in new.measures) and points_back(self.spans):
            # "how many spare units does it have above the reorder level?" after the warehouse with the most: the
            # figure of the one found, already beside it in the same row (nothing changes, nothing is guessed)
            return f
        overall = [n[4:] for n in new.notes if n.startswith("any:") and n[4:] in self.layer.dimensions]
        if before == after and context.kind == "aggregate" and overall and all(m in context.measures for m in new.measures) \
                and not any(context.filter_on(d) or d in context.dimensions for d in overall) \
                and not (new.filters or new.predicates or new.dimensions or new.grain or self.periods):
            # "how many across all warehouses?" after a product's stock: the figure was already over every
            # warehouse, so the same answer is the one asked (nothing changes, nothing is guessed)
            return f
        if before == after:
            # re-running the previous answer for a question that changes nothing would be a guess
            raise NotUnderstood(f"I could not tell what {self.question!r} changes in the previous question ("
                                f"{previous_words(context, self.layer)})",
                                hint="e.g. 'and units sold?', 'and in 2024?', 'same for brands'")
        if context.period and f.period and (f.period.start, f.period.end) != (context.period.start, context.period.end):
            # kept for "what's the growth between them?" on the next turn
            f.notes = [n for n in f.notes if not n.startswith(EARLIER)] + [earlier_note(context.period)]
        return f

    def _on_those_rows(self, f: QueryForm, context: QueryForm) -> None:
        """"the avg discount per category on those same orders" after revenue per category: the new figure over
        the rows the previous one counted, so the previous figure's own condition (revenue: orders not cancelled
        or returned) stays as a condition, the layer predicate of that SQL (was: dropped with the old figure,
        every order averaged)."""
        texts = [s.text for s in self.spans]
        those = [k for k in range(len(texts) - 1) if texts[k] in ("those", "these", "the same", "same")
                 and (self.spans[k + 1].first("entity") or texts[k + 1] == "same" and k + 2 < len(texts)
                      and self.spans[k + 2].first("entity"))]
        if not those or f.measures == context.measures:
            return
        k = those[0] + (2 if texts[those[0] + 1] == "same" else 1)
        entity = str(self.spans[k].arg("entity"))
        specs = self.layer.measures
        filters = {specs.get(m, {}).get("filter") for m in context.measures}
        if len(filters) != 1 or None in filters or any(specs.get(m, {}).get("entity") != entity for m in context.measures):
            return
        if any(specs.get(m, {}).get("filter") for m in f.measures):
            return  # the new figure keeps a condition of its own
        row_filter = filters.pop()
        named = next((n for n, p in self.layer.predicates.items() if p.get("sql") == row_filter
                      and p.get("entity") == entity), None)
        if named is None:
            return
        if named not in f.predicates:
            f.predicates.append(named)
        for s in self.spans[those[0]:k + 1]:
            s.used = True

    def _aggregate_swap(self, f: QueryForm, new: QueryForm) -> None:
        """"and the median?", "and the maximum?" after an average duration (delivery time per carrier): the
        same per-row duration under the aggregate named (layer aggregates), the rest of the question kept. Only
        a duration (a measure with row_sql) has rows to aggregate another way; other measures are left alone."""
        fns = self.layer.grammar["aggregates"]
        bare = [s for s in self.spans if not s.has("grammar", "followup") and (
            s.text in fns or not all(x[0] == "stop" for x in s.senses))]
        if new.measures or len(bare) != 1 or bare[0].used or bare[0].text not in fns or len(f.measures) != 1:
            return
        old = f.measures[0]
        base = old.split(":", 1)[1] if ":" in old and old.split(":", 1)[0] in fns.values() else old
        if not self.layer.measures.get(base, {}).get("row_sql"):
            return
        fn = fns[bare[0].text]
        f.measures = [base if fn == "avg" else f"{fn}:{base}"]
        if f.order_by == old:
            f.order_by = f.measures[0]
        bare[0].used = True

    def _lapsed(self, f: QueryForm, periods: list[Period]) -> bool:
        """"Which customers ordered in 2025 but nothing this year?", "haven't ordered this year but did order in
        2025": customers with an order (any status) in the earlier period and none in the later one, when the
        two periods do not overlap and the later one is the one with no order."""
        earlier, later = sorted(periods, key=lambda p: p.start)
        before_tail = None
        if earlier.start_date < later.start_date <= earlier.end_date <= later.end_date:
            # "ordered this year but no orders after June 30": the later period is the earlier one's tail, so an
            # order of the earlier one is one before the tail
            before_tail = _period(earlier.start_date, later.start_date - timedelta(days=1),
                                  f"{earlier.label} before {later.start}")
        counted = f.measures == ["count"] and f.subject == "customers"  # "how many customers ordered in 2025 but ..."
        if f.subject not in (None, "customers") or f.dimensions or (f.measures and not counted) or f.derived \
                or earlier.end >= later.start and before_tail is None:
            return False
        spec = self.layer.grammar.get("lapsed", {})
        slot_at = {int(s.text[8:-2]): k for k, s in enumerate(self.spans) if s.text.startswith("__period")}
        at_later = slot_at[self.periods.index(later)]
        at_earlier = slot_at[self.periods.index(earlier)]
        ordered = [k for k, s in enumerate(self.spans) if s.has("activity", "orders")]
        # the "no order" words: the never-ordered condition, or "nothing" / "none" said just before the later period
        nothing = [k for k, s in enumerate(self.spans) if not s.used and s.text in spec.get("nothing", [])
                   and 0 < at_later - k <= 2]
        # ("hasn't placed an order": the negation before the verb of ordering says it too)
        never = [k for k, s in enumerate(self.spans) if s.has("predicate", "never_ordered") or s.has(
            "grammar", "negation") and (nxt := self.next_content(k)) is not None and nxt[1].has("activity", "orders")]
        said_none = (nothing and ordered and any(k < at_earlier for k in ordered) and at_earlier < nothing[0]) or (
            never and ordered and never[0] < at_later < ordered[-1] < at_earlier) or (
            # "ordered in 2025 but haven't ordered (at all) in 2026": the no-order words between the two periods
            never and ordered and ordered[0] < at_earlier < never[0] < at_later)
        if not said_none or "ordered_before" in f.predicates:
            return False
        for k in nothing:
            self.spans[k].used = True
        for k in ordered:
            self.spans[k].used = True
        for k, x in enumerate(self.spans[:at_earlier]):
            if x.has("grammar", "every_customer") and self.spans[k + 1].text == "who":
                x.used = True  # "everyone who ordered in 2025 but hasn't ordered since": the customers who did
        f.subject = "customers"
        f.kind = "aggregate" if counted else "list"
        f.period, f.compare_period = later, before_tail or earlier
        f.predicates = [p for p in f.predicates if p != "never_ordered"] + ["never_ordered", "ordered_in_earlier"]
        f.notes = [n for n in f.notes if n != "activity:orders"]
        return True

    # ----- periods, fields, acceptance
    def _signup_periods(self, f: QueryForm) -> set[int]:
        """"revenue in 2026 of customers who signed up in 2025", "what did customers who signed up during 2026
        generate in 2026": a period right after the signup is a condition on the customers' signup date, the
        other period (if any) times the figure asked. Returns the positions of the signup periods."""
        figures = [m.split(":")[-1] for m in f.measures]
        timed = [self.layer.measures[m].get("entity") for m in figures if m in self.layer.measures] + [
            m.split(".")[0] for m in figures if "." in m]
        if not any(e not in (None, "customers") for e in timed) or "customers.signup_date" in f.show:
            return set()
        found: set[int] = set()
        for k, s in enumerate(self.spans):
            before = self.prev_content(k) if s.text.startswith("__period") else None
            if before is not None and before[1].first("activity") and before[1].arg("activity") == "signup":
                period = self.periods[int(s.text[8:-2])]
                f.filters.append(Filter("customers.signup_date", "between", [period.start, period.end]))
                s.used = True
                found.add(k)
        new = [k for k, s in enumerate(self.spans[:-1]) if s.first("activity") and s.arg("activity") == "signup"
               and self.spans[k + 1].has("entity", "customers")]
        if new and not found:
            # "revenue from new customers this year": customers who signed up in the period the figure is of
            slots = [s for s in self.spans if s.text.startswith("__period")]
            if len(slots) != 1:
                raise NotUnderstood(f"I could not tell since when '{self.spans[new[0]].text} customers' are new",
                                    field="question", hint="e.g. 'revenue from new customers this year'")
            period = self.periods[int(slots[0].text[8:-2])]
            f.filters.append(Filter("customers.signup_date", "between", [period.start, period.end]))
            for k in new:
                self.spans[k].used = True
        return found

    def _than_periods(self, f: QueryForm, slots: list[Span]) -> bool:
        """"which categories sold less in Q3 than in Q2", "which brands had higher revenue in October than in
        September": the groups whose figure in the first period is below (above) the one in the second, the
        two periods side by side as growth does; only right after the comparative, with a grouping to pick."""
        ks = [self.spans.index(x) for x in slots]
        if not f.dimensions or f.compare or f.derived or len(f.measures) > 1 or f.grain or f.per_group:
            return False
        if any(x.text.isdigit() or x.text in NUMBER_WORDS for x in self.spans):
            return False  # "the 3 categories that sold less ...": a ranking asked as well
        between = [x for x in self.spans[ks[0] + 1:ks[1]] if not x.has("stop") or x.text == "than"]
        if [x.text for x in between] != ["than"] and [x.text for x in between] != ["than", "in"]:
            return False
        words = {"less": "down", "lower": "down", "fewer": "down", "smaller": "down",
                 "more": "up", "higher": "up", "greater": "up", "bigger": "up"}
        near = [x for x in self.spans[:ks[0]] if x.text in words]
        if len(near) != 1 or any(x.text in words for x in self.spans[ks[0]:]):
            return False
        f.period, f.compare_period = self.periods[int(slots[0].text[8:-2])], self.periods[int(slots[1].text[8:-2])]
        f.derived = {"kind": "growth", "direction": words[near[0].text]}
        f.order_by, f.direction, f.limit = None, "desc", None  # the comparative's ranking: a condition instead
        for x in [*near, *between]:
            x.used = True
        return True

    def _growth_bound(self, f: QueryForm) -> None:
        """"which categories grew revenue by more than 50% from Q3 2025 to Q3 2026": the groups whose growth in
        percent passes the bound."""
        bound = getattr(self, "growth_bound", None)
        derived = f.derived or {}
        if bound is None or derived.get("kind") != "growth" or not f.compare_period or derived.get("absolute") \
                or f.kind != "aggregate" or not (f.dimensions or f.subject in ("products", "customers")):
            return
        op, value, words = bound
        f.derived = {**derived, "bound": {"op": op, "value": value}}
        for s in words:
            s.used = True
        # the ranking a bare "which" would get is not asked: every group past the bound
        if f.order_by is None:
            f.limit = None

    def _growth_direction(self, f: QueryForm) -> None:
        """"which categories had a revenue decrease from Q2 to Q3", "which products grew in units from September
        to October": a growth word that says which way (the layer's growth_direction), asked of the groups with
        'which' and with no ranking, keeps the groups whose figure moved that way (as "sold less in Q3 than in
        Q2" does); the things asked about ("which products") are the groups when none is named."""
        table = self.layer.grammar.get("growth_direction", {})
        way = {w: d for d in ("up", "down") for w in table.get(d, [])}
        if (f.derived or {}).get("kind") != "growth" or f.derived.get("direction") or not f.compare_period:  # type: ignore[union-attr]
            return
        if f.limit or "ranked" in f.notes or f.grain or f.per_group or f.compare or len(f.measures) != 1 \
                or f.order_by not in (None, f.measures[0]) or f.kind != "aggregate":
            return
        if any(s.first("superlative") or s.first("superlative_attribute") or s.first("number") for s in self.spans):
            return  # "which category grew the most", "the 3 brands that grew": a ranking
        said = [s.text for s in self.spans if s.has("grammar", "growth")]
        if not said or any(w not in way for w in said) or len({way[w] for w in said}) != 1:
            return  # "which categories changed", "grew or decreased": no one way
        sub_dim = {"customers": "customer", "products": "product"}.get(f.subject or "")
        asked = [s for k, s in enumerate(self.spans) if self._is_which(k) and (
            (s.first("dimension") and s.arg("dimension") in f.dimensions and len(f.dimensions) == 1)
            or (not f.dimensions and sub_dim and s.first("entity") and s.arg("entity") == f.subject))]
        if len(asked) != 1:
            return
        if not f.dimensions and sub_dim:
            f.dimensions.append(sub_dim)
        f.derived = {**(f.derived or {}), "direction": way[said[0]]}
        f.order_by = None

    def _all_units_restated(self, f: QueryForm) -> None:
        """"monthly revenue for 2025 ... all twelve months": "all" and the number of the grain's units the period
        holds restate the rows asked for (was: '12', 'months' left unplaced); another number is left to refuse."""
        if f.grain not in ("year", "quarter", "month", "day") or f.period is None:
            return
        a, b = f.period.start_date, f.period.end_date
        held = {"year": b.year - a.year + 1, "quarter": (b.year - a.year) * 4 + (b.month - 1) // 3 - (a.month - 1) // 3 + 1,
                "month": (b.year - a.year) * 12 + b.month - a.month + 1, "day": (b - a).days + 1}[str(f.grain)]
        for k in range(1, len(self.spans) - 1):
            said, number, unit = self.spans[k - 1], self.spans[k], self.spans[k + 1]
            if said.text in ("all", "every", "all the") and number.first("number") and number.arg("number") == held \
                    and unit.first("grain") and unit.arg("grain") == f.grain and unit.text.endswith("s"):
                said.used = number.used = unit.used = True

    def _listed_units_of_grain(self, f: QueryForm, slots: list[Span]) -> bool:
        """"Revenue per year (2024, 2025 and 2026 so far)": periods listed one after another, each one unit of the
        grain asked for and each following the last, are the rows of that grain over them all (was: refused as
        two periods to compare)."""
        if f.grain not in ("year", "quarter", "month") or f.compare_period:
            return False
        at = [self.spans.index(x) for x in slots]
        if any(x.text not in (",", "and") for a, b in zip(at, at[1:], strict=False) for x in self.spans[a + 1:b]):
            return False
        said = [self.periods[int(x.text[8:-2])] for x in slots]

        def unit(d: date) -> tuple[int, ...]:
            return {"year": (d.year,), "quarter": (d.year, (d.month - 1) // 3), "month": (d.year, d.month)}[str(f.grain)]
        starts_unit = {"year": lambda d: (d.month, d.day) == (1, 1), "month": lambda d: d.day == 1,
                       "quarter": lambda d: d.day == 1 and d.month in (1, 4, 7, 10)}[str(f.grain)]
        if not all(starts_unit(p.start_date) and unit(p.start_date) == unit(p.end_date) for p in said) or any(
                b.start_date != a.end_date + timedelta(days=1) for a, b in zip(said, said[1:], strict=False)):
            return False
        f.period = _period(said[0].start_date, said[-1].end_date, f"{said[0].label} to {said[-1].label}")
        return True

    def _periods_side_by_side(self, f: QueryForm, slots: list[Span]) -> bool:
        """"revenue for October 2025 and October 2026 side by side": two periods joined by "and", asked side by
        side, are put beside each other as "vs" puts them (was: refused as two periods, or read as one span)."""
        k = self.spans.index(slots[0])
        if self.spans[k + 1:k + 3] != [self.spans[k + 1], slots[1]] or self.spans[k + 1].text != "and" or not any(
                s.text in ("side by side", "next to each other") for s in self.spans) or f.compare_period:
            return False
        f.derived = f.derived or {"kind": "periods"}
        f.compare_period = self.periods[int(slots[1].text[8:-2])]
        return True

    def _periods_and_fields(self, f: QueryForm) -> None:
        signup = self._signup_periods(f) if not f.period else set()
        slots = list({s.text: s for k, s in enumerate(self.spans)
                      if s.text.startswith("__period") and k not in signup}.values())
        if len(slots) > 1 and len({(p.start, p.end) for p in (self.periods[int(s.text[8:-2])] for s in slots)}) == 1:
            # "the first six months of 2026, January through June": one period said twice, not two to compare
            slots = slots[:1]
        if not f.period and slots:
            f.period = self.periods[int(slots[0].text[8:-2])]
            for s in slots:
                s.used = True
            if len(slots) > 1 and f.derived and f.derived.get("kind") == "growth":
                # growth is of the later period over the earlier, whichever is named first ("from Q2 to Q3")
                first, second = f.period, self.periods[int(slots[1].text[8:-2])]
                f.period, f.compare_period = sorted((first, second), key=lambda p: p.start, reverse=True)
                a, b = self.spans.index(slots[0]), self.spans.index(slots[1])
                for joining in self.spans[a + 1:b]:
                    if joining.has("grammar", "compare"):
                        # "did revenue for Jan-Oct 2026 change compared with Jan-Oct 2025": the growth's two
                        # periods, joined by the comparing words (was: 'compared with' left unplaced)
                        joining.used = True
            elif len(slots) == 2 and self._lapsed(f, [self.periods[int(x.text[8:-2])] for x in slots]):
                pass
            elif len(slots) == 2 and self._than_periods(f, slots):
                pass
            elif len(slots) == 2 and self._periods_side_by_side(f, slots):
                pass
            elif self._listed_units_of_grain(f, slots):
                pass
            elif len(slots) > 1:
                raise NotUnderstood("the question names two periods; I can compare them only with 'vs', "
                                    "'compared with' or 'compare ... with ...'", field="question",
                                    hint="e.g. 'revenue 2025 vs 2024'")
        for s in self.spans:
            if s.text.startswith("__period"):
                s.used = True
        self._all_units_restated(f)
        for name in list(f.predicates):
            measure = self.layer.predicates.get(name, {}).get("period_measure")
            if measure and f.compare_period:
                raise NotUnderstood("I can put one period on the latest order, not two side by side",
                                    field="question", hint="e.g. 'customers whose last order was in 2025'")
            latest = [x for x in f.filters if x.op in ("=", "in") and x.field in self.layer.dimensions
                      and self.layer.dimensions[x.field]["column"].startswith("orders.")]
            if measure and latest and not self.layer.measures[measure]["sql"].startswith("MAX("):
                # "customers who placed their first order through b2b": the value of the first order, which I
                # cannot test (read as any order through b2b it would be a wrong count)
                raise NotUnderstood("I can put a period on the first order, not a value of it",
                                    field="question", hint="e.g. 'customers whose first order was in 2025'")
            if measure and not f.period and latest:
                # "customers whose most recent order was cancelled": the value of that one order
                for x in latest:
                    x.op = "latest in"
                f.predicates.remove(name)
                continue
            if measure and f.period:
                # "customers whose last order was more than a year ago": a condition on that date, shown
                f.predicates.remove(name)
                f.filters.append(Filter(measure, "between", [f.period.start, f.period.end]))
                f.period = None
        for n in list(f.notes):
            if n.startswith("unit:"):
                f.unit = n.split(":", 1)[1]
        if (f.derived or {}).get("kind") == "periods" and f.grain and f.period and f.compare_period and all(
                _one_unit(p, f.grain) for p in (f.period, f.compare_period)):
            f.grain = None  # "2024 versus 2025, one row per year": the years compared are the rows
        if (f.derived or {}).get("kind") == "periods" and f.compare_period and f.dimensions and any(
                s.text in ("side by side", "next to each other", "side by side with", "next to") for s in self.spans):
            # "orders per channel, 2024 versus 2025 side by side", "revenue by segment, 2024 next to 2025": each
            # period a column, one row per channel
            # (was: one row per channel and period; unsaid, rows stay per period as the dev7 writer read it)
            f.notes.append("periods_side_by_side")
        if f.derived and f.derived.get("kind") == "growth" and f.period and not f.compare_period:
            grain = next((s.arg("grain") for s in self.spans if s.first("grain") and not s.used), None)
            f.compare_period = shift_back(f.period, grain)
            for s in self.spans:  # "compared to the month before": said by the growth's default
                if not s.used and (s.has("grammar", "previous") or s.has("grammar", "compare") or
                                   (s.first("grain") and grain)):
                    s.used = True
        if f.derived and f.derived.get("kind") == "growth":
            for k, s in enumerate(self.spans):  # "by how many percent did it change", "by what percent"
                nxt = self.next_content(k)
                if not s.used and s.text == "by" and nxt is not None and (
                        nxt[1].has("grammar") or nxt[1].text in self.layer.grammar.get("percent_words", [])):
                    s.used = True
        if f.derived and f.derived.get("kind") == "growth" and f.period and f.compare_period:
            for k, s in enumerate(self.spans):  # "(Q1 2026 minus Q4 2025)": the later period less the earlier one
                before, after = self.prev_content(k), self.next_content(k)
                if not s.used and s.text in self.layer.grammar.get("minus_words", []) and before and after and all(
                        x[1].text.startswith("__period") for x in (before, after)):
                    said = [self.periods[int(x[1].text[8:-2])] for x in (before, after)]
                    if [(p.start, p.end) for p in said] == [(q.start, q.end) for q in (f.period, f.compare_period)]:
                        s.used = True
                        f.derived["absolute"] = True
        if f.derived and f.derived.get("kind") == "growth" and not f.period:
            raise NotUnderstood("growth needs a period to compare", hint="e.g. 'revenue growth this year vs last year'")
        if f.derived and f.derived.get("kind") == "share" and not f.derived.get("condition"):
            self._share_condition(f)
        asked = any(s.text in ("which", "what") and k + 1 < len(self.spans) and self.spans[k + 1].first("dimension")
                    for k, s in enumerate(self.spans))  # "which brand has the highest revenue share": each
        if f.derived and f.derived.get("kind") == "share" and not f.derived.get("condition") and f.limit \
                and f.dimensions and not f.per_group and not asked and not any(
                    s.used and (s.has("grammar", "group_by") or s.text in EACH_WORDS) for s in self.spans):
            # "what pct of revenue came from our top 10 customers": the top ones together, not each
            f.derived["together"] = True
        if f.derived and f.derived.get("kind") == "ratio" and not f.derived.get("dimension"):
            pair = next((x for x in f.filters if x.field in self.layer.dimensions and x.op in ("=", "in")
                         and len(x.values) == 2), None)
            if pair is None:
                raise NotUnderstood("a ratio of what to what? name two values, e.g. 'ratio of web to store revenue'",
                                    field="question")
            f.filters.remove(pair)
            # "web vs store ratio": one figure, so no row per compared value (each row would divide by nothing)
            f.dimensions = [d for d in f.dimensions if d != pair.field]
            if f.compare and f.compare.get("dimension") == pair.field:
                f.compare = None
            f.derived = {"kind": "ratio", "dimension": pair.field, "values": pair.values}
            f.measures = f.measures or ["count"]
            f.kind = "aggregate"
        contains = [(n.split(":", 1)[1], "starts with" if n.startswith("starts:") else "contains")
                    for n in f.notes if n.startswith(("contains:", "starts:"))]
        for text, op in contains:
            if any(x.op == op and x.values == [text] for x in f.filters):
                # a text already looked for in its field: after "the parcel whose tracking code contains AB12",
                # "who is the customer?" keeps that search on the parcels, never again on the customer's name
                continue
            # the text column named in the question ("customer names contain"), else the subject's name
            named = [a for a in f.show if self.layer.column(a)["type"] == "VARCHAR"]
            entity = self.layer.entities[f.subject or "products"]
            if not named and text.lower() in self.addresses:
                # an address is looked for in the field it belongs to, never in a name by default
                raise NotUnderstood(f"which field should contain '{text}'?", field="question",
                                    hint=f"e.g. 'customers with an email at {text}'")
            name_col = named[0] if named else f"{entity['table']}.{entity['label']}"
            if self.layer.column(name_col)["type"] != "VARCHAR" and entity.get("code") and text in self.codes:
                name_col = f"{entity['table']}.{entity['code']}"  # "parcel SC-007562645": its tracking code
            if self.layer.column(name_col)["type"] != "VARCHAR":
                raise NotUnderstood(f"'{text}' would be looked for in {name_col.split('.')[-1]}, which is not text",
                                    hint="e.g. \"products with 'drill' in the name\"")
            if named:
                f.show.remove(name_col)
                f.subject = f.subject or next(n for n, e in self.layer.entities.items()
                                              if e["table"] == name_col.split(".")[0])
            if not any(x.field == name_col and x.op == op for x in f.filters):
                f.filters.append(Filter(name_col, op, [text]))
        dated = [m for m in f.measures if self.layer.measures.get(m, {}).get("unit") == "date"]
        if f.order_by == "@date" and len(dated) == 1 and (f.kind != "list" or not self.layer.entities[
                f.subject or "orders"].get("period")):
            # "the product with the oldest last sale date": the one date the question computes is what is ranked
            f.order_by = dated[0]
        if f.kind == "list":
            entity = self.layer.entities[f.subject or "orders"]
            if f.order_by and isinstance(f.order_by, str) and f.order_by.startswith("@"):
                attr = entity.get("period") if f.order_by == "@date" else entity.get("amount")
                if attr is None:
                    raise NotUnderstood(f"{entity['plural']} have no {'date' if f.order_by == '@date' else 'amount'} "
                                        "to rank by", hint="e.g. 'most expensive products', 'newest customers'")
                f.order_by = f"{entity['table']}.{attr}"
        elif f.order_by == "@amount" and not f.derived and len(amounts := [m for m in f.measures if self._in_eur(m)]) == 1:
            # "our biggest customer by revenue": the one amount the question names is what is ranked
            f.order_by = amounts[0]
        elif f.order_by and f.order_by.startswith("@"):
            raise NotUnderstood("I could not tell what to rank by", hint="e.g. 'top 5 products by revenue'")
        if f.period and not f.period_field:
            f.period_field = self._period_field(f)
        if f.kind == "aggregate" and f.grain and not f.period_field:
            f.period_field = self._period_field(f)
        if f.kind == "aggregate" and "count" in f.measures and f.subject is None:
            f.subject = "orders"
        order_side = [x for x in f.filters if "." not in x.field and x.field in self.layer.dimensions
                      and not self.layer.dimensions[x.field]["column"].startswith("customers.")
                      or "." in x.field and not x.field.startswith("customers.")]
        if f.subject == "customers" and "activity:orders" in f.notes and not f.predicates and not order_side \
                and not f.dimensions and not f.order_by and set(f.measures) <= {"count"} and f.kind in ("list", "aggregate") \
                and (f.period is None or f.period_field == "customers.signup_date") and not f.lookup \
                and not self.zero_included:
            # "customers who signed up in 2026 and have placed an order": those with an order (was every one); not
            # when those with none are asked too ("with the orders each has placed, zero included")
            f.predicates.append("has_ordered")
        self._distinct_measures(f)
        self._summed_figures(f)
        if f.measures[:1] == ["count"] and not f.dimensions and not f.grain and not f.derived and not f.order_by:
            # "how many customers have brought in more than 5000 EUR of revenue": the amount the condition is on,
            # named twice (its verb and its noun), is not a second figure
            conditioned = {x.field for x in f.filters if x.field in self.layer.measures}
            f.measures = [m for m in f.measures if m == "count" or m not in conditioned]
        self._check_units(f)
        self._measures_without_their_filter(f)

    def _summed_figures(self, f: QueryForm) -> None:
        """"products with over 700 on hand": a bound on a column of another table that the layer sums into a
        figure of the thing asked about bounds that figure (the glossary's stock of a product: its warehouses'
        rows summed), not one of its rows (one warehouse's record), which would keep a product once per row."""
        if f.subject not in self.layer.entities or any(n.startswith("each:") for n in f.notes):
            return
        table = self.layer.entities[f.subject]["table"]
        for k, x in enumerate(f.filters):
            if "." not in x.field or x.field.split(".")[0] == table:
                continue
            summed = [m for m, spec in self.layer.measures.items()
                      if spec.get("sql") == f"SUM({x.field})" and spec.get("entity") == f.subject]
            if len(summed) == 1:
                f.filters[k] = replace(x, field=summed[0])
                f.measures = [summed[0] if m == x.field else m for m in f.measures]

    def _measures_without_their_filter(self, f: QueryForm) -> None:
        """"revenue of cancelled orders": the glossary's revenue excludes them, so what is asked
        is the plain sum of those orders; the answer says so (the measure's name changes)."""
        if f.subject == "orders" and f.kind == "aggregate" and "count" in f.measures:
            # "how many orders contained more than 10 units": the units of each order counted, whatever
            # its status (the glossary's status filter would drop orders from the count unasked)
            for x in f.filters:
                plain = self.layer.measures.get(x.field, {}).get("without_filter")
                if plain and self.layer.measures[x.field].get("entity") == "orders":
                    x.field = plain
        statuses = {str(v) for x in f.filters if x.field == "status" and x.op in ("=", "in") for v in x.values}
        any_of = [self.layer.dimensions[n[4:]]["column"] for n in f.notes
                  if n.startswith("any:") and n[4:] in self.layer.dimensions]
        for k, m in enumerate(f.measures):
            spec = self.layer.measures.get(m, {})
            flt = spec.get("filter", "")
            if any_of and spec.get("without_filter") and any(col in flt for col in any_of):
                # "units of X across all orders (any status)": the plain sum, whatever the status
                f.measures[k] = spec["without_filter"]
                if f.order_by == m:
                    f.order_by = f.measures[k]
                continue
            if statuses and spec.get("without_filter") and "NOT IN" in flt.upper() and \
                    all(f"'{v}'" in flt for v in statuses):
                f.measures[k] = spec["without_filter"]
                if f.order_by == m:
                    f.order_by = f.measures[k]

    def _distinct_measures(self, f: QueryForm) -> None:
        for m in list(f.measures):
            if m.startswith("distinct:"):
                dim = m.split(":")[1]
                f.measures = ["count"]
                column = self.layer.dimensions[dim]["column"]
                table = column.split(".")[0]
                entity = next((n for n, e in self.layer.entities.items() if e["table"] == table), None)
                if dim in ("customer", "product"):
                    f.subject = entity
                elif "count_distinct:" + dim in f.notes and not f.dimensions and not f.grain:
                    # "in how many countries do we have customers": one number, the values counted
                    f.measures = ["ndistinct:" + column]
                    f.subject = entity or "products"
                    self._holding_places(f, dim)
                else:
                    # how many distinct values: group by the dimension (the rows are the values)
                    f.dimensions = [dim, *f.dimensions]
                    f.subject = entity or "products"
                    f.notes.append("values_of:" + dim)
                    self._holding_places(f, dim)

    def _holding_places(self, f: QueryForm, dim: str) -> None:
        """"which warehouses have the Ensto Rake", "how many warehouses carry it": those holding some of it,
        not every warehouse with a stock record of it (a record may hold 0)."""
        scoped = {n for n, p in self.layer.predicates.items() if p.get("scoped_by") == dim}
        product_fields = {d for d, spec in self.layer.dimensions.items() if spec["column"].startswith("products.")}
        if "in_stock" in scoped and not any(x.removeprefix("not_") in scoped for x in f.predicates) and \
                any(x.field in product_fields or x.field.startswith("products.") for x in f.filters):
            if dim in f.dimensions:
                f.predicates.append("in_stock")  # tested per (product, warehouse)
            else:  # counted: the stock records holding some
                f.filters.append(Filter("inventory.quantity_on_hand", ">", [0]))

    def _check_units(self, f: QueryForm) -> None:
        durations = [m for m in f.measures + [x.field for x in f.filters]
                     if self.layer.measures.get(m.split(":")[-1], {}).get("units")]
        if f.unit and not durations:
            raise NotUnderstood(f"'{f.unit}' only applies to delivery times",
                                hint="e.g. 'average delivery time per carrier in hours'")
        if any(s.text == "money" for s in self.spans) and f.kind in ("aggregate", "list") and \
                not any(self._in_eur(m) for m in f.measures + [x.field for x in f.filters] + [f.order_by or ""]):
            # "how much money was refunded for returned orders": an amount is asked; a count of the orders
            # (the words around "money" that the lake does not hold left out) would answer something else
            raise NotUnderstood("'money' asks for an amount in EUR, and I found no amount in the question I "
                                "could compute", field="money", hint="e.g. 'revenue of web orders in 2025'")

    def _in_eur(self, measure: str) -> bool:
        """Whether a measure (a layer name or ``fn:table.column``) is an amount of money."""
        if ":" in measure:
            return measure.split(":")[-1].split(".")[-1] in ("total_amount", "unit_price", "unit_cost")
        return self.layer.measures.get(measure, {}).get("unit") == "EUR"

    def _named_before_share(self, candidates: list[Filter]) -> Filter | None:
        """"cancellation rate for store orders": the value right before the rate word is its condition (the
        store orders are what it is a rate of)."""
        for i, s in enumerate(self.spans):
            if i == 0 or not s.has("grammar", "share"):
                continue
            named = set(self.values_of(self.spans[i - 1]))
            hit = [x for x in candidates if any((x.field, str(v)) in named for v in x.values)]
            if len(hit) == 1:
                return hit[0]
        return None

    def _share_condition(self, f: QueryForm) -> None:
        """"percentage of orders that were returned": the share's condition is the question's own filter."""
        if f.dimensions and not f.filters and not f.predicates:
            return  # share of the total per group ("share of revenue by channel")
        candidates = [x for x in f.filters if x.field in self.layer.dimensions and x.field not in f.dimensions
                      and x.op in ("=", "in", "not in")]
        if f.dimensions and candidates:
            # "For Norway in 2025, what fraction of revenue did each category make up": a value named only before
            # the share word (not right before it, as in "store cancellation rate") scopes the groups' total
            scope = self._named_as_scope(candidates)
            candidates = [x for x in candidates if x not in scope]
            if not candidates and not f.predicates:
                return
        amounts = [x for x in f.filters if "." in x.field and x.field not in self.layer.measures
                   and x.op in ("<", "<=", ">", ">=", "between")]
        if not candidates and not f.predicates and not f.dimensions and len(amounts) == 1:
            # "what share of 2025 revenue came from orders over 1000 euros": the one bound on the things' own
            # column is the share's condition when nothing else is
            candidates = amounts
        grouped = [x for x in f.filters if x.field in f.dimensions and x.op == "=" and len(x.values) == 1]
        if not candidates and not f.predicates and len(grouped) == 1 and not any(
                self.layer.measures.get(x.field, {}).get("row_sql") for x in f.filters):
            # "(revenue by category) what share of the total did Kitchen account for": the one value named is
            # the share's condition, of the total over every group (was the value's share of itself: 1.0)
            f.dimensions.remove(grouped[0].field)
            candidates = grouped
        durations = [x for x in f.filters if self.layer.measures.get(x.field, {}).get("row_sql")]
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), len(self.spans))
        bracketed = " ".join(re.findall(r"\(([^()]*)\)", self.question.lower()))
        bounds: dict[str, dict] = {}
        for p in f.predicates:
            b = predicate_spec(self.layer, p).get("bound")
            if b and p not in self.layer.predicates:  # "on-time (delivered within 3 days)": not late
                b = {**b, "op": {">": "<=", ">=": "<", "<": ">=", "<=": ">"}[b["op"]]}
            if b:
                bounds[p] = b
        restated = None
        for x in [x for x in durations if bounds]:
            # "late delivery rate (share of shipments taking more than 3 days)", "share of late deliveries (more
            # than 3 days)": a bound in brackets, or beside the condition named before the share word, restates
            # it, which stays the share's; another bound there would be a second, unclear one
            number = f"{x.values[0]:g}"
            words = {number} | {w for w, n in NUMBER_WORDS.items() if f"{n:g}" == number}
            if not (any(re.search(rf"\b{w}\b", bracketed) for w in words) or any(
                    s.has("predicate", p) for p in bounds for s in self.spans[max(0, at - 2):at])):
                continue  # "share of late shipments that took more than 3 days": two conditions, as said
            if not any(x.field == b["measure"] and x.op == b["op"] and x.values == [b["value"]]
                       and (x.unit or self.layer.measures[x.field].get("unit")) == b["unit"] for b in bounds.values()):
                raise NotUnderstood(f"{' and '.join(bounds)} already has a bound "
                                    f"({'; '.join(predicate_spec(self.layer, p)['definition'] for p in bounds)}); "
                                    "I cannot tell which one the share is of", field="question")
            f.filters.remove(x)
            durations.remove(x)
            restated = next(p for p, b in bounds.items() if x.field == b["measure"])
        scale = {"scale": (f.derived or {}).get("scale", "fraction")}  # percent or fraction, as the question said
        if (f.derived or {}).get("of_all"):
            scale["of_all"] = True  # "out of all their shipments": the whole as said, kept
        if durations:  # "share of shipments delivered within 2 days"
            x = durations[-1]
            f.filters.remove(x)
            f.derived = {**scale, "kind": "share", "condition": {"filter": {"field": x.field, "op": x.op,
                                                                             "values": x.values, "unit": x.unit}}}
        elif f.predicates:
            p = restated or self._predicate_asked_as_share(f.predicates) or f.predicates[-1]
            # "late delivery % (share of delivered shipments)": a condition that only decides another one named
            # (late is known of delivered shipments) is the base, never the share (was: the share of late ones
            # that were delivered, 100%)
            p = next((q for q in f.predicates if q != p and predicate_spec(self.layer, q).get("decidable")
                      == predicate_spec(self.layer, p).get("sql")), p)
            f.predicates.remove(p)
            decides = predicate_spec(self.layer, p).get("decidable")
            # ("delivered late": the delivered that only decides lateness is the share's own base, said once)
            f.predicates = [q for q in f.predicates if predicate_spec(self.layer, q).get("sql") != decides]
            f.derived = {**scale, "kind": "share", "condition": {"predicate": p}}
        elif (had := self._had_one_as_share(f, candidates)) is not None:
            if had[0] is not None:
                f.filters.remove(had[0])
            f.derived = {**scale, "kind": "share", "condition": {"predicate": had[1]}}
        elif candidates:
            x = self._named_before_share(candidates) or candidates[-1]
            if self._named_as_share_base(x) and any(y.field.startswith("count:") or y.field in self.layer.measures
                                                   for y in f.filters):
                # "what percentage of our Finnish customers placed at least one order this year": the Finnish
                # customers are what the share is of; its condition is a count of their orders, which I
                # cannot take a share of (read the other way round it would be a wrong answer)
                raise NotUnderstood("I can take a share of things with a value or condition, not of things with "
                                    "a number of orders or an amount", field="question",
                                    hint="e.g. 'how many Finnish customers ordered this year'")
            f.filters.remove(x)
            f.derived = {**scale, "kind": "share",
                         "condition": {"filter": {"field": x.field, "op": x.op, "values": x.values}}}
        elif not f.dimensions:
            raise NotUnderstood("a share of what? I found no condition to take the share of",
                                hint="e.g. 'what percentage of orders were returned'")
        if f.measures and all(self.layer.measures.get(m, {}).get("row_sql") for m in f.measures):
            # (an average delivery time has no share; the SQL would not even parse)
            raise NotUnderstood("a share of an average delivery time is not a figure I can give",
                                hint="e.g. 'share of shipments delivered within 3 days by carrier'")
        if not f.measures:
            f.measures = ["count"]
            f.subject = f.subject or self._subject_from_condition(f)
        if f.kind != "aggregate":
            f.kind = "aggregate"

    def _had_one_as_share(self, f: QueryForm, candidates: list[Filter]) -> tuple[Filter | None, str] | None:
        """"what percent of customers in Sweden placed at least one order last quarter": the things named after
        "<share> of" are the whole; having at least one related row (the layer's predicate that says it) is the
        part, its period on those rows."""
        one = [y for y in f.filters if y.op in (">=", ">") and y.values and float(y.values[0]) == (1 if y.op == ">=" else 0)]
        figures = [y for y in f.filters if y.field.startswith("count:") or y.field in self.layer.measures]
        if len(figures) != len(one) or len(one) > 1 or len(candidates) != 1 or \
                not self._named_as_share_base(candidates[0]):
            return None  # ("share of Finnish customers with more than 5 orders": a count, refused below)
        # "what share of Swedish customers ordered last quarter": the verb of the orders, dated, says the same
        counted = one[0].field if one else next((f"count:{n.split(':')[1]}" for n in f.notes if n.startswith("activity:")
                                                 and f.period is not None), None)
        has = next((n for n, p in self.layer.predicates.items()
                    if counted and p.get("at_least_one") == counted and p.get("entity") == f.subject), None)
        return (one[0] if one else None, has) if has else None

    def _purchases_are_sales(self, f: QueryForm) -> None:
        """"who bought Makita products in October", "customers who bought Husqvarna": a purchase of products is
        an order that counts as a sale, as "bought X but never Y" reads it (a cancelled or returned order was not
        bought); "ordered" keeps every status."""
        verbs = set(self.layer.grammar.get("purchase_verbs", []))
        if f.subject == "products" and f.kind == "list" and "activity:sales" in f.notes and f.period_field is None \
                and not f.measures and "purchase" not in f.predicates and any(
                    s.text.startswith("__period") for s in self.spans) and not any(
                    s.has("grammar", "negation") for s in self.spans):
            # "out of stock products that sold something last month": sold in orders that count as sales
            f.predicates.append("purchase")
            return
        if f.subject != "customers" or "purchase" in f.predicates or f.kind not in ("list", "aggregate") \
                or not any(s.text in verbs and s.first("activity") for s in self.spans) \
                or any(s.has("grammar", "negation") for s in self.spans):
            return
        product_dims = {d for d, spec in self.layer.dimensions.items() if spec["column"].startswith("products.")}
        if any(x.field in product_dims and x.op in ("=", "in") for x in f.filters):
            f.predicates.append("purchase")

    def _net_of_discount(self, f: QueryForm) -> None:
        """"average selling price ... after discounts": said of figures already net of the line discount it only
        restates them; said of any other figure it stays unplaced (a gross figure is not made net)."""
        said = [s for s in self.spans if s.has("grammar", "net_of_discount") and not s.used]
        specs = [self.layer.measures.get(m, {}) for m in f.measures]
        if said and specs and all("discount_percent" in str(x.get("line_sql") or x.get("sql") or "") for x in specs):
            for s in said:
                s.used = True

    def _averaged_over(self, entity: str, before: int) -> bool:
        """A measure named before `before` is an average over the rows of the entity's own table."""
        table = self.layer.entities[entity].get("table")
        for s in self.spans[:before]:
            m = s.first("measure")
            spec = self.layer.measures.get(m[1], {}) if m else {}
            sql = str(spec.get("line_sql") or spec.get("sql") or "")
            if sql.startswith("AVG(") and {t for t, _ in re.findall(r"(\w+)\.(\w+)", sql)} == {table}:
                return True
        return False

    def _named_as_scope(self, candidates: list[Filter]) -> list[Filter]:
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        if at is None:
            return []
        before = self._named_before_share(candidates)
        scope = []
        for x in candidates:
            named = {(x.field, str(v)) for v in x.values}
            where = [k for k, s in enumerate(self.spans) if named & set(self.values_of(s))]
            if x is not before and where and all(k < at - 1 for k in where):
                scope.append(x)
        return scope

    def _named_as_share_base(self, x: Filter) -> bool:
        """"percentage of our Finnish customers ...": the value right after "<share> of" names the things."""
        for k, s in enumerate(self.spans):
            if not s.has("grammar", "share") or k + 1 >= len(self.spans) or self.spans[k + 1].text != "of":
                continue
            nxt = self.next_content(k + 1)
            if nxt is not None and any((x.field, str(v)) in set(self.values_of(nxt[1])) for v in x.values):
                return True
            # "percent of customers in Sweden ...": the value right after the things, by "in" or "from"
            if nxt is not None and nxt[1].first("entity") and self.spans[nxt[0] + 1:nxt[0] + 2] and \
                    self.spans[nxt[0] + 1].text in ("in", "from") and any(
                        (x.field, str(v)) in set(self.values_of(s)) for v in x.values for s in self.spans[nxt[0] + 2:nxt[0] + 3]):
                return True
        return False

    def _predicate_asked_as_share(self, predicates: list[str]) -> str | None:
        """"of the shipments that have been delivered, what share arrived late", "the percentage of late
        deliveries among its delivered shipments": a condition named before the share word or after "among"
        says which things the share is taken of; the one named only between them is the share's condition."""
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        if at is None:
            return None
        among = next((k for k, s in enumerate(self.spans) if k > at and s.text in ("among", "amongst")), len(self.spans))
        asked = []
        for p in predicates:
            where = [k for k, s in enumerate(self.spans) if s.has("predicate", p) or s.has("activity", p)]
            if where and all(at < k < among for k in where):
                asked.append(p)
        # "what share of shipments were delivered late": a condition that only decides another ("late" is known
        # of delivered shipments) is that one's verb; the narrower one is the share's
        deciding = {predicate_spec(self.layer, p).get("decidable") for p in asked}
        asked = [p for p in asked if predicate_spec(self.layer, p).get("sql") not in deciding] or asked
        # ("fraction of active products at low stock": of two named after it, the last is the share's)
        return asked[-1] if asked and len(predicates) > 1 else None

    def _subject_from_condition(self, f: QueryForm) -> str:
        cond = (f.derived or {}).get("condition") or {}
        if cond.get("predicate"):
            return predicate_spec(self.layer, cond["predicate"])["entity"]
        field = cond.get("filter", {}).get("field", "status")
        table = self.layer.dimensions[field]["column"].split(".")[0] if field in self.layer.dimensions else "orders"
        return next((n for n, e in self.layer.entities.items() if e["table"] == table), "orders")

    def _period_field(self, f: QueryForm) -> str:
        activity = [n.split(":")[1] for n in f.notes if n.startswith("activity:")]
        # "max:delivery_time": an aggregate of a layer measure is timed like the measure
        measure = next((m.split(":")[-1] for m in f.measures if m.split(":")[-1] in self.layer.measures), None)
        if measure:
            entity = self.layer.entities[self.layer.measures[measure]["entity"]]
            placed = next((k for k, x in enumerate(self.spans) if x.first("activity") and x.arg("activity") == "orders"
                           and x.text in self.layer.grammar["ordering_verbs"]), None)
            if placed and entity["table"] != "orders" \
                    and self.spans[placed - 1].first("entity") and self.spans[placed - 1].arg("entity") == "orders":
                return "orders.order_date"  # "for orders placed this year, average days to shipment": their placing
            if entity.get("period"):
                return f"{entity['table']}.{entity['period']}"
            return "orders.order_date"
        shown = next((self.layer.measures[m]["entity"] if m in self.layer.measures else m[6:] for m in f.show
                      if m in self.layer.measures or m.startswith("count:") and m[6:] in self.layer.entities), None)
        if shown and "signup" not in activity and self.layer.entities[shown].get("period"):
            # "customers in Oslo with their revenue (number of orders) in 2025": the period is of the figure shown
            # beside them
            entity = self.layer.entities[shown]
            return f"{entity['table']}.{entity['period']}"
        # "the median order amount in 2025 for business customers": an aggregate of a column is timed by
        # the period of the column's own things (the orders), not by the customers' signup
        column = next((m.split(":", 1)[1] for m in f.measures if m.count(":") == 1 and "." in m), None)
        owner = next((e for e in self.layer.entities.values() if column and e["table"] == column.split(".")[0]), None)
        if owner and owner.get("period") and "signup" not in activity:
            return f"{owner['table']}.{owner['period']}"
        subject = f.subject or "orders"
        counted = [x.field.split(":")[1] for x in f.filters if x.field.startswith("count:")]
        if "signup" not in activity and counted and self.layer.entities[counted[0]].get("period"):
            # "customers with more than 3 orders in 2025": the period is of the orders counted
            entity = self.layer.entities[counted[0]]
            return f"{entity['table']}.{entity['period']}"
        measured = [x.field for x in f.filters if x.field in self.layer.measures]
        # "top five customers by revenue in 2025, with the revenue": the period of the figure ranked or shown
        measured += [m for m in (*f.show, f.order_by) if m in self.layer.measures and m not in measured]
        if "orders" in activity and measured and any(x.first("entity") and x.arg("entity") == "orders"
                                                     for x in self.spans):
            return "orders.order_date"  # "shipments late by over 3 days, for orders placed in September"
        if f.subject == "orders" and measured and "orders.order_date" in self.layer.measures[measured[0]].get("row_sql", ""):
            # "which orders from October were shipped more than 3 days after the order date": the orders' own
            # period, the day the figure starts from (not the ship date it ends on)
            return "orders.order_date"
        if "signup" not in activity and measured:
            # "customers who spent over 3000 EUR in 2025": the period is of what the condition measures
            entity = self.layer.entities[self.layer.measures[measured[0]]["entity"]]
            if entity.get("period"):
                return f"{entity['table']}.{entity['period']}"
        if "signup" in activity:
            return "customers.signup_date"
        subject_table = self.layer.entities[subject]["table"]
        # ("share of Finnish customers with a returned order this year": the share's own condition counts too)
        shared = ((f.derived or {}).get("condition") or {}).get("filter") if (f.derived or {}).get("kind") == "share" \
            else None
        other = [self.layer.dimensions[x.field]["column"].split(".")[0] for x in [
                 *f.filters, *([Filter(shared["field"], shared["op"], shared["values"])] if shared else [])]
                 if x.field in self.layer.dimensions and x.op in ("=", "in")]
        dated = [n for n, e in self.layer.entities.items() if e["table"] in other and e["table"] != subject_table
                 and e.get("period")]
        if subject == "customers" and dated:
            # "customers with a cancelled order last month": the period is of the orders the condition is on
            entity = self.layer.entities[dated[0]]
            return f"{entity['table']}.{entity['period']}"
        if any(predicate_spec(self.layer, p).get("period_inside") for p in f.predicates):
            return "orders.order_date"  # "customers who have not ordered this year": a period of their orders
        shared_predicate = ((f.derived or {}).get("condition") or {}).get("predicate")
        if shared_predicate and predicate_spec(self.layer, shared_predicate).get("period_inside") and \
                self._period_right_after(shared_predicate):
            # "what share of customers have not ordered in the last 90 days": the period said right after the
            # condition's verb dates its orders (was: refused as maybe their signup)
            return "orders.order_date"
        conditioned = [n for p in f.predicates for n, e in self.layer.entities.items()
                       if n == predicate_spec(self.layer, p)["entity"] and e["table"] != subject_table and e.get("period")]
        if subject == "customers" and conditioned and "orders" not in activity:
            # "how many customers got a late delivery last month": the period is of the parcels the condition is on
            entity = self.layer.entities[conditioned[0]]
            return f"{entity['table']}.{entity['period']}"
        if "orders" in activity or subject == "products":
            return "orders.order_date"
        shown_dated = [e for c in f.show if "." in c and c.split(".")[0] != subject_table
                       for e in self.layer.entities.values() if e["table"] == c.split(".")[0] and e.get("period")]
        if subject == "customers" and shown_dated and "signup" not in activity:
            # "Helmi Larsen's order ids in October": the period is of the orders whose column is asked for
            return f"{shown_dated[0]['table']}.{shown_dated[0]['period']}"
        if "shipments" in activity:
            return "shipments.shipped_at"
        entity = self.layer.entities[subject]
        return f"{entity['table']}.{entity['period']}" if entity.get("period") else "orders.order_date"

    def _period_right_after(self, predicate: str) -> bool:
        """Whether a period is said right after the words of the predicate ("not ordered in the last 90 days")."""
        for k, s in enumerate(self.spans):
            if s.first("predicate") and s.arg("predicate") == predicate:
                nxt = self._past_prepositions(self.next_content(k))
                if nxt is not None and nxt[1].text.startswith("__period"):
                    return True
        return False

    def _values_never_bought(self) -> None:
        """"which categories has customer 12 never bought from": the values of a product dimension
        with no order line of that customer (a set difference), not customers without orders."""
        f = self.form
        if f.predicates != ["never_ordered"] or f.measures or f.order_by or f.compare:
            return
        if not any(x.field in ("customer", "customers.customer_id") for x in f.filters):
            return
        dims = [d for d in f.dimensions if not self.layer.dimensions[d].get("entity")
                and self.layer.dimensions[d]["column"].startswith("products.")]
        own = self._own_dimension("products")
        if not f.dimensions and f.subject == "products" and own and not f.limit and not any(
                s.first("number") or s.has("grammar", "recommend") for s in self.spans):
            # "which Tools products has Build Tamm Oy never bought?": the products themselves, by name
            dims = f.dimensions = [own]
        if len(dims) != 1 or len(f.dimensions) != 1:
            return
        f.kind, f.subject, f.predicates = "not_bought", "products", []
        f.notes = [n for n in f.notes if not n.startswith("values_of:")]

    def _measures_shown_per_item(self) -> None:
        """Per-product stock figures beside a condition on the products: "low-stock products, how
        far below reorder level" lists each product with its shortfall (the layer's ``shown_with``);
        "products whose stock is more than 5 times their reorder level" lists them with their stock
        (the ratio ``restates`` it). A total is asked with "total"/"overall"."""
        f = self.form
        if f.subject not in (None, "products") or f.dimensions or f.grain or f.order_by or f.limit or f.compare:
            return
        # "whose total stock", "their total reorder level": each one's total, not a total over them
        words = {s.text for k, s in enumerate(self.spans)
                 if not (k > 0 and self.spans[k - 1].text in ("whose", "their", "its"))}
        if words & {"total", "overall", "altogether", "in total", "sum", "combined"}:
            return
        measures = self.layer.measures
        restated = {r for x in f.filters for r in measures.get(x.field, {}).get("restates", [])}
        shown = [m for m in f.measures if m in restated
                 or set(measures.get(m, {}).get("shown_with", [])) & set(f.predicates)]
        if not shown or len(shown) != len(f.measures):
            return
        f.subject = "products"
        f.show += [m for m in shown if m not in f.show]
        # "more than five times their reorder level in stock": both sides of the ratio are shown beside it (was:
        # the stock only)
        f.show += [r for x in f.filters for r in measures.get(x.field, {}).get("restates", []) if r not in f.show]
        f.measures = []

    def _movers(self) -> None:
        """"the slowest 5 movers", "fast movers": products ranked by the layer's sales measure, the
        speed word giving the direction (slow: fewest first)."""
        spec = self.layer.grammar.get("movers")
        if not spec:
            return
        f = self.form
        for i, s in enumerate(self.spans):
            if not s.used and s.has("entity", "products") and s.text.endswith("s") and not s.has("mover"):
                self._speed_of_products(i, spec)
                continue
            if s.used or not s.has("mover"):
                continue
            k = i
            prev = self.prev_content(k)
            if prev and prev[1].first("number") and not prev[1].used and f.limit is None:
                f.limit = int(prev[1].arg("number"))
                prev[1].used = True
                k = prev[0]
                prev = self.prev_content(k)
            after = self.next_content(i)
            if (prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"])) and \
                    s.text in spec.get("verbs", []) and after is not None and not after[1].used and \
                    after[1].text in (*spec["slow"], *spec["fast"]):
                prev = after  # "which category is moving slowest": the speed word after the verb
            if prev is not None and not prev[1].used and prev[1].text in ("top", "bottom") and \
                    s.text in spec.get("ranked", []) and f.subject in (None, "products"):
                # "our top 20 sellers this year (units)", "top 5 sellers by revenue": the ranking word before the noun
                # says which end (left to the superlatives), the sellers are the products ranked, by the figure
                # named or else the movers' measure (was: refused on 'sellers')
                s.used = True
                f.subject = "products"
                if not f.measures:
                    f.measures.append(spec["measure"])
                continue
            if prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"]):
                continue  # "movers" alone does not say which end of the ranking is meant
            prev[1].used = s.used = True
            nxt = self.next_content(prev[0])
            if f.limit is None and nxt and nxt[1].first("number") and not nxt[1].used:
                f.limit = int(nxt[1].arg("number"))  # "slowest 5 movers"
                nxt[1].used = True
            if f.limit is None and s.text in spec["nouns"] and s.text not in spec.get("verbs", []) and \
                    not s.text.endswith("s"):
                f.limit = 1  # "the slowest seller in Garden": one product
            f.direction = "asc" if prev[1].text in spec["slow"] else "desc"
            f.order_by = spec["measure"]
            f.notes.append("order:explicit")
            if f.limit is None and any(x.field == spec["measure"] and x.op in ("<", "<=", ">", ">=", "between")
                                       for x in f.filters):
                # "slow movers: active products that sold fewer than 25 units": the bound says which are slow,
                # every one of them in that order (was: the first 10 only)
                f.notes.append("sorted")
            if spec["measure"] not in f.measures:
                f.measures.append(spec["measure"])
            f.subject = f.subject or "products"

    def _speed_of_products(self, i: int, spec: dict) -> None:
        """"slowest 3 Garden products over the last 180 days (units)": a speed word before the products (past a number
        and values), with the movers' figure named, ranks them as movers do (was: read as a delivery time, refused);
        "slow products" alone may be slow sellers or late parcels, so it stays refused."""
        f = self.form
        if not any(x.has("measure", spec["measure"]) for x in self.spans):
            return
        between: list[Span] = []
        prev = self.prev_content(i)
        while prev is not None and not prev[1].used and (prev[1].first("number") or self.values_of(prev[1])):
            between.append(prev[1])
            prev = self.prev_content(prev[0])
        if prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"]) or f.order_by:
            return
        after = self.next_content(prev[0])
        numbers = [x for x in between if x.first("number")]
        if len(numbers) > 1 or numbers and after is not None and after[1] is not numbers[0]:
            return  # a number elsewhere than right after the speed word ("slowest Garden 3 products") is not a count
        if numbers:
            f.limit = int(numbers[0].arg("number"))
            numbers[0].used = True
        prev[1].used = True
        f.direction = "asc" if prev[1].text in spec["slow"] else "desc"
        f.order_by = spec["measure"]
        f.notes.append("order:explicit")
        if spec["measure"] not in f.measures:
            f.measures.append(spec["measure"])
        f.subject = f.subject or "products"

    def _slow_things(self, f: QueryForm) -> None:
        """"the slow stuff", "slow products": a speed word read as a condition of another thing (late parcels) said
        of products, where nothing of that thing is named, means slow selling as much as late delivery: refused
        (was a silent wrong: the products of late parcels)."""
        speed = set(self.layer.grammar.get("movers", {}).get("slow", []))
        product_side = f.subject == "products" or any(
            self.layer.dimensions.get(d, {}).get("column", "").startswith("products.") for d in f.dimensions)
        if not product_side:
            return
        for s in self.spans:
            name = s.arg("predicate") if s.used and s.text in speed and s.first("predicate") else None
            entity = self.layer.predicates.get(name or "", {}).get("entity")
            if name not in f.predicates or entity in (None, "products"):
                continue
            named = any(x is not s and (x.has("entity", entity) or any(
                y[0] in ("measure", "dimension") and y[1] in self._of_entity(entity) for y in x.senses))
                for x in self.spans)
            if not named:
                raise NotUnderstood(f"'{s.text}' of products could mean slow selling or {name} delivery",
                                    hint="say 'slowest selling products' or 'products in late shipments'")

    def _of_entity(self, entity: str) -> set[str]:
        """The layer's measures and dimensions computed from an entity's table ("carrier", "delivery time")."""
        table = self.layer.entities[entity]["table"]
        out = {m for m, spec in self.layer.measures.items() if spec.get("entity") == entity}
        return out | {d for d, spec in self.layer.dimensions.items() if spec.get("column", "").startswith(table + ".")}

    def _evaluative_direction(self, f: QueryForm) -> None:
        """"the worst late share": worst and best judge, they do not measure; ranked by the share of a condition
        the layer marks undesirable (late), the worst is the highest share and the best the lowest."""
        condition = (f.derived or {}).get("condition") or {}
        spec = self.layer.predicates.get(condition.get("predicate") or "", {})
        judged = [s for s in self.spans if s.used and s.text in self.layer.grammar.get("evaluative", {})]
        if f.order_by and (f.derived or {}).get("kind") == "share" and spec.get("undesirable") and len(judged) == 1:
            f.direction = "desc" if self.layer.grammar["evaluative"][judged[0].text] == "asc" else "asc"

    def _purposes(self, f: QueryForm) -> None:
        """Words naming only what a list is for ("at risk", "worth promoting", "for a bundle") are placed when
        the layer lists them as purposes of the form that was read (any one of its ``requires`` shapes);
        never as skipped words. The purpose is noted so the answer says which definition answered it."""
        purposes = self.layer.grammar.get("purposes", {})
        def fits(name: str) -> bool:
            needs = purposes[name]["requires"]
            return any(self._purpose_fits(f, need) for need in (needs if isinstance(needs, list) else [needs]))
        for s in self.spans:
            # a phrase of several purposes ("pick the one with": a carrier's choice, or any ranked group's first)
            # is the first one that fits the form
            sense = next((x for x in s.senses if x[0] == "purpose" and fits(x[1])), s.first("purpose"))
            if s.used or sense is None:
                continue
            if fits(sense[1]):
                s.used = True
                if f"purpose:{sense[1]}" not in f.notes:
                    f.notes.append(f"purpose:{sense[1]}")
                other = purposes[sense[1]].get("other_end")
                if other in f.dimensions and f.limit:
                    # "Vantaa is almost out: which warehouse should we transfer some from?": the warehouse
                    # named is where the stock goes, so the one to take from is among the others
                    f.filters = [replace(x, op="not in") if x.field == other and x.op in ("=", "in") else x
                                 for x in f.filters]
                    words = set(purposes[sense[1]].get("other_end_words", []))
                    receiver_states = set(purposes[sense[1]].get("other_end_states", []))
                    for k, named in enumerate(self.spans):
                        if not any(v[0] == other for v in self.values_of(named)):
                            continue
                        # "the X is empty in Vantaa: which warehouse has the most of it": the state said of the
                        # one product named just before the receiver's name is the receiver's stock too
                        before = [b for b in self.spans[:k]
                                  if not (b.senses and all(x[0] == "stop" for x in b.senses))]
                        state = before[-1].arg("predicate") if before and before[-1].first("predicate") else None
                        if (state in receiver_states and state in f.predicates
                                and any(x.field == "product" and x.op in ("=", "in") for x in f.filters)):
                            f.predicates.remove(state)
                            f.notes.append(f"receiver_state:{state}")
                            continue
                        for after in self.spans[k + 1:]:
                            if after.senses and all(x[0] == "stop" for x in after.senses):
                                continue
                            state = after.arg("predicate") if after.first("predicate") else None
                            if state in receiver_states and state in f.predicates:
                                # "Vantaa is running low on it": the receiver's stock, not a condition on
                                # the warehouses ranked to take from
                                f.predicates.remove(state)
                                f.notes.append(f"receiver_state:{state}")
                                break
                            if after.used or after.senses or after.text not in words:
                                break
                            after.used = True
                    # "The X is out of stock in Vantaa. Which warehouse has the most of it?": a state said with the
                    # warehouse named before the question (a premise) is the receiver's too
                    asks = next((k for k, x in enumerate(self.spans) if x.text in ("which", "what", "where")), None)
                    named_at = [k for k, x in enumerate(self.spans) if any(v[0] == other for v in self.values_of(x))]
                    for k, x in enumerate(self.spans):
                        state = x.arg("predicate") if x.first("predicate") else None
                        if state in receiver_states and state in f.predicates and asks is not None and k < asks \
                                and named_at and all(j < asks for j in named_at):
                            f.predicates.remove(state)
                            f.notes.append(f"receiver_state:{state}")
                    for state in f.predicates:
                        if state in receiver_states and self.layer.predicates[state].get("scoped_by") == other and \
                                any(x.field == other and x.op == "not in" for x in f.filters):
                            # "the most stock of products out of stock in Vantaa so we can transfer": a state of
                            # the things asked about, said of the warehouse named, is that warehouse's (the
                            # receiver's), not of the others ranked
                            f.notes.append(f"receiver_scope:{state}")

    def _worse_high(self, f: QueryForm) -> bool:
        """The higher the ranked figure, the worse: a share of an undesirable condition ("the highest late share"),
        or a count of things under one ("the most late deliveries", was: read as the best, so refused beside
        "which carrier should we drop")."""
        condition = (f.derived or {}).get("condition") or {}
        if (f.derived or {}).get("kind") == "share":
            return bool(self.layer.predicates.get(condition.get("predicate") or "", {}).get("undesirable"))
        counted = f.order_by is not None and (f.order_by == "count" or f.order_by.startswith("count:"))
        return counted and not f.derived and bool(f.predicates) and all(
            self.layer.predicates.get(p, {}).get("undesirable") for p in f.predicates)

    def _purpose_fits(self, f: QueryForm, need: dict) -> bool:
        fits = True
        if "predicates" in need:
            fits &= bool(set(need["predicates"]) & set(f.predicates))
        if "predicates_all" in need:  # "dead stock": in stock and never sold, both read
            fits &= set(need["predicates_all"]) <= set(f.predicates)
        if need.get("ranked") == "none":  # a plain list: no ranking or top N read alongside
            fits &= f.order_by is None and not f.limit
        elif need.get("ranked") == "worst":
            # "which carrier should we drop? the one with the highest late share": the worst first (the highest
            # share of an undesirable condition, else the lowest figure)
            worse_high = self._worse_high(f)
            fits &= f.order_by is not None and f.direction == ("desc" if worse_high else "asc")
        elif "ranked" in need:
            fits &= f.order_by is not None and need["ranked"] in ("any", f.direction)
        if "order_by" in need:
            fits &= f.order_by in need["order_by"]
        if "subject" in need:
            sub_dim = {"customers": "customer", "products": "product"}.get(need["subject"])
            fits &= f.subject == need["subject"] or sub_dim in f.dimensions
        if "dimension" in need:
            fits &= bool(set(need["dimension"]) & set(f.dimensions))
        if "filter_on" in need:
            fits &= any(x.field in need["filter_on"] and x.op in (">", ">=") for x in f.filters)
        if "filter_on_any" in need:
            fits &= any(x.field in need["filter_on_any"] and x.op in ("=", "in") for x in f.filters)
        if need.get("filter_below"):
            # "margin under 25% - should we drop them": an upper limit on a measure
            fits &= any(x.field in self.layer.measures and x.op in ("<", "<=") for x in f.filters)
        if "kind" in need:
            fits &= f.kind in need["kind"]
        if "measures_all" in need:  # "where should we restock X - stock and reorder level per warehouse"
            fits &= set(need["measures_all"]) <= set(f.measures)
        return fits

    def _titled(self) -> set[str]:
        """Words written with a capital inside a sentence (not its first word): the shape of a name."""
        out = set()
        for sentence in re.split(r"[.?!:;\u2014]\s+", self.question):
            words = re.findall(r"[\w'-]+", sentence)
            out |= {w.lower() for w in words[1:] if w[:1].isupper() and w[1:2].islower()}
        # a name the spelling mender took for a lake word ("Maija" as "maja") is still the name written
        return out | {better for original, better in self.corrections if original in out}

    def _missing_names(self, left: list[Span]) -> None:
        """A name of a kind the question's shape says (a word before a dimension's noun, a code with the
        field's prefix, a person's two names) that the lake does not hold is not found: the answer is
        that it does not exist, never a refusal that reads as if the question were unclear."""
        titled = self._titled()
        closed = {d for d in self.layer.dimensions if not any(e.get("table") and d == n for n, e in
                                                                 self.layer.entities.items())}
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if nxt is None or s.text not in titled:
                continue
            noun = nxt[1].first("dimension")
            if noun is None or nxt[1].first("entity") or noun[1] not in closed:
                continue
            if any(x.text in ("which", "what", "who", "how", "where", "when") for x in self.spans[k + 1:nxt[0]]):
                continue  # "For Denmark, which carrier ...": the noun opens a new clause; it does not name the word
            values = self.values_of(s)
            table = self.layer.dimensions[noun[1]]["column"].split(".")[0]
            grouped = nxt[1].text.endswith("s") or k > 0 and (
                self.spans[k - 1].text in EACH_WORDS or self.spans[k - 1].has("grammar", "group_by"))
            if s not in left and grouped and any(
                    self.layer.dimensions[d]["column"].split(".")[0] == table for d, _ in values):
                # "Finnish cities", "in each Finnish city": the cities of that country (one table), grouped, not one
                # named (was: "each Finnish city" not found, as a city named Finnish)
                continue
            if s in left or values and all(d != noun[1] for d, _ in values):
                # "our Tallinn warehouse": a city, but no warehouse of that name
                raise NotFound(f"there is no {noun[1]} named {s.text.title()!r} in the lake", field="question",
                               hint=f"ask for the {noun[1]}s there are, e.g. 'stock by {noun[1]}'")
        # "How many DeWalt Hammer Drill do we have": a run of capitalised words, one a kind of product the lake's
        # names hold ("Hammer") and the others names it does not know, is a product the lake does not hold (was:
        # refused as not understood)
        named = [k for k, s in enumerate(self.spans) if s.text in titled and s.text.isalpha()
                 and (s in left or s.first("product_kind"))]
        run = [k for k in named if k - 1 in named or k + 1 in named]
        if left and len(run) >= 2 and run == list(range(run[0], run[-1] + 1)) and \
                all(self.spans.index(x) in run for x in left) and any(self.spans[k].first("product_kind") for k in run):
            written = {b: a for a, b in self.corrections}
            name = " ".join(written.get(self.spans[k].text, self.spans[k].text).title() for k in run)
            raise NotFound(f"there is no product named {name!r} in the lake", field="question",
                           hint="check the product's spelling, or ask for the products there are")
        # "What has Rakennus Lindgren Oy ordered", "Olaf Gunnarsdottir Ab": three or four capitalised words, all that
        # is left, none a kind of product, one of them a word of the lake's customer names ("Oy") or a company form
        # (layer company_suffixes): a customer the lake does not hold (was: refused as not understood)
        at = [k for k, s in enumerate(self.spans) if s in left]
        if 3 <= len(at) <= 4 and at == list(range(at[0], at[-1] + 1)) and all(
                self.spans[k].text in titled and self.spans[k].text.isalpha() and not self.spans[k].first("product_kind")
                for k in at):
            words = {self.spans[k].text for k in at} & self.p.lexicon.value_words
            company = {self.spans[k].text for k in at} & set(self.layer.grammar.get("company_suffixes", []))
            if company or words and any(x[0] == "value" and x[1] == "customer"
                                        for key, senses in self.p.lexicon.phrases.items()
                                        if len(key) > 1 and words & set(key) for x in senses):
                written = {b: a for a, b in self.corrections}
                name = " ".join(written.get(self.spans[k].text, self.spans[k].text).title() for k in at)
                raise NotFound(f"there is no customer named {name!r} in the lake", field="question",
                               hint="check the customer's name")
        for k, s in enumerate(self.spans):
            if s not in left:
                continue
            prev, nxt = self.prev_content(k), self.next_content(k)
            if prev is not None and prev[1].first("attribute") and re.fullmatch(r"[0-9][\w-]*", s.text) and \
                    prev[1].arg("attribute").split(".")[0] in {e["table"] for e in self.layer.entities.values()}:
                # "SKU-009999": the field's prefix and a code the lake does not hold
                raise NotFound(f"there is no {prev[1].text} {prev[1].text.upper()}-{s.text.upper()} in the lake",
                               field="question", hint=f"check the {prev[1].text}")
            before = self.values_of(prev[1]) if prev is not None else []
            if prev is not None and prev[0] == k - 1 and prev[1] not in left and any(d == "brand" for d, _ in before) \
                    and not s.first("number") and s.text.isalpha():
                # "stock makita snow blower", written in lower case: a brand and words right after it that
                # name nothing are a product of that brand the lake does not hold
                written = {b: a for a, b in self.corrections}
                j = k + 1
                while j < len(self.spans) and self.spans[j] in left and self.spans[j].text.isalpha():
                    j += 1
                if any(x not in self.spans[k:j] for x in left) and not all(x.text in titled for x in self.spans[k:j]):
                    # "tell me a joke about Oras taps": more is not understood than a name; one written with
                    # capitals ("the Fiskars Snow Shovel? should we reorder before winter?") is a name all the same
                    continue
                name = " ".join(written.get(x.text, x.text).title() for x in [prev[1], *self.spans[k:j]])
                raise NotFound(f"there is no product named {name!r} in the lake", field="question",
                               hint="check the product's spelling, or ask for the products of the brand")
            if s.text not in titled:
                continue
            products = self.form.subject == "products" or "product" in self.form.dimensions
            if products and left == [s] and k > 0 and self.spans[k - 1].text in ("from", "by") and s.text.isalpha():
                # "slow movers from DeWalt this year": products from a name, the only word not placed, are a brand's
                raise NotFound(f"there is no brand named {s.text.title()!r} in the lake", field="question",
                               hint="check the brand's spelling, or ask for the brands there are")
            if nxt is not None and nxt[1].first("entity") and nxt[1].arg("entity") == "products" or \
                    any(d == "brand" for d, _ in before):
                # "Hilti products" (no such brand), "Bosch Dishwasher" (no such product of the brand)
                kind = "product" if before else "brand"
                name = f"{prev[1].text.title()} {s.text.title()}" if before and prev is not None else s.text.title()
                raise NotFound(f"there is no {kind} named {name!r} in the lake", field="question",
                               hint=f"check the {kind}'s spelling, or ask for the {kind}s there are")
            if nxt is not None and nxt[1] in left and nxt[1].text in titled and (
                    prev is None or not (prev[1] in left and prev[1].text in titled)):
                after = self.next_content(nxt[0])
                name_parts = [s, nxt[1]]
                if (after is None or not (after[1] in left and after[1].text in titled)) and \
                        not (after is not None and after[0] == nxt[0] + 1 and after[1] in left and
                             after[1].text not in self.layer.grammar.get("company_suffixes", [])):
                    # "has Pekka Virtanen spent": a person's first and last name, no customer of that name
                    # ("how many pickers do we need for the Black Friday week?": a word not understood right after
                    # the two names, not a company form, makes them no person's name; was: no customer named Black Friday)
                    written = {b: a for a, b in self.corrections}
                    person = " ".join(written.get(x.text, x.text).title() for x in name_parts)
                    if any(x.has("grammar", "bought_together") for x in self.spans):
                        # "what sells together with the Stihl Chainsaw?": what is bought with it is a product
                        raise NotFound(f"there is no product named {person!r} in the lake", field="question",
                                       hint="check the product's spelling, or ask for the products there are")
                    raise NotFound(f"there is no customer named {person} in the lake",
                                   field="question", hint="check the customer's name")

    def _conditions_per_scope(self, f: QueryForm) -> None:
        """"out of stock in Vantaa but over 50 units in Kuopio": each warehouse has its own condition.
        The form holds one set of warehouses for all conditions, which would test both conditions on
        the two together (always empty here), so the question is refused instead."""
        scopes = {predicate_spec(self.layer, p).get("scoped_by") for p in f.predicates} - {None}
        for scope in scopes:
            at = [k for k, s in enumerate(self.spans) if any(d == scope for d, _ in self.values_of(s))]
            values = {v for k in at for d, v in self.values_of(self.spans[k]) if d == scope}
            if len(values) < 2:
                continue
            between = self.spans[at[0] + 1:at[-1]]
            ops = {x.op for x in f.filters if x.field == scope}
            # "out of stock in Vantaa but not in Kuopio": the condition held in one, not held in the other
            negated = bool(ops & {"=", "in"}) and bool(ops & {"not in", "!=", "<>"}) and \
                any(x.has("grammar", "negation") for x in between)
            if negated or any(x.first("predicate") or x.first("comparator") or x.first("measure") for x in between):
                raise NotUnderstood(f"the question puts a different condition on each {scope}; I can test "
                                    f"conditions only on the {scope}s together",
                                    hint=f"ask about one {scope} at a time, e.g. 'products out of stock in "
                                         f"{sorted(values)[0]}'")

    def _accept(self, f: QueryForm) -> None:
        if any(s.text in self.layer.grammar.get("sold_lines", []) and s.first("entity") == ("entity", "order_lines")
               for s in self.spans) and "activity:sales" not in f.notes:
            f.notes.append("activity:sales")  # "sales lines": the lines of orders that count as sales
        self._kinds_together(f)
        self._share_of_dated_condition(f)
        self._at_most_counted(f)
        self._sold_products_counted(f)
        self._never_bought_values(f)
        self._counted_per_itself(f)
        self._missing_names([s for s in self.spans if not s.used and not s.has("stop")])
        self._conditions_per_scope(f)
        self._intents_and_currency(f)
        self._sales_orders_restated(f)
        self._own_entity_conflict(f)
        if "zero_included" in f.notes and self.p.planner.zero_entity(f) is None:
            # "including those with zero" where no thing's rows can be joined outer: dropped, it would be a wrong answer
            raise NotUnderstood("I cannot include the ones with none here", field="question",
                                hint="e.g. 'business customers in Tampere with their number of orders in 2026, "
                                     "including those with zero'")
        both = sorted(p for p in f.predicates if "not_" + p in f.predicates)
        if both:  # "late" and "not late" at once: always empty
            raise NotUnderstood(f"the question asks for {predicate_spec(self.layer, both[0])['label']} and not "
                                f"{predicate_spec(self.layer, both[0])['label']} at once",
                                hint=f"ask for one of them, or compare them: '{both[0]} vs not {both[0]}'")
        for m in {*f.measures, f.order_by or "", *(x.field for x in f.filters)}:
            undefined = set(self.layer.measures.get(m.split(":")[-1], {}).get("undefined_with", [])) & set(f.predicates)
            if undefined:
                # "in transit for more than 10 days": a delivery time does not exist before delivery
                raise NotUnderstood(f"{self.layer.measures[m.split(':')[-1]]['label'].lower()} is not known for "
                                    f"{predicate_spec(self.layer, sorted(undefined)[0])['label']} "
                                    f"{self.layer.predicates[sorted(undefined)[0]]['entity']}",
                                    hint="e.g. 'shipments not delivered that were shipped before 20 October'")
        # "average margin in percent": an average scaled ("100 * AVG(...)") is an average too (was: 'average'
        # left unplaced beside the percent variant)
        averaging = any(re.match(r"(?:[\d.]+\s*\*\s*)?AVG\(", self.layer.measures.get(m, {}).get("sql") or
                                 self.layer.measures.get(m, {}).get("line_sql") or "") for m in f.measures)
        shared = ((f.derived or {}).get("condition") or {}).get("predicate")  # "share from discounted order lines"
        predicate_entities = {predicate_spec(self.layer, p)["entity"] for p in [*f.predicates, *([shared] if shared else [])]}
        # "orders that include a line with a 20% discount": the noun of the rows the filter is on
        filtered_tables = {x.field.split(".")[0] for x in f.filters if "." in x.field}
        # "to customers there" beside a city: the noun of a dimension's own table
        filtered_tables |= {self.layer.dimensions[x.field]["column"].split(".")[0] for x in f.filters
                            if x.field in self.layer.dimensions}
        predicate_entities |= {n for n, e in self.layer.entities.items() if e["table"] in filtered_tables}
        for s in self.spans:
            if not s.used and s.has("grammar", "average") and averaging:
                s.used = True  # "average delivery time": the measure is an average already
            if not s.used and s.first("entity") and s.arg("entity") in predicate_entities:
                s.used = True  # "orders whose shipment is not delivered": the condition's own noun
        period_table = (f.period_field or "").split(".")[0] if f.period else None
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if not s.used and s.first("entity") and period_table and \
                    self.layer.entities[s.arg("entity")]["table"] == period_table and \
                    nxt is not None and nxt[1].first("activity") and nxt[1].used:
                s.used = True  # "(orders placed this year)": the owner of the period's date
            if not s.used and s.first("entity") and (f.derived or {}).get("kind") == "average_per" and \
                    s.arg("entity") == (f.derived or {}).get("entity") and nxt is not None and \
                    nxt[1].first("activity") and nxt[1].used:
                s.used = True  # "per customer, counting only customers who have ordered": the only ones averaged
            if not s.used and s.text == "time" and self.spans[0].text == "when" and k > 1 \
                    and [x.text for x in self.spans[k - 2:k]] == ["date", "and"]:
                s.used = True  # "when exactly (date and time) was order 1 delivered": what "when" asks
            if not s.used and s.text in ("every", "each") and f.kind == "list" and f.subject and not f.dimensions:
                # "give me every active product at low stock": in a list of the things named, "every" is "all"
                after = self.next_content(k)
                while after is not None and (self.values_of(after[1]) or after[1].first("predicate")) \
                        and not after[1].first("entity"):
                    after = self.next_content(after[0])
                if after is not None and after[1].used and after[1].first("entity") \
                        and after[1].arg("entity") == f.subject:
                    s.used = True
                # "show each with its stock", "how much do we have of each": each of the things listed, with the
                # figure shown beside it (no grouping, no new thing)
                before = self.spans[k - 1].text if k > 0 else ""
                nxt_text = self.spans[k + 1].text if k + 1 < len(self.spans) else None
                if s.text == "each" and (f.show or any(predicate_spec(self.layer, p).get("show") for p in f.predicates)) \
                        and ((before == "of" and (after is None or self._of_each() and after[0] == len(self.spans) - 1))
                             or (nxt_text == "with" and before in (
                            "show", "list", "give", "display", "name"))):
                    s.used = True
        tail = re.search(r"[—–,:;-]\s*((?:total|totals|sum|number|amount|figure|figures)(?:\s+(?:amount|value))?)\W*$", self.question, re.IGNORECASE)
        if tail and f.kind == "list" and not f.measures and not f.show:
            # "paid orders — total": a figure asked after the list, never dropped to list the rows anyway
            raise NotUnderstood(f"I could not tell what {tail.group(1).lower()!r} at the end asks for",
                                hint="say it in the question, e.g. 'how many paid orders' or 'total amount of paid orders'")
        # "their order count" beside a count already asked ("more than 20 orders", "customer count") is that count
        counted = "count" in f.measures or any(x.field.split(":")[0] == "count" for x in f.filters)
        left = [s for s in self.spans if not s.used and (not s.has("stop") or s in self.unplaced and not counted)]
        if left:
            from .answers import describe_form

            words = ", ".join(repr(s.text) + _tied_note(self.unsure.get(s.text, ())) for s in left)
            try:
                understood = describe_form(f, self.layer)
            except Exception:  # noqa: BLE001 - a half-filled form may not describe; the refusal still stands
                understood = ""
            raise NotUnderstood(
                f"I could not place {words} in the question" + (f"; I understood: {understood}" if understood else ""),
                hint="rephrase with the lake's words, e.g.: " + "; ".join(SUGGESTIONS[:4]))
        if self.corrections:
            f.notes.append("corrected:" + ", ".join(f"'{a}' as '{b}'" for a, b in self.corrections))
        if f.kind == "aggregate" and not f.measures:
            raise NotUnderstood("I could not tell what to compute", hint="try: " + "; ".join(SUGGESTIONS[:4]))
