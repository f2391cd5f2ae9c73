"""The typo variants the copilot evaluation generates: one adjacent-letter swap in one word of 5+
letters, never the first letter, stable per (question, seed)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match, typo_items, with_typo


def _swapped_words(a: str, b: str) -> list[tuple[str, str]]:
    return [(x, y) for x, y in zip(a.split(" "), b.split(" "), strict=True) if x != y]


@pytest.mark.parametrize("question", [
    "revenue by month in 2025",
    "which warehouse holds the most stock",
    "late deliveries per carrier last quarter",
])
def test_one_swap_in_one_long_word_never_the_first_letter(question):
    for seed in range(10):
        typo = with_typo(question, seed)
        assert typo is not None and typo != question
        [(word, changed)] = _swapped_words(question, typo)
        assert len(word) >= 5 and sorted(word) == sorted(changed) and word[0] == changed[0]
        diff = [i for i, (x, y) in enumerate(zip(word, changed, strict=True)) if x != y]
        assert len(diff) == 2 and diff[1] == diff[0] + 1
        assert with_typo(question, seed) == typo  # stable


@pytest.mark.parametrize("question", ["top 5 by qty", "AOV in Q3", "and Oslo?"])
def test_no_word_of_five_letters_means_no_variant(question):
    assert with_typo(question) is None


def test_seeds_give_different_swaps_and_items_keep_their_gold():
    question = "how many shipments were delivered late to Stockholm customers this year"
    assert len({with_typo(question, seed) for seed in range(10)}) >= 5
    items = [{"id": "q1", "question": question, "gold_sql": "SELECT 1"}, {"id": "q2", "question": "x", "gold_sql": None}]
    [variant] = typo_items(items, seed=3)
    assert variant["id"] == "q1-typo" and variant["gold_sql"] == "SELECT 1" and variant["question"] == with_typo(question, 3)


@pytest.mark.parametrize("gold, pred, same", [
    ([["2026-03", 5.0]], [["2026-03-01", 5]], True),          # a month as "2026-03" or as its first day
    ([["2026-01-01", 5.0]], [[2026, 5]], True),               # a year as its first day or as a number
    ([[2025, 5.0]], [["2025-01-01", 5]], True),
    ([["2026-03", 5.0]], [["2026-03-02", 5]], False),         # a day that is not the month's first is a day
    ([["2026-03", 5.0]], [["2026-04-01", 5]], False),
    ([["Q1", 5.0]], [["2026-01-01", 5]], False),              # other labels are compared as written
    ([[1.0, 5.0], [2.0, 6.0]], [["2026-01-01", 5], ["2026-04-01", 6]], False),
    ([[2.0, 5.0], [3.0, 6.0]], [["Q2", "2026-04-01", 5], ["Q3", "2026-07-01", 6]], True),  # quarters, by number
    ([[2024, 5.0], [2025, 6.0]], [["Q4 2024", "2024-10-01", 5], ["Q4 2025", "2025-10-01", 6]], True),  # by year
    ([[2.0, 5.0], [3.0, 6.0]], [["Q2", "2026-04-01", 5], ["Q3", "2026-07-01", 7]], False),
    ([[2.0, 5.0], [3.0, 6.0]], [["2026-04-01", 5], ["2026-07-01", 6]], False),  # months April and July, not quarters
    ([[5.0]], [[5.0], [6.0]], False),                          # the row count must agree
])
def test_a_period_label_is_compared_by_the_period_it_names(gold, pred, same):
    assert results_match(gold, pred) is same


@pytest.mark.parametrize("error, outcome", [
    ("Refused: SQL refused: it does not parse", "refused"),   # the guard's refusal is shown, never silent
    ("not understood: I could not place 'x'", "refused"),
    ("error: query failed", "refused"),
    ("result differs: gold 3 rows, got 4", "silent_wrong"),
])
def test_an_error_the_user_sees_is_a_refusal_not_a_silent_wrong(error, outcome):
    from commerce_platform.copilot.evaluation import ItemResult

    assert ItemResult("q1", "orders", "q", "dev", False, None, error).outcome == outcome
