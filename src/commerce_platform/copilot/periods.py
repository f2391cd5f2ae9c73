"""Dates and periods read from a question: Periods, relative periods, shifting a period back."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ..errors import ValidationFailed
from .query import Period
from .reading.patterns import NUMBER_WORDS

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"
# A date in words or ISO: 2025-03-01 | 1 March 2025 | March 1, 2025 | 1.3.2025
DATE_RE = (rf"(?:(\d{{4}}-\d{{2}}-\d{{2}})|(?:the\s+)?{DAY_RE}\s+(?:of\s+)?({MONTH_RE})\s*,?\s*(\d{{4}})|({MONTH_RE})\s+{DAY_RE},?\s+(\d{{4}})"
           rf"|(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}))")


# "the first of March", "the twenty-third of May": a day of the month said as an ordinal word
ORDINAL_DAYS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}


def _ordinal_day(words: str) -> int:
    """"thirtieth" 30, "twenty-first" 21, "fifth" 5."""
    parts = re.split(r"[\s-]+", words.lower())
    if parts == ["twentieth"]:
        return 20
    if parts == ["thirtieth"]:
        return 30
    tens = {"twenty": 20, "thirty": 30}.get(parts[0], 0) if len(parts) > 1 else 0
    return tens + ORDINAL_DAYS[parts[-1]]


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

    def __init__(self, as_of: date, change_words: tuple[str, ...] = (), both_words: tuple[str, ...] = ()) -> None:
        self.as_of = as_of
        self.found: list[Period] = []
        # the quarters, halves and months named with no year ("the fourth quarter", "in March"): the as-of year
        # was taken; a follow-up may read them in the previous answer's year instead
        self.yearless: list[tuple[str, str]] = []  # one entry per slot so named
        # "growth", "change": a question about how a figure moved, where "from March to April" names two months
        self.change_re = re.compile(rf"\b(?:{'|'.join(map(re.escape, change_words))})\b") if change_words else None
        # "both": "ordered in both September and October" names two months, each on its own, not one span
        self.both_re = re.compile(rf"\b(?:{'|'.join(map(re.escape, both_words))})\s*$") if both_words else None

    def _slot(self, period: Period) -> str:
        self.found.append(period)
        return f" __period{len(self.found) - 1}__ "

    def _calendar(self, start: date, end: date, label: str) -> Period:
        """A named year, half, quarter or month; one that holds the as-of day ends where "this year" ends
        (the day before it): "in 2026" asked on 1 November 2026 is 2026 so far, not parcels shipped tomorrow."""
        if start <= self.as_of <= end:
            end = _through(start, self.as_of)
        return _period(start, end, label)

    def _said_yearless(self, period: Period, yearless: bool) -> Period:
        if yearless:
            self.yearless.append((period.start, period.end))
        return period

    def _named_year(self, words: str | None) -> int:
        """"Q3 this year", "H1 last year"; no words: the as-of year."""
        return self.as_of.year - 1 if words and words.startswith(("last", "previous")) else self.as_of.year

    def _month_period(self, name: str, year: str | None, default_year: int | None = None) -> Period:
        mo = MONTHS[name]
        y = int(year) if year else (default_year if default_year else
                                    (self.as_of.year if mo <= self.as_of.month else self.as_of.year - 1))
        return self._said_yearless(self._calendar(date(y, mo, 1), _month_end(y, mo), f"{calendar.month_name[mo]} {y}"),
                                   not (year or default_year))

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
        # "from the first of March 2025 to the thirtieth of April 2025": a day said as an ordinal word before "of" and
        # a month is that day of the month (was: refused, two periods named)
        text = sub(rf"\bthe\s+((?:(?:twenty|thirty)[\s-]+)?(?:{'|'.join(ORDINAL_DAYS)})|twentieth|thirtieth)\s+of\s+({MONTH_RE})\b",
                   lambda m: f"the {_ordinal_day(m.group(1))} of {m.group(2)}", text)
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
            if not year and first.start_date > last.start_date:
                # "January through December" with no year: the run of months ending in the last month's own year
                # (its latest start up to the as-of day; was: each month on its own, January 2026 to December 2025,
                # a range running backwards); one across the new year ("November to February") starts the year before
                start_year = last.start_date.year - (MONTHS[a] > MONTHS[b])
                first = self._month_period(a, str(start_year))
            if m.group(0).lstrip().startswith("from") and re.search(r"\bto\b", m.group(0)) and self.change_re \
                    and self.change_re.search(m.string):
                # "the percentage change from September to October": the two months compared, not both together
                return f"from {self._slot(first)} to {self._slot(last)}"
            if re.search(r"\band\b", m.group(0)) and not m.group(0).lstrip().startswith("between") and (
                    last.start_date != first.end_date + timedelta(days=1)
                    or self.both_re is not None and self.both_re.search(m.string[:m.start()])):
                # "October 2025 and October 2026": two months apart are two periods, not every month between
                # them (was: one span from the first to the last, thirteen months summed)
                return f" {self._slot(first)} and {self._slot(last)}"
            return self._slot(_period(first.start_date, last.end_date, f"{first.label} to {last.label}"))
        # "per month in 2026 up to October", "2025, Q1 through Q4": a year, then how far into it (a month or a run of
        # its quarters said without a year of their own) is that year up to there, one period (was: the year and a
        # yearless month or two quarters, refused as periods to compare)
        def year_up_to_month(m: re.Match) -> str:
            y, mo = int(m.group(1)), MONTHS[m.group(2)]
            return self._slot(self._calendar(date(y, 1, 1), _month_end(y, mo), f"{y} up to {calendar.month_name[mo]}"))
        # (not "from 2024 through June": a range from a year, whose end's year is not said)
        text = sub(rf"(?<!from )(?<!between )\b((?:19|20)\d{{2}})\s*,?\s+(?:up\s+to|through|until|till)\s+"
                   rf"(?:and\s+including\s+)?({MONTH_RE})\b"
                   rf"(?!\.?\s*,?\s*\d)", year_up_to_month, text)

        def year_quarters(m: re.Match) -> str:
            y, a, b = int(m.group(1)), int(m.group(2)), int(m.group(3))
            label = str(y) if (a, b) == (1, 4) else f"Q{a} {y} to Q{b} {y}"
            return self._slot(self._calendar(date(y, 3 * a - 2, 1), _month_end(y, 3 * b), label))
        text = sub(r"(?<!from )(?<!between )\b((?:19|20)\d{2})\s*,?\s+(?:from\s+)?q([1-4])\s*(?:to|through|until|till|-|\.\.)\s*q([1-4])\b"
                   r"(?!\s*,?\s*(?:of\s+)?\d)", lambda m: year_quarters(m) if m.group(2) < m.group(3) else m.group(0), text)
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
        # "on the road since before 1 October": a state begun before the day is dated before it ("since" adds only
        # that it lasts, which the state itself says)
        text = sub(r"\bsince\s+(?=(?:before|prior\s+to)\s)", "", text)
        text = sub(rf"\b(on\s+or\s+after|on\s+or\s+before|before|prior\s+to|after|since|until|till|up\s+to|on)\s+(?:(?:the\s+)?{DAY_RE}\s+(?:of\s+)?({MONTH_RE})"
                   rf"|({MONTH_RE})\.?\s+{DAY_RE})\b(?!\s*,?\s*\d{{4}})(?!\s*(?:-|to|until|till|through)\s)"
                   rf"(?!\s*and\s+(?:the\s+)?(?:\d|{MONTH_RE}))",
                   yearless, text)
        # ("before 1 October and still not delivered": an "and" that joins another clause, not a second day of a
        # range, leaves the day as said; was: the day unread, the month alone taken)
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
            return self._slot(self._said_yearless(self._calendar(date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn),
                                                                 f"Q{qn} {y}"), not (m.group(2) or m.group(3))))
        this_last = r"(?:\s+(?:of\s+)?(?:(\d{4})|(this year|last year|previous year)))?"
        text = sub(r"\b(q[1-4]|(?:first|second|third|fourth) quarter)" + this_last + r"\b", quarter, text)

        def half(m: re.Match) -> str:
            h = 1 if m.group(1) in ("h1", "first half") else 2
            y = int(m.group(2)) if m.group(2) else self._named_year(m.group(3))
            return self._slot(self._said_yearless(self._calendar(date(y, 6 * h - 5, 1), _month_end(y, 6 * h),
                                                                 f"H{h} {y}"), not (m.group(2) or m.group(3))))
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


def unit_of(period: Period, grain: str) -> tuple[int, int] | None:
    """The one unit of the grain a period lies within (Q2 2025 within the year 2025), or None."""
    a, b = period.start_date, period.end_date
    keys = {"year": lambda d: (d.year, 0), "quarter": lambda d: (d.year, (d.month - 1) // 3),
            "month": lambda d: (d.year, d.month)}
    key = keys.get(grain)
    return key(a) if key is not None and key(a) == key(b) else None


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


# the growth phrases that name the unit compared over ("year over year" after Q3 2026: Q3 2025, not Q2 2026)
OVER_UNIT = {"year over year": "year", "yoy": "year", "year on year": "year", "month over month": "month",
             "mom": "month", "month on month": "month", "quarter over quarter": "quarter", "qoq": "quarter",
             "quarter on quarter": "quarter"}


def shift_over(period: Period, texts: list[str], grain: str | None) -> Period:
    """The period a growth compares with: the one before (``shift_back``), over the unit its phrase names ("year
    over year" after Q3 2026: Q3 2025, labelled so), else over ``grain``."""
    said = {OVER_UNIT[t] for t in texts if t in OVER_UNIT}
    if len(said) != 1:
        return shift_back(period, grain)
    unit = said.pop()
    before = shift_back(period, unit)
    named = re.fullmatch(r"(Q[1-4]|H[12]|[A-Z][a-z]+) (\d{4})", period.label)
    if unit == "year" and named and int(named.group(2)) == period.start_date.year == before.start_date.year + 1:
        before = Period(before.start, before.end, f"{named.group(1)} {before.start_date.year}")
    return before


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
    # ("same for the one before" after Q3 2026: a whole calendar quarter is followed back by the quarter before, not
    # by its 92 days, which would start on 31 March)
    whole_quarter = start.day == 1 and start.month in (1, 4, 7, 10) and start.year == end.year \
        and end == _month_end(end.year, start.month + 2)
    if grain == "quarter" or grain is None and whole_quarter:
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
