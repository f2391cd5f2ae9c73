"""One planner: a ``QueryForm`` becomes SQL, built with sqlglot's expression builder.

Measures, predicates and joins come from the semantic layer (their SQL fragments are
parsed into expressions once); the planner picks the root table, joins what the form
touches along the layer's join graph, applies glossary filters, and refuses combinations
that would double-count (a SUM across a one-to-many join).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

import sqlglot
from sqlglot import exp

from ..errors import NotUnderstood
from .query import Filter, Period, QueryForm, output_name
from .semantic import SemanticLayer

# the stand-in value of a filter on the previous answer's own rows (a form ``within`` a ranked list): planned as
# "among the rows the previous answer listed"
PREVIOUS_ROWS = "\x00previous_rows"

PRODUCT_SIDE = {"products", "order_items", "inventory"}


def _count_distinct(this: exp.Expr) -> exp.Expr:
    return exp.Count(this=exp.Distinct(expressions=[this]))


# "distinct:customers.country": how many different values a column takes (one number, not the values)
ATTRIBUTE_AGGREGATES: dict[str, Callable[..., exp.Expr]] = {
    "sum": exp.Sum, "avg": exp.Avg, "min": exp.Min, "max": exp.Max, "median": exp.Median,
    "ndistinct": _count_distinct}
_COMPARE = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "=": exp.EQ}
DEFAULT_TOP = 10


@lru_cache(maxsize=512)
def _fragment(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="duckdb")


def fragment(sql: str) -> exp.Expr:
    return _fragment(sql).copy()


def tables_of(expression: exp.Expr) -> set[str]:
    """Tables an expression's columns are qualified with (not those of its own subqueries)."""
    out = set()
    for col in expression.find_all(exp.Column):
        if col.table and not any(isinstance(a, exp.Subquery) or isinstance(a, exp.Select)
                                 for a in _ancestors(col, expression)):
            out.add(col.table)
    return out


def _outer_references(expression: exp.Expr) -> set[str]:
    """Tables a subquery of the expression refers to from outside it (a correlated "WHERE i2.product_id =
    products.product_id"): the query around it must join them."""
    out = set()
    for col in expression.find_all(exp.Column):
        selects = [a for a in _ancestors(col, expression) if isinstance(a, exp.Select)]
        if not col.table or not selects:
            continue
        names = {n for sel in selects for t in sel.find_all(exp.Table) for n in (t.name, t.alias) if n}
        if col.table not in names:
            out.add(col.table)
    return out


def _summed_tables(expression: exp.Expr) -> set[str]:
    """Tables whose columns a SUM or AVG of the expression itself adds up (not one in its own subqueries): figures
    that repeated rows change."""
    out: set[str] = set()
    for node in expression.find_all(exp.Sum, exp.Avg):
        if node is expression or not any(isinstance(a, (exp.Subquery, exp.Select)) for a in _ancestors(node, expression)):
            out |= tables_of(node)
    return out


def _ancestors(node: exp.Expr, stop: exp.Expr):
    if node is stop:
        return
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def _lit(value) -> exp.Expr:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def _places_kept(rank: exp.Expr, limit: int, offset: int) -> exp.Condition:
    """The places of a ranking kept in each group: the first ``limit`` after ``offset`` skipped ("the second best
    seller in each category": place 2 only)."""
    kept: exp.Condition = exp.LTE(this=rank, expression=exp.Literal.number(limit + offset))
    if offset:
        kept = exp.and_(kept, exp.GT(this=rank.copy(), expression=exp.Literal.number(offset)))
    return kept


