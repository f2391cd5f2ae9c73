"""Follow-ups that point back at the previous answer rather than restate part of it.

``_State._merge`` (parser.py) merges a follow-up that names what changes ("and in 2024?", "same
for brands"). The questions here name nothing new: a pronoun over the one thing the previous answer
named ("who placed it?"), over the things it counted ("who are they?"), the complement of its
condition ("and the ones that aren't?"), or the removal of its period ("without the period
restriction"). Each returns the new form, or ``None`` when the question is not of its kind; a
question of its kind that the previous answer cannot support is refused, naming that answer.
"""

from __future__ import annotations

import calendar
import copy
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import NotFound, NotUnderstood
from .periods import unit_of
from .planner import DEFAULT_TOP, PREVIOUS_ROWS
from .query import Filter, Period, QueryForm
from .semantic import SemanticLayer, negated_predicate, predicate_spec

if TYPE_CHECKING:
    from .lexicon import Span
    from .parser import _State

# "with units" after things listed: a follow-up opening on one of these asks a figure beside each listed row
BESIDE_OPENERS = frozenset({"with", "along with", "together with"})


def pointing_back(layer: SemanticLayer) -> frozenset[str]:
    """The words a follow-up uses to point back at the previous answer's rows: the layer's followup_pointers
    pronouns ("it", "they", "ones") and demonstratives ("those", "these"); not the possessive "its" ("its reorder
    level" is a thing's own), which only says a question goes on (parser _is_followup)."""
    pointers = layer.grammar.get("followup_pointers", {})
    return frozenset([*pointers.get("pronouns", []), *pointers.get("demonstrative_pronouns", [])])


def days_of_stock_kept(form: QueryForm, context: QueryForm | None) -> None:
    """"and over the last 30 days?" after "fewer than 45 days of stock at the daily pace of the last 90 days": the
    days of stock said stay 45, at the new period's pace (factor 45/30; reading/figure_than's ``days_of_stock`` note),
    not the old period's factor (45/90: about 15 days at the new pace, a silent wrong). Without one period of whole
    days to take the pace over, refused."""
    said = [n.split(":")[1:] for n in (context.notes if context is not None else [])
            if n.startswith("days_of_stock:") and len(n.split(":")) == 3]
    if not said or any(n.startswith("days_of_stock:") for n in form.notes):
        return
    days, old_days = float(said[0][0]), float(said[0][1])
    for f in form.filters:
        if f.field != "stock" or f.than != "units_sold" or len(f.values) != 1 or old_days <= 0 or \
                abs(float(f.values[0]) - days / old_days) > 1e-9:
            continue
        if form.period is None or form.grain or form.compare_period is not None:
            raise NotUnderstood(f"{days:g} days of stock are counted at the daily pace of one period; "
                                "I could not tell which period's pace to use",
                                hint="name one period, e.g. 'at the pace of the last 30 days'")
        new_days = (form.period.end_date - form.period.start_date).days + 1
        f.values = [days / new_days]
        form.notes.append(f"days_of_stock:{days:g}:{new_days}")


PERSON = frozenset({"who", "whom", "whose"})
PLACING = frozenset({"placed", "place", "ordered", "order", "bought", "buy", "made", "make", "customer"})
CONTENTS = frozenset({"in", "inside", "contain", "contains", "contained", "items", "lines", "products"})
# "what did she buy in it, and how many of each?" after her latest order: what it contained, each line's quantity
BOUGHT_IN = frozenset({"buy", "bought", "get", "got", "and", "how many", "of", "each"})
LIVING = frozenset({"live", "lives", "living", "located", "based", "from", "situated"})
LISTING = frozenset({"who", "which", "what", "list", "show", "name", "names", "see"})
WHEN = frozenset({"placed", "ordered", "shipped", "sent", "delivered", "arrive", "arrived", "ship", "deliver",
                  "get", "go", "out"})
SPENDING = frozenset({"spend", "spent", "pay", "paid"})
OTHERS = frozenset({"other", "others", "rest", "remaining", "elsewhere", "else"})  # "others" reaches here as "other"
PERIOD_WORDS = frozenset({"period", "periods", "date", "dates", "time", "timeframe", "time frame", "time period",
                          "date range", "period restriction", "date filter", "period filter", "time filter",
                          "time restriction", "date restriction", "time limit", "date limit"})
ALL_TIME = frozenset({"all time", "all-time", "ever", "lifetime", "since the start"})


def previous_words(context: QueryForm, layer) -> str:
    """The previous answer in words, for a refusal that says what could not be changed."""
    from .answers import describe_form

    try:
        return describe_form(context, layer)
    except Exception:  # noqa: BLE001 - an old stored form may not describe; the refusal still stands
        return "the previous answer"


def refuse(state: _State, context: QueryForm, what: str) -> NotUnderstood:
    return NotUnderstood(f"{what}; the previous question was: {previous_words(context, state.layer)}",
                         field="question", hint="e.g. 'and in 2024?', 'only web orders', 'same for brands'")


def one_named(context: QueryForm) -> tuple[str, int] | None:
    """The one order/customer/product the previous answer was about (by its id), if it named one."""
    if context.lookup:
        if any(x.field.endswith(f".{context.lookup['entity']}_id") and len(x.values) > 1 for x in context.filters):
            return None  # "status of orders 148, 507 and 825": several, not one
        return str(context.lookup["entity"]), int(context.lookup["id"])
    for x in context.filters:
        column = x.field.split(".")[-1]
        if column.endswith("_id") and x.op == "=" and len(x.values) == 1 and column[:-3] in (
                "order", "customer", "product") and x.values[0] != PREVIOUS_ROWS:
            # (an id equal to the previous answer's rows, PREVIOUS_ROWS, is many rows, not one named)
            return column[:-3], int(x.values[0])
    if context.subject == "customers" and not context.limit and [
            (x.field, x.op, len(x.values)) for x in context.filters] == [("customer", "=", 1)]:
        # one customer named by name (no id), listed or looked up ("which city is X in?"): only a
        # question about that row or their orders
        return "customer", -1
    return None


def counted(context: QueryForm) -> bool:
    """The previous answer is one count of things ("how many customers never ordered")."""
    return (context.kind == "aggregate" and context.measures == ["count"] and not context.dimensions
            and not context.grain and not context.compare and not context.derived and bool(context.subject))


def counted_in_groups(context: QueryForm) -> bool:
    """The previous answer is a count of things per group ("how many of those are not delivered, per carrier"), no
    ranking, period rows or comparison."""
    return (context.kind == "aggregate" and context.measures == ["count"] and bool(context.dimensions)
            and not context.grain and not context.compare and not context.derived and not context.limit
            and not context.per_group and bool(context.subject))


def one_each(state: _State, things: str, other: str) -> bool:
    """Each of ``things`` belongs to one of ``other`` (a direct join of the layer, many to one or one to one): a
    shipment's order, an order's customer."""
    entities = state.layer.entities
    a, b = entities.get(things, {}).get("table"), entities.get(other, {}).get("table")
    for j in state.layer.joins:
        left, right = j["left"].split(".")[0], j["right"].split(".")[0]
        if (left, right) == (a, b) and j.get("cardinality") in ("many_to_one", "one_to_one") or \
                (left, right) == (b, a) and j.get("cardinality") == "one_to_one":
            return True
    return False


def _of_orders_or_customers(state: _State, field: str) -> bool:
    """A filter on a column of the orders themselves or of their customers (not on their lines or products)."""
    column = str(state.layer.dimensions.get(field, {}).get("column", field))
    return column.startswith(("orders.", "customers."))


def _explained(state: _State, words: set[str] | frozenset[str]) -> bool:
    """Every content word of the question is one of ``words`` (or a pronoun, a follow-up word)."""
    back = pointing_back(state.layer)
    return all(s.text in words or s.text in back or s.has("grammar", "followup")
               or s.has("stop") and all(x[0] in ("stop", "grammar") for x in s.senses) for s in state.spans)


def _use_all(state: _State) -> None:
    for s in state.spans:
        s.used = True


