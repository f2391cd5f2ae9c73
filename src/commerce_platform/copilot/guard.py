"""The SQL guard: parse with sqlglot and walk the AST against allow-lists.

A statement is allowed only when it is exactly one read-only query (SELECT / set operation),
contains no DML/DDL/command node anywhere (also inside CTEs), reads only lake tables (or
CTEs in scope where they are referenced) by plain unqualified name, calls only allow-listed
scalar, aggregate and window functions, is not nested too deeply and cannot grow a value
without bound. A LIMIT is added (or lowered) to ``max_rows``; LIMIT ... PERCENT is refused. Everything else is refused
with a reason that names the offending part. Keyword matching is never used: a string
literal that says "drop table" is just a string.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Refused
from ..ports.query_engine import LAKE_TABLES

DEFAULT_MAX_ROWS = 1000
MAX_SQL_CHARS = 20_000
MAX_NESTING = 32  # parentheses (and brackets) deep; analytics need a handful

# Functions by lower-case name: sqlglot's canonical name (Func.sql_name()) or the raw
# name of functions sqlglot does not know (exp.Anonymous). Nothing that reads files or
# URLs, lists the catalog, settings or secrets, reads the environment, is a table function or
# builds a value of a size given by an argument (repeat, lpad/rpad, range: see _check_value_sizes).
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
    "split_part", "initcap", "reverse", "regexp_like", "regexp_matches", "regexp_replace",
    "regexp_extract", "like", "ilike", "str_position", "md5",
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


def _written_name(node, canonical: str) -> str:
    """The function's name as DuckDB spells it (unnest, not sqlglot's explode), for messages."""
    written = node.sql(dialect="duckdb").split("(", 1)[0].strip().lower()
    return written if written.isidentifier() else canonical


def check_sql(sql: str, *, tables: frozenset[str] | set[str] = LAKE_TABLES, max_rows: int = DEFAULT_MAX_ROWS,
              dialect: str = "duckdb") -> GuardResult:
    """Return the guarded SQL or raise Refused (exit 3 / HTTP 400) naming the reason."""
    if not isinstance(sql, str) or not sql.strip():
        raise _refuse("the SQL is empty")
    if len(sql) > MAX_SQL_CHARS:
        raise _refuse(f"the SQL is longer than {MAX_SQL_CHARS} characters")
    if "\x00" in sql:
        raise _refuse("the SQL contains a NUL byte")
    try:
        return _check(sql, tables, max_rows, dialect)
    except RecursionError as exc:  # deep nesting of something other than parentheses (NOT NOT ..., CASE ...)
        raise _too_deep("its expressions are nested too deeply to analyse") from exc


def _too_deep(reason: str = f"it nests parentheses more than {MAX_NESTING} levels deep") -> Refused:
    return _refuse(reason, "flatten the query: use a CTE, fewer nested parentheses or fewer nested expressions")


def _check(sql: str, tables, max_rows: int, dialect: str) -> GuardResult:
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
        _check_nesting(tokens)
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
    for node in root.walk():
        if isinstance(node, forbidden):
            raise _refuse(f"{node.key.upper()} is not allowed (only read-only queries)")
        if isinstance(node, exp.Select) and node.args.get("into"):
            raise _refuse("SELECT ... INTO is not allowed")
        if isinstance(node, exp.With) and node.args.get("recursive"):
            # a recursive CTE runs until its own condition stops it: an unbounded row generator
            raise _refuse("WITH RECURSIVE is not allowed", "use a plain (non-recursive) CTE")
        if isinstance(node, exp.Func) and not isinstance(node, (exp.Window, exp.Binary, exp.Connector)):
            name = _function_name(node)
            if name not in ALLOWED_FUNCTIONS:
                raise _refuse(f"function {_written_name(node, name)}() is not allowed",
                              "use ordinary scalar, aggregate or window functions over the lake tables")
    for table in root.find_all(exp.Table):
        ident = table.this
        if not isinstance(ident, exp.Identifier):
            what = _function_name(ident) + "()" if isinstance(ident, exp.Func) else ident.sql(dialect=dialect)
            raise _refuse(f"{what} used as a table is not allowed (table functions and file readers are refused)")
        if table.args.get("db") or table.args.get("catalog"):
            raise _refuse(f"table {table.sql(dialect=dialect)} is in another schema; only the lake tables are allowed")
    scopes = _scopes(root)
    read = _lake_tables_read(root, scopes, tables)
    _check_value_sizes(scopes)
    limited = _ensure_limit(root, max_rows)
    return GuardResult(sql=root.sql(dialect=dialect), tables=tuple(sorted(read)), limited=limited)


def _check_nesting(tokens) -> None:
    """Refuse deep parentheses before parsing: sqlglot's recursive-descent parser spends about
    16 Python frames per level and would hit the recursion limit near 60 levels."""
    from sqlglot.tokens import TokenType

    depth = 0
    for token in tokens:
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE):
            depth += 1
            if depth > MAX_NESTING:
                raise _too_deep()
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE):
            depth -= 1


def _scopes(root) -> list:
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.scope import traverse_scope

    try:
        return list(traverse_scope(root))  # children before their parents
    except SqlglotError as exc:
        raise _refuse(f"its table references cannot be resolved: {str(exc).splitlines()[0][:200]}") from exc


def _lake_tables_read(root, scopes, tables) -> set[str]:
    """Resolve every table reference in the scope where it appears: a CTE name counts only inside
    the query that defines it (and that query's subqueries); anything else must be a lake table.
    A reference the scope walk did not see is refused rather than trusted."""
    from sqlglot import exp

    read: set[str] = set()
    resolved: set[int] = set()
    for scope in scopes:
        ctes = {name.lower() for name in scope.cte_sources}
        for table in scope.tables:
            resolved.add(id(table))
            name = str(table.this.this)
            if name.lower() in ctes:
                continue
            read.add(_lake_table(name, tables))
    for table in root.find_all(exp.Table):
        if id(table) not in resolved:
            raise _refuse(f"table reference {table.sql(dialect='duckdb')} cannot be resolved",
                          "reference the lake tables in FROM / JOIN clauses")
    return read


def _lake_table(name: str, tables) -> str:
    lower = name.lower()
    if lower in tables and not any(ch in name for ch in "./\\:'"):
        return lower
    unreadable = getattr(tables, "unreadable", None) or {}
    if lower in unreadable:  # a lake table whose files the engine cannot read: say which and what to do
        raise unreadable[lower]()
    known = ", ".join(sorted(tables))
    raise _refuse(f"unknown table {name!r}", f"the lake has: {known}")


# Static bound on how much a query can grow a value. DuckDB's memory limit does not cover scalar
# string results (repeat('x', 2e9) took 3.9 GB under a 1 GB limit) and its interrupt is not checked
# inside one function call, so growth is bounded here. A value's size is tracked as
# ``growth * V + literal_bytes``, V being the size of the lake values it is built from: s || s doubles
# it, and a chain of CTEs each doubling the previous one would reach gigabytes in a few hundred
# characters of SQL. Aggregates (string_agg, list) keep the total volume of their input rows.
MAX_GROWTH = 8                  # copies of lake values one value may hold
MAX_LITERAL_BYTES = 1 << 20     # bytes of literals one value may hold (replace() multiplies them)


def _check_value_sizes(scopes) -> None:
    from sqlglot import exp

    outputs: dict[int, tuple[int, int]] = {}  # id(scope expression) -> bound of the values it outputs

    def bounded(size: tuple[int, int], node) -> tuple[int, int]:
        if size[0] > MAX_GROWTH or size[1] > MAX_LITERAL_BYTES:
            raise _refuse(f"{node.sql(dialect='duckdb')[:80]} grows values without bound (more than {MAX_GROWTH} "
                          f"copies of a lake value or {MAX_LITERAL_BYTES >> 20} MB of literals: repeated "
                          "concatenation or replacement)",
                          "concatenate or replace each value once; do not grow a value across CTEs")
        return size

    def widest(sizes) -> tuple[int, int]:
        sizes = list(sizes)
        return (max(s[0] for s in sizes), max(s[1] for s in sizes)) if sizes else (0, 32)

    for scope in scopes:  # children before parents: a scope's sources are already bounded
        own = scope.expression
        column = widest([(1, 0)] + [outputs[id(s.expression)] for s in scope.sources.values()
                                    if hasattr(s, "expression") and id(s.expression) in outputs])
        memo: dict[int, tuple[int, int]] = {}

        def size(node, own=own, column=column, memo=memo) -> tuple[int, int]:
            key = id(node)
            if key in memo:
                return memo[key]
            if node is not own and isinstance(node, (exp.Select, exp.SetOperation)):
                result = outputs.get(key, column)  # a child scope (subquery), bounded when visited
            elif isinstance(node, (exp.Column, exp.Star)):
                result = column
            elif isinstance(node, exp.Literal):
                result = (0, len(str(node.this).encode()) if node.is_string else 32)
            else:
                parts = [size(c) for c in node.iter_expressions()]
                if isinstance(node, (exp.DPipe, exp.Concat, exp.ConcatWs)):
                    result = (sum(p[0] for p in parts), sum(p[1] for p in parts))
                elif isinstance(node, (exp.Replace, exp.RegexpReplace)):
                    # worst case: every character of the input becomes the whole replacement
                    replacement = node.args.get("replacement")
                    if replacement is not None and not (isinstance(replacement, exp.Literal) and replacement.is_string):
                        raise _refuse(f"{node.sql(dialect='duckdb')[:80]}: the replacement must be a string literal")
                    times = max(1, len(replacement.this.encode())) if replacement is not None else 1
                    grown = size(node.this)
                    result = (grown[0] * times, grown[1] * times)
                elif isinstance(node, (exp.GroupConcat, exp.ArrayAgg)) or (
                        isinstance(node, exp.Func) and _function_name(node) in ("string_agg", "list")):
                    # one value holds all the input rows: literals repeated per row count as lake volume
                    total = (sum(p[0] for p in parts), sum(p[1] for p in parts))
                    result = (total[0] + (1 if total[1] else 0), 0)
                else:  # every other allowed function or operator: no larger than its largest input
                    result = widest(parts)
            memo[key] = bounded(result, node)
            return memo[key]

        if isinstance(own, exp.Select):
            size(own)
            outputs[id(own)] = widest(size(e) for e in own.expressions)
        elif isinstance(own, exp.SetOperation):
            outputs[id(own)] = widest([size(own.this), size(own.expression)])
        else:  # VALUES and other scope kinds: bound their parts, the output by the largest
            outputs[id(own)] = size(own)


def _ensure_limit(root, max_rows: int) -> bool:
    from sqlglot import exp

    limit = root.args.get("limit")
    if limit is None:
        root.set("limit", exp.Limit(expression=exp.Literal.number(max_rows)))
        return True
    options = limit.args.get("limit_options")
    if options is not None and options.args.get("percent"):
        # LIMIT 100 PERCENT (or 100%) is a fraction of the table, not a row count: it would pass the cap
        raise _refuse("LIMIT ... PERCENT is not allowed", f"use a row count: LIMIT n with n at most {max_rows}")
    if not isinstance(limit, exp.Limit) or options is not None:
        raise _refuse(f"{limit.sql(dialect='duckdb')} is not allowed", f"use LIMIT n with n at most {max_rows}")
    value = limit.expression
    if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= max_rows:
        return False
    if not (isinstance(value, exp.Literal) and value.is_int):
        raise _refuse("LIMIT must be a plain integer")
    limit.set("expression", exp.Literal.number(max_rows))
    return True
