"""Offline semantic parser: a question becomes a Frame (intent + slots), a Frame becomes SQL.

Schema-aware, not a list of canned questions: words are linked to tables, metrics,
dimensions and values read from the lake (cities, categories, brands, statuses, channels,
warehouses, carriers, countries, segments, product and customer names), periods are
resolved against ``as_of``, and follow-ups merge into the previous turn's Frame. When no
intent can be recognised the parser raises NotUnderstood with questions it can answer.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..errors import NotUnderstood, ValidationFailed
from .semantic import Vocabulary

REVENUE_FILTER = "o.status NOT IN ('cancelled', 'returned')"
LINE_AMOUNT = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"
MAX_QUESTION_CHARS = 500

SUGGESTIONS = [
    "show me low stock products",
    "revenue by month for 2025",
    "what is the status of order 1234",
    "who are our top 10 customers",
    "products most often bought together with <product name>",
    "best sellers in <category>",
    "customers who never ordered",
    "orders per channel last month",
]

UNKNOWN_CONCEPTS = {
    "employee": "employees", "employees": "employees", "staff": "staff", "salary": "salaries",
    "salaries": "salaries", "payroll": "payroll", "weather": "the weather", "supplier": "suppliers",
    "suppliers": "suppliers", "invoice": "invoices", "invoices": "invoices", "campaign": "campaigns",
    "campaigns": "campaigns", "marketing": "marketing", "website visits": "web traffic", "visitors": "web traffic",
    "tax": "taxes", "taxes": "taxes", "budget": "budgets", "forecast": "forecasts", "competitor": "competitors",
    "competitors": "competitors", "reviews": "reviews", "ratings": "ratings", "refund": "refunds",
}

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "twenty": 20, "fifteen": 15, "fifty": 50, "hundred": 100}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS.pop("may", None)
MONTHS["may"] = 5

# dimension -> (SQL expression, table it needs)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "city": ("c.city", "customers"), "country": ("c.country", "customers"), "segment": ("c.segment", "customers"),
    "customer": ("c.name", "customers"), "channel": ("o.channel", "orders"), "status": ("o.status", "orders"),
    "category": ("p.category", "products"), "brand": ("p.brand", "products"), "product": ("p.name", "products"),
    "carrier": ("s.carrier", "shipments"), "warehouse": ("i.warehouse", "inventory"),
}
DIM_WORDS = {
    "city": "city", "cities": "city", "town": "city", "country": "country", "countries": "country",
    "segment": "segment", "segments": "segment", "customer type": "segment", "customer": "customer",
    "customers": "customer", "client": "customer", "clients": "customer", "channel": "channel",
    "channels": "channel", "sales channel": "channel", "status": "status", "state": "status",
    "category": "category", "categories": "category", "product group": "category", "brand": "brand",
    "brands": "brand", "manufacturer": "brand", "product": "product", "products": "product", "item": "product",
    "items": "product", "carrier": "carrier", "carriers": "carrier", "courier": "carrier",
    "warehouse": "warehouse", "warehouses": "warehouse", "location": "warehouse", "depot": "warehouse",
    # The lake's only geography above the city is the country (the company sells across the Nordics).
    "region": "country", "regions": "country", "market": "country", "markets": "country",
}
GRAINS = {"day": "day", "days": "day", "daily": "day", "week": "week", "weeks": "week", "weekly": "week",
          "month": "month", "months": "month", "monthly": "month", "quarter": "quarter", "quarters": "quarter",
          "quarterly": "quarter", "year": "year", "years": "year", "yearly": "year", "annual": "year",
          "annually": "year"}
SUBJECT_WORDS = {
    "orders": "orders", "order": "orders", "purchases": "orders", "purchase": "orders",
    "customers": "customers", "customer": "customers", "clients": "customers", "client": "customers",
    "buyers": "customers", "shoppers": "customers",
    "products": "products", "product": "products", "items": "products", "item": "products",
    "articles": "products", "skus": "products",
    "shipments": "shipments", "shipment": "shipments", "deliveries": "shipments", "parcels": "shipments",
    "categories": "categories", "brands": "brands", "cities": "cities", "countries": "countries",
    "warehouses": "warehouses", "carriers": "carriers", "channels": "channels",
}
SUBJECT_DIM = {"customers": "customer", "products": "product", "categories": "category", "brands": "brand",
               "cities": "city", "countries": "country", "carriers": "carrier", "channels": "channel"}


@dataclass
class Period:
    start: date
    end: date
    label: str

    def sql(self, column: str) -> str:
        return f"{column} BETWEEN DATE '{self.start.isoformat()}' AND DATE '{self.end.isoformat()}'"


@dataclass
class Frame:
    """What the question means, independent of SQL (stored with the turn for follow-ups)."""

    intent: str = "metric"            # metric, list, stock, order_status, order_items, customer_profile,
    #                                   never_ordered, bought_together, recommend_customer, shipments, margin
    metric: str | None = None         # revenue, units, count, aov, stock, margin, delivery_days
    subject: str | None = None        # orders, customers, products, shipments, ...
    group_by: list[str] = field(default_factory=list)
    grain: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    period: dict[str, str] | None = None
    period_column: str | None = None  # the column the period filtered (set when the SQL is built)
    top_n: int | None = None
    order: str = "desc"
    stock_state: str | None = None    # low, out
    order_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Frame | None:
        if not data:
            return None
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def get_period(self) -> Period | None:
        if not self.period:
            return None
        return Period(date.fromisoformat(self.period["start"]), date.fromisoformat(self.period["end"]),
                      self.period["label"])


@dataclass
class ParseResult:
    sql: str
    query_type: str
    frame: Frame
    interpretation: str
    lookup: tuple[str, int] | None = None  # an id the question is about (for "not found")


QUERY_TYPES = {
    "stock": "inventory", "order_status": "order_status", "order_items": "orders", "customer_profile": "customers",
    "never_ordered": "customers", "bought_together": "recommendation", "recommend_customer": "recommendation",
    "best_sellers": "recommendation", "shipments": "order_status", "margin": "sales_report",
}


# --------------------------------------------------------------------------------------------- text

class Text:
    """The question lower-cased, with spans consumed as slots are recognised."""

    def __init__(self, question: str) -> None:
        q = question.lower().replace("’", "'").replace("\u2019", "'")
        q = re.sub(r"[?!,;:()\"]", " ", q)
        q = re.sub(r"(?<![\d])\.(?![\d])", " ", q)
        self.original = question
        self.text = " " + re.sub(r"\s+", " ", q).strip() + " "
        self.raw = self.text

    def has(self, *phrases: str) -> bool:
        return any(re.search(r"(?<![a-z0-9])" + re.escape(p) + r"(?![a-z0-9])", self.raw) for p in phrases)

    def has_re(self, pattern: str) -> re.Match | None:
        return re.search(pattern, self.raw)

    def take(self, pattern: str) -> re.Match | None:
        m = re.search(pattern, self.text)
        if m:
            self.text = self.text[: m.start()] + " " * (m.end() - m.start()) + self.text[m.end():]
        return m

    def words(self) -> list[str]:
        return self.text.split()


# --------------------------------------------------------------------------------------------- periods

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _parse_date(s: str) -> date:
    try:
        return date.fromisoformat(s)
    except ValueError as exc:
        raise ValidationFailed(f"{s!r} is not a valid date", field="question", hint="use YYYY-MM-DD") from exc


def parse_period(t: Text, as_of: date) -> Period | None:
    month_re = "|".join(sorted(MONTHS, key=len, reverse=True))
    m = t.take(r"(?:from|between)\s+(\d{4}-\d{2}-\d{2})\s+(?:to|and|until|-)\s+(\d{4}-\d{2}-\d{2})")
    if m:
        a, b = _parse_date(m.group(1)), _parse_date(m.group(2))
        return Period(min(a, b), max(a, b), f"{min(a, b)} to {max(a, b)}")
    m = t.take(r"since\s+(\d{4}-\d{2}-\d{2})")
    if m:
        return Period(_parse_date(m.group(1)), as_of, f"since {m.group(1)}")
    m = t.take(r"(?:on\s+)?(\d{4}-\d{2}-\d{2})")
    if m:
        d = _parse_date(m.group(1))
        return Period(d, d, d.isoformat())
    m = t.take(r"(?:in\s+the\s+|in\s+|during\s+|for\s+)?(?:last|past|previous)\s+(\d+|" + "|".join(NUMBER_WORDS)
               + r")\s+(day|days|week|weeks|month|months|year|years)")
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
        unit = m.group(2).rstrip("s")
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        return Period(as_of - timedelta(days=days), as_of, f"the last {n} {unit}s")
    m = t.take(r"\b(q[1-4]|first quarter|second quarter|third quarter|fourth quarter)(?:\s+of)?\s+(\d{4})")
    if m:
        qn = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(m.group(1).split()[0]) or int(m.group(1)[1])
        y = int(m.group(2))
        return Period(date(y, 3 * qn - 2, 1), _month_end(y, 3 * qn), f"Q{qn} {y}")
    m = t.take(r"\b(" + month_re + r")\s+(\d{4})\b") or t.take(r"\b(\d{4})-(\d{2})\b")
    if m:
        if m.group(1).isdigit():
            y, mo = int(m.group(1)), int(m.group(2))
        else:
            mo, y = MONTHS[m.group(1)], int(m.group(2))
        if not 1 <= mo <= 12:
            raise ValidationFailed(f"month {mo} does not exist", field="question")
        return Period(date(y, mo, 1), _month_end(y, mo), f"{calendar.month_name[mo]} {y}")
    rel = [
        (r"\blast\s+month\b|\bprevious\s+month\b", "last_month"), (r"\bthis\s+month\b|\bmonth\s+to\s+date\b|\bmtd\b",
                                                                     "this_month"),
        (r"\blast\s+year\b|\bprevious\s+year\b", "last_year"),
        (r"\bthis\s+year\b|\byear\s+to\s+date\b|\bytd\b|\bso\s+far\s+this\s+year\b", "this_year"),
        (r"\blast\s+quarter\b|\bprevious\s+quarter\b", "last_quarter"), (r"\bthis\s+quarter\b", "this_quarter"),
        (r"\blast\s+week\b|\bprevious\s+week\b", "last_week"), (r"\bthis\s+week\b", "this_week"),
        (r"\byesterday\b", "yesterday"), (r"\btoday\b", "today"),
    ]
    for pattern, kind in rel:
        if t.take(r"(?:in\s+|during\s+|for\s+|from\s+)?(?:the\s+)?(?:" + pattern + ")"):
            return relative_period(kind, as_of)
    m = t.take(r"(?:in\s+|during\s+|for\s+)?(" + month_re + r")\b(?!\s+\d)")
    if m and m.group(1) not in ("may",) or (m and re.search(r"\bin\s+may\b", m.group(0))):
        mo = MONTHS[m.group(1)]
        y = as_of.year if mo <= as_of.month else as_of.year - 1
        return Period(date(y, mo, 1), _month_end(y, mo), f"{calendar.month_name[mo]} {y}")
    m = t.take(r"(?:in\s+|during\s+|for\s+|of\s+)?\b((?:19|20)\d{2})\b")
    if m:
        y = int(m.group(1))
        return Period(date(y, 1, 1), date(y, 12, 31), str(y))
    return None


def relative_period(kind: str, as_of: date) -> Period:
    if kind == "last_month":
        end = as_of.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end, f"last month ({calendar.month_name[end.month]} {end.year})")
    if kind == "this_month":
        return Period(as_of.replace(day=1), as_of, "this month")
    if kind == "last_year":
        y = as_of.year - 1
        return Period(date(y, 1, 1), date(y, 12, 31), f"last year ({y})")
    if kind == "this_year":
        return Period(date(as_of.year, 1, 1), as_of, f"this year ({as_of.year} to {as_of.isoformat()})")
    q = (as_of.month - 1) // 3
    if kind == "this_quarter":
        return Period(date(as_of.year, 3 * q + 1, 1), as_of, "this quarter")
    if kind == "last_quarter":
        y, q = (as_of.year, q - 1) if q > 0 else (as_of.year - 1, 3)
        return Period(date(y, 3 * q + 1, 1), _month_end(y, 3 * q + 3), f"Q{q + 1} {y}")
    monday = as_of - timedelta(days=as_of.weekday())
    if kind == "this_week":
        return Period(monday, as_of, "this week")
    if kind == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "last week")
    if kind == "yesterday":
        d = as_of - timedelta(days=1)
        return Period(d, d, "yesterday")
    return Period(as_of, as_of, "today")


# --------------------------------------------------------------------------------------------- parser

class SemanticParser:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocab = vocabulary

    # ----- linking
    def _link_values(self, t: Text) -> tuple[dict[str, Any], list[str]]:
        """Longest-match n-grams against names and categorical values; returns filters."""
        words = t.words()
        filters: dict[str, Any] = {}
        negated: list[str] = []
        i = 0
        spans: list[tuple[int, int, str, Any]] = []
        while i < len(words):
            hit = None
            for n in range(min(self.vocab.max_phrase_words, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + n])
                if phrase in self.vocab.product_names:
                    hit = (n, "product_name", self.vocab.product_names[phrase])
                elif phrase in self.vocab.customer_names:
                    hit = (n, "customer_name", self.vocab.customer_names[phrase])
                elif phrase in self.vocab.phrases:
                    hit = (n, *self.vocab.phrases[phrase])
                if hit:
                    break
            if hit:
                spans.append((i, i + hit[0], hit[1], hit[2]))
                i += hit[0]
            else:
                i += 1
        for start, end, column, value in spans:
            before = " ".join(words[max(0, start - 2):start])
            after = " ".join(words[end:end + 1])
            if column == "status" and value in ("shipped", "delivered") and after in ("with", "by", "via", "using"):
                continue  # "shipped with DHL" is about the shipment, not the order status
            if re.search(r"\b(not|never|no|without|except|excluding)\b", before):
                negated.append(value)
                continue
            if column == "status":
                filters.setdefault("status", [])
                if value not in filters["status"]:
                    filters["status"].append(value)
            else:
                filters[column] = value
        for start, end, _c, _v in spans:
            t.text = t.text.replace(" " + " ".join(words[start:end]) + " ", " " + " " * len(" ".join(words[start:end]))
                                    + " ", 1)
        return filters, negated

    def parse(self, question: str, as_of: date, context: Frame | None = None) -> ParseResult:
        question = (question or "").strip()
        if not question:
            raise ValidationFailed("the question is empty", field="question", hint="ask about orders, stock, ...")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValidationFailed(f"the question is longer than {MAX_QUESTION_CHARS} characters",
                                   field="question", hint="ask a shorter question")
        t = Text(question)
        for word, concept in UNKNOWN_CONCEPTS.items():
            if t.has(word):
                raise NotUnderstood(f"the retail lake has no data about {concept}",
                                    hint="try: " + "; ".join(SUGGESTIONS[:4]))
        ids = self._ids(t)
        top_n = self._top_n(t)
        period = parse_period(t, as_of)
        filters, negated = self._link_values(t)
        if "open" in t.words() and "status" not in filters and t.has("open orders", "open order", "are open",
                                                                       "still open", "open ones"):
            filters["status"] = ["pending", "paid"]
        filters.update(ids)
        group_by, grain = self._group_by(t)
        frame = self._intent(t, filters, group_by, grain, top_n, negated, context)
        if period:
            frame.period = {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}
        if frame.intent == "followup":
            # A follow-up must change something (period, filter, grouping, top-N, measure);
            # otherwise re-running the previous answer would be a silent guess.
            changes = (period or filters or negated or group_by or top_n or frame.metric or frame.stock_state
                       or frame.grain or frame.order_by)
            if context is None or not changes:
                raise NotUnderstood(f"I could not tell what {question!r} asks for",
                                    hint="try: " + "; ".join(SUGGESTIONS[:4]))
            frame = self._merge(context, frame)
        return self._build(frame, question)

    def _ids(self, t: Text) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind, pattern in (("order_id", r"\border(?:\s+(?:number|no|id|nr))?\s*#?\s*(\d+)\b"),
                              ("customer_id", r"\bcustomer(?:\s+(?:number|no|id|nr))?\s*#?\s*(\d+)\b"),
                              ("product_id", r"\bproduct(?:\s+(?:number|no|id|nr))?\s*#?\s*(\d+)\b"),
                              ("order_id", r"#\s*(\d+)\b")):
            if kind in out:
                continue
            m = t.take(pattern)
            if m:
                out[kind] = int(m.group(1))
                # keep the noun for subject detection
                t.text = t.text[: m.start()] + " " + kind.split("_")[0] + " " + t.text[m.start() + len(kind) + 2:]
        return out

    def _top_n(self, t: Text) -> int | None:
        m = t.take(r"\b(?:top|best|first|bottom|worst|largest|biggest)\s+(\d+|" + "|".join(NUMBER_WORDS) + r")\b")
        if not m:
            m = t.take(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?:best|top|biggest|largest|most)\b")
        if m:
            v = m.group(1)
            return int(v) if v.isdigit() else NUMBER_WORDS[v]
        return None

    def _group_by(self, t: Text) -> tuple[list[str], str | None]:
        groups: list[str] = []
        grain = None
        for word, g in GRAINS.items():
            if word in ("daily", "weekly", "monthly", "quarterly", "yearly", "annual", "annually") and t.has(word):
                grain = g
        dim_alt = "|".join(sorted((re.escape(w) for w in [*DIM_WORDS, *GRAINS]), key=len, reverse=True))
        for m in re.finditer(r"\b(?:per|by|for each|each|for every|every|across|broken down by|breakdown by|"
                             r"split by|grouped by|group by|in each)\s+(?:the\s+)?(" + dim_alt + r")\b", t.raw):
            w = m.group(1)
            if w in GRAINS:
                grain = GRAINS[w]
            elif DIM_WORDS[w] not in groups:
                groups.append(DIM_WORDS[w])
        return groups, grain

    def _subject(self, t: Text) -> str | None:
        best = None
        for m in re.finditer(r"[a-z_]+", t.raw):
            w = m.group(0)
            if w in SUBJECT_WORDS:
                best = SUBJECT_WORDS[w]
                return best
        return best

    def _metric(self, t: Text) -> str | None:
        if t.has("average order value", "aov", "average order", "average basket", "avg order value",
                 "average value of orders", "average order size"):
            return "aov"
        if t.has("units sold", "units", "quantity sold", "pieces sold", "how many sold", "volume", "by quantity"):
            return "units"
        if t.has("revenue", "sales", "turnover", "income", "spent", "spend", "spending", "sell", "sold", "earn",
                 "earned", "sells", "money", "value"):
            return "revenue"
        if t.has("how many", "number of", "count", "how much") or t.has_re(r"\bcount\b"):
            return "count"
        return None

    def _intent(self, t: Text, filters: dict[str, Any], group_by: list[str], grain: str | None,
                top_n: int | None, negated: list[str], context: Frame | None) -> Frame:
        f = Frame(filters=filters, group_by=group_by, grain=grain, top_n=top_n)
        subject = self._subject(t)
        if t.has("who bought", "who ordered", "who purchased", "who buys", "who has bought", "who has ordered"):
            subject = "customers"
            f.subject = subject
            f.intent = "list"
            return f
        if subject == "customers" and "customer_id" in filters and t.has(
                "order", "ordered", "orders", "bought", "buy", "purchased", "purchases"):
            subject = "orders"
        f.subject = subject
        raw = t.raw
        followup_marker = re.match(r"^\s*(and|only|just|what about|how about|same|now|but|also|then|ok|"
                                   r"instead|for|in)\b", raw)
        # ---- order status / tracking / contents
        if "order_id" in filters:
            if t.has("tracking", "track", "where is", "where's", "carrier", "shipped", "delivered", "delivery",
                     "status", "state", "arrive", "arrived", "shipping"):
                f.intent = "order_status"
                return f
            if t.has("in order", "items", "contents", "contain", "lines", "products", "what was in", "what is in",
                     "what's in", "bought in"):
                f.intent = "order_items"
                return f
            f.intent = "order_status"
            return f
        # ---- recommendations
        if t.has("bought together", "together with", "buy with", "bought with", "purchased with",
                 "goes with", "go with", "frequently bought", "buy along", "along with", "also buy",
                 "also bought", "pairs with", "combined with"):
            if "product_name" not in filters and "product_id" not in filters:
                raise NotUnderstood("which product? I did not find a product name in the question",
                                    hint="use the product's full name, e.g. 'bought together with <name>'")
            f.intent = "bought_together"
            f.top_n = top_n or 10
            return f
        if t.has("recommend", "recommendation", "recommendations", "suggest", "suggestion", "suggestions",
                 "upsell", "cross-sell", "might like", "might want", "should we offer", "offer to"):
            if "customer_id" in filters or "customer_name" in filters:
                f.intent = "recommend_customer"
                f.top_n = top_n or 10
                return f
            if "product_name" in filters:
                f.intent = "bought_together"
                f.top_n = top_n or 10
                return f
            f.intent = "best_sellers"
            f.top_n = top_n or 10
            return f
        if t.has("best seller", "best sellers", "bestseller", "bestsellers", "best-selling", "best selling",
                 "top selling", "top-selling", "most popular", "most sold", "sell the most", "sold the most",
                 "popular") and not (group_by and group_by[0] in ("brand", "city", "country", "category",
                                                                     "channel", "segment")):
            f.intent = "best_sellers"
            f.top_n = top_n or 10
            return f
        # ---- customers who never ordered
        if (t.has("never ordered", "never bought", "never purchased", "not ordered", "no orders", "without orders",
                  "not placed any", "not placed", "never placed", "haven't ordered", "have not ordered",
                  "never made", "zero orders", "not bought", "inactive customers", "haven't bought",
                  "not made any") or ("customers" == subject and t.has("never"))):
            f.intent = "never_ordered"
            return f
        # ---- stock
        stock_words = ("stock", "inventory", "on hand", "in stock", "reorder", "reordered", "reordering",
                       "sold out", "running low", "run out", "ran out", "low on", "restock", "replenish",
                       "stock level", "stock levels", "available")
        if t.has(*stock_words) or ("warehouse" in filters and subject not in ("customers", "orders", "shipments")
                                   and not t.has("sales", "revenue", "sold", "sell")):
            f.intent = "stock"
            f.metric = "stock"
            if t.has("out of stock", "sold out", "run out", "ran out", "no stock", "zero stock", "none left",
                     "not in stock", "nothing left", "unavailable"):
                f.stock_state = "out"
            elif t.has("low stock", "running low", "low on", "low in stock", "below reorder", "reorder",
                       "reordered", "reordering", "restock", "replenish", "need ordering", "low inventory",
                       "are low", "is low", "getting low", "low"):
                f.stock_state = "low"
            if t.has("how many", "number of", "count"):
                f.metric = "count" if f.stock_state or subject == "products" else "stock"
            if t.has("how many units", "units", "how much stock", "total stock", "how much"):
                f.metric = "stock"
            return f
        # ---- margin
        if t.has("margin", "margins", "profitability", "most profitable", "least profitable", "markup"):
            f.intent = "margin"
            f.metric = "margin"
            f.order = "asc" if t.has("lowest", "least", "worst", "smallest", "bottom") else "desc"
            return f
        # ---- shipments / delivery
        if t.has("in transit", "not delivered", "not yet delivered", "undelivered", "still on the way",
                 "on the way", "delivery time", "delivery times", "time to deliver", "days to deliver",
                 "shipping time", "transit time", "lead time") or subject == "shipments" or (
                     t.has("tracking") and "order_id" not in filters):
            if subject == "orders" and "status" in filters:
                pass
            else:
                f.intent = "shipments"
                if t.has("delivery time", "delivery times", "time to deliver", "days to deliver", "shipping time",
                         "transit time", "lead time", "how long", "how fast"):
                    f.metric = "delivery_days"
                elif t.has("in transit", "not delivered", "not yet delivered", "undelivered", "on the way"):
                    f.stock_state = "in_transit"
                    f.metric = "count" if t.has("how many", "number of", "count") else None
                else:
                    f.metric = "count" if (group_by or t.has("how many", "number of", "count")) else None
                return f
        if "shipped" in negated or "delivered" in negated:
            pass
        metric = self._metric(t)
        if "customer_id" in filters and not metric and subject in (None, "customers") and not group_by and not \
                t.has("ordered", "order", "orders", "bought", "purchased"):
            f.intent = "customer_profile"
            return f
        if t.has("largest", "biggest", "most expensive", "highest value", "highest") and subject == "orders" \
                and not group_by:
            f.intent = "list"
            f.order_by = "total_amount"
            f.top_n = top_n or 10
            return f
        superlative = t.has("top", "most", "best", "highest", "biggest", "largest", "leading", "lowest", "least",
                            "worst", "bottom", "fewest")
        if superlative and subject in SUBJECT_DIM and SUBJECT_DIM[subject] not in group_by and \
                not (subject == "products" and group_by):
            group_by.insert(0, SUBJECT_DIM[subject])
        if superlative and not top_n:
            singular = re.search(r"\b(which|what)\s+(customer|product|brand|category|city|country|channel|carrier)"
                                 r"\b(?!s)", raw)
            f.top_n = 1 if singular else 10
        if superlative and subject in ("orders",) and t.has("customer", "customers") and "customer" not in group_by:
            group_by.insert(0, "customer")
        if singular_dim := re.search(r"\b(?:which|what)\s+(brand|category|city|country|channel|carrier|segment)"
                                     r"\b(?!s)", raw):
            d = DIM_WORDS[singular_dim.group(1)]
            if d not in group_by:
                group_by.insert(0, d)
            if superlative or t.has("sells best", "sell best", "best"):
                f.top_n = f.top_n or 1
        f.order = "asc" if t.has("lowest", "least", "worst", "bottom", "fewest") else "desc"
        if metric is None and t.has("most orders", "fewest orders", "least orders", "more orders", "most purchases",
                                    "by number of orders", "by order count", "number of orders"):
            metric = "count"  # "which customers have the most orders" ranks by orders, not revenue
        if metric:
            f.intent = "metric"
            f.metric = metric
            if metric == "count" and subject is None:
                if followup_marker and context:
                    f.intent = "followup"
                    return f
                raise NotUnderstood("I understood a count but not of what (orders, customers, products?)",
                                    hint="try: " + "; ".join(SUGGESTIONS[:4]))
            if metric == "revenue" and superlative and subject in (None, "orders") and not group_by:
                group_by.insert(0, "customer")
            if t.has("number of orders", "order count", "how many orders", "orders count") and metric != "count":
                f.metric = "count"
                f.subject = "orders"
            elif t.has("by number of orders", "by orders", "most orders", "by order count"):
                f.metric = "count"
                f.subject = "orders"
            if f.subject == "orders" and superlative and t.has("customers", "customer") and \
                    "customer" not in group_by:
                group_by.insert(0, "customer")
            if followup_marker and context and not group_by and f.subject in (None, "orders", "customers",
                                                                                "products") and (
                    not t.has("revenue", "sales", "units", "how many", "number of", "count", "average")):
                f.intent = "followup"
            return f
        if group_by or grain:
            if followup_marker and context:
                f.intent = "followup"
                return f
            if superlative and subject in SUBJECT_DIM and SUBJECT_DIM[subject] in group_by:
                f.intent = "metric"
                f.metric = "revenue"
                return f
            if subject in ("orders", "customers", "products", "shipments"):
                f.intent = "metric"
                f.metric = "count"
                return f
            if superlative and subject in SUBJECT_DIM:
                f.intent = "metric"
                f.metric = "revenue"
                return f
        if context and (followup_marker or subject is None):
            f.intent = "followup"
            return f
        if subject in ("orders", "customers", "products"):
            if superlative and subject == "customers":
                f.intent = "metric"
                f.metric = "revenue"
                return f
            if superlative and subject == "products":
                f.intent = "metric"
                f.metric = "revenue"
                return f
            f.intent = "list"
            return f
        if subject in SUBJECT_DIM and superlative:
            f.intent = "metric"
            f.metric = "revenue"
            return f
        if filters and (subject is None):
            # a bare filter ("pending orders" without the noun is handled above); name lookups
            if "customer_name" in filters:
                f.intent = "customer_profile"
                return f
            if "product_name" in filters:
                f.intent = "stock"
                f.metric = "stock"
                return f
        raise NotUnderstood(f"I could not tell what {t.original!r} asks for",
                            hint="I can answer questions like: " + "; ".join(SUGGESTIONS))

    def _merge(self, prev: Frame, new: Frame) -> Frame:
        merged = Frame.from_dict(prev.to_dict())
        assert merged is not None
        for key, value in new.filters.items():
            merged.filters[key] = value
        if new.period:
            merged.period = new.period
        if new.group_by or new.grain:
            merged.group_by = list(new.group_by)
            merged.grain = new.grain
        if new.top_n:
            merged.top_n = new.top_n
        return merged

    # ----- SQL
    def _build(self, f: Frame, question: str) -> ParseResult:
        builder = {
            "order_status": self._sql_order_status, "order_items": self._sql_order_items,
            "customer_profile": self._sql_customer_profile, "never_ordered": self._sql_never_ordered,
            "bought_together": self._sql_bought_together, "recommend_customer": self._sql_recommend_customer,
            "best_sellers": self._sql_best_sellers, "stock": self._sql_stock, "margin": self._sql_margin,
            "shipments": self._sql_shipments, "list": self._sql_list, "metric": self._sql_metric,
        }[f.intent]
        sql = builder(f)
        lookup = None
        if f.intent in ("order_status", "order_items") and "order_id" in f.filters:
            lookup = ("order", int(f.filters["order_id"]))
        elif f.intent in ("customer_profile", "recommend_customer") and "customer_id" in f.filters:
            lookup = ("customer", int(f.filters["customer_id"]))
        qtype = QUERY_TYPES.get(f.intent)
        if qtype is None:
            if "customer" in f.group_by or "customer_id" in f.filters or "customer_name" in f.filters:
                qtype = "customers"
            elif f.metric in ("revenue", "units", "aov"):
                qtype = "sales_report"
            elif f.subject == "customers":
                qtype = "customers"
            elif f.metric in ("revenue", "units", "aov"):
                qtype = "sales_report"
            elif f.subject == "products":
                qtype = "inventory" if f.metric == "stock" else "sales_report"
            else:
                qtype = "orders"
        return ParseResult(sql=sql, query_type=qtype, frame=f, interpretation=describe(f), lookup=lookup)

    @staticmethod
    def _where(parts: list[str]) -> str:
        parts = [p for p in parts if p]
        return (" WHERE " + " AND ".join(parts)) if parts else ""

    REACHABLE_FROM_ORDERS = frozenset({"orders", "customers", "products", "shipments"})

    def _filter_sql(self, f: Frame, available: set[str],
                    reachable: frozenset[str] = REACHABLE_FROM_ORDERS) -> tuple[list[str], set[str]]:
        """WHERE parts for the frame's filters and the tables they need (NotUnderstood when a
        filter's table cannot be joined to this kind of question)."""
        parts: list[str] = []
        need: set[str] = set()
        col = {"city": ("c.city", "customers"), "country": ("c.country", "customers"),
               "segment": ("c.segment", "customers"), "customer_name": ("c.name", "customers"),
               "customer_id": ("o.customer_id", "orders"), "channel": ("o.channel", "orders"),
               "category": ("p.category", "products"), "brand": ("p.brand", "products"),
               "product_name": ("p.name", "products"), "product_id": ("p.product_id", "products"),
               "carrier": ("s.carrier", "shipments"), "warehouse": ("i.warehouse", "inventory"),
               "order_id": ("o.order_id", "orders")}
        for key, value in f.filters.items():
            if key == "status":
                values = value if isinstance(value, list) else [value]
                if len(values) == 1:
                    parts.append(f"o.status = {_lit(values[0])}")
                else:
                    parts.append(f"o.status IN ({', '.join(_lit(v) for v in values)})")
                need.add("orders")
                continue
            if key not in col:
                continue
            expr, table = col[key]
            if key == "customer_id" and "orders" not in reachable and "customers" in available:
                expr, table = "c.customer_id", "customers"
            if table not in reachable:
                raise NotUnderstood(f"{key.replace('_', ' ')} {value!r} cannot be combined with this question "
                                    f"(the lake does not link {table} to {', '.join(sorted(available))})",
                                    hint="ask about stock per warehouse, or leave that filter out")
            parts.append(f"{expr} = {_lit(value)}")
            need.add(table)
        if "status" in f.filters and "orders" not in reachable:
            raise NotUnderstood("an order status cannot be combined with this question",
                                hint="ask about orders with that status instead")
        return parts, need

    def _sql_order_status(self, f: Frame) -> str:
        oid = int(f.filters["order_id"])
        return ("SELECT o.order_id, o.status, o.order_date, o.channel, o.total_amount, s.carrier, s.tracking_number, "
                "s.shipped_at, s.delivered_at FROM orders o LEFT JOIN shipments s ON s.order_id = o.order_id "
                f"WHERE o.order_id = {oid}")

    def _sql_order_items(self, f: Frame) -> str:
        oid = int(f.filters["order_id"])
        return ("SELECT oi.order_id, p.name, oi.quantity, oi.unit_price, oi.discount_percent, "
                f"ROUND({LINE_AMOUNT}, 2) AS line_amount FROM order_items oi "
                f"JOIN products p ON p.product_id = oi.product_id WHERE oi.order_id = {oid} ORDER BY p.name")

    def _sql_customer_profile(self, f: Frame) -> str:
        where = (f"c.customer_id = {int(f.filters['customer_id'])}" if "customer_id" in f.filters
                 else f"c.name = {_lit(f.filters['customer_name'])}")
        return ("SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country, c.signup_date, "
                "(SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.customer_id) AS orders, "
                f"(SELECT ROUND(SUM(o.total_amount), 2) FROM orders o WHERE o.customer_id = c.customer_id AND "
                f"{REVENUE_FILTER}) AS revenue FROM customers c WHERE {where}")

    def _sql_never_ordered(self, f: Frame) -> str:
        parts, _ = self._filter_sql(Frame(filters={k: v for k, v in f.filters.items()
                                                   if k in ("city", "country", "segment")}), {"customers"})
        period = f.get_period()
        inner = "o.customer_id = c.customer_id" + (f" AND {_period_filter(f, period, 'o.order_date')}" if period else "")
        parts.append(f"NOT EXISTS (SELECT 1 FROM orders o WHERE {inner})")
        return ("SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.signup_date FROM customers c"
                + self._where(parts) + " ORDER BY c.customer_id")

    def _sql_bought_together(self, f: Frame) -> str:
        target = (f"p1.name = {_lit(f.filters['product_name'])}" if "product_name" in f.filters
                  else f"p1.product_id = {int(f.filters['product_id'])}")
        period = f.get_period()
        extra = ""
        if period:
            extra = f" AND a.order_id IN (SELECT o.order_id FROM orders o WHERE {_period_filter(f, period, 'o.order_date')})"
        return ("SELECT p2.name, p2.category, COUNT(DISTINCT a.order_id) AS orders_together "
                "FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
                "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id "
                "JOIN products p2 ON p2.product_id = b.product_id "
                f"WHERE {target}{extra} GROUP BY p2.product_id, p2.name, p2.category "
                f"ORDER BY orders_together DESC, p2.name LIMIT {f.top_n or 10}")

    def _sql_recommend_customer(self, f: Frame) -> str:
        who = (f"o.customer_id = {int(f.filters['customer_id'])}" if "customer_id" in f.filters
               else f"o.customer_id IN (SELECT customer_id FROM customers WHERE name = "
                    f"{_lit(f.filters['customer_name'])})")
        return (
            "WITH cats AS (SELECT DISTINCT p.category FROM orders o JOIN order_items oi ON oi.order_id = o.order_id "
            f"JOIN products p ON p.product_id = oi.product_id WHERE {who}), "
            "bought AS (SELECT DISTINCT oi.product_id FROM orders o JOIN order_items oi ON oi.order_id = o.order_id "
            f"WHERE {who}) "
            "SELECT p.name, p.category, SUM(oi.quantity) AS units_sold FROM order_items oi "
            "JOIN orders o ON o.order_id = oi.order_id JOIN products p ON p.product_id = oi.product_id "
            f"WHERE {REVENUE_FILTER} AND p.category IN (SELECT category FROM cats) "
            "AND p.product_id NOT IN (SELECT product_id FROM bought) AND p.active "
            f"GROUP BY p.product_id, p.name, p.category ORDER BY units_sold DESC, p.name LIMIT {f.top_n or 10}")

    def _sql_best_sellers(self, f: Frame) -> str:
        parts, need = self._filter_sql(f, {"orders", "order_items", "products", "customers"})
        period = f.get_period()
        if period:
            parts.append(_period_filter(f, period, "o.order_date"))
        if "status" not in f.filters:
            parts.insert(0, REVENUE_FILTER)
        joins = ("FROM order_items oi JOIN orders o ON o.order_id = oi.order_id "
                 "JOIN products p ON p.product_id = oi.product_id")
        if "customers" in need:
            joins += " JOIN customers c ON c.customer_id = o.customer_id"
        if "shipments" in need:
            joins += " JOIN shipments s ON s.order_id = o.order_id"
        return (f"SELECT p.name, p.category, SUM(oi.quantity) AS units_sold, ROUND(SUM({LINE_AMOUNT}), 2) AS revenue "
                f"{joins}{self._where(parts)} GROUP BY p.product_id, p.name, p.category "
                f"ORDER BY units_sold DESC, p.name LIMIT {f.top_n or 10}")

    def _sql_stock(self, f: Frame) -> str:
        product_filters = {k: v for k, v in f.filters.items() if k in ("category", "brand", "product_name",
                                                                        "product_id")}
        pparts, _ = self._filter_sql(Frame(filters=product_filters), {"products"})
        warehouse = f.filters.get("warehouse")
        groups = [g for g in f.group_by if g in ("warehouse", "category", "brand", "product")]
        per_warehouse = warehouse is not None or "warehouse" in groups
        if f.stock_state and not per_warehouse:
            cond = "s.stock = 0" if f.stock_state == "out" else "s.stock <= s.reorder_level"
            base = ("WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder_level "
                    "FROM inventory GROUP BY product_id) ")
            where = self._where([cond, *pparts])
            if f.metric == "count" or groups:
                dims = [DIMENSIONS[g][0] for g in groups if g != "product"]
                if dims:
                    return (base + f"SELECT {', '.join(dims)}, COUNT(*) AS products FROM s JOIN products p "
                            f"ON p.product_id = s.product_id{where} GROUP BY {', '.join(dims)} ORDER BY products DESC")
                return base + f"SELECT COUNT(*) AS products FROM s JOIN products p ON p.product_id = s.product_id{where}"
            return (base + "SELECT p.product_id, p.name, p.category, p.brand, s.stock, s.reorder_level FROM s "
                    f"JOIN products p ON p.product_id = s.product_id{where} ORDER BY s.stock, p.name")
        parts = list(pparts)
        if warehouse:
            parts.append(f"i.warehouse = {_lit(warehouse)}")
        if f.stock_state == "out":
            parts.append("i.quantity_on_hand = 0")
        elif f.stock_state == "low":
            parts.append("i.quantity_on_hand <= i.reorder_level")
        joins = "FROM inventory i JOIN products p ON p.product_id = i.product_id"
        where = self._where(parts)
        if f.stock_state:
            if f.metric == "count":
                dims = [DIMENSIONS[g][0] for g in groups if g != "product"]
                if dims:
                    return (f"SELECT {', '.join(dims)}, COUNT(*) AS products {joins}{where} GROUP BY {', '.join(dims)} "
                            "ORDER BY products DESC")
                return f"SELECT COUNT(*) AS products {joins}{where}"
            return (f"SELECT p.name, i.warehouse, i.quantity_on_hand, i.reorder_level {joins}{where} "
                    "ORDER BY i.quantity_on_hand, p.name")
        if "product_name" in product_filters or "product_id" in product_filters:
            if "warehouse" in groups or (not warehouse and f.group_by):
                return (f"SELECT p.name, i.warehouse, i.quantity_on_hand, i.reorder_level {joins}{where} "
                        "ORDER BY i.warehouse")
            return f"SELECT p.name, SUM(i.quantity_on_hand) AS stock {joins}{where} GROUP BY p.name"
        dims = [DIMENSIONS[g][0] for g in groups]
        if dims:
            return (f"SELECT {', '.join(dims)}, SUM(i.quantity_on_hand) AS stock {joins}{where} "
                    f"GROUP BY {', '.join(dims)} ORDER BY {', '.join(dims)}")
        if f.metric == "count":
            return f"SELECT COUNT(DISTINCT i.product_id) AS products {joins}{where}"
        if warehouse or pparts or f.metric == "stock":
            if f.subject == "products" and not t_sum(f):
                return (f"SELECT p.name, SUM(i.quantity_on_hand) AS stock {joins}{where} GROUP BY p.name "
                        "ORDER BY stock DESC")
            return f"SELECT SUM(i.quantity_on_hand) AS stock {joins}{where}"
        return f"SELECT SUM(i.quantity_on_hand) AS stock {joins}{where}"

    def _sql_margin(self, f: Frame) -> str:
        parts, _ = self._filter_sql(Frame(filters={k: v for k, v in f.filters.items()
                                                   if k in ("category", "brand", "product_name", "product_id")}),
                                    {"products"})
        margin = "(p.unit_price - p.unit_cost) / p.unit_price"
        where = self._where(parts)
        groups = [g for g in f.group_by if g in ("category", "brand")]
        if groups:
            dims = ", ".join(DIMENSIONS[g][0] for g in groups)
            return (f"SELECT {dims}, ROUND(AVG({margin}), 4) AS avg_margin FROM products p{where} GROUP BY {dims} "
                    f"ORDER BY avg_margin {f.order.upper()}")
        if "product_name" in f.filters or "product_id" in f.filters:
            return f"SELECT p.name, p.unit_price, p.unit_cost, ROUND({margin}, 4) AS margin FROM products p{where}"
        return (f"SELECT p.name, p.unit_price, p.unit_cost, ROUND({margin}, 4) AS margin FROM products p{where} "
                f"ORDER BY margin {f.order.upper()}, p.name LIMIT {f.top_n or 10}")

    def _sql_shipments(self, f: Frame) -> str:
        parts: list[str] = []
        if "carrier" in f.filters:
            parts.append(f"s.carrier = {_lit(f.filters['carrier'])}")
        period = f.get_period()
        if period:
            parts.append(_period_filter(f, period, "CAST(s.shipped_at AS DATE)"))
        if f.metric == "delivery_days":
            parts.append("s.delivered_at IS NOT NULL")
            days = "AVG(date_diff('second', s.shipped_at, s.delivered_at) / 86400.0)"
            if "carrier" in f.group_by or "carrier" not in f.filters:
                return (f"SELECT s.carrier, ROUND({days}, 2) AS avg_delivery_days FROM shipments s{self._where(parts)} "
                        "GROUP BY s.carrier ORDER BY avg_delivery_days")
            return f"SELECT ROUND({days}, 2) AS avg_delivery_days FROM shipments s{self._where(parts)}"
        if f.stock_state == "in_transit":
            parts.append("s.delivered_at IS NULL")
        if f.metric == "count":
            if f.group_by:
                dims = [DIMENSIONS[g][0] for g in f.group_by if g == "carrier"] or ["s.carrier"]
                return (f"SELECT {', '.join(dims)}, COUNT(*) AS shipments FROM shipments s{self._where(parts)} "
                        f"GROUP BY {', '.join(dims)} ORDER BY shipments DESC")
            return f"SELECT COUNT(*) AS shipments FROM shipments s{self._where(parts)}"
        return ("SELECT s.shipment_id, s.order_id, s.carrier, s.tracking_number, s.shipped_at, s.delivered_at "
                f"FROM shipments s{self._where(parts)} ORDER BY s.shipped_at DESC")

    def _sql_list(self, f: Frame) -> str:
        subject = f.subject or "orders"
        period = f.get_period()
        if subject == "customers":
            parts, need = self._filter_sql(f, {"customers"})
            if period:
                parts.append(_period_filter(f, period, "c.signup_date"))
            if need - {"customers"}:
                joins = " JOIN orders o ON o.customer_id = c.customer_id" + self._joins("orders", need - {"customers"})
                return ("SELECT DISTINCT c.customer_id, c.name, c.email, c.segment, c.city, c.country FROM customers c"
                        + joins + self._where(parts) + " ORDER BY c.name")
            return ("SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country FROM customers c"
                    + self._where(parts) + " ORDER BY c.name")
        if subject == "products":
            parts, need = self._filter_sql(f, {"products"}, frozenset({"products"}))
            return ("SELECT p.product_id, p.name, p.category, p.brand, p.unit_price, p.active FROM products p"
                    + self._where(parts) + " ORDER BY p.name")
        parts, need = self._filter_sql(f, {"orders"})
        if period:
            parts.append(_period_filter(f, period, "o.order_date"))
        joins = self._joins("orders", need)
        order = f"o.{f.order_by} DESC" if f.order_by else "o.order_date DESC, o.order_id"
        limit = f" LIMIT {f.top_n}" if f.order_by and f.top_n else ""
        distinct = "DISTINCT " if need & {"products", "shipments"} else ""
        return (f"SELECT {distinct}o.order_id, o.customer_id, o.order_date, o.status, o.channel, o.total_amount "
                f"FROM orders o{joins}{self._where(parts)} ORDER BY {order}{limit}")

    def _joins(self, base: str, need: set[str]) -> str:
        joins = ""
        if base == "orders":
            if "customers" in need:
                joins += " JOIN customers c ON c.customer_id = o.customer_id"
            if "products" in need:
                joins += (" JOIN order_items oi ON oi.order_id = o.order_id "
                          "JOIN products p ON p.product_id = oi.product_id")
            if "shipments" in need:
                joins += " JOIN shipments s ON s.order_id = o.order_id"
        return joins

    def _sql_metric(self, f: Frame) -> str:
        metric = f.metric or "revenue"
        subject = f.subject or "orders"
        period = f.get_period()
        groups = list(f.group_by)
        if metric == "count" and subject == "customers" and not (set(f.filters) & {"channel", "status", "category",
                                                                                   "brand", "product_name",
                                                                                   "carrier", "order_id"}) \
                and "customer" not in groups and not self._about_orders(f):
            parts, _ = self._filter_sql(f, {"customers"}, frozenset({"customers"}))
            if period:
                parts.append(_period_filter(f, period, "c.signup_date"))
            dims = [DIMENSIONS[g][0] for g in groups if DIMENSIONS[g][1] == "customers"]
            select = dims.copy()
            if f.grain:
                select.insert(0, f"CAST(date_trunc('{f.grain}', c.signup_date) AS DATE) AS {f.grain}")
            gb = ", ".join(str(i + 1) for i in range(len(select)))
            if select:
                return (f"SELECT {', '.join(select)}, COUNT(*) AS customers FROM customers c{self._where(parts)} "
                        f"GROUP BY {gb} ORDER BY {'1' if f.grain else 'customers DESC'}")
            return f"SELECT COUNT(*) AS customers FROM customers c{self._where(parts)}"
        if metric == "count" and subject == "products" and not self._about_orders(f):
            parts, _ = self._filter_sql(f, {"products"}, frozenset({"products"}))
            dims = [DIMENSIONS[g][0] for g in groups if DIMENSIONS[g][1] == "products" and g != "product"]
            if dims:
                return (f"SELECT {', '.join(dims)}, COUNT(*) AS products FROM products p{self._where(parts)} "
                        f"GROUP BY {', '.join(dims)} ORDER BY products DESC")
            return f"SELECT COUNT(*) AS products FROM products p{self._where(parts)}"
        # order-based metrics
        parts, need = self._filter_sql(f, {"orders"})
        for g in groups:
            need.add(DIMENSIONS[g][1])
        line_level = metric == "units" or (metric == "revenue" and "products" in need)
        if line_level:
            need.add("products")
        if period:
            parts.append(_period_filter(f, period, "o.order_date"))
        if metric in ("revenue", "units", "aov") and "status" not in f.filters:
            parts.insert(0, REVENUE_FILTER)
        if "inventory" in need:
            raise NotUnderstood("orders are not linked to warehouses in the lake",
                                hint="ask about stock per warehouse instead")
        if line_level:
            frm = "FROM order_items oi JOIN orders o ON o.order_id = oi.order_id " \
                  "JOIN products p ON p.product_id = oi.product_id"
            if "customers" in need:
                frm += " JOIN customers c ON c.customer_id = o.customer_id"
            if "shipments" in need:
                frm += " JOIN shipments s ON s.order_id = o.order_id"
        else:
            frm = "FROM orders o" + self._joins("orders", need)
        value = {
            "revenue": f"ROUND(SUM({LINE_AMOUNT}), 2) AS revenue" if line_level else
                       "ROUND(SUM(o.total_amount), 2) AS revenue",
            "units": "SUM(oi.quantity) AS units_sold",
            "aov": "ROUND(AVG(o.total_amount), 2) AS average_order_value",
            "count": ("COUNT(DISTINCT o.order_id) AS orders" if "products" in need or "shipments" in need
                      else "COUNT(*) AS orders"),
        }[metric]
        value_name = value.rsplit(" AS ", 1)[1]
        select: list[str] = []
        group_exprs: list[str] = []
        if f.grain:
            select.append(f"CAST(date_trunc('{f.grain}', o.order_date) AS DATE) AS {f.grain}")
            group_exprs.append("1")
        for g in groups:
            expr = DIMENSIONS[g][0]
            if g == "customer":
                select.extend(["c.customer_id", "c.name AS customer"])
                group_exprs.extend(["c.customer_id", "c.name"])
            elif g == "product":
                select.extend(["p.product_id", "p.name AS product"])
                group_exprs.extend(["p.product_id", "p.name"])
            else:
                select.append(expr)
                group_exprs.append(expr)
        sql = f"SELECT {', '.join([*select, value])} {frm}{self._where(parts)}"
        if group_exprs:
            sql += f" GROUP BY {', '.join(group_exprs)}"
            if f.grain and not groups:
                sql += " ORDER BY 1"
            elif f.top_n or any(g in ("customer", "product") for g in groups):
                # The first grouping key breaks ties, so a top-N at a tie is the same every run.
                sql += f" ORDER BY {value_name} {f.order.upper()}, {group_exprs[0]}"
                sql += f" LIMIT {f.top_n or 10}" if any(g in ("customer", "product") for g in groups) or f.top_n \
                    else ""
            else:
                sql += f" ORDER BY {'1, ' if f.grain else ''}{value_name} DESC"
        return sql

    @staticmethod
    def _about_orders(f: Frame) -> bool:
        return f.metric == "count" and f.subject == "orders"


def t_sum(f: Frame) -> bool:
    return f.metric == "stock" and not f.group_by


def _lit(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _period_filter(f: Frame, period: Period, column: str) -> str:
    """The period's SQL condition on ``column``, remembered in the frame (the answer says which
    dates the lake holds for that column when the period finds nothing)."""
    f.period_column = column
    return period.sql(column)


def describe(f: Frame) -> str:
    """One line saying what the parser understood (shown with every answer)."""
    bits = [f.intent.replace("_", " ")]
    if f.metric:
        bits.append(f"metric={f.metric}")
    if f.stock_state:
        bits.append(f"state={f.stock_state}")
    if f.group_by or f.grain:
        bits.append("by " + ", ".join([*([f.grain] if f.grain else []), *f.group_by]))
    if f.filters:
        bits.append("where " + ", ".join(f"{k}={v}" for k, v in f.filters.items()))
    if f.period:
        bits.append(f"period={f.period['label']}")
    if f.top_n:
        bits.append(f"top {f.top_n}")
    return "; ".join(bits)