def about_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"who placed it?", "what was in it?", "how much did they spend?", "where do they live?",
    "who are they?": a question about the thing(s) of the previous answer, which the question
    itself does not name."""
    words = {s.text for s in state.spans}
    # "which products were in that order?" after the biggest order: "that" before the previous answer's own
    # kind of thing points back as "it" does
    named_back = {w for a, b in zip(state.spans, state.spans[1:], strict=False)
                  if a.text in ("that", "this") and context.subject and (b.has("entity", context.subject)
                                                                        or b.text == "one" and context.limit == 1)
                  for w in (a.text, b.text)}  # ("who is the customer on that one?" after the one biggest order)
    if not (words & pointing_back(state.layer) or named_back) or state.ids:
        return None

    # "how much did he spend that month?" after his orders of October: "that" + a grain (or "time", "period") points
    # back at the previous answer's period, kept as it is
    # (a grain only when it is the finest unit the previous period lies in: "that year" after October is the year)
    finest = next((g for g in ("month", "quarter", "year") if context.period is not None
                   and unit_of(context.period, g) is not None), None)
    period_back = {w for a, b in zip(state.spans, state.spans[1:], strict=False)
                   if context.period is not None and not state.periods and a.text == "that"
                   and (b.text in ("time", "period", "timeframe") or finest is not None and b.first("grain") is not None
                        and b.arg("grain") == finest)
                   for w in (a.text, b.text)}

    def explained(allowed: set[str] | frozenset[str]) -> bool:
        return _explained(state, set(allowed) | named_back | period_back)
    theirs = orders_of_previous(state, context)
    if theirs is not None:
        return theirs
    slots = {s.text for s in state.spans if s.text.startswith("__period")}
    spans = state.spans
    # "now the paid ones" after pending orders: "paid" read as a value of the lake (a status) is a condition,
    # not a question of what was paid (was: their spend)
    valued = {s.text for s in spans if s.used and s.first("value") and s.first("measure") is None}
    spending = any((s.text in SPENDING or s.has("measure", "revenue")) and s.text not in valued for s in spans) and \
        bool((words - valued) & {"how", "much", "what", "spend", "spent", "pay", "paid"})
    where = "where" in words
    person = bool(words & PERSON) or any(s.has("entity", "customers") for s in spans)
    contents = bool(words & {"what", "which"}) and bool(words & CONTENTS) and not person and not where
    listing = bool(words & LISTING) and not spending and not where and not contents
    # "which orders are they?" after counted shipments (per carrier or not): the things counted, or the one thing each
    # of them belongs to, named with "which/what ... they / those" (was: the count again, of orders)
    things = [(s.text, str(s.arg("entity"))) for s in spans if s.first("entity") is not None]
    asked_of_counted = len(things) == 1 and bool(words & {"which", "what"}) and (
        counted(context) or counted_in_groups(context)) and context.subject is not None
    named_thing = things[0] if asked_of_counted and (
        things[0][1] == context.subject or one_each(state, context.subject or "", things[0][1])) else None
    if asked_of_counted and named_thing is None and bool(words & {"they", "those", "these"}) and \
            _explained(state, LISTING | {"are", "were", "is", "the", things[0][0]}):
        # "which orders are they?" after counted customers: the things counted are not those, nor is each one of
        # them one order (was: the orders counted again)
        raise refuse(state, context, f"the previous answer counted {context.subject}, which are not {things[0][0]}; "
                                     f"ask for the {things[0][0]} with their conditions in full")
    shown = [s for s in spans if s.first("attribute") is not None and s.first("measure") is None]
    one = one_named(context)
    ask = None
    if spending and explained(SPENDING | {"how", "much", "what", "did", "do", "does", "in", "total"}
                               | {s.text for s in spans if s.has("measure", "revenue")} | slots):
        ask = "spending"
    elif where and explained(LIVING | {"where", "do", "does", "did", "is", "are", "customer", "customers"}):
        # ("where are those customers based?": the people of the previous rows named)
        ask = "where"
    elif contents and explained(CONTENTS | {"what", "which", "was", "were", "is", "are", "did", "does"} | BOUGHT_IN):
        ask = "contents"
    elif "when" in words and explained(WHEN | {"when", "was", "is", "were", "did", "does"}):
        ask = "when"
    elif {"how", "long"} <= words and explained({"how", "long", "did", "does", "do", "was", "were", "take",
                                                         "took", "it", "they", "the", "delivery", "to", "arrive"}):
        ask = "how long"  # "how long did it take?"
    elif person and explained(PERSON | PLACING | {"customers", "which", "did", "was", "is", "are"}):
        ask = "person"
    elif listing and explained(LISTING | {"are", "were", "is", "ones", "all", "me"}):
        ask = "list"
    elif listing and named_thing is not None and explained(LISTING | {"are", "were", "is", "the", named_thing[0]}):
        ask = "list"
    elif listing and shown and words & {"show", "list", "see", "give"} and words & {"with", "including", "plus"} \
            and explained(LISTING | {"are", "were", "is", "ones", "all", "me", "with", "and",
                                                           "beside", "including", "plus"} | {s.text for s in shown}):
        ask = "list"  # "show them with their amounts": the columns named beside
    if ask is None or state.periods and (ask != "spending" or len(state.periods) > 1):
        return None
    if ask == "when" and words & {"will", "shall", "going"}:
        # "when will it arrive?": a date still to come is a forecast, which the lake does not hold
        raise refuse(state, context, "when it will arrive is a forecast I cannot make; I can show when it was "
                                     "shipped and whether it was delivered")
    f: QueryForm | None = None
    if counted(context) and ask == "list" or one is not None and context.subject not in (None, f"{one[0]}s") \
            and ask == "list" and counted(context):
        one = None  # "how many orders did customer 15 place" -> "list them": the orders, not the customer
    if one is not None:
        entity, ident = one
        lookup = {"entity": entity, "id": ident}
        if entity == "order" and ask == "person":
            f = QueryForm(kind="list", subject="customers", filters=[Filter("orders.order_id", "=", [ident])],
                          lookup=lookup)
        elif entity == "order" and ask in ("contents", "list"):
            # the lines of that order, as "what's in order 42?" shows them
            f = QueryForm(kind="list", subject="products", filters=[Filter("order_items.order_id", "=", [ident])],
                          lookup=lookup, show=["order_items.quantity", "order_items.unit_price",
                                               "order_items.discount_percent"])
        elif entity == "customer" and ident < 0 and ask in ("where", "person", "list"):
            f = copy.deepcopy(context)  # a customer named by name: the same row, its city and country shown
            f.kind, f.measures, f.show = "list", [], ["customers.name", "customers.city", "customers.country"]
            f.dimensions, f.order_by, f.derived, f.compare = [], None, None, None
        elif entity == "customer" and ident >= 0 and ask == "spending":
            f = QueryForm(kind="aggregate", subject="customers", measures=["revenue"], lookup=lookup,
                          filters=[Filter("customers.customer_id", "=", [ident])],
                          period=state.periods[0] if state.periods else context.period)
        elif entity == "customer" and ask == "spending" and state.periods:
            # a customer named by name: their spend in the period the follow-up names
            f = QueryForm(kind="aggregate", subject="customers", measures=["revenue"],
                          filters=copy.deepcopy(context.filters), period=state.periods[0])
        elif entity == "customer" and ident >= 0 and ask in ("where", "person", "list"):
            f = QueryForm(kind="list", subject="customers", filters=[Filter("customers.customer_id", "=", [ident])],
                          lookup=lookup, show=["customers.name", "customers.city", "customers.country"])
        elif entity == "order" and ask == "when":
            # the order's dates: placed, shipped, delivered (empty dates say it has not happened yet)
            f = QueryForm(kind="list", subject="orders", filters=[Filter("orders.order_id", "=", [ident])],
                          lookup=lookup, show=["orders.order_id", "orders.order_date", "orders.status",
                                               "shipments.shipped_at", "shipments.delivered_at"])
        elif entity == "order" and ask == "how long" and "delivery_time" in state.layer.measures:
            # "how long did it take?": its parcel's dates and delivery time (empty while not delivered)
            f = QueryForm(kind="list", subject="orders", filters=[Filter("orders.order_id", "=", [ident])],
                          lookup=lookup, show=["orders.order_id", "orders.status", "shipments.shipped_at",
                                               "shipments.delivered_at", "delivery_time"])
        elif entity == "order" and ask == "where":
            # where an order went is where its customer lives
            f = QueryForm(kind="list", subject="customers", filters=[Filter("orders.order_id", "=", [ident])],
                          lookup=lookup, show=["customers.name", "customers.city", "customers.country"])
    elif named_thing is not None and ask == "list" and (counted_in_groups(context) or named_thing[1] != context.subject):
        # the things counted (or the one each belongs to) under the same conditions, listed: no count, no groups
        f = copy.deepcopy(context)
        f.kind, f.subject, f.measures, f.limit, f.order_by, f.dimensions = "list", named_thing[1], [], None, None, []
        if named_thing[1] != context.subject:
            f.notes = [*f.notes, f"of_things_named:{context.subject}"]
    elif counted(context):
        subject = context.subject
        named = [s.arg("entity") for s in spans if s.first("entity") is not None]
        if ask == "person" and named == ["customers"] and subject != "customers":
            # "who are the customers for those?" after counted shipments: their customers, each once
            f = copy.deepcopy(context)
            f.kind, f.subject, f.measures, f.limit, f.order_by, f.show = "list", "customers", [], None, None, []
        elif ask in ("list", "person") or ask == "where" and subject == "customers":
            # "how many customers never ordered" -> "who are they?": the same things, listed
            f = copy.deepcopy(context)
            f.kind, f.measures, f.limit, f.order_by = "list", [], None, None
            if ask == "where":
                f.show = ["customers.name", "customers.city", "customers.country"]
            elif ask == "list":
                f.show = [*f.show, *(a for a in (s.arg("attribute") for s in shown) if a not in f.show)]
        elif ask == "spending" and subject == "customers" and not state.periods:
            f = copy.deepcopy(context)
            f.measures = ["revenue"]
        elif ask == "spending" and subject == "orders" and not context.predicates and all(
                (x.field != "status" or x.op in ("=", "in") and not {str(v) for v in x.values} & {"cancelled", "returned"})
                and _of_orders_or_customers(state, x.field) for x in context.filters):
            # ("how many were delivered?" -> "how much did he spend on those": a status revenue keeps whole)
            # "how many orders did <customer> place in 2025?" -> "and how much did he spend?": that customer's
            # revenue over the same period (or the one the follow-up names); "how many orders did customers in
            # Finland place last month?" -> "and the revenue from them?": those orders' revenue (was: refused
            # unless one customer was named; a status condition could count orders revenue leaves out, and one
            # on their lines, "orders with Makita products", leaves open whether the lines' or the orders' is meant);
            # "how many orders did they place" after the customers of Helsinki -> "what did they spend in total": theirs
            f = copy.deepcopy(context)
            f.subject, f.measures = None, ["revenue"]
            if state.periods:
                f.period, f.period_field = state.periods[0], None
    elif ask == "spending" and context.kind == "aggregate" and context.subject == "customers" \
            and context.measures == ["count"] and context.dimensions and not (
                context.grain or context.compare or context.derived or context.limit or context.period
                or context.predicates or state.periods) and all(
                str(state.layer.dimensions.get(d, {}).get("column", "")).startswith("customers.")
                for d in context.dimensions):
        # "number of business customers per country" -> "how much revenue did they bring in?": the same groups,
        # their customers' revenue (no period was named, so all time)
        f = copy.deepcopy(context)
        f.measures, f.order_by = ["revenue"], None
    elif ask == "spending" and context.kind == "aggregate" and len(context.measures) == 1 \
            and context.measures != ["revenue"] and not (context.dimensions or context.grain or context.compare
                                                        or context.derived or context.limit or context.predicates) \
            and state.layer.measures.get(context.measures[0], {}).get("filter") == state.layer.measures["revenue"].get("filter"):
        # "and what revenue did it bring?" after a product's units sold this year: the revenue of the same sales
        # (was: refused)
        f = copy.deepcopy(context)
        f.measures, f.order_by = ["revenue"], None
        if state.periods:
            f.period, f.period_field = state.periods[0], None
    elif ranked(context, "product") and ask == "where" and context.limit == 1 and not state.periods:
        # "the best selling product" -> "where is it now?": the warehouses holding it (the ranking kept as answered)
        f = QueryForm(kind="aggregate", subject="products", measures=["stock"], dimensions=["warehouse"],
                      filters=[Filter("stock", ">", [0])], within=copy.deepcopy(context).to_dict())
    elif ranked(context, "customer") and (ask in ("where", "spending") or ask == "person" and (
            context.limit == 1 or words & {"they", "those", "these"})):
        f = copy.deepcopy(context)
        if ask == "person":
            pass  # "who was the top one?" after the top customers by revenue: the ranked one(s), named as ranked
        elif ask == "where":
            # "top 5 customers by revenue" -> "where do they live?": the same ranking, their city beside
            f.dimensions += [d for d in ("city", "country") if d not in f.dimensions]
        elif same_rows_as_revenue(state, context):
            # "who placed the most orders?" -> "how much did they spend?": the same top ones, their spend beside
            f.measures = [*f.measures, *(["revenue"] if "revenue" not in f.measures else [])]
        else:
            raise refuse(state, context, "their spend cannot be put beside that ranking: it counts other orders or "
                                         "rows than the ranking did, so the top ones could change")
    elif context.kind == "list" and context.subject == "orders" and ask == "spending" and not context.limit \
            and not state.periods and not any(x.field == "status" and x.op in ("=", "in") and {
                str(v) for v in x.values} & {"cancelled", "returned"} for x in context.filters):
        # "what did he spend in total?" after his orders listed: the revenue of those orders (the glossary's
        # sales: cancelled and returned ones left out)
        f = copy.deepcopy(context)
        f.kind, f.measures, f.show, f.order_by = "aggregate", ["revenue"], [], None
    elif context.kind == "list" and context.subject == "orders" and ask == "person" and not context.limit \
            and not context.lookup and not context.derived and not context.compare and one is None \
            and words & {"them", "those", "these", "they"}:
        # "which orders are they?" -> "who placed them?": the customers of those orders, each once (a list not ranked
        # is no set of rows to put names beside: one customer may have placed several of them)
        f = copy.deepcopy(context)
        f.kind, f.subject, f.measures, f.limit, f.order_by, f.show, f.dimensions = \
            "list", "customers", [], None, None, [], []
    elif context.kind == "list" and context.subject == "orders" and ask in ("person", "where"):
        # "the biggest order" -> "who placed it?": the same orders, their customer beside
        f = copy.deepcopy(context)
        extra = ["customers.name"] + (["customers.city", "customers.country"] if ask == "where" else [])
        f.show = [*f.show, *(x for x in extra if x not in f.show)]
    elif f is None and context.kind == "list" and context.subject == "orders" and ask == "how long" \
            and "delivery_time" in state.layer.measures and (not context.limit or "delivered" in context.predicates):
        # "which carrier delivered her last order?" -> "how long did it take?": the same order(s), each one's
        # delivery time beside (the time's own condition, a delivered parcel, must not change which is the last)
        f = copy.deepcopy(context)
        f.show = [*f.show, *(["delivery_time"] if "delivery_time" not in f.show else [])]
    elif f is None and context.kind == "list" and context.subject == "orders" and ask == "when":
        # "which of Erik's orders are in transit?" -> "when were they shipped?": the same orders, their dates beside
        f = copy.deepcopy(context)
        f.show = [*f.show, *(x for x in ("shipments.shipped_at", "shipments.delivered_at") if x not in f.show)]
    elif f is None and context.kind == "list" and context.subject == "orders" and context.limit and ask == "contents" \
            and not context.within and not state.periods:
        # "the biggest order last month" -> "what was in it?": the lines of the order(s) ranked as answered
        f = QueryForm(kind="list", subject="products", filters=[Filter("order_items.order_id", "=", [PREVIOUS_ROWS])],
                      show=[*(["order_items.order_id"] if context.limit > 1 else []), *(
                          [] if "products" in words else  # "which products were in it?": each product once
                          ["order_items.quantity", "order_items.unit_price", "order_items.discount_percent"])],
                      within=copy.deepcopy(context).to_dict())
    if f is None and not words & pointing_back(state.layer):
        return None  # "that order" named again: the general merge reads the rest
    if f is None and ask == "spending":
        # "how much did those spend this year?" after customers listed: each listed one's spend
        f = figure_of_each_listed(state, context)
        if f is not None:
            return f
    if f is None:
        raise refuse(state, context, f"I could not tell what {state.question!r} refers to in the previous answer")
    if state.periods and f.period != state.periods[0]:
        # "how much did they spend in 2024?" after the top 3 of 2025: those ones in another period is no
        # question the form can say, and dropping the period would answer another one
        raise refuse(state, context, "I could not apply the period to the previous answer's ones")
    _use_all(state)
    return f


def ranked_in_another_period(state: _State, context: QueryForm) -> QueryForm | None:
    """"how many orders have they placed all time?", "... in 2025?" after the top customer this year: the
    same ranked ones (held as answered), their figure over the other period. Re-ranking in that period could
    name other ones, and keeping the ranking's period would answer another question."""
    new = state.form
    if not of_the_ranked(state, context) or not new.measures or new.order_by or new.dimensions or new.filters \
            or new.predicates or new.derived or new.grain or new.limit:
        return None
    always = [s for s in state.spans if s.text in ALL_TIME and not s.used]
    other = [p for p in state.periods if context.period is None or (p.start, p.end) != (
        context.period.start, context.period.end)]
    dims, measures = state.layer.dimensions, state.layer.measures
    # "how much stock of it do we have?" after the best seller: a figure of the ranked thing itself (its stock),
    # not of what was ranked (the orders): beside the ranking it would count the order lines once per stock row
    own = dims.get(context.dimensions[0], {}).get("entity")
    of_itself = not state.periods and bool(own) and all(
        measures.get(m, {}).get("entity") == own and "sql" in measures.get(m, {}) for m in new.measures) and all(
        measures.get(m, {}).get("entity") not in (None, own) for m in context.measures)
    if not (always and not state.periods or len(state.periods) == 1 and other or of_itself):
        return None
    table = str(dims.get(context.dimensions[0], {}).get("column", "")).split(".")[0]
    if any(str(dims.get(d, {}).get("column", "")).split(".")[0] != table for d in context.dimensions[1:]):
        return None  # a second grouping of its own: no one list of ranked things
    ranking = copy.deepcopy(context)
    ranking.dimensions = ranking.dimensions[:1]  # "where are they based?" had put their city beside
    for s in always:
        s.used = True
    texts = [s.text for s in state.spans]
    for k in range(len(texts) - 1):
        if texts[k:k + 2] == ["in", "total"] and context.limit == 1:
            state.spans[k].used = state.spans[k + 1].used = True  # one of them: its total over that time
    return QueryForm(kind="aggregate", subject=new.subject, measures=list(new.measures),
                     dimensions=list(ranking.dimensions), period=other[0] if other else None,
                     within=ranking.to_dict())


