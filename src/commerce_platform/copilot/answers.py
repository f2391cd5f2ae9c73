"""Prose answers from the result's shape and what the question meant (offline, deterministic).

The prose says what was measured, over which period and grouping, then the figures a reader
looks for first: the single value; the leaders of a ranking; the highest and lowest point of a
time series; a total where adding up makes sense. The SQL and the table carry the rest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from .planner import PREVIOUS_ROWS, Planner
from .query import Filter, QueryForm, output_name
from .semantic import SemanticLayer, negated_predicate, predicate_spec

MONEY_COLUMNS = ("revenue", "total_amount", "average_order_value", "unit_price", "unit_cost", "line_amount")
# Columns whose values add up to a meaningful total (an average or a margin does not).
ADDITIVE = {"revenue", "count", "count_orders", "count_customers", "count_products", "count_shipments", "orders", "units_sold", "customers", "products", "shipments", "stock", "line_amount",
            "total_amount"}
MEASURE_LABELS = {"total_amount": "amount", "delivery_time": "delivery time", "units_sold": "units sold"}
GRAIN_COLUMNS = {"day", "week", "month", "quarter", "year"}
PLURALS = {"product": "products", "customer": "customers", "category": "categories", "brand": "brands",
           "city": "cities", "country": "countries", "channel": "channels", "carrier": "carriers",
           "warehouse": "warehouses", "segment": "segments", "status": "statuses", "name": "items",
           "day": "days", "week": "weeks", "month": "months", "quarter": "quarters", "year": "years"}
SINGULARS = {plural: column for column, plural in PLURALS.items() if column != "name"}
# What the rows are when the result has no grouping column to name them.
INTENT_NOUNS = {"bought_together": "products", "recommend_customer": "products"}
SHOWN = 3  # leaders named in a ranking


def _fmt(value: Any, column: str = "") -> str:
    if isinstance(value, float):
        if "margin" in column and column.endswith("_pct"):
            return f"{value:.1f}%"  # a margin asked in percent is already 0-100
        if "margin" in column:
            return f"{value:.1%}"
        if column in MONEY_COLUMNS or column.endswith("revenue"):
            return f"{value:,.2f} EUR"
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "none" if value is None else str(value)


def _days_of_stock(form: QueryForm, f: Filter) -> tuple[str, str] | None:
    """(the days of stock said, the days of the pace's period) of a stock bound read as days of the daily pace
    (reading/figure_than: the form's ``days_of_stock:<days>:<period days>`` note), when ``f``'s factor is theirs."""
    for note in form.notes:
        if note.startswith("days_of_stock:") and len(note.split(":")) == 3:
            days, period_days = note.split(":")[1:]
            if float(period_days) > 0 and f.values and abs(float(days) / float(period_days) - float(f.values[0])) < 1e-9:
                return days, period_days
    return None


def _label(column: str) -> str:
    return MEASURE_LABELS.get(column) or column.replace("_", " ")


def _when(value: Any, grain: str) -> str:
    """A time-series label in words: 2025-03-01 by month is "March 2025"."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    if grain == "month":
        return day.strftime("%B %Y")
    if grain == "quarter":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if grain == "year":
        return str(day.year)
    if grain == "week":
        return f"the week of {day.isoformat()}"
    return day.isoformat()


def _period_phrase(frame: QueryForm) -> str:
    """" last month (October 2026)", " in 2025": the period as it reads after a noun."""
    if not frame.period:
        return ""
    label = frame.period.label
    relative = label.split(" ", 1)[0].lower() in ("last", "this", "past", "previous", "yesterday", "today",
                                                 "since", "between", "from", "the")
    return f" {label}" if relative else f" in {label}"


def _noun(label_col: str, frame: QueryForm) -> str:
    """What the rows are: the grouping column's plural, else what the question listed."""
    if label_col in PLURALS and label_col != "name":
        return PLURALS[label_col]
    subject = frame.subject
    if frame.kind in INTENT_NOUNS:
        return INTENT_NOUNS[frame.kind]
    if subject in ("customers", "products", "orders", "shipments"):
        return subject
    return PLURALS.get(label_col, "rows")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def compose(question: str, columns: list[str], rows: list[list[Any]], interpretation: str = "",
            truncated: bool = False, frame: QueryForm | None = None, note: str = "") -> str:
    """``frame`` (the query form, when the planner made the SQL) names the measure, period and
    ranking; the answer ends with what was computed (``interpretation``: filters, period,
    grouping and the glossary definitions used); ``note`` is appended (e.g. the lake's dates)."""
    text = _compose(columns, rows, interpretation, truncated, frame or QueryForm(kind="sql"))
    if interpretation:
        text = f"{text} Computed: {interpretation}."
    return f"{text} {note}".strip() if note else text


def _compose(columns: list[str], rows: list[list[Any]], interpretation: str, truncated: bool,
             frame: QueryForm) -> str:
    period = _period_phrase(frame)
    if not rows:
        return f"Nothing matched{period}."
    if len(rows) == 1 and len(columns) == 1:
        return _sentence(f"{_label(columns[0])}{period}: {_fmt(rows[0][0], columns[0])}.")
    ranked = bool(frame.limit)
    rank = "bottom" if frame.direction == "asc" else "top"
    if frame.offset:  # "the second best seller" is not the top one
        place = frame.offset + 1
        suffix = {2: "nd", 3: "rd"}.get(place, "th")
        rank = f"{place}{suffix} {'lowest' if frame.direction == 'asc' else 'highest'}"
    if len(rows) == 1 and ranked and len(columns) == 2 and _is_number(rows[0][1]) and isinstance(rows[0][0], str):
        noun = _noun(columns[0], frame)
        return _sentence(f"{rank} {SINGULARS.get(noun, noun)} by "
                         f"{_label(columns[1])}{period}: {rows[0][0]} ({_fmt(rows[0][1], columns[1])}).")
    if len(rows) == 1:
        pairs = ", ".join(f"{_label(c)} {_fmt(v, c)}" for c, v in zip(columns, rows[0], strict=False))
        return _sentence(f"{pairs}.")

    first = rows[0]
    numeric = [i for i, v in enumerate(first) if _is_number(v) and not columns[i].endswith("_id")]
    key = frame.order_by or (frame.measures[0] if frame.measures else "")
    wanted = output_name(frame, key) if key else ""
    value_idx = columns.index(wanted) if wanted in columns else (numeric[-1] if numeric else None)
    label_idx = next((i for i, c in enumerate(columns) if c in GRAIN_COLUMNS), None)
    if label_idx is None:
        label_idx = next((i for i, v in enumerate(first) if isinstance(v, str)), 0)
    label_col = columns[label_idx]
    labels = [_fmt(r[label_idx], label_col) for r in rows]
    if "order_id" in columns and label_col in ("order_date", "status", "channel"):  # rows are orders
        oid = columns.index("order_id")
        labels = [f"order {r[oid]}" for r in rows]
    noun = _noun(label_col, frame)
    count = f"{len(rows):,} {noun}" + (" (the first 1,000 shown)" if truncated else "")

    if value_idx is None:  # a plain list
        names = ", ".join(labels[:5])
        return _sentence(f"{count}{period}: {names}{', ...' if len(rows) > 5 else ''}.")

    value_col = columns[value_idx]
    measure = _label(value_col)
    values = [r[value_idx] for r in rows]
    top_n = ranked and len(rows) <= (frame.limit or 0)
    total = ""
    if value_col in ADDITIVE and all(_is_number(v) for v in values):
        # the sum of a top-N is theirs, not the whole's
        total = (f" Together: {_fmt(sum(values), value_col)}." if top_n else
                 f" Total of the rows shown: {_fmt(sum(values), value_col)}." if truncated else
                 f" Total {measure}: {_fmt(sum(values), value_col)}.")

    if label_col in GRAIN_COLUMNS:  # a time series: its extremes, not its first row
        points = [(r[label_idx], r[value_idx]) for r in rows if _is_number(r[value_idx])]
        if not points:
            return _sentence(f"{measure} by {label_col}{period}: {count}, no values.")
        high = max(points, key=lambda p: p[1])
        low = min(points, key=lambda p: p[1])
        return _sentence(f"{measure} by {label_col}{period}, {count}: highest in {_when(high[0], label_col)} "
                         f"({_fmt(high[1], value_col)}), lowest in {_when(low[0], label_col)} "
                         f"({_fmt(low[1], value_col)}).{total}")

    leaders = ", ".join(f"{label} ({_fmt(r[value_idx], value_col)})" for label, r in zip(labels, rows[:SHOWN],
                                                                                         strict=False))
    more = f" and {len(rows) - SHOWN:,} more" if len(rows) > SHOWN else ""
    if top_n:
        head = f"{rank} {len(rows):,} {noun} by {measure}{period}"
    elif frame.kind == "list" and "order_date" in columns:
        head = f"{count}{period}, newest first"
    else:
        head = f"{count}{period}, by {measure}"
    return _sentence(f"{head}: {leaders}{more}.{total}")


OP_WORDS = {"=": "=", "in": "in", "not in": "not", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "between": "between",
            "is null": "is empty", "is not null": "is set", "contains": "contains", "not contains": "does not contain",
            "starts with": "starts with", "all of": "includes all of",
            "only of": "only ever (every order with)",
            "never in": "never (no order with)", "latest in": "on the latest order",
            "bought in": "bought (a purchase, not cancelled or returned, with)",
            "never bought in": "never bought (no purchase, not cancelled or returned, with)",
            "no line in": "none (no line of the order with)",
            "not bought by": "has never bought it (no purchase, not cancelled or returned, at any time):"}


def _is_count(name: str) -> bool:
    return name == "count" or name.startswith("count:")  # not "country"


def _field_words(name: str, layer: SemanticLayer) -> str:
    if _is_count(name):
        entity = name.split(":")[1] if ":" in name else None
        return "number of " + (layer.entities[entity]["plural"] if entity in layer.entities else entity or "rows")
    if name in layer.measures:
        return layer.measures[name]["label"].lower()
    if ":" in name:
        return _aggregate_words(name)
    return name.split(".")[-1].replace("_", " ")


def _aggregate_words(name: str) -> str:
    """"sum:orders.total_amount" -> "sum of total amount" ("total total amount" would read as a slip)."""
    fn, attr = name.split(":", 1)
    words = attr.split(".")[-1].replace("_", " ")
    if words.split()[0] == AGGREGATE_WORDS[fn]:
        return f"sum of {words}" if fn == "sum" else words
    return f"{AGGREGATE_WORDS[fn]} {words}"


AGGREGATE_WORDS = {"sum": "total", "avg": "average", "min": "lowest", "max": "highest", "median": "median",
                   "ndistinct": "number of different"}


def _measure_words(form: QueryForm, name: str, layer: SemanticLayer) -> str:
    if _is_count(name):
        entity = name.split(":")[1] if ":" in name else (form.subject or "orders")
        return f"number of {layer.entities[entity]['plural'] if entity in layer.entities else entity}"
    if ":" in name:
        return _aggregate_words(name)
    m = layer.measures[name]
    unit = form.unit or m.get("unit")
    unit_words = f" in {unit}" if m.get("units") else ""
    return f"{m['label'].lower()}{unit_words} ({m['definition']})"


def _scoped_conditions_described(form: QueryForm, layer: SemanticLayer) -> str:
    """"products out of stock (stock = 0) in Vantaa, and with stock > 50 in Kuopio": each condition with the
    place whose own figure it is tested on."""
    spec = form.derived or {}
    dim, (first, second) = spec["dimension"], spec["conditions"]

    def condition(c: dict) -> str:
        if c.get("predicate"):
            p = layer.predicates[c["predicate"]]
            return f"{p['label']} ({p.get('definition', '')}, counted in that {dim} alone)"
        m = layer.measures[c["measure"]]
        bound = " and ".join(f"{v:g}" for v in c["values"]) if c["op"] == "between" else f"{c['values'][0]:g}"
        return f"with {m['label'].lower()} {c['op']} {bound} (counted in that {dim} alone)"

    def place(c: dict) -> str:
        if c.get("value"):
            return f"in {dim} {c['value']}"
        if c["place"] == "other" and first.get("value"):
            return f"in some {dim} other than {first['value']}"
        if c["place"] == "other":
            return f"in another {dim} (a different one from the first)"
        return f"in some one {dim}"
    shown = [c["value"] for c in (first, second) if c.get("value")] if form.kind == "list" else []
    head = "number of products" if form.kind == "aggregate" else "list of products"
    return (f"{head} {condition(first)} {place(first)}, and {condition(second)} {place(second)}; "
            f"each condition tested on that {dim}'s own stock records, not on all {dim}s together"
            + (f"; shown with the stock in {', '.join(shown)}" if shown else ""))


def describe_form(form: QueryForm, layer: SemanticLayer | None = None) -> str:
    """What was computed, in words: measure with its glossary definition, conditions, filters,
    comparison, grouping, period, ranking; read back to the user with every answer."""
    layer = layer or SemanticLayer.load()
    parts: list[str] = []
    subject = form.subject or "orders"
    if (form.derived or {}).get("kind") == "scoped_conditions":
        parts.append(_scoped_conditions_described(form, layer))
    elif form.kind == "bought_together":
        anchor = next((f for f in form.filters if f.field == "product"), None) or next(
            (f for f in form.filters if f.op in ("=", "in") and f.field in layer.dimensions
             and layer.dimensions[f.field]["column"].startswith("products.")), None)
        named = ", ".join(map(str, anchor.values)) if anchor else ""
        if anchor is not None and anchor.field != "product":
            named = f"{anchor.field} {named}"
        grouped = form.dimensions[0] if form.dimensions else "product"
        plural = "categories" if grouped == "category" else f"{grouped}s"
        if anchor is not None and "together_counted" in form.notes:
            parts.append(f"number of other products in the same order as {named} at least once (orders of any status)")
        else:
            parts.append(f"{plural} most often in the same order as {named} (orders of any status counted)"
                         if anchor is not None else
                         "pairs of products most often in the same order (orders of any status counted, each pair once)")
    elif form.kind == "recommend_customer":
        parts.append("best sellers (units sold) in the categories this customer buys, not yet bought by them")
    elif form.kind == "not_bought":
        parts.append(f"{form.dimensions[0]} values with no order line of this customer (any status)")
    elif form.kind == "list":
        # "how much did each of them spend?" after customers listed: the figure shown beside each is said too
        shown = [m for m in form.show if m in layer.measures]
        parts.append(f"list of {subject}" + (f", each with {', '.join(_measure_words(form, m, layer) for m in shown)}"
                                             if shown else ""))
    else:
        parts.append(", ".join(_measure_words(form, m, layer) for m in form.measures) or "count")
    derived = form.derived or {}
    if derived.get("kind") == "average_per":  # the figure per order (or month) first, then their average
        each = derived["grain"] if derived.get("grain") else layer.entities[derived["entity"]]["singular"]
        parts[-1] = f"{'median' if derived.get('fn') == 'median' else 'average'} per {each} of: {parts[-1]}"
    if derived.get("kind") == "predicates":
        conditions = [(p, predicate_spec(layer, p)) for p in derived["values"]]
        parts.append(" vs ".join(f"{'not ' if negated_predicate(layer, p) else ''}{c['label']} "
                                 f"({'not: ' if negated_predicate(layer, p) else ''}{c['definition']})"
                                 for p, c in conditions) + ", one row each")
    if derived.get("kind") == "columns":
        parts.append(f"one column per {derived['dimension']}: {', '.join(map(str, derived['values']))}")
    if derived.get("kind") == "beside_all" and derived.get("predicate"):
        p = predicate_spec(layer, derived["predicate"])
        parts.append(f"beside it the same figure of those only: {p['label']} ({p.get('definition', '')})")
    elif derived.get("kind") == "beside_all" and derived.get("of_those"):
        group = derived["filter"]
        parts.append(f"beside it the same figure of those only where {group['field']} = "
                     f"{', '.join(map(str, group['values']))}")
    elif derived.get("kind") == "beside_all":
        group = derived["filter"]
        parts.append(f"in one row: the figure where {group['field']} = {', '.join(map(str, group['values']))}, and "
                     f"beside it the same figure over all (that condition left out; every other condition kept)")
    if derived.get("kind") == "share":
        cond = derived.get("condition")
        scale = "as a percentage" if derived.get("scale", "fraction") == "percent" else "as a fraction (0-1)"
        if cond and cond.get("predicate"):
            name = cond["predicate"]
            p = predicate_spec(layer, name)
            what = ("not " if negated_predicate(layer, name) else "") + f"{p['label']} ({p['definition']})"
            whole = f", out of those where {p['decidable']}" if p.get("decidable") and not derived.get("of_all") else ""
            parts.append(f"{scale}: the share that is {what}{whole}")
        elif cond:
            f = cond["filter"]
            parts.append(f"{scale}: the share with {f['field']} {OP_WORDS.get(f['op'], f['op'])} "
                         f"{', '.join(map(str, f['values']))}{' ' + f['unit'] if f.get('unit') else ''}")
        elif derived.get("together") and form.limit:
            parts.append(f"{scale} of the total: the top {form.limit} together")
        else:
            parts.append(f"{scale} of the total")
        if derived.get("bound") and not cond:
            b = derived["bound"]
            parts.append(f"only those whose share of the total is {OP_WORDS.get(b['op'], b['op'])} {100 * b['value']:g}%")
    if derived.get("kind") == "growth" and form.compare_period:
        parts.append(f"growth {'as a difference' if derived.get('absolute') else 'in %'} vs {form.compare_period.label} ({form.compare_period.start} to "
                     f"{form.compare_period.end})")
        if derived.get("direction") in ("down", "up"):
            parts.append(f"only those {'lower' if derived['direction'] == 'down' else 'higher'} in "
                         f"{form.period.label if form.period else 'the first period'} than in {form.compare_period.label}")
        if derived.get("bound"):
            b = derived["bound"]
            parts.append(f"only those whose growth is {OP_WORDS.get(b['op'], b['op'])} {b['value']:g}%")
    lapsed = "ordered_in_earlier" in form.predicates and form.compare_period is not None
    for name in form.predicates:
        if lapsed and name in ("never_ordered", "ordered_in_earlier"):
            continue  # said once below: an order in the earlier period and none in the later one
        p = predicate_spec(layer, name)
        neg = "not " if negated_predicate(layer, name) else ""
        entity = form.subject if form.subject and form.subject in p.get("by_entity", {}) else p["entity"]  # "products never ordered"
        if p.get("in_period") and p.get("period_inside") and form.period and \
                form.period_field in (None, "orders.order_date"):
            p = {**p, **p["in_period"]}  # "customers who have not ordered in 2026": the period dates the orders inside
        parts.append(f"only {neg}{p['label']} {layer.entities[entity]['plural']} ({p['definition']})")
        if p.get("scoped_by") and f"each:{p['scoped_by']}" in form.notes:  # "out of stock in at least one warehouse"
            parts[-1] += f", in at least one {p['scoped_by']} (its own figure)"
        counted = next((f for f in form.filters if p.get("scoped_by") and f.field == "ndistinct:" + str(
            layer.dimensions.get(p["scoped_by"], {}).get("column"))), None)
        if counted is not None:  # "out of stock in at least two warehouses": the places where it holds are counted
            parts[-1] += f", each {p['scoped_by']} on its own figure (the {p['scoped_by']}s where it holds are counted)"
        if p.get("period_compare") and form.compare_period and form.period and not lapsed:
            # "ordered in both 2025 and 2026": an order in the other period named as well as in this one
            other = form.compare_period
            parts[-1] += (f": an order in {other.label} ({other.start} to {other.end}) and one in "
                          f"{form.period.label} ({form.period.start} to {form.period.end})")
    for f in form.filters:
        if form.compare and f.field == form.compare.get("dimension"):
            continue
        if form.kind == "bought_together" and f.field == "product":
            continue
        if f.values == [PREVIOUS_ROWS] and form.within:
            # "what was in it?" after the biggest order: the rows of the previous answer, said as it was asked
            listed, previous = form.within.get("subject") or "orders", QueryForm.from_dict(form.within)
            said = describe_form(previous, layer) if previous is not None else "as answered"
            parts.append(f"of the {listed} of the previous answer ({said})")
            continue
        values = " and ".join(map(str, f.values)) if f.op == "between" else ", ".join(map(str, f.values))
        unit = f" {f.unit}" if f.unit else ""
        scoped = [n for n in form.predicates if f.op == "all of" and (layer.predicates.get(
            n[4:] if n.startswith("not_") and n not in layer.predicates else n) or {}).get("scoped_by") == f.field]
        if scoped:
            # "out of stock in both Vantaa and Drammen": the condition tested in each place on its own
            parts.append(f"{_field_words(f.field, layer)}: the condition held in each of {values} (its own figure)")
            continue
        if f.than:
            # "less stock than the units sold last month": the other figure of the same thing, times its factor
            days = _days_of_stock(form, f)
            if days is not None:
                # "less than 30 days of stock left at the average daily units sold of the last 90 days": the days said
                # of the daily pace, as said (was: their factor, a raw decimal: "stock < 0.333333 x units sold")
                parts.append(f"{_field_words(f.field, layer)} {OP_WORDS.get(f.op, f.op)} {days[0]} days of "
                             f"{_field_words(f.than, layer)} at the daily pace ({_field_words(f.than, layer)} / "
                             f"{days[1]} days; each one's own figures)")
                continue
            factor = "" if f.values in ([], [1], [1.0]) else f"{f.values[0]:g} x "
            parts.append(f"{_field_words(f.field, layer)} {OP_WORDS.get(f.op, f.op)} {factor}"
                         f"{_field_words(f.than, layer)} (each one's own figures)")
            continue
        parts.append(f"{_field_words(f.field, layer)} {OP_WORDS.get(f.op, f.op)} {values}{unit}".strip())
        if f.period is not None:  # "over 10000 EUR in 2025 but less than 3000 EUR this year": the bound's own period
            parts[-1] += f" in {f.period.label} ({f.period.start} to {f.period.end})"
        held_in = next((n.split(":", 1) for n in form.notes if n.startswith(("every:", "some:"))), None)
        if held_in and f.field in layer.measures and f.op in OP_WORDS:
            # "fewer than 50 units in every warehouse": the bound is on each place's own figure, not their sum
            parts[-1] += f" in {'every' if held_in[0] == 'every' else 'at least one'} {held_in[1]} (its own figure)"
    every_period = next((n.split(":", 1)[1] for n in form.notes if n.startswith("every_period:")), None)
    if every_period:
        # "customers who ordered in each of the four quarters of 2025": an order (any of those counted) in every one
        parts.append(f"only those with an order in every {every_period} of the period (each {every_period} counted "
                     "once: the number of distinct ones equals the number in the period)")
    if form.compare:
        parts.append(f"{form.compare['dimension']}: " + " vs ".join(map(str, form.compare["values"])))
    groups = [g for g in form.dimensions if not (form.compare and g == form.compare.get("dimension"))]
    if form.grain:
        groups.insert(0, form.grain)
    if groups:
        parts.append("by " + ", ".join(groups))
    if form.period and not lapsed:
        column = (form.period_field or "").split(".")[-1].replace("_", " ")
        parts.append(f"{column} in {form.period.label} ({form.period.start} to {form.period.end})")
        if derived.get("kind") == "periods" and form.compare_period:  # both periods are computed: say both
            other = form.compare_period
            # ("side by side": each period's figure a column beside the other)
            each = "a column each" if "periods_side_by_side" in form.notes else "one row each"
            parts[-1] += f" vs {other.label} ({other.start} to {other.end}), {each}"
    if "ordered_in_earlier" in form.predicates and form.compare_period:
        other = form.compare_period  # "ordered in 2025 but nothing this year": the earlier period's order
        lines = Planner(layer).lapsed_lines(form)
        # "bought Tools in 2025 but none in 2026": a purchase with a line of the products named, in each period
        what = ("a purchase (not cancelled or returned) with " + " and ".join(
            f"{f.field} {' or '.join(map(str, f.values))}" for f in lines)) if lines else "an order"
        if "lapsed_sales" in form.notes and not lines:
            # ("... but bought nothing since May": no purchase in the later period, an order of any status before)
            what = "an order in"
            parts.append(f"customers with {what} {other.label} ({other.start} to {other.end}) and no purchase "
                         f"(not cancelled or returned) in {form.period.label} ({form.period.start} to "
                         f"{form.period.end})" if form.period else f"customers with {what} {other.label}")
        else:
            parts.append(f"customers with {what} in {other.label} ({other.start} to {other.end}) and none in "
                         f"{form.period.label} ({form.period.start} to {form.period.end})" if form.period else
                         f"customers with {what} in {other.label}")
        if any(f.field.startswith("count:") or f.field in layer.measures for f in form.filters) or any(
                m in layer.measures for m in (*form.measures, *form.show)):
            parts[-1] += f"; figures over {other.label}"
    if form.order_by:
        direction = "highest first" if form.direction == "desc" else "lowest first"
        ranked = _field_words(form.order_by, layer)
        if derived.get("kind") == "growth" and form.compare_period and form.period and not derived.get("direction"):
            # "which category grew the most": the ranking is of the growth, not of the figure of one period
            ranked = f"the change in {ranked}" if derived.get("absolute") else f"the growth in % of {ranked}"
            if "growth_ranked_fall" in form.notes:
                direction = "biggest fall first" if form.direction == "asc" else "smallest fall first"
        parts.append(f"ranked by {ranked}, {direction}")
    if form.limit:
        parts.append(f"top {form.limit}" if form.direction == "desc" else f"first {form.limit}")
        if form.offset:  # "the second largest": the first ones passed over
            parts[-1] = f"place {form.offset + 1}" if form.limit == 1 else f"{parts[-1]} after the first {form.offset}"
        if form.per_group:
            parts[-1] += " in each " + ", ".join(form.per_group)
        if "ties" in form.notes:  # "all of those placed on the earliest date": every one of that day
            parts[-1] = f"every one of the {'last' if form.direction == 'desc' else 'first'} {form.limit} day(s)"
    if "every_line" in form.notes:  # "a discount on every single line": each line of the order, not one of them
        parts.append("the conditions on the lines held on every line of the order")
    if "some_line" in form.notes:  # "orders that had at least one discounted line": those whole orders
        parts.append("orders with at least one such line, each order counted whole")
    zero = Planner(layer).zero_entity(replace(form, within=None) if form.within and form.within.get("kind") == "list"
                                      and form.kind == "list" else form)
    if zero is not None:  # "slowest sellers": the unsold ones are in the ranking, at 0
        parts.append(f"every {layer.entities[zero]['singular']} counted, one with none as 0")
    if form.within and form.within.get("limit") and "population:previous_top" in form.notes \
            and (ranking := QueryForm.from_dict(form.within)) is not None:
        # "how many units of each do we have in stock?" after a top 5: the ranked ones are the population, said
        # with the ranking that chose them
        parts.insert(0, f"among the {form.within['limit']} ranked in the previous answer ({describe_form(ranking, layer)})")
    elif form.within and form.within.get("limit") and form.within.get("kind") != "list":
        parts.append(f"within the previous top {form.within['limit']}" if not form.within.get("offset") else
                     # "how much stock of the second one?": one place of the previous ranking
                     f"of the one at place {int(form.within['offset']) + 1} of the previous ranking")
    for note in form.notes:
        if note.startswith("corrected:"):
            parts.append("read " + note.split(":", 1)[1])
        elif note.startswith("purpose:"):  # a recommendation says which definition answered it
            name = note.split(":", 1)[1]
            spec = layer.grammar.get("purposes", {}).get(name, {})
            if spec.get("description"):
                parts.append(f"{name.replace('_', ' ')} read as: {spec['description']}")
        elif note.startswith("purpose_ranked:"):  # "go by revenue": the end picked is the purpose's, not said
            name = note.split(":", 1)[1]
            spec = layer.grammar.get("purposes", {}).get(name, {}).get("ranks_unranked", {})
            if spec.get("description"):
                parts.append(f"no order was asked: {spec['description']}")
        elif note == "reorder_advice" and layer.grammar.get("reorder_advice", {}).get("description"):
            parts.append(layer.grammar["reorder_advice"]["description"])
        elif note.startswith("aside:"):
            parts.append(f"set aside as saying why, not what: '{note.split(':', 1)[1]}'")
        elif note == "counted_not_listed" and form.kind == "aggregate":
            parts.append(f"counted, not listed (ask 'list them' to see the {form.subject or 'orders'})")
    return "; ".join(parts)
