"""Refusals read where the words only restate what the answer already shows (tune-ref).

What each part checks:
- "the number of such <places>" / "the number of <places> where that's the case" after a list held to a bound on
  how many different places each thing has: the count already shown beside each row (reading/counted_places.py).
  Near misses: "such" before other places than those counted, or with no such count, stays refused.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests.unit.conftest import COPILOT_AS_OF, assert_answers_like

_PLACES = ("SELECT p.name, COUNT(*) FROM inventory i JOIN products p USING (product_id) WHERE {cond} "
           "GROUP BY p.name HAVING COUNT(*) >= {n}")


@pytest.mark.parametrize("question, gold", [
    ("which items have zero stock in at least three warehouses? show the number of such warehouses",
     _PLACES.format(cond="i.quantity_on_hand = 0", n=3)),
    ("items under reorder level in at least two warehouses; give the number of such warehouses",
     _PLACES.format(cond="i.quantity_on_hand < i.reorder_level", n=2)),
    ("list the products that are out of stock in at least 2 warehouses and the number of warehouses where it is "
     "the case", _PLACES.format(cond="i.quantity_on_hand = 0", n=2)),
])
def test_number_of_such_places_is_the_count_shown(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "products out of stock in at least 2 warehouses and the number of such cities",   # other places than counted
    "which products are low on stock, with the number of such warehouses",            # no count of places held to
    "how many such warehouses hold the Makita Hammer",                                  # nothing to point back at
    "number of such warehouses",
])
def test_such_places_without_a_count_to_restate_refuse(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