def column_of_the_ranked(state: _State, context: QueryForm) -> QueryForm | None:
    """"whats their email address?", "when did they sign up?" after the top customer(s): a column of the
    ranked things themselves, listed for the same ones (held as ranked, so a column cannot change which)."""
    new = state.form
    if not of_the_ranked(state, context) or new.measures or new.dimensions or new.filters or new.predicates \
            or new.order_by or new.limit or new.derived or new.grain or state.periods:
        return None
    dims = state.layer.dimensions
    own = dims.get(context.dimensions[0], {}).get("entity")
    table = state.layer.entities.get(own or "", {}).get("table")
    shown = list(new.show)
    words = {s.text for s in state.spans}
    signed = [s for s in state.spans if s.has("activity", "signup")]
    if "when" in words and signed and own == "customers" and not shown:
        shown = ["customers.signup_date"]  # "when did they sign up?", as "when did Sofia Lund sign up"
        for s in [*signed, *(s for s in state.spans if s.text == "when")]:
            s.used = True
    grouped = {str(spec.get("column", "")) for spec in dims.values()}
    if not table or not shown or any(c.split(".")[0] != table or c in grouped for c in shown):
        return None  # ("and their categories?": a grouping column goes beside the figures, in the merge)
    if any(str(dims.get(d, {}).get("column", "")).split(".")[0] != table for d in context.dimensions[1:]):
        return None
    ranking = copy.deepcopy(context)
    ranking.dimensions = ranking.dimensions[:1]
    return QueryForm(kind="list", subject=own, show=shown, within=ranking.to_dict())


def counted_of_the_top_group(state: _State, context: QueryForm) -> QueryForm | None:
    """"which products are those?" after the warehouse with the most products below their reorder level: the counted
    things of the one group ranked first, listed under the same conditions (the ranking kept as it was answered,
    ``within``)."""
    new = state.form
    if not (context.kind == "aggregate" and context.measures in (["count"], [f"count:{context.subject}"])
            and len(context.dimensions) == 1 and context.subject and context.limit == 1 and not context.offset
            and context.order_by in context.measures and not context.within
            and not (context.grain or context.compare or context.derived or context.per_group)):
        return None
    if new.measures or new.dimensions or new.order_by or new.limit or new.derived or new.filters or new.predicates \
            or state.periods or state.ids or new.subject not in (None, context.subject) or not points_back(state.spans):
        return None
    if not any(s.has("entity", context.subject) and state._is_which(k) for k, s in enumerate(state.spans)):
        return None
    if not _explained(state, {"which", "what", "are", "were", "is", "was", "there", "the", *_nouns(context)}
                      | {s.text for s in state.spans if s.has("entity", context.subject)}):
        return None
    f = copy.deepcopy(context)
    f.within = None
    within = f.to_dict()
    f.kind, f.measures, f.dimensions, f.limit, f.order_by, f.within = "list", [], [], None, None, within
    _use_all(state)
    return f


def counted_of_the_ranked(state: _State, context: QueryForm) -> QueryForm | None:
    """"list those returned orders" after the customer with the most returned orders: the things counted for the
    ranked one(s), listed (held as ranked; the conditions they were counted under kept)."""
    new = state.form
    counted_things = {m.split(":", 1)[1] if m.startswith("count:") else context.subject for m in context.measures
                      if m == "count" or m.startswith("count:")}
    if not of_the_ranked(state, context) or len(context.measures) != 1 or counted_things != {new.subject} \
            or new.measures or new.dimensions or new.predicates or new.order_by or new.limit or state.periods \
            or not {s.text for s in state.spans} & {"list", "show", "which", "what"}:
        return None
    if any(x not in context.filters for x in new.filters):
        return None  # "list those returned orders": the condition said again, never a new one
    dims = state.layer.dimensions
    table = str(dims.get(context.dimensions[0], {}).get("column", "")).split(".")[0]
    if any(str(dims.get(d, {}).get("column", "")).split(".")[0] != table for d in context.dimensions[1:]):
        return None
    ranking = copy.deepcopy(context)
    ranking.dimensions = ranking.dimensions[:1]
    return QueryForm(kind="list", subject=new.subject, filters=copy.deepcopy(context.filters),
                     predicates=list(context.predicates), period=context.period, period_field=context.period_field,
                     within=ranking.to_dict())


def ranked(context: QueryForm, dimension: str) -> bool:
    """The previous answer is the top (or bottom) N of one dimension ranked by a measure."""
    return (context.kind == "aggregate" and context.dimensions == [dimension] and bool(context.limit)
            and context.order_by in context.measures and not context.grain and not context.compare
            and not context.derived and not context.per_group)


def same_rows_as_revenue(state: _State, context: QueryForm) -> bool:
    """Adding revenue keeps the previous rows: its measures already leave out the orders revenue leaves out
    (else the revenue's status filter would recount the ranking)."""
    revenue = state.layer.measures["revenue"].get("filter")
    if not all(m.startswith("count") or state.layer.measures.get(m, {}).get("sql") for m in context.measures):
        return False  # a measure of order lines ("units sold"): the orders' total beside it would be summed per line
    left_out = {str(v) for x in context.filters if x.field == "status" and x.op == "not in" for v in x.values}
    kept = [{str(v) for v in x.values} for x in context.filters if x.field == "status" and x.op in ("=", "in")]
    return all(state.layer.measures.get(m, {}).get("filter") == revenue for m in context.measures) or (
        {"cancelled", "returned"} <= left_out) or any(not k & {"cancelled", "returned"} for k in kept)


def orders_of_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"list their orders from this year", "how many orders did she place last month?": the orders of
    the one customer the previous answer named, in the period the question names (if any)."""
    one = one_named(context)
    if one is None or one[0] != "customer" or len(state.periods) > 1:
        return None
    counting = any(s.text in ("how many", "number of", "count") for s in state.spans) or \
        {"how", "many"} <= {s.text for s in state.spans}
    slots = {s.text for s in state.spans if s.text.startswith("__period")}
    if not any(s.has("entity", "orders") for s in state.spans) or not _explained(
            state, slots | LISTING | PLACING | {"orders", "how", "many", "how many", "number of", "count", "all",
                                                "from", "in", "during", "me", "did", "do", "does", "has", "have",
                                                "were", "are", "the", "of"}):
        return None
    entity, ident = one
    if ident >= 0:
        who = Filter("customers.customer_id", "=", [ident])
    else:
        named = next((x for x in context.filters if x.field == "customer" and x.op == "="), None)
        if named is None:
            return None
        who = copy.deepcopy(named)
    f = QueryForm(kind="aggregate" if counting else "list", subject="orders", measures=["count"] if counting else [],
                  filters=[who], period=state.periods[0] if state.periods else None,
                  lookup={"entity": entity, "id": ident} if ident >= 0 else None)
    _use_all(state)
    return f


def drop_value(f: QueryForm, context: QueryForm, field: str, value: object) -> None:
    """"drop the web filter": the previous filter of that value goes; "without the cancelled ones" where the
    previous question kept every status, or several: that value is left out (never the whole filter)."""
    old = context.filter_on(field)
    f.filters = [x for x in f.filters if x.field != field]
    if old is None:
        f.filters.append(Filter(field, "not in", [value]))
    elif old.op in ("=", "in") and value in old.values and len(old.values) > 1:
        f.filters.append(Filter(field, old.op, [v for v in old.values if v != value]))
    elif old.op == "not in":
        f.filters.append(Filter(field, "not in", [*old.values, *([value] if value not in old.values else [])]))
    elif value not in old.values or old.op not in ("=", "in"):
        f.filters.append(copy.deepcopy(old))  # another condition on that field: nothing of it to drop


def dropped_dimension(state: _State, i: int) -> bool:
    """"ignore the channel", "without the segment": a whole dimension dropped, no condition negated."""
    nxt = state.next_content(i)
    return state.spans[i].has("grammar", "drop_filter") and nxt is not None and nxt[1].first("dimension") is not None \
        and not state.values_of(nxt[1])


def negate_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"and the ones that aren't?", "what about the others?": the previous condition negated.
    Only one condition can be meant; with none or several the question is refused."""
    negation = [s for i, s in enumerate(state.spans) if s.has("grammar", "negation") and not s.used
                and not dropped_dimension(state, i)]
    others = [s for s in state.spans if s.text in OTHERS]
    opposite = _opposite(state, context)
    if not negation and not others and opposite is None:
        return None
    words = {s.text for s in negation + others} | {"ones", "that", "which", "who", "the", "what", "about", "and",
                                                    "those", "these", "them", "in", "from", "for", "everywhere"}
    # "the other countries": the dimension of the one filter to negate may be named
    words |= {s.text for s in state.spans if (d := s.first("dimension")) is not None and context.filter_on(str(d[1]))}
    if opposite is not None:
        words |= OPPOSITE_WORDS | {s.text for s in state.spans if s.has("entity", context.subject or "")}
    if not _explained(state, words):
        return None
    conditions: list[tuple[str, object]] = [("predicate", p) for p in context.predicates]
    conditions += [("filter", x) for x in context.filters
                   if x.op in ("=", "in", "not in") and not x.field.endswith("_id") and "." not in x.field]
    if opposite is not None:
        conditions = [("predicate", opposite)]  # the condition the question named the opposite of
    if len(conditions) != 1:
        what = "no condition" if not conditions else f"{len(conditions)} conditions"
        raise refuse(state, context, f"I could not tell which condition to negate (the previous question has {what})")
    f = copy.deepcopy(context)
    kind, item = conditions[0]
    if kind == "predicate":
        name = str(item)
        k = f.predicates.index(name)
        f.predicates[k] = name[4:] if negated_predicate(state.layer, name) else "not_" + name
    else:
        assert isinstance(item, Filter)
        x = next(x for x in f.filters if x.field == item.field and x.op == item.op and x.values == item.values)
        x.op = "in" if x.op == "not in" else "not in"
    f.limit = context.limit
    _use_all(state)
    return f


# the complement of a predicate said in its own words: "late" -> "on time"
OPPOSITES = {"late": re.compile(r"\b(?:on|in)\s+time\b|\bpunctual(?:ly)?\b|\bnot\s+late\b")}
OPPOSITE_WORDS = frozenset({"on", "in", "time", "punctual", "punctually", "how many", "how", "many", "were", "was",
                            "are", "is", "did", "arrive", "arrived", "delivered", "number of", "count"})


def _opposite(state: _State, context: QueryForm) -> str | None:
    """The previous answer's predicate the question names the complement of, in other words."""
    text = " " + state.question.lower() + " "
    for name, said in OPPOSITES.items():
        if name in context.predicates and said.search(text):
            return name
    return None


def drop_period(state: _State, context: QueryForm) -> QueryForm | None:
    """"ok now without the period restriction", "for all time": the previous question, any date."""
    spans = state.spans
    target = None
    for i, s in enumerate(spans):
        nxt = state.next_content(i)
        # ("now any year", "all years" with no grouping by years: any date)
        any_grain = nxt is not None and nxt[1].first("grain") is not None and context.grain is None and (
            s.text == "any" or s.text == "all" and nxt[1].text.endswith("s"))
        # "any signup date", "all order dates": the date the previous period was on, any value of it
        any_date = nxt is not None and context.period_field is not None and s.text in ("any", "all") and \
            nxt[1].has("attribute", context.period_field)
        if s.has("grammar", "drop_filter") and nxt is not None and (nxt[1].text in PERIOD_WORDS or any_grain or any_date):
            target = [s, nxt[1]]
            if nxt[0] + 1 < len(spans) and spans[nxt[0] + 1].text in ("restriction", "filter", "limit", "range"):
                target.append(spans[nxt[0] + 1])
        elif s.text in ALL_TIME:
            target = [s]
    if target is None:
        return None
    # "and in Tampere overall, any signup date?": a value the previous question already held only restates it
    kept = {s.text for s in state.spans if (values := state.values_of(s)) and all(
        (x := context.filter_on(field)) is not None and x.op in ("=", "in") and value in x.values
        for field, value in values)}
    if not _explained(state, {s.text for s in target} | kept | {"for", "over", "of", "just", "please", "show", "again",
                                                               "overall", "in"}):
        return None
    if context.period is None:
        raise refuse(state, context, "the previous question has no period to drop")
    f = copy.deepcopy(context)
    f.period = f.compare_period = None
    if f.derived and f.derived.get("kind") in ("growth", "periods"):
        f.derived = None
    if not f.grain:
        f.period_field = None
    _use_all(state)
    return f


EARLIER = "earlier:"


def earlier_note(period: Period) -> str:
    """The period of the turn before, kept with a follow-up that changed it ("and the month before?")."""
    return f"{EARLIER}{period.start}|{period.end}|{period.label}"


def earlier_period(context: QueryForm) -> Period | None:
    note = next((n for n in context.notes if n.startswith(EARLIER)), None)
    if note is None:
        return None
    start, end, label = note[len(EARLIER):].split("|", 2)
    return Period(start, end, label)


