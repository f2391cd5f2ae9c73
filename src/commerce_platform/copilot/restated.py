"""A follow-up that names its subject again with a value of its own ("and how many helsinki customers have never
ordered anything" after business customers of one city): the thing is described anew, so the previous conditions
on its own columns that the new question does not say again are not carried (was: the segment kept, silently)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .query import Filter, QueryForm

if TYPE_CHECKING:
    from .parser import _State


def _table_of(layer, field: str) -> str:
    column = str(layer.dimensions.get(field, {}).get("column", field))
    return column.split(".", 1)[0] if "." in column else ""


def _asks_anew(state: _State, subject: str, table: str) -> bool:
    """"how many helsinki customers ...", "which oslo customers ...": the question opens with a question word of its
    own (a count, or one of the layer's openers) followed right away by values of the subject's own table and its
    noun; it points at nothing of the previous answer ("of them", "those") and drops nothing by name ("forget the
    country": then what it drops is said)."""
    said = [s for s in state.spans if s.senses and not s.has("grammar", "followup")]
    grammar = state.layer.grammar.get("subject_restated", {})
    if not said or not (said[0].has("grammar", "count") or said[0].text in grammar.get("openers", [])):
        return False
    if any(s.text in grammar.get("pointers", []) or s.has("grammar", "drop_filter") for s in state.spans):
        return False
    k = 1
    while k < len(said) and said[k].first("value") is not None \
            and _table_of(state.layer, str(said[k].arg("value"))) == table:
        k += 1
    return k > 1 and k < len(said) and said[k].has("entity", subject)


def subject_said_again(state: _State, context: QueryForm, new: QueryForm, f: QueryForm) -> QueryForm:
    """``f`` (the merged follow-up) without the previous conditions on the subject's own table that ``new`` does
    not say, when the question asks anew of its subject named with a value of its own; else ``f`` unchanged."""
    subject = context.subject
    entity = state.layer.entities.get(subject or "", {})
    table = str(entity.get("table", ""))
    if not subject or not table or new.subject != subject or f.subject != subject \
            or not _asks_anew(state, subject, table):
        return f
    kept: list[Filter] = [x for x in f.filters if x in new.filters or _table_of(state.layer, x.field) != table]
    if len(kept) == len(f.filters):
        return f
    g = QueryForm.from_dict(f.to_dict())
    assert g is not None
    g.filters = kept
    return g