def _filtered(agg: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """``agg FILTER (WHERE condition)``, the condition added to a filter the aggregate already has (the
    revenue's glossary filter beside a count of orders of any status)."""
    if isinstance(agg, exp.Filter):
        return exp.Filter(this=agg.this.copy(), expression=exp.Where(
            this=exp.and_(agg.expression.this.copy(), condition)))
    return exp.Filter(this=agg.copy(), expression=exp.Where(this=condition))


def _each_filtered(agg: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """``agg`` with ``condition`` on each aggregate it holds ("AVG(x) / 86400": the AVG filtered, not the division)."""
    if isinstance(agg, (exp.AggFunc, exp.Filter)):
        return _filtered(agg, condition)
    out = agg.copy()
    inner = [n for n in out.find_all(exp.AggFunc, exp.Filter)
             if not any(isinstance(a, (exp.AggFunc, exp.Filter)) for a in _ancestors(n, out))]
    for node in inner:
        node.replace(_filtered(node, condition.copy()))
    return out


def _percent(part: exp.Expr, whole: exp.Expr, scale: float = 100.0) -> exp.Expr:
    """scale * part / whole, NULL (not an error) when the whole is 0; unrounded (the prose rounds)."""
    return exp.Div(this=exp.Mul(this=exp.Literal.number(scale), expression=part),
                   expression=exp.func("NULLIF", whole, exp.Literal.number(0)))


def periods_in(period: Period, grain: str) -> int | None:
    """How many whole months / quarters / years ``period`` spans, or None when it starts or ends inside one."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(grain)
    start, end = period.start_date, period.end_date
    if months is None or start.day != 1 or (start.month - 1) % months:
        return None
    after = end + timedelta(days=1)
    if after.day != 1 or (after.month - 1) % months:
        return None
    span = (after.year - start.year) * 12 + after.month - start.month
    return span // months if span > 0 else None


def share_scale(derived: dict) -> tuple[float, str]:
    """A share's multiplier and column suffix: 0-100 "_share_pct" when the question said percent, else a
    0-1 "_share" fraction (the layer's grammar.share_scale_note); growth keeps its own percent."""
    return (100.0, "_share_pct") if derived.get("scale", "fraction") == "percent" else (1.0, "_share")


def period_labels(first: str, second: str) -> tuple[str, str]:
    """Two periods side by side are labelled by what tells them apart: "Q1" and "Q2" when both
    are of 2026 ("Q1 vs Q2 2026"); the full labels otherwise."""
    a, b = first.rsplit(" ", 1), second.rsplit(" ", 1)
    if len(a) == len(b) == 2 and a[1] == b[1] and a[1].isdigit() and a[0] != b[0] and " " not in a[0] + b[0]:
        return a[0], b[0]
    return first, second


def predicate_label(layer: SemanticLayer, name: str) -> str:
    negate = name.startswith("not_") and name not in layer.predicates
    return ("not " if negate else "") + layer.predicates[name[4:] if negate else name]["label"]


def _date(value: str) -> exp.Expr:
    return exp.cast(exp.Literal.string(value), exp.DataType.build("DATE"))


class Planner:
    def __init__(self, layer: SemanticLayer | None = None) -> None:
        self.layer = layer or SemanticLayer.load()
        self._edges: dict[str, list[tuple[str, exp.Expr, bool]]] = {}
        for join in self.layer.joins:
            left, right = join["left"].split(".")[0], join["right"].split(".")[0]
            on = exp.EQ(this=fragment(join["left"]), expression=fragment(join["right"]))
            fans_out = join.get("cardinality") != "one_to_one"
            self._edges.setdefault(left, []).append((right, on, False))     # many -> one: safe
            self._edges.setdefault(right, []).append((left, on, fans_out))  # one -> many: rows multiply

    # ----- names
    def is_measure(self, name: str | None) -> bool:
        if not name:
            return False
        return (name in self.layer.measures or name == "count" or name.startswith("count:")
                or name.split(":")[0] in ATTRIBUTE_AGGREGATES)

    def field_sql(self, name: str) -> exp.Expr:
        if name in self.layer.dimensions:
            return fragment(self.layer.dimensions[name]["column"])
        if "." in name:
            return fragment(name)
        raise NotUnderstood(f"{name!r} is not a field of the retail lake")

    def measure_sql(self, form: QueryForm, name: str, *, line: bool) -> tuple[exp.Expr, exp.Expr | None]:
        """The measure's aggregate and its glossary filter."""
        if name == "count" or name.startswith("count:"):
            entity = name.split(":")[1] if ":" in name else (form.subject or "orders")
            return fragment(self.layer.counts[entity]), None
        if name.split(":")[0] in ATTRIBUTE_AGGREGATES:  # "sum:orders.total_amount", "max:delivery_time"
            fn, attr = name.split(":", 1)
            spec = self.layer.measures.get(attr)
            if spec and spec.get("row_sql"):  # the longest delivery: an aggregate of the per-row value
                seconds = spec["units"][form.unit or spec["unit"]]
                per_row = ATTRIBUTE_AGGREGATES[fn](this=fragment(spec["row_sql"]))
                return exp.Div(this=per_row, expression=exp.Literal.number(seconds)), (
                    fragment(spec["filter"]) if spec.get("filter") else None)
            return ATTRIBUTE_AGGREGATES[fn](this=fragment(attr)), None
        m = self.layer.measures[name]
        sql = m["line_sql"] if (line or not m.get("sql")) and m.get("line_sql") else m["sql"]
        agg: exp.Expr = fragment(sql)
        if m.get("units"):  # a duration, kept in seconds: shown in the unit asked for
            seconds = m["units"][form.unit or m["unit"]]
            agg = exp.Div(this=agg, expression=exp.Literal.number(seconds))
        if m.get("scale"):
            agg = exp.Mul(this=agg, expression=exp.Literal.number(m["scale"]))
        if not m.get("filter") and m.get("sold_filter") and "activity:sales" in form.notes:
            # "average discount of sold lines": selling names the glossary's sales (orders not cancelled or returned)
            return agg, fragment(m["sold_filter"])
        return agg, fragment(m["filter"]) if m.get("filter") else None

    def predicate_sql(self, name: str, entity: str | None, form: QueryForm | None = None) -> exp.Expr:
        negate = name.startswith("not_") and name not in self.layer.predicates
        key = name[4:] if negate else name
        p = self.layer.predicates[key]
        scope = p.get("scoped_by")
        each = next((f for f in form.filters if f.field == scope and f.op == "all of"), None) \
            if scope and form is not None else None
        if each is not None and form is not None:
            # "out of stock in both Vantaa and Drammen": the condition holds in each place named, one test per place
            # (was: a crash on the "all of" place filter); "not ... in both" could mean in neither or not in both
            if negate:
                raise NotUnderstood(f"I cannot tell whether 'not' is said of each {scope} or of them all",
                                    hint=f"say 'in neither' or 'not in every {scope}'")
            return exp.and_(*[self.predicate_sql(name, entity, replace(form, filters=[
                replace(f, op="=", values=[v]) if f is each else f for f in form.filters])) for v in each.values])
        sql = (p.get("by_entity") or {}).get(entity or "", p["sql"])
        cond = fragment(sql)
        if p.get("period_inside") and form is not None and form.period and \
                form.period_field in (None, "orders.order_date"):
            # "customers who have not ordered this year": the period belongs to the orders inside
            inner = cond.find(exp.Select)
            if inner is not None:
                inner.where(exp.Between(this=fragment(p["period_inside"]), low=_date(form.period.start),
                                        high=_date(form.period.end)), copy=False)
        if p.get("period_before") and form is not None and form.period and \
                form.period_field in (None, "orders.order_date"):
            # "haven't ordered since January but did order before": an order dated before the period
            inner = cond.find(exp.Select)
            if inner is not None:
                inner.where(exp.LT(this=fragment(p["period_before"]), expression=_date(form.period.start)), copy=False)
        if p.get("period_compare") and form is not None and form.compare_period:
            # "ordered in 2025 but nothing this year": an order dated in the earlier period
            inner = cond.find(exp.Select)
            if inner is not None:
                inner.where(exp.Between(this=fragment(p["period_compare"]), low=_date(form.compare_period.start),
                                        high=_date(form.compare_period.end)), copy=False)
        if key == "never_ordered" and form is not None and "lapsed_sales" in form.notes and \
                not self.lapsed_lines(form):
            # "spent over 2000 in 2025 but have bought nothing since May": no purchase (an order that counts as a
            # sale: the revenue glossary) in the later period
            inner = cond.find(exp.Select)
            if inner is not None:
                inner.where(self._sale_condition_on("x"), copy=False)
        if key in ("never_ordered", "ordered_in_earlier") and form is not None and (lines := self.lapsed_lines(form)):
            # "bought Tools in 2025 but no Tools in 2026": both tests are of purchases (orders that count as a sale:
            # the revenue glossary) with a line of the products named, not of any order
            inner = cond.find(exp.Select)
            if inner is not None:
                inner.join("order_items AS xi", on="xi.order_id = x.order_id", copy=False)
                inner.join("products AS xp", on="xp.product_id = xi.product_id", copy=False)
                inner.where(self._sale_condition_on("x"), copy=False)
                for f in lines:
                    col = self.field_sql(f.field)
                    col.set("table", exp.to_identifier("xp"))
                    inner.where(col.isin(*(_lit(v) for v in f.values)), copy=False)
        scope = p.get("scoped_by")
        if scope and form is not None:
            # "out of stock in Vantaa": the stock of that warehouse, not of all warehouses
            narrowing = [self.filter_sql(f) for f in form.filters if f.field == scope]
            if f"receiver_scope:{key}" in form.notes:
                # "the most stock of products out of stock in Vantaa, to transfer": the state is the receiver's
                # (the warehouse named), the warehouses ranked are the others
                narrowing = [self.filter_sql(replace(f, op="in")) for f in form.filters
                             if f.field == scope and f.op == "not in"]
            if f"others:{key}" in form.notes and narrowing:
                # "out of stock in Vantaa but available in some other warehouse": the other warehouses together
                narrowing = [exp.Not(this=exp.Paren(this=exp.and_(*narrowing)))]
            inner = cond.find(exp.Select)
            if narrowing and inner is not None:
                inner.where(exp.and_(*narrowing), copy=False)
                if f"each:{scope}" in form.notes:
                    # "out of stock in any warehouse but Vantaa": held in some one of the others
                    inner.group_by(self.field_sql(scope), copy=False)
            elif inner is not None and isinstance(cond, exp.In) and f"ours:{key}" not in form.notes and (
                    scope in form.dimensions or self.layer.dimensions.get(scope, {}).get("column") in form.show or (
                    self.layer.entities.get(form.subject or "", {}).get("table") in tables_of(self.field_sql(scope))) or
                    # "products out of stock in at least two warehouses": the places where it holds are counted
                    any(f.field == f"ndistinct:{self.layer.dimensions.get(scope, {}).get('column')}" for f in form.filters)):
                # "which warehouse has the most products below their reorder level": the condition
                # holds per product in each warehouse, so it is tested per (product, warehouse); so is it of
                # stock records counted ("positions with zero units on hand"), each one a product in a warehouse, and
                # of products listed with their warehouse (the warehouses where they are below it)
                column = self.field_sql(scope)
                inner.select(column.copy(), copy=False)
                inner.group_by(column.copy(), copy=False)
                cond = exp.In(this=exp.Tuple(expressions=[cond.this.copy(), column.copy()]), query=cond.args["query"])
            elif f"each:{scope}" in form.notes and inner is not None:
                # "zero qty in at least one warehouse": held in some one warehouse
                inner.group_by(self.field_sql(scope), copy=False)
        if negate and p.get("decidable"):
            # "not late": delivered, and not late (a parcel still on the way is not yet on time)
            return exp.and_(fragment(p["decidable"]), exp.Not(this=exp.Paren(this=cond)))
        return exp.Not(this=exp.Paren(this=cond)) if negate else cond

    def _place_condition(self, condition: dict, alias: str, dim: str) -> exp.Select:
        """(thing, place) pairs whose own figure holds the condition: the layer's predicate or bound, its sums
        taken over the rows of one place (the stock records of one product in one warehouse)."""
        if condition.get("predicate"):
            having = fragment(self.layer.predicates[condition["predicate"]]["sql"]).find(exp.Having)
            if having is None:
                raise NotUnderstood(f"I cannot test {condition['predicate']} in one {dim}")
            test = having.this.copy()
        else:
            figure = fragment(self.layer.measures[condition["measure"]]["sql"])
            values = [_lit(v) for v in condition["values"]]
            op = condition["op"]
            test = exp.Between(this=figure, low=values[0], high=values[-1]) if op == "between" else \
                _COMPARE[op](this=figure, expression=values[0])
        table, name = str(self.layer.dimensions[dim]["column"]).split(".")
        for col in test.find_all(exp.Column):
            if col.table == table:
                col.set("table", exp.to_identifier(alias))
        key = f"{alias}.product_id"
        place = exp.column(name, table=alias)
        select = exp.select(fragment(key), place.copy()).from_(exp.alias_(exp.to_table(table), alias, table=True))
        if condition.get("value"):
            select = select.where(place.copy().eq(_lit(condition["value"])))
        return select.group_by(fragment(key), place.copy()).having(test)

    def _scoped_conditions(self, form: QueryForm) -> exp.Select:
        """"out of stock in Vantaa but over 50 units in Kuopio": each condition on its own place's figure; "in one
        warehouse ... in another": on two different places of the same product; "in Vantaa ... in some other
        warehouse": the second on a place other than the one named."""
        spec = form.derived or {}
        dim, (first, second) = spec["dimension"], spec["conditions"]
        a, b = self._place_condition(first, "a", dim), self._place_condition(second, "b", dim)
        product = fragment("products.product_id")
        table, name = str(self.layer.dimensions[dim]["column"]).split(".")
        place_a, place_b = exp.column(name, table="x"), exp.column(name, table="y")
        if second["place"] == "other" and first.get("value"):
            # "some other warehouse": any place but the one named
            b = b.where(exp.column(place_b.name, table="b").neq(_lit(first["value"])))
        if first.get("value") and (second.get("value") or second["place"] == "other"):
            conds: list[exp.Expr] = [
                product.copy().isin(exp.select(fragment("x.product_id")).from_(exp.alias_(exp.Subquery(this=a), "x"))),
                product.copy().isin(exp.select(fragment("y.product_id")).from_(exp.alias_(exp.Subquery(this=b), "y")))]
        else:
            # "in one warehouse ... in another": two different places of the same product
            pairs = exp.select("1").from_(exp.alias_(exp.Subquery(this=a), "x")).join(
                exp.alias_(exp.Subquery(this=b), "y"), on=exp.and_(fragment("x.product_id = y.product_id"),
                                                                   place_a.neq(place_b))).where(
                fragment("x.product_id = products.product_id"))
            conds = [exp.Exists(this=pairs)]
        select = exp.select(exp.alias_(fragment("products.name"), "product")).from_("products")
        for condition in (first, second):
            if condition.get("value"):
                # the named place's own figure beside each product
                stock = fragment(self.layer.measures["stock"]["sql"])
                for col in stock.find_all(exp.Column):
                    col.set("table", exp.to_identifier("s"))
                figure = exp.select(exp.func("COALESCE", stock, _lit(0))).from_(
                    exp.alias_(exp.to_table(table), "s", table=True)).where(
                    fragment("s.product_id = products.product_id")).where(
                    exp.column(place_a.name, table="s").eq(_lit(condition["value"])))
                select = select.select(exp.alias_(exp.Subquery(this=figure), f"stock_{condition['value'].lower()}"))
        if form.kind == "aggregate":
            # "how many products are ...": the products kept, counted
            return exp.select(exp.alias_(exp.func("COUNT", exp.Star()), "products")).from_("products").where(
                exp.and_(*conds)).limit(1000)
        return select.where(exp.and_(*conds)).order_by("product").limit(1000)

    def lapsed_lines(self, form: QueryForm) -> list[Filter]:
        """The product filters of a lapsed-customers question ("bought Tools in 2025 but none in 2026"): the
        products both periods' purchases are of."""
        if "ordered_in_earlier" not in form.predicates or form.compare_period is None:
            return []
        return [f for f in form.filters if f.op in ("=", "in") and not self.is_measure(f.field)
                and tables_of(self.field_sql(f.field)) == {"products"}]

    def _sale_condition_on(self, alias: str) -> exp.Expr:
        """The revenue glossary's order condition (an order that counts as a sale), on the orders aliased ``alias``
        of a subquery."""
        valid = fragment(self.layer.measures["revenue"]["filter"])
        for c in valid.find_all(exp.Column):
            if c.table == "orders":
                c.set("table", exp.to_identifier(alias))
        return valid

    def _not_bought_by(self, col: exp.Expr, vals: list[exp.Expr]) -> exp.Expr:
        """"which of our 10 best sellers has customer 36 never bought": a product none of the customer's purchases
        (orders that count as a sale: the revenue glossary), at any time, has a line of."""
        inner = col.copy()
        inner.set("table", exp.to_identifier("xc"))
        valid = self._sale_condition_on("x")
        return exp.Not(this=exp.Exists(this=exp.select("1").from_("orders AS x")
                                       .join("order_items AS xi", on="xi.order_id = x.order_id")
                                       .join("customers AS xc", on="xc.customer_id = x.customer_id")
                                       .where(fragment("xi.product_id = products.product_id")).where(valid)
                                       .where(inner.isin(*vals))))

    def filter_sql(self, f: Filter) -> exp.Expr:
        col = self.field_sql(f.field)
        vals = [_lit(v) for v in f.values]
        if f.field.endswith(("_date", "_at")) and f.op in ("<", "<=", ">", ">=", "between"):
            vals = [_date(str(v)) for v in f.values]
            col = exp.cast(col, exp.DataType.build("DATE"))
        op = f.op
        if op in ("=", "in"):
            return col.eq(vals[0]) if len(vals) == 1 else col.isin(*vals)
        if op == "not in":
            return exp.Not(this=col.isin(*vals)) if len(vals) > 1 else col.neq(vals[0])
        if op == "never in":
            # "customers who never ordered online": no order of theirs has the value (not: some order lacks it)
            inner = col.copy()
            inner.set("table", exp.to_identifier("x"))
            return exp.Not(this=exp.Exists(this=exp.select("1").from_("orders AS x").where(
                fragment("x.customer_id = customers.customer_id")).where(inner.isin(*vals))))
        if op in ("bought in", "never bought in"):
            # "customers who bought Tools but never anything from Garden": whether any purchase of theirs (an
            # order that counts as a sale: the revenue glossary) has a line of the value; the same test both ways
            inner = col.copy()
            inner.set("table", exp.to_identifier("xp"))
            valid = self._sale_condition_on("x")
            bought = exp.Exists(this=exp.select("1").from_("orders AS x")
                                .join("order_items AS xi", on="xi.order_id = x.order_id")
                                .join("products AS xp", on="xp.product_id = xi.product_id")
                                .where(fragment("x.customer_id = customers.customer_id")).where(valid)
                                .where(inner.isin(*vals)))
            return bought if op == "bought in" else exp.Not(this=bought)
        if op == "not bought by":
            return self._not_bought_by(col, vals)
        if op == "no line in":
            # "orders with Makita products but no Bosch products": no line of the order has the value (not: some
            # line lacks it)
            inner = col.copy()
            inner.set("table", exp.to_identifier("xp"))
            return exp.Not(this=exp.Exists(this=exp.select("1").from_("order_items AS xi")
                                           .join("products AS xp", on="xp.product_id = xi.product_id")
                                           .where(fragment("xi.order_id = orders.order_id")).where(inner.isin(*vals))))
        if op == "latest in":
            # "customers whose most recent order was cancelled": their latest order (date, then id) has the value
            inner = col.copy()
            inner.set("table", exp.to_identifier("x"))
            later = fragment("EXISTS (SELECT 1 FROM orders AS y WHERE y.customer_id = x.customer_id AND "
                             "(y.order_date > x.order_date OR (y.order_date = x.order_date AND y.order_id > x.order_id)))")
            return exp.Exists(this=exp.select("1").from_("orders AS x").where(
                fragment("x.customer_id = customers.customer_id")).where(inner.isin(*vals)).where(exp.Not(this=later)))
        if op == "between":
            return exp.Between(this=col, low=vals[0], high=vals[1])
        if op == "is null":
            return col.is_(exp.null())
        if op == "is not null":
            return exp.Not(this=col.is_(exp.null()))
        if op == "contains any":  # "lawn mowers and garden hoses in stock": a product of either kind
            return exp.or_(*[exp.ILike(this=col.copy(), expression=exp.Literal.string(f"%{v}%")) for v in f.values])
        if op in ("contains", "not contains"):
            like = exp.ILike(this=col, expression=exp.Literal.string(f"%{f.values[0]}%"))
            return like if op == "contains" else exp.Not(this=like)
        if op == "starts with":
            return exp.ILike(this=col, expression=exp.Literal.string(f"{f.values[0]}%"))
        return _COMPARE[op](this=col, expression=vals[0])

    def _period_names(self, both: tuple) -> tuple[list[str], bool]:
        """Two compared periods' names: their years when both are whole, different years (True), else their labels."""
        if all(p.start[5:] == "01-01" and p.start_date.year == p.end_date.year for p in both) \
                and both[0].start_date.year != both[1].start_date.year:
            return [str(p.start_date.year) for p in both], True
        return list(period_labels(both[0].label, both[1].label)), False

    def _in_either_period(self, form: QueryForm, column: str) -> list[exp.Expr]:
        """The form's conditions with its two compared periods in place of its one period."""
        assert form.period is not None and form.compare_period is not None
        conds = self._conditions(form, form.subject, with_period=False)
        conds.append(exp.paren(exp.or_(self.period_sql(column, form.period.start, form.period.end),
                                       self.period_sql(column, form.compare_period.start, form.compare_period.end))))
        return conds

    def period_sql(self, column: str, start: str, end: str) -> exp.Expr:
        col = fragment(column)
        if self.layer.column(column)["type"] == "TIMESTAMP":
            col = exp.cast(col, exp.DataType.build("DATE"))
        return exp.Between(this=col, low=_date(start), high=_date(end))

    # ----- joins
    def _paths_from(self, root: str) -> dict[str, tuple[str, exp.Expr, bool] | None]:
        """Breadth-first over the layer's joins from the root: each reachable table's previous table, the join's ON
        and whether the join fans out (one-to-many); the shortest path, stable in the layer's order."""
        prev: dict[str, tuple[str, exp.Expr, bool] | None] = {root: None}
        queue = deque([root])
        while queue:
            t = queue.popleft()
            for other, on, fans in self._edges.get(t, []):
                if other not in prev:
                    prev[other] = (t, on, fans)
                    queue.append(other)
        return prev

    @staticmethod
    def _path_to(prev: dict[str, tuple[str, exp.Expr, bool] | None], table: str) -> list[tuple[str, exp.Expr, bool]]:
        """The joins from the root to the table, root side first (as ``(table, on, fans)``)."""
        path = []
        t = table
        while (step := prev.get(t)) is not None:
            frm, on, fans = step
            path.append((t, on, fans))
            t = frm
        return path[::-1]

    def _joins(self, root: str, needed: set[str], *, distinct_ok: bool) -> list[tuple[str, exp.Expr]]:
        """Paths from the root to every needed table (shortest, stable)."""
        prev = self._paths_from(root)
        order: list[tuple[str, exp.Expr]] = []
        seen = {root}
        for table in sorted(needed - {root}):
            for t, on, fans in self._path_to(prev, table):
                if t in seen:
                    continue
                if fans and not distinct_ok:
                    raise NotUnderstood(f"combining these would count {root} more than once (through {t})",
                                        hint="ask for the measure and the filter separately")
                seen.add(t)
                order.append((t, on.copy()))
        return order

    def _from(self, select: exp.Select, root: str, parts: list[exp.Expr], distinct_ok: bool,
              outer: bool = False, root_summed: bool = False) -> exp.Select:
        needed = set()
        for part in parts:
            # ("total stock of products that never sold": the condition's subquery refers to the products)
            needed |= tables_of(part) | (_outer_references(part) & set(self.layer.tables))
        summed = set().union(*(_summed_tables(part) for part in parts)) if parts else set()
        if distinct_ok and self._fans_into_two_branches(root, summed, root_summed):
            # "products holding over 300 units that sold under 15 units": the stock records and the order lines
            # of a product both multiply its row; joined together, each sum counts the other's rows as often as
            # there are of them (was: the stock summed once per order line)
            raise NotUnderstood(f"combining these would count the rows of {root} more than once (its rows in two "
                                "other tables multiply each other)",
                                hint="ask for the figures or conditions separately")
        select = select.from_(root)
        for table, on in self._joins(root, needed | {root}, distinct_ok=distinct_ok):
            # an order not yet shipped still has a status: shown columns join outer
            select = select.join(table, on=on, join_type="left" if outer else None)
        return select

    def _fans_into_two_branches(self, root: str, needed: set[str], root_summed: bool = False) -> bool:
        """Two needed tables each reached from the root through a one-to-many join of its own branch (a product's
        stock records and its order lines): their rows multiply each other; with ``root_summed`` (one total over the
        things a condition picked, no grouping), also the root's own rows summed beside one such table."""
        prev = self._paths_from(root)
        branches = set()
        for table in needed - {root}:
            first_fan = next((t for t, _on, fans in self._path_to(prev, table) if fans), None)
            if first_fan is not None:
                branches.add(first_fan)
        # ("total stock and units sold of products that sold under 30 units": the root's own rows summed beside a
        # table reached through a one-to-many join: each root row counted once per row of it)
        return len(branches) > 1 or root_summed and root in needed and bool(branches)

    # ----- the form
    def plan(self, form: QueryForm) -> exp.Select:
        if any(n.startswith("every_period:") for n in form.notes) and (
                form.kind != "aggregate" or form.within or form.derived or form.compare or form.compare_period
                or form.limit or form.order_by or form.lookup):
            # "an order in every quarter" is tested only where the customers are counted (_every_period)
            raise NotUnderstood("I can count the customers with an order in every period, but not list or rank them",
                                field="question", hint="e.g. 'how many customers ordered in each of the four "
                                "quarters of 2025'")
        if (form.derived or {}).get("kind") == "scoped_conditions":
            return self._scoped_conditions(form)
        if form.offset and (form.within or form.kind not in ("list", "aggregate") or (form.derived or {}).get("together")):
            # only a plain ranking skips its first places; elsewhere "second" would be read as the first
            raise NotUnderstood("I can name the second or third of a ranking only in a plain ranked list",
                                field="question", hint="e.g. 'the second best selling category in 2025'")
        if form.within:
            return self._within(form)
        if form.kind == "list":
            select = self._list(form)
        elif form.kind == "bought_together":
            select = self._bought_together(form)
        elif form.kind == "recommend_customer":
            select = self._recommend(form)
        elif form.kind == "not_bought":
            select = self._not_bought(form)
        else:
            select = self._aggregate(form)
        return self._as_of_day(self._aliased(select), form)

    @staticmethod
    def _as_of_day(select: exp.Select, form: QueryForm) -> exp.Select:
        """A measure counted up to the as-of day (an age) says AS_OF_DAY() in the layer; the day is the form's."""
        marks = [n for n in select.find_all(exp.Anonymous) if str(n.name).upper() == "AS_OF_DAY"]
        if not marks:
            return select
        if not form.as_of:
            raise NotUnderstood("I could not tell which day to count up to")
        for node in marks:
            node.replace(_date(form.as_of))
        return select

    def _within(self, form: QueryForm) -> exp.Select:
        """The rows of ``form`` whose group is among the previous top N (``form.within``): the top N is
        computed as it was answered, then the new condition keeps some of them."""
        ranking = QueryForm.from_dict(form.within)
        assert ranking is not None
        if ranking.kind == "list":
            # "what was in it?" after the biggest order: the key of the rows listed as answered, and the form's
            # filter on that key (a stand-in value) made "among them"
            entity = self.layer.entities[ranking.subject or "orders"]
            key = str(entity["key"])
            rows = exp.select(exp.column(key)).from_(self.plan(ranking).subquery("previous_rows"))
            outer = self.plan(replace(form, within=None))
            stand_in = next(node for node in outer.find_all(exp.EQ)
                            if isinstance(node.expression, exp.Literal) and node.expression.this == PREVIOUS_ROWS)
            stand_in.replace(stand_in.this.copy().isin(query=rows))
            return self._aliased(outer)
        assert len(ranking.dimensions) == 1 or ranking.kind == "bought_together"
        dim = ranking.dimensions[0] if ranking.dimensions else "product"  # the products bought together
        ranked = self.plan(ranking)
        held_key = self._ranked_key(ranking, ranked, dim)
        top = exp.select(exp.column("previous_key" if held_key else dim)).from_(ranked.subquery("previous_top"))
        # planned with a stand-in filter on the dimension (so its table is joined), then the stand-in is
        # replaced by "in the previous top"
        marker = "\x00previous_top"
        outer = self.plan(replace(form, within=None, filters=[*form.filters, Filter(dim, "=", [marker])]))
        # (every stand-in: a condition planned per group reads the group again inside its own subquery, as
        # "products below their reorder level" in one warehouse does)
        stand_ins = [node for node in outer.find_all(exp.EQ)
                     if isinstance(node.expression, exp.Literal) and node.expression.this == marker]
        for stand_in in stand_ins:
            # people share names: the ranked customers or products are matched on their key, not their name
            held = exp.column(held_key, table=stand_in.this.table) if held_key else stand_in.this.copy()
            stand_in.replace(held.isin(query=top.copy()))
        return self._aliased(outer)

    def _ranked_key(self, ranking: QueryForm, ranked: exp.Select, dim: str) -> str | None:
        """The key of the ranked thing ("customer": customer_id), selected beside its name as previous_key when
        the ranking groups by it (then the top N is held by key); None when the dimension is no thing's name."""
        entity = self.layer.dimensions.get(dim, {}).get("entity")
        if not entity or ranking.kind != "aggregate":
            return None
        spec = self.layer.entities[entity]
        alias = self.layer.tables[spec["table"]]["alias"]
        grouped = ranked.args.get("group")
        column = exp.column(str(spec["key"]), table=alias)
        if grouped is None or not any(e == column for e in grouped.expressions):
            return None
        ranked.select(exp.alias_(column.copy(), "previous_key"), copy=False)
        return str(spec["key"])

    def _aliased(self, select: exp.Select) -> exp.Select:
        """Lake tables by their layer alias (orders AS o, o.status): the SQL people read and approve.
        The layer's fragments name tables in full; a subquery's own table shadows the outer one,
        as the full names did."""
        aliases = {t: spec["alias"] for t, spec in self.layer.tables.items()}
        for table in select.find_all(exp.Table):
            if table.name in aliases and not table.alias:
                table.set("alias", exp.TableAlias(this=exp.to_identifier(aliases[table.name])))
        for column in select.find_all(exp.Column):
            if column.table in aliases:
                column.set("table", exp.to_identifier(aliases[column.table]))
        return select

    def _row_level(self, form: QueryForm, f: Filter) -> bool:
        """A duration filter on rows ("deliveries that took more than 48 hours"), unless that
        measure is what each group computes (then it is a HAVING on the average)."""
        spec = self.layer.measures.get(f.field, {})
        return bool(spec.get("row_sql")) and f.field not in form.measures

    def _value_in_seconds(self, f: Filter, value) -> exp.Expr:
        spec = self.layer.measures[f.field]
        return exp.Literal.number(float(value) * spec["units"][f.unit or spec["unit"]])

    def _row_condition(self, f: Filter) -> exp.Expr:
        """A measure's per-row value against the filter ("took more than 48 hours")."""
        row = fragment(self.layer.measures[f.field]["row_sql"])
        values = [self._value_in_seconds(f, v) for v in f.values]
        return (exp.Between(this=row, low=values[0], high=values[1]) if f.op == "between" else
                _COMPARE[f.op](this=row, expression=values[0]))

    def _conditions(self, form: QueryForm, entity: str | None, *, with_period: bool = True) -> list[exp.Expr]:
        conds = [self._all_of(form, f) if f.op == "all of" else self._only_of(form, f) if f.op == "only of"
                 else self._all_contain(form, f) if f.op == "contains all" else self.filter_sql(f)
                 for f in form.filters if not self.is_measure(f.field)]
        conds += [self._row_condition(f) for f in form.filters if self.is_measure(f.field) and self._row_level(form, f)]
        conds += [self.predicate_sql(p, entity, form) for p in form.predicates]
        if "every_line" in form.notes:
            # "orders with a discount of at least 10% on every line": the conditions on the lines hold on each line of
            # the order (an order is kept when all of its lines meet them), not on some one line
            lines = [c for c in conds if tables_of(c) == {"order_items"}]
            if lines:
                conds = [c for c in conds if c not in lines]
                conds.append(self._entities_having("orders", [exp.func("BOOL_AND", exp.and_(*[c.copy() for c in lines]))],
                                                   []))
        if "some_line" in form.notes:
            # "revenue from orders that had at least one discounted line": an order is kept when some line of it
            # meets the conditions on the lines, and then summed whole (not only that line)
            lines = [c for c in conds if tables_of(c) == {"order_items"}]
            if lines:
                conds = [c for c in conds if c not in lines]
                conds.append(self._entities_having("orders", [exp.func("BOOL_OR", exp.and_(*[c.copy() for c in lines]))],
                                                   []))
        inside = any(self.layer.predicates.get(p, {}).get("period_inside") for p in form.predicates) and \
            form.period_field in (None, "orders.order_date")
        # "orders per customer in 2025, customers who ordered at least once": the orders measured are in
        # the period too, not only the orders the condition looks for
        of_orders = any(m == "count:orders" or (m == "count" and form.subject == "orders")
                        or self.layer.measures.get(m, {}).get("entity") == "orders" for m in form.measures)
        if inside and of_orders and all(self.layer.predicates.get(p, {}).get("period_also_measured")
                                        for p in form.predicates if self.layer.predicates.get(p, {}).get("period_inside")):
            inside = False
        if form.period and with_period and not inside:
            column = form.period_field or self._default_period_field(form, form.measures or ["count"])
            conds.append(self.period_sql(column, form.period.start, form.period.end))
        figures = [*form.measures, *form.show, form.order_by or "", *(f.field for f in form.filters)]
        if "ordered_in_earlier" in form.predicates and form.compare_period and with_period and any(
                self.is_measure(m) for m in figures if m):
            # "customers who placed more than 5 orders in 2025 but none in 2026": the figures are of the earlier
            # period, the one they ordered in (the later one has no orders by the condition)
            conds.append(self.period_sql("orders.order_date", form.compare_period.start, form.compare_period.end))
        return conds

    def _having(self, form: QueryForm, line: bool, dates: bool | None = None, *,
                per_row: dict[str, exp.Expr] | None = None, zero: list[exp.Expr] | None = None,
                own: str | None = None) -> list[exp.Expr]:
        """The conditions on measures (HAVING); ``dates`` True: only those on a date measure (a last or first
        order date), False: only the others, None: all. ``per_row``: a figure computed per listed row (stock
        beside units sold), compared as it is shown; ``zero``: the conditions on the other rows of a figure that
        is 0 for a thing with none of them (``_zero_table``), ``own`` that thing's table."""
        out: list[exp.Expr] = []
        for f in form.filters:
            dated = self.layer.measures.get(f.field, {}).get("unit") == "date"
            if dates is not None and dated != dates:
                continue
            if self.is_measure(f.field) and not self._row_level(form, f):
                agg, glossary = self.measure_sql(form, f.field, line=line)
                if f.period is not None:
                    # "over 10000 EUR in 2025 but less than 3000 EUR this year": the figure over the bound's own period
                    scope = self.period_sql(form.period_field or self._default_period_field(form, [f.field]),
                                            f.period.start, f.period.end)
                    glossary = exp.and_(glossary.copy(), scope) if glossary is not None else scope
                    if zero is None and not (per_row and f.field in per_row):
                        agg = self._timed_by(agg, [glossary])
                        glossary = None
                each = [n.split(":", 1) for n in form.notes if n.startswith(("every:", "some:"))]
                if each and f.than:
                    raise NotUnderstood("I can compare two figures of a thing only over all its places, not in each one",
                                        hint="ask without the places, e.g. 'products with less stock than units sold'")
                if each and f.op in _COMPARE:
                    # "fewer than 50 units in every warehouse" / "in at least one warehouse": the bound holds on
                    # each record of the places, or on some one of them (only for a figure that sums them)
                    (kind, place), said = each[0], "every" if each[0][0] == "every" else "at least one"
                    places = tables_of(self.field_sql(place))
                    if not (isinstance(agg, exp.Sum) and tables_of(agg.this) == places and glossary is None):
                        raise NotUnderstood(f"I can test only a stock figure in {said} {place}",
                                            hint=f"e.g. 'products with fewer than 50 units in {said} {place}'")
                    out.append(exp.func("BOOL_AND" if kind == "every" else "BOOL_OR",
                                        _COMPARE[f.op](this=agg.this.copy(), expression=_lit(f.values[0]))))
                    continue
                if per_row and f.field in per_row:
                    agg = per_row[f.field].copy()
                elif zero is not None:
                    agg = self._zero_figure(agg, [*([glossary] if glossary is not None else []), *zero], own)
                elif glossary is not None and isinstance(agg, exp.AggFunc):
                    # the measure's own definition, whatever else the query computes
                    agg = exp.Filter(this=agg, expression=exp.Where(this=glossary))
                if f.than and f.op in _COMPARE:
                    # "less stock than the units they sold last month": the other figure of the same row, computed
                    # as it is shown (its own rows, its own glossary), times the factor said
                    other, other_glossary = self.measure_sql(form, f.than, line=line)
                    if per_row and f.than in per_row:
                        other = per_row[f.than].copy()
                    elif other_glossary is not None and isinstance(other, exp.AggFunc):
                        other = exp.Filter(this=other, expression=exp.Where(this=other_glossary))
                    factor = float(f.values[0]) if f.values else 1.0
                    if factor != 1.0:
                        other = exp.Mul(this=exp.paren(other), expression=_lit(factor))
                    out.append(_COMPARE[f.op](this=agg, expression=other))
                    continue
                values = self._in_unit_shown(form, f)
                if f.op == "between":
                    out.append(exp.Between(this=agg, low=_lit(values[0]), high=_lit(values[1])))
                elif f.op in _COMPARE:
                    out.append(_COMPARE[f.op](this=agg, expression=_lit(values[0])))
        return out

    def _every_period(self, form: QueryForm, measures: list[str], dims: list[str]) -> list[exp.Expr]:
        """"How many customers ordered in each of the four quarters of 2025": the customers with an order in every
        period of the grain within the form's period (their distinct quarters number as many as the period holds),
        then counted. Only a count of customers over their order dates, in a period of whole grains; else refused."""
        grain = next((n.split(":", 1)[1] for n in form.notes if n.startswith("every_period:")), None)
        if grain is None:
            return []
        column = form.period_field or self._default_period_field(form, measures)
        count = periods_in(form.period, grain) if form.period else None
        if count is None:
            raise NotUnderstood(f"I can count the customers with an order in every {grain} only over a period of "
                                f"whole {grain}s", hint=f"e.g. 'how many customers ordered in each of the {grain}s of 2025'")
        if dims or form.grain or form.subject != "customers" or form.kind != "aggregate" \
                or form.measures != ["count"] or column != "orders.order_date":
            raise NotUnderstood(f"I can only count all the customers with an order in every {grain}, not per group "
                                "nor another figure of them", hint=f"e.g. 'how many customers ordered in each of the "
                                f"{grain}s of 2025'")
        periods = exp.Count(this=exp.Distinct(expressions=[
            exp.func("date_trunc", exp.Literal.string(grain), fragment(column))]))
        return [periods.eq(exp.Literal.number(count))]

    def _in_unit_shown(self, form: QueryForm, f: Filter) -> list:
        """A bound on a duration's aggregate said in its own unit ("an average delivery time above 50 hours"),
        turned into the unit the aggregate is computed in (the one shown: days unless another is asked for)."""
        spec = self.layer.measures.get(f.field.split(":", 1)[-1], {})
        units = spec.get("units")
        if not units or not f.unit or f.unit not in units:
            return list(f.values)
        shown = units[form.unit or spec["unit"]]
        return [float(v) * units[f.unit] / shown if isinstance(v, (int, float)) else v for v in f.values]

    @staticmethod
    def _zero_satisfies(f: Filter) -> bool:
        """Whether a thing with a figure of 0 meets the condition ("fewer than 80 units", "at most 100 EUR")."""
        if f.than:
            return False  # a bound on another figure of the thing: 0 meets it or not as that figure is
        try:
            values = [float(v) for v in f.values]
        except (TypeError, ValueError):
            return False
        if not values:
            return False
        return {"<": lambda: values[0] > 0, "<=": lambda: values[0] >= 0, "=": lambda: values[0] == 0,
                "between": lambda: len(values) == 2 and values[0] <= 0 <= values[1]}.get(f.op, lambda: False)()

    def _counts_zero(self, form: QueryForm, name: str, table: str) -> bool:
        """A figure of the table's things kept in other rows (units sold, revenue, orders of a product or a
        customer), added up (a sum or a count), so a thing with none of those rows has 0."""
        if not self.is_measure(name):
            return False
        if name == "count" or name.startswith("count:"):
            counted = self.layer.entities.get(name.split(":")[1] if ":" in name else (form.subject or "orders"), {})
            return bool(counted) and counted.get("table") != table and "*" not in self.layer.counts.get(
                name.split(":")[1] if ":" in name else (form.subject or "orders"), "*")
        spec = self.layer.measures.get(name)
        if spec is None or not spec.get("entity") or self.layer.entities[spec["entity"]]["table"] == table:
            return False
        agg, _ = self.measure_sql(form, name, line=table == "products")
        return isinstance(agg, (exp.Sum, exp.Count)) and bool(tables_of(agg) - {table})

    def _zero_table(self, form: QueryForm, table: str | None, ranked: str | None) -> str | None:
        """The entity table whose things all count, those with no rows of the figure as 0 (the layer's
        ``zero_when_none``), when the question is about the things: ranked from the bottom by such a figure
        ("slowest sellers", "lowest revenue products", "which brand sold the least") or held to a bound that
        0 meets ("products that sold fewer than 80 units", "customers who spent less than 100 EUR"). A
        question about the sales rows themselves (by month, channel, carrier) is not one of these."""
        if table is None or form.grain or form.derived or form.within or form.per_group or form.compare \
                or form.compare_period or "with_rows" in form.notes:
            return None
        if not any(e.get("zero_when_none") and e["table"] == table for e in self.layer.entities.values()):
            return None
        bottom = ranked is not None and form.direction == "asc" and bool(form.limit or form.order_by) \
            and self._counts_zero(form, ranked, table)
        bound = any(self.is_measure(f.field) and not self._row_level(form, f) and self._zero_satisfies(f)
                    and self._counts_zero(form, f.field, table) for f in form.filters)
        # "..., including those with zero": asked outright
        asked = "zero_included" in form.notes and any(
            self._counts_zero(form, m, table) for m in [ranked, *(m for m in form.show if self.is_measure(m))] if m)
        # "rank the low-stock products by units sold last month": the things ranked are those in a state of their own
        # stock (the layer's product conditions on inventory), each one of them whether it sold or not (was: those
        # with no sale left out, a silent shortfall of the list)
        entity = next((k for k, e in self.layer.entities.items() if e.get("table") == table), None)
        stock_state = ranked is not None and form.order_by == ranked and form.direction == "desc" and any(
            self.layer.predicates.get(p, {}).get("entity") == entity
            and "inventory." in str(self.layer.predicates.get(p, {}).get("sql", "")) for p in form.predicates) \
            and self._counts_zero(form, ranked, table)
        if not (bottom or bound or asked or stock_state):
            return None
        # every other figure asked of these rows must be one of the same kind (an average has no 0)
        others = [f.field for f in form.filters if self.is_measure(f.field) and not self._row_level(form, f)]
        if any(not self._counts_zero(form, m, table) and self.layer.measures.get(m, {}).get("entity") == "orders"
               for m in others):
            return None
        return table

    def _figure_side(self, table: str, figures: list[exp.Expr], conds: list[exp.Expr]) -> bool:
        """Whether every condition not on the things themselves is on the figure's own rows (the tables reached
        from the figure's tables without passing through the things': orders, their lines): those filter the
        figure. A condition on other rows of the things (stock records) is not one (it is left to the inner join)."""
        start = {t for e in figures for t in tables_of(e)} - {table}
        seen, queue = set(start), deque(start)
        while queue:
            for other, _on, _fans in self._edges.get(queue.popleft(), []):
                if other != table and other not in seen:
                    seen.add(other)
                    queue.append(other)
        return bool(start) and all(tables_of(c) - {table} <= seen for c in conds)

    def zero_entity(self, form: QueryForm) -> str | None:
        """The entity whose things all count, one with none of the figure's rows as 0 (the answer says so)."""
        try:
            if form.kind == "list":
                table = self.layer.entities.get(form.subject or "orders", {}).get("table")
                ranked = form.order_by if self.is_measure(form.order_by) else None
            elif form.kind == "aggregate" and form.dimensions:
                tables = {t for d in form.dimensions for t in tables_of(self.field_sql(d))}
                measures = form.measures or ["count"]
                table = next(iter(tables)) if len(tables) == 1 else None
                ranked = form.order_by if form.order_by in measures else measures[0]
            elif form.kind == "aggregate" and form.subject:
                table, ranked = self.layer.entities.get(form.subject, {}).get("table"), None
            else:
                return None
            zero = self._zero_table(form, table, ranked)
            if zero is not None:
                line = zero == "products"
                names = [f.field for f in form.filters if self.is_measure(f.field) and not self._row_level(form, f)]
                if "zero_included" in form.notes:  # "..., including those with zero": the figures shown beside
                    names += [m for m in form.show if self.is_measure(m)]
                figures = [self.measure_sql(form, n, line=line)[0] for n in [*names, *([ranked] if ranked else [])]]
                fanned = {t for t, _on, fans in self._edges.get(zero, []) if fans and t != "inventory"}
                if not self._figure_side(zero, [e for e in figures if tables_of(e) & fanned],
                                         self._conditions(form, form.subject)):
                    return None
        except (NotUnderstood, KeyError):
            return None
        return next((name for name, e in self.layer.entities.items() if zero and e["table"] == zero
                     and e.get("zero_when_none")), None)

    def _zero_figure(self, agg: exp.Expr, sales: list[exp.Expr], own: str | None = None) -> exp.Expr:
        """A figure over the rows the conditions keep (a FILTER, the rows joined outer), 0 when none."""
        if own is not None and not isinstance(agg, exp.Filter) and tables_of(agg) and tables_of(agg) <= {own}:
            # "active products with margin over 50% that sold under 100 units this year": a figure of the things'
            # own columns is not timed by the sales period (was: no sale in it left the margin NULL)
            return agg.copy()
        conds = [c.copy() for c in sales]
        inner = agg
        if isinstance(agg, exp.Filter):
            conds.insert(0, agg.expression.this.copy())
            inner = agg.this
        unique = list({c.sql(): c for c in reversed(conds)}.values())[::-1]  # each condition once
        figure = exp.Filter(this=inner.copy(), expression=exp.Where(this=exp.and_(*unique))) if unique else inner.copy()
        if isinstance(inner, (exp.Sum, exp.Count)):
            return exp.func("COALESCE", figure, exp.Literal.number(0))
        return figure

    @staticmethod
    def _timed_by(agg: exp.Expr, conds: list[exp.Expr]) -> exp.Expr:
        """The figure over the rows the conditions keep (a FILTER beside its own, if any)."""
        if not conds:
            return agg
        own = [agg.expression.this.copy()] if isinstance(agg, exp.Filter) else []
        inner = agg.this if isinstance(agg, exp.Filter) else agg
        unique = list({c.sql(): c for c in reversed([*own, *(c.copy() for c in conds)])}.values())[::-1]
        figure = exp.Filter(this=inner.copy(), expression=exp.Where(this=exp.and_(*unique)))
        return exp.func("COALESCE", figure, exp.Literal.number(0)) if isinstance(inner, (exp.Sum, exp.Count)) else figure

    def _not_split_by_stock_place(self, root: str, dim_tables: set[str], dims: list[str]) -> None:
        """"Which warehouse shipped the most orders?": a stock record's place (inventory) is where a product is held,
        in every warehouse that holds it; orders, their lines, shipments and customers are tied to no warehouse, so a
        split of them by it counts each under every warehouse holding any of its products. Refused (was: the orders
        of every product held there counted for each warehouse, a silent wrong)."""
        stock = {t for t, spec in self.layer.tables.items() if "quantity_on_hand" in spec.get("columns", {})}
        if dim_tables & stock and root not in stock and root != "products":
            placed = ", ".join(d for d in dims if {t for t in tables_of(self.field_sql(d))} & stock)
            raise NotUnderstood(f"{root} are not tied to a {placed}: the lake holds where stock sits, not where an "
                                "order was sent from", hint=f"ask about stock or products by {placed}")

    def _aggregate(self, form: QueryForm, top: bool = True) -> exp.Select:
        derived = form.derived or {}
        if derived.get("kind") == "average_per" and derived.get("grain"):
            return self._average_per_period(form, derived["grain"], derived.get("fn", "avg"))
        if derived.get("kind") == "average_per":
            return self._average_per(form, derived["entity"], derived.get("fn", "avg"))
        entity_share = self._entity_share(form)
        if entity_share is not None:
            return entity_share
        dims = list(form.dimensions)
        dim_sql = [self.field_sql(d) for d in dims]
        conds = self._conditions(form, form.subject)
        side_by_side = [self.predicate_sql(p, form.subject, form) for p in derived.get("values", [])
                        if derived.get("kind") == "predicates"]
        derived_on = [self._derived_condition(derived["condition"], form.subject, form)] \
            if derived.get("kind") == "share" and derived.get("condition") else []
        # "what share of revenue was Plumbing": the part is of product lines, so the whole is too
        # ("Tools revenue next to revenue of all categories": the group's condition is of product lines too)
        group_of = ([self.filter_sql(Filter(**derived["filter"]))] if derived.get("filter") else
                    [self.predicate_sql(derived["predicate"], form.subject, form)]) \
            if derived.get("kind") == "beside_all" else []
        touches_products = any(tables_of(e) & PRODUCT_SIDE
                               for e in [*dim_sql, *conds, *side_by_side, *derived_on, *group_of])
        measures = form.measures or ["count"]
        line = touches_products and any(self.layer.measures.get(m, {}).get("line_sql") for m in measures)
        aggs = []
        glossary: list[exp.Expr] = []
        filters: list[exp.Expr | None] = []
        for m in measures:
            agg, filt = self.measure_sql(form, m, line=line)
            aggs.append((m, agg))
            filters.append(filt)
            if filt is not None and filt.sql() not in {g.sql() for g in glossary}:
                glossary.append(filt)
        growth = derived.get("kind") == "growth" and len(aggs) > 1
        if glossary and any(filt is None for filt in filters) and (not form.derived or growth) \
                and not self._having(form, line) \
                and all(isinstance(agg, exp.AggFunc) for (_, agg), filt in zip(aggs, filters, strict=True)
                        if filt is not None):
            # "revenue and number of orders": each figure over its own rows (the revenue of orders not cancelled
            # or returned, the orders of any status), not every figure over the revenue's orders
            aggs = [(m, exp.Filter(this=agg, expression=exp.Where(this=filt.copy())) if filt is not None
                     and not isinstance(agg, exp.Filter) else agg) for (m, agg), filt in zip(aggs, filters, strict=True)]
            if all(isinstance(agg, exp.Filter) for (_, agg), filt in zip(aggs, filters, strict=True) if filt is not None):
                glossary = []
        root = self._root(form, measures, line)
        # "slowest sellers", "customers who spent less than 100 EUR": every thing counts, one with no sales as 0
        dim_tables = {t for e in dim_sql for t in tables_of(e)}
        self._not_split_by_stock_place(root, dim_tables, dims)
        subject_table = self.layer.entities.get(form.subject or "", {}).get("table")
        zero_table = (self._zero_table(form, next(iter(dim_tables)), form.order_by if form.order_by in measures
                                       else measures[0]) if dims and len(dim_tables) == 1 else
                      self._zero_table(form, subject_table, None) if not dims and form.subject else None) if top else None
        zero_sales: list[exp.Expr] | None = None
        counted_beside = False
        if zero_table is not None and not self._figure_side(
                zero_table, [a for _, a in aggs] if dims else self._having(form, line), conds):
            zero_table = None
        if zero_table is not None:
            zero_sales = [c for c in conds if not tables_of(c) <= {zero_table}]
            conds = [c for c in conds if tables_of(c) <= {zero_table}]
            # "number of products and units sold among those that sold fewer than 30 units": the things counted
            # beside a figure of their sales are every one the condition keeps, one with no sales too (its sales
            # joined outer, each figure over its own rows), as the count alone is
            counted_beside = not dims and len(aggs) > 1 and any(m == "count" for m, _ in aggs) and all(
                m == "count" or self._counts_zero(form, m, zero_table) for m, _ in aggs)
            if dims or counted_beside:
                aggs = [(m, self._zero_figure(agg, [*([filt] if filt is not None else []), *zero_sales], zero_table))
                        for (m, agg), filt in zip(aggs, filters, strict=True)]
                glossary = []
                root = zero_table
            elif zero_sales:
                # "total units sold last month of products that sold fewer than 30 units": the period (and any other
                # condition of the sales) said with a figure of those sales times that figure too, as it does the
                # condition (was: the figure summed over all time); a figure of other rows (their stock) is not
                aggs = [(m, self._timed_by(agg, [c for c in zero_sales if self._figure_side(zero_table, [agg], [c])]))
                        for m, agg in aggs]
        pivot = self._pivot(form, dims) if top else None
        if pivot is not None:
            # "web vs store revenue per month": one row per month, the compared values as columns
            dim_sql = [e for d, e in zip(dims, dim_sql, strict=True) if d != pivot]
            dims = [d for d in dims if d != pivot]
        outputs: list[exp.Expr] = []
        moved: list[exp.Expr] = []  # a condition on how a figure moved between two periods (HAVING)
        shared: list[exp.Expr] = []  # a bound on each group's share of the total (QUALIFY: the total is a window)
        grain_expr = None
        period_start: exp.Expr | None = None
        if form.grain:
            column = form.period_field or self._default_period_field(form, measures)
            # a year reads as 2025, other grains as the date they start on
            if form.grain == "quarter":  # "Q3 2025": year 2025, quarter 3, and the day it starts
                outputs.append(exp.alias_(exp.func("year", fragment(column)), "year"))
                outputs.append(exp.alias_(exp.cast(exp.func("date_trunc", exp.Literal.string("quarter"), fragment(column)),
                                                   exp.DataType.build("DATE")), "quarter_start"))
            grain_expr = (exp.func("year", fragment(column)) if form.grain == "year" else
                          exp.func("quarter", fragment(column)) if form.grain == "quarter" else
                          exp.func("dayname", fragment(column)) if form.grain == "weekday" else
                          exp.cast(exp.func("date_trunc", exp.Literal.string(form.grain), fragment(column)),
                                   exp.DataType.build("DATE")))
            outputs.append(exp.alias_(grain_expr, form.grain))
        outputs += [exp.alias_(e, d) for d, e in zip(dims, dim_sql, strict=True)]
        # a figure about one id ("stock of product 121") is grouped by that id: an id that does not
        # exist gives no row (so "not found"), never a blank total
        lookup_key = None
        if form.lookup and not dims and not form.grain and not form.derived:
            field = next((x.field for x in form.filters if x.field.endswith(f".{form.lookup['entity']}_id")), None)
            if field is not None:
                lookup_key = fragment(field)
                outputs.append(exp.alias_(lookup_key.copy(), f"{form.lookup['entity']}_id"))
        derived = form.derived or {}
        period_column = "period"
        if derived.get("kind") == "share" and derived.get("condition"):
            cond = self._derived_condition(derived["condition"], form.subject, form)
            conds_extra = [cond]
            duration = self.layer.measures.get((derived["condition"].get("filter") or {}).get("field", ""), {})
            if duration.get("row_sql") and duration.get("filter") and not derived.get("of_all"):
                # "share delivered within 2 days": of the shipments that have a delivery time at all
                glossary.append(fragment(duration["filter"]))
            predicate = derived["condition"].get("predicate") or ""
            spec = self.layer.predicates.get(predicate) or self.layer.predicates.get(predicate.removeprefix("not_"), {})
            decidable = spec.get("decidable")
            if decidable and not derived.get("of_all"):
                # "late delivery rate", "on-time rate": of the shipments whose lateness is known (delivered) only
                glossary.append(fragment(decidable))
            name, agg = aggs[0]
            part = exp.Filter(this=agg.copy(), expression=exp.Where(this=cond.copy()))
            scale, suffix = share_scale(derived)
            outputs.append(exp.alias_(_percent(part, agg, scale), f"{name}{suffix}"))
        elif derived.get("kind") == "share":
            conds_extra = []
            name, agg = aggs[0]
            outputs.append(exp.alias_(agg, name))
            total = exp.Window(this=exp.Sum(this=agg.copy()))
            scale, suffix = share_scale(derived)
            outputs.append(exp.alias_(_percent(agg.copy(), total, scale), f"{name}{suffix}"))
            if derived.get("bound"):
                # "which categories made up more than 12.5% of total sales": the groups whose share (a 0-1
                # fraction, the bound said in percent / 100) passes the bound
                shared.append(_COMPARE[derived["bound"]["op"]](
                    this=_percent(agg.copy(), total.copy(), 1.0), expression=exp.Literal.number(derived["bound"]["value"])))
        elif derived.get("kind") == "ratio" and derived.get("dimension"):
            conds_extra = []
            name, agg = aggs[0]
            ratio_of = self.field_sql(derived["dimension"])
            a, b = (exp.Filter(this=agg.copy(), expression=exp.Where(this=ratio_of.copy().eq(_lit(v))))
                    for v in derived["values"])
            outputs.append(exp.alias_(exp.Div(this=a, expression=exp.func("NULLIF", b, exp.Literal.number(0))),
                                      f"{name}_ratio"))
        elif derived.get("kind") == "periods" and form.compare_period and form.period and not form.grain \
                and not form.limit and not form.order_by and "periods_side_by_side" in form.notes:
            # "orders per channel, 2024 vs 2025 side by side": one row per channel, each period's figure a column
            # beside the other, as "A vs B per X" puts them (was: one row per channel and period); with no
            # grouping, one row ("orders in Q2 2026 vs Q2 2025, side by side")
            conds_extra = []
            column = form.period_field or self._default_period_field(form, measures)
            both = (form.period, form.compare_period)
            names, _ = self._period_names(both)
            for name, agg in aggs:
                for p, said in zip(both, names, strict=True):
                    outputs.append(exp.alias_(_filtered(agg, self.period_sql(column, p.start, p.end)),
                                              f"{output_name(form, name)}_{said}", quoted=True))
            conds = self._in_either_period(form, column)
        elif derived.get("kind") == "beside_all" and group_of:
            # "Helsinki revenue next to revenue of all customers": the figure under the group's condition beside the
            # same figure without it, one row (every other condition holds for both)
            conds_extra = []
            said = "_".join(str(v) for v in derived["filter"]["values"]) if derived.get("filter") else \
                derived["predicate"]
            for name, agg in aggs:
                outputs.append(exp.alias_(_each_filtered(agg, group_of[0].copy()), f"{output_name(form, name)}_{said}",
                                          quoted=True))
                outputs.append(exp.alias_(agg.copy(), f"{output_name(form, name)}_all", quoted=True))
        elif derived.get("kind") == "periods" and form.compare_period and form.period:
            # "Q1 vs Q2": one row per period, side by side
            conds_extra = []
            column = form.period_field or self._default_period_field(form, measures)
            both = (form.period, form.compare_period)
            names, as_years = self._period_names(both)
            # "this year vs last year": the rows are years, numbered as a year grouping numbers them
            texts: list[exp.Expr] = [exp.Literal.number(n) if as_years else exp.Literal.string(n) for n in names]
            label_name = "year" if as_years else "period"
            label = exp.Case(ifs=[exp.If(this=self.period_sql(column, p.start, p.end), true=text)
                                  for p, text in zip(both, texts, strict=True)])
            outputs.insert(0, exp.alias_(label, label_name))
            period_column = label_name
            if label_name == "period":
                # each period's first day beside its label: the rows sort in time ("March" before "April")
                start = exp.Case(ifs=[exp.If(this=self.period_sql(column, p.start, p.end), true=_date(p.start))
                                      for p in both])
                outputs.insert(1, exp.alias_(start, "period_start"))
                period_start = start
                period_column = "period_start"
            outputs += [exp.alias_(agg, output_name(form, name)) for name, agg in aggs]
            conds = self._in_either_period(form, column)
            grain_expr = label
        elif derived.get("kind") == "predicates":
            # "discounted vs full-price lines": one labelled row per condition
            conds_extra = []
            pairs = [(self.predicate_sql(p, form.subject, form), predicate_label(self.layer, p)) for p in derived["values"]]
            label = exp.Case(ifs=[exp.If(this=c, true=exp.Literal.string(text)) for c, text in pairs])
            outputs.insert(0, exp.alias_(label, "condition"))
            outputs += [exp.alias_(agg, output_name(form, name)) for name, agg in aggs]
            conds.append(exp.paren(exp.or_(*[c.copy() for c, _ in pairs])))
            grain_expr = label
        elif derived.get("kind") == "growth" and form.compare_period and form.period:
            conds_extra = []
            column = form.period_field or self._default_period_field(form, measures)
            cur = prev = None
            for k, (name, agg) in enumerate(aggs):  # every measure asked grows; the first one's is "growth"
                this_cur = _filtered(agg, self.period_sql(column, form.period.start, form.period.end))
                this_prev = _filtered(agg, self.period_sql(column, form.compare_period.start, form.compare_period.end))
                change = exp.Sub(this=this_cur.copy(), expression=this_prev.copy())
                prefix = "" if k == 0 else f"{name}_"
                # "grew the most in absolute euros": the difference itself, not the percent
                outputs += [exp.alias_(this_cur, f"{name}_current"), exp.alias_(this_prev, f"{name}_previous"),
                            exp.alias_(change, f"{prefix}growth") if derived.get("absolute") else
                            exp.alias_(_percent(exp.paren(change), this_prev.copy()), f"{prefix}growth_pct")]
                if not derived.get("absolute") and not derived.get("bound") and derived.get("direction") is None:
                    # "change in the number of orders, Q3 2026 compared with Q3 2025": the difference itself beside
                    # the percent, both readings of "change" shown (was: the percent alone)
                    outputs.append(exp.alias_(change.copy(), f"{prefix}change"))
                if derived.get("fall") and derived.get("absolute"):
                    # "the biggest drop in units sold": how much it went down, beside the change
                    outputs.append(exp.alias_(exp.Sub(this=this_prev.copy(), expression=this_cur.copy()), f"{prefix}fall"))
                if k == 0:
                    cur, prev = this_cur, this_prev
            assert cur is not None and prev is not None
            conds = self._conditions(form, form.subject, with_period=False)  # both periods, below
            conds.append(exp.or_(self.period_sql(column, form.period.start, form.period.end),
                                 self.period_sql(column, form.compare_period.start, form.compare_period.end)))
            if derived.get("direction") in ("down", "up"):
                # "sold less in Q3 than in Q2": only the groups whose figure fell (rose) from one to the other
                side = exp.LT if derived["direction"] == "down" else exp.GT
                moved = [side(this=exp.func("COALESCE", cur.copy(), exp.Literal.number(0)),
                              expression=exp.func("COALESCE", prev.copy(), exp.Literal.number(0)))]
            if derived.get("bound"):
                # "grew by more than 50%": the growth in percent past the bound (none without an earlier figure)
                grown = _percent(exp.paren(exp.Sub(this=cur.copy(), expression=prev.copy())), prev.copy())
                moved.append(_COMPARE[derived["bound"]["op"]](this=grown,
                                                               expression=exp.Literal.number(derived["bound"]["value"])))
        elif pivot is not None and form.compare is not None:
            conds_extra = []
            on = self.field_sql(pivot)
            for value in form.compare["values"]:
                for name, agg in aggs:
                    is_value: exp.Expr = on.copy().eq(_lit(value))
                    if isinstance(agg, exp.Filter):  # a measure with its own condition keeps it
                        part = exp.Filter(this=agg.this.copy(), expression=exp.Where(
                            this=exp.and_(agg.expression.this.copy(), is_value)))
                    elif isinstance(agg, exp.AggFunc):
                        part = exp.Filter(this=agg.copy(), expression=exp.Where(this=is_value))
                    else:
                        # "AVG(...) / 86400" (delivery days): the condition on each aggregate inside the figure
                        # (was: on the whole, SQL that did not parse)
                        part = agg.copy().transform(
                            lambda node, cond=is_value: exp.Filter(this=node.copy(), expression=exp.Where(
                                this=cond.copy())) if isinstance(node, exp.AggFunc) and not isinstance(
                                node.parent, exp.Filter) else node)
                    column_name = str(value) if len(aggs) == 1 else f"{output_name(form, name)}_{value}"
                    outputs.append(exp.alias_(part, column_name, quoted=True))
        else:
            conds_extra = []
            # one total over no rows is 0 ("did we sell any X yesterday?"), not an empty answer
            outputs += [exp.alias_(exp.func("COALESCE", agg, exp.Literal.number(0))
                                   if isinstance(agg, exp.Sum) and not dims and not form.grain and lookup_key is None
                                   else agg,
                                   output_name(form, name)) for name, agg in aggs]
        if not derived and not form.grain and "product" in dims:
            # "low-stock products that sold over 100 units": the stock the condition is about, per product
            for name in form.show:
                if name not in measures and (per_row := self._fanning_measure(form, name, "products")) is not None:
                    outputs.append(exp.alias_(per_row, output_name(form, name)))
        select = exp.select(*outputs)
        # a latest or earliest date is the same however often a row repeats (the layer marks it fan_safe)
        distinct_ok = all(m.startswith(("count", "ndistinct:")) or "DISTINCT" in (self.layer.measures.get(m, {}).get("sql") or "").upper()
                          or self.layer.measures.get(m, {}).get("fan_safe") for m in measures)
        moved += self._every_period(form, measures, dims)
        having = self._having(form, line, zero=zero_sales, own=zero_table) + moved
        dated = self._having(form, line, dates=True)
        if dated and glossary and form.subject and (dims or form.grain):
            # "top spenders by revenue whose last order was before June": a last order is of every order, while
            # the revenue's rows leave cancelled and returned ones out, so the date picks the customers apart
            conds = [*conds, self._entities_having(form.subject, dated, conds)]
            having = self._having(form, line, dates=False, zero=zero_sales, own=zero_table) + moved
        each_own = [x for x in form.filters if self.is_measure(x.field) and not self._row_level(form, x)
                    and x.field not in ("count", f"count:{form.subject}", *form.measures) and x.period is None
                    and self.layer.measures.get(x.field, {}).get("unit") != "date"
                    and self._figure_of_children(x.field, form.subject)]
        if each_own and form.subject in self.layer.entities and (dims or form.grain) and form.measures == ["count"] \
                and not derived and zero_table is None and not moved and not any(
                    n.startswith(("every:", "some:")) for n in form.notes):
            # "how many customers per city had more than 5 orders": the bound on another figure (their orders) holds
            # per customer, who are then counted in each city (was: the city's orders bounded, its customers counted)
            conds = [*conds, self._entities_having(form.subject, self._having(replace(form, filters=each_own), line),
                                                   conds)]
            having = self._having(replace(form, filters=[x for x in form.filters if x not in each_own]), line)
        if having and form.subject and not dims and not form.grain:
            # "how many customers have more than 20 orders": the condition holds per customer, so it
            # picks the customers (a subquery grouped by their key), which are then counted
            conds = [*conds, self._entities_having(form.subject, having, conds, outer=zero_table is not None)]
            having = []
        if zero_table is not None:
            distinct_ok = True
        select = self._from(select, root, [*outputs, *conds, *glossary, *conds_extra, *having], distinct_ok,
                            outer=zero_table is not None and (bool(dims) or counted_beside),
                            root_summed=zero_table is not None and not dims and not form.grain)
        where = [*glossary, *conds]
        if where:
            select = select.where(exp.and_(*where))
        # people share names: a customer or product dimension groups by its key as well
        keys = [fragment(f"{self.layer.entities[self.layer.dimensions[d]['entity']]['table']}."
                         f"{self.layer.entities[self.layer.dimensions[d]['entity']]['key']}")
                for d in dims if self.layer.dimensions.get(d, {}).get("entity")]
        # "top customers with their city": a column of the ranked thing's own row, beside its figure
        owners = {self.layer.entities[self.layer.dimensions[d]["entity"]]["table"]
                  for d in dims if self.layer.dimensions.get(d, {}).get("entity")}
        # "which city is customer X in, and what's their segment": one thing named by its own dimension has one
        # value of each of its columns, shown beside the grouping (was: the segment dropped)
        owners |= {self.layer.entities[self.layer.dimensions[f.field]["entity"]]["table"] for f in form.filters
                   if f.op == "=" and len(f.values) == 1 and self.layer.dimensions.get(f.field, {}).get("entity")
                   and dims}
        beside = [fragment(c) for c in dict.fromkeys(form.show) if "." in c and not self.is_measure(c)
                  and c.split(".")[0] in owners]
        if beside:
            select = select.select(*[exp.alias_(b.copy(), b.name) for b in beside], copy=False)
            keys += beside
        period_col = fragment(form.period_field or self._default_period_field(form, measures))
        years = [exp.func("year", period_col.copy()),
                 exp.cast(exp.func("date_trunc", exp.Literal.string("quarter"), period_col.copy()),
                          exp.DataType.build("DATE"))] if form.grain == "quarter" else []
        group = years + ([grain_expr.copy()] if grain_expr is not None else []) + \
            ([period_start.copy()] if period_start is not None else []) + [e.copy() for e in dim_sql] + keys \
            + ([lookup_key.copy()] if lookup_key is not None else [])
        if group:
            select = select.group_by(*group)
        if having:
            select = select.having(exp.and_(*having))
        if shared:
            select = select.qualify(exp.and_(*shared))
        # ("revenue by month, highest first": periods sorted by the figure when the question says so)
        if grain_expr is not None and not form.limit and not (form.order_by and "sorted" in form.notes):
            first = "condition" if derived.get("kind") == "predicates" else form.grain or period_column
            select = select.order_by(*([exp.Ordered(this=exp.column("year"))] if form.grain == "quarter" else []),
                                     exp.Ordered(this=exp.column(first)))
        elif group and (form.limit or form.order_by):
            ranked = form.order_by if form.order_by in dict(aggs) else aggs[0][0]
            key = output_name(form, ranked)
            # a derived figure is what a ranking of it means ("which brand grew the most"); its column is
            # named by the measure itself ("count_share"), as the outputs above name it
            key = {"growth": "growth" if derived.get("absolute") else "growth_pct", "share": f"{ranked}{share_scale(derived)[1]}", "ratio": f"{ranked}_ratio"}.get(
                derived.get("kind", ""), key)
            within = [d for d in form.per_group if d in dims]
            if within and form.limit:
                # "top category in each country": the ranking restarts in every group, so the limit
                # is per group (a window), not of the whole result
                rank = exp.Window(this=exp.func("ROW_NUMBER"),
                                  partition_by=[self.field_sql(d) for d in within],
                                  order=exp.Order(expressions=[exp.Ordered(this=exp.column(key),
                                                                           desc=form.direction == "desc")]))
                select = select.qualify(_places_kept(rank, form.limit, form.offset))
                select = select.order_by(*[exp.Ordered(this=exp.column(d)) for d in within],
                                         exp.Ordered(this=exp.column(key), desc=form.direction == "desc"),
                                         *[exp.Ordered(this=exp.column(d)) for d in dims if d not in within])
                return select
            select = select.order_by(exp.Ordered(this=exp.column(key), desc=form.direction == "desc"),
                                     *[exp.Ordered(this=exp.column(d)) for d in dims])
        elif group and dims:
            select = select.order_by(*[exp.Ordered(this=exp.column(d)) for d in dims])
        if form.limit:
            select = select.limit(form.limit)
            if form.offset:
                select = select.offset(form.offset)
            if derived.get("kind") == "share" and derived.get("together") and not derived.get("condition"):
                # "what share came from our top 10 customers": the top ones' shares added up, one figure
                share = f"{aggs[0][0]}{share_scale(derived)[1]}"
                return exp.select(exp.alias_(exp.Sum(this=exp.column(share)), f"top_{form.limit}_{share}")) \
                    .from_(select.subquery("top_rows"))
        return select

    def _entity_share(self, form: QueryForm) -> exp.Select | None:
        """"what percentage of our customers have returned an order": a share of the subject's things (all
        of them that the subject's own conditions keep), whose part is those with at least one related row
        meeting the condition. Joining the related rows would leave out the things without any (customers
        who never ordered) from the whole."""
        derived = form.derived or {}
        if derived.get("kind") != "share" or not derived.get("condition") or form.measures not in ([], ["count"]) \
                or form.dimensions or form.grain or form.limit or form.order_by or not form.subject \
                or form.subject not in self.layer.entities:
            return None
        entity = self.layer.entities[form.subject]
        table, key = entity["table"], entity["key"]
        if self.layer.counts.get(form.subject, "").replace(" ", "").upper() != f"COUNT(DISTINCT{table}.{key})".upper():
            # "what percent of stock records are at zero": things whose key is not one per row (a stock record is a
            # product in a warehouse) are counted by rows, as their count is (was: the products counted)
            return None
        cond = self._derived_condition(derived["condition"], form.subject, form)
        related = tables_of(cond) - {table}
        spec = self.layer.predicates.get(derived["condition"].get("predicate") or "", {})
        if not related and spec.get("period_inside") and form.period and \
                form.period_field in (None, "orders.order_date"):
            # "what percent of customers in Sweden placed at least one order last quarter": the period dates the
            # orders the part has, not the things of the whole
            own = self._conditions(form, form.subject, with_period=False)
            if any(not tables_of(c) <= {table} for c in own):
                return None
            key_sql = fragment(f"{table}.{key}")
            part = exp.Filter(this=exp.Count(this=exp.Distinct(expressions=[key_sql.copy()])),
                              expression=exp.Where(this=self.predicate_sql(derived["condition"]["predicate"],
                                                                           form.subject, form)))
            scale, suffix = share_scale(derived)
            select = exp.select(exp.alias_(_percent(part, exp.Count(this=exp.Distinct(expressions=[key_sql.copy()])),
                                                    scale), f"count{suffix}")).from_(table)
            return select.where(exp.and_(*own)) if own else select
        if not related:
            return None
        # "customers who have ordered ... via web": having an order is said by the condition itself
        implied = [p for p in form.predicates
                   if any(f"from {t} " in (self.layer.predicates.get(p, {}).get("sql") or "").lower() for t in related)]
        if form.period and (form.period_field or "").split(".")[0] not in related | {table}:
            return None  # which rows a period is on (the things' own date or the related rows') stays as it was
        # ("share of Finnish customers with a returned order this year": a period of the related rows is part of
        # the condition, one of the things' own date keeps the whole; the conditions below place it)
        rest = replace(form, predicates=[p for p in form.predicates if p not in implied])
        conds = self._conditions(rest, form.subject)
        own = [c for c in conds if tables_of(c) <= {table}]
        inner_conds = [cond, *[c for c in conds if not tables_of(c) <= {table}]]
        root = next((t for t in ("order_items", "shipments", "orders", "inventory", "products", "customers")
                     if t in related), sorted(related)[0])
        key_sql = fragment(f"{table}.{key}")
        inner = self._from(exp.select(key_sql.copy()), root, [key_sql, *inner_conds], True)
        inner = inner.where(exp.and_(*[c.copy() for c in inner_conds]))
        part = exp.Filter(this=exp.Count(this=exp.Distinct(expressions=[key_sql.copy()])),
                          expression=exp.Where(this=exp.In(this=key_sql.copy(), query=inner.subquery())))
        whole = exp.Count(this=exp.Distinct(expressions=[key_sql.copy()]))
        scale, suffix = share_scale(derived)
        select = exp.select(exp.alias_(_percent(part, whole, scale), f"count{suffix}")).from_(table)
        if own:
            select = select.where(exp.and_(*own))
        return select

    @staticmethod
    def _pivot(form: QueryForm, dims: list[str]) -> str | None:
        """The compared dimension when its values are columns: "A vs B per X" has another grouping (a
        dimension or a time grain), so each X is one row with A and B beside each other. A ranking or a
        derived figure keeps the values as rows."""
        compare = form.compare or {}
        dim = compare.get("dimension")
        if not dim or dim not in dims or form.derived or form.order_by or form.limit or form.per_group:
            return None
        if not ([d for d in dims if d != dim] or form.grain):
            return None
        return str(dim)

    def _all_of(self, form: QueryForm, f: Filter) -> exp.Expr:
        """"orders with both X and Y": the subject's things that have every one of the values."""
        values = Filter(f.field, "in", f.values)
        having: list[exp.Expr] = [exp.EQ(this=exp.Count(this=exp.Distinct(expressions=[self.field_sql(f.field)])),
                         expression=exp.Literal.number(len(set(f.values))))]
        return self._entities_having(form.subject or "orders", having,
                                     [self.filter_sql(values), *self._period_of_rows(form), *self._rows_own(form, f)])

    def _figure_of_children(self, name: str, subject: str | None) -> bool:
        """Whether a figure is summed over rows each of which belongs to one of the subject's things (orders of a
        customer, lines of a product: many-to-one joins up to the subject's table), so that each thing has a
        figure of its own ("customers with more than 5 orders"; an order has no number of customers of its own)."""
        if subject not in self.layer.entities:
            return False
        if name.startswith("count:") and name[6:] in self.layer.entities:
            tables = {self.layer.entities[name[6:]]["table"]}
        elif name in self.layer.measures:
            spec = self.layer.measures[name]
            tables = set()
            for key in ("sql", "line_sql"):
                if spec.get(key):
                    tables |= tables_of(fragment(spec[key]))
        else:
            return False
        top = self.layer.entities[subject]["table"]
        up = {j["left"].split(".")[0]: j["right"].split(".")[0] for j in self.layer.joins
              if j["cardinality"] == "many_to_one"}
        for table in tables:
            seen = set()
            while table != top and table in up and table not in seen:
                seen.add(table)
                table = up[table]
            if table == top and table not in seen:
                return True
        return False

    def _rows_own(self, form: QueryForm, f: Filter) -> list[exp.Expr]:
        """"customers who bought both Makita and Bosch in 2025 (non-cancelled, non-returned orders)": the other
        conditions on the rows tested (not on the things themselves) hold inside the test too, as the period does
        (was: a Makita line of a cancelled order counted)."""
        subject = self.layer.entities[form.subject or "orders"]["table"]
        out = []
        for x in form.filters:
            if x is f or x.op in ("all of", "only of", "contains all") or self.is_measure(x.field):
                continue
            cond = self.filter_sql(x)
            if not tables_of(cond) <= {subject}:
                out.append(cond)
        return out

    def _period_of_rows(self, form: QueryForm) -> list[exp.Expr]:
        """"customers who ordered through all three channels in 2025": a period on the rows tested (the orders),
        not on the things themselves, holds inside the test (every value within the period)."""
        if form.period is None:
            return []
        column = form.period_field or self._default_period_field(form, form.measures or ["count"])
        subject = self.layer.entities[form.subject or "orders"]["table"]
        if column.split(".")[0] == subject:
            return []
        return [self.period_sql(column, form.period.start, form.period.end)]

    def _all_contain(self, form: QueryForm, f: Filter) -> exp.Expr:
        """"orders with a lawn mower and a garden hose": the subject's things that have, for every text, a row
        whose field holds it (each on a row of its own; one product's name never holds both)."""
        likes = [exp.ILike(this=self.field_sql(f.field), expression=exp.Literal.string(f"%{v}%")) for v in f.values]
        return self._entities_having(form.subject or "orders", [exp.func("BOOL_OR", like.copy()) for like in likes],
                                     [exp.or_(*[like.copy() for like in likes])])

    def _only_of(self, form: QueryForm, f: Filter) -> exp.Expr:
        """"customers who ordered only through the store": the subject's things every row of which has one of
        the values (and that have a row at all)."""
        return self._entities_having(form.subject or "customers",
                                     [exp.func("BOOL_AND", self.filter_sql(Filter(f.field, "in", f.values)))], [])

    def _entities_having(self, subject: str, having: list[exp.Expr], conds: list[exp.Expr],
                         outer: bool = False) -> exp.Expr:
        entity = self.layer.entities[subject]
        key = fragment(f"{entity['table']}.{entity['key']}")
        inner = self._from(exp.select(key.copy()), entity["table"], [key, *having, *conds], distinct_ok=True,
                           outer=outer)
        if conds:
            inner = inner.where(exp.and_(*[c.copy() for c in conds]))
        inner = inner.group_by(key.copy()).having(exp.and_(*having))
        return key.isin(query=inner)

    def _fanning_measure(self, form: QueryForm, name: str, owner: str) -> exp.Expr | None:
        """A measure of the owner's rows kept in a table that fans them out (stock: inventory rows of a
        product), as one figure per owner row (a correlated subquery). Beside figures of another table
        (order lines) a plain join would multiply both: the stock of each product times its order lines."""
        spec = self.layer.measures.get(name)
        owner_entity = next((k for k, e in self.layer.entities.items() if e["table"] == owner), None)
        if spec is None or spec.get("entity") != owner_entity or spec.get("filter"):
            return None  # figures of another entity (units sold: of orders) keep their period and filters
        agg, _ = self.measure_sql(form, name, line=False)
        tables = tables_of(agg)
        if len(tables) != 1:
            return None
        (table,) = tables
        join = next((j for j in self.layer.joins if j["left"].startswith(f"{table}.")
                     and j["right"].startswith(f"{owner}.") and j["cardinality"] == "many_to_one"), None)
        if join is None:
            return None
        # the fanning table's own filters ("in Drammen") narrow the figure as they narrow the rows
        own = [self.filter_sql(f) for f in form.filters
               if f.field in self.layer.dimensions and tables_of(self.field_sql(f.field)) == {table}]
        inner = exp.select(agg).from_(table).where(exp.and_(fragment(f"{join['left']} = {join['right']}"), *own))
        return exp.Subquery(this=inner)

    def _average_per_period(self, form: QueryForm, grain: str, fn: str) -> exp.Select:
        """"average monthly revenue in 2025": each month's figure first (grouped by the grain), then their
        average (or median) over the months of the period."""
        inner_form = replace(form, derived=None, grain=grain, limit=None, order_by=None)
        inner = self._aggregate(inner_form, top=False)
        inner.set("order", None)
        name = output_name(form, (form.measures or ["count"])[0])
        agg = ATTRIBUTE_AGGREGATES[fn](this=exp.column(name))
        select = exp.select(*[exp.column(d) for d in form.dimensions],
                            exp.alias_(agg, f"{'average' if fn == 'avg' else fn}_{name}_per_{grain}"))
        select = select.from_(inner.subquery("per_" + grain))
        if form.dimensions:
            dims = [exp.column(d) for d in form.dimensions]
            select = select.group_by(*dims).order_by(*[c.copy() for c in dims])
        return select

    def _average_per(self, form: QueryForm, entity: str, fn: str = "avg") -> exp.Select:
        """"average units per order": each order's figure first (an inner query grouped by the
        entity's key), then their average; groups of the form stay groups of the outer query."""
        dim = next(d for d, spec in self.layer.dimensions.items() if spec.get("entity") == entity)
        inner_form = replace(form, derived=None, dimensions=[*form.dimensions, dim], limit=None, order_by=None)
        inner = self._aggregate(inner_form, top=False)
        inner.set("order", None)  # order inside a subquery means nothing
        name = output_name(form, (form.measures or ["count"])[0])
        # "average revenue per customer per month": the time grain stays a group of the outer query (each month's
        # average over its customers), as the form's other groups do
        grain = ["year", "quarter_start", "quarter"] if form.grain == "quarter" else [form.grain] if form.grain else []
        outer_dims = [exp.column(d) for d in grain + form.dimensions]
        select = exp.select(*outer_dims, exp.alias_(ATTRIBUTE_AGGREGATES[fn](this=exp.column(name)),
                                                    f"{'average' if fn == 'avg' else fn}_{name}_per_{dim}"))
        select = select.from_(inner.subquery("per_" + dim))
        if outer_dims:
            select = select.group_by(*[c.copy() for c in outer_dims]).order_by(*[c.copy() for c in outer_dims])
        return select

    def _derived_condition(self, condition: dict, entity: str | None, form: QueryForm | None = None) -> exp.Expr:
        if condition.get("predicate"):
            # "what percent of Drammen's product lines are at zero stock": a share's condition scoped by a place
            # named (the layer's scoped_by) is of that place's stock, "% out of stock in at least one warehouse" of
            # some one warehouse's (was: of the stock of all warehouses)
            scoped = form if self.layer.predicates.get(condition["predicate"], {}).get("scoped_by") else None
            return self.predicate_sql(condition["predicate"], entity, scoped)
        f = Filter(**condition["filter"])
        return self._row_condition(f) if self.layer.measures.get(f.field, {}).get("row_sql") else self.filter_sql(f)

    def _root(self, form: QueryForm, measures: list[str], line: bool) -> str:
        m = measures[0]
        if m == "count" or m.startswith("count:"):
            return self.layer.entities[m.split(":")[1] if ":" in m else (form.subject or "orders")]["table"]
        if m.split(":")[0] in ATTRIBUTE_AGGREGATES:
            target = m.split(":", 1)[1]
            if target in self.layer.measures:
                return self.layer.entities[self.layer.measures[target]["entity"]]["table"]
            return target.split(".")[0]
        spec = self.layer.measures[m]
        sql = spec["line_sql"] if (line or not spec.get("sql")) and spec.get("line_sql") else spec["sql"]
        tables = tables_of(fragment(sql))
        for preferred in ("order_items", "inventory", "shipments", "orders", "products", "customers"):
            if preferred in tables:
                return preferred
        return self.layer.entities[spec["entity"]]["table"]

    def _default_period_field(self, form: QueryForm, measures: list[str]) -> str:
        m = measures[0] if measures else "count"
        if m.split(":")[0] in ATTRIBUTE_AGGREGATES:
            table = m.split(":", 1)[1].split(".")[0]
            entity = next((e for e in self.layer.entities.values() if e["table"] == table), None)
            return f"{table}.{entity['period']}" if entity and entity.get("period") else "orders.order_date"
        if m == "count" or m.startswith("count:"):
            entity = self.layer.entities[m.split(":")[1] if ":" in m else (form.subject or "orders")]
            table = entity["table"]
            return f"{table}.{entity.get('period') or 'order_date'}" if entity.get("period") else "orders.order_date"
        spec = self.layer.measures[m]
        entity = self.layer.entities[spec["entity"]]
        if entity.get("period"):
            return f"{entity['table']}.{entity['period']}"
        return "orders.order_date"

    def _list(self, form: QueryForm) -> exp.Select:
        entity = self.layer.entities[form.subject or "orders"]
        table = entity["table"]
        columns = [c if "." in c else f"{table}.{c}" for c in entity["show"]]  # "products.name": a joined label
        flags = [c.split(":", 1)[1] for c in form.show if c.startswith("predicate:")]
        extra = [c for c in form.show if c not in columns and not self.is_measure(c) and not c.startswith("predicate:")]
        if form.order_by and "." in form.order_by and form.order_by not in columns:
            extra.append(form.order_by)
        # "which cities?" after a list of orders: a list has no groups, so a dimension asked of it is a column
        # beside each row (never dropped)
        extra += [column for d in form.dimensions
                  if (column := self.layer.dimensions.get(d, {}).get("column", "")) and "." in column
                  and column not in columns and column not in extra]
        for f in form.filters:
            if "." in f.field and ":" not in f.field and f.field not in columns and f.field not in extra and f.op not in ("=", "in") \
                    and (f.field.split(".")[0] == table or form.subject != "customers"):
                # (a column of each customer's orders or parcels would repeat the customer once per row)
                extra.append(f.field)
        if form.period and form.period_field and form.period_field.startswith(f"{table}.") \
                and form.period_field not in columns and form.period_field not in extra:
            extra.append(form.period_field)  # "customers who joined between X and Y": the date each joined
        conds = self._conditions(form, form.subject)
        # "customers who spent more than 1000 EUR on Garden products": a figure of the things' lines of a product
        # (their order totals would count the other lines too, once per matching line)
        line = table == "products" or any(tables_of(c) & {"products", "order_items"} for c in conds)
        outputs: list[exp.Expr] = [fragment(c) for c in [*columns, *extra]]
        # a yes/no condition asked of one thing ("was it late?"): its truth value beside the details
        outputs += [exp.alias_(self.predicate_sql(p, form.subject), p) for p in flags]
        having = self._having(form, line=line)
        # "products that sold fewer than 80 units": every product, one with no sales as 0 (its sales joined outer)
        zero_table = self._zero_table(form, table, form.order_by if self.is_measure(form.order_by) else None)
        zero_sales: list[exp.Expr] = []
        figures = [self.measure_sql(form, f.field, line=line)[0] for f in form.filters
                   if self.is_measure(f.field) and not self._row_level(form, f)]
        if form.order_by and self.is_measure(form.order_by):
            figures.append(self.measure_sql(form, form.order_by, line=line)[0])
        if "zero_included" in form.notes:  # "..., including those with zero": the figures shown beside
            figures += [self.measure_sql(form, m, line=line)[0] for m in form.show if self.is_measure(m)]
        if zero_table is not None and not self._figure_side(
                table, [e for e in figures if tables_of(e) & {t for t, _on, fans in self._edges.get(table, []) if fans}
                        and not tables_of(e) <= {"inventory"}], conds):
            if any(self.is_measure(f.field) and not self._row_level(form, f) and self._zero_satisfies(f)
                   and self._counts_zero(form, f.field, table) for f in form.filters) and \
                    any(tables_of(c) == {"inventory"} for c in conds):
                # "products with over 300 on hand in Vantaa that sold fewer than 5 units": a bound that 0 meets,
                # beside a condition on the things' stock rows; joined inner, those with no sales would be lost
                raise NotUnderstood("I cannot yet combine a warehouse's stock with an upper bound on sales "
                                    "(products with no sales would be left out)",
                                    hint="ask for the warehouse's stock and the units sold separately")
            zero_table = None
        if zero_table is not None:
            zero_sales = [c for c in conds if not tables_of(c) <= {table}]
            conds = [c for c in conds if tables_of(c) <= {table}]
        measure_cols = []
        shown = [m for m in form.show if self.is_measure(m)]
        bounds = [f.field for f in form.filters if self.is_measure(f.field) and not self._row_level(form, f)
                  and f.period is None]
        # ("over 10000 EUR in 2025 but less than 3000 EUR this year": each bound's figure over its own period, shown)
        dated_bounds = [f for f in form.filters if f.period is not None and self.is_measure(f.field)
                        and not self._row_level(form, f)]
        if form.order_by and self.is_measure(form.order_by):
            shown.insert(0, form.order_by)
        elif having:
            shown[:0] = bounds
        if zero_table is not None:
            shown += bounds  # each figure the condition is on, beside the thing (0 for one with none)
        measured = {name: self.measure_sql(form, name, line=line) for name in dict.fromkeys(shown)}
        sides = {name: tables_of(agg) for name, (agg, _filt) in measured.items()}
        mixed = len({frozenset(t) for t in sides.values() if t - {table}}) > 1
        # "stock of the products on order 1572": a condition on another table that fans the rows out (order
        # lines) would multiply a figure summed over its own fanning table (stock) too
        cond_tables = {t for c in conds for t in tables_of(c)} - {table}
        mixed = mixed or any(t - {table} and cond_tables - t for t in sides.values()) or zero_table is not None
        # "products out of stock in at least two warehouses": the rows joined are those of the places where the state
        # holds, so a figure shown beside each thing (its stock) is taken over all of its own rows instead
        mixed = mixed or any(f.field.startswith("ndistinct:") for f in form.filters) and any(
            self.layer.predicates.get(p, {}).get("scoped_by") for p in form.predicates)
        per_rows: dict[str, exp.Expr] = {}
        # "customers with their revenue and number of orders": each figure over its own rows (the revenue's
        # glossary filter on the revenue alone), not the count cut to the revenue's orders
        own_rows = len({None if filt is None else filt.sql() for _agg, filt in measured.values()}) > 1
        for name, (agg, filt) in measured.items():
            per_row = self._fanning_measure(form, name, table) if mixed else None
            if per_row is not None:  # "low-stock products by revenue, with their stock": stock per product
                per_rows[name] = per_row
                measure_cols.append(exp.alias_(per_row, output_name(form, name)))
                continue
            if zero_table is not None:
                measure_cols.append(exp.alias_(self._zero_figure(agg, [*([filt] if filt is not None else []),
                                                                        *zero_sales], table), output_name(form, name)))
                continue
            if own_rows and filt is not None and isinstance(agg, exp.AggFunc):
                measure_cols.append(exp.alias_(_filtered(agg, filt), output_name(form, name)))
                continue
            measure_cols.append(exp.alias_(agg, output_name(form, name)))
            if filt is not None and filt.sql() not in {c.sql() for c in conds}:
                conds.append(filt)
        if mixed:
            # "over 500 in stock and sold fewer than 80": a condition on a figure shown per row is on that figure
            for name in bounds:
                if name not in per_rows and (per_row := self._fanning_measure(form, name, table)) is not None:
                    per_rows[name] = per_row
            having = self._having(form, line=line, per_row=per_rows,
                                  zero=zero_sales if zero_table is not None else None, own=table)
        for f in dated_bounds:
            figure = self._having(replace(form, filters=[f]), line=line, per_row=per_rows or None,
                                  zero=zero_sales if zero_table is not None else None, own=table)
            if figure:
                label = re.sub(r"\W+", "_", f.period.label if f.period is not None else "").strip("_").lower()
                measure_cols.append(exp.alias_(figure[0].this.copy(), f"{output_name(form, f.field)}_{label}"))
        select = exp.select(*outputs, *measure_cols)
        # an order not yet shipped is listed with empty parcel columns; a condition on the parcel ("not delivered":
        # delivered_at IS NULL) needs a parcel, so then the join stays inner (an outer one let unshipped orders in)
        select = self._from(select, table, [*outputs, *measure_cols, *conds, *having], distinct_ok=True,
                            outer=zero_table is not None or (any(c.startswith("shipments.") for c in extra)
                                                             and not any("shipments" in tables_of(c) for c in conds)))
        if conds:
            select = select.where(exp.and_(*conds))
        # a join that multiplies rows repeats the listed thing: DISTINCT, unless the rows shown are
        # the joined ones themselves (the lines of an order)
        shown_tables = {t for part in outputs for t in tables_of(part)}
        fans_out = {t for t, _on, fans in self._edges.get(table, []) if fans}
        needs_distinct = (any(t != table for part in [*outputs, *conds] for t in tables_of(part))
                          and not measure_cols and not shown_tables & fans_out)
        if measure_cols:
            select = select.group_by(*[fragment(c) for c in [*columns, *extra]])
            if having:
                select = select.having(exp.and_(*having))
        elif needs_distinct:
            select = select.distinct()
        key = form.order_by or f"{table}.{entity['default_sort']}"
        order_expr = exp.column(output_name(form, key)) if self.is_measure(key) else fragment(key)
        desc = form.direction == "desc" if form.order_by else entity["default_sort"].endswith(("_date", "_at"))
        groups = [fragment(self.layer.dimensions[d]["column"]) for d in form.per_group if d in self.layer.dimensions]
        # "the latest order per customer": a group that is a thing is told apart by its key (two of one name)
        groups += [fragment(f"{e['table']}.{e['key']}") for d in form.per_group
                   if (e := self.layer.entities.get(self.layer.dimensions.get(d, {}).get("entity", "")))]
        if groups and form.limit:
            # "the cheapest product in each category": the ranking restarts in every group, so the limit is
            # per group (a window), as in _aggregate
            safe, todo = {table}, [table]
            while todo:  # the tables one row of the listed thing meets once (many -> one joins)
                todo += [t for t, _on, fans in self._edges.get(todo.pop(), []) if not fans and t not in safe]
                safe |= set(todo)
            if {t for part in [*outputs, *conds] for t in tables_of(part)} - safe:
                # rows repeated by a joined table ("... sold last year": one per line) would take the places
                raise NotUnderstood("I cannot yet rank within each group under a condition on another table's rows",
                                    hint="ask without the condition, or for one group at a time")
            if "." not in key and key in self.layer.tables.get(table, {}).get("columns", {}):
                order_expr = fragment(f"{table}.{key}")  # a line's unit_price has the same name
            rank = exp.Window(this=exp.func("ROW_NUMBER"), partition_by=groups,
                              order=exp.Order(expressions=[exp.Ordered(this=order_expr.copy(), desc=desc,
                                                                       nulls_first=False),
                                                           exp.Ordered(this=fragment(f"{table}.{entity['key']}"))]))
            return select.qualify(_places_kept(rank, form.limit, form.offset)).order_by(*[exp.Ordered(this=g.copy()) for g in groups],
                                                 exp.Ordered(this=order_expr, desc=desc, nulls_first=False),
                                                 exp.Ordered(this=fragment(f"{table}.{entity['key']}")))
        if form.limit and "ties" in form.notes:
            # "all of those placed on the earliest date": every row of the first days, ties kept (a LIMIT would cut them)
            day = exp.Cast(this=order_expr.copy(), to=exp.DataType.build("DATE"))
            rank = exp.Window(this=exp.func("RANK"), order=exp.Order(expressions=[
                exp.Ordered(this=day, desc=desc, nulls_first=False)]))
            select = select.qualify(exp.LTE(this=rank, expression=exp.Literal.number(form.limit)))
            return select.order_by(exp.Ordered(this=order_expr, desc=desc, nulls_first=False),
                                   exp.Ordered(this=fragment(f"{table}.{entity['key']}")))
        select = select.order_by(exp.Ordered(this=order_expr, desc=desc, nulls_first=False),
                                 exp.Ordered(this=fragment(f"{table}.{entity['key']}")))
        if form.limit:
            select = select.limit(form.limit)
            if form.offset:
                select = select.offset(form.offset)
        return select

    def _bought_together(self, form: QueryForm) -> exp.Select:
        """Products in the same orders as the given one, orders of any status: what people put in
        one basket, cancelled or returned afterwards or not (nine of twelve blind writers read it so)."""
        product = next((f for f in form.filters if f.field == "product"), None) or next(
            (f for f in form.filters if f.op in ("=", "in") and f.field in self.layer.dimensions
             and self.layer.dimensions[f.field]["column"].startswith("products.")), None)
        if product is None:
            return self._pairs(form)
        anchor = self.layer.dimensions[product.field]["column"].split(".")[1]
        group = form.dimensions[0] if form.dimensions else "product"
        column = self.layer.dimensions[group]["column"].split(".")[1]
        conds: list[exp.Expr] = [exp.column(anchor, table="this").isin(*[_lit(v) for v in product.values])]
        if group == product.field and group != "product":
            # "what other category goes with Paint": Paint itself is not an answer
            conds.append(exp.Not(this=exp.column(column, table="other").isin(*[_lit(v) for v in product.values])))
        others, together, rest = self._together_narrowed(form, product)
        conds += others
        basket = self._basket_conditions(replace(form, filters=rest), product)
        conds += basket
        # the other side of each pair, named by the grouping asked for (a product by its name)
        shown, label = ("name", "product") if group == "product" else (column, group)
        pairs = (exp.select()
                 .from_(exp.alias_(exp.to_table("order_items"), "a", table=True))
                 .join(exp.alias_(exp.to_table("order_items"), "b", table=True),
                       on=exp.and_(exp.column("order_id", table="a").eq(exp.column("order_id", table="b")),
                                   exp.column("product_id", table="a").neq(exp.column("product_id", table="b"))))
                 .join(exp.alias_(exp.to_table("products"), "this", table=True),
                       on=exp.column("product_id", table="this").eq(exp.column("product_id", table="a")))
                 .join(exp.alias_(exp.to_table("products"), "other", table=True),
                       on=exp.column("product_id", table="other").eq(exp.column("product_id", table="b"))))
        tables = {c.table for e in basket for c in e.find_all(exp.Column)} & {"orders", "customers"}
        if tables:
            pairs = pairs.join("orders", on=fragment("orders.order_id = a.order_id"))
        if "customers" in tables:
            pairs = pairs.join("customers", on=fragment("customers.customer_id = orders.customer_id"))
        pairs = pairs.where(exp.and_(*conds))
        if "together_counted" in form.notes:
            # "how many different products were bought with X": the other products, counted once each
            return pairs.select(exp.alias_(exp.func("COUNT", exp.Distinct(expressions=[
                exp.column("product_id", table="other")])), "products"))
        shared = exp.func("COUNT", exp.Distinct(expressions=[exp.column("order_id", table="a")]))
        select = (pairs.select(exp.alias_(exp.column(shown, table="other"), label), exp.alias_(shared, "orders_together"))
                  .group_by(exp.column(shown, table="other"))
                  .order_by(exp.Ordered(this=exp.column("orders_together"), desc=True),
                            exp.Ordered(this=exp.column(label))))
        for f in together:
            select = select.having(self._together_bound(shared, f))
        # "appeared with X more than 3 times": every product over the bound (a ranking only when a top N is asked)
        return select.limit(form.limit) if together and form.limit else select if together else \
            select.limit(form.limit or DEFAULT_TOP)

    def _together_narrowed(self, form: QueryForm, anchor: Filter) -> tuple[list[exp.Expr], list[Filter], list[Filter]]:
        """"Garden products bought with the Makita Hammer", "bought with the Bosch Garden Hose, excluding Bosch
        products", "in the same order as X more than 3 times": with a named product as the anchor, a condition on
        another product field is of the other products (the anchor is already named), and a bound on a count of
        orders is on the orders the two share; the rest are the baskets' own conditions. Returns (conditions on
        the other products, bounds on the shared orders, the remaining filters)."""
        others: list[exp.Expr] = []
        together: list[Filter] = []
        rest: list[Filter] = []
        for f in form.filters:
            column = self.layer.dimensions.get(f.field, {}).get("column", "")
            if f is not anchor and anchor.field == "product" and column.startswith("products.") and \
                    f.op in ("=", "in", "not in"):
                named = exp.column(column.split(".")[1], table="other").isin(*[_lit(v) for v in f.values])
                others.append(exp.Not(this=named) if f.op == "not in" else named)
            elif f.field == "count:orders" and f.op in ("<", "<=", ">", ">=", "=") and len(f.values) == 1:
                together.append(f)
            else:
                rest.append(f)
        return others, together, rest

    @staticmethod
    def _together_bound(shared: exp.Expr, f: Filter) -> exp.Expr:
        return _COMPARE[f.op](this=shared.copy(), expression=_lit(f.values[0]))

    def _basket_conditions(self, form: QueryForm, anchor: Filter) -> list[exp.Expr]:
        """"what do business customers buy with X", "bought with X in 2025": the baskets (orders) held to the
        period and to conditions on the order or its customer; anything else is refused (was: dropped, every
        basket counted)."""
        conds: list[exp.Expr] = []
        for f in form.filters:
            if f is anchor:
                continue
            column = self.layer.dimensions[f.field]["column"] if f.field in self.layer.dimensions else f.field
            if column.split(".")[0] not in ("orders", "customers") or f.op not in ("=", "in", "not in", "<", "<=",
                                                                                 ">", ">=", "between"):
                raise NotUnderstood(f"I cannot yet narrow products bought together by {f.field}", field="question",
                                    hint="ask without that condition, e.g. 'what is most often bought with the X'")
            conds.append(self.filter_sql(f))
        if form.predicates:
            raise NotUnderstood(f"I cannot yet narrow products bought together to {form.predicates[0]} ones",
                                field="question", hint="ask without that condition")
        return conds + self._baskets_dated(form)

    def _baskets_dated(self, form: QueryForm) -> list[exp.Expr]:
        """"what sells with the Makita Hammer in 2025", "pairs bought together in 2025": the baskets of orders
        placed in the period (was: the period dropped, every order counted)."""
        if form.period is None:
            return []
        if form.period_field not in (None, "orders.order_date"):
            raise NotUnderstood(f"products bought together are counted by order date, not {form.period_field}")
        dated = (exp.select("order_id").from_("orders")
                 .where(self.period_sql("orders.order_date", form.period.start, form.period.end)))
        return [exp.column("order_id", table="a").isin(query=dated)]

    def _pairs(self, form: QueryForm) -> exp.Select:
        """Every two products in one order (each pair once), by the orders they share; any status."""
        def side(alias: str, product: str) -> exp.Expr:
            return exp.alias_(exp.column("name", table=product), alias)
        distinct_orders = exp.func("COUNT", exp.Distinct(expressions=[exp.column("order_id", table="a")]))
        select = (exp.select(side("product_a", "pa"), side("product_b", "pb"), exp.alias_(distinct_orders, "orders_together"))
                .from_(exp.alias_(exp.to_table("order_items"), "a", table=True))
                .join(exp.alias_(exp.to_table("order_items"), "b", table=True),
                      on=exp.and_(exp.column("order_id", table="a").eq(exp.column("order_id", table="b")),
                                  exp.LT(this=exp.column("product_id", table="a"), expression=exp.column("product_id", table="b"))))
                .join(exp.alias_(exp.to_table("products"), "pa", table=True),
                      on=exp.column("product_id", table="pa").eq(exp.column("product_id", table="a")))
                .join(exp.alias_(exp.to_table("products"), "pb", table=True),
                      on=exp.column("product_id", table="pb").eq(exp.column("product_id", table="b")))
                .group_by(exp.column("name", table="pa"), exp.column("name", table="pb"))
                .order_by(exp.Ordered(this=exp.column("orders_together"), desc=True),
                          exp.Ordered(this=exp.column("product_a")), exp.Ordered(this=exp.column("product_b")))
                .limit(form.limit or DEFAULT_TOP))
        dated = self._baskets_dated(form)
        return select.where(exp.and_(*dated)) if dated else select

    def _recommend(self, form: QueryForm) -> exp.Select:
        """Best sellers (units, valid orders) in the categories the customer buys, not yet bought by them."""
        f = next(f for f in form.filters if f.field in ("customers.customer_id", "customer"))
        who = self.filter_sql(f)
        bought = (exp.select(exp.column("product_id", table="order_items")).from_("order_items")
                  .join("orders", on=fragment("order_items.order_id = orders.order_id"))
                  .join("customers", on=fragment("orders.customer_id = customers.customer_id")).where(who))
        categories = (exp.select(exp.column("category", table="products")).from_("products")
                      .where(exp.column("product_id", table="products").isin(query=bought.copy())))
        units, filt = self.measure_sql(form, "units_sold", line=True)
        return (exp.select(exp.alias_(fragment("products.name"), "product"), fragment("products.category"),
                           exp.alias_(units, "units_sold"))
                .from_("order_items").join("orders", on=fragment("order_items.order_id = orders.order_id"))
                .join("products", on=fragment("order_items.product_id = products.product_id"))
                .where(exp.and_(filt, fragment("products.active = TRUE"),
                                exp.column("category", table="products").isin(query=categories),
                                exp.Not(this=exp.column("product_id", table="products").isin(query=bought))))
                .group_by(fragment("products.name"), fragment("products.category"))
                .order_by(exp.Ordered(this=exp.column("units_sold"), desc=True), exp.Ordered(this=exp.column("product")))
                .limit(form.limit or DEFAULT_TOP))

    def _not_bought(self, form: QueryForm) -> exp.Select:
        """Values of a product dimension the customer has no order line in (any status, in the
        period when one is said): "categories customer 12 never bought from"."""
        column = self.field_sql(form.dimensions[0])
        who = [self.filter_sql(f) for f in form.filters if f.field in ("customers.customer_id", "customer")]
        if form.period:
            who.append(self.period_sql("orders.order_date", form.period.start, form.period.end))
        bought = (exp.select(column.copy()).from_("order_items")
                  .join("orders", on=fragment("order_items.order_id = orders.order_id"))
                  .join("customers", on=fragment("orders.customer_id = customers.customer_id"))
                  .join("products", on=fragment("order_items.product_id = products.product_id"))
                  .where(exp.and_(*who)))
        others = [self.filter_sql(f) for f in form.filters if f.field not in ("customers.customer_id", "customer")]
        return (exp.select(exp.alias_(column.copy(), form.dimensions[0])).distinct().from_("products")
                .where(exp.and_(exp.Not(this=column.copy().isin(query=bought)), *others))
                .order_by(exp.column(form.dimensions[0])))
