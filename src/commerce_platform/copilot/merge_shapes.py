"""The shapes a follow-up is tried against before the general carry-over of ``_State._merge`` (parser.py).

``MERGE_SHAPES`` is tried in order, the first entry that returns a form wins (its answer is the follow-up's).
An entry that returns ``None`` either did not match or only read the follow-up's own words or form so the
entries after it (and the carry-over) see them placed: a period counted back from the previous one, a number
that closes a pointer, a figure said by its verb. A question of a shape the previous answer cannot support is
refused by its entry, naming that answer. Add a shape as one small named function, at the place in the table
where it must be tried (the first match wins).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import NotUnderstood
from .followups import (
    _explained,
    about_previous,
    best_of_the_top,
    change_number,
    column_of_the_ranked,
    condition_within_ranked_rows,
    count_previous,
    counted_of_the_ranked,
    counted_of_the_top_group,
    drop_period,
    each_alone,
    each_of_one_figure,
    every_group_of_the_ranked,
    figure_of_each_listed,
    figure_of_the_one_answered,
    merge_verbs,
    negate_previous,
    one_each,
    other_orders_of_the_customer,
    pointing_back,
    points_back,
    ranked_in_another_period,
    refuse,
    related_of_previous,
    relative_to_previous,
    resort,
    that_one_ranked,
    the_one_beside,
    the_other_groups,
    total_of_previous,
    total_of_the_ranked,
    unknown_value,
)
from .query import QueryForm
from .reading.patterns import phrase_said

if TYPE_CHECKING:
    from .parser import _State

Shape = Callable[["_State", "QueryForm"], "QueryForm | None"]


def number_closing_the_pointer(state: _State, context: QueryForm) -> None:
    """"and revenue for those two?" after "just Paint and Lighting": the number closing the pointer counts the
    values named before (the same ones), it asks no top N; "what revenue did those three bring in?" after the top
    3 brands: the same three, the ranking kept (was: refused, '3' not placed)."""
    for k, s in enumerate(state.spans[1:], start=1):
        if not s.used and s.first("number") and state.spans[k - 1].text in ("those", "these", "both", "the") \
                and (state.next_content(k) is None and any(
                    x.op == "in" and len(x.values) == float(s.arg("number")) for x in context.filters)
                     or context.limit == float(s.arg("number")) and context.order_by and context.dimensions
                     and not context.offset):
            s.used = True
            if k >= 3 and [t.text for t in state.spans[k - 3:k - 1]] == ["each", "of"] and context.limit \
                    and context.dimensions and not state.spans[k - 3].used:
                # "the current stock of each of those five?" after the top 5 products: one figure per ranked one, as
                # "each of them" (was: refused, 'each' not placed)
                state.spans[k - 3].used = True


DAYS_IN = {"day": 1, "days": 1, "week": 7, "weeks": 7}


def the_same_days_again(state: _State, context: QueryForm) -> None:
    """"how much did they spend in total over those 30 days?" after the customers who ordered in the last 30 days:
    "those N days" (weeks) is the previous answer's period said again, kept as it was; only when it spans exactly
    that many days (another length would be another period, not guessed). Was: refused, '30', 'days' not placed."""
    period = context.period
    if period is None or state.periods:
        return
    length = (period.end_date - period.start_date).days + 1
    spans = state.spans
    for k in range(1, len(spans) - 1):
        pointer, num, unit = spans[k - 1], spans[k], spans[k + 1]
        if pointer.text not in ("those", "these", "that", "the same") or num.used or unit.used \
                or num.first("number") is None or unit.text not in DAYS_IN:
            continue
        if float(num.arg("number")) * DAYS_IN[unit.text] != length or any(
                t.has("grammar", "previous") for t in spans[k + 2:k + 4]):
            continue  # ("those 30 days before that": another period)
        said = [pointer, num, unit]
        if k >= 2 and (spans[k - 2].has("grammar", "summed_over")
                       or spans[k - 2].text in ("over", "in", "during", "for", "across", "within")):
            said.append(spans[k - 2])  # "in total over those 30 days": summed over the period, as asked
        for t in said:
            t.used = True


def since_their_own_date(state: _State, context: QueryForm) -> None:
    """"how many of them have placed an order since?" after the customers who signed up in 2025: a bare closing
    "since" counts from the previous answer's period, which was on the things' own date (their signup): their
    activity since then is all of it (none comes before a thing's own start), so the activity is kept as said,
    with no period of its own. Was: refused, 'since' not placed. Said of another date (the previous period on the
    orders) it is left unplaced."""
    spans = state.spans
    k = next((i for i, s in enumerate(spans) if s.text == "since" and not s.senses and not s.used), None)
    entities = state.layer.entities
    spec = entities.get(context.subject or "", {})
    own = spec.get("period")
    if k is None or state.next_content(k) is not None or state.periods or context.period is None or not own \
            or context.period_field not in (None, f"{spec.get('table')}.{own}") \
            or any(n.startswith("activity:") and n.split(":", 1)[1] in entities for n in context.notes):
        return
    activities = [n.split(":", 1)[1] for n in state.form.notes if n.startswith("activity:")]
    if len(activities) == 1 and activities[0] != context.subject and activities[0] in entities:
        spans[k].used = True


HELD_WORDS = frozenset({"how", "much", "of", "it", "them", "that", "those", "and", "now", "right now", "currently",
                        "still", "left", "on hand", "in stock", "in total"})


def held_of_the_named_product(state: _State, context: QueryForm) -> QueryForm | None:
    """"how much of it do we have in each warehouse?" after a question about one named product (its surplus, its
    units sold): "how much of it" + a phrase of holding ("do we have", layer holding_phrases) asks the quantity of
    that product held, its stock (layer stock_place.quantity.measure), as "how much of the X do we have" does,
    split or narrowed as the follow-up says (the previous figure, ranking and period are not asked). Was: refused,
    nothing changed. A period, a figure or a verb of selling said beside it is left to the rest."""
    new, layer = state.form, state.layer
    measure = ((layer.grammar.get("stock_place") or {}).get("quantity") or {}).get("measure")
    product = context.filter_on("product")
    if not measure or measure not in layer.measures or product is None or product.op not in ("=", "in") \
            or new.measures or new.subject or new.predicates or new.order_by or new.limit or new.derived \
            or new.grain or state.periods or state.ids or any(n.startswith("activity:") for n in new.notes) \
            or any(s.first("activity") or s.first("entity") or s.first("measure") for s in state.spans):
        return None
    words = [s.text for s in state.spans]
    at = next((k for k in range(len(words) - 3) if words[k:k + 3] == ["how", "much", "of"]
               and words[k + 3] in ("it", "them", "that", "those")), None)
    if at is None or not phrase_said(layer.grammar.get("holding_phrases", []), state.question):
        return None
    if not all(s.used or s.text in HELD_WORDS or not s.senses or all(x[0] in ("stop", "grammar") for x in s.senses)
               and not s.has("grammar", "previous") for s in state.spans):
        return None
    if any(x.field == "product" for x in new.filters):
        return None  # ("how much of it ... of the Bosch Drill": another product named)
    for s in state.spans:
        s.used = True
    return QueryForm(kind="aggregate", measures=[measure], dimensions=list(new.dimensions),
                     filters=[copy.deepcopy(product), *copy.deepcopy(new.filters)])


def verbs_around_names(state: _State, context: QueryForm) -> None:
    """The verbs a follow-up uses around what it names, placed (``merge_verbs``)."""
    merge_verbs(state)


def share_of_the_things_named(state: _State, context: QueryForm) -> None:
    """"what about the share of orders for web" after the web's share of revenue: the things named after "share
    of" counted, as asked alone (was: the share of revenue again)."""
    new = state.form
    if not new.measures and new.subject and (new.derived or {}).get("kind") == "share" \
            and (context.derived or {}).get("kind") == "share" and not any(
                m.startswith("count") for m in context.measures) and any(
            s.has("grammar", "share") and [t.text for t in state.spans[i + 1:i + 2]] == ["of"]
            and any(t.has("entity", new.subject) for t in state.spans[i + 2:i + 4])
            for i, s in enumerate(state.spans)):
        new.measures = ["count"]


def which_one_of_them(state: _State, context: QueryForm) -> None:
    """"which one had the most late deliveries?" after carriers: one of them, as "which carrier"."""
    new = state.form
    if new.order_by and new.limit is None and any(
            a.text == "which" and b.text == "one" for a, b in zip(state.spans, state.spans[1:], strict=False)):
        new.limit = 1


def ranking_verb_of_the_figure_shown(state: _State, context: QueryForm) -> None:
    """"which category sold the most?" after sales by category: a ranking said by its verb alone ranks the figure
    shown of the same rows (sales), not the verb's own default figure (units sold)."""
    new = state.form
    ranking_said = [s for s in state.spans if s.first("ranking") or s.first("measure")]
    ranked_by, shown_figure = new.order_by, (context.measures[0] if len(context.measures) == 1 else None)
    measure_specs = state.layer.measures
    if len(ranking_said) == 1 and ranking_said[0].first("ranking") \
            and ranking_said[0].text in state.layer.grammar.get("ranking_measures", {}) \
            and context.kind == "aggregate" and context.dimensions and shown_figure and ranked_by \
            and ranked_by != shown_figure and ranked_by in measure_specs and shown_figure in measure_specs \
            and measure_specs[ranked_by].get("filter") and all(
                measure_specs[ranked_by].get(k) == measure_specs[shown_figure].get(k) for k in ("filter", "entity")):
        new.measures = [shown_figure if m == ranked_by else m for m in new.measures]
        new.order_by = shown_figure


def figure_added_to_a_list(state: _State, context: QueryForm) -> None:
    """"add their stock value at price", "plus units sold" after a list: the figure shown beside each listed one,
    as "also show" (was: refused, 'add' not placed)."""
    new = state.form
    opening = next((s for s in state.spans if not s.has("stop")), None)
    if opening is not None and not opening.used and opening.text in ("add", "plus") and not opening.senses[1:] \
            and context.kind == "list" and (new.measures or new.show):
        opening.used = True


def total_of_the_counted(state: _State, context: QueryForm) -> None:
    """"and their total amount?" after orders counted per status: the amount of the counted things summed."""
    new = state.form
    table = state.layer.entities.get(context.subject or "", {}).get("table")
    if not new.measures and len(new.show) == 1 and new.show[0].split(".")[0] == table and context.kind == "aggregate" \
            and context.measures == ["count"] and not (context.derived or context.compare or context.limit) \
            and state.layer.column(new.show[0]).get("unit") and points_back(state.spans) \
            and any("total" in x.text.split() for x in state.spans):
        new.measures, new.show = [f"sum:{new.show[0]}"], []


def condition_within_the_ranked_rows(state: _State, context: QueryForm) -> QueryForm | None:
    """"which of them came through the web?" after the 5 biggest orders (``condition_within_ranked_rows``)."""
    return condition_within_ranked_rows(state, context, state.form)


# "which orders are they?", "list them", "which shipments were those?": the counted things asked for by name
COUNTED_LISTED = frozenset({"which", "what", "are", "were", "is", "was", "list", "show", "me", "the", "all", "ones"})


def the_counted_things_listed(state: _State, context: QueryForm) -> QueryForm | None:
    """"which orders are they?" after the undelivered shipments counted per carrier, "list them" after customers
    counted per country: the things counted, listed (every group's, the grouping dropped: a list has no groups).
    The kind named may be the counted one or the one each counted thing is one of, one to one (a shipment's
    order); any other kind ("which customers are they?" after orders: each order or each customer once?) is left
    to the rest. Was: "which orders are they?" after a count answered the count of the orders, a silent wrong,
    and "list them" after counts per group was refused."""
    new, layer = state.form, state.layer
    subject = context.subject
    if not subject or context.kind != "aggregate" or context.measures not in (["count"], [f"count:{subject}"]) \
            or context.grain or context.compare or context.derived or context.limit or context.per_group \
            or context.within or context.lookup or context.compare_period:
        return None
    if new.filters or new.predicates or new.dimensions or new.grain or new.order_by or new.limit or new.derived \
            or new.compare or state.periods or state.ids:
        return None
    words = {s.text for s in state.spans}
    if not (words & pointing_back(state.layer) and words & {"which", "what", "list", "show"}):
        return None
    named = {str(s.arg("entity")) for s in state.spans if s.first("entity") is not None}
    if len(named) > 1 or not _explained(state, COUNTED_LISTED | {s.text for s in state.spans
                                                                 if s.first("entity") is not None}):
        return None
    listed = named.pop() if named else subject
    if listed != subject:
        tables = {layer.entities.get(subject, {}).get("table"), layer.entities.get(listed, {}).get("table")}
        if not any(j.get("cardinality") == "one_to_one" and {j["left"].split(".")[0], j["right"].split(".")[0]}
                   == tables for j in layer.joins):
            return None
    f = copy.deepcopy(context)
    f.kind, f.subject, f.measures, f.dimensions, f.order_by = "list", listed, [], [], None
    for s in state.spans:
        s.used = True
    return f


LIST_VERBS = frozenset({"list", "show", "give"})
SAID_DESCENDING = re.compile(r"\b(?:desc|descending|highest|most|largest|biggest|newest|latest)\b", re.IGNORECASE)


def the_counted_things_listed_with(state: _State, context: QueryForm) -> QueryForm | None:
    """"show them with their stock" after the products below their reorder level counted, "list them sorted by
    amount" after the open orders counted: the counted things listed, each with the figures or columns named after
    the list verb beside it and in the order named, under the count's own conditions. The figure is each one's own
    (every one of them listed, one with none at 0 where its rows join outer), never one total over them. After a
    count with a period, a figure beside each one could be of that period or of all time: refused. Was: the figure
    summed over the counted things (one number), or the count again with the order dropped: silent wrongs."""
    new = state.form
    subject = context.subject
    if not subject or context.kind != "aggregate" or context.measures not in (["count"], [f"count:{subject}"]) \
            or context.grain or context.compare or context.derived or context.limit \
            or context.per_group or context.within or context.lookup or context.compare_period:
        return None
    opening = next((s for s in state.spans if not s.has("stop") or s.text in LIST_VERBS), None)
    listing = opening is not None and opening.text in LIST_VERBS and points_back(state.spans)
    # "and for PostNord only, the tracking numbers?" after parcels in transit counted per carrier: columns of the
    # counted things named alone (no figure, no order) ask for the things themselves, listed (a list has no groups)
    table = state.layer.entities.get(subject, {}).get("table")
    columns_only = bool(new.show) and not new.measures and not new.order_by and all(
        c.split(".")[0] == table and state.layer.column(c).get("type") not in ("INT", "DOUBLE", "DATE", "TIMESTAMP")
        for c in new.show)
    if not (listing or columns_only) or context.dimensions and not columns_only:
        return None
    figures = [m for m in new.measures if m != "count"]
    # "list the ones from business customers" after the open orders counted: "the ones" are the counted things, the
    # other kind named after a preposition a condition on them (was: the customers listed, a silent wrong)
    spans = state.spans

    def after_preposition(k: int) -> int | None:
        """Where the preposition before the kind named at ``k`` is, over the values said before it."""
        j = k - 1
        while j >= 0 and state.values_of(spans[j]):
            j -= 1
        return j if j >= 0 and spans[j].text in ("from", "by", "of", "with", "for") else None
    ones = any(s.text == "ones" for s in spans) and new.subject not in (None, subject) and any(
        s.has("entity", new.subject) and after_preposition(k) is not None for k, s in enumerate(spans)) \
        and not any(s.has("entity", subject) for s in spans)
    if len(figures) != len(new.measures) or not (figures or new.order_by or new.show or ones) or new.dimensions \
            or new.grain or new.derived or new.compare or new.limit or new.per_group or state.ids \
            or state.periods or new.subject not in (None, subject) and not ones:
        return None
    if figures and context.period is not None:
        raise refuse(state, context, "a figure beside each of them could be of the counted period or of all time; "
                                     "ask for the list with the period said of the figure")
    if any(p not in context.predicates for p in new.predicates):
        # ("list them with stock and reorder level": "with stock" also reads as the in-stock condition; a condition
        # beside the figures is not told from a figure's own words here)
        raise refuse(state, context, "I could not tell which words name the columns to show and which a condition")
    f = copy.deepcopy(context)
    f.kind, f.measures, f.dimensions = "list", [], []
    f.show += [c for c in [*figures, *new.show] if c not in f.show]
    f.filters += [copy.deepcopy(x) for x in new.filters if x not in f.filters]
    if new.order_by:
        f.order_by, f.direction = new.order_by, new.direction
        f.notes = [*f.notes, "order:explicit", "sorted"]
        if not any(s.first("superlative") or s.first("superlative_attribute") or s.first("ranking")
                   for s in state.spans) and not SAID_DESCENDING.search(state.question):
            f.direction = "asc"  # "show them sorted by price": lowest first unless said, as asked alone
    if figures:
        trial = copy.deepcopy(f)
        trial.notes.append("zero_included")
        try:
            if state.p.planner.zero_entity(trial) is not None:
                f = trial
        except NotUnderstood:
            pass
    try:
        state.p.planner.plan(f)
    except NotUnderstood:
        return None
    if opening is not None and listing:
        opening.used = True
    back = pointing_back(state.layer)
    for s in state.spans:
        if s.text in back or s.text in ("with", "me", "and", "sorted", "sort", "by", "order", "ordered"):
            s.used = True
    if ones:
        for k, s in enumerate(spans):
            if s.has("entity", new.subject) and (j := after_preposition(k)) is not None:
                s.used = spans[j].used = True
    return f


def column_of_each_listed(state: _State, context: QueryForm) -> QueryForm | None:
    """"what's the status of each" after yesterday's orders listed: a field of each listed row ("of each" with no
    noun of its own, the previous rows), shown beside it, the same rows (was: the orders counted per status, a silent
    wrong). Only a field of the listed things' own table or of a thing each row has one of (an order's shipment); a
    figure or another grouping is left to the rest."""
    new, layer = state.form, state.layer
    table = layer.entities.get(context.subject or "", {}).get("table")
    if context.kind != "list" or not table or context.lookup or len(new.dimensions) != 1 or new.measures \
            or new.grain or new.filters or new.predicates or new.order_by or new.limit or new.derived \
            or state.periods or state.ids or not each_alone(state):
        return None
    column = str(layer.dimensions.get(new.dimensions[0], {}).get("column", ""))
    owner = next((n for n, e in layer.entities.items() if e.get("table") == column.split(".")[0]), None)
    if column.split(".")[0] != table and (owner is None or not one_each(state, owner, context.subject or "")
                                          and not one_each(state, context.subject or "", owner)):
        return None  # (a field of things each listed row has several of is no column of the row)
    f = copy.deepcopy(context)
    f.show += [column] if column not in f.show else []
    try:
        state.p.planner.plan(f)
    except NotUnderstood:
        return None
    for s in state.spans:
        if s.text in ("each", "for each", "of", "what", "what's", "is", "was", "the", "show", "me", "list") \
                or s.has("dimension", new.dimensions[0]):
            s.used = True
    return f


# "what products does that brand have?", "list its products", "which products are in that category?"
OF_THE_GROUP = frozenset({"which", "what", "list", "show", "me", "the", "all", "does", "do", "did", "have", "has",
                          "are", "is", "in", "of", "that", "this", "it", "its", "their", "they", "them", "those",
                          "these", "belong", "belongs", "to", "under", "from"})


def things_of_the_ranked_group(state: _State, context: QueryForm) -> QueryForm | None:
    """"what products does that brand have?" after the brand that sold the fewest units, "list its products" after
    the category with the most revenue: every thing of the kind named that the group ranked holds, each once (the
    group is a column of that thing's own table; the ranking kept as it was answered, ``within``, not its figure's
    conditions: the brand's products, not only the ones it sold). Was: refused, nothing changed."""
    new, layer = state.form, state.layer
    if not (context.kind == "aggregate" and len(context.dimensions) == 1 and context.limit and not context.offset
            and context.order_by in context.measures) or context.within or context.grain or context.compare \
            or context.derived or context.per_group or context.lookup:
        return None
    dim = context.dimensions[0]
    if new.measures or new.dimensions not in ([], [dim]) or new.grain or new.order_by or new.limit or new.derived \
            or new.filters or new.predicates or new.show or state.periods or state.ids:
        return None  # ("that brand" reads as its grouping too)
    named = {str(s.arg("entity")) for s in state.spans if s.first("entity") is not None}
    if len(named) != 1:
        return None
    listed = named.pop()
    table = layer.entities.get(listed, {}).get("table")
    if not table or str(layer.dimensions.get(dim, {}).get("column", "")).split(".")[0] != table \
            or layer.dimensions.get(dim, {}).get("entity") == listed:
        return None
    group_words = {s.text for s in state.spans if s.has("dimension", dim) and not state.values_of(s)}
    words = [s.text for s in state.spans]
    pointer = any(w in ("it", "its", "they", "their", "them", "those", "these") for w in words) or any(
        a in ("that", "this", "those", "these") and b in group_words for a, b in zip(words, words[1:], strict=False))
    if not pointer or not words[:1] or words[0] not in ("which", "what", "list", "show") \
            or not _explained(state, OF_THE_GROUP | group_words | {s.text for s in state.spans
                                                                   if s.has("entity", listed)}):
        return None
    ranking = copy.deepcopy(context)
    for s in state.spans:
        s.used = True
    return QueryForm(kind="list", subject=listed, within=ranking.to_dict())


# Tried in this order by ``_State._merge``; the first entry that returns a form wins.
# "as a percent", "in percentages please": the words a follow-up asking the previous figure on a 0-100 scale says
# beside a word of percent (layer percent_words)
PERCENT_ASKED = frozenset({"as", "in", "a", "an", "instead", "please", "then", "now", "and", "show", "give", "me",
                           "it", "that", "them", "those", "ok", "okay"})


def figure_in_percent(state: _State, context: QueryForm) -> QueryForm | None:
    """"as a percent" after the margin of a product: the same figure on a 0-100 scale, the measure's own percent
    variant (layer measure ``in_pct``; was: the product's share of all products' margin, a silent wrong, or refused
    after the margin per category)."""
    percent = {str(w) for w in state.layer.grammar.get("percent_words", [])}
    percent |= {f"{w}s" for w in percent if w.isalpha()}
    words = [s.text for s in state.spans]
    if not words or not percent & set(words) or not all(w in percent or w in PERCENT_ASKED for w in words):
        return None
    variants = [state.layer.measures.get(m, {}).get("in_pct") for m in context.measures]
    if not context.measures or context.derived or not all(variants) or context.kind != "aggregate":
        return None
    f = copy.deepcopy(context)
    swap = dict(zip(context.measures, [str(v) for v in variants], strict=True))
    f.measures = [swap[m] for m in f.measures]
    f.order_by = swap.get(f.order_by or "", f.order_by)
    f.notes = [n for n in f.notes if n.startswith(("contains:", "starts:", "activity:"))]
    for s in state.spans:
        s.used = True
    return f


MERGE_SHAPES: tuple[Shape, ...] = (
    figure_in_percent, relative_to_previous, the_same_days_again, since_their_own_date, held_of_the_named_product,
    number_closing_the_pointer, verbs_around_names, unknown_value,
    each_of_one_figure, that_one_ranked, figure_of_the_one_answered, every_group_of_the_ranked,
    counted_of_the_top_group, the_counted_things_listed, the_counted_things_listed_with, column_of_each_listed,
    things_of_the_ranked_group, about_previous, negate_previous, drop_period, total_of_the_ranked,
    figure_of_each_listed, ranked_in_another_period, column_of_the_ranked, counted_of_the_ranked, change_number,
    count_previous, resort, total_of_previous, best_of_the_top, related_of_previous, the_one_beside,
    other_orders_of_the_customer, the_other_groups,
    share_of_the_things_named, which_one_of_them, ranking_verb_of_the_figure_shown, figure_added_to_a_list,
    total_of_the_counted, condition_within_the_ranked_rows,
)
