"""The SQL guard: parse with sqlglot and walk the AST against allow-lists.

A statement is allowed only when it is exactly one read-only query (SELECT / set operation),
contains no DML/DDL/command node anywhere (also inside CTEs), reads only lake tables (or
its own CTEs) by plain unqualified name, and calls only allow-listed scalar, aggregate and
window functions. A LIMIT is added (or lowered) to ``max_rows``. Everything else is refused
with a reason that names the offending part. Keyword matching is never used: a string
literal that says "drop table" is just a string.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Refused
from ..ports.query_engine import LAKE_TABLES

DEFAULT_MAX_ROWS = 1000
MAX_SQL_CHARS = 20_000

# Functions by lower-case name: sqlglot's canonical name (Func.sql_name()) or the raw
# name of functions sqlglot does not know (exp.Anonymous). Nothing that reads files or
# URLs, lists the catalog, settings or secrets, reads the environment, or is a table function.
ALLOWED_FUNCTIONS = frozenset({
    # aggregates
    "count", "sum", "avg", "min", "max", "count_if", "countif", "stddev", "stddev_samp", "stddev_pop",
    "variance", "variance_samp", "variance_pop", "median", "quantile", "quantile_cont", "quantile_disc",
    "percentile_cont", "percentile_disc", "approx_distinct", "approx_count_distinct", "group_concat",
    "string_agg", "logical_and", "logical_or", "bool_and", "bool_or", "arg_max", "arg_min", "argmax", "argmin",
    "any_value", "first", "last", "corr", "covar_pop", "covar_samp", "mode", "array_agg", "list",
    # conditionals and casts
    "coalesce", "nullif", "if", "iif", "case", "cast", "try_cast", "greatest", "least", "ifnull", "nvl",
    # math
    "round", "abs", "floor", "ceil", "ceiling", "sqrt", "pow", "power", "ln", "log", "log10", "log2", "exp",
    "sign", "mod", "trunc", "div", "safe_divide",
    # strings
    "lower", "upper", "length", "char_length", "trim", "ltrim", "rtrim", "substring", "substr", "concat",
    "concat_ws", "replace", "left", "right", "strpos", "position", "starts_with", "startswith", "contains",
    "split_part", "lpad", "rpad", "initcap", "reverse", "regexp_like", "regexp_matches", "regexp_replace",
    "regexp_extract", "like", "ilike", "str_position", "md5", "repeat",
    # dates and times
    "date_trunc", "timestamp_trunc", "datetime_trunc", "extract", "date_part", "year", "month", "day",
    "quarter", "week", "weekofyear", "dayofweek", "dayofmonth", "dayofyear", "hour", "minute", "second",
    "strftime", "time_to_str", "str_to_time", "str_to_date", "strptime", "current_date", "current_timestamp",
    "date_diff", "datediff", "date_sub", "date_add", "datetime_diff", "timestamp_diff", "make_date",
    "date_from_parts", "date", "to_date", "ts_or_ds_to_date", "ts_or_ds_add", "ts_or_ds_diff", "last_day",
    "last_day_of_month", "date_str_to_date", "time_str_to_time", "epoch", "unix_seconds", "time_to_unix",
    "interval", "age", "monthname", "exists", "dayname", "date_format", "to_char", "time_to_time_str",
    # window functions
    "row_number", "rank", "dense_rank", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
    "percent_rank", "cume_dist",
})

# Statement / clause node kinds refused wherever they appear in the tree.
_FORBIDDEN_NODE_NAMES = (
    "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "AlterTable", "Command", "Copy", "Pragma",
    "Set", "SetItem", "Use", "Attach", "Detach", "Install", "Transaction", "Commit", "Rollback", "Describe",
    "Show", "Summarize", "LoadData", "Into", "Kill", "Grant", "Revoke", "Analyze", "TruncateTable", "Cache",
    "Uncache", "Refresh", "Export", "Comment", "Heredoc", "Placeholder", "Parameter", "SessionParameter",
    "Lateral", "TableFromRows", "Pivot", "Declare", "Execute", "Call", "Prepare",
)


def _forbidden_types() -> tuple[type, ...]:
    from sqlglot import exp

    return tuple(getattr(exp, n) for n in _FORBIDDEN_NODE_NAMES if isinstance(getattr(exp, n, None), type))


@dataclass(frozen=True)
class GuardResult:
    sql: str                 # the normalized SQL that may run (DuckDB dialect, LIMIT ensured)
    tables: tuple[str, ...]  # lake tables it reads
    limited: bool            # whether the guard added or lowered the LIMIT


def _refuse(reason: str, hint: str = "ask for a single read-only SELECT over the lake tables") -> Refused:
    return Refused(f"SQL refused: {reason}", hint=hint)


def _function_name(node) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def check_sql(sql: str, *, tables: frozenset[str] | set[str] = LAKE_TABLES, max_rows: int = DEFAULT_MAX_ROWS,
              dialect: str = "duckdb") -> GuardResult:
    """Return the guarded SQL or raise Refused (exit 3 / HTTP 400) naming the reason."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    if not isinstance(sql, str) or not sql.strip():
        raise _refuse("the SQL is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise _refuse(f"the SQL is longer than {MAX_SQL_CHARS} characters")
    if "\x00" in sql:
        raise _refuse("the SQL contains a NUL byte")
    try:
        import logging

        logging.getLogger("sqlglot").setLevel(logging.ERROR)
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (ParseError, TokenError) as exc:
        raise _refuse(f"it does not parse: {str(exc).splitlines()[0][:200]}", "check the SQL syntax") from exc
    if len(statements) != 1:
        raise _refuse(f"exactly one statement is allowed, found {len(statements)}")
    root = statements[0]
    if isinstance(root, exp.Subquery):
        root = root.unnest()
    if not isinstance(root, (exp.Select, exp.SetOperation)):
        raise _refuse(f"only read-only queries are allowed, not {root.key.upper()}")

    forbidden = _forbidden_types()
    cte_names: set[str] = set()
    for cte in root.find_all(exp.CTE):
        cte_names.add(cte.alias_or_name.lower())
    for node in root.walk():
        if isinstance(node, forbidden):
            raise _refuse(f"{node.key.upper()} is not allowed (only read-only queries)")
        if isinstance(node, exp.Select) and node.args.get("into"):
            raise _refuse("SELECT ... INTO is not allowed")
        if isinstance(node, exp.Func) and not isinstance(node, (exp.Window, exp.Binary, exp.Connector)):
            name = _function_name(node)
            if name not in ALLOWED_FUNCTIONS:
                raise _refuse(f"function {name}() is not allowed",
                              "use ordinary scalar, aggregate or window functions over the lake tables")
    read: set[str] = set()
    for table in root.find_all(exp.Table):
        ident = table.this
        if not isinstance(ident, exp.Identifier):
            what = _function_name(ident) + "()" if isinstance(ident, exp.Func) else ident.sql(dialect=dialect)
            raise _refuse(f"{what} used as a table is not allowed (table functions and file readers are refused)")
        if table.args.get("db") or table.args.get("catalog"):
            raise _refuse(f"table {table.sql(dialect=dialect)} is in another schema; only the lake tables are allowed")
        name = str(ident.this)
        lower = name.lower()
        if lower in cte_names and not ident.quoted:
            continue
        if lower in cte_names:
            continue
        if lower not in tables or any(ch in name for ch in "./\\:'"):
            known = ", ".join(sorted(tables))
            raise _refuse(f"unknown table {name!r}", f"the lake has: {known}")
        read.add(lower)
    limited = _ensure_limit(root, max_rows)
    return GuardResult(sql=root.sql(dialect=dialect), tables=tuple(sorted(read)), limited=limited)


def _ensure_limit(root, max_rows: int) -> bool:
    from sqlglot import exp

    limit = root.args.get("limit")
    if limit is None:
        root.set("limit", exp.Limit(expression=exp.Literal.number(max_rows)))
        return True
    value = limit.expression
    if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= max_rows:
        return False
    if not (isinstance(value, exp.Literal) and value.is_int):
        raise _refuse("LIMIT must be a plain integer")
    limit.set("expression", exp.Literal.number(max_rows))
    return True