def between_them(spans: list[Span]) -> bool:
    """"the growth between them", "growth from one to the other": the two periods asked before."""
    words = {s.text for s in spans}
    return bool(words & {"them", "those", "these", "both", "two", "between"}) and not any(
        s.has("grammar", "previous") for s in spans)


# "the previous year", "the prior month": a period named relative to the previous answer's period
PREVIOUS_UNIT = re.compile(r"\b(?:previous|prior|preceding)\s+(year|month|quarter|week)\b")
# "same period last year", "the same months a year earlier": the previous period, one year back
SAME_LAST_YEAR = re.compile(r"\bsame\s+(?:period|time|dates|days|weeks?|months?|quarter)\s+(?:of\s+|in\s+)?"
                            r"(?:the\s+)?(?:last|previous|prior)\s+year\b")
# "the same dates a year ago", "a year earlier": no period slot, the words themselves say it
YEAR_AGO = re.compile(r"\b(?:(?:the\s+)?same\s+(?:period|time|dates|days|weeks?|months?|quarter)\s+)?(?:a|one)\s+"
                      r"year\s+(?:ago|earlier|before)\b")
# "same period in 2025", "the same quarter of 2024": the previous period, moved to the year named
SAME_IN_YEAR = re.compile(r"\bsame\s+(?:period|time|dates|days|weeks?|months?|quarter)\s+(?:of\s+|in\s+|for\s+|during\s+)"
                          r"(?:the\s+year\s+)?((?:19|20)\d{2})\b")
SAME_WORDS = frozenset({"same", "period", "time", "dates", "days", "week", "weeks", "month", "months", "quarter"})
YEAR_AGO_WORDS = SAME_WORDS | {"a", "one", "year", "ago", "earlier", "before"}


def _year_back(period: Period, years: int = 1) -> Period:
    start, end = period.start_date, period.end_date

    def back(d: date) -> date:
        return d.replace(year=d.year - years, day=min(d.day, 28) if d.month == 2 and d.day == 29 else d.day)
    s, e = back(start), back(end)
    if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
        label = f"{s.year}"
    elif s.day == 1 and s.month == e.month and s.year == e.year and (e + timedelta(days=1)).day == 1:
        label = f"{calendar.month_name[s.month]} {s.year}"
    else:
        label = f"{s} to {e}"
    return Period(s.isoformat(), e.isoformat(), label)


