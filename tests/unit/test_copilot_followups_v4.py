"""Fourth follow-up round: questions that point back at the previous answer without naming it
(pronouns over the one thing or the things counted), the complement of its condition, dropping
its period, and the growth between the periods of the two turns before."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

VALID = VALID_ORDER


@pytest.mark.parametrize("context, question, gold", [
    # one order named before: its customer, its lines
    (["give me the details of order 777"], "and who ordered it?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 777"),
    (["when was order 2500 shipped"], "which customer placed it?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 2500"),
    (["status of order 310"], "what did it contain?",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 310"),
    (["show me order 64"], "which products were in it",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 64"),
    # (a cancelled one: no shipment, so its dates are empty rather than the order missing)
    (["what is the status of order 905"], "and when did it arrive?",
     "SELECT s.delivered_at FROM orders o LEFT JOIN shipments s USING (order_id) WHERE o.order_id = 905"),
    # one customer named before: what they spent, where they live
    (["customer 42"], "how much have they spent?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.customer_id = 42"),
    (["show customer 7"], "where does he live?",
     "SELECT city, country FROM customers WHERE customer_id = 7"),
    (["when did Helmi Larsen sign up"], "and where is she located?",
     "SELECT city, country FROM customers WHERE name = 'Helmi Larsen'"),
    # a count before: the things counted, listed; what they spent together
    (["how many customers signed up in 2025 in Denmark"], "which ones are they?",
     "SELECT name FROM customers WHERE country = 'DK' AND year(signup_date) = 2025"),
    (["how many consumer customers are in Oslo"], "list them",
     "SELECT name, email FROM customers WHERE segment = 'consumer' AND city = 'Oslo'"),
    (["number of business customers in Turku"], "how much did they spend in total?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.segment = 'business' AND c.city = 'Turku'"),
    # a count before names the things counted, even when it also names one customer
    (["how many orders has customer 31 placed"], "show them",
     "SELECT order_id FROM orders WHERE customer_id = 31"),
    # the count of another thing beside a ranking keeps the ranking (a new one could name others); the orders
    # counted are of any status, as a count of orders alone (s23: each figure over its own rows)
    (["top 2 customers by revenue in 2026"], "and how many orders did they place?",
     f"SELECT c.name, SUM(o.total_amount) FILTER (WHERE {VALID}) r, COUNT(*) FROM orders o JOIN customers c "
     "USING (customer_id) WHERE year(o.order_date) = 2026 GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 2"),
    # "except ..." adds a condition to the previous question
    (["units sold by category in Q1 2026"], "except store orders",
     f"SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND o.channel <> 'store' AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-03-31' GROUP BY 1"),
    # the complement of the one condition
    (["how many products are discontinued"], "and the ones that are not?",
     "SELECT COUNT(*) FROM products WHERE active"),
    (["how many orders were placed on the web in 2025"], "what about the others?",
     "SELECT COUNT(*) FROM orders WHERE channel <> 'web' AND year(order_date) = 2025"),
    # the period dropped, everything else kept
    (["units sold of Garden products in Q3 2026"], "same without the date filter",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Garden'"),
    (["store revenue last quarter"], "and for all time?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel = 'store'"),
    # growth between the periods of the two turns before, the later over the earlier
    (["number of orders in August 2026", "and in June 2026?"], "how much did it grow between them, in %?",
     "SELECT 100.0 * (COUNT(*) FILTER (WHERE month(order_date) = 8) - COUNT(*) FILTER (WHERE month(order_date) = 6))"
     " / COUNT(*) FILTER (WHERE month(order_date) = 6) FROM orders WHERE year(order_date) = 2026"),
    # an earlier follow-up capability still holds: the bottom N of a ranking, and all values of a filter
    (["top 4 brands by units sold in 2025"], "and the bottom 4?",
     f"SELECT p.brand, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY q ASC LIMIT 4"),
    (["store orders in September 2026"], "what about every channel?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    (["list the store orders in September 2026"], "what about every channel?",
     "SELECT order_id FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
])
def test_follow_up_pointing_back(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, said", [
    # two conditions: which one is meant is a guess
    (["how many business customers are in Espoo"], "and the ones that aren't?", "2 conditions"),
    # no period to drop
    (["how many products are out of stock"], "now without the period restriction", "no period to drop"),
    # a count of orders names no single customer to have spent anything
    (["how many orders were cancelled"], "how much did they spend?", "refers to"),
    # a word left over in a follow-up: the refusal says which question it followed
    (["units sold by brand in 2025"], "and by warehouse colour?", "as a follow-up to the previous question"),
    # a question that changes nothing
    (["revenue by category in 2025"], "and what does it mean?", "changes in the previous question"),
])
def test_follow_up_that_cannot_apply_names_the_previous_question(parser, context, question, said):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood) as refused:
        parser.parse(question, COPILOT_AS_OF, form)
    message = str(refused.value)
    assert said in message
    # the refusal reads back what the previous question computed
    assert form is not None and any(word in message for word in ("number of", "revenue", "units sold", "list of"))