def _unit_before(start: date, unit: str) -> Period:
    """The whole year/quarter/month/week that ends the day before ``start``."""
    end = start - timedelta(days=1)
    if unit == "year":
        return Period(f"{end.year}-01-01", f"{end.year}-12-31", f"{end.year}")
    if unit == "week":
        return Period((start - timedelta(days=7)).isoformat(), end.isoformat(), f"the week before {start}")
    first = end.month if unit == "month" else 3 * ((end.month - 1) // 3) + 1
    label = f"{calendar.month_name[first]} {end.year}" if unit == "month" else f"Q{(first - 1) // 3 + 1} {end.year}"
    return Period(date(end.year, first, 1).isoformat(), end.isoformat(), label)


def _in_the_previous_year(state: _State, previous: Period) -> None:
    """"just the fourth quarter" after revenue in 2025, "and March?" after 2024: a quarter, half or month named with
    no year, after an answer over one calendar year, is that year's (was: the as-of year's, Q4 2026: a silent wrong).
    Only moved back: a unit of a later year than the one taken would lie after the as-of day."""
    if len(state.periods) != 1 or previous.start_date.year != previous.end_date.year:
        return
    named = state.periods[0]
    year = previous.start_date.year
    if (named.start, named.end) not in getattr(state, "yearless_periods", set()) or named.start_date.year <= year:
        return
    label = named.label.rsplit(" ", 1)[0]
    # ("just the second half" after revenue by month in 2025: H2 2025, as a quarter is; was: H2 of the as-of year)
    months = 3 if label.startswith("Q") else 6 if label.startswith("H") else 1
    first = named.start_date.month
    start, end = date(year, first, 1), date(year, first + months - 1,
                                            calendar.monthrange(year, first + months - 1)[1])
    state.periods[0] = Period(start.isoformat(), end.isoformat(), f"{label} {year}")


def relative_to_previous(state: _State, context: QueryForm) -> None:
    """"and the previous year?", "same period last year?": the period the question names is counted
    back from the previous answer's period, not from today (today's "previous year" would repeat
    2025 after a question about 2025). Replaces the one period the question named."""
    text = " " + state.question.lower() + " "
    for wrong, right in state.corrections:  # "the previus year" reads as it was mended
        text = re.sub(rf"\b{re.escape(wrong)}\b", right, text)
    same = SAME_IN_YEAR.search(text)
    if same and (context.period is None or len(state.periods) != 1 or context.period.start_date.year
                 != context.period.end_date.year or state.periods[0].start != f"{same.group(1)}-01-01"):
        # "same period in 2025" after a period over two years (or none): which part of 2025 is not guessed
        raise refuse(state, context, f"I could not tell which part of {same.group(1)} is the same period")
    if context.period is None or len(state.periods) > 1 or context.period.start_date <= date(1900, 1, 1):
        return
    _in_the_previous_year(state, context.period)
    unit = PREVIOUS_UNIT.search(text)
    if unit and state.periods:
        state.periods[0] = _unit_before(context.period.start_date, unit.group(1))
    elif SAME_LAST_YEAR.search(text) and state.periods:
        state.periods[0] = _year_back(context.period)
        for s in state.spans:
            if s.text in SAME_WORDS:
                s.used = True
    elif same:
        # "same period in 2025" after Q3 2026: Q3 2025 (not all of 2025); a period over two years is not moved
        state.periods[0] = _year_back(context.period, context.period.start_date.year - int(same.group(1)))
        for s in state.spans:
            if s.text in SAME_WORDS:
                s.used = True
    elif YEAR_AGO.search(text) and (not state.periods or len(state.periods) == 1 and (
            state.periods[0].start, state.periods[0].end) == (context.period.start, context.period.end)):
        # "what about march a year earlier?" after March 2026: the period named again is the one moved back
        state.periods[:] = [_year_back(context.period)]
        for s in state.spans:
            if s.text in YEAR_AGO_WORDS:
                s.used = True


# words that move the previous threshold's number, its comparator kept
THRESHOLD_MOVES = frozenset({"lower", "raise", "bump", "bar", "threshold", "cutoff"})
# words that may stand beside the one number of a follow-up changing the previous question's number ("lower the
# bar to 4000", "raise the threshold to 8000": the one threshold's number changed)
NUMBER_CHANGE = frozenset({"give", "show", "me", "instead", "make", "it", "that", "just", "only", "the", "rows",
                           "results", "of", "them", "those", "please", "what", "about", "how", "and", "then", "with",
                           "us", "let", "see", "list", "eur", "euros", "euro", "to"}) | THRESHOLD_MOVES


def _percent_scale(state: _State, field: str) -> float | None:
    """The factor a number said in percent takes on ``field``: 0.01 on a 0-1 fraction measure, 1 on a column (or
    measure) kept in percent; None on any other field (a percent is no amount, count or number of days)."""
    spec = state.layer.measures.get(field)
    if spec is not None:
        return 0.01 if spec.get("fraction") else 1.0 if spec.get("unit") in ("%", "percent") else None
    return 1.0 if "." in field and state.layer.column(field).get("unit") == "%" else None


def change_number(state: _State, context: QueryForm) -> QueryForm | None:
    """"give me 10 instead": the previous ranking's limit; "and over 1000?": the previous question's one
    threshold, with the comparator the follow-up says. Nothing else may be said beside the number."""
    numbers = [s for s in state.spans if s.first("number") is not None]
    comparators = [s for s in state.spans if s.first("comparator") is not None]
    if len(numbers) != 1 or len(comparators) > 1 or state.periods or state.ids:
        return None
    f = copy.deepcopy(context)
    equal = [x for x in f.filters if x.op == "=" and len(x.values) == 1 and isinstance(x.values[0], (int, float))
             and not isinstance(x.values[0], bool) and not x.field.endswith("_id")]
    value_swap = not comparators and not context.limit and len(equal) == 1 and not any(
        x.op in ("<", "<=", ">", ">=") for x in f.filters)
    said = {"at", "__pct__"} if value_swap else set()
    thresholds = [x for x in f.filters if x.op in ("<", "<=", ">", ">=") and len(x.values) == 1
                  and isinstance(x.values[0], (int, float))]
    # "and above 50 percent?" after "products with a margin under 30%": a number said in percent moves the one
    # threshold kept on a percent scale (a 0-1 fraction or a column in %); said of another figure it is refused
    in_percent = not value_swap and any(s.text == "__pct__" for s in state.spans)
    scale = _percent_scale(state, thresholds[0].field) if in_percent and len(thresholds) == 1 else None
    if in_percent and scale is not None:
        said = {"__pct__"}
    if not _explained(state, NUMBER_CHANGE | {numbers[0].text} | {s.text for s in comparators} | said):
        return None
    if comparators and {s.text for s in state.spans} & THRESHOLD_MOVES:
        return None  # "raise the bar up to 8000": the number moved, not a new comparator (refused)
    value = float(numbers[0].arg("number"))
    if in_percent and scale is not None:
        # (the percent said: the scale is not guessed from the number; "over 0.5%" is 0.005 of a fraction)
        thresholds[0].values = [value * scale]
        if comparators:
            k = comparators[0].first("comparator")
            assert k is not None
            thresholds[0].op = str(k[1])
        _use_all(state)
        return f
    if value_swap:
        # "and at 10%?" after units sold with a 20% discount: the one number the previous question was equal to,
        # swapped (was: refused, only a threshold or a limit was changed)
        equal[0].values = [value]
        _use_all(state)
        return f
    if len(thresholds) == 1 and state.layer.measures.get(thresholds[0].field, {}).get("fraction") \
            and (comparators or not context.limit):
        # "make it 30" after "a margin under 25%": a 0-1 fraction said in percent (as the question read it);
        # a number that could be either scale is not guessed
        if not 1 < value <= 100:
            raise refuse(state, context, f"I could not tell whether {value:g} is a percent or a fraction")
        value = value / 100
    if not comparators and not context.limit and len(thresholds) == 1:
        # "make it 30" after "products with less than 20 in stock": no limit to change, so the one threshold's
        # number, on the comparator it had
        thresholds[0].values = [value]
    elif not comparators:
        if not context.limit or value != int(value) or not 0 < value <= 1000:
            return None
        if any(x.op in ("<", "<=", ">", ">=") for x in context.filters):
            # "top 5 customers with more than 10 orders" -> "and 20?": the limit or the threshold
            raise refuse(state, context, "I could not tell whether the number changes the limit or the threshold")
        f.limit = int(value)
    else:
        k = comparators[0].first("comparator")
        assert k is not None
        if len(thresholds) != 1:
            what = "no threshold" if not thresholds else f"{len(thresholds)} thresholds"
            raise refuse(state, context, f"I could not tell which number to change (the previous question has {what})")
        thresholds[0].op, thresholds[0].values = str(k[1]), [value]
    _use_all(state)
    return f


# "split that by warehouse": verbs that only say the grouping that follows them
GROUPING_VERBS = frozenset({"split", "divide", "separate", "segment", "group", "bucket", "slice"})
# "group it by channel": a grouping verb that groups the answer anew (the others split the groups it has)
REGROUPING_VERBS = frozenset({"group"})
# "rank them by revenue": verbs that only say the ranking on the figure that follows
SORTING_VERBS = frozenset({"rank", "ranked", "sort", "sorted"})
# "which carrier is handling it?": verbs that only say a carrier carries the shipment
CARRYING_VERBS = frozenset({"handling", "handles", "handled", "carrying", "carries", "carried", "delivering",
                            "delivers", "transporting", "transported", "shipping", "ships"})


def adds_grouping(state: _State) -> bool:
    """"split that by channel too", "split that by country": the new grouping goes beside the previous one
    (a word of the layer's adding list, or a grouping verb on the previous answer); "now by month", "by
    quarter instead", "group it by channel" name the grouping that replaces it."""
    spans = state.spans
    if any(s.text == "instead" for s in spans):
        return False
    if any(s.has("grammar", "adding") for s in spans):
        for s in spans:
            if s.has("grammar", "adding"):
                s.used = True
        return True
    # ("group it by channel" after orders per status: grouped anew, by that alone, as "group by city" reads)
    return any(s.text in GROUPING_VERBS - REGROUPING_VERBS and b.text in ("that", "it", "this", "them", "those")
               for s, b in zip(spans, spans[1:], strict=False))


def merge_verbs(state: _State) -> None:
    """Verbs a follow-up uses around what it names, placed so the merge is left with the names."""
    spans = state.spans
    carrier = any(s.has("dimension", "carrier") for s in spans)
    for i, s in enumerate(spans):
        if s.used or s.senses:
            continue
        if s.text in GROUPING_VERBS:
            nxt, between = state.next_content(i), []
            while nxt is not None and nxt[1].text in ("that", "it", "this", "them", "up", "out", "those"):
                between.append(nxt[1])
                nxt = state.next_content(nxt[0])
            if nxt is not None and nxt[1].has("grammar", "group_by"):
                for x in (s, *between):
                    x.used = True
        elif s.text in CARRYING_VERBS and carrier:
            s.used = True
        elif s.text in SORTING_VERBS:
            # "now rank them by revenue instead": the verb of the ranking "by <figure>" says
            nxt = state.next_content(i)
            while nxt is not None and nxt[1].text in POINTERS:
                nxt = state.next_content(nxt[0])
            after = state.next_content(nxt[0]) if nxt is not None and nxt[1].has("grammar", "group_by") else None
            if after is not None and after[1].first("measure") is not None:
                s.used = True


def unknown_value(state: _State, context: QueryForm) -> None:
    """"and in the Malmö warehouse?" after a question filtered on one warehouse: a name the lake does not
    hold next to the dimension the previous question filtered on is another value of it, which does not
    exist (not a word the copilot failed to read)."""
    spans = state.spans
    # "all brands again" after only Oras: "again" restores every value, it names no brand
    unread = [i for i, s in enumerate(spans) if not s.senses and not s.used and s.text not in OTHERS
              and not (s.text == "again" and i > 1 and spans[i - 1].first("dimension")
                       and spans[i - 2].text in ("all", "any", "every"))]
    customer = context.filter_on("customer")
    if unread and unread == list(range(unread[0], unread[-1] + 1)) and unread[0] > 0 \
            and (spans[unread[0] - 1].text in ("from", "for", "of", "by") or spans[unread[0] - 1].has(
                "grammar", "followup") or spans[unread[0] - 1].has("entity", "customers")
                 or spans[unread[0] - 1].has("dimension", "customer")) and customer is not None \
            and customer.op in ("=", "in") and all(s.text in ("and", "what about", "how about", "from", "for", "of",
                                                                "by", "?") or s.has("grammar", "followup")
                                                   for k, s in enumerate(spans) if k not in unread and k != unread[0] - 1):
        # "and from Matti Meikalainen?", "and Matti Meikalainen?" after a customer's revenue: another customer,
        # by a name (written with capitals) the lake does not hold; "and customer Sven Svensson?" names the kind
        # of thing before the name (was: not understood, "changes nothing")
        said = re.search(r"\b" + r"\s+".join(re.escape(spans[k].text) for k in unread) + r"\b", state.question,
                         re.IGNORECASE)
        if said is not None and said.group(0)[:1].isupper():
            raise NotFound(f"there is no customer named {said.group(0)!r} in the lake (the previous question was "
                           f"about customer {', '.join(str(v) for v in customer.values)})", field="question",
                           hint="check the customer name")
    if len(unread) != 1:
        return
    i = unread[0]
    for j in (i + 1, i - 1):
        if 0 <= j < len(spans) and (dim := spans[j].first("dimension")) is not None:
            previous = context.filter_on(str(dim[1]))
            if previous is not None and previous.op in ("=", "in"):
                shown = ", ".join(str(v) for v in previous.values)
                said = re.search(re.escape(spans[i].text), state.question, re.IGNORECASE)
                name = said.group(0) if said else spans[i].text  # as the question wrote it
                raise NotFound(f"there is no {dim[1]} named {name!r} in the lake (the previous question "
                               f"was about {dim[1]} {shown})", field="question", hint=f"check the {dim[1]} name")


POINTERS = frozenset({"they", "them", "their", "those", "these", "it", "its", "ones"})
COPULAS = frozenset({"is", "was", "are", "were"})


def points_back(spans: list[Span]) -> bool:
    """A pointer at the previous answer: "they", "those", or "that" as the subject of "is"/"was" ("how many
    units was that?"; "split that by channel" names no one thing)."""
    return any(s.text in POINTERS or s.text == "that" and k > 0 and spans[k - 1].text in COPULAS
               for k, s in enumerate(spans))


# the words a count's thing is left out before ("how many came from ...", "how many did we sell"); a noun,
# value or "of" after "how many" names it
ELLIPSIS_NEXT = frozenset({"did", "do", "does", "were", "was", "are", "is", "have", "has", "had", "came", "come",
                           "went", "got", "get", "will", "would", "could", "can"})


def elliptic_count(state: _State) -> bool:
    """"how many came from business customers?": a count whose thing is not said (a verb right after
    "how many"), so the things of the previous answer are counted."""
    spans = state.spans
    # ("how many delayed?", "how many cancelled?" after things counted: a condition right after "how many", no
    # thing named anywhere, is said of the previous answer's things, as "how many were delayed?")
    return any(s.text == "how many" and (spans[k + 1].text in ELLIPSIS_NEXT or (
        spans[k + 1].first("predicate") is not None or state.values_of(spans[k + 1]))
        and not any(x.first("entity") is not None for x in spans)) for k, s in enumerate(spans[:-1]))


def of_them_counted(state: _State) -> bool:
    """"how many of them went to customers in Sweden?": the previous answer's things counted; a thing named after
    them is a condition on them, not the thing counted."""
    texts = [s.text for s in state.spans]
    # ("how many of those customers are business?" after orders counted: "those" with a noun names the things
    # counted, the customers of those rows, as "how many customers was that?")
    return any(texts[k:k + 2] == ["how many", "of"] and texts[k + 2:k + 3] in (["them"], ["those"], ["these"])
               and not (texts[k + 2] != "them" and k + 3 < len(texts) and state.spans[k + 3].first("entity"))
               for k in range(len(texts)))


def each_alone(state: _State) -> bool:
    """"how many units of each do we have?", "the revenue for each?": "each" with no noun of its own stands for
    the previous answer's rows (as "each of them")."""
    spans = state.spans
    return any(s.text in ("each", "for each") and (s.text == "for each" or k > 0 and spans[k - 1].text == "of")
               and ((nxt := state.next_content(k)) is None or not (nxt[1].first("dimension") or nxt[1].first("entity")))
               for k, s in enumerate(spans))


def of_the_ranked(state: _State, context: QueryForm, dimension: str | None = None) -> bool:
    """The question points back ("they", "those") at the top N of the previous ranking. With
    ``dimension``: also, that dimension describes the ranked things (a customer's city), so it can
    stand beside each of them without changing which ones they are."""
    # ("which of them are in Finland?" after a top 10: the ones kept of the top N, ``within``, are ranked ones too)
    held = bool(context.limit or context.within and context.within.get("limit"))
    if not (held and context.order_by in context.measures and context.dimensions
            and (points_back(state.spans) or each_alone(state))):
        return False
    if dimension is None:
        return True
    dims = state.layer.dimensions
    ranked = [dims.get(d, {}).get("column", "") for d in context.dimensions]
    column = dims.get(dimension, {}).get("column", "")
    return "." in column and all(c.split(".")[0] == column.split(".")[0] for c in ranked)


def count_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"how many are there?" after a list: the listed things counted (the same conditions)."""
    counted = any(s.has("grammar", "count") for s in state.spans)
    cond = (context.derived or {}).get("condition") or {}
    if counted and cond and context.kind == "aggregate" and context.measures == ["count"] and not context.dimensions \
            and not context.grain and (context.derived or {}).get("kind") == "share" and \
            any(s.text in ("that", "this") for s in state.spans) and _explained(state, {
                "how many", "number of", "count", "is", "was", "that", "this", "in", "absolute", "numbers", "number",
                "terms", "actual", "what", "the", "of"} | ({s.text for s in state.spans if s.has("entity", context.subject)})):
        # "how many orders is that in absolute numbers" after the share cancelled: the share's part counted
        f = copy.deepcopy(context)
        f.derived = None
        if cond.get("predicate"):
            f.predicates.append(cond["predicate"])
        else:
            x = cond["filter"]
            f.filters.append(Filter(x["field"], x["op"], list(x["values"]), x.get("unit")))
        _use_all(state)
        return f
    if context.kind != "list" or not counted:
        return None
    if not _explained(state, {"how many", "number of", "count", "are", "there", "is", "were", "was", "in", "total",
                              "all", "so", "what", "the", "of", "altogether"}):
        return None
    if context.limit:
        raise refuse(state, context, "the previous answer was cut to its first rows; counting them says nothing")
    f = copy.deepcopy(context)
    f.kind, f.measures, f.show, f.order_by = "aggregate", ["count"], [], None
    _use_all(state)
    return f


def best_of_the_top(state: _State, context: QueryForm) -> QueryForm | None:
    """"what's its best product?" after the top brand: another dimension's top ones within the previous top
    (the previous ranking kept as it was answered, ``within``), ranked on the same figure unless another is
    named ("its best selling product")."""
    spans = state.spans
    # (after a top 3, "their best products" could be each one's or the three's together: not guessed)
    if not of_the_ranked(state, context) or context.limit != 1 or len(context.dimensions) != 1 or context.grain \
            or context.per_group \
            or context.compare or context.derived or state.periods or state.ids:
        return None
    ranking = [s for s in spans if s.first("superlative") is not None or s.first("ranking") is not None]
    other = [s for s in spans if (d := s.first("dimension")) is not None and d[1] not in context.dimensions
             and not state.values_of(s)]
    numbers = [s for s in spans if s.first("number") is not None]
    # "its best selling product by units": the figure it is ranked on, named after "by"
    by = [spans[k + 1] for k, s in enumerate(spans[:-1]) if s.has("grammar", "group_by") and spans[k + 1].first(
        "measure") is not None]
    if len(ranking) != 1 or len(other) != 1 or len(numbers) > 1 or len(by) > 1:
        return None
    # "which of its products sold the most units?": the figure said again beside the ranking verb that names it
    # ("sold the most" ranks on units sold) adds nothing to it
    verb = ranking[0].first("ranking")
    restated = [s for s in spans if verb is not None and s.first("measure") is not None
                and s.arg("measure") == verb[1] and s not in by]
    if not _explained(state, {s.text for s in [*ranking, *other, *numbers, *by, *restated]}
                      | {"what", "which", "who", "is", "are", "was", "were", "the", "of", "and"}
                      | ({"by"} if by else set())):
        return None
    f = copy.deepcopy(context)
    f.within, f.dimensions = copy.deepcopy(context).to_dict(), [str(other[0].arg("dimension"))]
    named = ranking[0].first("ranking")
    if by:  # "its best product by units": ranked on the figure named
        f.measures, f.order_by = [str(by[0].arg("measure"))], str(by[0].arg("measure"))
    elif named is not None:  # "its best selling product": ranked on that figure
        f.measures, f.order_by = [str(named[1])], str(named[1])
    f.direction = "asc" if ranking[0].first("superlative") == ("superlative", "asc") else "desc"
    # "which of its products sold best?": "which of" picks one of them, as "which of those brands is the biggest?"
    k = spans.index(other[0])
    picked = any(spans[j].text == "which" and spans[j + 1].text == "of" for j in range(max(0, k - 3), k - 1))
    f.limit = int(numbers[0].arg("number")) if numbers else 1 if not other[0].text.endswith("s") or picked \
        else DEFAULT_TOP
    _use_all(state)
    return f


RELATED_WORDS = frozenset({"who", "which", "what", "are", "were", "is", "was", "list", "show", "me", "give", "name"})
WHERE_WORDS = LIVING | {"where", "do", "does", "did"}


def the_related(state: _State) -> str | None:
    """"who are the customers?": the question names only another kind of thing, with "the" (the ones of the
    previous rows); that entity, else None."""
    spans = state.spans
    named = [(k, s) for k, s in enumerate(spans) if s.first("entity") is not None]
    # ("where are those customers based?": "those" before the other kind of thing points back as "the" does)
    if len(named) != 1 or named[0][0] == 0 or spans[named[0][0] - 1].text not in ("the", "those", "these", "that", "this") \
            or state.ids or state.periods:
        return None
    # "where are the customers based?", "where do the customers live?": where the ones of those rows are
    where = WHERE_WORDS if spans[0].text == "where" else frozenset()
    grouped = related_grouping(state, str(named[0][1].arg("entity")))
    if not all(s.text in RELATED_WORDS or s.text in where or k == named[0][0] - 1 or k == named[0][0]
               or grouped is not None and (k == grouped or s.text in LIVING | {"in"})
               for k, s in enumerate(spans)):
        return None
    return str(named[0][1].arg("entity"))


def related_grouping(state: _State, entity: str) -> int | None:
    """"which cities are the customers in?": the span of the one dimension of the named things' own table, asked
    with "which/what" first; else None."""
    spans = state.spans
    dims = [k for k, s in enumerate(spans) if s.first("dimension") and not s.first("entity")]
    if len(dims) != 1 or spans[0].text not in ("which", "what") or dims[0] != 1:
        return None
    column = state.layer.dimensions[str(spans[dims[0]].arg("dimension"))]["column"]
    return dims[0] if column.split(".")[0] == state.layer.entities[entity]["table"] else None


def stands_for_rows(context: QueryForm) -> bool:
    """The previous answer lists things, or counts them with no grouping ("pending orders in 2026": 31): either
    stands for those things, which "who are the customers?" can point at."""
    counted = context.kind == "aggregate" and not context.dimensions and not context.grain and bool(
        context.measures) and all(m == "count" or m.startswith("count:") for m in context.measures)
    return context.kind == "list" or counted


def related_of_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"who are the customers?" after a list of pending orders: the customers of those orders, each once (the
    previous conditions kept, the subject the one named)."""
    entity = the_related(state)
    subject = context.subject or "orders"
    if entity is None or not stands_for_rows(context) or entity == subject:
        return None
    # "who's the customer?" after one order looked up by its number: that order's customer
    one_order = context.lookup is not None and context.lookup.get("entity") == "order"
    if context.kind == "list" and context.limit and not context.lookup and (subject, entity) in (
            ("orders", "customers"), ("shipments", "customers")) and not context.derived and not context.compare:
        # "who was the customer?" after the biggest order (the oldest parcel not delivered): the same ranked
        # row(s), the customer beside, as "who placed it?" shows it
        f = copy.deepcopy(context)
        f.show = [*f.show, *(["customers.name"] if "customers.name" not in f.show else [])]
        _use_all(state)
        return f
    where = state.spans[0].text == "where"
    if where and entity != "customers":
        # "where are the products?": a product has no place of its own but its stock per warehouse, which the
        # things of the previous answer do not give
        raise refuse(state, context, f"the {entity} of the previous answer have no location of their own (ask for "
                                     "a product's stock per warehouse by its name)")
    if context.limit or context.lookup and not one_order or context.derived or context.compare or (subject, entity) not in (
            ("orders", "customers"), ("orders", "products"), ("shipments", "customers")):
        raise refuse(state, context, f"I could not tell which {entity} of the previous answer are meant")
    f = copy.deepcopy(context)
    f.subject, f.show, f.order_by, f.direction = entity, [], None, "desc"
    if where:  # where they are: their city and country beside each
        f.show = ["customers.name", "customers.city", "customers.country"]
    f.kind, f.measures = "list", []
    grouped = related_grouping(state, entity)
    if grouped is not None:
        # "which cities are the customers in?" after pending orders: those orders' customers counted per city
        f.kind, f.measures, f.dimensions = "aggregate", ["count"], [str(state.spans[grouped].arg("dimension"))]
    _use_all(state)
    return f


# "what do they add up to?": "add" with "up to" (read as a comparator alone)
TOTAL_WORDS = frozenset({"total", "worth", "sum", "altogether", "combined", "add", "adds", "added"})


def total_of_previous(state: _State, context: QueryForm) -> QueryForm | None:
    """"what are they worth in total?" after listed orders: the sum of what each is worth (layer entity key
    ``worth``); "what did that come to in total?" after the lines of one order: that order's worth."""
    # ("add how many orders each of them placed": an opening "add" asks for a column beside, not a total)
    # ("with their total stock" after products listed: each one's own total, a column beside it, not one total over
    # them; was: the stock summed over every listed product, a silent wrong; "what is their total stock?" asks one)
    beside = any(s.text in ("with", "show", "list", "add") for s in state.spans)
    # ("with total stock" after products listed: opening on "with", the figure beside each row, each one's total)
    opens_beside = next((s.text for s in state.spans if s.senses), None) in BESIDE_OPENERS
    words = {s.text for k, s in enumerate(state.spans) if not (k == 0 and s.has("grammar", "adding"))
             and not (beside and s.text in TOTAL_WORDS and k > 0 and state.spans[k - 1].text in ("their", "its"))
             and not (opens_beside and s.text in TOTAL_WORDS)}
    if context.limit and context.limit > 1 and context.dimensions and words & TOTAL_WORDS and words & POINTERS \
            and state.form.measures and not state.periods and not state.ids:
        # "how many units of those did we sell in total?" after a top 5: a total over the ranked ones only
        # (was the total over all of them, the ranking dropped)
        raise refuse(state, context, "a total over the previous top ones cannot be said yet; ask for the "
                                     "figure of each of them, or the total without the ranking")
    new = state.form
    # "how many units of them did we sell this year in total?" after products listed with no period: the sales of
    # the period said, summed over those products (was: the list again, each with its units, a silent wrong)
    sold_in = len(state.periods) == 1 and context.period is None \
        and "activity:sales" in new.notes and context.subject == "products" and not context.dimensions
    if context.kind != "list" or context.limit or not words & TOTAL_WORDS or state.periods and not sold_in \
            or state.ids:
        return None
    # ("how many units ... do we have": the units read as the stock, the figure the new question names)
    figure = [s.text for s in state.spans if s.first("measure")] + ["how many"] if len(new.measures) == 1 else []
    if figure and "activity:sales" in new.notes:
        # "how many units of those did we sell in total?": the selling names the figure (units sold), no new rows
        figure += [s.text for s in state.spans if s.first("activity")] + ["we"]
    # "what's that worth at cost?" after products listed with their stock: the valuation named (layer valued_at)
    valuation = [s for s in state.spans if s.first("valued_at")] if words & {"worth", "value"} else []
    if not _explained(state, TOTAL_WORDS | {"what", "how", "much", "is", "are", "was", "were", "do", "does", "did",
                                            "come", "came", "to", "in", "that", "it", "all", "of", "the", "value",
                                            "up", "up to", *figure, *(s.text for s in valuation)}
                      | POINTERS | _nouns(context) | {s.text for s in state.spans if sold_in
                                                       and s.text.startswith("__period")}):
        return None  # "the total value of those orders": the pointer and the previous rows' own noun
    entities = state.layer.entities
    spec = state.layer.measures.get(new.measures[0] if len(new.measures) == 1 else "", {})
    if figure and spec and context.subject and not context.derived and not new.filters and not new.predicates \
            and str(spec.get("sql") or spec.get("line_sql") or "").upper().startswith("SUM(") and (
                spec.get("entity") in (None, context.subject)
                # a line figure of listed products: each line is of one product, so the sum over them is one total
                or bool(spec.get("line_sql")) and context.subject == "products"):
        # "how many units of those do we have in total?" after products listed: a summed figure of the things
        # named, over the same rows
        f = copy.deepcopy(context)
        f.kind, f.measures, f.show, f.order_by, f.notes = "aggregate", list(new.measures), [], None, []
        if sold_in:
            f.period = copy.deepcopy(state.periods[0])
        _use_all(state)
        return f
    valued = str(valuation[0].arg("valued_at")) if len(valuation) == 1 else ""
    # ("add their stock value at price": a column beside each, added to the list, not a total)
    if valued and words & {"worth", "value"} and not words & {"add", "adds", "added", "plus"} \
            and not context.derived and not new.filters and not new.predicates \
            and state.layer.measures.get(valued, {}).get("values") in (*context.show, *context.measures):
        # "what's that worth at cost?" after products listed each with its stock: the stock the rows show,
        # valued as named, over the same rows (was: refused, 'at cost' not placed)
        f = copy.deepcopy(context)
        f.kind, f.measures, f.show, f.order_by, f.notes = "aggregate", [valued], [], None, []
        _use_all(state)
        return f
    one = one_named(context)
    if one is not None and one[0] == "order" and one[1] >= 0 and context.subject != "orders":
        f = QueryForm(kind="aggregate", subject="orders", measures=[f"sum:orders.{entities['orders']['worth']}"],
                      filters=[Filter("orders.order_id", "=", [one[1]])], lookup=copy.deepcopy(context.lookup))
    elif context.subject and entities.get(context.subject, {}).get("worth"):
        spec = entities[context.subject]
        f = copy.deepcopy(context)
        f.kind, f.measures, f.show, f.order_by = "aggregate", [f"sum:{spec['table']}.{spec['worth']}"], [], None
    elif not words & {"worth", "value"} and len(shown := [m for m in context.show if m in state.layer.measures]) == 1 \
            and str(state.layer.measures[shown[0]].get("sql", "")).upper().startswith("SUM(") and not context.derived:
        # "how much is that in total?" after products listed each with its stock: the one summed figure shown
        # beside the rows, summed over them (a sum of sums; never an average or a distinct count)
        f = copy.deepcopy(context)
        f.kind, f.measures, f.show, f.order_by = "aggregate", shown, [], None
    else:
        raise refuse(state, context, "I could not tell what the previous rows are worth")
    _use_all(state)
    return f


def _nouns(context: QueryForm) -> set[str]:
    """The noun of the previous rows ("orders", "order"), said beside a pointer ("those orders")."""
    return {context.subject, context.subject.removesuffix("s")} if context.subject else set()


PICKING_AMONG = frozenset({"of them", "of those", "of these", "which ones"})


def picks_among_previous(spans: list[Span]) -> bool:
    """"which of them ...", "which ones ...": the question picks some of the previous answer's rows."""
    return any(f"{a.text} {b.text}" in PICKING_AMONG for a, b in zip(spans, spans[1:], strict=False))


def within_top(state: _State, context: QueryForm, new: QueryForm) -> bool:
    """"which of them are business customers?" after a top 10: a condition within those ten (the form keeps
    the ranking as it was answered, ``within``; ranking again among the business ones would name others).
    A ranking of another shape is refused."""
    # ("just the Lighting ones" restates the ranking with the condition; "which ones" asks within it)
    within = picks_among_previous(state.spans)
    if not (within and context.limit and (new.filters or new.predicates) and not new.order_by):
        return False
    if context.kind != "aggregate" or len(context.dimensions) != 1 or context.grain or context.per_group \
            or context.compare or context.derived or context.order_by not in context.measures or new.limit:
        raise refuse(state, context, "a condition within the previous top ones cannot be said here (it would "
                                     "rank again among the ones meeting it); ask for the ranking with the condition")
    return True


def condition_within_ranked_rows(state: _State, context: QueryForm, new: QueryForm) -> QueryForm | None:
    """"which of them came through the web?" after the 5 biggest orders, "which of those customers are business
    customers?" after who placed them: a condition within the rows of a ranked list as they were answered
    (``within``: their keys), never a new top 5 of the ones meeting it. With another kind of thing named beside the
    pointer ("those customers"), the things of that kind the rows belong to, each once; else the rows themselves."""
    pointed = picks_among_previous(state.spans)
    if not (pointed and context.kind == "list" and context.subject and context.limit and new.filters) \
            or context.lookup or context.within or context.per_group or context.derived or new.predicates \
            or new.measures or new.order_by or new.limit or new.dimensions or new.grain or state.periods or state.ids:
        return None
    entities = state.layer.entities
    spec = entities.get(context.subject, {})
    if not spec.get("key"):
        return None
    named = {s.arg("entity") for s in state.spans if s.first("entity") is not None} - {None, context.subject}
    if len(named) > 1:
        return None
    subject = str(named.pop()) if named else context.subject
    if not entities.get(subject, {}).get("key"):
        return None
    if subject == context.subject:
        f = copy.deepcopy(context)
        f.filters = [*f.filters, *copy.deepcopy(new.filters)]
        f.limit, f.offset, f.order_by = None, 0, None
    else:
        f = QueryForm(kind="list", subject=subject, filters=copy.deepcopy(new.filters))
    f.filters.append(Filter(f"{spec['table']}.{spec['key']}", "=", [PREVIOUS_ROWS]))
    f.within = replace(context, within=None).to_dict()
    try:
        state.p.planner.plan(f)
    except NotUnderstood:
        return None
    for s in state.spans:
        if s.first("entity") is not None or s.text in ("which", "ones", "of", "them", "those", "these"):
            s.used = True
    return f


INCLUDING = frozenset({"including", "include", "incl", "plus"})


def complementary(layer, a: str, b: str) -> bool:
    """"active" and "inactive" (the layer's complement), "open" and "not_open": together every row."""
    return a == "not_" + b or b == "not_" + a or a in layer.predicates and layer.predicates[a].get("complement") == b \
        or b in layer.predicates and layer.predicates[b].get("complement") == a


def same_columns(layer, a: str, b: str) -> bool:
    """Two predicates (``not_`` negations too) whose SQL reads the same columns: "active" and
    "inactive", "low on stock" and "out of stock", "late" and "not delivered" say the same thing
    differently, so a follow-up naming one replaces the other rather than adding a contradiction."""
    return bool(predicate_columns(layer, a) & predicate_columns(layer, b))


def predicate_columns(layer, name: str) -> set[str]:
    """The columns (table.column) a predicate's SQL reads (none for one the layer does not hold)."""
    try:
        return set(re.findall(r"\b[a-z_]+\.[a-z_]+\b", predicate_spec(layer, name)["sql"]))
    except KeyError:
        return set()


def share_whole(state: _State, new: QueryForm) -> bool:
    """"as a share of delivered shipments": conditions named right after a share word and "of" are the whole
    the share is taken of, not its condition."""
    spans = state.spans
    return bool(new.predicates or new.filters) and any(
        s.has("grammar", "share") and spans[i + 1].text == "of" and not spans[i + 2:i + 3] == [] and
        spans[i + 2].text not in ("all", "total", "the", "them", "those", "it") for i, s in enumerate(spans[:-2]))


def the_superlative(spans: list[Span]) -> bool:
    """"and the slowest?": "the" right before a superlative names one thing."""
    return any(a.text == "the" and any(b.first(k) is not None for k in ("superlative", "superlative_attribute", "ranking"))
               for a, b in zip(spans, spans[1:], strict=False))


def superlative_ones(spans: list[Span]) -> bool:
    """"and the least selling ones?", "the cheapest ones then" after a top 5: "ones" right after the superlative
    names as many as before, not one (was: the one lowest)."""
    def ranks(a: Span) -> bool:
        return any(a.first(k) is not None for k in ("superlative", "superlative_attribute", "ranking"))
    # ("the least selling ones": one verb of the figure between; not "the most late ones", a condition)
    return any(b.text == "ones" and (ranks(spans[k - 1]) or k > 1 and ranks(spans[k - 2]) and (
        spans[k - 1].first("activity") is not None or spans[k - 1].first("mover") is not None))
               for k, b in enumerate(spans) if k > 0)


ASCENDING = frozenset({"ascending", "asc", "lowest", "smallest"})
DESCENDING = frozenset({"descending", "desc", "highest", "largest", "biggest", "greatest"})
REVERSE = frozenset({"reverse", "reversed", "flip", "invert", "inverted", "opposite"})
SORT_WORDS = frozenset({"sort", "sorted", "rank", "ranked", "it", "them", "those", "that", "the",
                        "in", "please", "instead", "and", "now", "first", "on", "top", "way", "other", "list", "show",
                        "me", "again", "with", "by"})


def resort(state: _State, context: QueryForm) -> QueryForm | None:
    """"sort it ascending", "lowest first", "in reverse order": the previous figures, the other way round.
    After a top N the other way round is other rows (the bottom N), so it is refused there."""
    words = {s.text for s in state.spans}
    way = "asc" if words & ASCENDING else "desc" if words & DESCENDING else None
    if words & REVERSE:
        way = "asc" if context.direction == "desc" else "desc"
    # ("order"/"ordered" are not among them: "who ordered the most?" places orders, it sorts nothing)
    if way is None or not words & {"sort", "sorted", "rank", "ranked", "first", "reverse", "reversed", "flip",
                                   "invert", "inverted", "opposite"}:
        return None
    if not _explained(state, SORT_WORDS | ASCENDING | DESCENDING | REVERSE):
        return None
    f = copy.deepcopy(context)
    if not f.order_by and f.kind == "aggregate" and len(f.measures) == 1 and (f.dimensions or f.grain):
        f.order_by = f.measures[0]
    if not f.order_by:
        raise refuse(state, context, "the previous answer has no figure to sort by")
    if context.limit:
        raise refuse(state, context, "the previous answer is cut to its top rows; sorted the other way it would "
                                     "be other rows (ask for the bottom ones)")
    f.direction = way
    _use_all(state)
    return f


# words only the follow-up passes read: known to the lexicon, so the typo mender keeps them ("sort" is
# no misspelt "short") and mends towards them ("previus", "peroid")
FOLLOWUP_WORDS = frozenset({*GROUPING_VERBS, *CARRYING_VERBS, *ASCENDING, *DESCENDING, *REVERSE, "sort", "sorted",
                            "rank", "ranked", "punctual", "punctually", "elsewhere", "everywhere", "period", "periods",
                            "preceding", "prior", "previous", "please"})


def that_one_ranked(state: _State, context: QueryForm) -> QueryForm | None:
    """"what are that brand's 3 best products?" after the one brand ranked first: "that <group>" names the
    previous answer's one group, so the new ranking is of the things within it (``within``), never a ranking
    of the groups again."""
    new = state.form
    if context.kind != "aggregate" or context.limit != 1 or context.offset or len(context.dimensions) != 1 \
            or context.grain or context.per_group or context.compare or context.order_by is None:
        return None
    dim = context.dimensions[0]
    named = [k for k, s in enumerate(state.spans[1:], start=1) if s.has("dimension", dim)
             and state.spans[k - 1].text in ("that", "this") and not s.text.endswith("s")]
    sub_dim = state._thing_dimension(new.subject)
    bare = [s for s in state.spans if s.first("superlative") is not None]
    if named and not new.measures and len(bare) == 1 and context.order_by in state.layer.measures:
        # "what are that brand's 3 best products?": a bare "best" ranks on the figure the previous ranking was on,
        # as "what's its best product?" does (was: the brands ranked again)
        new.measures, new.order_by = [context.order_by], context.order_by
        new.direction = "asc" if bare[0].first("superlative") == ("superlative", "asc") else "desc"
        bare[0].used = True
    # "the margin of each of its products" after the one brand ranked first: "its" before another kind of thing
    # names that one group too, the things grouped within it (was: the brand ranking regrouped by product)
    its = [k for k, s in enumerate(state.spans[:-1]) if s.text == "its" and state.spans[k + 1].first("dimension")
           and state.spans[k + 1].arg("dimension") not in (dim, None)]
    if not named and len(its) == 1 and new.measures and new.filter_on(dim) is None \
            and new.dimensions == [state.spans[its[0] + 1].arg("dimension")]:
        state.spans[its[0]].used = state.spans[its[0] + 1].used = True
        new.within = context.to_dict()
        return new
    if named and len(new.dimensions) == 2 and dim in new.dimensions and new.measures and not new.grain \
            and new.filter_on(dim) is None:
        # "top three brands within that category" after the one category ranked first: the other groups ranked
        # within that one (was: brand and category pairs ranked, the category's name read as a grouping: a silent
        # wrong)
        sub_dim = next(d for d in new.dimensions if d != dim)
        new.dimensions = [dim]
        for s in state.spans:
            if s.text in ("same period", "same time", "same dates") and not state.periods:
                s.used = True  # ("..., same period": the ranking's own period, kept below)
    if not named or new.dimensions != [dim] or not new.measures or sub_dim is None or sub_dim == dim \
            or new.filter_on(dim) is not None:
        return None
    for k in named:
        state.spans[k].used = state.spans[k - 1].used = True
    new.dimensions, new.within = [sub_dim], context.to_dict()
    if new.order_by and new.limit is None:
        # "which customer in that city spent the most?": one thing asked is the top one, as asked alone (was: every
        # one of them ranked)
        # ("which customers in that city": the things named, not "that city", say how many)
        said = [s.text for s in state.spans if s.has("entity", new.subject) or s.has("dimension", sub_dim)]
        new.limit = DEFAULT_TOP if any(w.endswith("s") for w in said) or not said else 1
    if new.period is None and not state.periods and context.period is not None:
        # "which product in that brand sold best?" after the brand ranked first last quarter: the same period, as
        # "what's its best product?" keeps it (was: all time)
        new.period, new.period_field = context.period, new.period_field or context.period_field
    return new


def figure_of_the_one_answered(state: _State, context: QueryForm) -> QueryForm | None:
    """"how many units of that did we sell this year" after the one product ranked first (or the one product
    most often bought with another): "of that"/"of it" names the previous answer's one thing, so the new
    figure is of that thing (``within``), its own period kept (was: the figure over every thing, the pointer
    dropped)."""
    new = state.form
    texts = [s.text for s in state.spans]
    pointed = [k for k in range(len(texts) - 1) if texts[k] in ("of", "for") and texts[k + 1] in ("that", "it")
               and texts[k + 2:k + 3] != ["one"] or texts[k:k + 3] in (["of", "that", "one"], ["for", "that", "one"])]
    # "what's its average delivery time?" after the one carrier ranked first: "its" before the figure names that
    # one too; no period said, the ranking's own period holds (the figure of that carrier then)
    its = [k for k in range(len(texts) - 1) if texts[k] == "its" and (
        state.spans[k + 1].first("measure") or state.spans[k + 1].has("grammar", "average")
        and k + 2 < len(texts) and state.spans[k + 2].first("measure"))]
    # "what share of its shipments were late?" after the one carrier ranked first: "its" before the share's own
    # things names that one too, in the ranking's period when none is said (was: every carrier ranked by the share, another carrier's, a silent wrong)
    its_share = [k for k in range(len(texts) - 1) if texts[k] == "its" and state.spans[k + 1].first("entity")
                 and (new.derived or {}).get("kind") == "share"]
    dated = {e["table"] for e in state.layer.entities.values() if e.get("period")}
    if its_share and not pointed and not state.periods and context.period and new.period is None \
            and context.kind == "aggregate" and len(context.dimensions) == 1 and any(
                str(state.layer.entities[str(state.spans[k + 1].arg("entity"))]["table"]) in dated for k in its_share):
        new.period, new.period_field = copy.deepcopy(context.period), context.period_field
    if its and not pointed and not state.periods and context.period and new.period is None \
            and context.kind == "aggregate" and len(context.dimensions) == 1 \
            and any(state.layer.measure_tables(m, ("sql", "line_sql")) & dated for m in new.measures):
        # (a figure of the catalog, "its margin", has no date: no period is kept for it)
        new.period, new.period_field = copy.deepcopy(context.period), context.period_field
    pointed = pointed or its or its_share
    if not pointed or context.limit != 1 or context.offset or not (new.measures or its_share) or new.grain \
            or new.derived and not its_share or new.compare or new.filters or new.within or new.per_group:
        return None
    if context.kind == "bought_together" and not context.dimensions:
        dim = "product"
    elif ranked(context, context.dimensions[0] if len(context.dimensions) == 1 else ""):
        dim = context.dimensions[0]
    else:
        return None
    if dim in new.dimensions:
        return None
    for k in pointed:
        for s in state.spans[k:k + 3]:
            if s.text in ("of", "for", "that", "it", "one", "its"):
                s.used = True
    # "and its stock there?" after the warehouse with the largest shortfall of one named product: the thing the
    # previous question named (a value of the figure's own things) stays named, the figure is of it in the one
    # ranked (was: the warehouse's whole stock, the product dropped, a silent wrong)
    dims, measures = state.layer.dimensions, state.layer.measures
    owners = {measures.get(m.split(":")[-1], {}).get("entity") for m in new.measures} - {None}
    new.filters = [copy.deepcopy(x) for x in context.filters if x.field != dim and x.op in ("=", "in")
                   and dims.get(x.field, {}).get("entity") in owners]
    # "how much stock is there of it per warehouse": that one thing's figure, split by the groups named
    new.kind, new.dimensions, new.within = "aggregate", [dim, *new.dimensions], context.to_dict()
    new.order_by, new.limit = None, None
    return new


def every_group_of_the_ranked(state: _State, context: QueryForm) -> QueryForm | None:
    """"show me that share for every carrier", "and for each carrier?" after the one (or top N) carrier ranked: the
    same figure for every group of that dimension, the top N dropped (was: refused, the change not told)."""
    if not (context.kind == "aggregate" and len(context.dimensions) == 1 and context.limit and not context.grain
            and not context.compare and not context.per_group and not context.within):
        return None
    dim = context.dimensions[0]
    texts = [s.text for s in state.spans]
    named = [k for k, s in enumerate(state.spans) if s.has("dimension", dim) and k > 0
             and texts[k - 1].split()[-1] in ("every", "each", "all", "the") and set(texts[k - 1].split()) & {
                 "every", "each", "all"}]
    if len(named) != 1 or len(state.periods) > 1 or state.ids:
        return None
    k = named[0]
    figure_words = {"show", "me", "that", "this", "the", "same", "share", "rate", "figure", "number", "for", "and",
                    "every", "each", "all", "all the", "all of the", "please", "give", "what", "about", "is", "it",
                    "then", "too", "also", "percentage", "percent", "now", "in"}
    specs = [state.layer.measures.get(m, {}) for m in context.measures]
    # ("show me the average in days for every carrier for 2025" after the fastest carrier this year: the figure
    # named by its own aggregate and unit, in the period said, for every carrier)
    averaged = bool(specs) and all(str(x.get("sql", "")).upper().startswith("AVG(") for x in specs)
    units = {str(x.get("unit")) for x in specs if x.get("unit")}
    if not all(set(s.text.split()) <= figure_words or j == k or s.text.startswith("__period")
               or averaged and s.has("grammar", "average")
               or any(x[0] == "unit" and x[1] in units for x in s.senses[:1]) for j, s in enumerate(state.spans)):
        return None
    if {"share", "rate", "percentage", "percent"} & set(texts) and (context.derived or {}).get("kind") != "share":
        return None  # "that share" names a share the previous figure is not
    _use_all(state)
    f = copy.deepcopy(context)
    f.limit, f.offset = None, 0
    if state.periods:
        f.period = copy.deepcopy(state.periods[0])
    return f


COMPARE_WORDS = frozenset({"compare", "compared", "comparing", "with", "to", "against", "vs", "versus", "the", "it",
                           "that", "this", "and", "other", "others", "rest", "please", "now", "show", "me", "how",
                           "about", "what", "of", "does", "do", "is", "are", "looks", "look"})


def the_other_groups(state: _State, context: QueryForm) -> QueryForm | None:
    """"compare with the other carriers" after the top carrier's figure (``within`` the previous top one, or its top
    1): the same figure for every group of that dimension, side by side, the top one among them (was: refused)."""
    if context.kind != "aggregate" or len(context.dimensions) != 1 or context.grain or context.compare \
            or context.per_group or not (context.within or context.limit == 1) or state.periods or state.ids:
        return None
    dim, texts = context.dimensions[0], [s.text for s in state.spans]
    named = [k for k, s in enumerate(state.spans) if k > 0 and s.has("dimension", dim) and texts[k - 1] == "other"
             and s.text.endswith("s") and not state.values_of(s)]
    words = {w for t in texts for w in t.split()}
    if len(named) != 1 or not {"compare", "compared", "comparing", "vs", "versus", "against"} & words:
        return None
    if not all(set(t.split()) <= COMPARE_WORDS or k == named[0] for k, t in enumerate(texts)):
        return None
    _use_all(state)
    f = copy.deepcopy(context)
    f.within, f.limit, f.offset = None, None, 0
    if context.limit == 1 and not context.within:
        f.order_by = None
    return f


# the one right before / after the one ranked by a date, said of it ("and the previous one?", "the one after that")
BEFORE_ONE = frozenset({"previous", "prior", "preceding", "before", "earlier"})
AFTER_ONE = frozenset({"next", "after", "following", "later"})


def the_one_beside(state: _State, context: QueryForm) -> QueryForm | None:
    """"and the previous one?", "the one before that?" after her latest order: the one ranked right after it
    by the same date, going back in time (was: refused); after the first one, "the next one" goes forward. Only
    after one row ranked by a date column, and only when nothing else is said."""
    if context.kind != "list" or context.limit != 1 or not context.order_by or "." not in context.order_by \
            or state.periods or state.ids:
        return None
    try:
        dated = str(state.layer.column(context.order_by).get("type", "")) in ("DATE", "TIMESTAMP")
    except KeyError:
        return None
    words = {s.text for s in state.spans}
    toward = BEFORE_ONE if context.direction == "desc" else AFTER_ONE
    if not dated or not words & toward or not words & {"one", "order", "orders", "shipment", "shipments"} \
            or not _explained(state, toward | {"one", "the", "that", "this", "and", "what", "about", "how", "then",
                                               "order", "shipment"}):
        return None
    if any(s.first("entity") and s.arg("entity") != context.subject for s in state.spans):
        return None
    f = copy.deepcopy(context)
    f.offset = context.offset + 1
    _use_all(state)
    return f


def other_orders_of_the_customer(state: _State, context: QueryForm) -> QueryForm | None:
    """"what about their other orders?", "does that customer have any other open orders?", "what else have they
    ordered this year?" after the customer of one order: that customer's orders but the one answered about, under
    the condition and period the question names (was: refused, 'other' / 'else' not placed)."""
    one = one_named(context)
    if one is None or one[0] != "order" or one[1] < 0 or context.subject != "customers" or len(state.periods) > 1 \
            or state.ids:
        return None
    words = {s.text for s in state.spans}
    if not words & {"other", "else"} or not (words & PLACING or any(s.has("entity", "orders") for s in state.spans)):
        return None
    new = state.form
    shown = [s for s in state.spans if (a := s.first("attribute")) is not None and str(a[1]).startswith("orders.")]
    said = {s.text for s in state.spans if s.first("predicate") is not None or s.text.startswith("__period")}
    if not _explained(state, {"other", "else", "any", "all", "what", "about", "show", "with", "list", "which", "me",
                              "the", "that", "this", "customer", "orders", "order", "did", "do", "does", "have", "has",
                              "had", "and", "how", "of"} | PLACING | said | {s.text for s in shown}):
        return None
    if any(x.field != "status" for x in new.filters) or new.measures or new.dimensions:
        return None
    customer = copy.deepcopy(context)
    customer.show, customer.order_by, customer.limit = [], None, None
    f = QueryForm(kind="list", subject="orders", predicates=list(new.predicates),
                  filters=[Filter("orders.customer_id", "=", [PREVIOUS_ROWS]), Filter("orders.order_id", "not in", [one[1]]),
                           *copy.deepcopy(new.filters)],
                  period=state.periods[0] if state.periods else None,
                  show=[str(s.arg("attribute")) for s in shown], within=customer.to_dict())
    _use_all(state)
    return f


def _ranked_population(form: QueryForm) -> bool:
    """A top (or bottom) N of one dimension ranked by a figure: rows that can be a population of their own."""
    return (form.kind == "aggregate" and len(form.dimensions) == 1 and bool(form.limit) and not form.offset
            and form.order_by in form.measures and not form.grain and not form.compare and not form.derived
            and not form.per_group and not form.within)


def _undated(layer, measure: str) -> bool:
    """A figure of what is held now (layer current_figures), or of tables with no date: no period applies to it."""
    if measure in layer.grammar.get("current_figures", {}).get("measures", []):
        return True
    dated = {e["table"]: e.get("period") for e in layer.entities.values()}
    tables = layer.measure_tables(measure)  # (a figure of order lines: of dated orders)
    return bool(tables) and all(t in dated and not dated[t] for t in tables)


def figure_of_the_ranked_ones(state: _State, context: QueryForm, f: QueryForm) -> QueryForm:
    """"how many units of each do we have in stock?" after the top 5 products by margin, "which of those have less
    than 400 in stock?" after the top 8 by revenue: the merged form keeps the ranking and puts the new figure (or
    the condition on it) beside it, but a figure of another table cannot stand in the ranking's query (it would
    count the ranked rows more than once). The ranked ones are then a population: the ranking as it was answered
    (``within``) gives the N keys, and the new figure is computed for each of them, under the new question's own
    conditions and period only (a figure held now has none; a dated one keeps the ranking's period when none is
    named). Anything else stays as merged, and a form that still cannot be planned is refused as before."""
    ranking = QueryForm.from_dict(f.within) if f.within and f.within.get("kind") == "aggregate" else context
    if ranking is None or not _ranked_population(ranking) or f.dimensions[:1] != ranking.dimensions \
            or f.kind != "aggregate" or f.grain or f.compare or f.derived or f.per_group:
        return f
    try:
        state.p.planner.plan(f)
        # "how many shipments of each of them were late?" after the top 5 customers by revenue: a condition of the
        # new figure would also narrow the ranking's figure kept beside it (revenue of their late-shipped orders
        # shown as their revenue: a silent wrong), so the ranked ones are a population here too
        # (a condition the previous answer already kept the ranked ones by, "which of them are in Finland?", says
        # which of them, not what is counted of each)
        kept = context.filters if context.within else []
        narrowed = any(x not in ranking.filters and x not in kept for x in f.filters) or any(
            p not in ranking.predicates for p in f.predicates)
        if not (narrowed and set(ranking.measures) & set(f.measures) and set(f.measures) - set(ranking.measures)):
            return f
        refusal = refuse(state, ranking, "a condition of the new figure would change the ranked figure shown beside "
                                         "it; ask the new figure on its own")
    except NotUnderstood as fans:
        if "more than once" not in fans.message:
            return f
        refusal = fans
    old_filters = [x for x in ranking.filters]
    conditions = [copy.deepcopy(x) for x in f.filters if x not in old_filters]
    figures = [m for m in f.measures if m not in ranking.measures]
    figures += [x.field for x in conditions if x.field in state.layer.measures and x.field not in figures]
    if not figures or any(m.startswith("count") for m in figures):
        raise refusal
    g = population_of_the_ranked(state, ranking, figures, conditions, [p for p in f.predicates if p not in ranking.predicates],
                                 f.period, f.period_field, list(ranking.dimensions))
    g.unit = f.unit
    try:
        state.p.planner.plan(g)
    except NotUnderstood:
        raise refusal from None
    return g


def total_of_the_ranked(state: _State, context: QueryForm) -> QueryForm | None:
    """"how much did those five spend in total in 2025?", "what's their combined stock?" after a top 5: one total
    of the figure named over the ranked ones, the ranking as it was answered (``within``) the population (was:
    refused). The figure keeps the ranking's period when none is named and it is a dated one."""
    new = state.form
    words = {s.text for s in state.spans}
    measures = list(new.measures)
    if measures == ["count"] and "count:sold" in new.notes and "units_sold" in state.layer.measures:
        measures = ["units_sold"]  # "how many units of those did we sell in total?": units sold, as asked alone
    if not _ranked_population(context) or context.limit == 1 or not words & TOTAL_WORDS or not (points_back(state.spans) or words & POINTERS) \
            or not measures or new.dimensions or new.order_by or new.limit or new.grain or new.compare \
            or new.derived or state.ids or len(state.periods) > 1 or any(m.startswith("count") for m in measures):
        return None
    layer = state.layer
    if not all(str(layer.measures.get(m, {}).get("sql") or layer.measures.get(m, {}).get("line_sql") or "").upper()
               .startswith("SUM(") for m in measures):
        return None  # a total of averages or of a distinct count is not one figure summed over them
    spans = state.spans
    for k, s in enumerate(spans):
        if s.text in TOTAL_WORDS | POINTERS or s.text in ("in total", "all"):
            s.used = True
        elif "activity:sales" in new.notes and (s.first("activity") is not None or s.text == "we"):
            s.used = True  # "how many units of those did we sell": the selling names the figure (units sold)
        elif s.first("number") is not None and k > 0 and spans[k - 1].text in ("those", "these", "the") \
                and float(s.arg("number")) == context.limit:
            s.used = True  # "those five": the ranked ones, as many as there were
    g = population_of_the_ranked(state, context, measures, copy.deepcopy(new.filters), list(new.predicates),
                                 new.period, new.period_field, [])
    g.subject, g.unit = new.subject, new.unit
    return g


def each_of_one_figure(state: _State, context: QueryForm) -> QueryForm | None:
    """"how much did each of them spend?" after total revenue: the previous answer is one summed figure, with no
    rows of its own to take each of (a count has its counted things; a total has none named): refused, never the
    figure again with "each" dropped."""
    words = [s.text for s in state.spans]
    each = each_alone(state) or any(words[k:k + 3] in (["each", "of", "them"], ["each", "of", "those"],
                                                       ["each", "of", "these"]) for k in range(len(words)))
    if not each or context.kind != "aggregate" or context.dimensions or context.grain or context.compare \
            or context.lookup or context.within or not context.measures:
        return None
    spec = state.layer.measures
    if any(m == "count" or m.startswith("count") or "COUNT(" in str(spec.get(m, {}).get("sql", "")).upper()
           for m in context.measures):
        return None
    raise refuse(state, context, "the previous answer is one figure, with no rows to take each of")


def population_of_the_ranked(state: _State, ranking: QueryForm, figures: list[str], conditions: list[Filter],
                             predicates: list[str], period: Period | None, period_field: str | None,
                             dimensions: list[str]) -> QueryForm:
    """The figures asked of the ranked ones of the previous answer, the ranking as it was answered (``within``) the
    population: under the new question's own conditions only, in the period it names; with none named, a figure
    held now has none and a dated one keeps the ranking's period ("their deliveries" of the carrier that shipped
    the most in 2025: its deliveries of 2025). Per ranked one with ``dimensions``, else one total."""
    g = QueryForm(kind="aggregate", measures=list(figures), dimensions=dimensions, filters=conditions,
                  predicates=predicates, within=replace(ranking, within=None).to_dict(),
                  notes=["population:previous_top"])
    if state.periods:
        g.period, g.period_field = period, period_field
    elif not all(_undated(state.layer, m) for m in figures):
        g.period, g.period_field = ranking.period, ranking.period_field
    return g


def figure_of_each_listed(state: _State, context: QueryForm) -> QueryForm | None:
    """"how much did each of them spend last year?" after customers listed: the listed ones as they were answered
    (their keys, ``within``) are the population, each shown with the figure named beside it, one with none as 0.
    The period is the one named; with none named the list must have had none (its own period says which ones were
    listed, not when the figure is counted), else the question is left to the merge."""
    new = state.form
    words = [s.text for s in state.spans]
    each = [k for k in range(len(words)) if words[k:k + 3] in (["each", "of", "them"], ["each", "of", "those"],
                                                                 ["each", "of", "these"])]
    if context.kind != "list" or not context.subject or context.limit or context.lookup or context.within \
            or not (each or each_alone(state) or _they_did(state)) or not new.measures or new.dimensions or new.order_by or new.limit \
            or new.grain or new.compare or new.derived or new.filters or new.predicates or state.ids \
            or len(state.periods) > 1 or (context.period is not None and not state.periods) \
            or any(m.startswith("count") for m in new.measures):
        return None
    entity = state.layer.entities.get(context.subject, {})
    if not entity.get("key") or not entity.get("zero_when_none"):
        return None
    _bare_units_of_each(state, context)
    g = QueryForm(kind="list", subject=context.subject, show=list(new.measures), unit=new.unit,
                  filters=[Filter(f"{entity['table']}.{entity['key']}", "=", [PREVIOUS_ROWS])],
                  period=new.period if state.periods else None,
                  period_field=new.period_field if state.periods else None,
                  within=copy.deepcopy(context).to_dict(), notes=["zero_included"])
    try:
        state.p.planner.plan(g)
    except NotUnderstood:
        return None
    if state.p.planner.zero_entity(replace(g, within=None)) is None:
        return None
    for k in each:
        state.spans[k].used = True
    for s in state.spans:
        if s.text in ("each", "for each") and not s.used:
            s.used = True
    return g


def _bare_units_of_each(state: _State, context: QueryForm) -> None:
    """"how many units of each?" after things listed with no figure of stock nor of selling: units held or units
    sold is not said, so both are named and neither guessed (was: units sold)."""
    if state.form.measures != ["units_sold"] or state.periods or any(s.first("activity") for s in state.spans):
        return
    if not any(s.text == "units" and s.has("measure", "units_sold") for s in state.spans):
        return
    if context.measures or context.show or any(n.startswith("activity:") for n in context.notes):
        return  # the list's own figures (stock shown, sales counted) say which units
    raise NotUnderstood("'units' of each could be the units in stock or the units sold",
                        hint="say 'how much stock of each' or 'how many units of each were sold'")


def _they_did(state: _State) -> bool:
    """"how much did those spend this year?", "what did they buy for in 2025?": a plural pointer the doer of the
    figure (right after "did"/"do"), no total asked: the figure of each listed one, as "each of them" says."""
    words = [s.text for s in state.spans]
    return not set(words) & TOTAL_WORDS and any(
        w in ("those", "they", "these") and k > 0 and words[k - 1] in ("did", "do", "have", "has")
        for k, w in enumerate(words))
